"""The data folder and the .npz cache: atomic writes, loads checked against the official hashes.

The cache is an uncompressed .npz of the four uint8 arrays (plus their SHA-256s
and the source's name), read with allow_pickle=False: nothing in it can run code,
unlike the book's mnist.pkl. It is written under a temporary name in the same
folder and moved into place with os.replace(), so a crash or two processes at
once never leave half a cache; temporaries left by killed processes are removed.
"""
import errno
import os
import re
import socket
import tempfile
import time
import zipfile
import zlib
from pathlib import Path

import numpy as np

from dataset import idx, official
from dataset.errors import MnistDataError
from dataset.files import open_regular

CACHE_NAME = "mnist_cache.npz"  # not "mnist.npz": a user may drop Keras's file of that name here
ORPHAN_AGE = 3600  # seconds after which any temporary of ours is taken as left over
# The real cache holds 54.9 MB of arrays; a file claiming much more is not ours
# (and a compressed .npz member could otherwise inflate to any size).
MAX_CACHE_BYTES = 128 * 2**20


def data_dir():
    """The data folder: $MNIST_DIR if set, else data/ next to mnist.py (not the current directory).

    mnist.py and this package's folder sit side by side at the repository root.
    """
    env = os.environ.get("MNIST_DIR")
    return Path(env).expanduser().resolve() if env else Path(__file__).resolve().parent.parent / "data"


def cache_path():
    """Path of the .npz cache inside data_dir()."""
    return data_dir() / CACHE_NAME


# --- temporaries: named after their writer, so an orphan can be told from a write in progress ---

def _host():
    return re.sub(r"[^A-Za-z0-9]", "", socket.gethostname())[:40] or "host"


def writer_tag():
    """The tag "<host>-<pid>" of this process, put into the names of its temporary files and folders."""
    return f"{_host()}-{os.getpid()}"


def writer_gone(tag):
    """True if `tag` (made by writer_tag) names a process of this host that no longer exists.

    A tag of another host (a shared folder) or of a live process gives False: only age tells then.
    """
    host, _, pid = tag.rpartition("-")
    if host != _host() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError):
        return False  # a process of another user, or not a pid: keep
    return False


def remove_orphans(path, age=ORPHAN_AGE):
    """Delete our own temporaries (.<cache name>.*.tmp) whose writer is gone or older than `age` s.

    A young temporary of a live process may be another run's write in progress,
    so it stays. Never touches any other file. Returns the removed paths.
    """
    path = Path(path)
    removed = []
    for tmp in path.parent.glob(f".{path.name}.*.tmp"):
        try:
            m = re.fullmatch(rf"\.{re.escape(path.name)}\.w-([A-Za-z0-9]+-\d+)-\w+\.tmp", tmp.name)
            if (m and writer_gone(m.group(1))) or time.time() - tmp.stat().st_mtime > age:
                tmp.unlink()
                removed.append(tmp)
        except OSError:
            pass  # another process removed it first, or a read-only folder
    return removed


def write_target(path):
    """The file to write for the cache `path`: `path`, or the file a symbolic link there points to.

    A user who linked the cache to a shared copy keeps the link (and a damaged copy is
    repaired where it is) instead of seeing the link replaced by a file. OSError, leaving the
    link alone, if it points into a folder that does not exist (an unmounted disk?).
    """
    path = Path(path)
    if not path.is_symlink():
        return path
    target = Path(os.path.realpath(path))
    if not target.parent.is_dir():
        raise FileNotFoundError(errno.ENOENT, f"it is a symbolic link to {os.readlink(path)}, whose folder "
                                              f"does not exist; the link was left as it is", str(path))
    return target


def save_cache(path, arrays, source="unknown"):
    """Write {key: uint8 array} for the keys of FILES, with their SHA-256, atomically to `path` (.npz).

    The file appears complete or not at all: it is written under a temporary
    name in the same folder, fsync'ed, and moved into place with os.replace();
    on any failure (Ctrl-C included) the temporary is removed.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_orphans(path)
    content = {key: arrays[key] for key in official.FILES}
    content["sha256"] = np.array([idx.sha256_as_idx(arrays[key]) for key in official.FILES])
    content["source"] = np.array(source)
    # .mnist_cache.npz.w-<host>-<pid>-<random>.tmp: see remove_orphans
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.w-{writer_tag()}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **content)  # uncompressed: loading stays ~10x faster than from savez_compressed
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the cache is ordinary data
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_cache(path):
    """Read a cache written by save_cache: {key: uint8 array}, each one the official MNIST array.

    Every array must match both the SHA-256 stored beside it (else: damaged) and
    the official one of official.FILES (else: doctored or other data; a cache
    cannot vouch for itself). Raises MnistDataError naming the problem.
    """
    try:
        # One descriptor for the checks and the reading: a FIFO or a device (a link to
        # /dev/zero) is refused before anything is read (files.NotARegularFile).
        fileobj, st = open_regular(path)
        with fileobj:
            if st.st_size > MAX_CACHE_BYTES:
                raise MnistDataError(f"{path}: has {st.st_size} bytes, more than {MAX_CACHE_BYTES}; "
                                     f"not an MNIST cache (55 MB)")
            with zipfile.ZipFile(fileobj) as z:
                size = sum(info.file_size for info in z.infolist())
            if size > MAX_CACHE_BYTES:
                raise MnistDataError(f"{path}: holds {size} bytes uncompressed, more than {MAX_CACHE_BYTES}; "
                                     f"not an MNIST cache")
            fileobj.seek(0)
            with np.load(fileobj, allow_pickle=False) as f:
                arrays = {key: f[key] for key in official.FILES}
                hashes_array = f["sha256"]
                if hashes_array.ndim != 1:  # a 0-d array cannot even be iterated (TypeError)
                    raise MnistDataError(f"{path}: sha256 has shape {hashes_array.shape}, expected "
                                         f"({len(official.FILES)},): one hash per array")
                stored = [str(s) for s in hashes_array]
    # zlib.error: a compressed .npz (savez_compressed) whose deflate stream is damaged
    except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile, zlib.error) as exc:
        if isinstance(exc, MnistDataError):
            raise
        raise MnistDataError(f"{path}: unreadable cache ({type(exc).__name__}: {exc})") from exc
    if len(stored) != len(official.FILES):
        raise MnistDataError(f"{path}: {len(stored)} stored hashes, expected {len(official.FILES)}")
    hashes = {}
    for (key, arr), sha in zip(arrays.items(), stored, strict=True):
        if arr.dtype != np.uint8 or arr.ndim not in idx.IDX_MAGIC:
            raise MnistDataError(f"{path}: {key} is {arr.dtype} with {arr.ndim} dimensions, "
                                 f"expected uint8 with 1 or 3")
        hashes[key] = idx.sha256_as_idx(arr)
        if hashes[key] != sha:
            raise MnistDataError(f"{path}: {key} does not match its stored SHA-256 (damaged)")
    official.check_official(arrays, str(path), hashes)
    return arrays
