"""The language of the learner's screens and the lookups into the message catalog (kata/catalog/).

The language is, in order: the one `set_lang` chose (the CLI's --lang), KATA_LANG, the POSIX locale
variables (LC_ALL, LC_MESSAGES, LANG: the first one set decides, as for every POSIX program), the
system locale (Windows: "Korean_Korea", "ja_JP", ...), else English. `set_lang` exports its choice as
KATA_LANG, so every child process the kata starts (the pytest child, the watch worker, a notebook's
check) speaks the same language.
"""
import locale
import os

from kata.catalog import MESSAGES  # re-exported: the one catalog

SUPPORTED = ("en", "ko", "ja")
_ENV_ORDER = ("KATA_LANG", "LC_ALL", "LC_MESSAGES", "LANG")
# the first part of a locale name ("ko_KR.UTF-8" -> "ko"; Windows: "Korean_Korea.949" -> "korean")
_LANGUAGE_NAMES = {"ko": "ko", "korean": "ko", "kor": "ko", "ja": "ja", "japanese": "ja", "jpn": "ja"}

HINT_LEVEL_NAMES = {"en": ("nudge", "the book's equation", "the shape of the code"),
                    "ko": ("방향 제시", "책의 식", "코드의 모양"),
                    "ja": ("手がかり", "本の式", "コードの形")}


def _from_locale_name(name):
    """"ko_KR.UTF-8", "ja", "Korean_Korea.949", "C", "fr_FR" -> "ko", "ja", "ko", "en", "en"."""
    base = name.strip().lower().split(".")[0].split("@")[0].replace("-", "_")
    return _LANGUAGE_NAMES.get(base.split("_")[0], "en")


def _system_locale():
    try:
        name = locale.getlocale()[0]
    except (ValueError, TypeError):  # an unparsable locale name
        return None
    return name or None


def lang():
    """The screen's language: one of SUPPORTED."""
    for var in _ENV_ORDER:
        value = os.environ.get(var, "").strip()
        if value:
            return _from_locale_name(value)
    system = _system_locale()
    return _from_locale_name(system) if system else "en"


def set_lang(code=None):
    """Choose the language (None: the one lang() resolves) and export it to child processes."""
    if code is None:
        code = lang()
    normal = str(code).strip().lower()
    if normal not in SUPPORTED:
        raise ValueError(f"unknown language {code!r}: choose one of {'|'.join(SUPPORTED)}")
    os.environ["KATA_LANG"] = normal
    return normal


def t_in(code, key, /, **kw):
    """The message `key` in language `code`, formatted with kw."""
    text = MESSAGES[key][SUPPORTED.index(code)]
    return text.format(**kw) if kw else text


def t(key, /, **kw):
    """The message `key` in the screen's language."""
    return t_in(lang(), key, **kw)


def pick(obj, code=None):
    """The text of a Hint / Note (fields en, ko, ja) in `code` (default: the screen's language)."""
    return getattr(obj, code or lang())


def title(ex, code=None):
    code = code or lang()
    return {"en": ex.title, "ko": ex.title_ko, "ja": ex.title_ja}[code] or ex.title


def hint_text(hint, code=None):
    return pick(hint, code)


def hint_level_name(level, code=None):
    """level: 1-based."""
    return HINT_LEVEL_NAMES[code or lang()][level - 1]
