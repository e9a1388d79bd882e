"""`check`, `hint` and `watch`: run the tests against the workspace and say what to do next."""
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kata import fsutil, verdicts
from kata import workspace as wsmod
from kata.catalog.diagnoses import translate
from kata.i18n import hint_level_name, hint_text, lang, t, title
from kata.manifest import BY_ID, EXERCISES, with_prerequisites
from kata.notes import NOTES, note_text
from kata.status import ExerciseResult, Kind, Status

ROOT = wsmod.ROOT
BAR_ON, BAR_OFF = "▰", "▱"
SYMBOL = {"done": "✔", "not_started": "·", "wrong": "✘", "timeout": "⏱", "error": "✘",
          "blocked": "⊘", "untested": "?", "not_checked": "…"}
# Marks the learner's path never runs: TensorFlow's import alone costs ~5 s, and the
# numerical gradients already judge every backward (make test runs the TF oracle).
KATA_EXCLUDE = ("tf",)


def strict_from_env():
    return os.environ.get("KATA_STRICT", "0") == "1"


class KataInterrupted(Exception):
    """Ctrl-C during a run: the test process group is gone; the CLI prints one line."""


# Budgets in seconds. A fast test takes well under one; a run of every fast test ~20 s on a
# busy 2-core machine. The deadline of a whole run is enforced from outside the test process.
FAST_DEADLINE = 120.0
FULL_DEADLINE = 900.0


def _deadline(fast):
    return float(os.environ.get("KATA_DEADLINE", FAST_DEADLINE if fast else FULL_DEADLINE))


class Worker:
    """The warm worker process of `watch` (kata/worker.py): forks a fresh pytest per run.

    Restarted when it died, when a reply does not come (hung), or when the tests or the
    kata's own files changed since it started (it imported the old kata modules).
    """

    REPLY_GRACE = 15.0

    def __init__(self, root=ROOT):
        self.root = Path(root)
        self.proc = None
        self.hashes = None

    @staticmethod
    def available():
        return hasattr(os, "fork") and os.name == "posix"

    def _start(self):
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", PYTHONIOENCODING="utf-8")
        for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            env.setdefault(var, "1")  # no BLAS threads in a process that forks
        self.proc = subprocess.Popen([sys.executable, "-m", "kata.worker"], cwd=self.root, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                     encoding="utf-8", start_new_session=True)
        self.hashes = wsmod.file_hashes(self.root)
        hello = self.proc.stdout.readline()
        if not hello.startswith("{"):
            self.stop()
            raise wsmod.KataError(t("pytest_failed", code="worker", tail=hello))

    def _fresh(self):
        if self.proc is None or self.proc.poll() is not None or wsmod.file_hashes(self.root) != self.hashes:
            self.stop()
            self._start()

    def run(self, cmd, env, deadline, log):
        """(exit code or None if killed at the deadline, output) of `python -m pytest ARGS` in a fork."""
        self._fresh()
        args = cmd[cmd.index("pytest") + 1:]
        request = {"args": args, "env": env, "cwd": str(self.root), "log": str(log), "deadline": deadline}
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        reply = self._reply(deadline + self.REPLY_GRACE)
        try:
            output = Path(log).read_text(encoding="utf-8", errors="replace")
        except OSError:
            output = ""
        if reply is None:  # the worker itself hung or died: a new one next time
            self.stop()
            return None, output
        return reply.get("rc"), output

    def _reply(self, timeout):
        import selectors
        with selectors.DefaultSelector() as sel:
            sel.register(self.proc.stdout, selectors.EVENT_READ)
            if not sel.select(timeout):
                return None
        line = self.proc.stdout.readline()
        try:
            return json.loads(line)
        except ValueError:
            return None

    def stop(self):
        if self.proc is not None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except OSError:
                pass
            self.proc.wait()
        self.proc = None


