"""`python -m kata setup` (kata/setup.py) and a Python without the kata's packages.

The plan is checked per OS through its path logic (no pip is faked); the real set-up runs once,
on a fresh clone, with the system Python, and is followed by the command it prints.
"""
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kata import setup

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def root(tmp_path, monkeypatch):
    """A repository root as the set-up sees it: the two locks and mnist.py; the current folder."""
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copy(ROOT / "requirements.txt", repo / "requirements.txt")
    shutil.copy(ROOT / "requirements-kata.txt", repo / "requirements-kata.txt")
    (repo / "mnist.py").write_text("", encoding="utf-8")
    monkeypatch.chdir(repo)
    return repo


def _commands(steps):
    out = []
    for _, _, _, words in steps:
        if words:
            out += words if isinstance(words[0], list) else [words]
    return out


def test_posix_plan_creates_the_venv_installs_with_its_pip_and_fetches_mnist(root):
    steps = setup.plan(root=root, on_windows=False, python="/usr/bin/python3.11")
    assert [key for _, key, _, _ in steps] == ["setup_venv_create", "setup_install", "setup_data"]
    venv = root / ".venv"
    assert _commands(steps) == [
        ["/usr/bin/python3.11", "-m", "venv", str(venv)],
        [f"{venv}/bin/python", "-m", "pip", "install", "--quiet", "--upgrade", "pip"],
        [f"{venv}/bin/python", "-m", "pip", "install", "--quiet", "-r", str(root / "requirements-kata.txt")],
        [f"{venv}/bin/python", str(root / "mnist.py"), "--quiet"],
    ]
    assert steps[1][2] == {"pip": ".venv/bin/python -m pip"}
    lines = setup.next_lines(root=root, on_windows=False, has_make=True)
    assert lines[0].endswith("\n  .venv/bin/python -m kata init")
    assert lines[1].strip().endswith("make kata)")


def test_windows_plan_uses_scripts_python_and_says_the_windows_command(root):
    steps = setup.plan(root=root, on_windows=True, python=r"C:\Python311\python.exe")
    venv = root / ".venv"
    cmds = _commands(steps)
    assert cmds[0] == [r"C:\Python311\python.exe", "-m", "venv", str(venv)]
    assert cmds[1][0] == str(venv / "Scripts" / "python.exe")
    assert steps[1][2] == {"pip": r".venv\Scripts\python -m pip"}
    assert steps[2][2] == {"cmd": r".venv\Scripts\python mnist.py"}
    lines = setup.next_lines(root=root, on_windows=True, has_make=False)
    assert len(lines) == 1 and lines[0].endswith("\n  .venv\\Scripts\\python -m kata init")
    # a Windows with make (Git Bash, MSYS) is told about make kata too
    assert setup.next_lines(root=root, on_windows=True, has_make=True)[1].strip().endswith("make kata)")


def test_plan_without_data_and_with_another_venv_folder(root, tmp_path):
    other = tmp_path / "elsewhere" / "env"
    steps = setup.plan(venv=other, data=False, root=root, on_windows=False, python="py")
    assert steps[2][1] == "setup_data_skip" and steps[2][3] is None
    assert _commands(steps)[0] == ["py", "-m", "venv", str(other)]
    lines = setup.next_lines(venv=other, root=root, on_windows=False, has_make=True)
    assert lines == [lines[0]] and lines[0].endswith(f"  {other}/bin/python -m kata init")  # make knows only .venv


def test_next_command_is_check_once_the_workspace_exists(root):
    (root / "workspace").mkdir()
    assert setup.next_lines(root=root, on_windows=False, has_make=True)[0].endswith(".venv/bin/python -m kata check")
    assert setup.next_lines(root=root, on_windows=False, has_make=True)[1].strip().endswith("make check)")


def test_posix_cksum_is_the_makefiles_stamp():
    assert setup.posix_cksum(b"abc") == 1219131554  # `printf abc | cksum`
    assert setup.posix_cksum(b"") == 4294967295
    if shutil.which("cksum"):
        for lock, stamp in (("requirements-kata.txt", setup.stamp_path), ("requirements.txt", setup.full_stamp_path)):
            done = subprocess.run(["cksum"], input=(ROOT / lock).read_bytes(), capture_output=True, check=True)
            prefix = ".kata-installed-" if lock == "requirements-kata.txt" else ".installed-"
            assert stamp(ROOT / ".venv").name == f"{prefix}{done.stdout.split()[0].decode()}"
        make = Path(ROOT / "Makefile").read_text(encoding="utf-8")
        assert "KATA_STAMP := $(VENV)/.kata-installed-$(shell cat requirements-kata.txt | cksum" in make
        assert "STAMP := $(VENV)/.installed-$(shell cat requirements.txt | cksum" in make


