"""Running the exercise tests: one pytest process (or a fork of the warm worker) against a workspace.

run_tests(ws, ...) -> the report kata/pytest_plugin.py writes, with each exercise's status folded in
(kata.status.statuses). A deadline is enforced from outside the test process; a run killed at it, or by
a signal, is salvaged from the plugin's progress file (salvage_report): finished exercises keep their
verdicts, the running one is a timeout at the learner's line. Nothing here draws a screen.
"""
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kata import fsutil
from kata import workspace as wsmod
from kata.fsutil import shown_path as _rel
from kata.i18n import t
from kata.manifest import with_prerequisites
from kata.status import Kind, TestRecord, statuses

ROOT = wsmod.ROOT
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
    which the process group is killed: the test running then is a timeout at the line it was on and
    the tests finished before it keep their records (salvage_report); KataError says where the code
    was only when no test had started (an import that loops). A run killed by a signal is salvaged
    the same way. The report is the JSON written by kata.pytest_plugin.
    """
    ws, root = Path(ws).resolve(), Path(root).resolve()
    strict = strict_from_env() if strict is None else strict
    deadline = _deadline(fast) if deadline is None else deadline
    remove_stale_run_folders()
    with tempfile.TemporaryDirectory(prefix=f"{RUN_PREFIX}{os.getpid()}-") as tmp:
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
        # always the kata's profile, whatever the calling shell exports (CI's HYPOTHESIS_PROFILE=ci shrinks a
        # counterexample to zeros, where the diagnoses cannot tell formulas apart): a learner's verdict and
        # diagnosis are the same everywhere. KATA_HYPOTHESIS_PROFILE (or extra_env) picks another on purpose.
        env["HYPOTHESIS_PROFILE"] = os.environ.get("KATA_HYPOTHESIS_PROFILE", "kata")
        # the workspace's copy of mnist.py would look for data/ inside the workspace
        env.setdefault("MNIST_DIR", str(root / "data"))
        env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        # one BLAS thread, whatever command started the kata: numpy's default of one per core
        # oversubscribes 2 cores (the 5.7.4 training test ran 10x slower without make's exports)
        for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            env.setdefault(var, "1")
        if only:
            env["KATA_ONLY"] = ",".join(list(with_prerequisites(only)))
        dump, progress = Path(tmp) / "stacks.txt", Path(tmp) / "progress.jsonl"
        env.update({"KATA_DONE": ",".join(sorted(done)), "KATA_STOP": "1" if stop else "0",
                    "KATA_STACK_DUMP": str(dump), "KATA_PARENT_PID": str(os.getpid()),
                    "KATA_PROGRESS": str(progress)})
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
        killed = returncode is None or returncode < 0  # at the deadline, or by a signal (under load: -9)
        if report.exists():
            data = json.loads(report.read_text(encoding="utf-8"))
        elif killed and (data := salvage_report(progress, dump, ws, deadline if returncode is None else None, strict)):
            pass  # the exercises finished before it keep their verdicts; the running one timed out
        elif returncode is None:  # killed at the deadline before any test started (an import that loops)
            raise wsmod.KataError(_deadline_message(dump, ws, deadline))
        else:
            raise wsmod.KataError(_no_report(returncode, output, ws))
    data["fast"] = fast
    data["statuses"] = statuses(data, only)
    return data


RUN_PREFIX = "kata-run-"  # a run's temporary folder: kata-run-<pid of the runner>-<random>


def remove_stale_run_folders(base=None):
    """Remove the temporary folders of runs whose runner is gone (kill -9 leaves its folder behind).

    Only this user's folders named kata-run-<pid>-..., and only when no process has that pid;
    never raises (another runner may remove the same folder at the same time)."""
    import shutil
    base = Path(base or tempfile.gettempdir())
    try:
        names = os.listdir(base)
    except OSError:
        return
    for name in names:
        if not name.startswith(RUN_PREFIX):
            continue
        pid = name[len(RUN_PREFIX):].split("-", 1)[0]
        path = base / name
        try:
            if not pid.isdigit() or _alive(int(pid)) or path.is_symlink() or not path.is_dir() \
                    or (hasattr(os, "getuid") and path.stat().st_uid != os.getuid()):
                continue
        except OSError:
            continue
        shutil.rmtree(path, ignore_errors=True)


def _alive(pid):
    if pid == os.getpid():
        return True
    if os.name != "posix":
        return True  # no cheap test there: never remove what may be in use
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process: alive
    return True


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
    except KeyboardInterrupt as err:  # Ctrl-C, or SIGTERM/SIGHUP (kata.__main__.Terminated)
        _kill_group(proc)
        proc.communicate()
        stopped = KataInterrupted()
        stopped.signum = getattr(err, "signum", None)
        raise stopped from None


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


def salvage_report(progress, dump, ws, deadline=None, strict=False):
    """The report of a run that was killed (at its `deadline`, or by a signal: deadline None), from
    what its plugin wrote as it went (KATA_PROGRESS): every record of the tests that finished, and
    a timeout for the test that was running, at the learner's line faulthandler caught it on.
    None when no test had started (nothing to attribute the time to)."""
    try:
        lines = Path(progress).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    results, errors, running, modules = [], [], None, {}
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            continue  # the last line, cut by the kill
        if "start" in entry:
            running, modules = entry, entry.get("modules") or modules
        elif "record" in entry:
            results.append(entry["record"])
        elif "collect_error" in entry:
            errors.append(entry["collect_error"])
    if running is None:
        return None
    if not any(r["nodeid"] == running["start"] for r in results):
        secs = deadline if deadline is not None else max(time.time() - running.get("time", time.time()), 0)
        record = TestRecord(running["start"], "failed", Kind.TIMEOUT, f"{secs:.0f}" if deadline is None
                            else f"{secs:g}", _stack_location(dump, ws))
        record.exercises, record.note, record.slow = running["exercises"], running.get("note"), running["slow"]
        results.append(record.to_json())
    return {"workspace": str(Path(ws).resolve()), "modules": modules, "results": results,
            "collect_errors": errors, "exitstatus": 1, "strict": strict, "imported": [], "seconds": 0.0,
            "killed": True}


def _stack_location(dump, ws):
    """The innermost learner frame of faulthandler's stack dump, as a record's location (or None)."""
    try:
        text = Path(dump).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    ws = str(Path(ws).resolve())
    frames = DUMP_FRAME.findall(text)  # innermost first
    # the learner's line, else the test's own (a script the test runs loops: the test waits on it)
    mine = [f for f in frames if f[0].startswith(ws + os.sep)]
    tests = [f for f in frames if Path(f[0]).name.startswith("test_")]
    for path, line, func in (mine or tests)[:1]:
        try:
            source = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()[int(line) - 1]
        except (OSError, IndexError):
            source = ""
        return {"path": path, "line": int(line), "source": source.strip(), "learner": bool(mine),
                "function": func}
    return None


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


