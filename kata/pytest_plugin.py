"""pytest plugin of the kata runner: the SAME tests, run against the learner's workspace.

Loaded only by the runner (`python -m pytest -p kata.pytest_plugin`), never by `make test`.
Importing this module does nothing; `pytest_configure` builds one KataPlugin from the
environment and registers it:

KATA_WORKSPACE   folder put first on sys.path, so `import layers` imports the learner's file
KATA_REPORT      path of the JSON report the runner reads (per-test records, see kata.status)
KATA_GATE        "0" turns off prerequisite gating (default on)
KATA_ONLY        comma-separated exercise ids to run (the runner adds their prerequisites)
KATA_STRICT      "1": a failing note (an extra beyond the book) counts as a failure
KATA_DONE        comma-separated exercise ids already known done (remembered verdicts): their tests
                 are not run, and gating treats them as done
KATA_STOP        "1": stop at the first exercise (book order) that is not done; later ones are not run
KATA_TIMEOUT / KATA_SLOW_TIMEOUT   per-test budgets in seconds (defaults 10 / 600)
KATA_PARENT_PID  the runner's pid: if the runner dies (kill -9), a forked reaper ends this run's process group
                 instead of running on unseen
KATA_PROGRESS    a file: one JSON object a line, written as the run goes (a test started, a record, a
                 collection error), so a run killed at its deadline still tells the runner which
                 exercises finished and which test was running (runner.salvage_report)
KATA_STACK_DUMP  a file: on SIGUSR1 faulthandler writes the main thread's stack to it, so the
                 runner, which signals the run just before killing it at its deadline, can say
                 where the code was looping

Gating: tests run in book order; an exercise whose prerequisite is not done is skipped as
"blocked"; its note tests and slow tests run only after its fast tests passed.
"""
import ast
import faulthandler
import functools
import json
import os
import re
import signal
import sys
import textwrap
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from kata import fsutil
from kata.manifest import BY_ID, EXERCISE_IDS, prerequisites
from kata.status import Finding, FindingKind, Kind, TestRecord

MAX_MESSAGE_LINES = 40
MAX_LINE = 300  # characters of one message line
# The watchdog (KataPlugin._watchdog) ends a test at budget * FACTOR + GRACE seconds:
# after pytest-timeout (at the budget) had its chance to end it with a traceback.
WATCH_EVERY = 0.25
WATCH_GRACE_FACTOR = 1.5
WATCH_GRACE = 2.0
STUB_IN_TEXT = re.compile(r"NotImplementedError: (\S+ \S+: not implemented yet[^\n'\"\\]*)")
FRAME_IN_TEXT = re.compile(r'File "([^"]+)", line (\d+)')
# pytest's own traceback lines: "/path/layers.py:12: in <module>"
PYTEST_FRAME = re.compile(r"^(/\S+\.py):(\d+): in ")
SHAPE_ERROR = re.compile(r"not aligned|could not be broadcast|cannot reshape|shapes? .* mismatch|"
                         r"matmul: Input operand", re.IGNORECASE)
SELF_ATTR = re.compile(r"self\.(\w+)")
SCRIPT_TIMEOUT = re.compile(r"did not finish within ([\d.]+) s")
NO_ATTR = re.compile(r"'(\w+)' object has no attribute '(\w+)'")
# Validation helpers (layers.py's check_* lines): a failure inside one is reported at the
# learner's line that called it.
CHECK_HELPER = re.compile(r"^_?check_")


@dataclass(frozen=True)
class Settings:
    workspace: str | None
    report: str | None
    gate: bool
    only: frozenset
    strict: bool
    fast_timeout: float
    slow_timeout: float
    done: frozenset = frozenset()
    stop: bool = False
    stack_dump: str | None = None


    @classmethod
    def from_env(cls, env=os.environ):
        ws = env.get("KATA_WORKSPACE")
        return cls(workspace=str(Path(ws).resolve()) if ws else None, report=env.get("KATA_REPORT"),
                   gate=env.get("KATA_GATE", "1") != "0",
                   only=frozenset(filter(None, env.get("KATA_ONLY", "").split(","))),
                   strict=env.get("KATA_STRICT", "0") == "1",
                   fast_timeout=float(env.get("KATA_TIMEOUT", "10")),
                   slow_timeout=float(env.get("KATA_SLOW_TIMEOUT", "600")),
                   done=frozenset(filter(None, env.get("KATA_DONE", "").split(","))),
                   stop=env.get("KATA_STOP", "0") == "1",
                   stack_dump=env.get("KATA_STACK_DUMP") or None)


