"""The kata's own speed: how long a learner waits for a verdict (`make bench-kata`).

Rows (group "kata"), each a real process as a learner starts it:
- floor: `python -c "import pytest"` in the same run, the least any pytest-based check costs;
- `make check` on a fresh workspace (5.4.1 not started), a half-done one (5.4.1-5.6.2 done and
  remembered, 4.2 not started) and a finished one whose verdicts are all remembered;
- `make check` on a finished workspace after a save that changes nothing Python runs (a comment,
  a blank line and trailing spaces inside TwoLayerNet.gradient: every verdict still holds), and
  after a real edit inside Relu.backward (5.5.1 and its dependents 5.7.2-5.7.4 run again, the
  MNIST training included; the other seven stay remembered);
- `make watch`: the time from saving a file to the verdict's progress line on the screen
  (a warm worker; polling every 0.1 s is part of it), on a fresh workspace (5.4.1 not started)
  and after a save inside a done exercise's function (5.4.2, 5.5.2, 5.6.3, 5.7.2: its fast tests all
  run and pass; the screen shows its verdict while the next exercise's run follows);
- the notebook: `%kata check 5.4.1` in a running kernel, cell to verdict, beside `make check EX=5.4.1`.
`make test` runs each once (smoke); `make bench-kata` times them.
"""
import os
import queue
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "kata" / "tests"))
import book_forms  # noqa: E402 (the book's code: what a learner who is done has typed)

from kata import fsutil, stubs, verdicts  # noqa: E402
from kata.manifest import BY_ID, EXERCISES  # noqa: E402


pytestmark = pytest.mark.benchmark(group="kata", min_rounds=5, warmup=False)
HALF = ("5.4.1", "5.4.2", "5.5.1", "5.5.2", "5.6.2")


def _rounds(smoke):
    return dict(rounds=1 if smoke else 7, iterations=1, warmup_rounds=0 if smoke else 1)


def _make_check(ws):
    subprocess.run(["make", "-s", "--no-print-directory", "check", f"WS={ws}"], cwd=ROOT,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)


def _workspace(path, done=()):
    """A workspace whose exercises `done` hold the book's code and the others their stubs."""
    return book_forms.write_book_workspace(path, exercises=done)


def test_floor_import_pytest(benchmark, smoke):
    benchmark.pedantic(lambda: subprocess.run([sys.executable, "-c", "import pytest"], check=True),
                       **_rounds(smoke))


def test_check_fresh_workspace(benchmark, smoke, tmp_path):
    ws = _workspace(tmp_path / "fresh")
    benchmark.pedantic(_make_check, args=(ws,), **_rounds(smoke))


def test_check_half_done_workspace(benchmark, smoke, tmp_path):
    ws = _workspace(tmp_path / "half", done=HALF)
    _make_check(ws)  # the first check remembers 5.4.1-5.6.2; the timed ones run only 4.2
    benchmark.pedantic(_make_check, args=(ws,), **_rounds(smoke))


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    """A finished workspace whose every verdict is remembered (slow tests included), made once:
    each row works on a copy (the verdicts are keyed on the files' contents, not on their place)."""
    ws = book_forms.write_book_workspace(tmp_path_factory.mktemp("finished") / "done")
    _make_check(ws)
    remembered = verdicts.load(ws)
    assert all(remembered.get(ex.id, {}).get("full") for ex in EXERCISES), remembered
    return ws


def _copy(ws, dest):
    shutil.copytree(ws, dest, symlinks=True)
    return dest


def test_check_finished_workspace_remembered(benchmark, smoke, tmp_path, finished):
    ws = _copy(finished, tmp_path / "done")
    benchmark.pedantic(_make_check, args=(ws,), **_rounds(smoke))


def _edit_rounds(smoke):
    """Each round of these rows is a save and a whole `make check`: the Relu row trains on MNIST."""
    return dict(rounds=1, iterations=1, warmup_rounds=0) if smoke else dict(rounds=5, iterations=1, warmup_rounds=0)


