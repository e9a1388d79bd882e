"""`make export DIR=...`: a standalone learner repository, with no reference bodies in it.

Contents: the stubbed modules as the learner's top-level files (plus pristine copies in
kata/pristine/ for `reset`), the tests (not the kata's own tests in kata/tests/, which need the
reference, nor test_mistakes.py, see INSTRUCTOR_ONLY_TESTS), the kata tooling, a
learner README, Makefile, requirements, pyproject, .gitignore. A fresh `git init` with one
commit and no remote when git is available. The export is linted before it is reported
done; a leak deletes nothing but fails loudly.
"""
import json
import shutil
import subprocess
from pathlib import Path

from kata import fsutil, stubs
from kata.i18n import t
from kata.workspace import KataError, file_hashes

ROOT = stubs.ROOT
TEMPLATES = Path(__file__).resolve().parent / "templates"
# Every module of kata/ and of its message catalog ships (a hand-kept list once left out a
# new command's module); templates/ is used to write the export, not shipped.
_KATA = Path(__file__).resolve().parent
TOOLING = tuple(sorted(path.relative_to(_KATA).as_posix()
                       for pattern in ("*.py", "catalog/*.py") for path in _KATA.glob(pattern)))


MACHINERY = ("dataset", "training")

# Not shipped to learners, besides kata/tests/ (the tooling's own tests compare against the
# reference bodies): test_mistakes.py, whose broken variants are each one classic
# mistake away from a working layer - a solution sheet in plain sight. The checks
# it proves stay (layer_checks.py, checks.py), and so do their diagnoses.
INSTRUCTOR_ONLY_TESTS = ("test_mistakes.py",)


def _copy_tests(root, dest):
    for path in sorted((root / "tests").rglob("*")):
        rel = path.relative_to(root)
        if "__pycache__" in rel.parts or path.is_dir():
            continue
        if path.name in INSTRUCTOR_ONLY_TESTS:
            continue
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        fsutil.copy_atomic(path, dest / rel)


def export(dest, root=ROOT, git=True):
    """Write the learner repository into `dest` (must not exist or be empty); return report lines."""
    dest, root = Path(dest).resolve(), Path(root).resolve()
    if dest.exists() and any(dest.iterdir()):
        raise KataError(t("export_not_empty", dest=dest))
    if root == dest or root in dest.parents:
        raise KataError(t("export_inside", dest=dest))
    dest.mkdir(parents=True, exist_ok=True)
    written = stubs.write_modules(dest, root=root)
    pristine = dest / "kata" / "pristine"
    pristine.mkdir(parents=True)
    for module in stubs.targets_by_module():
        fsutil.copy_atomic(dest / f"{module}.py", pristine / f"{module}.py")
    for name in TOOLING:
        (dest / "kata" / name).parent.mkdir(parents=True, exist_ok=True)
        fsutil.copy_atomic(root / "kata" / name, dest / "kata" / name)
    # the machinery of mnist.py and train_neuralnet.py: packages, as workspaces copy only top-level *.py
    for package in MACHINERY:
        (dest / package).mkdir()
        for path in sorted((root / package).glob("*.py")):
            fsutil.copy_atomic(path, dest / package / path.name)
    _copy_tests(root, dest)
    for name in ("requirements-kata.txt", "requirements-kata.in", "requirements.txt", "requirements.in",
                 "pyproject.toml"):
        if (root / name).exists():
            fsutil.copy_atomic(root / name, dest / name)
    fsutil.copy_atomic(TEMPLATES / "Makefile.learner", dest / "Makefile")
    fsutil.copy_atomic(TEMPLATES / "README.learner.md", dest / "README.md")
    fsutil.copy_atomic(TEMPLATES / "gitignore.learner", dest / ".gitignore")
    fsutil.write_text_atomic(dest / "kata" / "exported.json", json.dumps(
        {"exported": True, "test_hashes": file_hashes(dest)}, indent=1, sort_keys=True))

    problems = stubs.lint_tree(dest, root=root) + stubs.lint_tree(pristine, root=root)
    if problems:
        raise KataError(t("export_leaks", problems="\n".join(problems)))
    lines = [t("export_done", n=len(written), dest=dest), t("export_lint_ok")]
    if git and shutil.which("git"):
        run = lambda *a: subprocess.run(["git", *a], cwd=dest, check=True, capture_output=True)  # noqa: E731
        run("init", "-q")
        run("add", "-A")
        run("-c", "user.name=kata", "-c", "user.email=kata@localhost", "commit", "-q", "-m",
            "Backpropagation kata: starting point")
        lines.append(t("export_git"))
    return lines
