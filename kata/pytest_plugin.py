"""pytest plugin of the kata runner: the SAME tests, run against the learner's workspace.

Loaded only by the runner (`python -m pytest -p kata.pytest_plugin`), never by `make test`.
Driven by environment variables:

KATA_WORKSPACE   folder put first on sys.path, so `import layers` imports the learner's file
KATA_REPORT      path of the JSON report the runner reads (per-test outcome, classified)
KATA_GATE        "0" turns off prerequisite gating (default on)
KATA_TIMEOUT / KATA_SLOW_TIMEOUT   per-test budgets in seconds (defaults 60 / 600)

Gating: tests run in book order; an exercise whose prerequisite is not done is skipped as
"blocked", and its slow tests run only after its fast tests passed.
"""
import json
import os
import re
import sys
import time
from pathlib import Path

import pytest

from kata.manifest import BY_ID, EXERCISE_IDS

WORKSPACE = os.environ.get("KATA_WORKSPACE")
if WORKSPACE:
    WORKSPACE = str(Path(WORKSPACE).resolve())
    # pytest put `pythonpath` (the repository root) and python the cwd in front already:
    # the learner's folder must beat both.
    sys.path.insert(0, WORKSPACE)
    for _name in [p.stem for p in Path(WORKSPACE).glob("*.py")]:
        _mod = sys.modules.get(_name)
        if _mod is not None and not str(getattr(_mod, "__file__", "")).startswith(WORKSPACE):
            del sys.modules[_name]  # imported from elsewhere before we got here: import again

FAST_TIMEOUT = float(os.environ.get("KATA_TIMEOUT", "60"))
SLOW_TIMEOUT = float(os.environ.get("KATA_SLOW_TIMEOUT", "600"))
GATE = os.environ.get("KATA_GATE", "1") != "0"
ONLY = set(filter(None, os.environ.get("KATA_ONLY", "").split(",")))
MAX_MESSAGE_LINES = 40

_results = []          # one dict per test (call phase, or the phase that failed)
_collect_errors = []
_state = {}            # exercise id -> {"failed": bool, "passed": int}
_started = time.time()


def exercises_of(item):
    return [m.args[0] for m in item.iter_markers("exercise") if m.args and m.args[0] in BY_ID]


def _order(ex_id):
    return EXERCISE_IDS.index(ex_id)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Book order, fast before slow; a time budget for every test that has none."""
    def key(pair):
        index, item = pair
        exs = exercises_of(item)
        book = max((_order(e) for e in exs), default=len(EXERCISE_IDS))
        return (book, item.get_closest_marker("slow") is not None, index)

    items[:] = [item for _, item in sorted(enumerate(items), key=key)]
    if ONLY:
        dropped = [item for item in items if not set(exercises_of(item)) & ONLY]
        items[:] = [item for item in items if set(exercises_of(item)) & ONLY]
        config.hook.pytest_deselected(items=dropped)
    for item in items:
        if item.get_closest_marker("timeout") is None:
            slow = item.get_closest_marker("slow") is not None
            item.add_marker(pytest.mark.timeout(SLOW_TIMEOUT if slow else FAST_TIMEOUT))


def _done(ex_id):
    s = _state.get(ex_id)
    return bool(s) and not s["failed"] and not s["blocked"] and s["passed"] > 0


def _blocker(ex_id):
    """The first prerequisite (direct or indirect) that is not done, or None."""
    for p in BY_ID[ex_id].prereqs:
        inner = _blocker(p)
        if inner:
            return inner
        if not _done(p):
            return p
    return None


def _slot(ex_id):
    return _state.setdefault(ex_id, {"failed": False, "passed": 0, "blocked": False})


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    if not GATE:
        return
    for ex_id in exercises_of(item):
        blocker = _blocker(ex_id)
        if blocker:
            _slot(ex_id)["blocked"] = True
            pytest.skip(f"kata-blocked:{blocker}")
        if item.get_closest_marker("slow") is not None and _slot(ex_id)["failed"]:
            pytest.skip("kata-gated: the fast tests of this exercise fail")


def _chain(exc):
    """exc, its causes/contexts and the members of exception groups, each once."""
    seen, todo = [], [exc]
    while todo:
        e = todo.pop(0)
        if e is None or any(e is s for s in seen):
            continue
        seen.append(e)
        todo += [e.__cause__, e.__context__] + list(getattr(e, "exceptions", ()))
    return seen


def _in_workspace(path):
    return WORKSPACE is not None and str(path).startswith(WORKSPACE + os.sep)


def _location(excinfo):
    """(learner file:line and that line) of the deepest frame in the workspace, else the test's."""
    entries = list(excinfo.traceback)
    mine = [e for e in entries if _in_workspace(e.path)]
    chosen = mine[-1] if mine else None
    if chosen is None:  # the assertion failed in the tests: show where
        # the test function's own line says more than a helper's `raise AssertionError`
        tests = [e for e in entries if Path(str(e.path)).name.startswith("test_")]
        chosen = tests[-1] if tests else (entries[-1] if entries else None)
    if chosen is None:
        return None
    try:
        source = str(chosen.statement).strip().splitlines()[0]
    except Exception:  # noqa: BLE001 (source may be unavailable; the location still helps)
        source = ""
    return {"path": str(chosen.path), "line": chosen.lineno + 1, "source": source,
            "learner": _in_workspace(chosen.path)}


