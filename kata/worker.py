"""A warm test worker for `watch`: pytest, numpy and hypothesis imported once, a fresh fork per run.

Started by kata.testrun.Worker as `python -m kata.worker`; speaks one JSON object per line:
  request  {"args": [pytest arguments], "env": {...}, "cwd": "...", "log": "path", "deadline": seconds}
  reply    {"rc": exit code} or {"rc": null, "killed": true} when the deadline passed
Each run is a child forked from this process, in its own process group: the learner's
modules and the test modules are imported in the child only (this process never imports
them), so every run sees the files as they are now; an endless loop is ended by killing
the child's group, and the worker stays warm. Where os.fork does not exist (Windows) the
runner does not start a worker and runs a fresh process per check instead.
"""
import json
import os
import signal
import sys
import time

# What every run needs and costs most to import (~1 s on a busy 2-core machine); nothing
# here may import the learner's modules or the tests (they import `layers`).
import numpy  # noqa: F401
import hypothesis  # noqa: F401
import hypothesis.extra.numpy  # noqa: F401
import hypothesis.strategies  # noqa: F401
import pytest  # noqa: F401
import _pytest.config  # noqa: F401
import pytest_timeout  # noqa: F401

import kata.pytest_plugin  # noqa: F401 (no side effects at import)

POLL = 0.01

# Imported by every run's pytest session but not by the imports above (measured: the modules
# a forked run added to sys.modules, less the learner's and the tests'); each costs a few ms
# to tens of ms, paid once here instead of on every save.
WARM_MODULES = ("numpy.random", "tomllib", "pdb", "xml.etree.ElementTree", "secrets", "readline",
                "encodings.unicode_escape", "_hypothesis_pytestplugin", "kata.notes",
                "_pytest.junitxml", "_pytest.pastebin", "_pytest.helpconfig", "_pytest.faulthandler",
                "_pytest.setuponly", "_pytest.setupplan", "_pytest.skipping", "_pytest.threadexception",
                "_pytest.tracemalloc", "_pytest.unittest", "_pytest.unraisableexception", "_pytest.warnings")


def _warm():
    """Import what runs need, run hypothesis's engine once, then freeze the heap.

    hypothesis loads parts of its engine on first use; a throwaway @given test (no learner
    code, no test module) pays that here. gc.freeze() moves everything imported so far out of
    the collector's reach: pytest calls gc.collect() at the end of each run, which otherwise
    walked the whole warm heap in every fork (about 0.1 s a run, measured).
    """
    import gc
    import importlib
    import warnings

    import numpy as np
    from hypothesis import given, settings
    from hypothesis import strategies as st
    from hypothesis.extra import numpy as hnp

    @settings(max_examples=2, database=None, derandomize=True, deadline=None)
    @given(hnp.arrays(np.float64, (2, 3), elements=st.floats(-1, 1)))
    def throwaway(x):
        raise ValueError("warm-up: the first example fails, as a stub's does")

    # hypothesis warns when a strategy is used before its pytest plugin is loaded (a slow
    # plugin, it assumes); here that is the point, and the warning would land on the screen
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            throwaway()
        except ValueError:
            pass
        for name in WARM_MODULES:
            try:
                importlib.import_module(name)
            except ImportError:  # readline is missing on some builds: nothing to warm then
                pass
    gc.collect()
    gc.freeze()


def _child(request):
    os.setsid()  # its own process group: killing it ends whatever it started
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    os.environ["KATA_PARENT_PID"] = str(os.getppid())  # this worker: the run ends if the worker is gone
    log = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(log, 1)
    os.dup2(log, 2)
    sys.stdout = os.fdopen(1, "w", encoding="utf-8", errors="replace", buffering=1)
    sys.stderr = sys.stdout
    try:
        code = int(pytest.main(request["args"]))
    except BaseException:  # noqa: BLE001 (whatever happens, the child must end here, not in the loop)
        code = 3
    sys.stdout.flush()
    os._exit(code)


def _serve_one(request, runner=None):
    """Fork a run and wait for it, until its deadline, or until the runner (`watch`, whose pid is
    `runner`) is gone: a killed watch must not leave a run and this worker behind."""
    pid = os.fork()
    if pid == 0:
        _child(request)
    end = time.monotonic() + float(request.get("deadline", 120))
    while True:
        if runner is not None and os.getppid() != runner:
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                pass
            os.waitpid(pid, 0)
            os._exit(1)
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            try:
                os.killpg(pid, signal.SIGKILL)  # whatever the run started and left behind
            except OSError:
                pass
            return {"rc": os.waitstatus_to_exitcode(status)}
        if time.monotonic() > end:
            try:
                os.kill(pid, signal.SIGUSR1)  # the plugin's faulthandler writes where it was
                time.sleep(0.5)
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                pass
            os.waitpid(pid, 0)
            return {"rc": None, "killed": True}
        time.sleep(POLL)


def main():
    runner = os.getppid()  # stdin's end tells an idle worker that watch is gone; a busy one checks this
    _warm()
    print(json.dumps({"ready": True, "pid": os.getpid()}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            reply = _serve_one(json.loads(line), runner)
        except Exception as err:  # noqa: BLE001 (report, keep serving)
            reply = {"rc": None, "error": f"{type(err).__name__}: {err}"}
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main()
