"""Hints and notes speak English, Korean and Japanese, and carry the same code in the three.

A hint level missing a language, a Korean or Japanese text that is the English (or the other column),
or a translation that changed the code, the formula or the book's section number fails here.
"""
import re

import pytest

from kata import i18n
from kata.hints import HINTS, Hint
from kata.manifest import EXERCISES
from kata.notes import NOTES, Note, note_text

HANGUL = re.compile(r"[\uac00-\ud7a3]")
KANA = re.compile(r"[\u3040-\u309f\u30a0-\u30ff]")
CODE = re.compile(r"`([^`]*)`")
# the book's section, equation and figure numbers (5.6.2, 5.13, 5-30) outside code spans
NUMBER = re.compile(r"(?<![\d.])\d+(?:[.-]\d+)+(?![.-]?\d)")
# four or more plain English words in a row, outside code: an untranslated sentence
ENGLISH_RUN = re.compile(r"(?<![\w./-])(?:[A-Za-z][a-z']+ ){3,}[A-Za-z][a-z']+(?![\w./-])")

TEXTS = ([(f"hint {ex_id}.{level}", hint) for ex_id, hints in HINTS.items() for level, hint in enumerate(hints, 1)]
         + [(f"note {key}", note) for key, note in NOTES.items()])
IDS = [name for name, _ in TEXTS]


def _code(text):
    return sorted(set(CODE.findall(text)))


def _prose(text):
    return CODE.sub(" ", text)


def test_every_exercise_has_three_hint_levels():
    assert set(HINTS) == {ex.id for ex in EXERCISES}
    for ex in EXERCISES:
        assert len(ex.hints) == 3 and all(isinstance(h, Hint) for h in ex.hints), ex.id


@pytest.mark.parametrize("name, text", TEXTS, ids=IDS)
def test_three_languages_each_in_its_script(name, text):
    assert isinstance(text, (Hint, Note))
    en, ko, ja = text.en, text.ko, text.ja
    assert en.strip() and ko.strip() and ja.strip(), name
    assert ko != en and ja != en and ko != ja, name
    assert HANGUL.search(ko), f"{name}: the Korean has no Hangul: {ko!r}"
    assert KANA.search(ja), f"{name}: the Japanese has no kana: {ja!r}"
    assert not KANA.search(ko), f"{name}: kana in the Korean: {ko!r}"
    assert not HANGUL.search(ja), f"{name}: Hangul in the Japanese: {ja!r}"
    assert not HANGUL.search(en) and not KANA.search(en), f"{name}: the English is not English: {en!r}"


@pytest.mark.parametrize("name, text", TEXTS, ids=IDS)
def test_code_and_book_numbers_are_the_same_in_every_language(name, text):
    en = text.en
    assert en.count("`") % 2 == 0 and text.ko.count("`") % 2 == 0 and text.ja.count("`") % 2 == 0, name
    for code in ("ko", "ja"):
        other = getattr(text, code)
        assert _code(other) == _code(en), f"{name} ({code}): the code spans differ from the English"
        assert sorted(set(NUMBER.findall(_prose(other)))) == sorted(set(NUMBER.findall(_prose(en)))), \
            f"{name} ({code}): the section/equation numbers differ from the English"


@pytest.mark.parametrize("name, text", TEXTS, ids=IDS)
def test_no_english_sentence_is_left_in_korean_or_japanese(name, text):
    for code in ("ko", "ja"):
        prose = _prose(getattr(text, code))
        assert not ENGLISH_RUN.search(prose), f"{name} ({code}): English left untranslated: {prose!r}"


def test_most_hints_and_notes_carry_code():
    """The code-span comparison above is only a check if the texts mark their code."""
    with_code = [name for name, text in TEXTS if _code(text.en)]
    assert len(with_code) >= 0.75 * len(TEXTS), sorted(set(IDS) - set(with_code))


@pytest.mark.parametrize("code", i18n.SUPPORTED)
def test_hints_and_notes_are_picked_in_each_language(code, monkeypatch):
    hint = HINTS["5.6.2"][1]
    assert i18n.hint_text(hint, code) == getattr(hint, code)
    monkeypatch.setenv("KATA_LANG", code)
    assert i18n.hint_text(hint) == getattr(hint, code)
    assert note_text("relu-keeps-dout", code) == getattr(NOTES["relu-keeps-dout"], code)


def test_the_japanese_uses_the_japanese_editions_terms():
    ja = " ".join(text.ja for _, text in TEXTS)
    for term in ("誤差逆伝播法", "順伝播", "逆伝播", "勾配", "バッチ", "レイヤ", "計算グラフ", "連鎖律"):
        assert term in ja, term
    for foreign in ("バックプロパゲーション", "グラディエント", "層"):  # not the edition's words
        assert foreign not in ja, foreign


def test_the_korean_uses_the_korean_editions_terms():
    ko = " ".join(text.ko for _, text in TEXTS)
    for term in ("오차역전파법", "순전파", "역전파", "기울기", "배치", "계층", "계산 그래프", "연쇄법칙", "형상"):
        assert term in ko, term
    for foreign in ("그래디언트", "백프로퍼게이션", "레이어"):
        assert foreign not in ko, foreign
