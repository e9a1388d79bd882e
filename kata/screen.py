"""The learner's screen, drawn from a report (kata.testrun) and its verdicts (kata.status).

render(report, ws) -> the lines of `check`'s screen: progress, every exercise's status and notes,
the first exercise that is not done with its diagnosis, in the learner's language (the tests'
English lines through kata/catalog/diagnoses.py). What the screen shows about files (where the
targets start, changed test files, files that are not UTF-8, ...) and the graph of a wrong
exercise are gathered by facts() first; render() only lays them out.
"""
import os
import subprocess
import sys
from pathlib import Path

from kata import workspace as wsmod
from kata.fsutil import shown_path as _rel
from kata.catalog.diagnoses import translate
from kata.i18n import lang, t, title
from kata.manifest import BY_ID, EXERCISES
from kata.notes import note_text
from kata.status import all_done, current_exercise, wrong_files
from kata.testrun import shadowing_files

ROOT = wsmod.ROOT
BAR_ON, BAR_OFF = "▰", "▱"
SYMBOL = {"done": "✔", "not_started": "·", "wrong": "✘", "timeout": "⏱", "error": "✘",
          "blocked": "⊘", "untested": "?", "not_checked": "…"}


def _status_text(st):
    if st["status"] == "blocked":
        return t("blocked", by=st["blocked_by"])
    if st["status"] == "untested":
        return t("untested", why="; ".join(_shown(s) for s in st["skipped"]) or "-")
    if st["status"] == "not_checked" and st.get("last") and st["last"] != "not_checked":
        return t("not_checked_last", last=t(st["last"]) if st["last"] != "blocked" else st["last"])
    text = t(st["status"])
    if st["status"] == "done" and st.get("notes"):
        text += " · " + notes_count(len(st["notes"]))
    if st.get("cached"):
        text += " " + t("cached")
    return text


def _shown(text):
    """A message the tests (or the plugin) wrote in English, in the screen's language. Called only
    where a line is put on screen: every decision that reads the English (_most_telling's findings,
    _learner_error) has been taken by then."""
    return translate(text, lang())


def notes_count(n):
    return t("note_one") if n == 1 else t("notes_count", n=n)


def facts(report, ws, root=ROOT):
    """What the screen says beyond the report, gathered once before drawing: the tests' files the
    learner changed, empty or not-UTF-8 learner files, files shadowing a module, where each shown
    exercise's functions start, its graph (drawn in a child process with a timeout), the hint levels.
    check() stores them in report["facts"]; render() only lays them out (it gathers them itself for a
    report that has none)."""
    ws = Path(ws)
    sts = report["statuses"]
    current = current_exercise(report)
    shown = [current] if current else []
    shown += [ex_id for ex_id, st in sts.items()
              if ex_id != current and st["status"] in ("wrong", "timeout", "error")]
    where, graphs = {}, {}
    for ex_id in shown:
        where[ex_id] = [(str(found[0]), found[1], target.split(":")[1]) for target in BY_ID[ex_id].targets
                        for found in [wsmod.first_line_of(ws, target)] if found]
        if sts[ex_id]["status"] in ("wrong", "error"):
            drawn = draw_graph(ex_id, ws, root)
            if drawn:
                graphs[ex_id] = str(drawn)
    return {
        "changed_tests": list(wsmod.changed_guarded_files(ws, root)),
        "empty_files": [str(p) for p in wsmod.empty_learner_files(ws)],
        "not_utf8": [(str(path), line, byte) for path, line, byte in wsmod.not_utf8_files(ws)],
        "shadowing": [(p.name, mod) for p, mod in shadowing_files(ws)],
        "learner_files": [p.name for p in ws.glob("*.py")],
        "where": where, "graphs": graphs,
        "hints": dict(wsmod.load_state(ws).get("hints", {})),
    }


