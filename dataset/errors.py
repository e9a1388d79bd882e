"""The exceptions of the MNIST loader."""


class MnistDataError(ValueError):
    """A file or array is not the MNIST it claims to be (bad IDX, wrong hash, corrupt cache)."""


class MnistUnavailableError(RuntimeError):
    """No source could provide MNIST; the message lists what was tried and why it failed."""


class MnistCacheWarning(UserWarning):
    """The cache was damaged (or could not be written) and has been rebuilt from a source."""


class SourceUnavailable(Exception):
    """A source that is absent (no files, offline, no npm): try the next one."""
