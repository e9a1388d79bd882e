"""Stub generator: the learner's modules, made from the reference by editing source text.

For every manifest target ("module:Qualified.name") the function body is replaced by

    <docstring, kept>
    <leading _check_* validation statements, kept>
    <full-line comments of the removed body, kept: they explain, they do not solve>
    raise NotImplementedError("5.6.2 Affine.backward: not implemented yet — run `make hint`")

Everything else (imports, helpers, other methods, blank lines, comments) stays byte for
byte: we cut line ranges found with `ast`, we never `ast.unparse` a whole file. So the
reference needs no solution markers, and a marker can never leak.
"""
import ast
import io
import threading
import tokenize
from pathlib import Path

from kata.manifest import EXERCISES

ROOT = Path(__file__).resolve().parent.parent

# The stub's message; `classify` in the runner recognises a stub by NotImplementedError.
STUB_MESSAGE = "{ex} {name}: not implemented yet — run `make hint`"


# CPython 3.11's ast.parse is not safe in two threads at once ("SystemError: AST constructor
# recursion depth mismatch", seen when the kata's tests build workspaces in a thread pool).
_PARSE_LOCK = threading.Lock()


def parse(source):
    """ast.parse, one thread at a time."""
    with _PARSE_LOCK:
        return ast.parse(source)


def targets_by_module(exercises=EXERCISES):
    """{module: [(qualname, exercise id), ...]} in manifest order."""
    out = {}
    for ex in exercises:
        for target in ex.targets:
            module, qualname = target.split(":")
            out.setdefault(module, []).append((qualname, ex.id))
    return out


def find_function(tree, qualname):
    """The FunctionDef node for "Class.method" or "function" in a parsed module, or None.

    The LAST definition of each name, as Python binds it: a cell or file defining `backward` twice
    runs the second one, so that is the one copied, reset, compared and hashed (the first is dead code).
    """
    body = tree.body
    node = None
    for part in qualname.split("."):
        named = [n for n in body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                 and n.name == part]
        node = named[-1] if named else None
        if node is None:
            return None
        body = node.body
    return node if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) else None


def _is_check(stmt):
    """A validation statement: `check_x(...)` or `a, b = check_x(...)` (also `_check_x`; see layers.py)."""
    value = stmt.value if isinstance(stmt, (ast.Expr, ast.Assign)) else None
    return (isinstance(value, ast.Call) and isinstance(value.func, ast.Name)
            and value.func.id.startswith(("_check_", "check_")))


