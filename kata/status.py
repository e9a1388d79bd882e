"""The kata's typed vocabulary: what a test run says about a test and about an exercise.

The pytest plugin writes test records as JSON; the runner reads them back and folds them
into one ExerciseResult per exercise. Both enums are `str` enums, so the JSON report and
the tests can compare them with plain strings ("done", "wrong", ...).
"""
from dataclasses import asdict, dataclass, field
from enum import Enum
from pathlib import Path

from kata.manifest import EXERCISES, with_prerequisites


class Kind(str, Enum):
    """What one test's outcome means for the learner."""
    PASSED = "passed"
    NOT_STARTED = "not_started"   # a stub raised NotImplementedError
    WRONG = "wrong"               # an assertion failed: the code runs, the values are off
    ERROR = "error"               # the learner's code crashed
    TIMEOUT = "timeout"
    NOTE = "note"                 # an extra beyond the book failed: reported, not required
    BLOCKED = "blocked"           # skipped: a prerequisite exercise is not done
    GATED = "gated"               # skipped: this exercise's fast tests fail (slow/note tests wait)
    SKIPPED = "skipped"           # skipped for another reason (e.g. no MNIST)


class Status(str, Enum):
    """What the screen says about one exercise."""
    DONE = "done"
    NOT_STARTED = "not_started"
    WRONG = "wrong"
    ERROR = "error"
    TIMEOUT = "timeout"
    BLOCKED = "blocked"
    UNTESTED = "untested"         # its tests were all skipped
    NOT_CHECKED = "not_checked"   # after the first exercise that is not done: not run this time


class FindingKind(str, Enum):
    """What a failing test found, most fundamental first (the order ranks failures: FINDING_ORDER)."""
    CRASH = "crash"               # the learner's code raised
    TIMEOUT = "timeout"
    NONE = "none"                 # None where an array was expected (a missing return)
    SHAPE = "shape"               # an array of the wrong shape
    DTYPE = "dtype"               # not numbers
    NUMPY = "numpy"               # numpy reported an overflow, log(0) or NaN inside the code
    MUTATED = "mutated"           # the code changed an array it was given
    VALUES = "values"             # the numbers differ from the expected ones
    NOT_RAISED = "not_raised"     # no error for an input that needs one
    EXTRA_ABSENT = "extra_absent"  # an extra beyond the book is absent: a note
    STUB = "stub"                 # a stub still raises NotImplementedError
    OTHER = "other"


FINDING_ORDER = tuple(FindingKind)
# "likely mistake" lines of tests/checks.py's generic classifiers: they describe the numbers, not a formula
GENERIC_MISTAKES = ("every value is ", "values are NaN or inf")


@dataclass
class Finding:
    """The facts of one failure: what was checked, what was expected and got, the likely mistakes.

    quantity: what the check is about ("Affine db", "SoftmaxWithLoss.forward (loss)");
    expected/got: shapes or values as the check states them ("(3,)", "(2, 3)"; "" when not stated);
    mistakes: the "likely mistake" lines the check's numbers support, most specific first ([] when
    nothing fits: the screen then says plainly what differs and where);
    note: for EXTRA_ABSENT, the key of the note that describes the code.
    """
    kind: FindingKind
    quantity: str = ""
    expected: str = ""
    got: str = ""
    mistakes: list = field(default_factory=list)
    note: str | None = None

    def rank(self):
        """Sort key of the failure to show first: one that names a specific mistake, then one with a generic
        description of the numbers ("every value is 0", "... times the right one"), then the most fundamental."""
        generic = all(any(g in m for g in GENERIC_MISTAKES) for m in self.mistakes)
        return (not self.mistakes, generic, FINDING_ORDER.index(self.kind))

    def to_json(self):
        out = asdict(self)
        out["kind"] = self.kind.value
        return out

    @classmethod
    def from_json(cls, data):
        data = dict(data or {})
        try:
            kind = FindingKind(data.get("kind", "other"))
        except ValueError:
            kind = FindingKind.OTHER
        return cls(kind, str(data.get("quantity", "")), str(data.get("expected", "")), str(data.get("got", "")),
                   [str(m) for m in data.get("mistakes") or []], data.get("note"))


