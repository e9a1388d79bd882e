"""The kata judges the chapter: the book's own code is done on every exercise.

Workspaces built from kata/tests/book_forms.py (the book's printed forms) go through the
real runner: pasted whole (no check_ lines), with the stub's check_ lines kept, and with
chapter 4's row-wise numerical gradient. Each is done on all 11 exercises and is shown
the notes of what the reference does beyond the book; the reference itself passes
--strict, where the notes are required; --strict tells the book's code apart.
"""
import concurrent.futures
import os

import pytest

from kata import runner, stubs
from kata.manifest import EXERCISE_IDS

import book_forms

pytestmark = pytest.mark.slow

CASES = {
    "book-pasted": dict(keep_checks=False),
    "book-checks-kept": dict(keep_checks=True),
    "book-row-wise-gradient": dict(keep_checks=False, forms=book_forms.ROW_WISE),
    # the Colab notebook's cell: the whole TwoLayerNet class with its own __init__ (no seed=, dtype=)
    "book-whole-class": dict(keep_checks=False, whole_class=True),
}


def _run(name, base):
    ws = base / name
    ws.mkdir()
    if name == "reference-strict":
        stubs.write_modules(ws, stubbed=set())
        return name, ws, runner.run_tests(ws, fast=True, strict=True)
    book_forms.write_book_workspace(ws, **CASES[name])
    return name, ws, runner.run_tests(ws, fast=True, strict=False)


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    base = tmp_path_factory.mktemp("book")
    names = list(CASES) + ["reference-strict"]
    with concurrent.futures.ThreadPoolExecutor(max(1, min(2, os.cpu_count() or 1))) as pool:
        done = list(pool.map(lambda n: _run(n, base), names))
    return {name: (ws, report) for name, ws, report in done}


def _not_done(report):
    return {k: (v["status"], (v["first"] or {}).get("message", "")[:400])
            for k, v in report["statuses"].items() if v["status"] != "done"}


@pytest.mark.parametrize("name", list(CASES))
def test_the_books_code_is_done_on_every_exercise(reports, name):
    ws, report = reports[name]
    assert report["collect_errors"] == [] and runner.wrong_files(report) == {}
    assert _not_done(report) == {}
    assert set(report["statuses"]) == set(EXERCISE_IDS)
    screen = "\n".join(runner.render(report, ws))
    assert "11/11" in screen and "All 11 exercises pass" in screen


def test_the_books_code_is_shown_the_reference_extras_as_notes(reports):
    ws, report = reports["book-pasted"]
    for ex_id, expected in book_forms.EXPECTED_NOTES.items():
        got = set(report["statuses"][ex_id]["notes"])
        assert expected == got, (ex_id, got)
    screen = "\n".join(runner.render(report, ws))
    assert "note: your Relu changes the caller's array" in screen
    assert "note: your SoftmaxWithLoss.backward ignores dout" in screen
    assert screen.count("bad input (a wrong shape") == 1  # a shared note is told once
    assert "STRICT=1" in screen


def test_kept_check_lines_answer_the_notes_about_bad_input(reports):
    """The stub's check_ lines are the reference's validation: kept, they give the clear errors."""
    _, pasted = reports["book-pasted"]
    _, kept = reports["book-checks-kept"]
    for ex_id, st in kept["statuses"].items():
        assert set(st["notes"]) <= set(pasted["statuses"][ex_id]["notes"]), ex_id
    assert "relu-keeps-dout" in kept["statuses"]["5.5.1"]["notes"]  # a body matter, not a check line's
    assert "scales-by-dout" in kept["statuses"]["5.6.3"]["notes"]


def test_the_reference_passes_strict(reports):
    ws, report = reports["reference-strict"]
    assert report["strict"] is True
    assert _not_done(report) == {}
    assert all(not v["notes"] for v in report["statuses"].values())
    assert "strict" in "\n".join(runner.render(report, ws))


def test_strict_requires_the_notes_of_the_books_code(tmp_path):
    ws = book_forms.write_book_workspace(tmp_path)
    report = runner.run_tests(ws, fast=True, only=["5.5.1"], strict=True)
    st = report["statuses"]["5.5.1"]
    assert st["status"] in ("wrong", "error"), st
    failed = [r["message"] for r in report["results"] if r["outcome"] == "failed" and "5.5.1" in r["exercises"]]
    assert any("mutated its input dout" in m for m in failed), failed
