"""`compare`: after an exercise passes, show the learner's functions beside the reference's.

Passing tests say the code is right, not that it is the book's way; seeing both
side by side is where a learner notices `x.T @ dout` written as
`np.dot(self.x.T, dout)`, or a mask kept the other way round. Only for exercises
the last `make check` found done (no spoilers), and only where the reference is
(an exported learner repository has none).
"""
import difflib
from pathlib import Path

from kata import stubs
from kata import workspace as wsmod
from kata.i18n import t, title
from kata.manifest import BY_ID, EXERCISES
from kata.fsutil import shown_path as _rel


def _last_done(statuses):
    done = [ex.id for ex in EXERCISES if statuses.get(ex.id) == "done"]
    return done[-1] if done else None


def compare(ws, ex_id=None, root=wsmod.ROOT, out=print):
    """Print a unified diff (reference -> yours) of each function of `ex_id` (default: the last done)."""
    ws, root = Path(ws), Path(root)
    if wsmod.exported(root):
        raise wsmod.KataError(t("compare_exported"))
    if not ws.exists():
        raise wsmod.KataError(t("no_workspace"))
    statuses = wsmod.load_state(ws).get("statuses", {})
    if ex_id is None:
        ex_id = _last_done(statuses)
        if ex_id is None:
            raise wsmod.KataError(t("compare_nothing_done"))
    if ex_id not in BY_ID:
        raise wsmod.KataError(t("bad_exercise", id=ex_id, known=", ".join(BY_ID)))
    if statuses.get(ex_id) != "done":
        raise wsmod.KataError(t("compare_not_done", id=ex_id))

    ex = BY_ID[ex_id]
    out(t("compare_header", id=ex_id, title=title(ex)))
    for target in ex.targets:
        module, qualname = target.split(":")
        reference = stubs.function_text((root / f"{module}.py").read_text(encoding="utf-8"), qualname)
        yours_path = ws / f"{module}.py"
        yours = stubs.function_text(wsmod.read_learner_text(yours_path), qualname)
        if yours is None:
            out(t("compare_missing", name=qualname, path=yours_path))
            continue
        diff = list(difflib.unified_diff(reference[2].splitlines(keepends=True), yours[2].splitlines(keepends=True),
                                         fromfile=f"reference {module}.py:{reference[0]} {qualname}",
                                         tofile=f"yours {_rel(yours_path)}:{yours[0]}"))
        if not diff:
            out(t("compare_same", name=qualname))
        for line in diff:
            out(line.rstrip("\n"))
    return 0
