"""The learner's workspace: create it, keep its state, back up, reset and restore files.

Rule: no function here overwrites a learner's file without first copying it to
<workspace>/.kata/backups/<timestamp>/. `init` refuses to touch an existing workspace.
Every write goes through kata.fsutil (temp file + fsync + os.replace, never through a
symbolic link), so an interrupted command leaves each file whole, old or new.
Learner files are read as bytes and decoded leniently: a stray Latin-1 byte in a comment
never stops a command, and `reset` keeps every byte outside the functions it puts back.

Two layouts:
- in the instructor's repository, the workspace is `workspace/` (git-ignored) next to the
  reference modules, and pristine stubs are generated from the reference on demand;
- in an exported learner repository (kata/exported.json exists) the repository root IS the
  workspace, and the pristine stubs ship in kata/pristine/.
"""
import datetime
import hashlib
import io
import itertools
import json
import os
import shutil
import sys
import tokenize
import uuid
from pathlib import Path

from kata import fsutil, stubs
from kata.manifest import BY_ID, EXERCISES

ROOT = stubs.ROOT
META = ".kata"                 # state and backups, inside the workspace
STATE = "state.json"


class KataError(Exception):
    """A learner-facing refusal (message already translated); the CLI prints it, exit 1."""


def exported(root=ROOT):
    return (Path(root) / "kata" / "exported.json").exists()


def default_workspace(root=ROOT):
    return Path(root) if exported(root) else Path(root) / "workspace"


def meta_dir(ws):
    return Path(ws) / META


# --- warnings (printed once per process) ----------------------------------------------

_warned = set()


def _warn_once(key, message):
    if key not in _warned:
        _warned.add(key)
        print(message, file=sys.stderr)


def _warn_unwritable(ws, path, err):
    """A read-only (or full) workspace: say so once; the command's result is still shown."""
    from kata.i18n import t
    why = _why(err)
    culprit = getattr(err, "filename", None)
    if culprit and Path(culprit) != Path(path):   # e.g. .kata is a plain file: name it
        why = f"{why}: {culprit}"
    _warn_once(("unwritable", str(ws)), t("ws_unwritable", path=path, err=why))


def _why(err):
    return getattr(err, "strerror", None) or str(err) or type(err).__name__


# --- state -------------------------------------------------------------------------------

# The keys the kata reads, and the type each must have; an entry of another type is
# dropped (with the warning below) instead of crashing `check` or `hint` later.
def _str_map(value_ok):
    return lambda v: isinstance(v, dict) and all(isinstance(k, str) and value_ok(x) for k, x in v.items())


STATE_SCHEMA = {
    "created": lambda v: isinstance(v, str),
    "current": lambda v: v is None or isinstance(v, str),
    "test_hashes": _str_map(lambda x: isinstance(x, str)),
    "statuses": _str_map(lambda x: isinstance(x, str)),
    "hints": _str_map(lambda x: isinstance(x, int) and not isinstance(x, bool) and x >= 0),
}


def load_state(ws):
    """The workspace's state dict ({} before init).

    Never raises: an unreadable, truncated, non-JSON or mistyped state file means "start
    over" for what is wrong, with a warning on stderr naming the copy kept of the bad file.
    """
    path = meta_dir(ws) / STATE
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as err:
        from kata.i18n import t
        _warn_once(("state", str(path), "unreadable"), t("state_unreadable", path=path, err=_why(err)))
        return {}
    try:
        state = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as err:
        return _bad_state(ws, path, raw, f"not valid JSON: {err}" if raw.strip() else "empty file", {})
    if not isinstance(state, dict):
        return _bad_state(ws, path, raw, f"a JSON {type(state).__name__}, not an object", {})
    bad = sorted(k for k, ok in STATE_SCHEMA.items() if k in state and not ok(state[k]))
    if bad:
        good = {k: v for k, v in state.items() if k not in bad}
        return _bad_state(ws, path, raw, "entries of the wrong type: " + ", ".join(bad), good)
    return state


def _bad_state(ws, path, raw, why, keep):
    """Keep a copy of the bad state file (named by its hash: once per distinct content), warn, return `keep`."""
    from kata.i18n import t
    digest = hashlib.sha256(raw).hexdigest()[:12]
    copy = path.with_name(f"{STATE}.bad-{digest}")
    # A copy, not a rename: a concurrent `check` may have just saved a good state.json,
    # which a rename would carry away.
    try:
        if not copy.exists():
            fsutil.write_bytes_atomic(copy, raw)
        message = t("state_invalid", path=path, why=why, backup=copy)
    except OSError as err:
        message = t("state_invalid_nocopy", path=path, why=why, err=_why(err))
    _warn_once(("state", str(path), digest), message)
    return keep


