"""Remembered verdicts keyed on the code, not its text (issues 21, 22): a comment or whitespace edit
keeps every verdict, an edit inside one function re-checks its exercise and the exercises that
build on it, a learner's helper package and data files count, and a file saved during a run never
leaves a verdict behind for code that was not what the tests imported."""

import pytest

from kata import runner, stubs, verdicts
from kata.manifest import EXERCISE_IDS

from kata_helpers import checked as _checked

ALL = set(EXERCISE_IDS)




def _ran(report):
    return {e for r in report["results"] for e in r["exercises"]}


def _cached(report):
    return {k for k, v in report["statuses"].items() if v.get("cached")}


def _changed(before, after):
    return {k for k in before if before[k] != after[k]}


def _insert(ws, module, qualname, line, before_body=True):
    """Insert `line` (indented like the body) before the first statement of `qualname`'s body."""
    path = ws / f"{module}.py"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    func = stubs.find_function(stubs.parse("".join(lines)), qualname)
    indent = " " * func.body[0].col_offset
    lines.insert(func.body[0].lineno - 1, indent + line + "\n")
    path.write_text("".join(lines), encoding="utf-8")


def _edit_text(ws, module, old, new):
    path = ws / f"{module}.py"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (module, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


# --- what the key covers (no test run) --------------------------------------------------

def test_comments_blank_lines_spacing_and_docstrings_change_no_key(book_ws):
    before = verdicts.keys(book_ws)
    _insert(book_ws, "two_layer_net", "TwoLayerNet.gradient", "# backward: the layers in reverse")
    _insert(book_ws, "two_layer_net", "TwoLayerNet.gradient", "   ")                # a blank line with spaces
    _edit_text(book_ws, "layers", "        out = x * y\n", "        out = (x *   # the product\n"
                                                             "               y)\n")  # one statement on two lines
    _edit_text(book_ws, "layers", '"""Multiplication node z = x * y (section 5.4.1).',
               '"""Multiplication node: z = x * y, my words (section 5.4.1).')    # a docstring
    for module in ("layers", "functions", "gradient", "two_layer_net", "train_neuralnet", "validation"):
        path = book_ws / f"{module}.py"
        path.write_text("# my notes on this file\n\n" + path.read_text(encoding="utf-8").replace("\n", "  \n")
                        + "\n\n# the end\n", encoding="utf-8")                 # trailing spaces everywhere
    assert verdicts.keys(book_ws) == before


@pytest.mark.parametrize("module, qualname, expected", [
    ("layers", "MulLayer.forward", {"5.4.1", "5.4.2"}),
    ("layers", "Relu.backward", {"5.5.1", "5.7.2", "5.7.3", "5.7.4"}),
    ("layers", "Sigmoid.forward", {"5.5.2"}),
    ("functions", "softmax", {"4.2", "5.6.3", "5.7.2", "5.7.3", "5.7.4"}),
    ("gradient", "numerical_gradient", {"4.4", "5.7.3"}),
    ("two_layer_net", "TwoLayerNet.gradient", {"5.7.2", "5.7.3", "5.7.4"}),
    ("two_layer_net", "TwoLayerNet.numerical_gradient", {"5.7.3"}),
    ("train_neuralnet", "train_step", {"5.7.4"}),
    # the rest of a class that holds targets belongs to those exercises and the ones after them
    ("layers", "Relu.__init__", {"5.5.1", "5.7.2", "5.7.3", "5.7.4"}),
    ("layers", "MulLayer.__init__", {"5.4.1", "5.4.2"}),
    ("two_layer_net", "TwoLayerNet.__init__", {"5.7.2", "5.7.3", "5.7.4"}),
    # a function no exercise targets is everyone's (which exercise a helper serves is not known)
    ("gradient", "numerical_gradient_2d", ALL),
    ("train_neuralnet", "train", ALL),
])
def test_an_edit_inside_a_function_changes_the_keys_of_exactly_the_exercises_that_use_it(
        book_ws, module, qualname, expected):
    before = verdicts.keys(book_ws)
    _insert(book_ws, module, qualname, "_edited = 1")
    assert _changed(before, verdicts.keys(book_ws)) == expected


def test_module_level_code_and_class_shells_count(book_ws):
    before = verdicts.keys(book_ws)
    _edit_text(book_ws, "layers", "\nclass MulLayer:", "\nSCALE = 2\n\n\nclass MulLayer:")
    assert _changed(before, after := verdicts.keys(book_ws)) == ALL                 # a module constant
    _edit_text(book_ws, "layers", "class Relu:", "class Relu(object):")
    assert _changed(after, again := verdicts.keys(book_ws)) == {"5.5.1", "5.7.2", "5.7.3", "5.7.4"}
    _edit_text(book_ws, "functions", "import numpy as np\n", "import numpy as np\nimport math\n")
    assert _changed(again, verdicts.keys(book_ws)) == ALL                              # an import


def test_a_deleted_or_renamed_target_changes_its_keys(book_ws):
    before = verdicts.keys(book_ws)
    path = book_ws / "layers.py"
    text = path.read_text(encoding="utf-8")
    first, last, _ = stubs.function_text(text, "Sigmoid.backward")
    lines = text.splitlines(keepends=True)
    path.write_text("".join(lines[:first - 1] + lines[last:]), encoding="utf-8")   # deleted
    assert _changed(before, verdicts.keys(book_ws)) == {"5.5.2"}
    path.write_text(text, encoding="utf-8")
    assert verdicts.keys(book_ws) == before
    _edit_text(book_ws, "train_neuralnet", "def train_step(", "def train_step_old(")  # renamed: a new helper
    assert _changed(before, verdicts.keys(book_ws)) == ALL


def test_a_file_python_cannot_read_counts_by_its_text(book_ws):
    path = book_ws / "layers.py"
    good = path.read_bytes()
    before = verdicts.keys(book_ws)
    latin1 = good + b"# caf\xe9, saved by an editor in Latin-1\n"
    path.write_bytes(latin1)
    try:  # Python 3.11 imports it (a comment's bytes are not decoded); later versions refuse it
        compile(latin1, str(path), "exec")
        imports = True
    except SyntaxError:
        imports = False
    assert _changed(before, verdicts.keys(book_ws)) == (set() if imports else ALL)  # as an import decodes it
    path.write_bytes(good.replace(b"out = x * y", b"out = x * y  # caf\xe9", 1))
    try:
        compile(path.read_bytes(), str(path), "exec")
        imports = True
    except SyntaxError:
        imports = False
    assert _changed(before, verdicts.keys(book_ws)) == (set() if imports else ALL)
    assert good.isascii()
    path.write_bytes(b"# -*- coding: ascii -*-\n" + good)
    assert verdicts.keys(book_ws) == before  # a coding line is a comment to ast too
    path.write_bytes(b"# -*- coding: ascii -*-\n" + good + "# café\n".encode())
    with pytest.raises(SyntaxError):  # a comment that stops the import
        compile(path.read_bytes(), str(path), "exec")
    assert _changed(before, verdicts.keys(book_ws)) == ALL
    path.write_bytes(good + b"def broken(:\n")
    broken = verdicts.keys(book_ws)
    path.write_bytes(good + b"def broken(:\n# and a comment\n")
    assert _changed(broken, verdicts.keys(book_ws)) == ALL  # does not parse: its text counts, comments too
    path.write_bytes(good)
    assert verdicts.keys(book_ws) == before


def test_a_helper_package_and_data_files_count_outputs_and_the_kata_folder_do_not(book_ws):
    before = verdicts.keys(book_ws)
    (book_ws / "common").mkdir()
    (book_ws / "common" / "__init__.py").write_text("", encoding="utf-8")
    (book_ws / "common" / "util.py").write_text("def zero_where(d, m):\n    d[m] = 0\n    return d\n",
                                                encoding="utf-8")
    with_helper = verdicts.keys(book_ws)
    assert _changed(before, with_helper) == ALL
    (book_ws / "common" / "util.py").write_text("def zero_where(d, m):  # in place\n\n    d[m] = 0\n"
                                                "    return d\n", encoding="utf-8")
    assert verdicts.keys(book_ws) == with_helper                     # its comments do not count either
    (book_ws / "common" / "util.py").write_text("def zero_where(d, m):\n    d[m] = 1\n    return d\n",
                                                encoding="utf-8")
    assert _changed(with_helper, with_data := verdicts.keys(book_ws)) == ALL
    (book_ws / "scale.txt").write_text("2.0\n", encoding="utf-8")       # a data file the code may read
    assert _changed(with_data, now := verdicts.keys(book_ws)) == ALL
    (book_ws / "scale.txt").write_text("3.0\n", encoding="utf-8")
    assert _changed(now, now := verdicts.keys(book_ws)) == ALL
    # none of these is read by the learner's code on the kata's path
    (book_ws / "train_accuracy.png").write_bytes(b"\x89PNG a plot train_neuralnet.py wrote")
    (book_ws / "chapter5.ipynb").write_text("{}", encoding="utf-8")
    (book_ws / "layers.py~").write_text("an editor's backup", encoding="utf-8")
    (book_ws / ".layers.py.swp").write_text("vim's swap file", encoding="utf-8")
    for folder in (".kata/backups/1", "__pycache__", ".ipynb_checkpoints", "venv"):
        (book_ws / folder).mkdir(parents=True)
        (book_ws / folder / "layers.py").write_text("def broken(:\n", encoding="utf-8")
    (book_ws / "venv" / "pyvenv.cfg").write_text("home = /usr/bin\n", encoding="utf-8")
    assert verdicts.keys(book_ws) == now


def test_a_small_data_file_counts_by_content_a_large_one_by_size_and_time(book_ws, monkeypatch):
    import os
    monkeypatch.setattr(verdicts, "CONTENT_LIMIT", 10)
    small, large = book_ws / "scale.txt", book_ws / "weights.bin"
    small.write_bytes(b"2.0\n")
    large.write_bytes(b"0123456789abcdef")
    before = verdicts.keys(book_ws)
    os.utime(small, ns=(1, 1))              # touched, the same bytes: the same key
    assert verdicts.keys(book_ws) == before
    os.utime(large, ns=(1, 1))              # too large to read at every check: its time counts
    assert _changed(before, verdicts.keys(book_ws)) == ALL


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_or_a_dangling_link_in_the_workspace_is_never_read(book_ws):
    import os
    before = verdicts.keys(book_ws)
    os.mkfifo(book_ws / "pipe.txt")            # reading it would wait for a writer forever
    os.mkfifo(book_ws / "pipe.py")
    (book_ws / "gone.py").symlink_to(book_ws / "nowhere.py")
    assert verdicts.keys(book_ws) == before


def test_a_learner_folder_named_like_the_repositorys_tests_is_stamped_on_its_own(book_ws):
    (book_ws / "tests").mkdir()
    mine = book_ws / "tests" / "conftest.py"   # the repository has a tests/conftest.py too
    mine.write_text("X = 1\n", encoding="utf-8")
    before = verdicts.keys(book_ws)
    mine.write_text("X = 1  # saved again\n", encoding="utf-8")
    assert verdicts.still_holds(before, book_ws) == set()


# --- real checks ----------------------------------------------------------------------------

def test_after_all_done_a_comment_edit_runs_nothing_and_a_relu_edit_runs_only_5_5_1_and_its_dependents(book_ws):
    code, first = _checked(book_ws)
    assert code == 0 and all(v["status"] == "done" for v in first["statuses"].values())
    assert _ran(first) == ALL
    _insert(book_ws, "two_layer_net", "TwoLayerNet.gradient", "# forward first, then the layers in reverse")
    _edit_text(book_ws, "two_layer_net", "\nclass TwoLayerNet:", "\n\n# the network\nclass TwoLayerNet:  ")
    code, second = _checked(book_ws)
    assert code == 0 and second["results"] == [] and _cached(second) == ALL
    _insert(book_ws, "layers", "Relu.backward", "dout = dout * 1  # the same values, another statement")
    code, third = _checked(book_ws)
    assert code == 0 and all(v["status"] == "done" for v in third["statuses"].values())
    assert _ran(third) == {"5.5.1", "5.7.2", "5.7.3", "5.7.4"}
    assert _cached(third) == ALL - {"5.5.1", "5.7.2", "5.7.3", "5.7.4"}
    code, fourth = _checked(book_ws)
    assert code == 0 and fourth["results"] == [] and _cached(fourth) == ALL  # and they are remembered


RELU_BACKWARD_WITH_HELPER = '''    def backward(self, dout):
        return zero_where(dout, self.mask)
'''


def test_a_broken_helper_module_in_a_sub_package_is_checked_again(book_ws):
    (book_ws / "common").mkdir()
    (book_ws / "common" / "__init__.py").write_text("", encoding="utf-8")
    util = book_ws / "common" / "util.py"
    util.write_text("def zero_where(d, m):\n    d = d.copy()\n    d[m] = 0\n    return d\n", encoding="utf-8")
    _edit_text(book_ws, "layers", "import numpy as np\n", "import numpy as np\n\nfrom common.util import zero_where\n")
    path = book_ws / "layers.py"
    path.write_text(stubs.replace_function(path.read_text(encoding="utf-8"), "Relu.backward",
                                           RELU_BACKWARD_WITH_HELPER), encoding="utf-8")
    code, first = _checked(book_ws, only=["5.5.1"])
    assert code == 0 and first["statuses"]["5.5.1"]["status"] == "done"
    util.write_text("def zero_where(d, m):\n    return d\n", encoding="utf-8")  # the mask forgotten
    code, second = _checked(book_ws, only=["5.5.1"])
    assert code == 1 and second["statuses"]["5.5.1"]["status"] == "wrong"
    assert not second["statuses"]["5.5.1"]["cached"]


MUL_FORWARD_READING_A_FILE = '''    def forward(self, x, y):
        self.x = x
        self.y = y
        scale = int((Path(__file__).parent / "scale.txt").read_text())
        return x * y * scale
'''


def test_a_data_file_the_code_reads_is_checked_again_when_it_changes(book_ws):
    (book_ws / "scale.txt").write_text("1\n", encoding="utf-8")
    _edit_text(book_ws, "layers", "import numpy as np\n", "from pathlib import Path\n\nimport numpy as np\n")
    path = book_ws / "layers.py"
    path.write_text(stubs.replace_function(path.read_text(encoding="utf-8"), "MulLayer.forward",
                                           MUL_FORWARD_READING_A_FILE), encoding="utf-8")
    code, first = _checked(book_ws, only=["5.4.1"])
    assert code == 0 and first["statuses"]["5.4.1"]["status"] == "done"
    (book_ws / "scale.txt").write_text("2\n", encoding="utf-8")
    code, second = _checked(book_ws, only=["5.4.1"])
    assert code == 1 and second["statuses"]["5.4.1"]["status"] == "wrong"


# --- a save during a run (issue 22) ---------------------------------------------------------

ADD_BACKWARD_WRONG = '''    def backward(self, dout):
        dx = dout * 1
        dy = dout * 0
        return dx, dy
'''


def _add_layer_versions(ws):
    path = ws / "layers.py"
    good = path.read_text(encoding="utf-8")
    return path, good, stubs.replace_function(good, "AddLayer.backward", ADD_BACKWARD_WRONG)


def _during_runs(monkeypatch, edits):
    """Each real run of the tests (runner.run_tests: one per wave) calls edits[i](before, after) around
    itself: a learner saving while the check is under way."""
    original, calls = runner.run_tests, []

    def run(*a, **k):
        edit = edits[len(calls)] if len(calls) < len(edits) else None
        calls.append(1)
        if edit:
            edit("before")
        try:
            return original(*a, **k)
        finally:
            if edit:
                edit("after")

    monkeypatch.setattr(runner, "run_tests", run)
    return calls


def test_a_fix_saved_during_a_check_then_undone_is_not_remembered_done(book_ws, monkeypatch):
    """5.4.2 wrong when the check starts; the fix is saved while the first wave (5.4.1) runs, so the
    second wave's tests import the fixed AddLayer and pass; then the learner undoes the fix."""
    path, good, wrong = _add_layer_versions(book_ws)
    path.write_text(wrong, encoding="utf-8")
    calls = _during_runs(monkeypatch, [lambda when: when == "after" and path.write_text(good, encoding="utf-8")])
    code, first = _checked(book_ws, only=["5.4.2"])
    assert len(calls) == 2 and code == 0 and first["statuses"]["5.4.2"]["status"] == "done"  # it saw the fix
    monkeypatch.undo()
    path.write_text(wrong, encoding="utf-8")  # undo
    code, second = _checked(book_ws, only=["5.4.2"])
    assert code == 1 and second["statuses"]["5.4.2"]["status"] == "wrong"
    assert "5.4.2" in _ran(second)


def test_a_fix_saved_and_undone_within_one_run_is_not_remembered_done(book_ws, monkeypatch):
    """The fix is saved after the check read the files and undone before the run ended: the key after
    the run is the key before it, but the tests imported the fix."""
    path, good, wrong = _add_layer_versions(book_ws)
    path.write_text(wrong, encoding="utf-8")
    code, _ = _checked(book_ws, only=["5.4.1"])
    assert code == 0  # 5.4.1 done and remembered: the next check runs 5.4.2 alone, in one run

    def fix_then_undo(when):
        path.write_text(good if when == "before" else wrong, encoding="utf-8")

    calls = _during_runs(monkeypatch, [fix_then_undo])
    keys_before = verdicts.keys(book_ws)
    code, first = _checked(book_ws, only=["5.4.2"])
    assert len(calls) == 1 and code == 0 and first["statuses"]["5.4.2"]["status"] == "done"  # it saw the fix
    assert verdicts.keys(book_ws) == keys_before  # the same key after the run: only the stamps tell
    monkeypatch.undo()
    code, second = _checked(book_ws, only=["5.4.2"])
    assert code == 1 and second["statuses"]["5.4.2"]["status"] == "wrong"


def test_a_run_during_which_nothing_changed_is_remembered(book_ws, monkeypatch):
    """The control of the two above: the same check, no save during it, is remembered."""
    calls = _during_runs(monkeypatch, [lambda when: None])
    code, first = _checked(book_ws, only=["5.4.2"])
    assert code == 0 and calls
    monkeypatch.undo()
    code, second = _checked(book_ws, only=["5.4.2"])
    assert code == 0 and second["results"] == [] and _cached(second) == {"5.4.1", "5.4.2"}


def test_still_holds_compares_the_keys_and_every_files_stamp(book_ws):
    before = verdicts.keys(book_ws)
    assert verdicts.still_holds(before, book_ws) == ALL
    path = book_ws / "functions.py"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "# a comment\n", encoding="utf-8")  # no key changes, but the file was written
    assert verdicts.keys(book_ws) == before and verdicts.still_holds(before, book_ws) == set()
    again = verdicts.keys(book_ws)
    (book_ws / "new_helper.py").write_text("X = 1\n", encoding="utf-8")  # a file appeared
    assert verdicts.still_holds(again, book_ws) == set()
    assert verdicts.still_holds(dict(again), book_ws) == set()  # keys without stamps: nothing holds
    (book_ws / "new_helper.py").unlink()
