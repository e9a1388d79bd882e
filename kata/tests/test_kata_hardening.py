"""The kata under faults a careless or unlucky learner meets (issue 13's kata classes).

Symbolic and hard links in the workspace, Ctrl-C and a full disk in the middle of a
write, concurrent and damaged state files, Latin-1 bytes in a learner's comment, a
read-only workspace, editors' lock and swap files under `watch`, 0-byte files after a
crash. Every case uses throwaway folders under tmp_path: a fake "reference" copy stands
in for the repository's files, so a regression damages nothing real.
"""
import errno
import functools
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kata import compare, fsutil, runner, stubs
from kata import workspace as wsmod
from test_kata_workspace import MY_MUL_FORWARD  # the same learner edit as the workspace tests

ROOT = Path(__file__).resolve().parents[2]
# function-scoped fixtures (a fresh tmp workspace) are fine here: each example builds its own
EXAMPLES = settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)


@pytest.fixture(autouse=True)
def _fresh_warnings():
    wsmod._warned.clear()  # "warn once" is per process; every test starts with none said
    yield
    wsmod._warned.clear()


def _leftovers(folder):
    """Temporary files or staging folders our writers may have left behind."""
    return sorted(p.name for p in Path(folder).rglob("*") if p.name.endswith(".tmp") or ".kata-init-" in p.name)


def _tree(folder):
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(Path(folder).rglob("*"))
            if p.is_file() and not p.is_symlink()}


def _with_my_mul(ws):
    layers = ws / "layers.py"
    layers.write_text(stubs.replace_function(layers.read_text(), "MulLayer.forward", MY_MUL_FORWARD))
    return layers


# --- fsutil --------------------------------------------------------------------------------

def test_write_text_atomic_replaces_the_contents_and_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "a.py"
    path.write_text("old\n")
    fsutil.write_text_atomic(path, "new — ü\n")
    assert path.read_bytes() == "new — ü\n".encode()
    fsutil.write_bytes_atomic(tmp_path / "fresh.bin", b"\x00\xff")
    assert (tmp_path / "fresh.bin").read_bytes() == b"\x00\xff"
    assert _leftovers(tmp_path) == []


def test_an_existing_file_keeps_its_mode_and_a_new_one_gets_the_umask_default(tmp_path):
    path = tmp_path / "a.py"
    path.write_text("old\n")
    os.chmod(path, 0o640)
    fsutil.write_text_atomic(path, "new\n")
    assert path.stat().st_mode & 0o777 == 0o640
    umask = os.umask(0o022)
    try:
        fsutil.write_text_atomic(tmp_path / "b.py", "x\n")
    finally:
        os.umask(umask)
    assert (tmp_path / "b.py").stat().st_mode & 0o777 == 0o644  # not mkstemp's 0600


@pytest.mark.parametrize("writer", ["text", "bytes", "copy"])
def test_fsutil_refuses_to_write_through_a_symlink_and_the_target_is_untouched(tmp_path, writer):
    target = tmp_path / "reference_layers.py"
    target.write_bytes(b"the reference\n")
    link = tmp_path / "layers.py"
    link.symlink_to(target)
    src = tmp_path / "src.py"
    src.write_bytes(b"learner\n")
    write = {"text": lambda: fsutil.write_text_atomic(link, "x"),
             "bytes": lambda: fsutil.write_bytes_atomic(link, b"x"),
             "copy": lambda: fsutil.copy_atomic(src, link)}[writer]
    with pytest.raises(fsutil.WriteRefused, match="symbolic link") as info:
        write()
    assert isinstance(info.value, OSError) and info.value.target == str(target)
    assert target.read_bytes() == b"the reference\n" and link.is_symlink()
    assert _leftovers(tmp_path) == []


def test_fsutil_refuses_a_dangling_symlink_a_folder_and_a_fifo(tmp_path):
    dangling = tmp_path / "dangling.py"
    dangling.symlink_to(tmp_path / "nowhere" / "layers.py")
    with pytest.raises(fsutil.WriteRefused, match="symbolic link"):
        fsutil.write_text_atomic(dangling, "x")
    assert not (tmp_path / "nowhere").exists()
    folder = tmp_path / "folder.py"
    folder.mkdir()
    fifo = tmp_path / "fifo.py"
    os.mkfifo(fifo)
    for path in (folder, fifo):
        with pytest.raises(fsutil.WriteRefused, match="not a regular file"):
            fsutil.write_text_atomic(path, "x")
    assert _leftovers(tmp_path) == []


def test_a_hard_link_keeps_the_old_contents_when_the_other_name_is_rewritten(tmp_path):
    original = tmp_path / "reference.py"
    original.write_bytes(b"reference\n")
    other = tmp_path / "layers.py"
    os.link(original, other)
    fsutil.write_text_atomic(other, "learner\n")
    assert original.read_bytes() == b"reference\n" and other.read_bytes() == b"learner\n"