def test_a_venv_with_the_full_lock_needs_no_install(root):
    """`make test` installed requirements.txt (it contains the learner's lock): step 2 is skipped."""
    venv = root / ".venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    setup.full_stamp_path(venv, root).touch()
    steps = setup.plan(root=root, on_windows=False)
    assert steps[1][1] == "setup_install_skip" and steps[1][3] is None
    assert steps[1][2] == {"stamp": f".venv/{setup.full_stamp_path(venv, root).name}"}
    setup.full_stamp_path(venv, root).unlink()
    assert setup.plan(root=root, on_windows=False)[1][1] == "setup_install"


# --- the two locks -----------------------------------------------------------------------------

def _pins(name):
    lines = (ROOT / name).read_text(encoding="utf-8").splitlines()
    pins = dict(line.split("#")[0].strip().split("==") for line in lines if line.split("#")[0].strip()
                and not line.startswith("-r"))
    return {k.lower().replace("_", "-"): v for k, v in pins.items()}


def test_the_learners_lock_is_the_full_locks_versions_without_tensorflow():
    """requirements-kata.txt ⊂ requirements.txt, version for version: adding the full lock to a
    learner's .venv (`make test`) changes no installed package; and no TensorFlow for a learner."""
    kata, full = _pins("requirements-kata.txt"), _pins("requirements.txt")
    assert {k: full.get(k) for k in kata} == kata
    assert not {"tensorflow", "keras", "ruff", "pytest-benchmark", "nbconvert"} & set(kata)
    wanted = {"numpy", "pytest", "pytest-timeout", "hypothesis", "matplotlib", "tqdm", "ipykernel", "nbformat",
              "nbclient"}
    top = _pins("requirements-kata.in")
    assert set(top) == wanted and {k: kata[k] for k in top} == top
    # requirements.in takes the learner's packages from requirements-kata.in instead of repeating them
    assert "-r requirements-kata.in" in (ROOT / "requirements.in").read_text(encoding="utf-8").splitlines()
    assert not wanted & set(_pins("requirements.in"))


def test_the_kata_needs_only_the_learners_lock():
    """What the kata's commands import (NEEDS, KNOWN_PACKAGES) and the notebook's pieces are in it."""
    from kata import __main__ as cli
    kata = _pins("requirements-kata.txt")
    needed = {pkg for pairs in cli.NEEDS.values() for _, pkg in pairs} | set(cli.KNOWN_PACKAGES.values())
    assert needed <= set(kata)


@pytest.mark.parametrize("makefile, full_targets", [
    ("Makefile", ("test", "lint", "test-tf", "venv")),
    ("kata/templates/Makefile.learner", ("test", "venv")),   # the exported learner repository's
])
def test_make_installs_the_learners_lock_for_the_kata_and_the_full_one_for_the_tests(tmp_path, makefile,
                                                                                     full_targets):
    """`make -n` on a repository without .venv: what each target would install."""
    if shutil.which("make") is None:
        pytest.skip("no make")
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copy(ROOT / makefile, repo / "Makefile")
    for name in ("requirements.txt", "requirements-kata.txt"):
        shutil.copy(ROOT / name, repo / name)

    def dry(target):
        return subprocess.run(["make", "-n", target], cwd=repo, capture_output=True, text=True).stdout

    for target in ("kata", "check", "train", "data", "notebook", "kata-venv"):
        out = dry(target)
        assert "pip install --quiet -r requirements-kata.txt" in out, (target, out)
        assert "-r requirements.txt" not in out, (target, out)
    for target in full_targets:
        assert "pip install --quiet -r requirements.txt" in dry(target), target
    # and the export ships the learner's lock beside the full one
    from kata import export
    source = Path(export.__file__).read_text(encoding="utf-8")
    assert '"requirements-kata.txt", "requirements-kata.in", "requirements.txt"' in source


def test_dry_run_changes_nothing_and_prints_each_step(tmp_path):
    venv = tmp_path / "v"
    done = subprocess.run([sys.executable, "-m", "kata", "setup", "--dry-run", "--venv", str(venv), "--lang", "en"],
                          cwd=ROOT, capture_output=True, text=True, encoding="utf-8")
    assert done.returncode == 0, done.stderr
    assert not venv.exists()
    out = done.stdout
    assert out.startswith("Set-up plan (--dry-run: nothing is done):\n")
    for n in (1, 2, 3):
        assert f"[{n}/3]" in out
    assert f"{sys.executable} -m venv {venv}" in out
    assert f"{venv}/bin/python -m pip install --quiet -r {ROOT / 'requirements-kata.txt'}" in out
    assert f"{venv}/bin/python -m kata" in out


