"""The stub generator: bodies replaced, everything else byte for byte, no solution left.

The lint tests run on the real reference modules; the unit tests on small sources
written here, so a generator bug cannot hide behind the reference's shape.
"""
import difflib
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kata import stubs

ROOT = Path(__file__).resolve().parents[2]
MODULES = sorted(stubs.targets_by_module())

SAMPLE = textwrap.dedent('''\
    import numpy as np


    def _check_x(x):
        pass


    class Layer:
        """A layer."""

        def forward(self, x):
            """x (N,) -> (N,)"""
            _check_x(x)
            y, z = _check_pair(x, x)
            # explain why, not how
            self.x = x  # inline comments go with their code
            out = np.multiply(x, 2)

            return out

        def other(self):
            return 42  # untouched


    def top(a):
        return a + 1
    ''')


@pytest.fixture(scope="module")
def stub_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("stubs")
    stubs.write_modules(folder)
    return folder


def test_stub_keeps_docstring_checks_and_comments_and_raises_with_the_exercise_id():
    out = stubs.stub_source(SAMPLE, [("Layer.forward", "9.9"), ("top", "9.8")], "sample")
    assert '        """x (N,) -> (N,)"""\n        _check_x(x)\n' \
           '        y, z = _check_pair(x, x)\n        # explain why, not how\n' \
           '        raise NotImplementedError("9.9 Layer.forward: not implemented yet — run `make hint`")\n' in out
    assert 'raise NotImplementedError("9.8 top: not implemented yet' in out
    for gone in ("self.x = x", "out = np.multiply(x, 2)", "return out", "inline comments", "return a + 1"):
        assert gone not in out
    # untouched code stays byte for byte
    assert "    def other(self):\n        return 42  # untouched\n" in out
    assert out.startswith("import numpy as np\n\n\ndef _check_x(x):\n    pass\n")


def test_missing_target_is_a_loud_error():
    with pytest.raises(ValueError, match="sample:Layer.backward .*9.9"):
        stubs.stub_source(SAMPLE, [("Layer.backward", "9.9")], "sample")


def test_body_on_the_def_line_is_refused():
    with pytest.raises(ValueError, match="own lines"):
        stubs.stub_source("def f(x): return x\n", [("f", "1")], "m")


def test_lint_catches_a_leaked_statement_and_commented_out_solution():
    good = stubs.stub_source(SAMPLE, [("Layer.forward", "9.9")], "sample")
    assert stubs.leaks(good, SAMPLE, [("Layer.forward", "9.9")]) == []
    leaked = good.replace("# explain why, not how", "out = np.multiply(x, 2)")
    assert any("survives" in p for p in stubs.leaks(leaked, SAMPLE, [("Layer.forward", "9.9")]))
    commented = good.replace("# explain why, not how", "# out = np.multiply(x, 2)")
    assert any("solution text" in p for p in stubs.leaks(commented, SAMPLE, [("Layer.forward", "9.9")]))
    # the unstubbed reference itself is reported
    assert stubs.leaks(SAMPLE, SAMPLE, [("Layer.forward", "9.9")])


@pytest.mark.parametrize("module", MODULES)
def test_generated_module_has_no_reference_body_and_no_markers(stub_dir, module):
    assert stubs.lint_tree(stub_dir) == []
    text = (stub_dir / f"{module}.py").read_text(encoding="utf-8")
    for marker in stubs.SOLUTION_MARKERS:
        assert marker not in text
        assert marker not in (ROOT / f"{module}.py").read_text(encoding="utf-8")


@pytest.mark.parametrize("module", MODULES)
def test_only_target_bodies_changed(stub_dir, module):
    """Every line the diff touches lies inside a target body; every added line is a raise."""
    import ast
    ref = (ROOT / f"{module}.py").read_text(encoding="utf-8").splitlines(keepends=True)
    new = (stub_dir / f"{module}.py").read_text(encoding="utf-8").splitlines(keepends=True)
    tree = ast.parse("".join(ref))
    ranges = []
    for qualname, _ in stubs.targets_by_module()[module]:
        func = stubs.find_function(tree, qualname)
        ranges.append((func.body[0].lineno, func.end_lineno))
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=ref, b=new, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        for i in range(i1, i2):
            assert any(a <= i + 1 <= b for a, b in ranges), f"{module}.py line {i + 1} changed: {ref[i]!r}"
        for line in new[j1:j2]:
            assert line.strip().startswith(("raise NotImplementedError(", "#")), line


def test_every_module_of_the_root_is_copied_unchanged_when_not_stubbed(stub_dir):
    for path in stubs.reference_modules():
        if path.stem not in MODULES:
            assert (stub_dir / path.name).read_bytes() == path.read_bytes(), path.name


_SIGNATURES = r'''
import importlib, inspect, json, sys
sys.path.insert(0, sys.argv[1])
out = {}
for name in sys.argv[2:]:
    mod = importlib.import_module(name)
    assert mod.__file__.startswith(sys.argv[1]), mod.__file__
    for attr, obj in vars(mod).items():
        if getattr(obj, "__module__", None) != name:
            continue
        if inspect.isfunction(obj):
            out[f"{name}.{attr}"] = str(inspect.signature(obj))
        elif inspect.isclass(obj):
            for m, f in vars(obj).items():
                if inspect.isfunction(f):
                    out[f"{name}.{attr}.{m}"] = str(inspect.signature(f))
            out[f"{name}.{attr}"] = "class"
    out[name + ".*"] = sorted(k for k in vars(mod) if not k.startswith("__"))
print(json.dumps(out))
'''


def _signatures(folder):
    # the repository after the folder, as the kata runs a workspace: its packages (dataset/,
    # training/) stay in the repository and are not copied
    proc = subprocess.run([sys.executable, "-c", _SIGNATURES, str(folder), *MODULES],
                          capture_output=True, text=True, cwd=folder, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_generated_modules_import_with_the_reference_names_and_signatures(stub_dir):
    assert _signatures(stub_dir) == _signatures(ROOT)
