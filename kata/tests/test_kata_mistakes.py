"""Classic mistakes of tests/test_mistakes.py's catalog, typed into a learner's workspace as
source code and run through the kata runner end to end: `check` must call the exercise
"wrong", name the mistake (the catalog entry's keyword, from tests/checks.py's diagnostics)
and point at the learner's function. The rest of the workspace is the reference, or the
book's own code (kata/tests/book_forms.py): a mistake is caught whatever surrounds it.
"""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kata import runner, stubs
from test_mistakes import MISTAKES

import book_forms

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow
CATALOG = {m.id: m for m in MISTAKES}

# catalog id -> (module, function, the learner's wrong source)
TYPED = {
    "mul-not-swapped": ("layers", "MulLayer.backward", '''\
    def backward(self, dout):
        dx = dout * self.x
        dy = dout * self.y
        return dx, dy
'''),
    "affine-db-not-summed": ("layers", "Affine.backward", '''\
    def backward(self, dout):
        dx = np.dot(dout, self.W.T)
        self.dW = np.dot(self.x.T, dout)
        self.db = dout
        return dx
'''),
    "softmax-loss-no-batch-division": ("layers", "SoftmaxWithLoss.backward", '''\
    def backward(self, dout=1):
        t = self.t if self.t.ndim == 2 else np.eye(self.y.shape[1])[self.t]
        return (self.y - t) * dout
'''),
}


@pytest.fixture(scope="module", params=["reference", "book"])
def wrong_workspace(request, tmp_path_factory):
    ws = tmp_path_factory.mktemp("mistakes")
    if request.param == "book":
        book_forms.write_book_workspace(ws)
    else:
        stubs.write_modules(ws, stubbed=set())      # the reference, then the learner's mistakes
    for module, qualname, source in TYPED.values():
        path = ws / f"{module}.py"
        path.write_text(stubs.replace_function(path.read_text(), qualname, source))
    report = runner.run_tests(ws, fast=True, only=["5.4.1", "5.6.2", "5.6.3"])
    return ws, report


@pytest.mark.parametrize("mistake_id", sorted(TYPED))
def test_check_calls_the_exercise_wrong_and_names_the_mistake(wrong_workspace, mistake_id):
    ws, report = wrong_workspace
    mistake = CATALOG[mistake_id]
    st = report["statuses"][mistake.exercise]
    assert st["status"] == "wrong", st
    messages = [r["message"] for r in report["results"]
                if r["outcome"] == "failed" and mistake.exercise in r["exercises"]]
    assert any(mistake.keyword in m for m in messages), messages
    assert any("likely mistake" in m for m in messages), messages
    screen = "\n".join(runner._explain(mistake.exercise, st, ws))
    module, qualname, _ = TYPED[mistake_id]
    assert f"{module}.py:" in screen and qualname in screen      # "your code: .../layers.py:NN Affine.backward"


def test_the_first_wrong_exercise_is_shown_with_its_diagnostic(wrong_workspace):
    ws, report = wrong_workspace
    assert runner.current_exercise(report) == "5.4.1"
    screen = "\n".join(runner.render(report, ws))
    assert "Next: 5.4.1 MulLayer: multiplication node — wrong" in screen
    assert "likely mistake" in screen and CATALOG["mul-not-swapped"].keyword in screen, screen
    assert "Traceback" not in screen                               # trimmed, not a traceback dump
    assert screen.count("\n") < 80


def test_cli_check_exits_non_zero_and_names_the_tested_files(tmp_path):
    ws = tmp_path / "ws"
    done = subprocess.run([sys.executable, "-m", "kata", "--workspace", str(ws), "init"], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    env = {**os.environ, "HYPOTHESIS_PROFILE": "dev"}
    done = subprocess.run([sys.executable, "-m", "kata", "--workspace", str(ws), "check", "5.4.1", "--fast"],
                          cwd=ROOT, capture_output=True, text=True, env=env)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "0/11 ▱" in done.stdout  # the chapter's progress, also when one exercise is checked
    assert "5.4.1 MulLayer: multiplication node — not started" in done.stdout
    assert "Tested your files:" in done.stdout and str(ws / "layers.py") in done.stdout
    assert (ws / ".kata" / "last-run.log").exists()