def test_setup_refuses_a_folder_that_is_not_a_venv(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "kata", "setup", "--venv", str(folder), "--lang", "en"],
                          cwd=ROOT, capture_output=True, text=True, encoding="utf-8")
    assert done.returncode == 1
    assert "is not a virtual environment" in done.stdout
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]


# --- a Python without numpy / pytest -------------------------------------------------------

@pytest.fixture(scope="module")
def bare_python(tmp_path_factory):
    """The Python of a fresh venv made without pip: no numpy, no pytest, nothing but the stdlib."""
    venv = tmp_path_factory.mktemp("bare") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = setup.venv_python(venv)
    assert subprocess.run([str(python), "-c", "import numpy"], capture_output=True).returncode != 0
    return python


@pytest.fixture(scope="module")
def repo_copy(tmp_path_factory):
    """A copy of the repository's code (kata/, tests/, the modules), without its .venv."""
    dest = tmp_path_factory.mktemp("copy") / "repo"
    shutil.copytree(ROOT, dest, ignore=shutil.ignore_patterns(".venv", "data", "workspace", ".git", "__pycache__",
                                                              ".hypothesis", ".benchmarks", "*.png", "*.npz"))
    return dest


def _run(python, *args, cwd, lang="en"):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "KATA_LANG")}
    return subprocess.run([str(python), "-m", "kata", "--lang", lang, *args], cwd=cwd, capture_output=True,
                          text=True, encoding="utf-8", env=env)


def test_a_python_without_the_packages_is_told_which_python_and_the_setup_command(bare_python, repo_copy):
    done = _run(bare_python, "check", "--fast", cwd=repo_copy)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr + done.stdout
    assert "does not have numpy, pytest, pytest-timeout, hypothesis, tqdm" in done.stderr
    assert f"\n  {bare_python}\n" in done.stderr                      # which Python it was
    assert f"{bare_python} -m kata setup" in done.stderr              # what fixes it
    assert ".venv/bin/python -m kata --lang en check --fast" in done.stderr
    assert "does not import" not in done.stdout + done.stderr         # not blamed on the learner's code


def test_the_missing_package_message_in_korean_and_japanese(bare_python, repo_copy):
    ko = _run(bare_python, "check", cwd=repo_copy, lang="ko")
    assert ko.returncode == 1 and "Traceback" not in ko.stderr
    assert "이 Python에는" in ko.stderr and "-m kata setup" in ko.stderr
    ja = _run(bare_python, "graph", cwd=repo_copy, lang="ja")
    assert ja.returncode == 1 and "Traceback" not in ja.stderr
    assert "この Python には" in ja.stderr and "numpy" in ja.stderr


def test_with_a_working_venv_the_message_says_to_use_it(bare_python, repo_copy):
    (repo_copy / ".venv").symlink_to(ROOT / ".venv")
    try:
        done = _run(bare_python, "check", cwd=repo_copy)
    finally:
        (repo_copy / ".venv").unlink()
    assert done.returncode == 1
    assert "The kata's venv is ready" in done.stderr
    assert "\n  .venv/bin/python -m kata --lang en check\n" in done.stderr
    assert "make check" in done.stderr


def test_setup_and_init_need_only_the_standard_library(bare_python, repo_copy, tmp_path):
    done = _run(bare_python, "setup", "--dry-run", cwd=repo_copy)
    assert done.returncode == 0, done.stderr
    assert f"{bare_python} -m venv {repo_copy / '.venv'}" in done.stdout
    ws = tmp_path / "ws"
    done = _run(bare_python, "--workspace", str(ws), "init", cwd=repo_copy)
    assert done.returncode == 0, done.stderr
    assert (ws / "layers.py").exists()


def test_hint_needs_the_packages_only_when_it_must_run_the_tests(bare_python, repo_copy, tmp_path):
    ws = tmp_path / "hint-ws"
    assert _run(bare_python, "--workspace", str(ws), "init", cwd=repo_copy).returncode == 0
    fresh = _run(bare_python, "--workspace", str(ws), "hint", cwd=repo_copy)   # no check yet: it runs the tests
    assert fresh.returncode == 1 and "Traceback" not in fresh.stderr
    assert "does not have numpy, pytest" in fresh.stderr
    given = _run(bare_python, "--workspace", str(ws), "hint", "5.4.1", cwd=repo_copy)  # nothing to run
    assert given.returncode == 0, given.stderr
    assert "5.4.1" in given.stdout