def _comment_and_whitespace_edit(ws, target, n):
    """A save that changes no statement: a comment line, a blank line with trailing spaces, and
    trailing spaces after the def line of `target` ("module:Qualname")."""
    module, qualname = target.split(":")
    path = ws / f"{module}.py"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    func = stubs.find_function(stubs.parse("".join(lines)), qualname)
    indent = " " * func.body[0].col_offset
    lines[func.lineno - 1] = lines[func.lineno - 1].rstrip("\n") + " " * (n % 3 + 1) + "\n"
    lines.insert(func.body[0].lineno - 1, f"{indent}# note {n}: why this loop runs backwards\n{indent}   \n")
    fsutil.write_text_atomic(path, "".join(lines))


def test_check_after_a_comment_edit_in_two_layer_net(benchmark, smoke, tmp_path, finished):
    """A finished workspace, then comments and whitespace saved inside TwoLayerNet.gradient: the
    verdicts all still hold (nothing Python runs changed), so no test runs."""
    ws = _copy(finished, tmp_path / "done")
    log = ws / ".kata" / "last-run.log"
    ran_last = log.stat().st_mtime_ns
    counter = iter(range(10**6))
    benchmark.pedantic(_make_check, args=(ws,),
                       setup=lambda: _comment_and_whitespace_edit(ws, "two_layer_net:TwoLayerNet.gradient",
                                                                  next(counter)),
                       **_edit_rounds(smoke))
    assert log.stat().st_mtime_ns == ran_last, "a test ran: the log of the last run was written"


def test_check_after_an_edit_inside_relu_backward(benchmark, smoke, tmp_path, finished):
    """A finished workspace, then a statement added inside Relu.backward: 5.5.1 and the exercises
    that build on it (5.7.2, 5.7.3, 5.7.4 with its MNIST training) run again, nothing else."""
    ws = _copy(finished, tmp_path / "done")
    counter = iter(range(10**6))
    benchmark.pedantic(_make_check, args=(ws,),
                       setup=lambda: _edit_inside(ws, "layers:Relu.backward", next(counter)),
                       **_edit_rounds(smoke))