def save_state(ws, state, strict=False):
    """Write the state atomically (unique temporary name: concurrent saves never collide).

    Returns True when written. On an OSError (read-only or full workspace, state.json a
    link): strict=True raises it; otherwise a warning is printed once and False returned,
    so `check` and `hint` still show their result.
    """
    path = meta_dir(ws) / STATE
    try:
        meta_dir(ws).mkdir(parents=True, exist_ok=True)
        fsutil.write_text_atomic(path, json.dumps(state, indent=1, sort_keys=True))
    except OSError as err:
        if strict:
            raise
        _warn_unwritable(ws, path, err)
        return False
    return True


LOCK = "state.lock"


class _StateLock:
    """An exclusive lock on <ws>/.kata/state.lock for a read-modify-write of the state: a `hint`
    typed while a `check` runs must not lose its level to the check's save (or the other way).

    Advisory (fcntl.flock, msvcrt.locking on Windows), held by an open file, so a killed process
    never leaves it locked. A workspace where the lock cannot be made (read-only) goes unlocked:
    the save that follows warns about the same cause.
    """

    def __init__(self, ws):
        self.path, self.fd = meta_dir(ws) / LOCK, None

    def __enter__(self):
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o666)
        except OSError:
            return self
        try:
            if os.name == "nt":
                import msvcrt
                msvcrt.locking(self.fd, msvcrt.LK_LOCK, 1)  # retries for 10 s, then raises: unlocked
            else:
                import fcntl
                fcntl.flock(self.fd, fcntl.LOCK_EX)
        except (OSError, ImportError):
            os.close(self.fd)
            self.fd = None
        return self

    def __exit__(self, *exc):
        if self.fd is not None:
            os.close(self.fd)  # releases the lock
            self.fd = None


def update_state(ws, change, strict=False):
    """Apply `change(state)` to the latest saved state and save it, under the state lock.

    What a command owns (check: "current" and "statuses"; hint: one "hints" entry) is merged into
    what is on disk now, never a copy read earlier written back over a concurrent command's save.
    Returns save_state's result.
    """
    with _StateLock(ws):
        state = load_state(ws)
        change(state)
        return save_state(ws, state, strict=strict)


def write_meta_text(ws, name, text):
    """Write <ws>/.kata/<name> (e.g. the last run's log) atomically; the Path, or None with a warning.

    Like save_state: a workspace that cannot be written is reported once, never a crash.
    """
    path = meta_dir(ws) / name
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return fsutil.write_text_atomic(path, text, errors="replace")
    except OSError as err:
        _warn_unwritable(ws, path, err)
        return None


# --- reading learner files ---------------------------------------------------------------

def source_encoding(raw):
    """The encoding Python would use for `raw` (coding cookie or BOM), "utf-8" if unusable."""
    try:
        enc = tokenize.detect_encoding(io.BytesIO(raw).readline)[0]
        "\n".encode(enc)
    except (SyntaxError, LookupError, UnicodeError):
        return "utf-8"
    # only ASCII-compatible encodings keep line numbers and newline bytes as they are
    return enc if "\n#".encode(enc) == b"\n#" or enc == "utf-8-sig" else "utf-8"


def decode_learner(raw):
    """Text of a learner file's bytes for display and `ast`: undecodable bytes become U+FFFD.

    Each newline byte stays a newline, so line numbers match the bytes' lines.
    """
    return raw.decode(source_encoding(raw), errors="replace")


def read_learner_text(path):
    """decode_learner(path's bytes). OSError propagates."""
    return decode_learner(Path(path).read_bytes())


def not_utf8_files(ws):
    """[(path, line, "0xe9")] for each workspace module that Python cannot decode as it would read it.

    A Windows editor saving in cp949/cp932/latin-1 leaves such bytes (often in a comment); the
    kata reads the file anyway (decode_learner), but Python may refuse to import it, so the
    learner is told which file and line to save as UTF-8. Read only: the file is never changed.
    """
    found = []
    for path in sorted(Path(ws).glob("*.py")):
        try:
            raw = path.read_bytes()
        except OSError:
            continue
        try:
            raw.decode(source_encoding(raw))
        except UnicodeDecodeError as err:
            found.append((path, raw[:err.start].count(b"\n") + 1, f"0x{raw[err.start]:02x}"))
    return found