# --- the real thing: a fresh clone, the system Python, the printed next command -----------

def _system_python():
    """`command -v python3.11 || command -v python3`, as the Makefile's PY (not a venv's Python)."""
    for name in ("python3.11", "python3"):
        found = shutil.which(name)
        if found:
            probe = subprocess.run([found, "-c", "import sys; print(sys.prefix != sys.base_prefix)"],
                                   capture_output=True, text=True)
            if probe.stdout.strip() == "False":
                return found
    return getattr(sys, "_base_executable", sys.executable)


@pytest.mark.slow
def test_setup_on_a_fresh_clone_then_the_printed_command_then_check(tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    # MNIST's sources and their verification are mnist.py's own tests; here the verified cache is
    # put where a learner's earlier `make data` leaves it, so the step runs with no network.
    if (ROOT / "data" / "mnist_cache.npz").exists():
        (clone / "data").mkdir()
        shutil.copy(ROOT / "data" / "mnist_cache.npz", clone / "data" / "mnist_cache.npz")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "MNIST_DIR")}
    env["KATA_LANG"] = "en"
    started = time.monotonic()
    done = subprocess.run([_system_python(), "-m", "kata", "setup", "--venv", str(clone / ".venv")], cwd=clone,
                          capture_output=True, text=True, encoding="utf-8", env=env, timeout=1200)
    took = time.monotonic() - started
    print(f"python -m kata setup on a fresh clone: {took:.0f} s")
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    for line in ("[1/3] creating the virtual environment .venv", "[2/3] installing the pinned packages",
                 "[3/3] fetching and verifying MNIST", "Set-up done in"):
        assert line in out
    # the Makefile sees the packages installed (its stamp) and does not install them again
    assert setup.stamp_path(clone / ".venv", clone).exists()
    if shutil.which("make"):
        dry = subprocess.run(["make", "-n", "kata"], cwd=clone, capture_output=True, text=True, env=env)
        assert "pip install" not in dry.stdout and "-m kata init" in dry.stdout

    typed = re.search(r"Next, create your workspace with the stubs to fill in:\n  (.+)\n", out).group(1)
    assert typed == ".venv/bin/python -m kata init"
    init = subprocess.run(shlex.split(typed), cwd=clone, capture_output=True, text=True, encoding="utf-8", env=env)
    assert init.returncode == 0, init.stderr
    check = subprocess.run([str(clone / ".venv/bin/python"), "-m", "kata", "check", "--fast"], cwd=clone,
                           capture_output=True, text=True, encoding="utf-8", env=env)
    assert check.returncode == 1, check.stdout + check.stderr
    assert "Next: 5.4.1 MulLayer" in check.stdout and "— not started" in check.stdout
    assert "Traceback" not in check.stdout + check.stderr

    again = subprocess.run([_system_python(), "-m", "kata", "setup", "--venv", str(clone / ".venv"), "--no-data"],
                           cwd=clone, capture_output=True, text=True, encoding="utf-8", env=env, timeout=600)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "[1/3] the virtual environment .venv is there and works: reused" in again.stdout
    assert "[2/3] the packages of requirements-kata.txt are installed already" in again.stdout
    assert "Next, run the exercises of your workspace:\n  .venv/bin/python -m kata check" in again.stdout


def test_a_failing_step_says_which_and_how_to_retry(tmp_path, monkeypatch):
    """A real pip failing on a requirement it cannot install (a local path that is not there; no index asked)."""
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "requirements-kata.txt").write_text("./no-such-folder\n", encoding="utf-8")
    (repo / "mnist.py").write_text("raise SystemExit('must not run')\n", encoding="utf-8")
    monkeypatch.chdir(repo)
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("KATA_LANG", "en")
    lines = []
    code = setup.command(venv=repo / ".venv", root=repo, out=lines.append)
    assert code == 1
    assert lines[0].startswith("[1/3] creating the virtual environment .venv")
    assert lines[1].startswith("[2/3] installing the pinned packages")
    assert lines[2].startswith("Set-up step 2 failed (installing the packages, exit code ")
    assert lines[2].endswith(f"\n  {sys.executable} -m kata setup")
    assert len(lines) == 3  # MNIST was not tried, no "done"
    assert not list((repo / ".venv").glob(".kata-installed-*"))  # no stamp: the next run installs again
    # the retry starts where it failed: the venv is there and is reused
    lines.clear()
    assert setup.command(venv=repo / ".venv", root=repo, out=lines.append) == 1
    assert lines[0] == "[1/3] the virtual environment .venv is there and works: reused"