def _interrupt(monkeypatch, where, exc):
    """Make one step of fsutil's write raise `exc` (Ctrl-C, a full disk)."""
    if where == "mid-write":
        def half_then_raise(inp, out, length=0):
            out.write(inp.read(3))
            raise exc
        monkeypatch.setattr(fsutil.shutil, "copyfileobj", half_then_raise)
    elif where == "fsync":
        def fsync(fd):
            raise exc
        monkeypatch.setattr(fsutil.os, "fsync", fsync)
    elif where == "finish":
        def copystat(src, dst, **kw):
            raise exc
        monkeypatch.setattr(fsutil.shutil, "copystat", copystat)
    elif where == "replace":
        def replace(src, dst):
            raise exc
        monkeypatch.setattr(fsutil, "_replace", replace)


@pytest.mark.parametrize("exc", [KeyboardInterrupt(), OSError(errno.ENOSPC, "No space left on device")],
                         ids=["ctrl-c", "disk-full"])
@pytest.mark.parametrize("where", ["mid-write", "fsync", "finish", "replace"])
def test_an_interrupted_copy_leaves_the_destination_whole_and_no_temporary_file(tmp_path, monkeypatch, where, exc):
    src, dst = tmp_path / "backup.py", tmp_path / "layers.py"
    src.write_bytes(b"the backup's contents\n" * 100)
    dst.write_bytes(b"the learner's current work\n")
    _interrupt(monkeypatch, where, exc)
    with pytest.raises(type(exc)):
        fsutil.copy_atomic(src, dst)
    assert dst.read_bytes() == b"the learner's current work\n"
    assert _leftovers(tmp_path) == []


# --- links in the workspace ----------------------------------------------------------------

@pytest.fixture
def fake_reference(tmp_path):
    """A copy of the repository's layers.py standing in for the reference (a link target)."""
    path = tmp_path / "elsewhere" / "layers.py"
    path.parent.mkdir()
    path.write_bytes((ROOT / "layers.py").read_bytes())
    return path


def test_reset_refuses_a_workspace_file_that_links_to_the_reference(ws, fake_reference):
    before = fake_reference.read_bytes()
    (ws / "layers.py").unlink()
    (ws / "layers.py").symlink_to(fake_reference)
    with pytest.raises(wsmod.KataError, match="symbolic link") as info:
        wsmod.reset(ws, "5.4.1")
    assert str(fake_reference) in str(info.value) and "nothing was changed" in str(info.value)
    assert fake_reference.read_bytes() == before
    assert (ws / "layers.py").is_symlink() and wsmod.list_backups(ws) == []


def test_reset_refuses_a_dangling_link_instead_of_creating_its_target(ws, tmp_path):
    (ws / "layers.py").unlink()
    (ws / "layers.py").symlink_to(tmp_path / "gone" / "layers.py")
    with pytest.raises(wsmod.KataError, match="symbolic link"):
        wsmod.reset(ws, "5.4.1")
    assert not (tmp_path / "gone").exists()


def test_reset_writes_a_missing_file_from_the_stubs(ws):
    (ws / "layers.py").unlink()
    wsmod.reset(ws, "5.4.1")
    assert (ws / "layers.py").read_text() == wsmod.pristine_text("layers")


def test_restore_refuses_to_write_through_a_link(ws, fake_reference):
    _with_my_mul(ws)
    wsmod.reset(ws, "5.4.1")                  # one backup of layers.py
    before = fake_reference.read_bytes()
    (ws / "layers.py").unlink()
    (ws / "layers.py").symlink_to(fake_reference)
    with pytest.raises(wsmod.KataError, match="symbolic link"):
        wsmod.restore(ws, "1")
    assert fake_reference.read_bytes() == before and len(wsmod.list_backups(ws)) == 1


def test_reset_and_restore_on_a_hard_link_leave_the_other_name_alone(ws, fake_reference):
    (ws / "layers.py").unlink()
    os.link(fake_reference, ws / "layers.py")
    before = fake_reference.read_bytes()
    wsmod.reset(ws, "5.4.1")                  # the reference's bodies become stubs: a write
    assert fake_reference.read_bytes() == before
    assert 'NotImplementedError("5.4.1 MulLayer.forward' in (ws / "layers.py").read_text()
    wsmod.restore(ws, "1")                    # back to the linked contents, as a separate file
    assert (ws / "layers.py").read_bytes() == before
    (ws / "layers.py").write_text("# learner edits\n")
    assert fake_reference.read_bytes() == before


def _fake_root(tmp_path):
    """A stand-in instructor repository: the reference modules only (no kata/exported.json)."""
    root = tmp_path / "repo"
    root.mkdir()
    for path in stubs.reference_modules():
        (root / path.name).write_bytes(path.read_bytes())
    return root


def test_a_workspace_that_is_the_reference_repository_is_refused(tmp_path):
    root = _fake_root(tmp_path)
    before = _tree(root)
    link = tmp_path / "ws-link"
    link.symlink_to(root, target_is_directory=True)   # --workspace pointing at the repository
    for ws in (link, root):
        with pytest.raises(wsmod.KataError, match="reference file"):
            wsmod.reset(ws, "5.4.1", root=root)
    assert _tree(root) == before


