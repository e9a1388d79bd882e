"""Opening the files the loader reads: regular files only, opened without ever blocking.

Every file the loader reads (the cache, IDX files a user put into the data folder, the npm
tarball) goes through open_regular(): it opens the path with O_NONBLOCK, because opening a
FIFO for reading otherwise waits forever for a writer, then checks with os.fstat on the open
descriptor (what is read is what was checked, even if the path is swapped meanwhile) that it
is a regular file. A FIFO, a device (a link to /dev/zero would be read without end), a socket
or a folder is refused with NotARegularFile naming the path and what it is; the callers bound
the size from the same stat (MNIST's files have known sizes).
"""
import os
import stat

from dataset.errors import MnistDataError

_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"))


class NotARegularFile(MnistDataError):
    """A path the loader reads is a FIFO, a device, a socket or a folder, not a file."""


def kind(mode):
    """What an st_mode is, as a phrase: "a FIFO (named pipe)", "a character device", ..."""
    return next((name for test, name in _KINDS if test(mode)), f"not a regular file (mode 0o{mode:o})")


def open_regular(path, reader="the MNIST loader"):
    """(binary file object, os.stat_result) of `path` opened for reading, if it is a regular file.

    Never blocks (a FIFO is refused, not waited on). A symbolic link is followed: a link to a
    regular file is read; a link to anything else is refused, naming both. `reader` is who
    reads, for the message. Raises
    NotARegularFile; OSError as os.open raises it (missing, permission denied).
    """
    path = os.fspath(path)
    nonblock = getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, os.O_RDONLY | nonblock | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            link = f" (a link to {os.readlink(path)})" if os.path.islink(path) else ""
            raise NotARegularFile(f"{path}{link} is {kind(st.st_mode)}, not a regular file; "
                                  f"{reader} reads only files (remove or rename it)")
        if nonblock:
            os.set_blocking(fd, True)  # a regular file: reads behave as usual
        return os.fdopen(fd, "rb"), st
    except BaseException:
        os.close(fd)
        raise