def _read_until(lines, needle, timeout):
    """Take lines (a queue filled from the process's stdout) until one contains `needle`."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            line = lines.get(timeout=max(0.01, end - time.monotonic()))
        except queue.Empty:
            return False
        if line is None:
            return False
        if needle in line:
            return True
    return False


class _Watch:
    """`python -m kata watch` on a workspace, its screen read line by line from a thread."""

    def __init__(self, ws):
        self.ws = ws
        self.proc = subprocess.Popen([sys.executable, "-m", "kata", "--workspace", str(ws), "--lang", "en", "watch"],
                                     cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                     encoding="utf-8", bufsize=1, start_new_session=True)
        self.lines = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self):  # a thread: select() on a buffered text pipe would miss lines already read
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def until(self, needle, timeout):
        return _read_until(self.lines, needle, timeout)

    def stop(self):
        os.killpg(self.proc.pid, 9)
        self.proc.wait()


def _edit_inside(ws, target, n):
    """A learner's save inside the function `target` ("module:Qualname"): a statement that changes
    nothing it computes (`_save = n`) before its first one, so its exercise's verdict no longer
    holds and is checked again (a comment would not do: the verdicts are keyed on the code, not
    on its text)."""
    module, qualname = target.split(":")
    path = ws / f"{module}.py"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    func = stubs.find_function(stubs.parse("".join(lines)), qualname)
    indent = " " * func.body[0].col_offset
    lines.insert(func.body[0].lineno - 1, f"{indent}_save = {n}\n")
    fsutil.write_text_atomic(path, "".join(lines))


@pytest.mark.skipif(os.name != "posix", reason="the warm worker needs os.fork")
def test_watch_save_to_verdict(benchmark, smoke, tmp_path):
    """A fresh workspace: each save re-runs 5.4.1, not started."""
    watch = _Watch(_workspace(tmp_path / "watched"))
    try:
        assert watch.until("/11 ", 120), "watch showed no first screen"
        layers = watch.ws / "layers.py"
        counter = iter(range(10**6))

        def save_and_wait():
            with open(layers, "a", encoding="utf-8") as f:
                f.write(f"# save {next(counter)}\n")
            assert watch.until("/11 ", 60), "no verdict after the save"

        benchmark.pedantic(save_and_wait, **_rounds(smoke))
    finally:
        watch.stop()


# An exercise the learner has just got right, early, mid-chapter and late: every exercise
# before it done (and remembered), the next one a stub. Smoke mode (make test) runs one.
DONE_SAVES = ("5.4.2", "5.5.2", "5.6.3", "5.7.2")


@pytest.mark.skipif(os.name != "posix", reason="the warm worker needs os.fork")
@pytest.mark.parametrize("ex_id", DONE_SAVES)
def test_watch_save_to_verdict_done(benchmark, smoke, tmp_path, ex_id):
    """A save inside a done exercise's function: from the save to its verdict on the screen (the
    exercise's fast tests, all passing; the next exercise's run follows and is not timed here)."""
    if smoke and ex_id != DONE_SAVES[0]:
        pytest.skip("smoke mode (make test) times one done-save row; make bench-kata times them all")
    order = [ex.id for ex in EXERCISES]
    watch = _Watch(_workspace(tmp_path / "watched", done=order[:order.index(ex_id) + 1]))
    try:
        assert watch.until("Full pytest output", 300), "watch showed no first screen"
        counter = iter(range(10**6))
        pending = []

        def drain():  # untimed: the previous save's final screen (the next exercise's run)
            if pending:
                assert watch.until("Full pytest output", 120), "no final screen after the save"
                pending.clear()

        def save_and_wait():
            _edit_inside(watch.ws, BY_ID[ex_id].targets[0], next(counter))
            assert watch.until(f"{ex_id}", 60) and watch.until("/11 ", 60), "no verdict after the save"
            pending.append(True)

        save_and_wait()  # the next exercise's verdict is not remembered yet: its run follows every save
        benchmark.pedantic(save_and_wait, setup=drain, **{**_rounds(smoke), "warmup_rounds": 0})
        drain()
    finally:
        watch.stop()


def test_check_ex_541_make(benchmark, smoke, tmp_path):
    """`make check EX=5.4.1` on a fresh workspace: the row the notebook's check cell is compared with."""
    ws = _workspace(tmp_path / "ex")

    def run():
        subprocess.run(["make", "-s", "--no-print-directory", "check", f"WS={ws}", "EX=5.4.1"], cwd=ROOT,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)

    benchmark.pedantic(run, **_rounds(smoke))


def test_notebook_check_cell_to_verdict(benchmark, smoke, tmp_path, monkeypatch):
    """`%kata check 5.4.1` in a kernel kept running: from executing the cell to its verdict (kata/notebook.py)."""
    pytest.importorskip("jupyter_client")
    from jupyter_client.manager import start_new_kernel
    from kata import notebook
    ws = _workspace(tmp_path / "nb")
    monkeypatch.setenv("KATA_ROOT", str(ROOT))
    monkeypatch.setenv("KATA_WORKSPACE", str(ws))
    km, kc = start_new_kernel(kernel_name="python3", cwd=str(ws))
    try:
        for code in (notebook.SETUP_CELL, notebook.code_cell_source(notebook.BY_ID["5.4.1"])):
            assert kc.execute_interactive(code, timeout=120)["content"]["status"] == "ok"
        shown = []

        def check_cell():
            shown.clear()
            reply = kc.execute_interactive("%kata check 5.4.1", timeout=120,
                                           output_hook=lambda msg: shown.append(msg["content"]))
            assert reply["content"]["status"] == "ok"
            assert any("not started" in c.get("data", {}).get("text/plain", "") for c in shown), shown

        benchmark.pedantic(check_cell, **_rounds(smoke))
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
