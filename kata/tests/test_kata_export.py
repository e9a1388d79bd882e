"""`make export DIR=...`: a standalone learner repository with no solutions and no remote."""
import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kata import export, stubs
from kata import workspace as wsmod

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    dest = tmp_path_factory.mktemp("export") / "learner"
    done = subprocess.run([sys.executable, "-m", "kata", "export", str(dest)], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return dest


def test_export_has_stubs_tests_tooling_readme_makefile_and_requirements(exported):
    for name in ("layers.py", "functions.py", "gradient.py", "two_layer_net.py", "train_neuralnet.py",
                 "mnist.py", "README.md", "Makefile", "requirements.txt", "pyproject.toml", ".gitignore",
                 "kata/__main__.py", "kata/manifest.py", "kata/exported.json", "tests/conftest.py",
                 "tests/checks.py"):
        assert (exported / name).exists(), name
    assert list(exported.glob("tests/test_kata_*.py")) == []      # instructor-only
    assert not (exported / "tests" / "test_mistakes.py").exists()  # near-solutions: instructor-only
    makefile = (exported / "Makefile").read_text()
    for target in ("kata", "check", "hint", "watch", "kata-reset", "restore"):
        assert f"\n{target}:" in makefile


def test_export_contains_no_reference_body(exported):
    assert stubs.lint_tree(exported) == []
    assert stubs.lint_tree(exported / "kata" / "pristine") == []
    # and nowhere else either: no copy of a reference module hides in the tree
    for module in stubs.targets_by_module():
        ref = (ROOT / f"{module}.py").read_bytes()
        for path in exported.rglob("*.py"):
            assert path.read_bytes() != ref, path


def test_export_is_a_fresh_git_repository_without_remote(exported):
    if shutil.which("git") is None:
        assert not (exported / ".git").exists()
        return
    remotes = subprocess.run(["git", "remote"], cwd=exported, capture_output=True, text=True)
    assert remotes.returncode == 0 and remotes.stdout.strip() == ""
    log = subprocess.run(["git", "log", "--oneline"], cwd=exported, capture_output=True, text=True).stdout
    assert len(log.strip().splitlines()) == 1


def test_export_refuses_a_non_empty_folder(tmp_path):
    (tmp_path / "mine.txt").write_text("keep me")
    with pytest.raises(wsmod.KataError, match="not empty"):
        export.export(tmp_path)
    assert (tmp_path / "mine.txt").read_text() == "keep me"


def test_the_exported_repository_runs_the_kata_on_its_own_files(exported, tmp_path):
    learner = tmp_path / "copy"
    shutil.copytree(exported, learner)
    env = {**os.environ, "HYPOTHESIS_PROFILE": "dev"}
    env.pop("KATA_WORKSPACE", None)
    run = lambda *a: subprocess.run([sys.executable, "-m", "kata", *a], cwd=learner,  # noqa: E731
                                    capture_output=True, text=True, env=env)
    assert run("init").returncode == 0
    done = run("check", "5.4.1", "--fast")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "5.4.1 MulLayer: multiplication node — not started" in done.stdout
    assert "layers.py" in done.stdout and str(ROOT) not in done.stdout   # tested the learner's own files
    # reset works from the shipped pristine stubs, with a backup
    layers = learner / "layers.py"
    layers.write_text(layers.read_text().replace(
        'raise NotImplementedError("5.4.1 MulLayer.forward: not implemented yet — run `make hint`")',
        "return x * y  # mine"))
    assert run("reset", "5.4.1").returncode == 0
    assert "# mine" not in layers.read_text()
    assert any("# mine" in b.read_text() for b in (learner / ".kata" / "backups").rglob("*.py"))
    ast.parse(layers.read_text())
    refused = run("compare", "5.4.1")  # there is no reference to compare with
    assert refused.returncode == 1 and "no reference solutions" in refused.stderr, refused.stderr