def test_init_refuses_a_dangling_link_named_like_the_workspace(tmp_path):
    link = tmp_path / "workspace"
    link.symlink_to(tmp_path / "elsewhere")
    with pytest.raises(wsmod.KataError, match="already exists"):
        wsmod.init(link)
    assert not (tmp_path / "elsewhere").exists() and _leftovers(tmp_path) == []


def test_a_state_file_that_is_a_link_is_never_written_through(ws, tmp_path, capsys):
    outside = tmp_path / "outside.json"
    outside.write_text('{"mine": 1}')
    state_path = wsmod.meta_dir(ws) / wsmod.STATE
    state_path.unlink()
    state_path.symlink_to(outside)
    assert wsmod.save_state(ws, {"hints": {}}) is False            # check/hint: warn, go on
    assert "cannot write" in capsys.readouterr().err
    with pytest.raises(wsmod.KataError, match="symbolic link"):  # init --accept-tests: refuse
        wsmod.init(ws, accept_tests=True)
    assert outside.read_text() == '{"mine": 1}'


def test_reset_refuses_a_folder_in_place_of_the_learner_file(ws):
    (ws / "layers.py").unlink()
    (ws / "layers.py").mkdir()
    with pytest.raises(wsmod.KataError, match="not a regular file"):
        wsmod.reset(ws, "5.4.1")
    assert (ws / "layers.py").is_dir()


def test_init_under_a_plain_file_is_a_clear_error(tmp_path):
    (tmp_path / "file").write_text("mine")
    with pytest.raises(wsmod.KataError, match="Could not write"):
        wsmod.init(tmp_path / "file" / "workspace")
    assert (tmp_path / "file").read_text() == "mine"


def test_init_in_an_exported_repository_whose_meta_path_is_a_file_is_a_clear_error(tmp_path):
    root = tmp_path / "learner-repo"
    (root / "kata").mkdir(parents=True)
    (root / "kata" / "exported.json").write_text("{}")
    (root / wsmod.META).write_text("not a folder")
    with pytest.raises(wsmod.KataError, match="Could not write"):
        wsmod.init(root, root=root)
    assert (root / wsmod.META).read_text() == "not a folder"


# --- Ctrl-C and a full disk in the middle of a command ------------------------------------

