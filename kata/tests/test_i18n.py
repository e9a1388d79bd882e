"""The message catalog speaks three languages completely, and the screen's language is chosen as documented.

A catalog key missing a language, a placeholder lost in translation or a column pasted into the wrong
language fails here, not on a learner's screen.
"""
import locale
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest

from kata import catalog, i18n
from kata.catalog import cli, core, notebook
from kata.manifest import EXERCISES

ROOT = Path(__file__).resolve().parents[2]
HANGUL = re.compile(r"[\uac00-\ud7a3]")
KANA = re.compile(r"[\u3040-\u309f\u30a0-\u30ff]")
KANJI = re.compile(r"[\u4e00-\u9fff]")
LOCALE_VARS = ("KATA_LANG", "LC_ALL", "LC_MESSAGES", "LANG")

# Keys whose text is the same in every language, each with the reason (only placeholders and symbols).
SAME_IN_EVERY_LANGUAGE = {
    "progress": "only placeholders: `{done}/{total} {bar}`",
}
# Japanese without kana is only acceptable for a few short words written in kanji (完了, 未確認, 補足{n}件):
# a longer text without kana is not Japanese.
SHORT_KANJI_ONLY = 12

KEYS = sorted(i18n.MESSAGES)
# a language's own name may appear in any language's text ("ko (한국어)" in the list of languages)
OWN_NAMES = ("한국어", "日本語")


def _without_language_names(text):
    for name in OWN_NAMES:
        text = text.replace(name, "")
    return text


PERCENT = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]")  # argparse's own %-style texts


def _fields(text):
    """The placeholders of a text: `{name}` with conversion and spec, and the %-style ones argparse fills."""
    braces = {(name, conv, spec) for _, name, spec, conv in string.Formatter().parse(text) if name is not None}
    return braces | {("%", m.group(0)) for m in PERCENT.finditer(text) if m.group(0) != "%%"}


def _dummy_values(text):
    values = {}
    for _, name, spec, _ in string.Formatter().parse(text):
        if name:
            base = re.split(r"[.\[]", name)[0]
            values[base] = 1.5 if spec else f"<{base}>"
    return values


def _without_placeholders(text):
    return PERCENT.sub("", "".join(literal for literal, *_ in string.Formatter().parse(text)))


def test_the_catalog_is_the_merge_of_its_areas():
    assert i18n.MESSAGES is catalog.MESSAGES
    areas = (core.MESSAGES, cli.MESSAGES, notebook.MESSAGES)
    assert set(i18n.MESSAGES) == set().union(*areas)
    assert sum(len(a) for a in areas) == len(i18n.MESSAGES), "a key is defined in two areas"
    assert "done" in i18n.MESSAGES and len(i18n.MESSAGES) > 80


def test_keys_listed_as_language_neutral_really_have_no_words():
    for key, reason in SAME_IN_EVERY_LANGUAGE.items():
        assert key in i18n.MESSAGES, f"{key} is listed as language-neutral but is no catalog key ({reason})"
        for text in i18n.MESSAGES[key]:
            assert not re.search(r"[A-Za-z]", _without_placeholders(text)), (key, text)


@pytest.mark.parametrize("key", KEYS)
def test_every_key_has_three_languages_with_the_same_placeholders(key):
    entry = i18n.MESSAGES[key]
    assert isinstance(entry, tuple) and len(entry) == 3, f"{key}: needs (English, Korean, Japanese)"
    en, ko, ja = entry
    assert all(isinstance(text, str) and text.strip() for text in entry), key
    assert _fields(en) == _fields(ko), f"{key}: Korean placeholders differ from the English"
    assert _fields(en) == _fields(ja), f"{key}: Japanese placeholders differ from the English"


@pytest.mark.parametrize("key", KEYS)
def test_korean_is_korean_and_japanese_is_japanese(key):
    en, ko, ja = i18n.MESSAGES[key]
    if key in SAME_IN_EVERY_LANGUAGE:
        assert en == ko == ja, key
        return
    assert ko != en, f"{key}: the Korean is the English"
    assert ja != en, f"{key}: the Japanese is the English"
    assert HANGUL.search(ko), f"{key}: the Korean has no Hangul: {ko!r}"
    assert not KANA.search(_without_language_names(ko)), f"{key}: kana in the Korean (the Japanese column?): {ko!r}"
    assert not HANGUL.search(_without_language_names(ja)), f"{key}: Hangul in the Japanese (the Korean column?): {ja!r}"
    assert KANA.search(ja) or KANJI.search(ja), f"{key}: the Japanese has neither kana nor kanji: {ja!r}"
    if not KANA.search(ja):
        assert len(_without_placeholders(ja)) <= SHORT_KANJI_ONLY, f"{key}: Japanese without kana: {ja!r}"


