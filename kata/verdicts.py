"""Remembered verdicts: an exercise that passed is not run again while nothing it depends on changed.

The key of an exercise is a SHA-256 over
- the learner's modules, each with the functions of every *unrelated* exercise cut out
  (what the exercise and its prerequisites wrote, and all other code of the modules,
  such as the learner's own helpers, stays in: a change there is a change of the key);
  a module that does not parse counts whole;
- every test and tooling file (kata.workspace.guarded_files) and the verdict's mode
  (strict or not), Python's and numpy's versions.
A verdict is remembered only for "done", and only with the key computed *before* the
run that gave it: a file saved during the run makes the next key differ. The cache
lives in <workspace>/.kata/verdicts.json; a damaged cache is an empty one.
"""
import hashlib
import json
import re
import sys
from pathlib import Path

from kata import fsutil, stubs
from kata import workspace as wsmod
from kata.manifest import BY_ID, EXERCISES, prerequisites

CACHE = "verdicts.json"
MARK = re.compile(r"""exercise\(\s*["']([\d.]+)["']""")
TF_FILE = re.compile(r"^pytestmark\s*=\s*pytest\.mark\.tf\b", re.MULTILINE)


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


def _target_ranges(source, qualnames):
    """{qualname: (first line, last line)} (1-based, decorators included) of the targets found; None if
    the source does not parse."""
    try:
        tree = stubs.parse(source)
    except (SyntaxError, ValueError):
        return None
    out = {}
    for qualname in qualnames:
        func = stubs.find_function(tree, qualname)
        if func is not None:
            out[qualname] = (min([func.lineno] + [d.lineno for d in func.decorator_list]), func.end_lineno)
    return out


def _without(lines, ranges, cut):
    """The module's lines with the functions in `cut` replaced by a marker line each."""
    drop = {}
    for qualname in cut:
        if qualname in ranges:
            first, last = ranges[qualname]
            drop[first] = qualname
            for i in range(first + 1, last + 1):
                drop[i] = None
    out = []
    for i, line in enumerate(lines, 1):
        if i not in drop:
            out.append(line)
        elif drop[i] is not None:
            out.append(f"# <{drop[i]}: another exercise>\n")
    return "".join(out)


def _read(path):
    try:
        return path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return "<unreadable>"


def keys(ws, root=wsmod.ROOT, strict=False):
    """{exercise id: key} for every exercise of the workspace's current files."""
    ws, root = Path(ws), Path(root)
    modules = {p.stem: _read(p) for p in sorted(ws.glob("*.py"))}
    common = hashlib.sha256()
    for name, digest in sorted(wsmod.file_hashes(root).items()):
        common.update(f"{name}={digest}\n".encode())
    import numpy  # noqa: PLC0415 (the verdict depends on numpy's numbers)
    common.update(f"strict={bool(strict)} py={sys.version} numpy={numpy.__version__}\n".encode())
    targets = {}
    for ex in EXERCISES:
        for tg in ex.targets:
            module, qualname = tg.split(":")
            targets.setdefault(module, []).append((qualname, ex.id))
    parsed = {name: (source.splitlines(keepends=True), _target_ranges(source, [q for q, _ in targets.get(name, [])]))
              for name, source in modules.items()}
    out = {}
    for ex in EXERCISES:
        related = {ex.id, *prerequisites(ex.id)}
        h = common.copy()
        for name, (lines, ranges) in parsed.items():
            if ranges is None:  # does not parse: every exercise depends on all of it
                text = "".join(lines)
            else:
                text = _without(lines, ranges, [q for q, e in targets.get(name, []) if e not in related])
            h.update(f"\n== {name}\n".encode())
            h.update(text.encode("utf-8", errors="replace"))
        out[ex.id] = h.hexdigest()
    return out


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
