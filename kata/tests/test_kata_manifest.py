"""The kata's manifest, stubs, tests and messages agree with each other.

Fails when an exercise has no tests, a target is not in the reference, an exercise-marked
test names an unknown id, a prerequisite is not an earlier exercise, or a hint/message is
missing a language.
"""
import ast
import re
import string
from pathlib import Path

import pytest

from kata import i18n, stubs
from kata.manifest import BY_ID, EXERCISE_IDS, EXERCISES, dependents, manifest_problems

ROOT = Path(__file__).resolve().parents[2]


def _exercise_marks_in_tests():
    """{exercise id: [test file, ...]} from every `mark.exercise("...")` call in tests/*.py."""
    found = {}
    for path in sorted((ROOT / "tests").glob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "exercise" and node.args
                    and isinstance(node.args[0], ast.Constant)):
                found.setdefault(node.args[0].value, []).append(path.name)
    return found


def test_manifest_is_consistent():
    assert manifest_problems() == []


def test_prerequisites_are_earlier_so_there_is_no_cycle():
    for ex in EXERCISES:
        for p in ex.prereqs:
            assert EXERCISE_IDS.index(p) < EXERCISE_IDS.index(ex.id), (ex.id, p)


def test_dependents_follow_prerequisites_transitively():
    # independent oracle: the closure written out by hand from the book's chapter structure
    assert dependents("5.6.2") == ("5.7.2", "5.7.3", "5.7.4")
    assert dependents("4.2") == ("5.6.3", "5.7.2", "5.7.3", "5.7.4")
    assert dependents("5.4.1") == ("5.4.2",)
    assert dependents("5.7.4") == ()


@pytest.mark.parametrize("ex_id", EXERCISE_IDS)
def test_every_exercise_has_tests(ex_id):
    marks = _exercise_marks_in_tests()
    assert ex_id in marks, f"no test in tests/ carries @pytest.mark.exercise({ex_id!r})"


def test_every_exercise_mark_names_a_known_exercise():
    unknown = {k: v for k, v in _exercise_marks_in_tests().items() if k not in BY_ID}
    assert unknown == {}


@pytest.mark.parametrize("target", [t for ex in EXERCISES for t in ex.targets])
def test_every_target_is_a_function_of_the_reference(target):
    module, qualname = target.split(":")
    path = ROOT / f"{module}.py"
    assert path.exists(), f"{target}: no {module}.py at the repository root"
    func = stubs.find_function(ast.parse(path.read_text(encoding="utf-8")), qualname)
    assert func is not None, f"{target}: {qualname} is not a function in {module}.py"
    kept, removed = stubs.split_body(func)
    assert removed, f"{target}: nothing left for the learner to write"


def test_hints_have_three_levels_in_the_three_languages():
    for ex in EXERCISES:
        assert len(ex.hints) == 3, ex.id
        for hint in ex.hints:
            assert hint.en.strip() and hint.ko.strip() and hint.ja.strip(), ex.id
            assert re.search(r"[\uac00-\ud7a3]", hint.ko), f"{ex.id}: Korean hint has no Hangul"
            assert re.search(r"[\u3040-\u30ff]", hint.ja), f"{ex.id}: Japanese hint has no kana"


def _fields(text):
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_every_message_exists_in_the_three_languages_with_the_same_placeholders():
    for key, entry in i18n.MESSAGES.items():
        assert len(entry) == 3, f"{key}: needs (English, Korean, Japanese), has {len(entry)}"
        en, ko, ja = entry
        assert en and ko and ja, key
        assert _fields(en) == _fields(ko) == _fields(ja), key


def test_korean_is_selected_by_kata_lang(monkeypatch):
    monkeypatch.setenv("KATA_LANG", "ko")
    assert i18n.t("done") == "완료"
    monkeypatch.setenv("KATA_LANG", "ja")
    assert i18n.t("done") == "完了"
    monkeypatch.setenv("KATA_LANG", "en")
    assert i18n.t("done") == "done"


def test_every_exercise_has_a_title_in_the_three_languages():
    for ex in EXERCISES:
        assert ex.title and ex.title_ko and ex.title_ja, ex.id
        assert re.search(r"[\uac00-\ud7a3]", ex.title_ko), f"{ex.id}: Korean title has no Hangul"
        assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", ex.title_ja), f"{ex.id}: Japanese title has no kana/kanji"