def pytest_configure(config):
    settings = Settings.from_env()
    if settings.stack_dump and hasattr(signal, "SIGUSR1"):
        # kept open for the process's life. faulthandler's C handler writes the interrupted
        # thread's stack even while it spins in the learner's loop and never returns to
        # Python's signal handling (a watchdog thread reading a running thread's frames
        # instead crashed the process now and then).
        dump = open(settings.stack_dump, "w", encoding="utf-8")  # noqa: SIM115
        faulthandler.register(signal.SIGUSR1, file=dump, all_threads=False, chain=False)
        config._kata_dump = dump
    parent = os.environ.get("KATA_PARENT_PID")
    if parent and parent.isdigit() and hasattr(os, "killpg"):
        _end_with_parent(int(parent))
    kata = KataPlugin(settings)
    config.pluginmanager.register(kata, "kata-runner")
    config.pluginmanager.register(ExitAtImport(settings.workspace), "kata-exit-at-import")
    if os.environ.get("KATA_PROGRESS"):
        config.pluginmanager.register(Progress(os.environ["KATA_PROGRESS"], kata), "kata-progress")


class ExitAtImport:
    """A learner module that calls exit() or sys.exit() while it is imported: pytest re-raises the
    SystemExit out of collection ("mainloop: caught unexpected SystemExit!"), no test runs and the
    screen said "not checked yet" everywhere. It becomes the collection error it is, at the line."""

    def __init__(self, workspace):
        self.workspace = workspace

    @pytest.hookimpl(wrapper=True)
    def pytest_make_collect_report(self, collector):
        try:
            return (yield)
        except SystemExit as exc:
            import traceback
            from _pytest.reports import CollectReport
            frames = [f for f in traceback.extract_tb(exc.__traceback__)
                      if self.workspace and str(f.filename).startswith(self.workspace + os.sep)]
            if not frames:
                raise
            frame = frames[-1]
            call = (frame.line or "exit()").strip()
            text = (f'File "{frame.filename}", line {frame.lineno}, in {frame.name}\n    {call}\n'
                    + self.sentence(frame.filename, frame.lineno, call))
            return CollectReport(collector.nodeid, "failed", text, [])

    @staticmethod
    def sentence(path, line, call):
        """The learner-facing line (English, translated on screen: kata/catalog/diagnoses.py)."""
        return (f"{Path(path).name} ended the program while it was imported ({call} on line {line}): the tests "
                'cannot use it; remove the call, or put it under `if __name__ == "__main__":`')


class Progress:
    """KATA_PROGRESS: the run's records as it goes, and which test started last.

    Appended and flushed, never fsync'ed: a killed process loses nothing the kernel has (only a
    power cut would, and then the run is lost anyway). Lines: {"start": nodeid, "exercises", "note",
    "slow", "modules", "time"}, {"record": TestRecord JSON}, {"collect_error": {...}}.
    """

    def __init__(self, path, kata):
        self.kata, self.sent, self.errors = kata, 0, 0
        self.names = _module_names(kata.s.workspace)  # listed once: a glob per test cost 0.2 ms
        self.file = open(path, "a", encoding="utf-8")  # noqa: SIM115 (open for the session's life)

    def _write(self, obj):
        self.file.write(json.dumps(obj) + "\n")

    def _new(self):
        for record in self.kata.results[self.sent:]:
            self._write({"record": record})
        for error in self.kata.collect_errors[self.errors:]:
            self._write({"collect_error": error})
        self.sent, self.errors = len(self.kata.results), len(self.kata.collect_errors)

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_protocol(self, item, nextitem):
        self._new()
        self._write({"start": item.nodeid, "exercises": exercises_of(item), "note": note_of(item),
                     "slow": item.get_closest_marker("slow") is not None,
                     "modules": learner_modules(self.kata.s.workspace, self.names), "time": time.time()})
        self.file.flush()

    def pytest_runtest_logfinish(self):
        self._new()
        self.file.flush()

    @pytest.hookimpl(trylast=True)
    def pytest_collection_finish(self):
        self._new()
        self.file.flush()


def _module_names(workspace):
    if not workspace:
        return []
    return sorted({p.stem for p in Path(workspace).glob("*.py")} | {
        t.split(":")[0] for e in BY_ID.values() for t in e.targets})


