"""The kata's own speed: how long a learner waits for a verdict (`make bench-kata`).

Rows (group "kata"), each a real process as a learner starts it:
- floor: `python -c "import pytest"` in the same run, the least any pytest-based check costs;
- `make check` on a fresh workspace (5.4.1 not started), a half-done one (5.4.1-5.6.2 done and
  remembered, 4.2 not started) and a finished one whose verdicts are all remembered;
- `make watch`: the time from saving a file to the verdict's progress line on the screen
  (a warm worker; polling every 0.1 s is part of it), on a fresh workspace;
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


@pytest.mark.skipif(os.name != "posix", reason="the warm worker needs os.fork")
def test_watch_save_to_verdict(benchmark, smoke, tmp_path):
    ws = _workspace(tmp_path / "watched")
    proc = subprocess.Popen([sys.executable, "-m", "kata", "--workspace", str(ws), "watch"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
                            start_new_session=True)
    lines = queue.Queue()

    def pump():  # a thread: select() on a buffered text pipe would miss lines already read
        for line in proc.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    try:
        assert _read_until(lines, "/11 ", 120), "watch showed no first screen"
        layers = ws / "layers.py"
        counter = iter(range(10**6))

        def save_and_wait():
            with open(layers, "a", encoding="utf-8") as f:
                f.write(f"# save {next(counter)}\n")
            assert _read_until(lines, "/11 ", 60), "no verdict after the save"

        benchmark.pedantic(save_and_wait, **_rounds(smoke))
    finally:
        os.killpg(proc.pid, 9)
        proc.wait()


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