def run_tests(ws, root=ROOT, fast=False, only=None, gate=True, extra_env=None, log_path=None, exclude=(),
              strict=None, done=(), stop=False, files=None, deadline=None, worker=None):
    """Run the exercise tests against workspace `ws` in a fresh pytest process; return its report.

    fast: leave out tests marked slow (and say so); exclude: more marks to leave out. only: exercise ids
    to run (with their prerequisites, which gating needs). strict: notes (extras beyond the book) count
    as failures (default: KATA_STRICT). done: exercise ids known done (remembered verdicts, not run);
    stop: stop at the first exercise that is not done; files: the test files to collect (default all
    of tests/); deadline: seconds for the whole run (default KATA_DEADLINE, else by `fast`), after
    which the process group is killed and KataError says where the code was.
    The report is the JSON written by kata.pytest_plugin.
    """
    ws, root = Path(ws).resolve(), Path(root).resolve()
    strict = strict_from_env() if strict is None else strict
    deadline = _deadline(fast) if deadline is None else deadline
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        env = dict(os.environ)
        # PYTHONIOENCODING always (a learner's own cp949 or cp932 setting too): the child writes UTF-8
        # whatever the console, and its output is read back as UTF-8 (_run_with_deadline)
        env.update({"KATA_WORKSPACE": str(ws), "KATA_REPORT": str(report), "KATA_GATE": "1" if gate else "0",
                    "KATA_STRICT": "1" if strict else "0", "PYTHONDONTWRITEBYTECODE": "1",
                    "PYTHONIOENCODING": "utf-8"})
        # plain tracebacks from every Python the tests start: a Jupyter kernel exports FORCE_COLOR=1, and
        # Python 3.13 then colours a script's traceback, which hid its stub's NotImplementedError from the plugin
        env["PYTHON_COLORS"] = "0"
        # the same examples every run (a verdict must not depend on luck), no shrinking
        # (it turns a rich counterexample into all zeros, where wrong formulas coincide)
        env.setdefault("HYPOTHESIS_PROFILE", "kata")
        # the workspace's copy of mnist.py would look for data/ inside the workspace
        env.setdefault("MNIST_DIR", str(root / "data"))
        env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        # one BLAS thread, whatever command started the kata: numpy's default of one per core
        # oversubscribes 2 cores (the 5.7.4 training test ran 10x slower without make's exports)
        for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            env.setdefault(var, "1")
        if only:
            env["KATA_ONLY"] = ",".join(_with_prereqs(only))
        dump = Path(tmp) / "stacks.txt"
        env.update({"KATA_DONE": ",".join(sorted(done)), "KATA_STOP": "1" if stop else "0",
                    "KATA_STACK_DUMP": str(dump), "KATA_PARENT_PID": str(os.getpid())})
        env.update(extra_env or {})
        marks = "exercise" + "".join(f" and not {m}" for m in (("slow",) if fast else ()) + KATA_EXCLUDE
                                     + tuple(exclude))
        targets = [str(f) for f in files] if files is not None else [str(root / "tests")]
        # Only the plugins a check needs: pytest scanning every installed distribution for
        # plugin entry points (TensorFlow's, ...) cost 1.4 s of a 2.8 s start on this machine.
        env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
        # --tb=native: the screen's messages come from the plugin, not from pytest's tracebacks,
        # which only fill the full log; pytest's own style re-parses each frame's source and cost
        # 0.55 of 1.8 s of a passing 5.6.3 run (its notes fail by design). Native tracebacks keep
        # every frame's file and line, which the plugin reads from a collection error.
        cmd = [sys.executable, "-m", "pytest", "-p", "kata.pytest_plugin", "-p", "pytest_timeout",
               "-p", "_hypothesis_pytestplugin", "-m", marks, "-q", "-p", "no:cacheprovider", "--tb=native",
               "--continue-on-collection-errors", "--rootdir", str(root), *targets]
        if worker is not None:
            returncode, output = worker.run(cmd, env, deadline, Path(tmp) / "pytest.log")
        else:
            returncode, output = _run_with_deadline(cmd, root, env, deadline)
        if log_path:
            _write_log(log_path, output)
        if returncode is None:  # killed at the deadline
            raise wsmod.KataError(_deadline_message(dump, ws, deadline))
        if not report.exists():
            raise wsmod.KataError(_no_report(returncode, output, ws))
        data = json.loads(report.read_text(encoding="utf-8"))
    data["fast"] = fast
    data["statuses"] = statuses(data, only)
    return data


