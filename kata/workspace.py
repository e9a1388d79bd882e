"""The learner's workspace: create it, keep its state, back up, reset and restore files.

Rule: no function here overwrites a learner's file without first copying it to
<workspace>/.kata/backups/<timestamp>/. `init` refuses to touch an existing workspace.

Two layouts:
- in the instructor's repository, the workspace is `workspace/` (git-ignored) next to the
  reference modules, and pristine stubs are generated from the reference on demand;
- in an exported learner repository (kata/exported.json exists) the repository root IS the
  workspace, and the pristine stubs ship in kata/pristine/.
"""
import datetime
import hashlib
import json
import shutil
from pathlib import Path

from kata import stubs
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


# --- state -------------------------------------------------------------------------------

def load_state(ws):
    path = meta_dir(ws) / STATE
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def save_state(ws, state):
    meta_dir(ws).mkdir(parents=True, exist_ok=True)
    path = meta_dir(ws) / STATE
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, indent=1, sort_keys=True), encoding="utf-8")
    tmp.replace(path)  # atomic: a crash never leaves half a state file


# --- tamper detection --------------------------------------------------------------------

def guarded_files(root=ROOT):
    """Files whose change makes `check` meaningless: the tests, the tooling, pytest's config."""
    root = Path(root)
    files = sorted(root.glob("tests/**/*.py")) + sorted(root.glob("kata/*.py")) + [root / "pyproject.toml"]
    return [f for f in files if f.exists() and "__pycache__" not in f.parts]


def file_hashes(root=ROOT):
    return {str(f.relative_to(root)): hashlib.sha256(f.read_bytes()).hexdigest() for f in guarded_files(root)}


def changed_guarded_files(ws, root=ROOT):
    """Guarded files added, removed or edited since init (empty when no hashes were recorded)."""
    recorded = load_state(ws).get("test_hashes")
    shipped = Path(root) / "kata" / "exported.json"
    if recorded is None and shipped.exists():  # exported repository, before `make kata`
        recorded = json.loads(shipped.read_text(encoding="utf-8")).get("test_hashes")
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


# --- init --------------------------------------------------------------------------------

def init(ws=None, root=ROOT, accept_tests=False):
    """Create the workspace (never over an existing one). Returns the message to print."""
    from kata.i18n import t
    root = Path(root)
    ws = Path(ws) if ws else default_workspace(root)
    if accept_tests:
        if not ws.exists():
            raise KataError(t("no_workspace"))
        state = load_state(ws)
        state["test_hashes"] = file_hashes(root)
        save_state(ws, state)
        return "ok: recorded the current tests' hashes"
    if exported(root) and ws.resolve() == root.resolve():
        # the exported repository's own files are the stubs: only record the state
        if (meta_dir(ws) / STATE).exists():
            raise KataError(t("ws_exists", ws=meta_dir(ws)))
    elif ws.exists():
        raise KataError(t("ws_exists", ws=ws))
    else:
        ws.mkdir(parents=True)
        stubs.write_modules(ws, root=root)
    save_state(ws, {"created": _now(), "test_hashes": file_hashes(root), "hints": {}})
    return t("ws_created", ws=ws)


def _now():
    return datetime.datetime.now().strftime("%Y%m%d-%H%M%S-%f")


# --- backups -----------------------------------------------------------------------------

def backup(ws, path, reason):
    """Copy `path` (a learner file) to <ws>/.kata/backups/<timestamp>-<reason>/<name>; return it."""
    dest_dir = meta_dir(ws) / "backups" / f"{_now()}-{reason}"
    dest_dir.mkdir(parents=True, exist_ok=False)
    dest = dest_dir / Path(path).name
    shutil.copy2(path, dest)
    return dest


def list_backups(ws):
    """Backup files, oldest first."""
    base = meta_dir(ws) / "backups"
    return sorted(base.glob("*/*.py")) if base.exists() else []


# --- reset and restore -------------------------------------------------------------------

def reset(ws, ex_id, root=ROOT):
    """Put back the stubs of one exercise's functions; the rest of each file is kept.

    Returns the lines to print. The learner's file is backed up before it is written.
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
        if not path.exists():
            path.write_text(pristine, encoding="utf-8")  # nothing of the learner's to lose
            continue
        source = path.read_text(encoding="utf-8")
        new = source
        try:
            for qualname, _ in targets:
                stub = stubs.function_text(pristine, qualname)[2]
                if stubs.function_text(new, qualname) is None:
                    raise KataError(f"{path}: {qualname} is missing; `python -m kata restore` can bring "
                                    "back a whole earlier file")
                new = stubs.replace_function(new, qualname, stub)
        except SyntaxError as err:
            raise KataError(f"{path}:{err.lineno}: syntax error ({err.msg}); fix it first, or restore a "
                            "whole earlier file with `python -m kata restore`") from None
        if new == source:
            continue  # already the stubs: no write, no backup needed
        saved = backup(ws, path, f"reset-{ex_id}")
        out.append(t("backup_saved", file=path, backup=saved))
        path.write_text(new, encoding="utf-8")
    names = ", ".join(q for targets in per_module.values() for q, _ in targets)
    out.append(t("reset_done", id=ex_id, names=names))
    return out


def restore(ws, which=None):
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
            raise KataError(f"no backup {which!r}; `python -m kata restore` lists them")
    target = ws / chosen.name
    out = []
    if target.exists():
        saved = backup(ws, target, "before-restore")
        out.append(t("backup_saved", file=target, backup=saved))
    shutil.copy2(chosen, target)
    out.append(t("restored", file=target, backup=chosen))
    return out


def first_line_of(ws, target):
    """(path, line) of a "module:Qualified.name" target in the workspace, or None."""
    module, qualname = target.split(":")
    path = Path(ws) / f"{module}.py"
    try:
        found = stubs.function_text(path.read_text(encoding="utf-8"), qualname)
    except (OSError, SyntaxError):
        return None
    return (path, found[0]) if found else None


def all_targets():
    return [tg for ex in EXERCISES for tg in ex.targets]