def _message(exc):
    text = str(exc) if isinstance(exc, AssertionError) else f"{type(exc).__name__}: {exc}"
    notes = getattr(exc, "__notes__", None) or []
    lines = text.splitlines() + [n for note in notes for n in str(note).splitlines()]
    if len(lines) > MAX_MESSAGE_LINES:
        lines = lines[:MAX_MESSAGE_LINES] + [f"... ({len(lines) - MAX_MESSAGE_LINES} more lines)"]
    return "\n".join(lines)


STUB_IN_TEXT = re.compile(r"NotImplementedError: (\S+ \S+: not implemented yet[^\n'\"\\]*)")
FRAME_IN_TEXT = re.compile(r'File "([^"]+)", line (\d+)')


def _location_in_text(text):
    """The last workspace frame named in a (subprocess) traceback printed into a message."""
    frames = [(p, int(n)) for p, n in FRAME_IN_TEXT.findall(text) if _in_workspace(p)]
    if not frames:
        return None
    path, line = frames[-1]
    try:
        source = Path(path).read_text(encoding="utf-8").splitlines()[line - 1].strip()
    except (OSError, IndexError):
        source = ""
    return {"path": path, "line": line, "source": source, "learner": True}


def classify(excinfo):
    """'not_started' (a stub raised), 'timeout', 'wrong' (assertion) or 'error' (crash)."""
    exc = excinfo.value
    chain = _chain(exc)
    stub = next((e for e in chain if isinstance(e, NotImplementedError)), None)
    if stub is not None:
        return "not_started", str(stub)
    text = str(exc)
    if "Timeout" in text and "pytest-timeout" in text:
        return "timeout", text
    # a test that runs a script (buy_apple.py, train_neuralnet.py) sees the stub in its stderr
    found = STUB_IN_TEXT.search(text)
    if found:
        return "not_started", found.group(1)
    if isinstance(exc, AssertionError) or any(isinstance(e, AssertionError) for e in chain):
        return "wrong", _message(exc)
    return "error", _message(exc)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    exs = exercises_of(item)
    slow = item.get_closest_marker("slow") is not None
    record = None
    if report.failed:
        kind, message = classify(call.excinfo) if call.excinfo else ("error", report.longreprtext[-2000:])
        loc = _location(call.excinfo) if call.excinfo else None
        if call.excinfo and not (loc and loc["learner"]):
            loc = _location_in_text(str(call.excinfo.value)) or loc
        if kind == "timeout":
            marker = item.get_closest_marker("timeout")
            message = f"{marker.args[0] if marker else '?'}"
        record = {"outcome": "failed", "kind": kind, "message": message, "location": loc}
        for ex_id in exs:
            _slot(ex_id)["failed"] = True
    elif report.skipped and call.when != "teardown":
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        reason = reason.removeprefix("Skipped: ")
        kind = "blocked" if reason.startswith("kata-blocked:") else (
            "gated" if reason.startswith("kata-gated") else "skipped")
        record = {"outcome": "skipped", "kind": kind, "message": reason, "location": None}
    elif report.passed and call.when == "call":
        record = {"outcome": "passed", "kind": "passed", "message": "", "location": None}
        for ex_id in exs:
            _slot(ex_id)["passed"] += 1
    if record is not None:
        record.update(nodeid=item.nodeid, exercises=exs, slow=slow, when=call.when,
                      duration=round(call.duration, 3))
        _results.append(record)
    return report


def pytest_collectreport(report):
    if report.failed:
        text = report.longreprtext
        lines = text.splitlines()
        _collect_errors.append({"nodeid": report.nodeid, "message": "\n".join(lines[-25:])})


def pytest_sessionfinish(session, exitstatus):
    path = os.environ.get("KATA_REPORT")
    if not path:
        return
    modules = {}
    if WORKSPACE:
        # the learner's modules, plus every module the manifest targets: a learner file that
        # was deleted would silently be imported from the repository (and must be reported)
        names = {p.stem for p in Path(WORKSPACE).glob("*.py")} | {t.split(":")[0] for e in BY_ID.values()
                                                                  for t in e.targets}
        for name in sorted(names):
            mod = sys.modules.get(name)
            if mod is not None:
                modules[name] = str(getattr(mod, "__file__", ""))
    Path(path).write_text(json.dumps({
        "workspace": WORKSPACE, "modules": modules, "results": _results,
        "collect_errors": _collect_errors, "exitstatus": int(exitstatus),
        "seconds": round(time.time() - _started, 2),
    }, indent=1), encoding="utf-8")