# four or more plain English words in a row, outside `code` and placeholders: an untranslated sentence
ENGLISH_RUN = re.compile(r"(?<![\w./-])(?:[A-Za-z][a-z']+ ){3,}[A-Za-z][a-z']+(?![\w./-])")


@pytest.mark.parametrize("key", KEYS)
def test_no_english_sentence_is_left_in_korean_or_japanese(key):
    for code, text in zip(i18n.SUPPORTED[1:], i18n.MESSAGES[key][1:]):
        prose = _without_placeholders(re.sub(r"`[^`]*`", " ", text))
        assert not ENGLISH_RUN.search(prose), f"{key} ({code}): English left untranslated: {text!r}"


@pytest.mark.parametrize("key", KEYS)
def test_every_message_formats_in_every_language(key):
    values = _dummy_values(i18n.MESSAGES[key][0])
    for code in i18n.SUPPORTED:
        text = i18n.t_in(code, key, **values)
        assert text == i18n.MESSAGES[key][i18n.SUPPORTED.index(code)].format(**values)
        for value in values.values():
            if isinstance(value, str):
                assert value in text, (key, code, value)


def test_t_uses_the_screen_language(monkeypatch):
    for var in LOCALE_VARS:
        monkeypatch.delenv(var, raising=False)
    expected = {"en": "done", "ko": "완료", "ja": "完了"}
    for code, word in expected.items():
        monkeypatch.setenv("KATA_LANG", code)
        assert i18n.t("done") == word
        assert i18n.t_in(code, "done") == word
    monkeypatch.setenv("KATA_LANG", "ja")
    assert i18n.t("blocked", by="5.4.1") == "5.4.1の完了待ち"
    assert i18n.t_in("ko", "blocked", by="5.4.1") == "5.4.1 완료 후 진행"


# (environment, what locale.getlocale() says, the screen language)
RESOLUTION = [
    ({}, (None, None), "en"),
    ({"KATA_LANG": "ko"}, (None, None), "ko"),
    ({"KATA_LANG": "ja"}, (None, None), "ja"),
    ({"KATA_LANG": "en"}, ("ko_KR", "UTF-8"), "en"),
    ({"KATA_LANG": "ko_KR.UTF-8"}, (None, None), "ko"),
    ({"KATA_LANG": "fr"}, (None, None), "en"),
    ({"KATA_LANG": "fr", "LANG": "ko_KR.UTF-8"}, (None, None), "en"),  # an unknown choice is English
    ({"KATA_LANG": "en", "LC_ALL": "ko_KR.UTF-8", "LANG": "ja_JP.UTF-8"}, (None, None), "en"),
    ({"KATA_LANG": "ja", "LC_ALL": "ko_KR.UTF-8"}, (None, None), "ja"),
    ({"LC_ALL": "ja_JP.UTF-8", "LC_MESSAGES": "ko_KR.UTF-8", "LANG": "ko_KR.UTF-8"}, (None, None), "ja"),
    ({"LC_ALL": "C", "LANG": "ko_KR.UTF-8"}, (None, None), "en"),  # LC_ALL overrides LANG, also as C
    ({"LC_MESSAGES": "ko_KR.UTF-8", "LANG": "ja_JP.UTF-8"}, (None, None), "ko"),
    ({"LC_MESSAGES": "POSIX", "LANG": "ja_JP.UTF-8"}, (None, None), "en"),
    ({"LANG": "ko_KR.UTF-8"}, (None, None), "ko"),
    ({"LANG": "ko_KR.eucKR"}, (None, None), "ko"),
    ({"LANG": "ko"}, (None, None), "ko"),
    ({"LANG": "ja_JP.UTF-8"}, (None, None), "ja"),
    ({"LANG": "ja_JP.eucJP"}, (None, None), "ja"),
    ({"LANG": "ja"}, (None, None), "ja"),
    ({"LANG": "en_US.UTF-8"}, ("ko_KR", "UTF-8"), "en"),  # a set variable wins over the system locale
    ({"LANG": "C.UTF-8"}, (None, None), "en"),
    ({"LANG": "C"}, (None, None), "en"),
    ({"LANG": "POSIX"}, (None, None), "en"),
    ({"LANG": "de_DE.UTF-8"}, (None, None), "en"),
    ({"LANG": ""}, ("ko_KR", "UTF-8"), "ko"),  # empty is unset
    # Windows: no locale variables, the system locale in its Windows or its POSIX-like spelling
    ({}, ("Korean_Korea", "949"), "ko"),
    ({}, ("ko_KR", "cp949"), "ko"),
    ({}, ("Japanese_Japan", "932"), "ja"),
    ({}, ("ja_JP", "cp932"), "ja"),
    ({}, ("English_United States", "1252"), "en"),
    ({}, ("C", "UTF-8"), "en"),
]