def learner_modules(workspace, names=None):
    """{module name: its file} of the learner's modules imported so far (and of every module the
    manifest targets: one imported from elsewhere must be reported)."""
    modules = {}
    for name in _module_names(workspace) if names is None else names:
        mod = sys.modules.get(name)
        if mod is not None:
            modules[name] = str(getattr(mod, "__file__", ""))
    return modules


PARENT_POLL = 0.25  # seconds


def _end_with_parent(parent):
    """The runner started this run in its own process group (so a deadline can kill all of it); if
    the runner itself is killed (kill -9, a closed terminal, a restarted Jupyter kernel), nobody
    would: end the group when the parent is gone.

    The watching is done by a forked reaper process, not a thread of this one: a learner's loop
    that never gives up the GIL (`sum(itertools.count())` at import, a C loop) starved the thread,
    and the run outlived its runner forever. Where fork is missing, a thread is the fallback.
    """
    watched = os.getpid()
    try:
        pid = os.fork() if hasattr(os, "fork") else -1
    except OSError:
        pid = -1
    if pid == 0:
        _reap(parent, watched)  # never returns
    if pid < 0:
        threading.Thread(target=_watch_parent, args=(parent, watched), daemon=True).start()


def _reap(parent, watched):
    """The reaper's life: silent (the runner reads this run's stdout to its end, which a copy of it
    here would hold open), in the run's process group, ending it once `parent` is gone and itself
    once the run `watched` is."""
    try:
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        _close_other_fds()  # pytest's capture keeps dups of the runner's pipe: its EOF must not wait for us
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGUSR1):
            signal.signal(sig, signal.SIG_DFL)
        _watch_parent(parent, watched)
    finally:
        os._exit(0)


def _close_other_fds():
    for folder in ("/proc/self/fd", "/dev/fd"):
        try:
            fds = [int(name) for name in os.listdir(folder)]
        except (OSError, ValueError):
            continue
        for fd in fds:
            if fd > 2:
                try:
                    os.close(fd)
                except OSError:
                    pass  # the listing's own descriptor, already closed
        return
    os.closerange(3, 1024)


def _watch_parent(parent, watched):
    while True:
        time.sleep(PARENT_POLL)
        alive = _run_and_parent(parent, watched)
        if alive is None:   # the run is over: nothing left to watch
            return
        if not alive:
            os.killpg(os.getpgrp(), signal.SIGKILL)


def _run_and_parent(parent, watched):
    """None when the run `watched` has ended, else whether its parent is still the runner `parent`."""
    if watched != os.getpid() and os.getppid() != watched:
        return None  # the reaper was handed to init: its run has exited
    try:  # Linux: the run's own parent, as the kernel knows it (a zombie runner counts as gone)
        with open(f"/proc/{watched}/stat", "rb") as f:
            stat = f.read()
        fields = stat[stat.rindex(b")") + 2:].split()
        if fields[0] == b"Z":
            return None
        return int(fields[1]) == parent
    except (OSError, ValueError, IndexError):
        pass
    if watched == os.getpid():
        return os.getppid() == parent
    try:
        os.kill(parent, 0)
    except ProcessLookupError:
        return False
    except OSError:
        pass
    return True


def exercises_of(item):
    return [m.args[0] for m in item.iter_markers("exercise") if m.args and m.args[0] in BY_ID]


def note_of(item):
    mark = item.get_closest_marker("note")
    return mark.args[0] if mark and mark.args else None


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


# The first line of each report of tests/checks.py (and of layer_checks' own messages), as the check
# writes it: what kind of finding it is, about which quantity, expected and got.
REPORTS = (
    (re.compile(r"^(?P<quantity>.+?): got None instead of an array of shape (?P<expected>\([\d, ]*\))"),
     FindingKind.NONE),
    (re.compile(r"^(?P<quantity>.+?): wrong shape: expected (?P<expected>\([\d, ]*\)), got (?P<got>\([\d, ]*\))"),
     FindingKind.SHAPE),
    (re.compile(r"^(?P<quantity>.+?): expected numbers, got (?:an array of )?dtype (?P<got>\S+)"), FindingKind.DTYPE),
    (re.compile(r"^(?P<quantity>.+?): numpy reported"), FindingKind.NUMPY),
    (re.compile(r"^(?P<quantity>.+?) mutated its input"), FindingKind.MUTATED),
    (re.compile(r"^(?P<quantity>.+?): \d+ of \d+ values (?:differ|wrong)"), FindingKind.VALUES),
)
KIND_FINDING = {Kind.NOT_STARTED: FindingKind.STUB, Kind.TIMEOUT: FindingKind.TIMEOUT, Kind.ERROR: FindingKind.CRASH,
                Kind.NOTE: FindingKind.EXTRA_ABSENT}


