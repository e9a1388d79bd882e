"""The kata tooling's own tests (apart from the learner-facing spec in tests/).

They reuse the suite's helpers (tests/checks.py, test_mistakes.py's catalog) and its
hypothesis profiles, so tests/ goes on sys.path and tests/conftest.py's profiles are
loaded here too (when kata/tests runs on its own).
"""
import importlib.util
import os
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[2] / "tests"
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

if "suite_conftest" not in sys.modules:
    _spec = importlib.util.spec_from_file_location("suite_conftest", TESTS / "conftest.py")
    _module = importlib.util.module_from_spec(_spec)
    sys.modules["suite_conftest"] = _module
    _spec.loader.exec_module(_module)  # registers and loads the hypothesis profiles

# The screens these tests read are English unless a test picks a language itself: the
# language now follows the locale too (LANG=ko_KR.UTF-8 gives Korean), and a developer's
# machine or shell must not change what the tests see. Child processes inherit it.
os.environ["KATA_LANG"] = "en"


@pytest.fixture
def ws(tmp_path):
    """A fresh workspace made by `python -m kata init`, as a learner starts (test_encoding has its own)."""
    from kata import workspace as wsmod
    path = tmp_path / "workspace"
    wsmod.init(path)
    return path


@pytest.fixture
def book_ws(tmp_path):
    """A workspace of the book's own code (kata/tests/book_forms.py), every exercise written."""
    import book_forms
    return book_forms.write_book_workspace(tmp_path / "ws")