def test_ctrl_c_in_the_middle_of_init_leaves_no_workspace_and_no_staging_folder(tmp_path, monkeypatch):
    real = stubs.write_modules

    def write_some_then_interrupt(dest, **kw):
        real(dest, **kw)
        raise KeyboardInterrupt
    monkeypatch.setattr(stubs, "write_modules", write_some_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        wsmod.init(tmp_path / "workspace")
    assert list(tmp_path.iterdir()) == []
    monkeypatch.setattr(stubs, "write_modules", real)
    wsmod.init(tmp_path / "workspace")                           # and a later init just works
    assert wsmod.load_state(tmp_path / "workspace")["hints"] == {}


def test_init_on_a_full_disk_is_a_clear_error_and_leaves_nothing(tmp_path, monkeypatch):
    def full(*a, **kw):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(fsutil, "write_text_atomic", full)
    with pytest.raises(wsmod.KataError, match="No space left"):
        wsmod.init(tmp_path / "workspace")
    assert list(tmp_path.iterdir()) == []


def _fail_when_writing(monkeypatch, name, exc, skip_backups=True):
    """fsutil's final rename raises `exc` for destination `name` (backups pass when skip_backups)."""
    real = fsutil._replace

    def replace(tmp, path):
        if Path(path).name == name and not (skip_backups and "backups" in Path(path).parts):
            raise exc
        real(tmp, path)
    monkeypatch.setattr(fsutil, "_replace", replace)


@pytest.mark.parametrize("exc", [KeyboardInterrupt(), OSError(errno.ENOSPC, "No space left on device")],
                         ids=["ctrl-c", "disk-full"])
def test_reset_interrupted_while_writing_keeps_the_learner_file_and_its_backup(ws, monkeypatch, exc):
    layers = _with_my_mul(ws)
    mine = layers.read_bytes()
    _fail_when_writing(monkeypatch, "layers.py", exc)
    with pytest.raises(wsmod.KataError if isinstance(exc, OSError) else KeyboardInterrupt) as info:
        wsmod.reset(ws, "5.4.1")
    if isinstance(exc, OSError):
        assert "No space left" in str(info.value) and "was not changed" in str(info.value)
    assert layers.read_bytes() == mine
    assert [b.read_bytes() for b in wsmod.list_backups(ws)] == [mine]
    assert _leftovers(ws) == []


def test_reset_whose_backup_cannot_be_written_does_not_touch_the_learner_file(ws, monkeypatch):
    layers = _with_my_mul(ws)
    mine = layers.read_bytes()
    _fail_when_writing(monkeypatch, "layers.py", OSError(errno.EACCES, "Permission denied"), skip_backups=False)
    with pytest.raises(wsmod.KataError, match="Permission denied"):
        wsmod.reset(ws, "5.4.1")
    assert layers.read_bytes() == mine


@pytest.mark.parametrize("exc", [KeyboardInterrupt(), OSError(errno.ENOSPC, "No space left on device")],
                         ids=["ctrl-c", "disk-full"])
def test_restore_interrupted_while_writing_keeps_the_current_file(ws, monkeypatch, exc):
    layers = _with_my_mul(ws)
    wsmod.reset(ws, "5.4.1")
    layers.write_text(layers.read_text() + "# later work\n")
    later = layers.read_bytes()
    _fail_when_writing(monkeypatch, "layers.py", exc)
    with pytest.raises(wsmod.KataError if isinstance(exc, OSError) else KeyboardInterrupt):
        wsmod.restore(ws, "1")
    assert layers.read_bytes() == later
    assert any(b.read_bytes() == later for b in wsmod.list_backups(ws))   # saved before trying
    assert _leftovers(ws) == []


def test_backups_are_fsynced_file_and_folder_before_the_learner_file_is_replaced(ws, monkeypatch):
    _with_my_mul(ws)
    events = []
    real_fsync, real_replace = fsutil.os.fsync, fsutil._replace

    def fsync(fd):
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        real_fsync(fd)

    def replace(tmp, path):
        events.append(("replace", str(path)))
        real_replace(tmp, path)
    monkeypatch.setattr(fsutil.os, "fsync", fsync)
    monkeypatch.setattr(fsutil, "_replace", replace)
    wsmod.reset(ws, "5.4.1")
    backup = wsmod.list_backups(ws)[0]
    learner = events.index(("replace", str(ws / "layers.py")))
    before = events[:learner]
    assert ("replace", str(backup)) in before
    assert any(kind == "fsync" and Path(p).parent == backup.parent and p.endswith(".tmp") for kind, p in before)
    assert ("fsync", str(backup.parent)) in before                      # the new entry is durable
    assert any(kind == "fsync" and p.endswith(".tmp") and Path(p).parent == ws for kind, p in events[:learner])


def test_two_backups_in_the_same_clock_tick_both_survive(ws, monkeypatch):
    layers = _with_my_mul(ws)
    monkeypatch.setattr(wsmod, "_now", lambda: "20260101-000000-000000")
    first = wsmod.backup(ws, layers, "x")
    layers.write_text("# second\n")
    second = wsmod.backup(ws, layers, "x")
    assert first != second and wsmod.list_backups(ws) == [first, second]
    assert second.read_text() == "# second\n" and "# mine" in first.read_text()


# --- the state file: concurrency and damage ------------------------------------------------

_STRESS_CHILD = r"""
import json, random, sys
sys.path.insert(0, sys.argv[1])
from kata import workspace as wsmod
ws, me, n = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rng = random.Random(me)
failures = []
for i in range(n):
    try:
        if rng.random() < 0.5:
            wsmod.save_state(ws, {"writer": me, "i": i, "hints": {"5.4.1": i % 4}}, strict=True)
        else:
            state = wsmod.load_state(ws)
            if not ("writer" in state and state["hints"]["5.4.1"] == state["i"] % 4):
                failures.append(repr(state))
    except Exception as err:
        failures.append(repr(err))
print(json.dumps(failures))
"""


def test_concurrent_saves_and_loads_from_threads_and_processes_never_fail(tmp_path, capfd):
    ws = tmp_path / "ws"
    wsmod.save_state(ws, {"writer": -1, "i": 0, "hints": {"5.4.1": 0}}, strict=True)
    procs = [subprocess.Popen([sys.executable, "-c", _STRESS_CHILD, str(ROOT), str(ws), str(k), "150"],
                              stdout=subprocess.PIPE, text=True) for k in range(3)]
    failures, ops = [], 0

    def worker(me):
        nonlocal ops
        for i in range(150):
            try:
                if (i + me) % 2:
                    wsmod.save_state(ws, {"writer": 100 + me, "i": i, "hints": {"5.4.1": i % 4}}, strict=True)
                else:
                    state = wsmod.load_state(ws)
                    if not ("writer" in state and state["hints"]["5.4.1"] == state["i"] % 4):
                        failures.append(repr(state))
            except Exception as err:  # noqa: BLE001 - the point is to count every kind
                failures.append(repr(err))
            ops += 1
    threads = [threading.Thread(target=worker, args=(k,)) for k in range(3)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    for proc in procs:
        out, _ = proc.communicate(timeout=120)
        assert proc.returncode == 0
        failures += json.loads(out)
        ops += 150
    assert ops == 900 and failures == []
    assert "WARNING" not in capfd.readouterr().err                    # no reader saw a damaged file
    assert sorted(p.name for p in wsmod.meta_dir(ws).iterdir()) == [wsmod.STATE]  # no temp, no bad copy


BAD_STATES = {
    "empty": b"",
    "truncated": b'{"hints": {"5.4.1": 2}, "statuses": {"5.4',
    "binary": b"\x00\xff\xfe garbage",
    "latin-1": '{"current": "5.4.1", "note": "caf\xe9"}'.encode("latin-1"),
    "a list": b"[1, 2, 3]",
    "null": b"null",
    "NaN": b"NaN",
    "deeply nested": b"[" * 100_000,
    "hints not a dict": b'{"hints": [1, 2], "current": "5.5.1"}',
    "hint level a string": b'{"hints": {"5.4.1": "3"}}',
    "negative hint level": b'{"hints": {"5.4.1": -1}}',
    "statuses a string": b'{"statuses": "done"}',
    "current a number": b'{"current": 5}',
}


@pytest.mark.parametrize("name", BAD_STATES)
def test_a_damaged_state_means_start_over_with_a_warning_and_a_kept_copy(ws, capsys, name):
    raw = BAD_STATES[name]
    path = wsmod.meta_dir(ws) / wsmod.STATE
    path.write_bytes(raw)
    state = wsmod.load_state(ws)
    assert isinstance(state, dict)
    for key, ok in wsmod.STATE_SCHEMA.items():
        assert key not in state or ok(state[key]), key
    err = capsys.readouterr().err
    copies = list(wsmod.meta_dir(ws).glob("state.json.bad-*"))
    assert len(copies) == 1 and copies[0].read_bytes() == raw        # the bad file is kept as it was
    assert "damaged" in err and str(copies[0]) in err
    assert runner.hint(ws, "5.4.1") == 0                             # and hint goes on (and saves)
    assert "Hint 1/3" in capsys.readouterr().out
    assert wsmod.load_state(ws)["hints"] == {"5.4.1": 1}
    wsmod.load_state(ws)
    assert "WARNING" not in capsys.readouterr().err                  # the saved state is good


def test_a_mistyped_entry_drops_only_that_entry(ws, capsys):
    state = wsmod.load_state(ws)
    state["hints"] = ["not", "a", "dict"]
    (wsmod.meta_dir(ws) / wsmod.STATE).write_text(json.dumps(state))
    loaded = wsmod.load_state(ws)
    assert "hints" not in loaded and loaded["test_hashes"] == state["test_hashes"]  # tamper check kept
    assert "hints" in capsys.readouterr().err


def test_the_same_damage_is_copied_and_announced_once(ws, capsys):
    (wsmod.meta_dir(ws) / wsmod.STATE).write_bytes(b"")
    for _ in range(3):
        assert wsmod.load_state(ws) == {}
    assert capsys.readouterr().err.count("WARNING") == 1
    assert len(list(wsmod.meta_dir(ws).glob("state.json.bad-*"))) == 1


def test_a_state_path_that_is_a_folder_is_unreadable_not_a_crash(ws, capsys):
    path = wsmod.meta_dir(ws) / wsmod.STATE
    path.unlink()
    path.mkdir()
    assert wsmod.load_state(ws) == {}
    assert "cannot read" in capsys.readouterr().err


@EXAMPLES
@given(raw=st.binary(max_size=200) | st.text(max_size=80).map(str.encode)
       | st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                      lambda kids: st.lists(kids, max_size=3) | st.dictionaries(
                          st.sampled_from(sorted(wsmod.STATE_SCHEMA)) | st.text(max_size=5), kids, max_size=4),
                      max_leaves=10).map(lambda v: json.dumps(v).encode()))
def test_any_bytes_in_the_state_file_load_as_a_valid_state(tmp_path_factory, raw):
    ws = tmp_path_factory.mktemp("ws")
    wsmod.meta_dir(ws).mkdir()
    (wsmod.meta_dir(ws) / wsmod.STATE).write_bytes(raw)
    state = wsmod.load_state(ws)
    assert isinstance(state, dict)
    for key, ok in wsmod.STATE_SCHEMA.items():
        assert key not in state or ok(state[key]), (key, state)


@pytest.mark.parametrize("content", [b"", b"{not json", b"[]", b'{"test_hashes": [1]}', b"\xff"])
def test_a_damaged_exported_record_is_reported_as_a_changed_file_not_a_crash(tmp_path, content):
    root = tmp_path / "learner-repo"
    (root / "kata").mkdir(parents=True)
    (root / "kata" / "exported.json").write_bytes(content)
    assert wsmod.changed_guarded_files(root, root=root) == ["kata/exported.json"]


def test_an_exported_record_without_hashes_means_no_record(tmp_path):
    root = tmp_path / "learner-repo"
    (root / "kata").mkdir(parents=True)
    (root / "kata" / "exported.json").write_text("{}")
    assert wsmod.changed_guarded_files(root, root=root) == []


# --- a read-only workspace -----------------------------------------------------------------

def _unwritable(monkeypatch):
    def refuse(*a, **kw):
        raise PermissionError(errno.EROFS, "Read-only file system")
    monkeypatch.setattr(fsutil, "write_text_atomic", refuse)
    monkeypatch.setattr(fsutil, "write_bytes_atomic", refuse)


def test_a_read_only_workspace_warns_once_and_hint_still_answers(ws, monkeypatch, capsys):
    _unwritable(monkeypatch)
    assert runner.hint(ws, "5.4.1") == 0
    assert runner.hint(ws, "5.4.2") == 0
    assert wsmod.write_meta_text(ws, "last-run.log", "log") is None
    captured = capsys.readouterr()
    assert "Hint 1/3 for 5.4.1" in captured.out and "Hint 1/3 for 5.4.2" in captured.out
    assert captured.err.count("WARNING") == 1 and "Read-only file system" in captured.err


def test_a_meta_folder_that_cannot_be_created_is_the_same_warning(ws, capsys):
    # a real OSError, no mock (root ignores permission bits): .kata is a plain file
    import shutil
    shutil.rmtree(wsmod.meta_dir(ws))
    wsmod.meta_dir(ws).write_text("not a folder")
    assert wsmod.load_state(ws) == {}
    assert runner.hint(ws, "5.4.1") == 0
    assert wsmod.write_meta_text(ws, "last-run.log", "x") is None
    captured = capsys.readouterr()
    assert "Hint 1/3" in captured.out and captured.err.count("cannot write") == 1
    assert wsmod.meta_dir(ws).read_text() == "not a folder"


def test_a_read_only_reset_is_a_clear_error_and_changes_nothing(ws, monkeypatch):
    layers = _with_my_mul(ws)
    mine = layers.read_bytes()
    _unwritable(monkeypatch)
    monkeypatch.setattr(fsutil, "copy_atomic", lambda *a, **kw: (_ for _ in ()).throw(
        PermissionError(errno.EROFS, "Read-only file system")))
    with pytest.raises(wsmod.KataError, match="Read-only file system"):
        wsmod.reset(ws, "5.4.1")
    assert layers.read_bytes() == mine


def test_write_meta_text_is_atomic_and_refuses_a_link(ws, tmp_path, capsys):
    assert wsmod.write_meta_text(ws, "last-run.log", "ünïcode log\n").read_text() == "ünïcode log\n"
    outside = tmp_path / "outside.log"
    outside.write_text("keep")
    (wsmod.meta_dir(ws) / "last-run.log").unlink()
    (wsmod.meta_dir(ws) / "last-run.log").symlink_to(outside)
    assert wsmod.write_meta_text(ws, "last-run.log", "log") is None
    assert outside.read_text() == "keep" and "symbolic link" in capsys.readouterr().err


# --- undecodable bytes in a learner's file -------------------------------------------------

LATIN1_COMMENT = b"# caf\xe9 au lait: my own note (Latin-1, not UTF-8)\n"


def test_first_line_of_tolerates_a_latin1_byte_and_gives_the_right_line(ws):
    layers = ws / "layers.py"
    clean = wsmod.first_line_of(ws, "layers:Affine.backward")
    layers.write_bytes(LATIN1_COMMENT + layers.read_bytes())
    assert wsmod.first_line_of(ws, "layers:Affine.backward") == (layers, clean[1] + 1)


@pytest.mark.parametrize("content", [b"\x00\x00\x00", b"def f(:\n", b"\xff\xfe\x00d\x00e\x00f", b""])
def test_first_line_of_never_raises_on_a_broken_file(ws, content):
    (ws / "layers.py").write_bytes(content)
    assert wsmod.first_line_of(ws, "layers:Affine.backward") is None


def test_reset_keeps_every_byte_outside_the_exercise_s_functions(ws):
    layers = ws / "layers.py"
    pristine = layers.read_bytes()
    mine = _with_my_mul(ws).read_bytes()
    layers.write_bytes(LATIN1_COMMENT + mine.replace(b"# mine", b"# mine \xe9\xe8") + b"# fin \xff\n")
    wsmod.reset(ws, "5.4.1")
    assert layers.read_bytes() == LATIN1_COMMENT + pristine + b"# fin \xff\n"
    assert wsmod.list_backups(ws)[0].read_bytes().count(b"\xe9\xe8") == 1


@functools.lru_cache(maxsize=None)
def _pristine_and_mine():
    """(stubbed layers.py, the same with the learner's MulLayer.forward) as bytes; made once."""
    pristine = wsmod.pristine_text("layers")
    return pristine.encode(), stubs.replace_function(pristine, "MulLayer.forward", MY_MUL_FORWARD).encode()


# bytes a comment can hold without ending it: no newline, no carriage return, no NUL
_comment_bytes = st.binary(max_size=40).map(lambda b: b.replace(b"\n", b"").replace(b"\r", b"").replace(b"\0", b""))


@settings(EXAMPLES, max_examples=20)  # each example is a real reset (~80 ms: stubbing, fsyncs)
@given(top=_comment_bytes, inside=_comment_bytes, bottom=_comment_bytes, crlf=st.booleans())
def test_reset_restores_the_stubs_and_nothing_else_whatever_bytes_surround_them(tmp_path_factory, top, inside,
                                                                              bottom, crlf):
    ws = tmp_path_factory.mktemp("ws")
    pristine, learner = _pristine_and_mine()
    learner = learner.replace(b"# mine", b"# mine " + inside)
    nl = b"\r\n" if crlf else b"\n"
    if crlf:
        pristine, learner = pristine.replace(b"\n", nl), learner.replace(b"\n", nl)
    (ws / "layers.py").write_bytes(b"#" + top + nl + learner + b"#" + bottom + nl)
    wsmod.reset(ws, "5.4.1")
    assert (ws / "layers.py").read_bytes() == b"#" + top + nl + pristine + b"#" + bottom + nl


def test_reset_in_a_latin1_declared_file_keeps_it_valid_python_in_that_encoding(ws):
    layers = ws / "layers.py"
    mine = _with_my_mul(ws).read_text(encoding="utf-8")
    head = "# -*- coding: latin-1 -*-\nGREETING = 'café'\n"
    layers.write_bytes((head + mine).encode("latin-1", "backslashreplace"))
    wsmod.reset(ws, "5.4.1")
    new = layers.read_bytes()
    assert new.startswith(head.encode("latin-1"))
    namespace = {}
    exec(compile(new, str(layers), "exec"), namespace)               # Python reads it as latin-1
    assert namespace["GREETING"] == "café"
    with pytest.raises(NotImplementedError, match="5.4.1 MulLayer.forward: not implemented yet — run"):
        namespace["MulLayer"]().forward(1.0, 2.0)


def test_reset_keeps_a_byte_order_mark(ws):
    layers = ws / "layers.py"
    pristine = layers.read_bytes()
    layers.write_bytes(b"\xef\xbb\xbf" + _with_my_mul(ws).read_bytes())
    wsmod.reset(ws, "5.4.1")
    assert layers.read_bytes() == b"\xef\xbb\xbf" + pristine


def test_reset_on_a_file_with_a_nul_byte_is_a_clear_refusal(ws):
    layers = _with_my_mul(ws)
    broken = layers.read_bytes() + b"\x00\n"
    layers.write_bytes(broken)
    with pytest.raises(wsmod.KataError, match="cannot be parsed|syntax error"):
        wsmod.reset(ws, "5.4.1")
    assert layers.read_bytes() == broken


def test_compare_reads_a_learner_file_with_a_latin1_byte(ws):
    layers = _with_my_mul(ws)
    layers.write_bytes(LATIN1_COMMENT + layers.read_bytes())
    state = wsmod.load_state(ws)
    state["statuses"] = {"5.4.1": "done"}
    wsmod.save_state(ws, state)
    lines = []
    assert compare.compare(ws, "5.4.1", out=lines.append) == 0
    assert "+        self.x, self.y = x, y  # mine" in lines


# --- watch's poll ----------------------------------------------------------------------------

def _editor_litter(ws):
    """What editors leave beside layers.py while it is open or after a save."""
    (ws / ".#layers.py").symlink_to("root@host.12345:1700000000")     # Emacs lock: a dangling link
    (ws / ".layers.py.swp").write_bytes(b"b0VIM 9.0")                  # vim swap
    (ws / "layers.py~").write_text("# backup\n")                       # Emacs/vim backup
    (ws / "#layers.py#").write_text("# autosave\n")                    # Emacs autosave
    (ws / ".hidden.py").write_text("# hidden\n")
    (ws / "folder.py").mkdir()
    os.mkfifo(ws / "fifo.py")
    (ws / "dangling.py").symlink_to(ws / "nowhere.py")


def test_snapshot_ignores_editor_lock_swap_and_backup_files(ws):
    regular = sorted(p for p in ws.rglob("*.py") if p.is_file() and ".kata" not in p.parts)
    _editor_litter(ws)
    (ws / "linked.py").symlink_to(ws / "layers.py")                    # a link to a real file: watched
    snap = runner.snapshot(ws)
    assert sorted(snap) == sorted(regular + [ws / "linked.py"])
    layers = ws / "layers.py"
    layers.write_text(layers.read_text() + "# saved\n")
    assert runner.snapshot(ws)[layers] != snap[layers]


def test_snapshot_sees_a_helper_module_in_a_sub_package_but_not_the_katas_own_folder(ws):
    helper = ws / "common" / "util.py"
    helper.parent.mkdir()
    helper.write_text("def double(x):\n    return 2 * x\n")
    (ws / ".kata" / "scratch.py").write_text("x = 1\n")
    snap = runner.snapshot(ws)
    assert helper in snap and ws / ".kata" / "scratch.py" not in snap
    helper.write_text("def double(x):\n    return x + x  # saved\n")
    assert runner.snapshot(ws)[helper] != snap[helper]  # watch re-checks when a helper is saved


def test_snapshot_survives_a_file_vanishing_between_listing_and_stat(ws, monkeypatch):
    real = os.listdir
    monkeypatch.setattr(os, "listdir", lambda path: real(path) + ["vanished.py"])
    assert ws / "vanished.py" not in runner.snapshot(ws)
    monkeypatch.setattr(os, "listdir", real)
    import shutil
    shutil.rmtree(ws)
    assert runner.snapshot(ws) == {}


_litter_names = st.lists(st.sampled_from([".#layers.py", ".layers.py.swp", "layers.py~", "#layers.py#",
                                          ".~lock.py", "4913", ".layers.py.un~", "x.py.tmp", "sub.py"]),
                         unique=True)


@EXAMPLES
@given(names=_litter_names, kinds=st.lists(st.sampled_from(["file", "dangling", "folder"]), min_size=9,
                                           max_size=9))
def test_snapshot_lists_exactly_the_visible_regular_py_files(tmp_path_factory, names, kinds):
    ws = tmp_path_factory.mktemp("ws")
    (ws / "layers.py").write_text("x = 1\n")
    for name, kind in zip(names, kinds):
        path = ws / name
        if kind == "file":
            path.write_text("litter\n")
        elif kind == "dangling":
            path.symlink_to(ws / "missing")
        else:
            path.mkdir()
    expected = [ws / "layers.py"] + ([ws / "sub.py"] if "sub.py" in names and kinds[names.index("sub.py")]
                                     == "file" else [])
    assert sorted(runner.snapshot(ws)) == sorted(expected)


def _tiny_suite(tmp_path):
    """A minimal root (pyproject, conftest, one passing 5.4.1 test, the kata package) and its workspace."""
    import textwrap
    root = tmp_path / "root"
    (root / "tests").mkdir(parents=True)
    (root / "kata").symlink_to(ROOT / "kata")
    (root / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text())
    (root / "tests" / "conftest.py").write_text((ROOT / "tests" / "conftest.py").read_text())
    (root / "tests" / "test_fake.py").write_text(textwrap.dedent('''
        import pytest
        import layers

        @pytest.mark.exercise("5.4.1")
        def test_one():
            assert layers.f() == 1
        '''))
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "layers.py").write_text("def f():\n    return 1\n")
    return root, ws