# --- tamper detection --------------------------------------------------------------------

def guarded_files(root=ROOT):
    """Files whose change makes `check` meaningless: the tests, the tooling, pytest's config."""
    root = Path(root)
    files = sorted(root.glob("tests/**/*.py")) + sorted(root.glob("kata/*.py")) \
        + sorted(root.glob("kata/catalog/*.py")) + [root / "pyproject.toml"]
    return [f for f in files if f.exists() and "__pycache__" not in f.parts]


def file_hashes(root=ROOT):
    out = {}
    for f in guarded_files(root):
        try:
            out[str(f.relative_to(root))] = hashlib.sha256(f.read_bytes()).hexdigest()
        except OSError:
            continue  # vanished or unreadable since listing: left out, so it counts as changed
    return out


def changed_guarded_files(ws, root=ROOT):
    """Guarded files added, removed or edited since init (empty when no hashes were recorded)."""
    recorded = load_state(ws).get("test_hashes")
    shipped = Path(root) / "kata" / "exported.json"
    if recorded is None and shipped.exists():  # exported repository, before `make kata`
        try:
            recorded = json.loads(shipped.read_bytes().decode("utf-8")).get("test_hashes")
        except (OSError, ValueError, AttributeError, RecursionError):
            recorded = False
        if not (recorded is None or STATE_SCHEMA["test_hashes"](recorded)):
            return ["kata/exported.json"]  # the tooling's own record is damaged: that is a change
    if recorded is None:
        return []
    now = file_hashes(root)
    return sorted(k for k in set(recorded) | set(now) if recorded.get(k) != now.get(k))


# --- pristine stubs ----------------------------------------------------------------------

def pristine_text(module, root=ROOT):
    """The untouched stubbed source of `module` (what `init` wrote)."""
    root = Path(root)
    shipped = root / "kata" / "pristine" / f"{module}.py"
    if shipped.exists():
        return shipped.read_text(encoding="utf-8")
    source = (root / f"{module}.py").read_text(encoding="utf-8")
    targets = stubs.targets_by_module().get(module, [])
    return stubs.stub_source(source, targets, module) if targets else source


# --- guarding writes --------------------------------------------------------------------

def _refuse_unsafe_target(path, root=ROOT):
    """KataError unless `path` may be (re)written as a learner file.

    Refused: a symbolic link (writing through it would change what it points to, e.g. the
    reference layers.py), a non-regular file, and, in the instructor's repository, a path
    that resolves to a reference module itself (--workspace pointing at the repository).
    """
    from kata.i18n import t
    path = Path(path)
    try:
        fsutil.check_destination(path)
    except fsutil.WriteRefused as err:
        raise KataError(_refusal(err)) from None
    if not exported(root):
        real = path.resolve()
        if real.parent == Path(root).resolve() and real.name in {p.name for p in stubs.reference_modules(root)}:
            raise KataError(t("ws_is_reference", file=path, ref=real))


def _refusal(err):
    from kata.i18n import t
    if err.target is not None:
        return t("ws_symlink", file=err.path, target=err.target)
    return t("ws_not_regular", file=err.path)


def _write_failed(path, err):
    """A learner-facing KataError for an OSError while writing `path` (nothing was changed)."""
    from kata.i18n import t
    if isinstance(err, fsutil.WriteRefused):
        return KataError(_refusal(err))
    return KataError(t("write_failed", file=path, err=_why(err)))


# --- init --------------------------------------------------------------------------------

def init(ws=None, root=ROOT, accept_tests=False):
    """Create the workspace (never over an existing one). Returns the message to print.

    The new workspace is written into a hidden staging folder beside it and renamed into
    place once complete: an interrupted init leaves no workspace at all, never half of one.
    """
    from kata.i18n import t
    root = Path(root)
    ws = Path(ws) if ws else default_workspace(root)
    if accept_tests:
        if not ws.exists():
            raise KataError(t("no_workspace"))
        hashes = file_hashes(root)
        try:  # merged into the latest state, as check and hint save theirs
            update_state(ws, lambda state: state.__setitem__("test_hashes", hashes), strict=True)
        except OSError as err:
            raise _write_failed(meta_dir(ws) / STATE, err) from None
        return "ok: recorded the current tests' hashes"
    state = {"created": _now(), "test_hashes": file_hashes(root), "hints": {}}
    if exported(root) and ws.resolve() == root.resolve():
        # the exported repository's own files are the stubs: only record the state
        if os.path.lexists(meta_dir(ws) / STATE):
            raise KataError(t("ws_exists", ws=meta_dir(ws)))
        _save_or_refuse(ws, state)
    elif os.path.lexists(ws):   # lexists: a dangling link named like the workspace counts too
        raise KataError(t("ws_exists", ws=ws))
    else:
        _create(ws, root, state)
    return t("ws_created", ws=ws)


