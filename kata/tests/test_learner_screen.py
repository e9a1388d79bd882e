"""What a learner's screen and workspace give beyond the verdicts (issue 21): their own print() output under
a failing exercise, progress over every exercise when only some are checked, the next step after 11/11,
and the book's scripts running inside workspace/ (the dataset/ and training/ links)."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kata import runner, stubs
from kata import workspace as wsmod

import book_forms

ROOT = Path(__file__).resolve().parents[2]


def _check(ws, **kwargs):
    lines = []
    code = runner.check(ws, out=lines.append, **kwargs)
    return code, "\n".join(lines)


def test_what_the_code_printed_is_shown_bounded_under_the_diagnosis(tmp_path):
    ws = book_forms.write_book_workspace(tmp_path / "ws")
    path = ws / "layers.py"
    source = path.read_text(encoding="utf-8")
    wrong = '''
    def backward(self, dout):
        print("debug: dout is", dout, "x is", self.x, "padding" * 100)
        dx = dout * self.x
        dy = dout * self.y
        return dx, dy
'''
    path.write_text(stubs.replace_function(source, "MulLayer.backward", wrong), encoding="utf-8")
    code, screen = _check(ws, fast=True, only=["5.4.1"])
    assert code != 0 and "5.4.1  MulLayer: multiplication node — wrong" in screen
    assert "your code printed (" in screen
    printed = [line for line in screen.splitlines() if line.startswith("  > ")]
    assert printed and printed[0].startswith("  > debug: dout is")
    assert 1 <= len(printed) <= 8                       # bounded: a flood stays in the log
    assert all(len(line) <= 4 + 160 + 4 for line in printed)


def test_a_right_exercise_shows_no_printed_output(tmp_path):
    ws = book_forms.write_book_workspace(tmp_path / "ws", exercises=["5.4.1"])
    path = ws / "layers.py"
    text = path.read_text(encoding="utf-8")
    text = text.replace("        out = x * y\n", "        print('hello')\n        out = x * y\n", 1)
    path.write_text(text, encoding="utf-8")
    _, screen = _check(ws, fast=True, only=["5.4.1"])
    assert "5.4.1  MulLayer: multiplication node — done" in screen
    assert "your code printed" not in screen


@pytest.mark.slow
def test_all_done_suggests_training_and_a_partial_check_counts_every_exercise(tmp_path):
    ws = book_forms.write_book_workspace(tmp_path / "ws")
    code, screen = _check(ws, fast=True)
    assert code == 0 and "11/11" in screen
    assert "make kata-train" in screen and "make graph" in screen
    code, screen = _check(ws, fast=True, only=["5.4.1"])  # the others are remembered: still 11/11
    assert code == 0
    assert "11/11 ▰▰▰▰▰▰▰▰▰▰▰" in screen, screen


def test_the_books_scripts_find_dataset_and_training_inside_the_workspace(ws):
    assert (ws / "dataset" / "__init__.py").is_file() and (ws / "training" / "__init__.py").is_file()
    probe = "import dataset.mnist, training.network; print(dataset.mnist.__file__); print(training.network.__file__)"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run([sys.executable, "-c", probe], cwd=ws, capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    files = [Path(line) for line in done.stdout.split()]
    assert files == [ROOT / "dataset" / "mnist.py", ROOT / "training" / "network.py"]


def test_a_learners_own_dataset_folder_is_never_replaced(tmp_path):
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "dataset").mkdir()
    (ws / "dataset" / "mine.py").write_text("X = 1\n", encoding="utf-8")
    written = wsmod.link_packages(ws)
    assert [p.name for p in written] == ["training"]
    assert sorted(p.name for p in (ws / "dataset").iterdir()) == ["mine.py"]


def test_a_check_gives_an_older_workspace_its_links(ws):
    import shutil
    shutil.rmtree(ws / "dataset")
    _check(ws, fast=True, only=["5.4.1"])
    assert (ws / "dataset" / "__init__.py").is_file()