def test_watch_keeps_running_beside_an_emacs_lock_file(tmp_path):
    root, ws = _tiny_suite(tmp_path)
    (ws / ".#layers.py").symlink_to("root@host.1:1")
    lines = []
    started = time.time()
    assert runner.watch(ws, root, interval=0.05, max_runs=1, out=lines.append) == 0
    assert time.time() - started < 120
    assert any("Tested your files" in str(x) for x in lines)


def test_check_on_a_workspace_that_cannot_be_written_shows_the_verdict_and_warns_once(tmp_path, capsys):
    root, ws = _tiny_suite(tmp_path)
    (ws / wsmod.META).write_text("not a folder")      # a real OSError for every state/log write
    lines = []
    runner.check(ws, root, fast=True, out=lines.append)
    screen = "\n".join(map(str, lines))
    assert "5.4.1" in screen and "Tested your files" in screen
    assert capsys.readouterr().err.count("cannot write") == 1
    assert (ws / wsmod.META).read_text() == "not a folder"


def test_reset_in_an_exported_repository_writes_the_learner_s_own_files(tmp_path):
    root = tmp_path / "learner-repo"
    (root / "kata" / "pristine").mkdir(parents=True)
    (root / "kata" / "exported.json").write_text("{}")
    pristine, mine = _pristine_and_mine()
    (root / "kata" / "pristine" / "layers.py").write_bytes(pristine)
    (root / "layers.py").write_bytes(mine)
    wsmod.reset(root, "5.4.1", root=root)               # root IS the workspace there: not refused
    assert (root / "layers.py").read_bytes() == pristine
    assert [b.read_bytes() for b in wsmod.list_backups(root)] == [mine]