def _save_or_refuse(ws, state):
    try:
        save_state(ws, state, strict=True)
    except OSError as err:
        raise _write_failed(meta_dir(ws) / STATE, err) from None


# workspace/Makefile: `make check` (hint, watch, ...) typed inside workspace/ runs the repository's
# target, instead of make's "No rule to make target". Only for the default workspace/ (the
# repository's Makefile finds it there); an exported repository is its own workspace and Makefile.
FORWARDING_MAKEFILE = """\
# `make check`, `make hint`, `make watch`, ... from inside workspace/: the repository's Makefile runs them.
.DEFAULT_GOAL := check
Makefile: ;
%:
\t@$(MAKE) --no-print-directory -C .. $@
"""


def _create(ws, root, state):
    """Write the stubs and the state into a staging folder, fsync, rename it to `ws`."""
    from kata.i18n import t
    try:
        ws.parent.mkdir(parents=True, exist_ok=True)
        staging = ws.parent / f".{ws.name}.kata-init-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        staging.mkdir()
    except OSError as err:
        raise _write_failed(ws, err) from None
    try:
        stubs.write_modules(staging, root=root)
        link_packages(staging, root)
        if ws.resolve() == default_workspace(root).resolve():
            fsutil.write_text_atomic(staging / "Makefile", FORWARDING_MAKEFILE)
        save_state(staging, state, strict=True)
        _fsync_tree(staging)
        if os.path.lexists(ws):
            raise KataError(t("ws_exists", ws=ws))
        try:
            os.rename(staging, ws)
        except OSError as err:
            if os.path.lexists(ws):  # created meanwhile by someone else: theirs, keep it
                raise KataError(t("ws_exists", ws=ws)) from None
            raise _write_failed(ws, err) from None
    except OSError as err:
        shutil.rmtree(staging, ignore_errors=True)
        raise _write_failed(ws, err) from None
    except BaseException:   # Ctrl-C included: no half workspace left behind
        shutil.rmtree(staging, ignore_errors=True)
        raise
    fsutil.fsync_dir(ws.parent)


# The repository's packages the book's scripts import (mnist.py: dataset, train_neuralnet.py: training).
LINKED_PACKAGES = ("dataset", "training")
PACKAGE_LINK = '''"""The kata's link to {package}/ in the repository at {root!r}: with it the book's scripts run in
this folder as the book runs them (python gradient_check.py, python train_neuralnet.py).
Written by `python -m kata init`; delete it and the next check writes it again."""
import os as _os

__path__.append(_os.path.join({root!r}, {package!r}))  # noqa: F821 (the package's own __path__)
'''


def link_packages(ws, root=ROOT):
    """Give the workspace a package `dataset` (and `training`) that extends its path to the repository's,
    so that `cd workspace && python gradient_check.py` finds `from dataset.mnist import ...` as the book's
    folder does. Only where the workspace has no such folder: nothing of the learner's is overwritten,
    and an exported repository (whose root holds the packages) needs none. Returns the links written."""
    ws, root = Path(ws), Path(root).resolve()
    written = []
    for package in LINKED_PACKAGES:
        target = ws / package
        if not (root / package / "__init__.py").is_file() or os.path.lexists(target) or ws.resolve() == root:
            continue
        try:
            target.mkdir()
            fsutil.write_text_atomic(target / "__init__.py", PACKAGE_LINK.format(package=package, root=str(root)))
        except OSError:
            continue  # a read-only workspace: the scripts then need PYTHONPATH, the checks do not
        written.append(target)
    return written


def _fsync_tree(folder):
    """fsync every file and folder under `folder` (whatever write_modules wrote, packages too)."""
    for dirpath, _, files in os.walk(folder):
        for name in files:
            with open(os.path.join(dirpath, name), "r+b") as f:  # writable: Windows flushes only those
                os.fsync(f.fileno())
        fsutil.fsync_dir(dirpath)