@dataclass
class TestRecord:
    """One test's outcome as the plugin reports it (JSON: asdict)."""
    nodeid: str
    outcome: str                  # "passed", "failed", "skipped"
    kind: Kind
    message: str = ""
    location: dict | None = None  # {"path", "line", "source", "learner"}
    exercises: list = field(default_factory=list)
    note: str | None = None       # the note key of a test that checks an extra
    slow: bool = False
    when: str = "call"
    duration: float = 0.0
    finding: Finding | None = None  # the facts of a failure (None for a pass or a skip)
    output: dict | None = None      # what the code printed during a failing test: {"lines", "total"}

    def to_json(self):
        out = asdict(self)
        out["kind"] = self.kind.value
        out["finding"] = self.finding.to_json() if self.finding else None
        return out


@dataclass
class ExerciseResult:
    """The verdict on one exercise, folded from its tests' records."""
    status: Status
    passed: int = 0
    failed: int = 0
    total: int = 0
    first: dict | None = None          # the failure to show (most fundamental first)
    blocked_by: str | None = None
    skipped: list = field(default_factory=list)
    notes: dict = field(default_factory=dict)   # note key -> the first failing record's message
    cached: bool = False                # the verdict comes from the cache, not from this run

    def to_dict(self):
        out = asdict(self)
        out["status"] = self.status.value
        return out


# --------------------------------------------------------------------------- folding records into verdicts

def _with_prereqs(ids):
    return list(with_prerequisites(ids))


def _rank(record):
    """How telling a failure is (kata.status.Finding.rank): one whose numbers name a mistake first,
    then the most fundamental (a crash, nothing returned, a wrong shape, ..., wrong values)."""
    return Finding.from_json(record.get("finding") or {"kind": "other"}).rank()


def _most_telling(failed):
    """The failure to show: among those that are not a stub's, the one that names a likely mistake, the
    most fundamental first (a named mistake in a later check beats an unexplained crash in an earlier one)."""
    real = [r for r in failed if r["kind"] != Kind.NOT_STARTED]
    if not real:
        return (failed or [None])[0]
    return min(real, key=_rank)


def statuses(report, only=None):
    """{exercise id: ExerciseResult as a dict} in book order."""
    wanted = set(_with_prereqs(only)) if only else None
    strict = report.get("strict", False)
    out = {}
    for ex in EXERCISES:
        if wanted is not None and ex.id not in wanted:
            continue
        mine = [r for r in report["results"] if ex.id in r["exercises"]]
        notes = {}
        for r in mine:
            if r["kind"] == Kind.NOTE:
                notes.setdefault(r["note"], r["message"])
        # a note test that failed other than as a note found the extra attempted and wrong: it counts
        contract = [r for r in mine if strict or not r.get("note") or (
            r["outcome"] == "failed" and r["kind"] != Kind.NOTE)]
        failed = [r for r in contract if r["outcome"] == "failed"]
        passed = [r for r in contract if r["outcome"] == "passed"]
        blocked = [r for r in contract if r["kind"] == Kind.BLOCKED]
        kinds = {r["kind"] for r in failed}
        if not mine and report["collect_errors"]:
            status = Status.ERROR  # its test module did not import
        elif kinds & {Kind.WRONG, Kind.ERROR, Kind.TIMEOUT}:
            status = Status.TIMEOUT if kinds == {Kind.TIMEOUT} else (
                Status.WRONG if Kind.WRONG in kinds else Status.ERROR)
        elif Kind.NOT_STARTED in kinds:
            status = Status.NOT_STARTED
        elif blocked:
            status = Status.BLOCKED
        elif passed:
            status = Status.DONE
        else:
            status = Status.UNTESTED
        result = ExerciseResult(
            status=status, passed=len(passed), failed=len(failed), total=len(passed) + len(failed),
            first=_most_telling(failed),
            blocked_by=blocked[0]["message"].split(":", 1)[1] if blocked else None,
            skipped=sorted({r["message"] for r in mine if r["kind"] == Kind.SKIPPED}),
            notes=notes if status == Status.DONE else {})
        out[ex.id] = result.to_dict()
    return out


def current_exercise(report):
    """The first exercise (book order) that is not done, or None."""
    return next((i for i, s in report["statuses"].items() if s["status"] != "done"), None)


def all_done(report):
    """Every exercise of the chapter done, on the learner's own files."""
    sts = report["statuses"]
    return (len(sts) == len(EXERCISES) and all(s["status"] == "done" for s in sts.values())
            and not wrong_files(report) and not report["collect_errors"])


def wrong_files(report):
    """Reference-named modules that were NOT imported from the workspace (must be empty)."""
    ws = Path(report["workspace"]).resolve()
    return {n: p for n, p in report["modules"].items() if Path(p).resolve().parent != ws}