@pytest.mark.parametrize("env, system, expected", RESOLUTION)
def test_lang_resolution_order(env, system, expected, monkeypatch):
    for var in LOCALE_VARS:
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    monkeypatch.setattr(locale, "getlocale", lambda *a: system)
    assert i18n.lang() == expected


def test_an_unparsable_system_locale_is_english(monkeypatch):
    for var in LOCALE_VARS:
        monkeypatch.delenv(var, raising=False)

    def broken(*a):
        raise ValueError("unknown locale: UTF-8")
    monkeypatch.setattr(locale, "getlocale", broken)
    assert i18n.lang() == "en"


def test_set_lang_wins_and_exports_kata_lang(monkeypatch):
    for var in LOCALE_VARS:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("KATA_LANG", "ko")
    monkeypatch.setenv("LANG", "ko_KR.UTF-8")
    assert i18n.set_lang("ja") == "ja"
    assert i18n.lang() == "ja"
    assert i18n.os.environ["KATA_LANG"] == "ja"
    assert i18n.t("done") == "完了"
    assert i18n.set_lang("en") == "en" and i18n.t("done") == "done"


def test_set_lang_none_exports_the_resolved_language(monkeypatch):
    for var in LOCALE_VARS:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "ko_KR.UTF-8")
    assert i18n.set_lang(None) == "ko"
    assert i18n.os.environ["KATA_LANG"] == "ko"


def test_set_lang_refuses_an_unknown_language(monkeypatch):
    monkeypatch.setenv("KATA_LANG", "ko")
    with pytest.raises(ValueError, match=r"en\|ko\|ja"):
        i18n.set_lang("fr")
    assert i18n.os.environ["KATA_LANG"] == "ko"


def test_a_child_process_inherits_the_language(monkeypatch):
    for var in LOCALE_VARS:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("PYTHONIOENCODING", "utf-8")  # the pipe's encoding is not what this test is about
    i18n.set_lang("ja")
    child = subprocess.run([sys.executable, "-c", "from kata.i18n import t; print(t('done'))"],
                           encoding="utf-8", capture_output=True, cwd=ROOT, timeout=60)
    assert child.returncode == 0, child.stderr
    assert child.stdout.strip() == "完了"


def test_every_exercise_has_a_title_in_each_language(monkeypatch):
    for ex in EXERCISES:
        assert ex.title and ex.title_ko and ex.title_ja, ex.id
        assert ex.title_ko != ex.title and ex.title_ja != ex.title, ex.id
        assert HANGUL.search(ex.title_ko), ex.id
        assert KANA.search(ex.title_ja) or KANJI.search(ex.title_ja), ex.id
        assert (i18n.title(ex, "en"), i18n.title(ex, "ko"), i18n.title(ex, "ja")) == (
            ex.title, ex.title_ko, ex.title_ja)
        monkeypatch.setenv("KATA_LANG", "ja")
        assert i18n.title(ex) == ex.title_ja


def test_hint_level_names_and_pick(monkeypatch):
    assert i18n.hint_level_name(1, "en") == "nudge"
    assert [i18n.hint_level_name(level, "ja") for level in (1, 2, 3)] == ["手がかり", "本の式", "コードの形"]
    assert [i18n.hint_level_name(level, "ko") for level in (1, 2, 3)] == ["방향 제시", "책의 식", "코드의 모양"]

    class Text:
        en, ko, ja = "x", "엑스", "エックス"
    monkeypatch.setenv("KATA_LANG", "ja")
    assert i18n.pick(Text()) == "エックス" and i18n.hint_text(Text()) == "エックス"
    assert i18n.pick(Text(), "ko") == "엑스"
    assert i18n.hint_level_name(2) == "本の式"