def _now():
    return datetime.datetime.now().strftime("%Y%m%d-%H%M%S-%f")


# --- backups -----------------------------------------------------------------------------

def backup(ws, path, reason):
    """Copy `path` (a learner file) to <ws>/.kata/backups/<timestamp>-<reason>/<name>; return it.

    The copy is atomic and fsync'ed (file and folders) before this returns, so the
    learner's file may be replaced right after. OSError propagates (nothing was changed).
    """
    base = meta_dir(ws) / "backups"
    base.mkdir(parents=True, exist_ok=True)
    stamp = _now()
    for n in itertools.count():   # a coarse clock can give two backups the same stamp
        dest_dir = base / (f"{stamp}-{reason}" + (f"-{n}" if n else ""))
        try:
            dest_dir.mkdir()
            break
        except FileExistsError:
            continue
    fsutil.fsync_dir(base)
    fsutil.fsync_dir(meta_dir(ws))
    try:
        return fsutil.copy_atomic(path, dest_dir / Path(path).name)
    except BaseException:
        try:
            dest_dir.rmdir()  # no empty backup folder left by a failed copy
        except OSError:
            pass
        raise


def list_backups(ws):
    """Backup files, oldest first."""
    base = meta_dir(ws) / "backups"
    return sorted(base.glob("*/*.py")) if base.exists() else []


# --- reset and restore -------------------------------------------------------------------

_BOM = b"\xef\xbb\xbf"


def _put_back_stubs(raw, targets, pristine, path):
    """The bytes `raw` with each (qualname, _) of `targets` replaced by its stub from `pristine`.

    Works on byte lines: every line outside the replaced functions is kept byte for byte
    (undecodable bytes, CRLF endings, a BOM). Line numbers come from `ast` on the leniently
    decoded text, whose lines are the bytes' lines. Raises KataError (missing function,
    syntax error).
    """
    from kata.i18n import t
    enc = source_encoding(raw)
    out_enc = "utf-8" if enc == "utf-8-sig" else enc
    first_end = raw.find(b"\n")
    crlf = first_end > 0 and raw[first_end - 1:first_end] == b"\r"
    new = raw
    for qualname, _ in targets:
        stub = stubs.function_text(pristine, qualname)[2]
        try:
            found = stubs.function_text(decode_learner(new), qualname)
        except SyntaxError as err:
            raise KataError(t("reset_syntax", path=path, line=err.lineno, msg=err.msg)) from None
        except (ValueError, RecursionError) as err:   # e.g. a NUL byte
            raise KataError(t("reset_unparsable", path=path, err=err)) from None
        if found is None:
            raise KataError(t("reset_missing", path=path, qualname=qualname))
        first, last, _ = found
        stub = _in_learner_indentation(stub, decode_learner(new), qualname)
        # an encoding without the stub's characters (a latin-1 cookie) gets escapes, which
        # mean the same inside the stub's string literal
        stub_bytes = stub.encode(out_enc, "backslashreplace")
        if crlf:
            stub_bytes = stub_bytes.replace(b"\n", b"\r\n")
        lines = new.splitlines(keepends=True)
        if first == 1 and new.startswith(_BOM):
            stub_bytes = _BOM + stub_bytes
        lines[first - 1:last] = [stub_bytes]
        new = b"".join(lines)
    return new


def _leading(line):
    return line[:len(line) - len(line.lstrip(" \t"))]


def _in_learner_indentation(stub, text, qualname):
    """The stub (generated with 4 spaces a level) indented as the learner's function is: a file
    indented with tabs (or 2 spaces) must stay one Python accepts once the stub is back, or the
    next function's reset (and the import) fails on inconsistent indentation."""
    try:
        func = stubs.find_function(stubs.parse(text), qualname)
    except (SyntaxError, ValueError, RecursionError):
        return stub
    if func is None or not func.body:
        return stub
    import re
    lines = re.split(r"\r\n|\r|\n", text)  # Python's line ends only (str.splitlines also splits at \v, \f, ...)
    first = min([func.lineno] + [d.lineno for d in func.decorator_list])
    def_ws = _leading(lines[first - 1])
    body_ws = lines[func.body[0].lineno - 1][:func.body[0].col_offset]
    unit = body_ws[len(def_ws):] if body_ws.startswith(def_ws) and len(body_ws) > len(def_ws) else "    "
    stub_lines = stub.splitlines(keepends=True)
    stub_def = len(_leading(stub_lines[0])) // 4 if stub_lines else 0
    if unit == "    " and def_ws == "    " * stub_def:
        return stub
    out = []
    for line in stub_lines:
        n = len(line) - len(line.lstrip(" "))
        if not line.strip():
            out.append(line)
            continue
        levels, rest = divmod(n, 4)
        out.append(def_ws + unit * max(levels - stub_def, 0) + " " * rest + line[n:])
    return "".join(out)