def finding_of(kind, message, note=None):
    """The typed facts of a failed test's record, read from its message where the check wrote them."""
    mistakes = [line.split("likely mistake: ", 1)[1].strip() for line in message.splitlines()
                if "likely mistake: " in line]
    first = message.splitlines()[0] if message else ""
    if kind in KIND_FINDING:
        return Finding(KIND_FINDING[kind], mistakes=mistakes, note=note if kind is Kind.NOTE else None)
    if first.startswith("expected a ") and "nothing was raised" in first:
        return Finding(FindingKind.NOT_RAISED, mistakes=mistakes)
    for pattern, found in REPORTS:
        match = pattern.match(first)
        if match:
            groups = match.groupdict()
            return Finding(found, groups.get("quantity") or "", groups.get("expected") or "", groups.get("got") or "",
                           mistakes)
    return Finding(FindingKind.OTHER, mistakes=mistakes)


PRINTED_LINES = 8     # of a failing test's captured stdout, on the screen
PRINTED_WIDTH = 160


def _printed(report):
    """What the code under test printed during a failing test (pytest's capture), bounded:
    {"lines": the first PRINTED_LINES lines, each cut at PRINTED_WIDTH, "total": how many there were}."""
    text = "".join(content for name, content in report.sections if name.startswith("Captured stdout"))
    lines = text.splitlines()
    if not lines:
        return None
    shown = [line if len(line) <= PRINTED_WIDTH else line[:PRINTED_WIDTH] + " ..." for line in lines[:PRINTED_LINES]]
    return {"lines": shown, "total": len(lines)}


def _leaves(exc):
    """The failures inside an exception group (hypothesis reports several bugs as one), else [exc]."""
    inner = getattr(exc, "exceptions", None)
    if inner:
        return [leaf for e in inner for leaf in _leaves(e)]
    return [exc]


def _extra_absent(exc):
    """The tests' ExtraAbsent (tests/extras.py) when it is the whole failure, else None: a note test
    whose every failure says "the code behaves like the book's here" is a note; any other failure
    in it means the extra is attempted and wrong."""
    leaves = _leaves(exc)
    absent = [e for e in leaves if getattr(e, "kata_extra_absent", False)]
    return absent[0] if absent and len(absent) == len(leaves) else None


def _hypothesis_note(note):
    """hypothesis's notes dump whole arrays; the assertion above already gives shapes and worst elements."""
    return note.startswith(("Falsifying example", "Failing test case", "You can reproduce this example",
                            "You can reproduce this test case", "@reproduce_failure",
                            "Explanation:", "Trying example", "Highest target score", "Falsifying explicit example"))


@functools.lru_cache(maxsize=32)
def _statements(path, _stamp):
    """(lines, [(first, last) of every statement]) of a source file, parsed once while it is
    unchanged (_stamp: its mtime and size, so a file saved again is read again)."""
    text = Path(path).read_text(encoding="utf-8", errors="replace")
    try:
        spans = [(n.lineno, n.end_lineno) for n in ast.walk(ast.parse(text)) if isinstance(n, ast.stmt)]
    except (SyntaxError, ValueError):
        spans = []
    return text.splitlines(), spans


def _statement_at(path, line):
    """The first line of the innermost statement holding `line` (1-based): what a failure points at.

    pytest's own entry.statement re-parses the whole file for every failure (25 ms each,
    half a second for a run whose notes fail by design); one parse per file is enough.
    """
    try:
        st = os.stat(path)
        lines, spans = _statements(str(path), (st.st_mtime_ns, st.st_size))
        first = max((a for a, b in spans if a <= line <= b), default=line)
        return lines[first - 1].strip()
    except (OSError, IndexError):
        return ""


