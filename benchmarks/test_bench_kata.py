"""The kata's own speed: how long a learner waits for a verdict (`make bench-kata`).

Rows (group "kata"), each a real process as a learner starts it:
- floor: `python -c "import pytest"` in the same run, the least any pytest-based check costs;
- `make check` on a fresh workspace (5.4.1 not started), a half-done one (5.4.1-5.6.2 done and
  remembered, 4.2 not started) and a finished one whose verdicts are all remembered;
- `make watch`: the time from saving a file to the verdict's progress line on the screen
  (a warm worker; polling every 0.1 s is part of it), on a fresh workspace (5.4.1 not started)
  and after a save inside a done exercise's function (5.4.2, 5.5.2, 5.6.3, 5.7.2: its fast tests all
  run and pass; the screen shows its verdict while the next exercise's run follows);
- the notebook: `%kata check 5.4.1` in a running kernel, cell to verdict, beside `make check EX=5.4.1`.
`make test` runs each once (smoke); `make bench-kata` times them.
"""
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "kata" / "tests"))
import book_forms  # noqa: E402 (the book's code: what a learner who is done has typed)

from kata import fsutil, stubs  # noqa: E402
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


def test_check_finished_workspace_remembered(benchmark, smoke, tmp_path):
    ws = book_forms.write_book_workspace(tmp_path / "done")
    _make_check(ws)  # every verdict remembered (slow tests included)
    benchmark.pedantic(_make_check, args=(ws,), **_rounds(smoke))


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
    """A learner's save inside the function `target` ("module:Qualname"): a comment after its
    def line, so its exercise's verdict no longer holds and is checked again."""
    module, qualname = target.split(":")
    path = ws / f"{module}.py"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    first, _, _ = stubs.function_text("".join(lines), qualname)
    indent = len(lines[first - 1]) - len(lines[first - 1].lstrip())
    lines.insert(first, " " * (indent + 4) + f"# save {n}\n")
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
