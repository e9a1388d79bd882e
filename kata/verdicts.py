"""Remembered verdicts: an exercise that passed is not run again while nothing it depends on changed.

The key of an exercise is a SHA-256 over
- the learner's code by its syntax tree (ast.dump of the module parsed from its bytes, as Python
  imports it): comments, blank lines, spacing, line breaks inside a statement and line numbers do
  not count, nor do docstrings (a docstring only sets __doc__, which no test reads). Every *.py
  under the workspace counts, sub-packages too (workspace/common/util.py), not .kata/, hidden
  folders, __pycache__ or a virtualenv. A module is cut into units:
  * each target function of an exercise (kata/manifest.py): in the key of that exercise and of
    the exercises that need it (manifest.dependents);
  * the rest of a class that holds targets (__init__, its other methods, class attributes,
    bases, decorators): in the keys of the exercises whose targets it holds and of theirs, so
    Relu.__init__ counts for 5.5.1 and 5.7.2-5.7.4, not for 5.4.1;
  * every other top-level statement (imports, constants, helpers, classes without targets) and
    every sub-package module: in every key (which exercise a helper serves is not known; tests
    and scripts import modules for several exercises at once);
  a file that does not parse (or does not decode as Python would read it) counts whole, by its
  bytes, in every key;
- the workspace's other files, which the learner's code may read (data): by content up to
  CONTENT_LIMIT each (DATA_BUDGET in all), beyond that by size and modification time; not what
  no code reads or the kata and training write (OUTPUT_SUFFIXES: plots, notebooks, logs, notes,
  editor swap and backup files);
- the repository's own packages the learner's modules import (dataset/, training/), every test
  and tooling file (kata.workspace.guarded_files), the verdict's mode (strict or not), Python's
  and numpy's versions.
A verdict is remembered only for "done", and only when the files did not change during the run
that gave it (still_holds): the key computed after the run must equal the one computed before
it, and no file may have been written meanwhile, not even back to what it was (a fix saved and
undone during a run was what the tests imported, not what the key describes). The cache lives
in <workspace>/.kata/verdicts.json; a damaged cache is an empty one.
"""
import ast
import hashlib
import json
import os
import re
import stat
import sys
from pathlib import Path

from kata import fsutil, stubs
from kata import workspace as wsmod
from kata.manifest import BY_ID, EXERCISES, prerequisites

CACHE = "verdicts.json"
MARK = re.compile(r"""exercise\(\s*["']([\d.]+)["']""")
TF_FILE = re.compile(r"^pytestmark\s*=\s*pytest\.mark\.tf\b", re.MULTILINE)

# The repository's packages that the learner's mnist.py and train_neuralnet.py import from the
# repository (workspaces copy only the top-level modules; kata.export ships them too).
MACHINERY = ("dataset", "training")
# Folders that hold no code of the learner's (hidden ones, .kata/ included, are skipped too).
SKIP_DIRS = frozenset({"__pycache__", "site-packages", "node_modules"})
# Files no code of the kata's path reads, or that the kata and training write: train_neuralnet.py's
# plot (*.png; its --save .npz does count: load_params reads it), the notebook (its code reaches the
# tests only through the modules a check cell writes), logs, notes, editor swap and backup files.
OUTPUT_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".pdf", ".ipynb", ".log", ".md", ".rst",
                   ".pyc", ".pyo", ".swp", ".swo", ".swx", ".tmp", ".partial", ".bak", ".orig", ".rej")
CONTENT_LIMIT = 1 << 20   # bytes: a larger data file counts by size and modification time
DATA_BUDGET = 16 << 20    # bytes of data files hashed by content per key computation
_FUNCS = (ast.FunctionDef, ast.AsyncFunctionDef)
_DEFS = _FUNCS + (ast.ClassDef,)


def test_files(root=wsmod.ROOT):
    """{exercise id: [test files that mark it]}, read from the files' text (no import)."""
    out = {ex.id: [] for ex in EXERCISES}
    for path in sorted((Path(root) / "tests").glob("test_*.py")):
        text = path.read_text(encoding="utf-8", errors="replace")
        if TF_FILE.search(text):
            continue  # every test in it compares with TensorFlow: never on the learner's path
        for ex_id in set(MARK.findall(text)):
            if ex_id in out:
                out[ex_id].append(path)
    return out


# --- which files -------------------------------------------------------------------------