class KataPlugin:
    """The hooks, with their state on the instance (one per pytest session)."""

    def __init__(self, settings):
        self.s = settings
        self.results = []          # TestRecord.to_json() per test (call phase, or the phase that failed)
        self.collect_errors = []
        self.slots = {}            # exercise id -> {"failed": bool, "passed": int, "blocked": bool}
        self.started = time.time()
        self.running = None        # (item, its budget, when it started): what the watchdog watches
        self.finished = False
        if settings.workspace:
            self._put_workspace_first(settings.workspace)
            threading.Thread(target=self._watchdog, daemon=True).start()

    # --- the watchdog ----------------------------------------------------------------
    def _watchdog(self):
        """End a test that outlives its budget even when pytest-timeout could not.

        pytest-timeout's alarm raises once, inside the test; hypothesis then replays the
        failing example to report it, and an endless loop loops again with no alarm left
        (KATA_TIMEOUT=3 never stopped a hypothesis test). Past its budget and a grace, this
        thread records the test as timed out at the learner's line it is spinning on,
        writes the report and ends the process: the runner shows the usual screen.
        """
        main = threading.main_thread().ident
        while not self.finished:
            time.sleep(WATCH_EVERY)
            running = self.running
            if running is None:
                continue
            item, budget, start = running
            if time.monotonic() - start < budget * WATCH_GRACE_FACTOR + WATCH_GRACE:
                continue
            frame = sys._current_frames().get(main)
            loc = None
            while frame is not None:
                if self._in_workspace(frame.f_code.co_filename) and loc is None:
                    try:
                        source = Path(frame.f_code.co_filename).read_text(
                            encoding="utf-8", errors="replace").splitlines()[frame.f_lineno - 1].strip()
                    except (OSError, IndexError):
                        source = ""
                    loc = {"path": frame.f_code.co_filename, "line": frame.f_lineno, "source": source,
                           "learner": True, "function": frame.f_code.co_name}
                frame = frame.f_back
            record = TestRecord(item.nodeid, "failed", Kind.TIMEOUT, f"{budget:g}", loc,
                                finding=Finding(FindingKind.TIMEOUT))
            record.exercises, record.slow, record.note = exercises_of(item), False, note_of(item)
            self.results.append(record.to_json())
            self.pytest_sessionfinish(item.session, 1)
            os._exit(3)

    # --- set-up --------------------------------------------------------------------
    @staticmethod
    def _put_workspace_first(ws):
        # pytest put `pythonpath` (the repository root) and python the cwd in front already:
        # the learner's folder must beat both.
        sys.path.insert(0, ws)
        for name in [p.stem for p in Path(ws).glob("*.py")]:
            mod = sys.modules.get(name)
            if mod is not None and not str(getattr(mod, "__file__", "")).startswith(ws):
                del sys.modules[name]  # imported from elsewhere before we got here: import again

    def _in_workspace(self, path):
        return self.s.workspace is not None and str(path).startswith(self.s.workspace + os.sep)

    def _is_note(self, item):
        return note_of(item) is not None and not self.s.strict

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, config, items):
        """Book order; per exercise its contract tests, then its notes, then its slow tests."""
        def key(pair):
            index, item = pair
            exs = exercises_of(item)
            book = max((EXERCISE_IDS.index(e) for e in exs), default=len(EXERCISE_IDS))
            return (book, item.get_closest_marker("slow") is not None, note_of(item) is not None, index)

        items[:] = [item for _, item in sorted(enumerate(items), key=key)]
        wanted = (lambda item: set(exercises_of(item)) & self.s.only) if self.s.only else (lambda item: True)
        # remembered verdicts: a test all of whose exercises are known done is not run again
        known = (lambda item: set(exercises_of(item)) <= self.s.done) if self.s.done else (lambda item: False)
        dropped = [item for item in items if not wanted(item) or known(item)]
        if dropped:
            items[:] = [item for item in items if wanted(item) and not known(item)]
            config.hook.pytest_deselected(items=dropped)
        for item in items:
            if item.get_closest_marker("timeout") is None:
                slow = item.get_closest_marker("slow") is not None
                item.add_marker(pytest.mark.timeout(self.s.slow_timeout if slow else self.s.fast_timeout))

    # --- gating --------------------------------------------------------------------
    def _slot(self, ex_id):
        return self.slots.setdefault(ex_id, {"failed": False, "contract_failed": False, "passed": 0, "blocked": False,
                                             "timed_out": False})

    def _done(self, ex_id):
        if ex_id in self.s.done:
            return True
        s = self.slots.get(ex_id)
        return bool(s) and not s["failed"] and not s["blocked"] and s["passed"] > 0

    def _earlier_not_done(self, ex_ids):
        """An exercise before these (book order) that ran and is not done: with KATA_STOP, stop there."""
        first = min(EXERCISE_IDS.index(e) for e in ex_ids)
        return next((e for e in EXERCISE_IDS[:first]
                     if e in self.slots and (self.slots[e]["failed"] or self.slots[e]["blocked"])), None)

    def _blocker(self, ex_id):
        """The first prerequisite (book order, direct or indirect) that is not done, or None."""
        return next((p for p in prerequisites(ex_id) if not self._done(p)), None)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_protocol(self, item, nextitem):
        marker = item.get_closest_marker("timeout")
        budget = float(marker.args[0]) if marker and marker.args else self.s.fast_timeout
        self.running = (item, budget, time.monotonic())
        try:
            return (yield)
        finally:
            self.running = None

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item):
        if not self.s.gate:
            return
        exs = exercises_of(item)
        if self.s.stop and exs:
            earlier = self._earlier_not_done(exs)
            if earlier:
                pytest.skip(f"kata-not-checked:{earlier}")
        for ex_id in exs:
            if self._slot(ex_id)["timed_out"]:
                # one endless loop is enough: the exercise's other tests would each wait out their budget
                pytest.skip("kata-gated: a test of this exercise timed out")
            blocker = self._blocker(ex_id)
            if blocker:
                self._slot(ex_id)["blocked"] = True
                pytest.skip(f"kata-blocked:{blocker}")
            # slow tests wait for every other test of the exercise; notes only for its contract tests,
            # so that every note test runs and the most telling failure among them can be shown
            slot = self._slot(ex_id)
            if item.get_closest_marker("slow") is not None and slot["failed"]:
                pytest.skip("kata-gated: the fast tests of this exercise fail")
            if self._is_note(item) and slot["contract_failed"]:
                pytest.skip("kata-gated: the fast tests of this exercise fail")

    # --- classification --------------------------------------------------------------
    def _location(self, excinfo):
        """(learner file:line and that line) of the deepest frame in the workspace, else the test's."""
        entries = list(excinfo.traceback)
        mine = [e for e in entries if self._in_workspace(e.path)]
        # a failure inside a validation helper belongs to the learner's line that called it
        calling = [e for e in mine if not CHECK_HELPER.match(e.name) and Path(str(e.path)).name != "validation.py"]
        chosen = (calling or mine or [None])[-1]
        if chosen is None:  # the assertion failed in the tests: show where
            # the test function's own line says more than a helper's `raise AssertionError`
            tests = [e for e in entries if Path(str(e.path)).name.startswith("test_")]
            chosen = tests[-1] if tests else (entries[-1] if entries else None)
        if chosen is None:
            return None
        return {"path": str(chosen.path), "line": chosen.lineno + 1,
                "source": _statement_at(chosen.path, chosen.lineno + 1),
                "learner": self._in_workspace(chosen.path), "function": chosen.name}

    def _location_in_text(self, text):
        """The last workspace frame named in a (subprocess) traceback printed into a message."""
        frames = [(p, int(n)) for p, n in FRAME_IN_TEXT.findall(text) if self._in_workspace(p)]
        if not frames:
            return None
        # a Python traceback ends with the innermost frame; faulthandler's stacks begin with it
        path, line = frames[0] if "most recent call first" in text else frames[-1]
        try:
            source = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()[line - 1].strip()
        except (OSError, IndexError):
            source = ""
        return {"path": path, "line": line, "source": source, "learner": True}

    @staticmethod
    def _message(exc):
        text = str(exc) if isinstance(exc, AssertionError) else f"{type(exc).__name__}: {exc}"
        notes = [n for n in (getattr(exc, "__notes__", None) or []) if not _hypothesis_note(str(n))]
        lines = text.splitlines()
        # a plain `assert ..., message`: pytest appends its own introspection ("assert (5, 4) == (6, 5)",
        # "At index 0 diff: ...") after the test's message, which says it for the learner already
        cut = next((i for i, line in enumerate(lines) if i and line.startswith("assert ")), None)
        if isinstance(exc, AssertionError) and cut is not None:
            lines = lines[:cut]
        lines += [n for note in notes for n in str(note).splitlines()]
        # one line can be huge (a printed array, a learner's debug output inside a message)
        lines = [line if len(line) <= MAX_LINE else line[:MAX_LINE] + f" ... ({len(line) - MAX_LINE} more characters)"
                 for line in lines]
        if len(lines) > MAX_MESSAGE_LINES:
            lines = lines[:MAX_MESSAGE_LINES] + [f"... ({len(lines) - MAX_MESSAGE_LINES} more lines)"]
        return "\n".join(lines)

    @staticmethod
    def _crash_advice(exc, loc):
        """A likely-mistake line for a crash, only where the error itself supports it.

        The records stay English, like the tests' own messages (the runner's choices read them);
        the screen shows them in the learner's language: every learner-facing sentence this plugin
        writes has a template in kata/catalog/diagnoses.py (kata/tests/test_i18n_diagnoses.py
        fails when one has none).
        """
        text = str(exc)
        source = (loc or {}).get("source", "") if (loc or {}).get("learner") else ""
        missing = NO_ATTR.search(text)
        if isinstance(exc, AttributeError) and missing and missing.group(1) == "NoneType":
            # None.T: the attribute holding None is the one before `.T` on the failing line (self.x.T)
            holders = [a for a in re.findall(rf"self\.(\w+)\.{missing.group(2)}\b", source)]
            if holders:
                return (f"self.{holders[0]} is still None on this line: forward must store it "
                        f"(self.{holders[0]} = ...) before backward reads it")
            if not (loc or {}).get("learner"):  # the test got None back from the learner's function
                return "your function returned None here: is a `return` missing at its end?"
            return (f"something on this line is None where a value with .{missing.group(2)} was expected: did "
                    "forward store it on self (backward sees only what forward kept)?")
        if isinstance(exc, AttributeError) and missing:
            return (f"self.{missing.group(2)} does not exist on {missing.group(1)}: forward must store it "
                    f"(self.{missing.group(2)} = ...) before backward reads it")
        if isinstance(exc, TypeError) and "NoneType" in text and not (loc or {}).get("learner"):
            return "your function returned None here: is a `return` missing at its end?"
        if isinstance(exc, TypeError) and "NoneType" in text and SELF_ATTR.search(source):
            attrs = ", ".join(f"self.{a}" for a in dict.fromkeys(SELF_ATTR.findall(source)))
            return (f"one of {attrs} is still None on this line: did forward store it "
                    "(backward sees only what forward kept on self)?")
        if isinstance(exc, ValueError) and SHAPE_ERROR.search(text):
            return ("the arrays' shapes do not fit on this line: print their .shape here; "
                    "e.g. np.dot needs (N, D) and (D, M), a gradient has the shape of what it differentiates")
        return None

    def classify(self, excinfo, loc):
        """(Kind, message) of a failed test."""
        exc = excinfo.value
        chain = _chain(exc)
        stub = next((e for e in chain if isinstance(e, NotImplementedError)), None)
        if stub is not None:
            return Kind.NOT_STARTED, str(stub)
        text = str(exc)
        if "Timeout" in text and "pytest-timeout" in text:
            return Kind.TIMEOUT, text
        script = SCRIPT_TIMEOUT.search(text)
        if script:  # a test's subprocess (buy_apple.py) ran out of time: its stack names the line
            return Kind.TIMEOUT, script.group(1)
        # a test that runs a script (buy_apple.py, train_neuralnet.py) sees the stub in its stderr
        found = STUB_IN_TEXT.search(text)
        if found:
            return Kind.NOT_STARTED, found.group(1)
        if isinstance(exc, pytest.fail.Exception) and "DID NOT RAISE" in text:
            # pytest.raises found no error: a wrong result, not a crash
            expected = text.split("DID NOT RAISE", 1)[1].strip(" <>").replace("class ", "").strip("'")
            return Kind.WRONG, (f"expected a {expected} (a clear error for this bad input), but nothing was raised: "
                                "your code went on with it")
        if isinstance(exc, AssertionError) or any(isinstance(e, AssertionError) for e in chain):
            return Kind.WRONG, self._message(exc)
        message = self._message(exc)
        advice = self._crash_advice(exc, loc)
        if advice:
            message += f"\n  likely mistake: {advice}"
        return Kind.ERROR, message

    # --- reporting -------------------------------------------------------------------
    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item, call):
        report = yield
        exs = exercises_of(item)
        slow = item.get_closest_marker("slow") is not None
        note = note_of(item)
        record = None
        if report.failed:
            loc = self._location(call.excinfo) if call.excinfo else None
            if call.excinfo and not (loc and loc["learner"]):
                loc = self._location_in_text(str(call.excinfo.value)) or loc
            if call.excinfo:
                kind, message = self.classify(call.excinfo, loc)
            else:
                kind, message = Kind.ERROR, report.longreprtext[-2000:]
            if kind is Kind.TIMEOUT:
                if not SCRIPT_TIMEOUT.search(str(call.excinfo.value) if call.excinfo else ""):
                    marker = item.get_closest_marker("timeout")
                    message = f"{marker.args[0] if marker else '?'}"
                for ex_id in exs:
                    self._slot(ex_id)["timed_out"] = True
            absent = _extra_absent(call.excinfo.value) if call.excinfo else None
            if self._is_note(item) and absent is not None:
                # the code does what the book's code does on this extra's input: told, never blocking
                # (a note test that fails any other way found the extra attempted and wrong: a failure)
                kind, message, note = Kind.NOTE, absent.seen, absent.note
            else:
                for ex_id in exs:
                    self._slot(ex_id)["failed"] = True
                    self._slot(ex_id)["contract_failed"] |= note_of(item) is None or self.s.strict
            record = TestRecord(item.nodeid, "failed", kind, message, loc, finding=finding_of(kind, message, note))
            record.output = _printed(report)
        elif report.skipped and call.when != "teardown":
            reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
            reason = reason.removeprefix("Skipped: ")
            if reason.startswith("kata-not-checked:"):
                return report  # not recorded: the exercise is "not checked yet"
            kind = Kind.BLOCKED if reason.startswith("kata-blocked:") else (
                Kind.GATED if reason.startswith("kata-gated") else Kind.SKIPPED)
            record = TestRecord(item.nodeid, "skipped", kind, reason)
        elif report.passed and call.when == "call":
            record = TestRecord(item.nodeid, "passed", Kind.PASSED)
            if not self._is_note(item):
                for ex_id in exs:
                    self._slot(ex_id)["passed"] += 1
        if record is not None:
            record.exercises, record.slow, record.note = exs, slow, note
            record.when, record.duration = call.when, round(call.duration, 3)
            self.results.append(record.to_json())
        return report

    def pytest_collectreport(self, report):
        if report.failed:
            self.collect_errors.append({"nodeid": report.nodeid, "message": self._collect_message(report)})

    def _collect_message(self, report):
        """An import error of the learner's file: their line first, then the end of the traceback."""
        lines = report.longreprtext.splitlines()
        frames = []
        for i, line in enumerate(lines):
            found = FRAME_IN_TEXT.findall(line) or PYTEST_FRAME.findall(line.strip())
            if any(self._in_workspace(p) for p, _ in found):
                frames.append(i)
        if not frames:
            return "\n".join(lines[-25:])
        first = frames[-1]
        # "E" marks pytest's error lines; dedent together so a SyntaxError's caret stays under its column
        rest = [line[1:] if line.startswith("E ") else line for line in lines[first + 1:first + 8]]
        rest = textwrap.dedent("\n".join(line for line in rest if line.strip())).splitlines()
        return "\n".join([lines[first].strip().removeprefix("E").strip()] + ["  " + line for line in rest[:6]])

    def pytest_sessionfinish(self, session, exitstatus):
        self.finished = True
        if not self.s.report:
            return
        modules = {}
        if self.s.workspace:
            # the learner's modules, plus every module the manifest targets: a learner file that
            # was deleted would silently be imported from the repository (and must be reported)
            names = {p.stem for p in Path(self.s.workspace).glob("*.py")} | {
                t.split(":")[0] for e in BY_ID.values() for t in e.targets}
            for name in sorted(names):
                mod = sys.modules.get(name)
                if mod is not None:
                    modules[name] = str(getattr(mod, "__file__", ""))
        fsutil.write_text_atomic(self.s.report, json.dumps({
            "workspace": self.s.workspace, "modules": modules, "results": self.results,
            "collect_errors": self.collect_errors, "exitstatus": int(exitstatus), "strict": self.s.strict,
            # the learner's path must never pay TensorFlow's import (a test proves it)
            "imported": sorted(m for m in ("tensorflow", "torch") if m in sys.modules),
            "seconds": round(time.time() - self.started, 2),
        }, indent=1))
