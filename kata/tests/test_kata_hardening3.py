"""Hardening round 3 (issue 22): the kata's processes and files.

Real processes, real signals, real files: a `python -m kata check` killed with SIGKILL while the
learner's code loops, a `hint` typed while a check runs, a run killed at its deadline, `watch` and
`graph` given what a learner gives them, and the messages of a few misleading cases.
"""
import ast
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from kata import runner, stubs
from kata import workspace as wsmod

import book_forms

ROOT = Path(__file__).resolve().parents[2]
POSIX = pytest.mark.skipif(os.name != "posix" or not Path("/proc").is_dir(),
                           reason="kill -9, process groups and /proc")


def _replace(ws, qualname, text, module="layers"):
    path = ws / f"{module}.py"
    path.write_text(stubs.replace_function(path.read_text(encoding="utf-8"), qualname, text), encoding="utf-8")


def _kata(ws, *args, env=None, **kw):
    return subprocess.Popen([sys.executable, "-m", "kata", "--workspace", str(ws), *args], cwd=ROOT,
                            env=dict(os.environ, **(env or {})), **kw)


# --- processes of a killed runner -----------------------------------------------------------

def _state(pid):
    """The kernel's state letter of a process, or None when it no longer exists."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
    except OSError:
        return None
    return stat[stat.rindex(b")") + 2:].split()[0].decode()


def _running(pid):
    return _state(pid) not in (None, "Z")


def _children_of(pid):
    out = set()
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat", "rb") as f:
                    stat = f.read()
                if int(stat[stat.rindex(b")") + 2:].split()[1]) == pid:
                    out.add(int(name))
            except (OSError, ValueError, IndexError):
                continue
    return out


def _descendants(pid):
    todo, out = [pid], set()
    while todo:
        for child in _children_of(todo.pop()):
            if child not in out:
                out.add(child)
                todo.append(child)
    return out


def _with_workspace(ws):
    """Running processes whose environment names this workspace (the runs and what they started)."""
    marker = f"KATA_WORKSPACE={Path(ws).resolve()}".encode()
    found = set()
    for name in os.listdir("/proc"):
        if name.isdigit() and int(name) != os.getpid():
            try:
                with open(f"/proc/{name}/environ", "rb") as f:
                    if marker in f.read().split(b"\0") and _running(int(name)):
                        found.add(int(name))
            except OSError:
                continue
    return found


def _wait_for(predicate, timeout):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    return predicate()


def _end_leftovers(pids, ws):
    """A failing test must not leave its processes running: kill what is left, by pid."""
    for pid in set(pids) | _with_workspace(ws):
        if _running(pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


def _run_folders(pid):
    return sorted(Path(tempfile.gettempdir()).glob(f"{runner.RUN_PREFIX}{pid}-*"))


# A loop that never gives the GIL back (C code from start to end): no thread of the run's own
# process ever runs again, so only another process can end the run.
GIL_LOOP_AT_IMPORT = "\nimport itertools\n_spin = sum(itertools.count())\n"
PY_LOOP = ("    def backward(self, dout):\n        dx = 0\n        while True:\n            dx += 1\n"
           "        return dx, dx\n")
SLEEP = "    def backward(self, dout):\n        import time\n        time.sleep(3600)\n        return dout, dout\n"


def _learner_loops(ws, how):
    if how == "gil-held loop at import":
        path = ws / "layers.py"
        path.write_text(path.read_text(encoding="utf-8") + GIL_LOOP_AT_IMPORT, encoding="utf-8")
    elif how == "python loop in backward":
        _replace(ws, "MulLayer.backward", PY_LOOP)
    else:
        _replace(ws, "MulLayer.backward", SLEEP)


@POSIX
@pytest.mark.parametrize("how", ["gil-held loop at import", "python loop in backward", "sleep in backward"])
def test_kill_9_of_a_check_ends_its_run_and_the_next_check_removes_its_folder(tmp_path, how):
    ws = book_forms.write_book_workspace(tmp_path / "ws")
    good = (ws / "layers.py").read_bytes()
    _learner_loops(ws, how)
    # long budgets: nothing but the runner's death may end this run
    proc = _kata(ws, "check", "5.4.1", env={"KATA_TIMEOUT": "300", "KATA_DEADLINE": "600"},
                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert _wait_for(lambda: _with_workspace(ws), 60), "the check never started its test process"
        time.sleep(3)  # inside the learner's code by now (collection, buy_apple.py, the layer tests)
        run = _descendants(proc.pid)
        assert run and _run_folders(proc.pid)
    finally:
        proc.kill()  # kill -9: the runner has no chance to clean up
        proc.wait()
    left = _wait_for(lambda: not ({p for p in run if _running(p)} | _with_workspace(ws)), 5)
    still = sorted({p for p in run if _running(p)} | _with_workspace(ws))
    _end_leftovers(run, ws)
    assert left, f"still running 5 s after kill -9: {still}"
    folders = _run_folders(proc.pid)
    assert folders, "the killed run's folder is the case the next check must clean"
    (ws / "layers.py").write_bytes(good)
    nxt = _kata(ws, "check", "5.4.1", stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out, _ = nxt.communicate(timeout=120)
    assert nxt.returncode == 0, out
    assert not any(f.exists() for f in folders), folders
    assert _run_folders(nxt.pid) == []  # and its own folder is gone when it ends


@POSIX
@pytest.mark.skipif(not runner.Worker.available(), reason="the warm worker needs os.fork")
def test_kill_9_of_watch_ends_its_worker_and_the_run_in_progress(tmp_path):
    ws = book_forms.write_book_workspace(tmp_path / "ws")
    _learner_loops(ws, "python loop in backward")
    proc = _kata(ws, "watch", env={"KATA_TIMEOUT": "300", "KATA_DEADLINE": "600"},
                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert _wait_for(lambda: _with_workspace(ws), 90), "watch never started a run"
        time.sleep(2)
        run = _descendants(proc.pid)
        assert len(run) >= 2  # the worker and its forked run (and buy_apple.py, the reaper)
    finally:
        proc.kill()
        proc.wait()
    left = _wait_for(lambda: not ({p for p in run if _running(p)} | _with_workspace(ws)), 5)
    still = sorted({p for p in run if _running(p)} | _with_workspace(ws))
    _end_leftovers(run, ws)
    assert left, f"still running 5 s after kill -9 of watch: {still}"


_RUN_WITH_A_REAPER = """
import os, sys, time
sys.path.insert(0, sys.argv[1])
from kata import pytest_plugin
pytest_plugin.PARENT_POLL = 60  # the reaper would notice the run's end only a minute later
os.dup(1)                       # as pytest's capture does: a second descriptor of the runner's pipe
pytest_plugin._end_with_parent(os.getppid())
print("started", flush=True)
os._exit(0)                     # the run ends
"""


@POSIX
def test_the_reaper_holds_no_descriptor_of_the_runs_output(tmp_path):
    """The runner reads the run's output to its end: a reaper holding a copy of that pipe would make
    every check wait for the reaper's next look (0.25 s) after the tests are done."""
    proc = subprocess.Popen([sys.executable, "-c", _RUN_WITH_A_REAPER, str(ROOT)], stdout=subprocess.PIPE,
                            text=True, start_new_session=True)
    try:
        start = time.monotonic()
        out, _ = proc.communicate(timeout=120)
        took = time.monotonic() - start
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # the reaper, still asleep in its group
        except OSError:
            pass
    assert out == "started\n" and proc.returncode == 0
    assert took < 10, f"the output's end came {took:.1f} s after the run ended: the reaper held the pipe"


