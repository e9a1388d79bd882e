"""`check` and `hint`: plan what to run (remembered verdicts), run it in waves, remember, show the screen.

The pieces, one module each: kata.testrun runs the tests and returns the plugin's report,
kata.status folds its records into each exercise's verdict, kata.screen draws the screen from them,
kata.watch re-runs check on every save. Their public names are also importable from here.
"""
from pathlib import Path

from kata import verdicts
from kata import workspace as wsmod
from kata.fsutil import shown_path as _rel
from kata.i18n import hint_level_name, hint_text, t, title
from kata.manifest import BY_ID, EXERCISES
from kata.notes import NOTES
from kata.screen import _explain, render  # noqa: F401 (the screen, importable from here)
from kata.screen import facts as screen_facts
from kata.status import (ExerciseResult, Status, _with_prereqs, all_done, current_exercise,  # noqa: F401
                         statuses, wrong_files)
from kata.testrun import (RUN_PREFIX, KataInterrupted, Worker, remove_stale_run_folders,  # noqa: F401
                          run_tests, salvage_report, shadowing_files, strict_from_env)

ROOT = wsmod.ROOT


def plan(ws, root=ROOT, fast=False, only=None, strict=False, fresh=False):
    """What a check must run: (current keys, cache, remembered-done ids, ids to run, test files)."""
    keys = verdicts.keys(ws, root, strict)
    cache = {} if fresh else verdicts.load(ws)
    known = verdicts.remembered_done(cache, keys, full=not fast)
    wanted = set(_with_prereqs(only)) if only else {ex.id for ex in EXERCISES}
    to_run = [ex.id for ex in EXERCISES if ex.id in wanted and ex.id not in known]
    by_exercise = verdicts.test_files(root)
    files = sorted({f for ex_id in to_run for f in by_exercise[ex_id]})
    return keys, cache, known & wanted, to_run, files


def remembered_report(ws):
    """The report of a check that ran nothing: every wanted exercise is remembered done
    (finish_statuses fills in the statuses)."""
    ws = Path(ws).resolve()
    modules = {name: str(ws / f"{name}.py") for name in sorted({t.split(":")[0] for ex in EXERCISES
                                                                   for t in ex.targets})}
    report = {"workspace": str(ws), "modules": modules, "results": [], "collect_errors": [],
              "exitstatus": 0, "strict": False, "seconds": 0.0, "fast": False, "statuses": {}}
    return report


def finish_statuses(report, known, last, stopped, only=None, cache=None):
    """Remembered exercises are done (marked so, with the notes they had when they passed);
    exercises after the stop are "not checked yet"."""
    wanted = set(_with_prereqs(only)) if only else {ex.id for ex in EXERCISES}
    out = {}
    for ex in EXERCISES:
        if ex.id not in wanted:
            continue
        st = report["statuses"].get(ex.id)
        if ex.id in known:
            st = ExerciseResult(Status.DONE, cached=True, notes=_remembered_notes(cache, ex.id)).to_dict()
        elif st is None or (stopped and st["total"] == 0 and not st["skipped"] and st["status"] == "untested"):
            st = ExerciseResult(Status.NOT_CHECKED).to_dict()
            st["last"] = last.get(ex.id)
        out[ex.id] = st
    report["statuses"] = out
    return report


def _remembered_notes(cache, ex_id):
    """The notes a remembered exercise had when it passed (a note is taught on every screen while
    it holds, not only on the run that found it); a damaged entry is simply no notes."""
    notes = ((cache or {}).get(ex_id) or {}).get("notes")
    if not isinstance(notes, dict):
        return {}
    return {k: v for k, v in notes.items() if k in NOTES and isinstance(v, str)}


def _waves(to_run, warm):
    """The exercises to run, split into runs. The first exercise alone: the learner is usually
    working on it and its few test files collect fast. Then, in a fresh process per run (about
    1 s of start-up each), all the others at once; with a warm worker (a fork costs little,
    collecting every remaining test file does: 2-5 s measured after 5.6.3 was done), the next
    exercise alone too, since it is most often the stub the learner turns to next."""
    if warm:
        return [chunk for chunk in (to_run[:1], to_run[1:2], to_run[2:]) if chunk]
    return [chunk for chunk in (to_run[:1], to_run[1:]) if chunk]


def _run_in_waves(ws, root, fast, strict, known, to_run, log, worker=None, between=None):
    """Run the waves in book order, stopping after the first wave whose last exercise is not done
    (later exercises are then not checked yet); one report of them all. between(report): called
    with the report so far before each further wave (watch shows the saved exercise's verdict
    while the next ones run)."""
    by_exercise = verdicts.test_files(root)
    done, ran = set(known), []
    merged = None
    for wave in _waves(to_run, worker is not None):
        if merged is not None and between is not None:
            between(merged)
        files = sorted({f for ex_id in wave for f in by_exercise[ex_id]})
        report = run_tests(ws, root, fast=fast, only=wave, log_path=log, strict=strict, done=done,
                           stop=True, files=files, worker=worker)
        if merged is not None:
            report["results"] = merged["results"] + report["results"]
            report["modules"] = {**merged["modules"], **report["modules"]}
            # an earlier wave's verdicts are its own exercises' (a later run knows them only as done)
            report["statuses"] = {**report["statuses"], **{k: merged["statuses"][k] for k in ran}}
            report["statuses"] = {ex.id: report["statuses"][ex.id] for ex in EXERCISES
                                  if ex.id in report["statuses"]}
        merged = report
        ran += wave
        finished = [ex_id for ex_id in wave if report["statuses"][ex_id]["status"] == "done"]
        done |= set(finished)
        if len(finished) < len(wave) or report["collect_errors"]:
            break
    return merged


