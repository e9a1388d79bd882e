"""`check`, `hint` and `watch`: run the tests against the workspace and say what to do next."""
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kata import workspace as wsmod
from kata.i18n import hint_level_name, hint_text, t, title
from kata.manifest import BY_ID, EXERCISES

ROOT = wsmod.ROOT
BAR_ON, BAR_OFF = "▰", "▱"
SYMBOL = {"done": "✔", "not_started": "·", "wrong": "✘", "timeout": "⏱", "error": "✘",
          "blocked": "⊘", "untested": "?"}


def run_tests(ws, root=ROOT, fast=False, only=None, gate=True, extra_env=None, log_path=None, exclude=()):
    """Run the exercise tests against workspace `ws` in a fresh pytest process; return its report.

    fast: leave out tests marked slow (and say so); exclude: more marks to leave out. only: exercise ids to run (with their
    prerequisites, which gating needs). The report is the JSON written by kata.pytest_plugin.
    """
    ws, root = Path(ws).resolve(), Path(root).resolve()
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        env = dict(os.environ)
        env.update({"KATA_WORKSPACE": str(ws), "KATA_REPORT": str(report), "KATA_GATE": "1" if gate else "0",
                    "PYTHONDONTWRITEBYTECODE": "1"})
        # the workspace's copy of mnist.py would look for data/ inside the workspace
        env.setdefault("MNIST_DIR", str(root / "data"))
        env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        if only:
            env["KATA_ONLY"] = ",".join(_with_prereqs(only))
        env.update(extra_env or {})
        marks = "exercise" + "".join(f" and not {m}" for m in (("slow",) if fast else ()) + tuple(exclude))
        cmd = [sys.executable, "-m", "pytest", "-p", "kata.pytest_plugin", "-m", marks, "-q",
               "-p", "no:cacheprovider",
               "--continue-on-collection-errors", "--rootdir", str(root), str(root / "tests")]
        proc = subprocess.run(cmd, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True)
        if log_path:
            Path(log_path).parent.mkdir(parents=True, exist_ok=True)
            Path(log_path).write_text(proc.stdout, encoding="utf-8")
        if not report.exists():
            raise wsmod.KataError("pytest did not run (exit %d):\n%s" % (proc.returncode, proc.stdout[-3000:]))
        data = json.loads(report.read_text(encoding="utf-8"))
    data["fast"] = fast
    data["statuses"] = statuses(data, only)
    return data


def _with_prereqs(ids):
    out = set()

    def add(i):
        out.add(i)
        for p in BY_ID[i].prereqs:
            add(p)
    for i in ids:
        add(i)
    return sorted(out)


def statuses(report, only=None):
    """{exercise id: {"status": ..., "tests": [...], ...}} in book order."""
    wanted = set(_with_prereqs(only)) if only else None
    out = {}
    for ex in EXERCISES:
        if wanted is not None and ex.id not in wanted:
            continue
        mine = [r for r in report["results"] if ex.id in r["exercises"]]
        failed = [r for r in mine if r["outcome"] == "failed"]
        passed = [r for r in mine if r["outcome"] == "passed"]
        blocked = [r for r in mine if r["kind"] == "blocked"]
        kinds = {r["kind"] for r in failed}
        if not mine and report["collect_errors"]:
            status = "error"  # its test module did not import
        elif kinds & {"wrong", "error", "timeout"}:
            status = "timeout" if kinds == {"timeout"} else ("wrong" if "wrong" in kinds else "error")
        elif "not_started" in kinds:
            status = "not_started"
        elif blocked:
            status = "blocked"
        elif passed:
            status = "done"
        else:
            status = "untested"
        first = _most_telling(failed)
        out[ex.id] = {"status": status, "passed": len(passed), "failed": len(failed),
                      "total": len(mine), "first": first,
                      "blocked_by": blocked[0]["message"].split(":", 1)[1] if blocked else None,
                      "skipped": sorted({r["message"] for r in mine if r["kind"] == "skipped"})}
    return out


def _most_telling(failed):
    """The failure to show: one whose diagnostic names a likely mistake, else the first real one."""
    real = [r for r in failed if r["kind"] != "not_started"]
    named = [r for r in real if "likely mistake" in r["message"]]
    return (named or real or failed or [None])[0]


def current_exercise(report):
    """The first exercise (book order) that is not done, or None."""
    return next((i for i, s in report["statuses"].items() if s["status"] != "done"), None)


def wrong_files(report):
    """Reference-named modules that were NOT imported from the workspace (must be empty)."""
    ws = Path(report["workspace"]).resolve()
    return {n: p for n, p in report["modules"].items() if Path(p).resolve().parent != ws}


def _rel(path, base=None):
    base = Path(base or os.getcwd())
    try:
        return str(Path(path).resolve().relative_to(base.resolve()))
    except ValueError:
        return str(path)


def _status_text(st):
    if st["status"] == "blocked":
        return t("blocked", by=st["blocked_by"])
    if st["status"] == "untested":
        return t("untested", why="; ".join(st["skipped"]) or "-")
    return t(st["status"])


