"""`watch`: re-run `check` whenever a workspace file is saved (polling, so it works on every file system)."""
import os
import signal
import sys
import time
from pathlib import Path

from kata import workspace as wsmod
from kata.i18n import t
from kata.testrun import KataInterrupted, Worker

ROOT = wsmod.ROOT


def snapshot(ws):
    """{path: (mtime_ns, size)} of the workspace's Python files: polling works on every file system.

    Every visible regular *.py under the workspace, sub-packages included (a helper module the
    learner's layers import: the remembered verdicts' keys cover it, kata/verdicts.py), in the
    folders the keys walk (not hidden ones such as .kata/, not __pycache__ or a virtualenv).
    Editors' lock, swap and backup files (Emacs `.#layers.py`, a dangling link; vim
    `.layers.py.swp`; `layers.py~`) are not the learner's code, and a file that vanishes between
    listing and stat is simply left out. Never raises.
    """
    import stat
    from kata.verdicts import SKIP_DIRS
    out, seen = {}, set()
    for folder, dirs, files in os.walk(ws, followlinks=True, onerror=lambda err: None):
        real = os.path.realpath(folder)
        if real in seen:  # a linked folder is walked once: a loop is cut
            dirs[:] = []
            continue
        seen.add(real)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIP_DIRS
                         and not os.path.exists(os.path.join(folder, d, "pyvenv.cfg")))
        for name in sorted(files):
            if not os.path.normcase(name).endswith(".py") or name.startswith((".", "#", "~")):
                continue
            path = Path(folder) / name
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
    from kata import runner  # runner imports this module: check is looked up when watch runs
    ws = Path(ws)
    if not ws.exists():
        raise wsmod.KataError(t("no_workspace"))
    from kata.__main__ import MIN_INTERVAL
    if not (isinstance(interval, (int, float)) and interval >= MIN_INTERVAL and interval < float("inf")):
        raise wsmod.KataError(t("bad_interval", value=interval, min=MIN_INTERVAL))  # nan fails >= too
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
                    runner.check(ws, root, fast=fast, out=screen.line, worker=worker, interim=screen.interim)
                except wsmod.KataError as err:  # e.g. the deadline: say it, keep watching
                    screen.line(str(err))
                sys.stdout.flush()
                runs += 1
                last = now
            else:
                time.sleep(interval)
    except (KeyboardInterrupt, KataInterrupted) as err:
        if getattr(err, "signum", None) not in (None, signal.SIGINT):
            raise  # SIGTERM/SIGHUP: the CLI says which signal stopped it (and exits 128 + its number)
        out(t("interrupted"))
    finally:
        if worker is not None:
            worker.stop()
    return 0
