"""What differs between the supported Pythons (3.11, 3.12, 3.13; pyproject.toml), tested on each.

`make test-pythons` runs kata/tests on 3.12 and 3.13 too (CI a fast part of it), so these run on
every supported version; on the others they pass trivially where a difference cannot show.
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kata import setup

ROOT = Path(__file__).resolve().parents[2]


def test_a_forced_colour_environment_still_reads_the_stubs_as_not_started(ws):
    """A Jupyter kernel exports FORCE_COLOR=1 (ipykernel), and so may a learner's shell. Python 3.13
    then colours the traceback of a script a test runs (buy_apple.py): the escape codes between
    "NotImplementedError" and its message made the fresh 5.4.1 "wrong" instead of "not started"."""
    env = dict(os.environ, FORCE_COLOR="1", KATA_LANG="en")
    env.pop("PYTHON_COLORS", None)
    env.pop("NO_COLOR", None)
    done = subprocess.run([sys.executable, "-m", "kata", "--workspace", str(ws), "check", "5.4.1"], cwd=ROOT,
                          capture_output=True, text=True, encoding="utf-8", env=env, timeout=300)
    assert "5.4.1  MulLayer: multiplication node — not started" in done.stdout, done.stdout + done.stderr
    assert "wrong" not in done.stdout


def test_this_python_is_a_supported_one():
    """The suite runs only on the versions pyproject.toml names (its classifiers and requires-python)."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'requires-python = ">=3.11"' in text
    assert f"Programming Language :: Python :: {sys.version_info[0]}.{sys.version_info[1]}" in text


def _old_python():
    """A Python 3.10, 3.9 or 3.8 that runs: on PATH (a pyenv shim may not run), else under pyenv's versions/."""
    pyenv = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv") / "versions"
    for version in ("3.10", "3.9", "3.8"):
        found = [shutil.which(f"python{version}")] + sorted(map(str, pyenv.glob(f"{version}.*/bin/python{version}")))
        for python in filter(None, found):
            probe = subprocess.run([python, "-c", "import sys; print(sys.version_info[:2] < (3, 11))"],
                                   capture_output=True, text=True)
            if probe.stdout.strip() == "True":
                return python
    return None


@pytest.mark.skipif(_old_python() is None, reason="no python3.10/3.9/3.8 on PATH")
def test_setup_on_an_older_python_says_which_version_is_needed(tmp_path):
    """`python -m kata setup` parses and runs on 3.8-3.10 far enough to refuse with its message."""
    old = _old_python()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    done = subprocess.run([old, "-m", "kata", "--lang", "en", "setup", "--venv", str(tmp_path / "v")], cwd=ROOT,
                          capture_output=True, text=True, encoding="utf-8", env=env, timeout=60)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "is too old for the pinned packages: run the set-up with Python 3.11 or newer" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr
    assert not (tmp_path / "v").exists()
    assert setup.MIN_PYTHON == (3, 11)