def check(ws, root=ROOT, fast=False, only=None, out=print, strict=None, fresh=False, worker=None,
          interim=None):
    """Run, print, remember; return the exit status (0 when all done, or `only` done).

    In book order, stopping at the first exercise that is not done; exercises whose remembered
    verdict still holds (kata.verdicts) are not run again. fresh: forget the verdicts and run
    every exercise (check --all). interim(lines): when an exercise is done and the next ones
    still have to run, the screen so far (those shown as not checked yet), before the final one.
    """
    ws = Path(ws)
    if not ws.exists():
        raise wsmod.KataError(t("no_workspace"))
    strict = strict_from_env() if strict is None else strict
    log = wsmod.meta_dir(ws) / "last-run.log"
    wsmod.link_packages(ws, root)  # a workspace made before the links existed gets them (never overwritten)
    keys, cache, known, to_run, files = plan(ws, root, fast, only, strict, fresh)
    state = wsmod.load_state(ws)
    if not to_run:
        report = remembered_report(ws)
    elif fresh:
        report = run_tests(ws, root, fast=fast, only=only, log_path=log, strict=strict, files=files, worker=worker)
    else:
        between = None
        if interim is not None:
            def between(so_far):
                screen = {**so_far, "strict": strict, "statuses": dict(so_far["statuses"])}
                finish_statuses(screen, known, state.get("statuses", {}), stopped=True, only=only, cache=cache)
                interim(render(screen, ws, root) + ["", t("checking_next")])
        report = _run_in_waves(ws, root, fast, strict, known, to_run, log, worker, between)
    report["strict"] = strict
    finish_statuses(report, known, state.get("statuses", {}), stopped=not fresh, only=only, cache=cache)
    if only:  # the progress bar counts every exercise: those not checked now as remembered
        remembered = verdicts.remembered_done(cache, keys, full=not fast)
        report["done_elsewhere"] = sorted(remembered - set(report["statuses"]))
    report["facts"] = screen_facts(report, ws, root)  # the files read, the graph drawn: before the screen
    for line in render(report, ws, root):
        out(line)
    if to_run:
        out(t("full_log", path=_rel(log)))
    # remember what this run found done, under the keys computed before it ran, if no file changed
    # during the run (the tests imported the files later than plan() read them: verdicts.still_holds)
    if not wrong_files(report) and not report["collect_errors"]:
        held = verdicts.still_holds(keys, ws, root, strict) if to_run else set()
        for ex_id, st in report["statuses"].items():
            if st["status"] == "done" and not st.get("cached") and ex_id in held:
                cache[ex_id] = {"key": keys[ex_id], "full": not fast, "notes": st.get("notes") or {}}
            elif st["status"] in ("wrong", "error", "timeout", "not_started"):
                cache.pop(ex_id, None)
        verdicts.save(ws, cache)
    found = {k: v["status"] for k, v in report["statuses"].items() if v["status"] != "not_checked"}

    def merge(latest):  # what this run found, into the state as it is now (a hint meanwhile stays)
        latest["current"] = current_exercise(report)
        latest.setdefault("statuses", {}).update(found)
    wsmod.update_state(ws, merge)
    if wrong_files(report):
        return 2
    if only:
        return 0 if all(report["statuses"][i]["status"] == "done" for i in only) else 1
    return 0 if all_done(report) else 1


def hint(ws, ex_id=None, root=ROOT, out=print):
    """Reveal the next hint level of `ex_id` (default: the current exercise)."""
    ws = Path(ws)
    if not ws.exists():
        raise wsmod.KataError(t("no_workspace"))
    state = wsmod.load_state(ws)
    if ex_id is None:
        ex_id = state.get("current")
        if ex_id is None and "statuses" not in state:
            report = run_tests(ws, root, fast=True)
            ex_id = current_exercise(report)
        if ex_id is None:
            out(t("all_done", total=len(EXERCISES)))
            return 0
    if ex_id not in BY_ID:
        raise wsmod.KataError(t("bad_exercise", id=ex_id, known=", ".join(BY_ID)))
    ex = BY_ID[ex_id]
    seen = {}

    def next_level(latest):  # the level as saved now: a concurrent check's save does not undo it
        hints = latest.setdefault("hints", {})
        seen["level"] = hints[ex_id] = min(hints.get(ex_id, 0) + 1, len(ex.hints))
    wsmod.update_state(ws, next_level)
    level = seen["level"]
    out(t("hint_header", level=level, levels=len(ex.hints), id=ex_id, title=title(ex)))
    for i in range(1, level + 1):
        out(f"  {i}. [{hint_level_name(i)}] {hint_text(ex.hints[i - 1])}")
    if level == len(ex.hints):
        out(t("hint_last"))
    return 0


from kata.watch import snapshot, watch  # noqa: E402,F401 (watch calls check: imported last)