def _init_attrs(cls):
    """Attributes the class's __init__ sets from something other than None (self.W = W, ...)."""
    init = next((n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"), None)
    attrs = set()
    for node in ast.walk(init) if init else ():
        if isinstance(node, ast.Assign) and not (isinstance(node.value, ast.Constant) and node.value.value is None):
            for target in node.targets:
                if isinstance(target, ast.Attribute) and getattr(target.value, "id", "") == "self":
                    attrs.add(target.attr)
    return attrs


def _check_a_stub_may_keep(stmt, init_attrs):
    """A check line stays in the stub only if it can only fail for a reason it names.

    It may read the function's arguments and what __init__ set (self.W, self.b), but not
    `self` itself or what forward stores (self.mask, self.x): a learner's forward that keeps
    other names, or none, would be told "backward() was called before forward()" or crash
    inside the check, which is not their mistake.
    """
    for node in ast.walk(stmt):
        if isinstance(node, ast.Attribute) and getattr(node.value, "id", "") == "self":
            if node.attr not in init_attrs:
                return False
        elif isinstance(node, ast.Name) and node.id == "self":
            parent_ok = any(isinstance(a, ast.Attribute) and a.value is node for a in ast.walk(stmt))
            if not parent_ok:
                return False
    return True


def _has_docstring(func):
    first = func.body[0]
    return isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str)


def split_body(func, cls=None):
    """(kept statements, removed statements) of a function body.

    cls: the ClassDef of a method, whose __init__ tells which self attributes a kept check may read.
    """
    body = list(func.body)
    init_attrs = _init_attrs(cls) if cls is not None else set()
    kept = []
    if _has_docstring(func):
        kept.append(body.pop(0))
    while body and _is_check(body[0]) and _check_a_stub_may_keep(body[0], init_attrs):
        kept.append(body.pop(0))
    return kept, body


def find_class(tree, qualname):
    """The ClassDef holding method "Class.method", or None for a plain function."""
    parts = qualname.split(".")
    if len(parts) < 2:
        return None
    return next((n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == parts[0]), None)


def _comment_lines(source):
    """Line numbers (1-based) that hold nothing but a comment."""
    lines = set()
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT and tok.line.strip().startswith("#"):
            lines.add(tok.start[0])
    return lines


def stub_source(source, targets, module=""):
    """Return `source` with the body of each (qualname, exercise id) in `targets` stubbed.

    Raises ValueError if a target is missing or written in a way the line editor cannot cut
    (body on the def line), so a manifest/reference mismatch is loud, never silent.
    """
    tree = parse(source)
    lines = source.splitlines(keepends=True)
    comments = _comment_lines(source)
    edits = []
    for qualname, ex_id in targets:
        func = find_function(tree, qualname)
        if func is None:
            raise ValueError(f"{module}:{qualname} (exercise {ex_id}) is not a function in {module}.py")
        if func.body[0].lineno == func.lineno:
            raise ValueError(f"{module}:{qualname}: put the body on its own lines so it can be stubbed")
        kept, removed = split_body(func, find_class(tree, qualname))
        indent = " " * func.body[0].col_offset
        start = (kept[-1].end_lineno + 1) if kept else func.body[0].lineno  # 1-based, first line to cut
        end = func.end_lineno                                                # last line to cut
        new = [lines[i - 1] for i in range(start, end + 1) if i in comments]
        message = STUB_MESSAGE.format(ex=ex_id, name=qualname)
        assert '"' not in message and "\\" not in message, message
        new.append(f'{indent}raise NotImplementedError("{message}")\n')
        edits.append((start, end, new))
    for start, end, new in sorted(edits, reverse=True):  # bottom-up keeps line numbers valid
        lines[start - 1:end] = new
    return "".join(lines)


def reference_modules(root=ROOT):
    """The top-level modules a workspace holds: every *.py at the repository root."""
    return sorted(p for p in Path(root).glob("*.py") if p.name != "setup.py")


def write_modules(dest, exercises=EXERCISES, root=ROOT, stubbed=None):
    """Write every top-level module of `root` into `dest`, stubbing the targets of `exercises`.

    stubbed: optional set of exercise ids to stub (default: all of `exercises`).
    Returns the list of written paths. `dest` must exist; existing files are NOT checked here
    (callers decide about overwriting; see kata.workspace).
    """
    chosen = [ex for ex in exercises if stubbed is None or ex.id in stubbed]
    per_module = targets_by_module(chosen)
    written = []
    for path in reference_modules(root):
        text = path.read_text(encoding="utf-8")
        if path.stem in per_module:
            text = stub_source(text, per_module[path.stem], path.stem)
        out = Path(dest) / path.name
        out.write_text(text, encoding="utf-8")
        written.append(out)
    missing = set(per_module) - {p.stem for p in reference_modules(root)}
    if missing:
        raise ValueError(f"manifest targets modules that do not exist: {sorted(missing)}")
    return written


def function_text(source, qualname):
    """(first line, last line, text) of a function including its decorators, 1-based."""
    tree = parse(source)
    func = find_function(tree, qualname)
    if func is None:
        return None
    first = min([func.lineno] + [d.lineno for d in func.decorator_list])
    lines = source.splitlines(keepends=True)
    return first, func.end_lineno, "".join(lines[first - 1:func.end_lineno])


def replace_function(source, qualname, new_text):
    """`source` with function `qualname` (decorators to last line) replaced by `new_text`."""
    found = function_text(source, qualname)
    if found is None:
        raise ValueError(f"{qualname} not found")
    first, last, _ = found
    lines = source.splitlines(keepends=True)
    if not new_text.endswith("\n"):
        new_text += "\n"
    lines[first - 1:last] = [new_text]
    return "".join(lines)


# --- lint: the generated modules must not contain the solutions ---------------------------

# Marker syntax of other generators (nbgrader, otter, CS231n, MiniTorch): never in our files.
SOLUTION_MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "~~START DELETE", "~~DELETE LINE", "# ASSIGN",
                    "END OF YOUR CODE", "START OF YOUR CODE")