# --- a 0-byte file after a crash ---------------------------------------------------------------

def test_empty_learner_files_names_the_empty_and_zero_filled_modules(ws):
    assert wsmod.empty_learner_files(ws) == []
    (ws / "layers.py").write_bytes(b"")
    (ws / "functions.py").write_bytes(b"\x00" * 4096)     # what a crash leaves on some file systems
    (ws / "gradient.py").write_text("\n")                 # a blank module is the learner's choice
    (ws / "mnist.py").unlink()                             # missing: reported elsewhere
    (ws / "notes.py").write_bytes(b"")                     # not a kata module
    assert wsmod.empty_learner_files(ws) == [ws / "functions.py", ws / "layers.py"]


def test_empty_learner_file_message_points_to_make_restore():
    from kata.i18n import MESSAGES, t
    assert "make restore" in t("empty_learner_file", file="layers.py")
    en, ko, ja = MESSAGES["empty_learner_file"]
    assert "make restore" in ko and "make restore" in ja


NEW_KEYS = ("ws_symlink", "ws_not_regular", "ws_is_reference", "write_failed", "read_failed", "ws_unwritable",
            "state_unreadable", "state_invalid", "state_invalid_nocopy", "empty_learner_file")


@pytest.mark.parametrize("key", NEW_KEYS)
def test_every_new_message_has_korean_with_the_same_placeholders(key, monkeypatch):
    import string
    from kata.i18n import MESSAGES, t
    en, ko, ja = MESSAGES[key]
    fields = [{f for _, f, _, _ in string.Formatter().parse(text) if f} for text in (en, ko, ja)]
    assert fields[0] == fields[1] == fields[2] and ko != en and ja != en
    values = {f: f"<{f}>" for f in fields[0]}
    for code in ("ko", "ja"):
        monkeypatch.setenv("KATA_LANG", code)
        assert all(v in t(key, **values) for v in values.values()), code