def render(report, ws, root=ROOT):
    """The learner's screen, as a list of lines."""
    ws = Path(ws)
    sts = report["statuses"]
    total = len(sts)
    done = sum(s["status"] == "done" for s in sts.values())
    lines = []
    changed = wsmod.changed_guarded_files(ws, root)
    if changed:
        lines += [t("tamper", files=", ".join(changed)), ""]
    for ex_id, st in sts.items():
        extra = f"  ({st['passed']}/{st['total']})" if st["status"] not in ("done", "blocked") and st["total"] else ""
        lines.append(f" {SYMBOL[st['status']]} {ex_id:<6} {title(BY_ID[ex_id])} — {_status_text(st)}{extra}")
    lines.append("")
    lines.append(t("progress", done=done, total=total, bar=BAR_ON * done + BAR_OFF * (total - done)))
    if report.get("fast"):
        lines.append(t("timeouts_note"))
    if report["collect_errors"]:
        err = report["collect_errors"][0]
        lines += ["", t("collect_error") if _learner_error(err, ws) else t("collect_error_tests")]
        lines += ["  " + x for x in err["message"].splitlines()]
    current = current_exercise(report)
    if current and not report["collect_errors"]:
        lines += [""] + _explain(current, sts[current], ws)
        # An exercise attempted out of book order and failing: its diagnostic is
        # what the learner is waiting for, even though an earlier stub comes first.
        for ex_id, st in sts.items():
            if ex_id != current and st["status"] in ("wrong", "timeout", "error"):
                lines += [""] + _explain(ex_id, st, ws, heading="also")
    elif not current:
        lines += ["", t("all_done", total=total)]
    lines += ["", t("tested_files")]
    for name, path in report["modules"].items():
        lines.append(f"  {name:<16} {_rel(path)}")
    for name, path in wrong_files(report).items():
        lines.append(t("wrong_file", name=name, path=path, ws=report["workspace"]))
    return lines


def _learner_error(err, ws):
    """Does a collection error point into the learner's files (not into tests/)?"""
    names = [p.name for p in Path(ws).glob("*.py")]
    return any(name in line and "tests" + os.sep not in line and "tests/" not in line
               for line in err["message"].splitlines() for name in names)


def _explain(ex_id, st, ws, heading="next"):
    ex = BY_ID[ex_id]
    lines = [t(heading, id=ex_id, title=title(ex), status=_status_text(st))]
    first = st["first"]
    where = []
    for target in ex.targets:
        found = wsmod.first_line_of(ws, target)
        if found:
            where.append(f"{_rel(found[0])}:{found[1]} {target.split(':')[1]}")
    if st["status"] == "blocked":
        lines.append("  " + t("blocked_help", by=st["blocked_by"]))
    elif st["status"] == "not_started" and first:
        loc = first.get("location") or {}
        at = f"{_rel(loc['path'])}:{loc['line']}" if loc.get("learner") else first["message"]
        lines.append("  " + t("not_started_help", where=at))
    elif first:
        lines.append(f"  {t('test')}: {first['nodeid']}")
        loc = first.get("location")
        if first["kind"] == "timeout":
            lines.append("  " + t("timeout_help", secs=first["message"]))
        else:
            lines += ["  | " + x for x in first["message"].splitlines()]
        if loc:
            lines.append(f"  {t('failed_at')}: {_rel(loc['path'])}:{loc['line']}  {loc['source']}")
    if where:
        lines.append(f"  {t('your_code')}: " + "; ".join(where))
    state = wsmod.load_state(ws)
    lines.append("  " + t("hint_cmd", id=ex_id, level=state.get("hints", {}).get(ex_id, 0), levels=len(ex.hints)))
    return lines


def check(ws, root=ROOT, fast=False, only=None, out=print):
    """Run, print, remember the current exercise; return the exit status (0 when all done)."""
    ws = Path(ws)
    if not ws.exists():
        raise wsmod.KataError(t("no_workspace"))
    log = wsmod.meta_dir(ws) / "last-run.log"
    report = run_tests(ws, root, fast=fast, only=only, log_path=log)
    for line in render(report, ws, root):
        out(line)
    out(t("full_log", path=_rel(log)))
    state = wsmod.load_state(ws)
    state["current"] = current_exercise(report)
    state["statuses"] = {k: v["status"] for k, v in report["statuses"].items()}
    wsmod.save_state(ws, state)
    if wrong_files(report):
        return 2
    return 0 if all(s["status"] == "done" for s in report["statuses"].values()) else 1


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
    hints = state.setdefault("hints", {})
    level = min(hints.get(ex_id, 0) + 1, len(ex.hints))
    hints[ex_id] = level
    wsmod.save_state(ws, state)
    out(t("hint_header", level=level, levels=len(ex.hints), id=ex_id, title=title(ex)))
    for i in range(1, level + 1):
        out(f"  {i}. [{hint_level_name(i)}] {hint_text(ex.hints[i - 1])}")
    if level == len(ex.hints):
        out(t("hint_last"))
    return 0


def snapshot(ws):
    """{path: (mtime_ns, size)} of the workspace's Python files: polling works on every file system."""
    return {p: (p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(Path(ws).glob("*.py"))}


def watch(ws, root=ROOT, interval=1.0, fast=True, max_runs=None, out=print):
    """Re-run check whenever a workspace file changes (polling: no inotify, fine on WSL /mnt)."""
    ws = Path(ws)
    if not ws.exists():
        raise wsmod.KataError(t("no_workspace"))
    out(t("watching", ws=ws, secs=interval))
    runs, last = 0, None
    try:
        while max_runs is None or runs < max_runs:
            now = snapshot(ws)
            if now != last:
                if out is print and sys.stdout.isatty():
                    sys.stdout.write("\033[2J\033[H")  # clear the screen, like rustlings
                if last is not None:
                    changed = sorted(p.name for p in set(now) | set(last) if now.get(p) != last.get(p))
                    out(t("changed", files=", ".join(changed)))
                check(ws, root, fast=fast, out=out)
                sys.stdout.flush()
                runs += 1
                last = now
            else:
                time.sleep(interval)
    except KeyboardInterrupt:
        pass
    return 0
