"""`python -m kata setup`: the set-up of `make venv data`, with nothing but Python (Linux, macOS, Windows).

Standard library only (it runs before anything is installed). Three steps, one line each:
1. the virtual environment (default .venv next to requirements.txt; reused when its Python runs),
   created by the Python running this command, as the Makefile's `$(PY) -m venv .venv`;
2. `pip install -r requirements-kata.txt` (the learner's lock: no TensorFlow) with the venv's own
   pip (after upgrading pip, as the Makefile does), then the Makefile's install stamp
   `.venv/.kata-installed-<cksum>`, so a later `make check` sees the packages installed and does
   not install them again (and this command skips the step while requirements-kata.txt is
   unchanged, or when the full lock requirements.txt, which contains it, is installed: its stamp
   `.venv/.installed-<cksum>`);
3. MNIST: `mnist.py --quiet` run by the venv's Python (`make data-ready`: silent when the
   verified cache is there, fetches and reports otherwise).
Then the exact next command for this OS. A failing step names itself and how to retry, exit 1.
"""
import importlib.util
import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path, PurePosixPath, PureWindowsPath

from kata.i18n import t

ROOT = Path(__file__).resolve().parent.parent
# the learner's lock; the full one (`make test`: TensorFlow, ruff, ...) pins the same versions and more
REQUIREMENTS = "requirements-kata.txt"
FULL_REQUIREMENTS = "requirements.txt"
# the oldest Python the pinned packages install on (numpy, matplotlib, ipykernel, hypothesis: >=3.11)
MIN_PYTHON = (3, 11)


def windows():
    """The OS the paths and commands are for (a function, so the tests can ask for the other one)."""
    return os.name == "nt"


def default_venv(root=ROOT):
    return Path(root) / ".venv"


def venv_python(venv, on_windows=None):
    """The venv's interpreter: Scripts\\python.exe on Windows, bin/python elsewhere."""
    on_windows = windows() if on_windows is None else on_windows
    return Path(venv) / ("Scripts/python.exe" if on_windows else "bin/python")


def shown(path, on_windows=None, cwd=None):
    """`path` as a learner types it: relative to the current folder when inside it, in the OS's spelling.

    The venv's python.exe is typed without its .exe (`.venv\\Scripts\\python -m kata init`).
    """
    on_windows = windows() if on_windows is None else on_windows
    path = Path(path)
    try:
        rel = path.relative_to(Path.cwd() if cwd is None else cwd)
        if not rel.parts:
            rel = Path(".")
        text = str(rel)
    except ValueError:
        text = str(path)
    spelled = PureWindowsPath(text) if on_windows else PurePosixPath(text)
    if on_windows and spelled.name.lower() == "python.exe":
        spelled = spelled.with_name("python")
    return str(spelled)


def command_line(words, on_windows=None):
    on_windows = windows() if on_windows is None else on_windows
    return subprocess.list2cmdline(words) if on_windows else shlex.join(words)


