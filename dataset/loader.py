"""The chain behind load_mnist(): the verified cache, else the first source that works; `python mnist.py`."""
import os
import sys
import time
import warnings

import numpy as np

from dataset import cache, official, sources
from dataset.errors import MnistCacheWarning, MnistDataError, MnistUnavailableError
from dataset.files import NotARegularFile
from dataset.sources import say


def ensure_cache():
    """{key: uint8 array} of MNIST from the verified cache, building the cache from a source if needed.

    x_train (60000, 28, 28), t_train (60000,), x_test (10000, 28, 28), t_test (10000,).
    Raises MnistUnavailableError (listing what was tried) if no source works, and
    files.NotARegularFile (a MnistDataError) if the cache's path is a FIFO, a device or a
    folder: that is not a damaged cache to replace, but something a user made: it is left alone.
    """
    path = cache.cache_path()
    cache.remove_orphans(path)  # temporaries of killed runs, even when the cache is fine
    tried, damaged = [], None
    if path.exists():
        try:
            arrays = cache.load_cache(path)
            official.check_mnist(arrays, str(path))
            return arrays
        except NotARegularFile as exc:
            raise NotARegularFile(f"MNIST: the cache {exc}; it was left as it is: remove it (or set "
                                  f"MNIST_DIR to another folder) and the cache is built again") from None
        except MnistDataError as exc:
            damaged = exc
            tried.append(f"cache {path}: damaged ({exc})")
            say(f"MNIST: the cache is damaged ({exc}); rebuilding it")
    else:
        tried.append(f"cache {path}: not there yet")
        say(f"MNIST: no cache at {path} yet; fetching")
    arrays, source = sources.fetch(path.parent, tried)
    try:
        cache.save_cache(cache.write_target(path), arrays, source)  # through a link: it stays a link
    except OSError as exc:
        warnings.warn(f"MNIST: could not write the cache {path} ({exc}); the data will be fetched "
                      f"again next time", MnistCacheWarning, stacklevel=4)
        return arrays
    if damaged is not None:
        warnings.warn(f"MNIST: the cache {path} was damaged ({damaged}); it has been replaced "
                      f"with verified data from {source}", MnistCacheWarning, stacklevel=4)
    say(f"MNIST: verified, cached in {path} (from {source})")
    return arrays


def load_dataset():
    """The verified arrays under the book's keys, images flattened as the book's pickle holds them.

    -> {"train_img": uint8 (60000, 784), "train_label": uint8 (60000,),
        "test_img": uint8 (10000, 784), "test_label": uint8 (10000,)}
    """
    arrays = ensure_cache()
    return {"train_img": arrays["x_train"].reshape(len(arrays["x_train"]), -1),
            "train_label": arrays["t_train"],
            "test_img": arrays["x_test"].reshape(len(arrays["x_test"]), -1),
            "test_label": arrays["t_test"]}


def check_flags(**flags):
    """Raise TypeError unless every flag of load_mnist is True or False (a string "no" would be true)."""
    for name, value in flags.items():
        if not isinstance(value, (bool, np.bool_)):
            raise TypeError(f"load_mnist: {name} must be True or False, got {value!r}")


def main(argv=None):
    """`python mnist.py` (make data): make sure the verified cache exists; exit status 1 if it cannot.

    --quiet (what make test/train/check run first): say nothing when the cache is
    already there and verified; a fetch or a rebuild still reports what it does.
    """
    quiet = "--quiet" in (sys.argv[1:] if argv is None else argv)
    start = time.perf_counter()
    folder = cache.data_dir()
    origin = " (MNIST_DIR)" if os.environ.get("MNIST_DIR") else ""
    if not quiet:
        print(f"MNIST data folder: {folder}{origin}")
    try:
        arrays = ensure_cache()
    except (MnistUnavailableError, MnistDataError) as exc:  # no source; a cache path that is no file
        print(exc, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        # One line, not a traceback: every write is atomic, so there is nothing to clean up.
        print("\nMNIST: interrupted; no partial file was left (run it again to finish)", file=sys.stderr)
        return 130
    if quiet:
        return 0
    for key in official.FILES:
        print(f"  {key:7s} {arrays[key].dtype!s:5s} {arrays[key].shape}")
    print(f"MNIST ready and verified in {time.perf_counter() - start:.2f} s: {cache.cache_path()}")
    return 0