def _statement_counts(tree, skip=()):
    """Multiset of normalized AST dumps of every statement, minus the subtrees in `skip`."""
    skip_ids = {id(n) for s in skip for n in ast.walk(s)}
    counts = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt) and id(node) not in skip_ids:
            key = ast.dump(node)
            counts[key] = counts.get(key, 0) + 1
    return counts


def leaks(stub_text, reference_text, targets, module=""):
    """Problems (strings) if `stub_text` still holds any reference body of `targets`.

    A statement of the reference's removed bodies may appear in the stub only as often as it
    appears in the reference OUTSIDE those bodies (e.g. `return out` in a non-target method);
    and no removed line may survive as text (e.g. commented out).
    """
    problems = []
    ref_tree, stub_tree = parse(reference_text), parse(stub_text)
    removed = []
    for qualname, ex_id in targets:
        ref_func, stub_func = find_function(ref_tree, qualname), find_function(stub_tree, qualname)
        if stub_func is None:
            problems.append(f"{module}:{qualname}: missing from the stub")
            continue
        last = stub_func.body[-1]
        if not (isinstance(last, ast.Raise) and isinstance(last.exc, ast.Call)
                and getattr(last.exc.func, "id", "") == "NotImplementedError"):
            problems.append(f"{module}:{qualname}: the stub does not end in raise NotImplementedError")
        removed += split_body(ref_func, find_class(ref_tree, qualname))[1]
    allowed = _statement_counts(ref_tree, skip=removed)
    for key, n in _statement_counts(stub_tree).items():
        if "NotImplementedError" in key:
            continue
        if n > allowed.get(key, 0):
            problems.append(f"{module}: a reference body statement survives: {key[:120]}")
    ref_lines = reference_text.splitlines()
    stub_code = stub_text
    for stmt in removed:
        for line in ref_lines[stmt.lineno - 1:stmt.end_lineno]:
            code = line.split("#")[0].strip()
            if len(code) >= 12 and code in stub_code and code not in _outside(reference_text, removed):
                problems.append(f"{module}: solution text left in the stub: {code!r}")
    for marker in SOLUTION_MARKERS:
        if marker in stub_text or marker in reference_text:
            problems.append(f"{module}: solution marker {marker!r}")
    return problems


def _outside(reference_text, removed):
    """The reference text with the removed bodies' lines blanked."""
    lines = reference_text.splitlines()
    for stmt in removed:
        for i in range(stmt.lineno - 1, stmt.end_lineno):
            lines[i] = ""
    return "\n".join(lines)


def lint_tree(folder, root=ROOT, exercises=EXERCISES):
    """Leak problems of every stubbed module found in `folder` (compared with `root`'s reference)."""
    problems = []
    for module, targets in targets_by_module(exercises).items():
        path = Path(folder) / f"{module}.py"
        if not path.exists():
            problems.append(f"{path}: missing")
            continue
        reference = (Path(root) / f"{module}.py").read_text(encoding="utf-8")
        problems += leaks(path.read_text(encoding="utf-8"), reference, targets, module)
    return problems