def _skipped_file(name):
    return name.startswith((".", "#")) or name.endswith("~") or name.lower().endswith(OUTPUT_SUFFIXES)


def workspace_files(ws):
    """Sorted [(path relative to ws, POSIX, Path)] of the files a key covers (see the module's doc).

    Linked folders are followed once each (a loop is cut); an unreadable folder is left out."""
    ws = Path(ws)
    out, seen = [], set()
    for folder, dirs, files in os.walk(ws, followlinks=True, onerror=lambda err: None):
        try:
            real = os.path.realpath(folder)
        except OSError:
            real = folder
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIP_DIRS
                         and not os.path.exists(os.path.join(folder, d, "pyvenv.cfg")))
        for name in files:
            path = Path(folder) / name
            if not _skipped_file(name) and _regular(path):
                out.append((path.relative_to(ws).as_posix(), path))
    return sorted(out)


def _regular(path):
    """A regular file, through links: never a named pipe (reading one waits for a writer), a device
    or a dangling link (the file is simply not there)."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def _other_files(root):
    """[(name, Path)] of the repository's files in every key: the tests and tooling, the machinery."""
    root = Path(root)
    files = list(wsmod.guarded_files(root))
    for package in MACHINERY:
        files += sorted((root / package).glob("*.py"))
    return [(f.relative_to(root).as_posix(), f) for f in files]


def _stamp(path):
    """(modification time, size, inode) of a file, None if it is gone: a save changes it, even a save
    that puts the old contents back."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st.st_mtime_ns, st.st_size, st.st_ino


def _stamps(mine, theirs):
    """{(whose, name): stamp}: a learner's tests/conftest.py is not the repository's."""
    return {**{("ws", name): _stamp(path) for name, path in mine},
            **{("repo", name): _stamp(path) for name, path in theirs}}


# --- the code, unit by unit --------------------------------------------------------------

_BODIES = ("body", "orelse", "finalbody", "handlers", "cases")


def _drop_docstrings(tree):
    """Remove every module, class and function docstring (statements only are visited: a def can
    be inside an if, a try, a with, ... but never inside an expression)."""
    todo = [tree]
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.Module, ast.ClassDef) + _FUNCS) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
                    and isinstance(first.value.value, str):
                node.body = node.body[1:]
        for field in _BODIES:
            value = getattr(node, field, None)
            if isinstance(value, list):
                todo += [v for v in value if isinstance(v, (ast.stmt, ast.excepthandler, ast.match_case))]


def _digest(text):
    return hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()


def _locate(tree, qualname):
    """(function node, the body list holding it, the top-level statement it is in) or None."""
    body, top, node, holder = tree.body, None, None, None
    for part in qualname.split("."):
        node = next((n for n in body if isinstance(n, _DEFS) and n.name == part), None)
        if node is None:
            return None
        top = top or node
        holder, body = body, node.body
    return (node, holder, top) if isinstance(node, _FUNCS) else None


def code_units(raw, targets=()):
    """[(owners, digest)] of a module's code in file order, or None if it does not parse.

    targets: [(qualname, exercise id)] of this module. owners: the exercise ids a unit belongs to
    (a target: its exercise; the rest of a class holding targets: their exercises), None for the
    code every exercise depends on. Parsed from the bytes, as an import decodes them: a byte that
    is not valid in the file's encoding is a SyntaxError here too, never a comment that vanishes.
    """
    memo = (hashlib.sha256(raw).digest(), tuple(targets))
    if memo in _MEMO:
        return _MEMO[memo]
    try:
        units = _units(stubs.parse(raw), targets)
    except (SyntaxError, ValueError, MemoryError, RecursionError):  # ast.dump recurses too
        units = None
    if len(_MEMO) >= 256:
        _MEMO.clear()
    _MEMO[memo] = units
    return units


_MEMO = {}  # (sha256 of the bytes, targets) -> units: a check reads the files again after its run


def _units(tree, targets):
    _drop_docstrings(tree)
    units, owners_of = [], {}
    for qualname, ex_id in targets:
        found = _locate(tree, qualname)
        if found is None:  # missing (or renamed): its absence is part of the key
            units.append((frozenset({ex_id}), _digest(f"missing {qualname}")))
            continue
        func, holder, top = found
        units.append((frozenset({ex_id}), _digest(f"{qualname}\n{ast.dump(func)}")))
        holder[holder.index(func)] = ast.Expr(ast.Constant(f"<{qualname}: exercise {ex_id}>"))
        if top is not func:
            owners_of.setdefault(id(top), set()).add(ex_id)
    for stmt in tree.body:
        owners = owners_of.get(id(stmt))
        units.append((frozenset(owners) if owners else None, _digest(ast.dump(stmt))))
    return tuple(units)


# --- keys --------------------------------------------------------------------------------

class Keys(dict):
    """{exercise id: key}, and the stamps of every file it was computed from, taken just before
    they were read (`before`) and just after (`after`): see still_holds."""

    before = after = None


def _file_hash(path, budget):
    """(digest of a data file, the budget left): by content while it is small and the budget lasts."""
    stamp = _stamp(path)
    if stamp is None:
        return "<gone>", budget
    if stamp[1] <= CONTENT_LIMIT and stamp[1] <= budget:
        try:
            return hashlib.sha256(Path(path).read_bytes()).hexdigest(), budget - stamp[1]
        except OSError:
            return "<unreadable>", budget
    return f"<size {stamp[1]} modified {stamp[0]}>", budget


def keys(ws, root=wsmod.ROOT, strict=False):
    """Keys {exercise id: key} of the workspace's current files, for every exercise."""
    ws, root = Path(ws), Path(root)
    theirs = _other_files(root)
    # an exported repository is its own workspace: its tests and tooling count once, as theirs
    known = {os.path.realpath(path) for _, path in theirs}
    mine = [(name, path) for name, path in workspace_files(ws) if os.path.realpath(path) not in known]
    before = _stamps(mine, theirs)
    common = hashlib.sha256()
    for name, path in theirs:
        try:
            common.update(f"{name}={hashlib.sha256(path.read_bytes()).hexdigest()}\n".encode())
        except OSError:
            common.update(f"{name}=<unreadable>\n".encode())
    import numpy  # noqa: PLC0415 (the verdict depends on numpy's numbers)
    common.update(f"strict={bool(strict)} py={sys.version} numpy={numpy.__version__}\n".encode())
    by_module = stubs.targets_by_module()
    files, budget = [], DATA_BUDGET
    for name, path in mine:
        if name.endswith(".py"):
            try:
                raw = path.read_bytes()
            except OSError:
                raw = b"<unreadable>"
            units = code_units(raw, by_module.get(name[:-3], []) if "/" not in name else [])
            if units is None:  # does not parse: every exercise depends on all of it
                units = [(None, hashlib.sha256(raw).hexdigest())]
        else:
            digest, budget = _file_hash(path, budget)
            units = [(None, digest)]
        files.append((name, units))
    out = Keys()
    for ex in EXERCISES:
        related = {ex.id, *prerequisites(ex.id)}
        h = common.copy()
        for name, units in files:
            h.update(f"\n== {name}\n".encode())
            for owners, digest in units:
                if owners is None or owners & related:
                    h.update(f"{digest}\n".encode())
        out[ex.id] = h.hexdigest()
    out.before, out.after = before, _stamps(mine, theirs)
    return out


