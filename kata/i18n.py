"""The language of the learner's screens and the lookups into the message catalog (kata/catalog/)."""
import os

from kata.catalog import MESSAGES  # re-exported: the one catalog

HINT_LEVEL_NAMES = {"en": ("nudge", "the book's equation", "the shape of the code"),
                    "ko": ("방향 제시", "책의 식", "코드의 모양")}


def lang():
    return "ko" if os.environ.get("KATA_LANG", "").lower().startswith("ko") else "en"


def t(key, **kw):
    en, ko = MESSAGES[key][:2]
    text = ko if lang() == "ko" else en
    return text.format(**kw) if kw else text


def title(ex):
    return ex.title_ko if lang() == "ko" and ex.title_ko else ex.title


def hint_text(hint):
    return hint.ko if lang() == "ko" else hint.en


def hint_level_name(level):
    """level: 1-based."""
    return HINT_LEVEL_NAMES[lang()][level - 1]