def venv_works(venv, on_windows=None):
    """True when `venv` holds a virtual environment whose Python starts."""
    python = venv_python(venv, on_windows)
    if not (Path(venv) / "pyvenv.cfg").is_file() or not python.exists():
        return False
    try:
        done = subprocess.run([str(python), "-c", "import sys; sys.exit(0 if sys.prefix != sys.base_prefix else 3)"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def posix_cksum(data):
    """The CRC of POSIX `cksum` (what the Makefile's `cat requirements.txt | cksum` prints first)."""
    crc = 0

    def feed(byte):
        nonlocal crc
        crc ^= byte << 24
        for _ in range(8):
            crc = ((crc << 1) ^ 0x04C11DB7) if crc & 0x80000000 else crc << 1
            crc &= 0xFFFFFFFF
    for byte in data:
        feed(byte)
    length = len(data)
    while length:
        feed(length & 0xFF)
        length >>= 8
    return crc ^ 0xFFFFFFFF


def stamp_path(venv, root=ROOT):
    """The Makefile's $(KATA_STAMP): <venv>/.kata-installed-<cksum of requirements-kata.txt>."""
    return Path(venv) / f".kata-installed-{posix_cksum((Path(root) / REQUIREMENTS).read_bytes())}"


def full_stamp_path(venv, root=ROOT):
    """The Makefile's $(STAMP), the full lock's: <venv>/.installed-<cksum of requirements.txt> (None without it)."""
    full = Path(root) / FULL_REQUIREMENTS
    return Path(venv) / f".installed-{posix_cksum(full.read_bytes())}" if full.is_file() else None


def installed(venv, root=ROOT):
    """The stamp saying the learner's packages are in `venv` (its own, or the full lock's), or None."""
    full = full_stamp_path(venv, root)
    return next((s for s in (stamp_path(venv, root), full) if s is not None and s.exists()), None)


def next_command(root=ROOT):
    """`init` for a new workspace, `check` once there is one."""
    from kata import workspace as wsmod
    ws = wsmod.default_workspace(root)
    started = (ws / wsmod.META).is_dir() if wsmod.exported(root) else ws.exists()
    return ("check", "check") if started else ("init", "kata")


def plan(venv=None, data=True, root=ROOT, on_windows=None, python=None):
    """The steps, in order: [(step number, message key, message fields, command words or None)].

    Looks at what is there (a working venv, the install stamp) but changes nothing.
    """
    on_windows = windows() if on_windows is None else on_windows
    root = Path(root)
    venv = Path(venv) if venv else default_venv(root)
    python = python or sys.executable
    vpy = venv_python(venv, on_windows)
    steps = []
    if venv_works(venv, on_windows):
        steps.append((1, "setup_venv_reuse", dict(venv=shown(venv, on_windows)), None))
        stamp = installed(venv, root)
    elif (venv / "pyvenv.cfg").is_file():
        steps.append((1, "setup_venv_recreate", dict(venv=shown(venv, on_windows), python=python),
                      [python, "-m", "venv", "--clear", str(venv)]))
        stamp = None
    else:
        steps.append((1, "setup_venv_create", dict(venv=shown(venv, on_windows), python=python),
                      [python, "-m", "venv", str(venv)]))
        stamp = None
    if stamp is not None:
        steps.append((2, "setup_install_skip", dict(stamp=shown(stamp, on_windows)), None))
    else:
        steps.append((2, "setup_install", dict(pip=f"{shown(vpy, on_windows)} -m pip"),
                      [[str(vpy), "-m", "pip", "install", "--quiet", "--upgrade", "pip"],
                       [str(vpy), "-m", "pip", "install", "--quiet", "-r", str(root / REQUIREMENTS)]]))
    mnist = [str(vpy), str(root / "mnist.py"), "--quiet"]
    typed = f"{shown(vpy, on_windows)} mnist.py"
    if data:
        steps.append((3, "setup_data", dict(cmd=typed), mnist))
    else:
        steps.append((3, "setup_data_skip", dict(cmd=typed), None))
    return steps


def next_lines(venv=None, root=ROOT, on_windows=None, has_make=None):
    """The lines naming the next command to type, for this OS (and `make ...` where make exists)."""
    on_windows = windows() if on_windows is None else on_windows
    venv = Path(venv) if venv else default_venv(root)
    cmd, target = next_command(root)
    typed = f"{shown(venv_python(venv, on_windows), on_windows)} -m kata {cmd}"
    lines = [t(f"setup_next_{cmd}", cmd=typed)]
    has_make = shutil.which("make") is not None if has_make is None else has_make
    if has_make and Path(venv).resolve() == default_venv(root).resolve():  # the Makefile's venv is .venv
        lines.append(t("setup_next_make", target=target))
    return lines


def _retry_line(venv, data, root):
    words = [shown(Path(sys.executable)), "-m", "kata", "setup"]
    if venv and Path(venv).resolve() != default_venv(root).resolve():
        words += ["--venv", shown(venv)]
    if not data:
        words.append("--no-data")
    return command_line(words)


def _run(words, cwd):
    try:
        return subprocess.run(words, cwd=cwd).returncode
    except OSError as err:
        print(err, file=sys.stderr)
        return 127


WHAT = {1: "setup_what_venv", 2: "setup_what_install", 3: "setup_what_data"}


def command(venv=None, data=True, dry_run=False, root=ROOT, out=print):
    """Run (or with dry_run, print) the set-up; the exit status."""
    root = Path(root)
    venv = Path(venv).absolute() if venv else default_venv(root)
    if sys.version_info < MIN_PYTHON:
        out(t("setup_python_old", version=".".join(map(str, sys.version_info[:3])), python=sys.executable))
        return 1
    if (venv.exists() and not (venv / "pyvenv.cfg").is_file()
            and (not venv.is_dir() or any(venv.iterdir()))):
        out(t("setup_venv_not_venv", venv=shown(venv)))
        return 1
    steps = plan(venv, data, root)
    if dry_run:
        out(t("setup_plan"))
        for _, key, fields, words in steps:
            out(t(key, **fields))
            for one in ([] if words is None else words if isinstance(words[0], list) else [words]):
                out(f"      {command_line(one)}")
        for line in next_lines(venv, root):
            out(line)
        return 0

    started = time.monotonic()
    for step, key, fields, words in steps:
        out(t(key, **fields))
        sys.stdout.flush()
        if words is None:
            continue
        if step == 1 and (importlib.util.find_spec("venv") is None or importlib.util.find_spec("ensurepip") is None):
            out(t("setup_no_venv_module"))
            out(t("setup_failed", step=step, what=t(WHAT[step]), code=1, retry=_retry_line(venv, data, root)))
            return 1
        for one in (words if isinstance(words[0], list) else [words]):
            code = _run(one, cwd=root)
            if code != 0:
                if step == 1:
                    out(t("setup_no_venv_module"))
                out(t("setup_failed", step=step, what=t(WHAT[step]), code=code, retry=_retry_line(venv, data, root)))
                return 1
        if step == 2:
            for old in venv.glob(".kata-installed-*"):  # as the Makefile: one stamp, for this requirements-kata.txt
                old.unlink()
            stamp_path(venv, root).touch()
    out(t("setup_done", secs=f"{time.monotonic() - started:.0f}"))
    for line in next_lines(venv, root):
        out(line)
    return 0
