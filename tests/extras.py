"""Extras beyond the book (kata/notes.py): what a note test decides, in three outcomes.

A test marked @pytest.mark.note("<key>") checks something the reference does beyond the
book's code (label targets, multiplying by dout, tensor input, ...). Its outcome is one of:

- absent: the code does on the extra's input what the book's code does there (the same
  value, or the same kind of failure). The test raises ExtraAbsent: in the kata that is a
  note, told after the exercise is done and never blocking it (`check --strict`: a failure);
  under `make test` (the reference must have every extra) it fails like any assertion.
- present and right: the test passes.
- present and wrong: the code attempts the extra and gets it wrong. The test fails with an
  ordinary AssertionError that names the mistake: in the kata the exercise is *wrong*.

So a note is shown only where the code really behaves like the book's, and its text
(`note`, which may be a variant of the marker's key) describes the code in front of it.

Import as `from extras import ...` (pytest puts tests/ on sys.path).
"""
import re
import traceback
import warnings
from contextlib import contextmanager
from pathlib import Path

import numpy as np


class ExtraAbsent(AssertionError):
    """The code behaves like the book's on an extra's input: a note, not a mistake.

    key: the marker's note key; note: the key of the note text that describes what was
    seen (a variant of key, e.g. "clear-errors-silent"); seen: what the code did, in one line.
    """

    kata_extra_absent = True  # what the kata's plugin looks for (it does not import the tests)

    def __init__(self, key, seen, note=None):
        self.key = key
        self.note = note or key
        self.seen = seen
        super().__init__(f"{self.note}: {seen} (an extra beyond the book, see kata/notes.py)")


def outcome(call):
    """("value", result) or ("raised", exception) of call(), numpy warnings silenced.

    The book's code may overflow or divide by zero on an extra's input; what matters
    here is what it returns or raises, not its warnings.
    """
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            return "value", call()
        except Exception as exc:  # noqa: BLE001 - any failure is an outcome to compare
            return "raised", exc


def same_values(a, b):
    """Equal shapes and values (NaN equal to NaN), compared in float64; False if either is not numeric."""
    try:
        a = np.asarray(a, dtype=np.float64)
        b = np.asarray(b, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    if a.shape != b.shape:
        return False
    both_nan = np.isnan(a) & np.isnan(b)
    with np.errstate(invalid="ignore"):
        close = np.isclose(a, b, rtol=1e-9, atol=1e-12)
    return bool(np.all(close | both_nan))


def raised_by_a_raise_statement(exc):
    """Did the code raise `exc` on purpose (a `raise` line of Python code), rather than numpy or
    an attribute look-up failing inside an expression? The innermost frame's line tells."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return False
    line = (frames[-1].line or "").lstrip()
    return line.startswith("raise ") or line == "raise"


def describe(exc):
    """Python's words for exc, quoted as code on one line of at most 160 characters:
    '`ValueError: operands could not be broadcast ...`' (the screens translate the sentence
    around it, never Python's own message)."""
    text = " ".join(str(exc).split()).replace("`", "'")
    if len(text) > 160:
        text = text[:157] + "..."
    return f"`{type(exc).__name__}: {text}`" if text else f"`{type(exc).__name__}`"


def is_broadcast_error(exc, shape):
    """numpy's error for combining arrays whose shapes do not broadcast, naming `shape` (a tuple)."""
    text = str(exc).replace(" ", "")
    wanted = "(" + ",".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"
    return isinstance(exc, ValueError) and "broadcast" in str(exc) and wanted in text


@contextmanager
def crash_is_absent(key, what, note=None):
    """An exception other than an AssertionError inside the block (the code failing on the extra's
    input, as the book's code does there) is the extra absent; an assertion is a mistake.

    For tests downstream of the exercise that owns an extra (5.7.3 with label targets, 5.7.2 with
    image tensors): that exercise's own note test has already told "absent" from "wrong".
    """
    try:
        yield
    except AssertionError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise ExtraAbsent(key, f"{what} raised {describe(exc)}", note) from exc


REPOSITORY = Path(__file__).resolve().parents[1]


def raised_by_reference(exc):
    """Was exc raised in this repository's own top-level modules (the reference), not in a learner's
    workspace? The reference must say what it expects in its own words (the tests' `match`)."""
    frames = traceback.extract_tb(exc.__traceback__)
    return bool(frames) and Path(frames[-1].filename).resolve().parent == REPOSITORY


def check_refuses(what, call, expected, match):
    """Bad input must give a clear error (note "clear-errors"), in three outcomes:

    right: the reference's `expected` error matching `match`, or, in a learner's code, an error
    raised on purpose by a `raise` line (their own words); absent: an error from deep inside the
    computation (numpy, an attribute of None), or none at all (the book's code goes on with it:
    note "clear-errors-silent"). The reference itself must raise exactly `expected`/`match`.
    """
    kind, result = outcome(call)
    if kind == "raised":
        if isinstance(result, AssertionError):
            raise result
        if isinstance(result, expected) and re.search(match, str(result)):
            return
        if raised_by_a_raise_statement(result) and not raised_by_reference(result):
            return
        if raised_by_reference(result):
            raise AssertionError(f"{what}: expected {expected.__name__} matching {match!r}, got {describe(result)}")
        raise ExtraAbsent("clear-errors", f"{what}: {describe(result)}, from inside the computation")
    raise ExtraAbsent("clear-errors", f"{what}: no error, the code went on with it", note="clear-errors-silent")