def test_stale_run_folders_of_dead_runners_are_removed_and_live_ones_kept(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    gone = tmp_path / f"{runner.RUN_PREFIX}{dead.pid}-abc"
    mine = tmp_path / f"{runner.RUN_PREFIX}{os.getpid()}-def"
    other = tmp_path / "kata-run-notapid-x"
    unrelated = tmp_path / f"tmp{dead.pid}"
    for folder in (gone, mine, other, unrelated):
        folder.mkdir()
        (folder / "report.json").write_text("{}")
    link = tmp_path / f"{runner.RUN_PREFIX}{dead.pid}-link"
    link.symlink_to(unrelated)
    runner.remove_stale_run_folders(tmp_path)
    assert not gone.exists()
    assert mine.exists() and other.exists() and unrelated.exists() and (unrelated / "report.json").exists()
    assert link.is_symlink()  # a link is never followed into what it points to


# --- the state: a hint during a check ---------------------------------------------------------

WAIT_FOR_FLAG = '''    def backward(self, dout):
        import os, time
        open({started!r}, "a").close()
        while not os.path.exists({flag!r}):
            time.sleep(0.05)
        dx = dout * self.y
        dy = dout * self.x
        return dx, dy
'''


def test_a_hint_typed_while_a_check_runs_keeps_its_level_and_the_check_its_verdicts(tmp_path):
    ws = book_forms.write_book_workspace(tmp_path / "ws")
    started, flag = tmp_path / "started", tmp_path / "go"
    _replace(ws, "MulLayer.backward", WAIT_FOR_FLAG.format(started=str(started), flag=str(flag)))
    check = _kata(ws, "check", "5.4.1", stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert _wait_for(started.exists, 90), "the check never reached the learner's backward"
        hint = subprocess.run([sys.executable, "-m", "kata", "--workspace", str(ws), "hint", "5.4.1"], cwd=ROOT,
                              capture_output=True, text=True, timeout=60)
        assert hint.returncode == 0 and "1/3" in hint.stdout, hint.stdout + hint.stderr
        assert wsmod.load_state(ws)["hints"]["5.4.1"] == 1
    finally:
        flag.touch()
    out, _ = check.communicate(timeout=120)
    assert check.returncode == 0, out
    state = wsmod.load_state(ws)
    assert state["hints"]["5.4.1"] == 1, state          # the check's save kept the hint's level
    assert state["statuses"]["5.4.1"] == "done", state  # and the hint's save did not drop the verdict
    again = subprocess.run([sys.executable, "-m", "kata", "--workspace", str(ws), "hint", "5.4.1"], cwd=ROOT,
                           capture_output=True, text=True, timeout=60)
    assert "2/3" in again.stdout, again.stdout + again.stderr


def test_two_read_modify_writes_that_overlap_both_land(ws, monkeypatch):
    """Two commands read the state at the same moment: without the lock the second save drops the
    first one's change (a barrier makes them overlap, so this fails every time without it)."""
    import threading
    barrier = threading.Barrier(2)
    real = wsmod.load_state

    def slow_load(w):
        state = real(w)
        try:
            barrier.wait(timeout=1.5)  # the other thread reads too, unless the lock keeps it waiting
        except threading.BrokenBarrierError:
            pass
        return state

    monkeypatch.setattr(wsmod, "load_state", slow_load)

    def hint(ex_id):
        wsmod.update_state(ws, lambda s: s.setdefault("hints", {}).__setitem__(ex_id, 1))
    threads = [threading.Thread(target=hint, args=(ex_id,)) for ex_id in ("5.4.1", "5.5.2")]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    monkeypatch.setattr(wsmod, "load_state", real)
    assert wsmod.load_state(ws)["hints"] == {"5.4.1": 1, "5.5.2": 1}


# --- a run killed at its deadline (under load) ------------------------------------------------

# loops in the test process only: buy_apple_orange.py (a script a test runs) gets its answer
ADD_ENDLESS = ("    def backward(self, dout):\n        import sys\n"
               "        while 'buy_apple' not in sys.argv[0]:\n            dout = dout + 0\n"
               "        return dout, dout\n")


@pytest.mark.parametrize("warm", [False, True], ids=["fresh process", "warm worker"])
def test_a_run_killed_at_its_deadline_is_a_timeout_of_the_running_exercise_and_keeps_the_others(
        tmp_path, monkeypatch, warm):
    """The per-test budget (KATA_TIMEOUT) is far away, so only the whole run's deadline ends the
    loop: as under load, where a run was killed (-9) and the screen was "pytest did not run"."""
    if warm and not runner.Worker.available():
        pytest.skip("the warm worker needs os.fork")
    ws = book_forms.write_book_workspace(tmp_path / "ws", exercises=["5.4.1", "5.4.2"])
    _replace(ws, "AddLayer.backward", ADD_ENDLESS)
    monkeypatch.setenv("KATA_TIMEOUT", "300")
    monkeypatch.setenv("KATA_DEADLINE", "12")
    screen, worker = [], runner.Worker() if warm else None
    try:
        code = runner.check(ws, fast=True, only=["5.4.2"], out=screen.append, worker=worker)
    finally:
        if worker is not None:
            worker.stop()
    shown = "\n".join(screen)
    assert code == 1, shown
    assert "5.4.1" in shown and "— done" in shown, shown               # finished before: kept
    assert "⏱ 5.4.2" in shown and "timed out after 12 s" in shown, shown  # the running one
    assert "pytest did not run" not in shown
    lines = (ws / "layers.py").read_text(encoding="utf-8").splitlines()
    loop = {i for i, text in enumerate(lines, 1) if text.strip() in (
        "while 'buy_apple' not in sys.argv[0]:", "dout = dout + 0")}
    assert any(f"layers.py:{n}" in shown for n in loop), shown          # where the loop was
    state = wsmod.load_state(ws)
    assert state["statuses"]["5.4.1"] == "done" and state["statuses"]["5.4.2"] == "timeout", state
    assert state["current"] == "5.4.2"


def test_a_run_killed_by_a_signal_with_no_report_is_salvaged_from_its_progress(tmp_path):
    ws = tmp_path / "ws"
    ws.mkdir()
    progress = tmp_path / "progress.jsonl"
    done = {"nodeid": "t::a", "outcome": "passed", "kind": "passed", "message": "", "location": None,
            "exercises": ["5.4.1"], "note": None, "slow": False, "when": "call", "duration": 0.1}
    progress.write_text("\n".join([
        json.dumps({"start": "t::a", "exercises": ["5.4.1"], "note": None, "slow": False, "modules": {},
                    "time": time.time() - 30}),
        json.dumps({"record": done}),
        json.dumps({"start": "t::b", "exercises": ["5.4.2"], "note": None, "slow": False,
                    "modules": {"layers": str(ws / "layers.py")}, "time": time.time() - 20}),
        '{"record": {"nodeid": "t::b", "outc',  # cut by the kill
    ]) + "\n")
    data = runner.salvage_report(progress, tmp_path / "no-dump.txt", ws)
    assert [r["nodeid"] for r in data["results"]] == ["t::a", "t::b"]
    late = data["results"][1]
    assert late["kind"] == "timeout" and late["exercises"] == ["5.4.2"] and 19 <= float(late["message"]) <= 60
    assert data["modules"] == {"layers": str(ws / "layers.py")}
    statuses = runner.statuses(data, ["5.4.2"])
    assert statuses["5.4.1"]["status"] == "done" and statuses["5.4.2"]["status"] == "timeout"
    progress.write_text("")  # killed before any test started: nothing to salvage
    assert runner.salvage_report(progress, tmp_path / "no-dump.txt", ws) is None
    assert runner.salvage_report(tmp_path / "missing.jsonl", tmp_path / "no-dump.txt", ws) is None


# --- hangs and busy loops -----------------------------------------------------------------------

def test_graph_of_a_layer_that_loops_forever_stops_at_its_deadline_naming_the_layer(tmp_path):
    ws = book_forms.write_book_workspace(tmp_path / "ws")
    _replace(ws, "AddLayer.backward", "    def backward(self, dout):\n        while True:\n            pass\n")
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "kata", "--workspace", str(ws), "graph", "5.4.2", "--no-png"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env=dict(os.environ, KATA_GRAPH_DEADLINE="4"))
    took = time.monotonic() - start
    assert done.returncode == 1 and took < 30, (done, took)
    lines = (ws / "layers.py").read_text(encoding="utf-8").splitlines()
    loop = [i for i, text in enumerate(lines, 1) if text.strip() in ("while True:", "pass")
            and i > stubs.function_text("\n".join(lines), "AddLayer.backward")[0]][:2]
    assert "stopped after 4 s in your AddLayer.backward (layers.py:" in done.stderr, done.stderr
    assert any(f"layers.py:{n}, exercise 5.4.2)" in done.stderr for n in loop), done.stderr
    assert "Traceback" not in done.stderr


def test_graph_of_working_layers_still_draws_within_the_deadline(ws):
    done = subprocess.run([sys.executable, "-m", "kata", "--workspace", str(ws), "graph", "5.4.1", "--no-png"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, KATA_GRAPH_DEADLINE="60"))
    assert done.returncode == 0, done.stderr
    assert (ws / ".kata" / "graphs" / "graph-5.4.1.svg").exists() and "graph-5.4.1.svg" in done.stdout


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "-inf", "0.001", "abc", ""])
def test_watch_refuses_an_interval_that_is_not_a_sensible_number_of_seconds(ws, value):
    done = subprocess.run([sys.executable, "-m", "kata", "--workspace", str(ws), "watch", f"--interval={value}"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done
    assert f"'{value}' is not a number of seconds of at least 0.05" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and "watching" not in done.stdout.lower()


@pytest.mark.parametrize("value", [0, -1, float("nan"), float("inf")])
def test_watch_called_directly_refuses_them_too(ws, value):
    with pytest.raises(wsmod.KataError, match="is not a number of seconds"):
        runner.watch(ws, interval=value, max_runs=1, out=lambda *a: None, warm=False)


def test_watch_accepts_the_minimum_interval(ws):
    from kata.__main__ import parse
    assert parse(["watch", "--interval", "0.05"]).interval == 0.05
    assert parse(["watch", "--interval", "2"]).interval == 2.0


# --- misleading messages ------------------------------------------------------------------------

def _indented_with(text, unit):
    """`text` (4 spaces a level) re-indented with `unit` a level ("\t", "  ")."""
    out = []
    for line in text.splitlines(keepends=True):
        n = len(line) - len(line.lstrip(" "))
        out.append(unit * (n // 4) + " " * (n % 4) + line[n:])
    return "".join(out)


@pytest.mark.parametrize("unit", ["\t", "  "], ids=["tabs", "two spaces"])
def test_reset_of_a_file_indented_with_tabs_or_two_spaces_puts_the_stubs_back(tmp_path, unit):
    ws = book_forms.write_book_workspace(tmp_path / "ws")
    path = ws / "layers.py"
    mine = _indented_with(path.read_text(encoding="utf-8"), unit)
    path.write_text(mine, encoding="utf-8")
    compile(mine, str(path), "exec")  # a valid file, as the learner's editor saved it
    for ex_id in ("5.4.1", "5.5.1", "5.6.3"):
        lines = wsmod.reset(ws, ex_id)
        assert any("Restored the stubs of " + ex_id in line for line in lines), lines
        now = path.read_text(encoding="utf-8")
        compile(now, str(path), "exec")  # still Python after each reset
    now = path.read_text(encoding="utf-8")
    tree = stubs.parse(now)
    for qualname in ("MulLayer.forward", "MulLayer.backward", "Relu.forward", "Relu.backward",
                     "SoftmaxWithLoss.forward", "SoftmaxWithLoss.backward"):
        func = stubs.find_function(tree, qualname)  # a method of its class, not nested in another one
        assert func is not None and func.col_offset == len(unit), qualname
        last = func.body[-1]
        assert isinstance(last, ast.Raise) and "not implemented yet" in ast.unparse(last), qualname
        assert now.splitlines()[last.lineno - 1].startswith(unit * 2 + "raise"), qualname
    # the other exercises' code is kept as the learner wrote it
    add = stubs.function_text(mine, "AddLayer.backward")[2]
    assert add in now
    assert len(wsmod.list_backups(ws)) == 3


def test_a_layers_py_that_exits_at_import_says_so_with_its_line(tmp_path):
    ws = book_forms.write_book_workspace(tmp_path / "ws")
    path = ws / "layers.py"
    text = path.read_text(encoding="utf-8")
    for call in ("sys.exit()", "exit(3)", "raise SystemExit('bye')"):
        path.write_text(text + f"\nimport sys\n{call}\n", encoding="utf-8")
        line = len((text + "\nimport sys\n").splitlines()) + 1
        screen = []
        code = runner.check(ws, fast=True, only=["5.4.1"], out=screen.append)
        shown = "\n".join(screen)
        assert code == 1, shown
        assert f"layers.py ended the program while it was imported ({call} on line {line})" in shown, shown
        assert f'File "{path.resolve()}", line {line}' in shown, shown
        assert "5.4.1  MulLayer: multiplication node — not checked yet" not in shown, shown
        assert "Your code does not import" in shown


def test_the_exit_at_import_message_is_translated():
    from test_i18n_diagnoses import english_sentences
    from kata.catalog.diagnoses import translate
    line = ("layers.py ended the program while it was imported (sys.exit() on line 180): the tests cannot use it; "
            'remove the call, or put it under `if __name__ == "__main__":`')
    for code in ("ko", "ja"):
        shown = translate(line, code)
        assert shown != line and "sys.exit()" in shown and "180" in shown and "layers.py" in shown
        assert english_sentences(shown) == [], (code, shown)


def test_a_syntax_error_in_the_workspace_file_is_not_blamed_on_the_notebook_cell(ws):
    from kata import notebook
    from test_notebook import MUL_BOOK
    path = ws / "layers.py"
    before = path.read_text(encoding="utf-8") + "\ndef broken(:\n    pass\n"
    path.write_text(before, encoding="utf-8")
    line = len(before.splitlines()) - 1
    with pytest.raises(notebook.NotebookError) as info:
        notebook.sync_from_history(ws, "5.4.1", [MUL_BOOK])
    said = str(info.value)
    assert f"Your workspace file {path} does not parse (line {line}" in said, said
    assert "not in your cell" in said and "Your cell for" not in said
    assert path.read_text(encoding="utf-8") == before and wsmod.list_backups(ws) == []
    # a cell that does not parse is still the cell's fault
    with pytest.raises(notebook.NotebookError, match="Your cell for 5.4.1 does not parse"):
        notebook.sync_from_history(ws, "5.4.1", [MUL_BOOK.replace("def backward(self, dout):",
                                                                  "def backward(self, dout:")])


def test_a_cell_defining_backward_twice_copies_the_last_definition_as_python_runs_it(tmp_path):
    from kata import notebook
    from test_notebook import MUL_BOOK, MUL_NO_SWAP
    ws = book_forms.write_book_workspace(tmp_path / "ws", exercises=[])
    right = MUL_BOOK.split("    def backward")[1]
    wrong = MUL_NO_SWAP.split("    def backward")[1]
    cell = MUL_BOOK.rstrip("\n") + "\n\n    def backward" + wrong   # right first, wrong last
    namespace = {}
    exec(cell, namespace)  # what the notebook runs: the last def
    layer = namespace["MulLayer"]()
    layer.forward(2.0, 3.0)
    assert layer.backward(1.0) == (2.0, 3.0)  # x and y not swapped: the wrong, last one runs
    notebook.sync_from_history(ws, "5.4.1", [cell])
    copied = stubs.function_text((ws / "layers.py").read_text(encoding="utf-8"), "MulLayer.backward")[2]
    assert "dx = dout * self.x" in copied and "dx = dout * self.y" not in copied  # the last one
    screen = notebook.check("5.4.1", history=[cell], ws=ws)
    assert "5.4.1  MulLayer: multiplication node — wrong" in screen.text, screen.text
    cell = MUL_NO_SWAP.rstrip("\n") + "\n\n    def backward" + right   # wrong first, right last
    screen = notebook.check("5.4.1", history=[cell], ws=ws)
    assert "5.4.1  MulLayer: multiplication node — done" in screen.text, screen.text


_SIGNAL_DURING_RESET = r"""
import os, signal, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from kata import fsutil, __main__ as cli
ws, when = Path(sys.argv[2]).resolve(), sys.argv[3]
real_fsync_dir, real_replace = fsutil.fsync_dir, fsutil._replace

def fsync_dir(folder):  # right after the learner file's rename: the new file is in place
    if when == "after-rename" and Path(folder).resolve() == ws:
        os.kill(os.getpid(), signal.SIGTERM)
    return real_fsync_dir(folder)

def replace(tmp, path):  # just before the rename: nothing of the learner's has changed
    if when == "before-rename" and Path(path).resolve() == ws / "layers.py":  # not the backup's copy
        os.kill(os.getpid(), signal.SIGTERM)
    return real_replace(tmp, path)

fsutil.fsync_dir, fsutil._replace = fsync_dir, replace
sys.exit(cli.main(["--workspace", str(ws), "reset", "5.4.1"]))
"""


@POSIX
@pytest.mark.parametrize("when", ["after-rename", "before-rename"])
def test_sigterm_during_a_reset_says_what_is_true(ws, when):
    path = ws / "layers.py"
    from test_kata_workspace import MY_MUL_FORWARD
    path.write_text(stubs.replace_function(path.read_text(), "MulLayer.forward", MY_MUL_FORWARD))
    mine = path.read_bytes()
    done = subprocess.run([sys.executable, "-c", _SIGNAL_DURING_RESET, str(ROOT), str(ws), when], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 128 + signal.SIGTERM, done
    assert "Traceback" not in done.stderr
    assert len(wsmod.list_backups(ws)) == 1 and wsmod.list_backups(ws)[0].read_bytes() == mine
    assert not [p for p in ws.rglob("*.tmp")]
    if when == "after-rename":
        assert path.read_bytes() != mine and b"MulLayer.forward: not implemented yet" in path.read_bytes()
        assert done.stderr.strip() == (f"Stopped (SIGTERM) after {path} had been saved: the new version is in "
                                       "place (`python -m kata restore` lists the backups of earlier versions)."), done
        assert "nothing was changed" not in done.stderr
    else:
        assert path.read_bytes() == mine
        assert done.stderr.strip() == "Stopped (SIGTERM): nothing was changed.", done


@POSIX
@pytest.mark.parametrize("command", ["check", "watch"])
@pytest.mark.parametrize("sig", ["SIGTERM", "SIGHUP"])
def test_sigterm_or_sighup_ends_a_check_or_watch_and_its_run_with_one_line(tmp_path, command, sig):
    ws = book_forms.write_book_workspace(tmp_path / "ws")
    _learner_loops(ws, "gil-held loop at import")
    args = ("check", "5.4.1") if command == "check" else ("watch",)
    proc = _kata(ws, *args, env={"KATA_TIMEOUT": "300", "KATA_DEADLINE": "600"},
                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # watch's run is a fork of its worker: its environment in /proc is the worker's, so count
        # the processes instead (the worker, its forked run and that run's reaper)
        started = (lambda: _with_workspace(ws)) if command == "check" else (lambda: len(_descendants(proc.pid)) >= 3)
        assert _wait_for(started, 90)
        time.sleep(2)
        run = _descendants(proc.pid)
        proc.send_signal(getattr(signal, sig))
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 128 + getattr(signal, sig), (out, err)
    assert err.strip() == f"Stopped ({sig}): nothing was changed.", err
    gone = _wait_for(lambda: not ({p for p in run if _running(p)} | _with_workspace(ws)), 5)
    _end_leftovers(run, ws)
    assert gone
    assert _run_folders(proc.pid) == []  # a stop by a signal cleans its own folder


@POSIX
def test_a_run_killed_from_outside_with_sigkill_is_a_timeout_not_pytest_did_not_run(tmp_path, monkeypatch):
    """Under load the test process was once killed (exit -9) before any deadline: the screen was
    "pytest did not run (exit -9)" and nothing was saved. The running exercise is timed out now."""
    import threading
    ws = book_forms.write_book_workspace(tmp_path / "ws", exercises=["5.4.1", "5.4.2"])
    _replace(ws, "AddLayer.backward", ADD_ENDLESS)
    monkeypatch.setenv("KATA_TIMEOUT", "300")
    monkeypatch.setenv("KATA_DEADLINE", "300")
    killed = []

    def kill_the_run():
        end = time.monotonic() + 120
        while time.monotonic() < end and not killed:
            for pid in _with_workspace(ws):
                try:
                    with open(f"/proc/{pid}/cmdline", "rb") as f:
                        cmd = f.read()
                    with open(f"/proc/{pid}/environ", "rb") as f:
                        only = b"KATA_ONLY=5.4.1,5.4.2" in f.read().split(b"\0")
                except OSError:
                    continue
                if b"pytest" in cmd and only:
                    time.sleep(4)  # inside 5.4.2's loop by then (5.4.1's tests take well under that)
                    os.kill(pid, signal.SIGKILL)
                    killed.append(pid)
                    return
            time.sleep(0.1)

    killer = threading.Thread(target=kill_the_run)
    killer.start()
    screen = []
    try:
        code = runner.check(ws, fast=True, only=["5.4.2"], out=screen.append)
    finally:
        killer.join()
    shown = "\n".join(screen)
    assert killed and code == 1, shown
    assert "pytest did not run" not in shown
    assert "⏱ 5.4.2" in shown and "timed out after" in shown, shown
    assert wsmod.load_state(ws)["statuses"]["5.4.2"] == "timeout"


@POSIX
def test_concurrent_hints_from_processes_each_count(ws):
    """Three learners' terminals (or a double-click) asking for a hint at once: three levels."""
    procs = [subprocess.Popen([sys.executable, "-m", "kata", "--workspace", str(ws), "hint", ex_id], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for ex_id in ("5.4.1", "5.4.1", "5.4.1", "5.5.2", "5.6.2")]
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
    assert wsmod.load_state(ws)["hints"] == {"5.4.1": 3, "5.5.2": 1, "5.6.2": 1}