def render(report, ws, root=ROOT):
    """The learner's screen, as a list of lines."""
    ws = Path(ws)
    sts = report["statuses"]
    total = len(EXERCISES)
    # a check of some exercises (EX=5.4.1) counts the others as their remembered verdicts say
    done = sum(s["status"] == "done" for s in sts.values()) + len(set(report.get("done_elsewhere", ())) - set(sts))
    open_notes = len({key for s in sts.values() for key in (s.get("notes") or {})})
    lines = []
    wrong = wrong_files(report)
    if wrong:  # nothing below is about the learner's code: say so first, and never celebrate
        for name, path in wrong.items():
            lines.append(t("wrong_file", name=name, path=path, ws=report["workspace"]))
        lines.append("")
    known = report.get("facts") or facts(report, ws, root)
    if known["changed_tests"]:
        lines += [t("tamper", files=", ".join(known["changed_tests"])), ""]
    for path in known["empty_files"]:
        lines += [t("empty_learner_file", file=_rel(path)), ""]
    # a byte that is not UTF-8 (a Windows editor saving cp949/cp932): told on every screen, the
    # notebook's and watch's included, while the file is left as the learner saved it
    for path, line, byte in known["not_utf8"]:
        lines += [t("not_utf8", path=_rel(path), line=line, byte=byte), ""]
    if known["shadowing"]:
        lines += [t("shadowing", files=", ".join(f"{name} ({mod})" for name, mod in known["shadowing"])), ""]
    shown = set()  # a note that several exercises share (clear-errors, ...) is told once, at the first
    for ex in EXERCISES:
        st = sts.get(ex.id)
        if st is None:
            continue
        extra = ""
        if st["status"] not in ("done", "blocked", "not_checked") and st["total"]:
            extra = "  (" + t("tests_pass", passed=st["passed"], total=st["total"]) + ")"
        lines.append(f" {SYMBOL[st['status']]} {ex.id:<6} {title(ex)} — {_status_text(st)}{extra}")
        for key in (st.get("notes") or {}):
            if key not in shown:
                lines.append(f"          {t('note')}: {note_text(key, lang())}")
            shown.add(key)
    lines.append("")
    progress = t("progress", done=done, total=total, bar=BAR_ON * done + BAR_OFF * (total - done))
    if open_notes:
        progress += " · " + notes_count(open_notes)
    if report.get("strict"):
        progress += " · " + t("strict_on")
    lines.append(progress)
    if report.get("fast"):
        lines.append(t("timeouts_note"))
    if report["collect_errors"]:
        err = report["collect_errors"][0]
        lines += ["", t("collect_error") if _learner_error(err, known["learner_files"]) else t("collect_error_tests")]
        lines += ["  " + x for x in _shown(err["message"]).splitlines()]
    current = current_exercise(report)
    if current and not report["collect_errors"]:
        lines += [""] + _explain(current, sts[current], ws, facts=known)
        # An exercise attempted out of book order and failing: its diagnostic is
        # what the learner is waiting for, even though an earlier stub comes first.
        for ex_id, st in sts.items():
            if ex_id != current and st["status"] in ("wrong", "timeout", "error"):
                lines += [""] + _explain(ex_id, st, ws, heading="also", facts=known)
    elif all_done(report):
        lines += ["", t("all_done", total=total), t("all_done_next")]
        if open_notes and not report.get("strict"):
            lines.append(t("strict_hint"))
    lines += ["", t("tested_files")]
    for name, path in report["modules"].items():
        lines.append(f"  {name:<16} {_rel(path)}")
    return lines


def _learner_error(err, names):
    """Does a collection error point into the learner's files (`names`, not into tests/)?"""
    return any(name in line and "tests" + os.sep not in line and "tests/" not in line
               for line in err["message"].splitlines() for name in names)


GRAPH_TIMEOUT = 15.0  # seconds: drawing runs the learner's layers, which may loop


def draw_graph(ex_id, ws, root=ROOT):
    """The exercise's computational graph with the learner's values beside the reference's, wrong edges
    red (kata/graph.py), in a child process with a timeout; its path, or None (no graph, or it failed)."""
    code = ("import sys; from pathlib import Path; from kata import graph; "
            "p = graph.graph_for_exercise(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4])); "
            "print(p or '')")
    out_dir = wsmod.meta_dir(ws) / "graphs"
    try:
        done = subprocess.run([sys.executable, "-c", code, ex_id, str(ws), str(root), str(out_dir)], cwd=root,
                              capture_output=True, text=True, encoding="utf-8", errors="replace",
                              timeout=GRAPH_TIMEOUT,
                              env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1", PYTHONIOENCODING="utf-8"))
    except (subprocess.TimeoutExpired, OSError):
        return None
    path = done.stdout.strip().splitlines()[-1] if done.returncode == 0 and done.stdout.strip() else ""
    return Path(path) if path and Path(path).exists() else None


def _explain(ex_id, st, ws, heading="next", facts=None):
    """The lines about one exercise: its status, the diagnosis, where its functions are, its graph, the
    hint command. facts: what facts() gathered (gathered here for this exercise alone when None)."""
    ex = BY_ID[ex_id]
    if facts is None or ex_id not in facts["where"]:
        facts = _facts_of(ex_id, st, ws)
    lines = [t(heading, id=ex_id, title=title(ex), status=_status_text(st))]
    first = st["first"]
    where = [f"{_rel(path)}:{line} {qualname}" for path, line, qualname in facts["where"][ex_id]]
    if st["status"] == "blocked":
        lines.append("  " + t("blocked_help", by=st["blocked_by"]))
    elif st["status"] == "not_checked":
        lines.append("  " + t("not_checked_help"))
    elif st["status"] == "not_started" and first:
        loc = first.get("location") or {}
        at = f"{_rel(loc['path'])}:{loc['line']}" if loc.get("learner") else _shown(first["message"])
        lines.append("  " + t("not_started_help", where=at))
    elif first:
        lines.append(f"  {t('test')}: {first['nodeid']}")
        loc = first.get("location")
        if first["kind"] == "timeout":
            lines.append("  " + t("timeout_help", secs=first["message"]))
        else:
            lines += ["  | " + x for x in _shown(first["message"]).splitlines()]
        if loc:
            lines.append(f"  {t('failed_at')}: {_rel(loc['path'])}:{loc['line']}  {loc['source']}")
        printed = first.get("output")
        if printed and printed.get("lines"):
            lines.append("  " + t("printed", n=printed.get("total", len(printed["lines"]))))
            lines += ["  > " + line for line in printed["lines"]]
    if where:
        lines.append(f"  {t('your_code')}: " + "; ".join(where))
    if facts["graphs"].get(ex_id):
        lines.append("  " + t("graph_drawn", path=_rel(facts["graphs"][ex_id])))
    lines.append("  " + t("hint_cmd", id=ex_id, level=facts["hints"].get(ex_id, 0), levels=len(ex.hints)))
    return lines


def _facts_of(ex_id, st, ws):
    """facts() for one exercise (a caller that draws one exercise's lines alone)."""
    one = {"statuses": {ex_id: st}, "results": [], "collect_errors": [], "modules": {}, "workspace": str(ws)}
    return facts(one, ws)


