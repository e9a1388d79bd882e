"""Learner bodies through the real runner (kata/tests/learner_bodies.py): a wrong body is never done at
its own exercise and its first diagnosis names its mistake; a right body, in a form other than the
book's, is done (with only the notes that describe it)."""
import concurrent.futures
import os

import pytest

from kata import runner

import learner_bodies
from learner_bodies import RIGHT, WRONG

pytestmark = pytest.mark.slow


def _run(body, base):
    ws = learner_bodies.write(base / body.id, body)
    report = runner.run_tests(ws, fast=True, only=[body.exercise])
    return body.id, report["statuses"][body.exercise]


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory):
    base = tmp_path_factory.mktemp("bodies")
    with concurrent.futures.ThreadPoolExecutor(max(1, min(2, os.cpu_count() or 1))) as pool:
        return dict(pool.map(lambda b: _run(b, base), WRONG + RIGHT))


def _first(st):
    return (st.get("first") or {}).get("message", "")


@pytest.mark.parametrize("body", WRONG, ids=[b.id for b in WRONG])
def test_a_wrong_body_is_not_done_and_its_first_diagnosis_names_the_mistake(verdicts, body):
    st = verdicts[body.id]
    assert st["status"] in ("wrong", "error"), (st["status"], _first(st)[:600])
    assert any(name in _first(st) for name in body.names), _first(st)[:1200]


@pytest.mark.parametrize("body", RIGHT, ids=[b.id for b in RIGHT])
def test_a_right_body_is_done(verdicts, body):
    st = verdicts[body.id]
    assert st["status"] == "done", (st["status"], _first(st)[:1200])
    assert body.notes <= set(st["notes"]), st["notes"]


def test_the_ids_are_unique():
    ids = [b.id for b in WRONG + RIGHT]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("code", ["ko", "ja"])
def test_every_first_diagnosis_reads_without_english_prose_in_korean_and_japanese(verdicts, code):
    from kata.catalog.diagnoses import translate
    from test_i18n_diagnoses import english_sentences

    left = {}
    for body in WRONG:
        shown = translate(_first(verdicts[body.id]), code)
        sentences = english_sentences(shown)
        if sentences or "likely mistake" in shown:
            left[body.id] = (sentences, shown[:600])
    assert not left, left