def _run_with_deadline(cmd, cwd, env, deadline):
    """(exit code, output) of cmd in its own process group; (None, output) if killed at the deadline.

    The group is killed, not just pytest: a learner's loop inside a subprocess of a test
    (buy_apple.py) must end too. Ctrl-C kills the group and raises KataInterrupted.
    """
    popen = dict(cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                 text=True, encoding="utf-8", errors="replace")
    if os.name == "posix":
        popen["start_new_session"] = True
    else:  # Windows: a new process group, ended with CTRL_BREAK / kill
        popen["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP
    proc = subprocess.Popen(cmd, **popen)
    try:
        out, _ = proc.communicate(timeout=deadline)
        _kill_group(proc)  # whatever the tests started and left behind (a script stuck in a loop)
        return proc.returncode, out
    except subprocess.TimeoutExpired:
        ask_for_stack(proc.pid)
        _kill_group(proc)
        out, _ = proc.communicate()
        return None, out
    except KeyboardInterrupt:
        _kill_group(proc)
        proc.communicate()
        raise KataInterrupted() from None


STACK_WAIT = 0.5  # seconds for faulthandler to write the stack before the group is killed


def ask_for_stack(pid):
    """SIGUSR1: the plugin's faulthandler writes the test process's stack (kata.pytest_plugin)."""
    if hasattr(signal, "SIGUSR1"):
        try:
            os.kill(pid, signal.SIGUSR1)
            time.sleep(STACK_WAIT)
        except OSError:
            pass


def _kill_group(proc):
    try:
        if os.name == "posix":
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
    except (ProcessLookupError, PermissionError, OSError):
        pass


DUMP_FRAME = re.compile(r'File "([^"]+)", line (\d+) in (\S+)')


def _deadline_message(dump, ws, deadline):
    """Where the learner's code was when the run hit its deadline (from faulthandler's stacks)."""
    try:
        text = Path(dump).read_text(encoding="utf-8", errors="replace")
    except OSError:
        text = ""
    ws = str(Path(ws).resolve())
    # faulthandler lists the innermost frame first
    mine = [(p, int(n), f) for p, n, f in DUMP_FRAME.findall(text) if p.startswith(ws + os.sep)]
    if mine:
        path, line, func = mine[0]
        return t("deadline_where", secs=f"{deadline:g}", func=func, where=f"{_rel(path)}:{line}")
    return t("deadline", secs=f"{deadline:g}")


def _write_log(path, text):
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        fsutil.write_text_atomic(path, text, errors="replace")
    except OSError:
        pass  # a read-only workspace (workspace.save_state warns once): the verdict matters more than the log


def _no_report(returncode, output, ws):
    """Why pytest produced no report, said for a learner: a file shadowing a module, or pytest's own words."""
    shadow = shadowing_files(ws)
    if shadow:
        return t("shadowing", files=", ".join(f"{p.name} ({mod})" for p, mod in shadow))
    return t("pytest_failed", code=returncode, tail=output[-3000:])


def shadowing_files(ws):
    """Learner files named like a standard-library or installed module the tests import (random.py, ...)."""
    names = set(getattr(sys, "stdlib_module_names", ())) | {"numpy", "pytest", "hypothesis", "matplotlib", "tqdm"}
    out = []
    for path in sorted(Path(ws).glob("*.py")):
        if path.stem in names:
            out.append((path, path.stem))
    return out


def _with_prereqs(ids):
    return list(with_prerequisites(ids))


def _severity(record):
    """Most fundamental first: a crash, nothing returned, a wrong shape, then wrong values."""
    if record["kind"] == Kind.ERROR:
        return 0
    message = record["message"]
    if "got None" in message:
        return 1
    if "wrong shape" in message:
        return 2
    return 3


def _most_telling(failed):
    """The failure to show: the most fundamental one, and among those one naming a likely mistake."""
    real = [r for r in failed if r["kind"] != Kind.NOT_STARTED]
    if not real:
        return (failed or [None])[0]
    return min(real, key=lambda r: (_severity(r), "likely mistake" not in r["message"]))


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
        contract = [r for r in mine if strict or not r.get("note")]
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
    where a line is put on screen: every decision that reads the English (_severity, _most_telling,
    _learner_error) has been taken by then."""
    return translate(text, lang())


def notes_count(n):
    return t("note_one") if n == 1 else t("notes_count", n=n)


def render(report, ws, root=ROOT):
    """The learner's screen, as a list of lines."""
    ws = Path(ws)
    sts = report["statuses"]
    total = len(EXERCISES)
    done = sum(s["status"] == "done" for s in sts.values())
    open_notes = len({key for s in sts.values() for key in (s.get("notes") or {})})
    lines = []
    wrong = wrong_files(report)
    if wrong:  # nothing below is about the learner's code: say so first, and never celebrate
        for name, path in wrong.items():
            lines.append(t("wrong_file", name=name, path=path, ws=report["workspace"]))
        lines.append("")
    changed = wsmod.changed_guarded_files(ws, root)
    if changed:
        lines += [t("tamper", files=", ".join(changed)), ""]
    for path in getattr(wsmod, "empty_learner_files", lambda _ws: [])(ws):
        lines += [t("empty_learner_file", file=_rel(path)), ""]
    # a byte that is not UTF-8 (a Windows editor saving cp949/cp932): told on every screen, the
    # notebook's and watch's included, while the file is left as the learner saved it
    for path, line, byte in wsmod.not_utf8_files(ws):
        lines += [t("not_utf8", path=_rel(path), line=line, byte=byte), ""]
    shadow = shadowing_files(ws)
    if shadow:
        lines += [t("shadowing", files=", ".join(f"{p.name} ({mod})" for p, mod in shadow)), ""]
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
        lines += ["", t("collect_error") if _learner_error(err, ws) else t("collect_error_tests")]
        lines += ["  " + x for x in _shown(err["message"]).splitlines()]
    current = current_exercise(report)
    if current and not report["collect_errors"]:
        lines += [""] + _explain(current, sts[current], ws)
        # An exercise attempted out of book order and failing: its diagnostic is
        # what the learner is waiting for, even though an earlier stub comes first.
        for ex_id, st in sts.items():
            if ex_id != current and st["status"] in ("wrong", "timeout", "error"):
                lines += [""] + _explain(ex_id, st, ws, heading="also")
    elif all_done(report):
        lines += ["", t("all_done", total=total)]
        if open_notes and not report.get("strict"):
            lines.append(t("strict_hint"))
    lines += ["", t("tested_files")]
    for name, path in report["modules"].items():
        lines.append(f"  {name:<16} {_rel(path)}")
    return lines


def _learner_error(err, ws):
    """Does a collection error point into the learner's files (not into tests/)?"""
    names = [p.name for p in Path(ws).glob("*.py")]
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
    if where:
        lines.append(f"  {t('your_code')}: " + "; ".join(where))
    if st["status"] in ("wrong", "error"):
        drawn = draw_graph(ex_id, ws)
        if drawn:
            lines.append("  " + t("graph_drawn", path=_rel(drawn)))
    state = wsmod.load_state(ws)
    lines.append("  " + t("hint_cmd", id=ex_id, level=state.get("hints", {}).get(ex_id, 0), levels=len(ex.hints)))
    return lines


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
    for line in render(report, ws, root):
        out(line)
    if to_run:
        out(t("full_log", path=_rel(log)))
    # remember what this run found done, under the keys computed before it ran
    if not wrong_files(report) and not report["collect_errors"]:
        for ex_id, st in report["statuses"].items():
            if st["status"] == "done" and not st.get("cached"):
                cache[ex_id] = {"key": keys[ex_id], "full": not fast, "notes": st.get("notes") or {}}
            elif st["status"] in ("wrong", "error", "timeout", "not_started"):
                cache.pop(ex_id, None)
        verdicts.save(ws, cache)
    state["current"] = current_exercise(report)
    state.setdefault("statuses", {}).update({k: v["status"] for k, v in report["statuses"].items()
                                             if v["status"] != "not_checked"})
    wsmod.save_state(ws, state)
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
    """{path: (mtime_ns, size)} of the workspace's Python files: polling works on every file system.

    Only visible regular files named *.py: editors' lock, swap and backup files (Emacs
    `.#layers.py`, a dangling link; vim `.layers.py.swp`; `layers.py~`) are not the learner's
    code, and a file that vanishes between listing and stat is simply left out. Never raises.
    """
    import stat
    out = {}
    try:
        names = sorted(os.listdir(ws))
    except OSError:
        return out  # the workspace itself is gone: watch's check says so
    for name in names:
        if not os.path.normcase(name).endswith(".py") or name.startswith((".", "#", "~")):
            continue
        path = Path(ws) / name
        try:
            st = path.stat()  # follows a link to a real file; a dangling one raises
        except (OSError, ValueError):
            continue
        if stat.S_ISREG(st.st_mode):
            out[path] = (st.st_mtime_ns, st.st_size)
    return out


class _WatchScreen:
    """watch's output: the screen is cleared (on a terminal) before each check, and again
    before the final screen when an interim one (the saved exercise's verdict while the next
    exercises run) was shown."""

    def __init__(self, out):
        self.out, self.stale = out, False

    def clear(self):
        if self.out is print and sys.stdout.isatty():
            sys.stdout.write("\033[2J\033[H")  # like rustlings

    def line(self, text):
        if self.stale:
            self.clear()
            self.stale = False
        self.out(text)

    def interim(self, lines):
        self.clear()
        for text in lines:
            self.out(text)
        sys.stdout.flush()
        self.stale = True


def watch(ws, root=ROOT, interval=0.1, fast=True, max_runs=None, out=print, warm=True):
    """Re-run check whenever a workspace file changes (polling: no inotify, fine on WSL /mnt).

    warm: run the checks in a warm worker (kata/worker.py) where the platform can fork;
    a save then costs the tests, not the imports. Polling every 0.1 s: a few stat calls.
    """
    ws = Path(ws)
    if not ws.exists():
        raise wsmod.KataError(t("no_workspace"))
    out(t("watching", ws=ws, secs=interval))
    worker = Worker(root) if warm and Worker.available() else None
    runs, last = 0, None
    screen = _WatchScreen(out)
    try:
        while max_runs is None or runs < max_runs:
            now = snapshot(ws)
            if now != last:
                screen.clear()
                if last is not None:
                    changed = sorted(p.name for p in set(now) | set(last) if now.get(p) != last.get(p))
                    out(t("changed", files=", ".join(changed)))
                try:
                    check(ws, root, fast=fast, out=screen.line, worker=worker, interim=screen.interim)
                except wsmod.KataError as err:  # e.g. the deadline: say it, keep watching
                    screen.line(str(err))
                sys.stdout.flush()
                runs += 1
                last = now
            else:
                time.sleep(interval)
    except (KeyboardInterrupt, KataInterrupted):
        out(t("interrupted"))
    finally:
        if worker is not None:
            worker.stop()
    return 0
