"""A warm test worker for `watch`: pytest, numpy and hypothesis imported once, a fresh fork per run.

Started by kata.runner.Worker as `python -m kata.worker`; speaks one JSON object per line:
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


def _serve_one(request):
    pid = os.fork()
    if pid == 0:
        _child(request)
    end = time.monotonic() + float(request.get("deadline", 120))
    while True:
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
    print(json.dumps({"ready": True, "pid": os.getpid()}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            reply = _serve_one(json.loads(line))
        except Exception as err:  # noqa: BLE001 (report, keep serving)
            reply = {"rc": None, "error": f"{type(err).__name__}: {err}"}
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main()