def reset(ws, ex_id, root=ROOT):
    """Put back the stubs of one exercise's functions; the rest of each file is kept byte for byte.

    Returns the lines to print. The learner's file is backed up before it is written, and
    written atomically; a symbolic link is refused (KataError), never written through.
    """
    from kata.i18n import t
    ws = Path(ws)
    if ex_id not in BY_ID:
        raise KataError(t("bad_exercise", id=ex_id, known=", ".join(BY_ID)))
    per_module = stubs.targets_by_module([BY_ID[ex_id]])
    out = []
    for module, targets in per_module.items():
        path = ws / f"{module}.py"
        pristine = pristine_text(module, root)
        _refuse_unsafe_target(path, root)
        if not os.path.lexists(path):
            try:
                fsutil.write_text_atomic(path, pristine)  # nothing of the learner's to lose
            except OSError as err:
                raise _write_failed(path, err) from None
            continue
        try:
            raw = path.read_bytes()
        except OSError as err:
            raise KataError(t("read_failed", file=path, err=_why(err))) from None
        new = _put_back_stubs(raw, targets, pristine, path)
        if new == raw:
            continue  # already the stubs: no write, no backup needed
        try:
            saved = backup(ws, path, f"reset-{ex_id}")
            out.append(t("backup_saved", file=path, backup=saved))
            fsutil.write_bytes_atomic(path, new)
        except OSError as err:
            raise _write_failed(path, err) from None
    names = ", ".join(q for targets in per_module.values() for q, _ in targets)
    out.append(t("reset_done", id=ex_id, names=names))
    return out


def restore(ws, which=None, root=ROOT):
    """List the backups (which=None) or restore one by number or path; returns lines to print."""
    from kata.i18n import t
    ws = Path(ws)
    backups = list_backups(ws)
    if which is None:
        if not backups:
            return [t("no_backups")]
        return [f"  {i:3d}  {b.relative_to(ws)}" for i, b in enumerate(backups, 1)] + [
            "python -m kata restore <number>   (make restore B=<number>)"]
    if str(which).isdigit() and 1 <= int(which) <= len(backups):
        chosen = backups[int(which) - 1]
    else:
        chosen = Path(which)
        if not chosen.is_absolute():
            chosen = ws / chosen
        if chosen not in backups:
            raise KataError(t("no_backup", which=repr(which)))
    target = ws / chosen.name
    _refuse_unsafe_target(target, root)
    out = []
    try:
        if target.exists():
            saved = backup(ws, target, "before-restore")
            out.append(t("backup_saved", file=target, backup=saved))
        # the restored file is a new modification: today's time, the file's own mode
        fsutil.copy_atomic(chosen, target, preserve_stat=False)
    except OSError as err:
        raise _write_failed(target, err) from None
    out.append(t("restored", file=target, backup=chosen))
    return out


def first_line_of(ws, target):
    """(path, line) of a "module:Qualified.name" target in the workspace, or None.

    Never raises on the file's contents (undecodable bytes, syntax errors, NUL bytes).
    """
    module, qualname = target.split(":")
    path = Path(ws) / f"{module}.py"
    try:
        found = stubs.function_text(read_learner_text(path), qualname)
    except (OSError, SyntaxError, ValueError, RecursionError):
        return None
    return (path, found[0]) if found else None


def empty_learner_files(ws, root=ROOT):
    """Learner modules in `ws` that are empty (0 bytes, or only NUL bytes): what a crash leaves.

    Sorted list of Paths; a missing or unreadable file is not listed. The check screen
    points these to `make restore`.
    """
    out = []
    for module in stubs.reference_modules(root):
        path = Path(ws) / module.name
        try:
            if os.stat(path).st_size > (1 << 20):
                continue
            data = path.read_bytes()
        except OSError:
            continue
        if not data.strip(b"\x00"):
            out.append(path)
    return sorted(out)


def all_targets():
    return [tg for ex in EXERCISES for tg in ex.targets]