def still_holds(before, ws, root=wsmod.ROOT, strict=False):
    """The exercise ids whose verdict of a run that began with keys `before` may be remembered:
    those whose key is the same now, and none at all if any file was written, created or removed
    since `before` was computed (a save during the run, even one that restored the old contents:
    the tests may have imported what was in between)."""
    after = keys(ws, root, strict)
    if not isinstance(before, Keys) or before.before is None or before.before != after.after:
        return set()
    return {ex_id for ex_id, key in before.items() if after.get(ex_id) == key}


def load(ws):
    """{exercise id: {"key": ..., "full": bool}}; anything unreadable is simply not remembered."""
    try:
        data = json.loads((wsmod.meta_dir(ws) / CACHE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items()
            if k in BY_ID and isinstance(v, dict) and isinstance(v.get("key"), str)}


def save(ws, cache):
    """Atomic (temp file + fsync + rename, unique temp name): concurrent checks never see half a file."""
    folder = wsmod.meta_dir(ws)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fsutil.write_text_atomic(folder / CACHE, json.dumps(cache, indent=1, sort_keys=True))
    except OSError:
        pass  # a read-only workspace: nothing is remembered, every check runs the tests


def remembered_done(cache, current_keys, full):
    """Exercise ids whose remembered "done" still holds for these keys (and covered the slow tests if asked)."""
    return {ex_id for ex_id, entry in cache.items()
            if current_keys.get(ex_id) == entry["key"] and (entry.get("full") or not full)}
