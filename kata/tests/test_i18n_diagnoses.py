"""The tests' English diagnoses, shown in Korean and Japanese (kata/catalog/diagnoses.py).

Every message is the real one: produced in-process by the suite's own checks (tests/checks.py,
tests/layer_checks.py) on the broken variants of the mistake catalogs (tests/test_mistakes.py,
and the learner-typed sources of kata/tests/test_kata_mistakes.py), by the other checks on
crafted wrong code, and by the kata plugin. Translated, none may keep an English sentence.
"""
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import checks
import layer_checks as lc
import layers
from kata import stubs
from kata import workspace as wsmod
from kata.catalog import diagnoses
from kata.catalog.diagnoses import translate
from kata.pytest_plugin import ExitAtImport, KataPlugin, Settings
from test_kata_mistakes import TYPED
from test_mistakes import MISTAKES, XE, YE, GE, LOGITS, ONE_HOT

import book_forms

ROOT = Path(__file__).resolve().parents[2]
CATALOG = {m.id: m for m in MISTAKES}

HANGUL = re.compile(r"[\uac00-\ud7a3]")
KANA = re.compile(r"[\u3040-\u30ff]")
# What an English sentence is, once code is taken out: three or more English words in a row
# (only spaces or light punctuation between them). Plain numbers are dropped ("1 of 3 values
# wrong" is a sentence); any other code ends a run of words: `backticks`, every token holding a
# digit or code punctuation (identifiers like cross_entropy_error, dotted names, calls, indexing,
# formulas, shapes, file paths) and camelCase / CamelCase names.
NUMBER = re.compile(r"(?<![\w.])[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?(?![\w.])")
CODE = re.compile(r"`[^`]*`|[^\s]*[\d_.\[\](){}=*/@+<>|~^%\\\"]+[^\s]*|\b[A-Za-z]*[a-z][A-Z][A-Za-z]*\b")
ENGLISH_SENTENCE = re.compile(r"(?<![A-Za-z])[A-Za-z]+(?:-[A-Za-z]+)*(?:[ ,:;'!?]+[A-Za-z]+(?:-[A-Za-z]+)*){2,}"
                              r"(?![A-Za-z])")


def english_sentences(text):
    return ENGLISH_SENTENCE.findall(CODE.sub(" | ", NUMBER.sub("", text)))


def failure(check, *args, **kwargs):
    """The AssertionError (or crash) text `check(*args, **kwargs)` raises; the check must fail."""
    with pytest.raises(Exception) as caught:  # noqa: B017 (an AssertionError, or a check's own TypeError/ValueError)
        check(*args, **kwargs)
    exc = caught.value
    return str(exc) if isinstance(exc, AssertionError) else f"{type(exc).__name__}: {exc}"


# ---------------------------------------------------------------- the messages
def _typed_module(kind, module, tmp):
    """The module of a TYPED workspace (reference or book surroundings) with every typed mistake, imported."""
    ws = tmp / kind
    ws.mkdir()
    if kind == "book":
        book_forms.write_book_workspace(ws)
    else:
        stubs.write_modules(ws, stubbed=set())
    path = ws / f"{module}.py"
    for mod, qualname, source in TYPED.values():
        if mod == module:
            path.write_text(stubs.replace_function(path.read_text(encoding="utf-8"), qualname, source),
                            encoding="utf-8")
    spec = importlib.util.spec_from_file_location(f"typed_{kind}_{module}", path)
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    return loaded


def _book_layers(tmp):
    """layers.py of a workspace of the book's own code (kata/tests/book_forms.py), imported."""
    ws = tmp / "pure-book"
    book_forms.write_book_workspace(ws)
    spec = importlib.util.spec_from_file_location("pure_book_layers", ws / "layers.py")
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    return loaded


@pytest.fixture(scope="module")
def book_layers(tmp_path_factory):
    return _book_layers(tmp_path_factory.mktemp("pure-book"))


@pytest.fixture(scope="module")
def typed_modules(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("typed")
    return {kind: _typed_module(kind, "layers", tmp) for kind in ("reference", "book")}


def catalog_messages():
    """(id, diagnosis) of every broken variant of tests/test_mistakes.py."""
    return [(m.id, failure(m.check, m.build())) for m in MISTAKES]


def typed_messages(modules):
    """(id, diagnosis) of every learner-typed mistake of test_kata_mistakes.py, in both surroundings."""
    out = []
    for kind, module in modules.items():
        for mistake_id, (_, qualname, _) in sorted(TYPED.items()):
            cls = getattr(module, qualname.split(".")[0])
            out.append((f"{kind}:{mistake_id}", failure(CATALOG[mistake_id].check, cls)))
    return out


class ReluInvertedForward(layers.Relu):
    def forward(self, x):
        self.mask = x > 0
        out = x.copy()
        out[self.mask] = 0
        return out


class ReluInvertedBackward(layers.Relu):
    def backward(self, dout):
        dx = dout.copy()
        dx[~self.mask] = 0
        return dx


class ReluIdentityForward(layers.Relu):
    def forward(self, x):
        self.mask = x <= 0
        return x.copy()


class ReluOnesBackward(layers.Relu):
    def backward(self, dout):
        dx = np.ones_like(dout)
        dx[:, 1] = 0.0
        return dx


class SigmoidMissingOneMinusOut(layers.Sigmoid):
    def backward(self, dout):
        return dout * self.out


class MulLayerDyNotSwapped(layers.MulLayer):
    def backward(self, dout):
        return dout * self.y, dout * self.y


class ReluMaskOnce(layers.Relu):
    def forward(self, x):
        if getattr(self, "kept", None) is None:
            self.kept = x <= 0
        self.mask = self.kept
        out = x.copy()
        out[self.mask] = 0
        return out


class ReluZeroesAllDout(layers.Relu):
    def backward(self, dout):
        dout[...] = 0.0
        return dout


class SigmoidNan(layers.Sigmoid):
    def forward(self, x):
        with np.errstate(over="ignore", invalid="ignore"):
            self.out = np.exp(x) / (1 + np.exp(x))
        return self.out


def _label_branch(make_dx):
    class SoftmaxWithLossLabels(layers.SoftmaxWithLoss):
        def backward(self, dout=1):
            n = self.y.shape[0]
            if self.t.ndim == 2:
                return dout * (self.y - self.t) / n
            return make_dx(self.y, self.t, n)
    return SoftmaxWithLossLabels


def _plus_one(y, t, n):
    dx = y.copy()
    dx[np.arange(n), t] -= -1
    return dx / n


def _not_divided(y, t, n):
    dx = y.copy()
    dx[np.arange(n), t] -= 1
    return dx


def _ten_classes(y, t, n):
    return (y - np.eye(10)[t]) / n


class ReluZeroesX(layers.Relu):
    def forward(self, x):
        self.mask = x <= 0
        x[self.mask] = 0
        return x


class SigmoidFlipped(layers.Sigmoid):
    def forward(self, x):
        with np.errstate(over="ignore"):
            self.out = 1 / (1 + np.exp(x))
        return self.out


class MulLayerIgnoresDout(layers.MulLayer):
    def backward(self, dout):
        return self.y, self.x


def absent_messages(book):
    """(what, message) of the extras found absent in the book's own code (tests/extras.py's ExtraAbsent),
    which --strict shows as failures: produced by the real checks where a check makes them."""
    from extras import ExtraAbsent, describe

    x3 = np.random.default_rng(3).uniform(-2, 2, (2, 2, 3))
    out = [
        ("relu x zeroed", failure(lc.check_relu_keeps_its_inputs, ReluZeroesX, XE, GE)),
        ("sigmoid overflow", failure(lc.check_sigmoid_far_out, book.Sigmoid)),
        ("sigmoid flipped far out", failure(lc.check_sigmoid_far_out, SigmoidFlipped)),
        ("sigmoid dx far out", failure(lc.check_sigmoid_far_out, SigmoidMissingOneMinusOut)),
        ("mul ignores dout", failure(lc.check_mul_layer, MulLayerIgnoresDout, XE, YE, GE)),
        ("affine tensor", failure(lc.check_affine_tensor, book.Affine, x3, np.ones((6, 2)), np.zeros(2),
                                  np.ones((2, 2)))),
        ("labels raise", failure(lc.check_softmax_with_loss_labels, book.SoftmaxWithLoss, LOGITS,
                                 np.array([0, 2, 1, 2]))),
        ("labels broadcast", failure(lc.check_softmax_with_loss_labels, book.SoftmaxWithLoss, LOGITS[:3],
                                     np.array([0, 2, 1]))),
        ("labels broadcast, huge", failure(lc.label_backward, _forwarded(book.SoftmaxWithLoss),
                                           lc.softmax_rows(np.eye(3) * 1e4), np.array([0, 1, 2]), 1.0,
                                           "with labels t of shape (3,), logits +-1e4")),
        ("3-D numerical gradient", failure(lc.check_numerical_gradient_any_shape, _row_wise_only, lambda v: 0.0,
                                           np.zeros_like, x3)),
        ("backward before forward", failure(_refuses, "5.6.2: backward before forward",
                                            lambda: book.Affine(np.ones((2, 3)), np.zeros(3)).backward(np.ones((1, 3))),
                                            RuntimeError, "call forward first")),
        ("bad input silent", failure(_refuses, "bad input", lambda: book.MulLayer().forward(np.ones(2), 2),
                                     ValueError, "expected y")),
        ("tensor crash", failure(_crash_is_absent, "tensor-input",
                                 "TwoLayerNet.predict of images of shape (7, 1, 4, 4)",
                                 lambda: np.dot(np.ones((7, 1, 4, 4)), np.ones((16, 5))))),
        # the messages of test_edge_cases.py's own ExtraAbsent, as its f-strings write them
        ("float-only", str(ExtraAbsent("float-only", "numerical_gradient of sum(x**2) at the integer array [3, 4] "
                                       "returned [25000, 35000] (dtype int64), not [6.0, 8.0]"))),
        ("int-label", str(ExtraAbsent("int-label", "cross_entropy_error(y, 2) with a Python int label raised "
                                      + describe(AttributeError("'int' object has no attribute 'reshape'"))))),
    ]

    class OneHotForward(book.SoftmaxWithLoss):
        def forward(self, x, t):
            self.t, self.y = t, lc.softmax_rows(x)
            return -np.sum(self.t * np.log(self.y + 1e-7)) / x.shape[0]

    class RefusesLabels(book.SoftmaxWithLoss):
        def forward(self, x, t):
            return np.log(x[np.arange(len(x)), t.argmax(axis=1)]).sum()

    out += [("label forward broadcast", failure(lc.check_softmax_with_loss_labels, OneHotForward, LOGITS[:3],
                                                np.array([0, 2, 1]))),
            ("label forward raises", failure(lc.check_softmax_with_loss_labels, RefusesLabels, LOGITS,
                                             np.array([0, 2, 1, 2])))]
    return out


def _row_wise_only(f, x):
    if x.ndim > 2:
        raise TypeError("only 0-dimensional arrays can be converted to Python scalars")
    return np.zeros_like(x)


def _refuses(what, call, expected, match):
    from extras import check_refuses
    check_refuses(what, call, expected, match)


def _crash_is_absent(key, what, call):
    from extras import crash_is_absent
    with crash_is_absent(key, what):
        call()


class SigmoidOnePlusOut(layers.Sigmoid):
    def backward(self, dout):
        return dout * self.out * (1.0 + self.out)


class AffineNoBias(layers.Affine):
    def forward(self, x):
        super().forward(x)
        return np.dot(x, self.W)


class SoftmaxWithLossOfScores(layers.SoftmaxWithLoss):
    def forward(self, x, t):
        loss = super().forward(x, t)
        self.y = x
        return loss


def _softmax_whole_batch(x):
    e = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return e / np.sum(e)


class SoftmaxWithLossDividesByDout(layers.SoftmaxWithLoss):
    def backward(self, dout=1):
        return super().backward(1.0) / dout


class AffineDbScalar(layers.Affine):
    def backward(self, dout):
        dx = super().backward(dout)
        self.db = np.sum(dout)
        return dx


class SoftmaxWithLossDoubled(layers.SoftmaxWithLoss):
    def forward(self, x, t):
        self.loss = 2 * super().forward(x, t)
        return self.loss


class AffineDbNone(layers.Affine):
    def backward(self, dout):
        dx = super().backward(dout)
        self.db = None
        return dx


class AffineDbWithBatchAxis(layers.Affine):
    def backward(self, dout):
        dx = super().backward(dout)
        self.db = np.broadcast_to(self.db, (2,) + self.db.shape).copy()
        return dx


def _mutates_x(x):
    """test_edge_cases' check of numerical_gradient restoring x, on code that leaves x + h behind."""
    with checks.assert_not_mutated("numerical_gradient", "restore x[idx] = tmp_val, not x[idx] += h", x=x):
        x[0] += 1e-4


def _forwarded(cls):
    """An instance of cls after a forward with labels on scores of +-1e4 (for lc.label_backward)."""
    layer = cls()
    layer.forward(np.eye(3) * 1e4, np.array([0, 1, 2]))
    return layer


def _train_step(returned):
    from train_neuralnet import train_step

    def step(network, x_batch, t_batch, learning_rate):
        loss = train_step(network, x_batch, t_batch, learning_rate)
        return returned if returned != "loss" else loss
    return step


def _sum_cross_entropy(y, t):
    import functions
    return functions.cross_entropy_error(y, t) * len(t)


def other_messages():
    """(what, message) of the other shapes the checks, the classifiers and the kata write."""
    from two_layer_net import TwoLayerNet

    W, B, G = np.ones((4, 5)), np.zeros(5), np.ones((3, 5))
    A3 = np.array([[1.0, -2.0, 3.0], [0.5, 4.0, -1.0]])
    tol = lc.GRAD_VS_NUMERIC
    plugin = KataPlugin(Settings.from_env({}))
    learner = {"learner": True}
    out = [
        ("relu forward inverted", failure(lc.check_relu, ReluInvertedForward, XE, GE)),
        ("relu backward inverted", failure(lc.check_relu, ReluInvertedBackward, XE, GE)),
        ("relu forward at 0", failure(lc.check_relu_kink, ReluIdentityForward)),
        ("relu dx at -1, 0, 2", failure(lc.check_relu_kink, ReluOnesBackward)),
        ("sigmoid factor (1 - out)", failure(lc.check_sigmoid, SigmoidMissingOneMinusOut, XE, GE)),
        ("mul dy", failure(lc.check_mul_layer, MulLayerDyNotSwapped, XE, YE, GE)),
        ("relu mask kept", failure(lc.check_relu, ReluMaskOnce, XE, GE)),
        ("relu dout zeroed", failure(lc.check_relu_keeps_its_inputs, ReluZeroesAllDout, XE, GE)),
        ("sigmoid nan", failure(lc.check_sigmoid_far_out, SigmoidNan)),
        ("label +1", failure(lc.check_softmax_with_loss_labels, _label_branch(_plus_one), LOGITS,
                             np.array([0, 2, 1, 2]))),
        ("label not / N, N == C", failure(lc.check_softmax_with_loss_labels, _label_branch(_not_divided),
                                          LOGITS[:3], np.array([0, 2, 1]))),
        ("label 10 classes", failure(lc.check_softmax_with_loss_labels, _label_branch(_ten_classes), LOGITS,
                                     np.array([0, 2, 1, 2]))),
        ("label 10 classes, huge", failure(lc.label_backward, _forwarded(_label_branch(_ten_classes)),
                                           lc.softmax_rows(np.eye(3) * 1e4), np.array([0, 1, 2]), 1.0,
                                           "with labels t of shape (3,), logits +-1e4")),
        ("divides by dout", failure(lc.check_softmax_with_loss, SoftmaxWithLossDividesByDout, LOGITS, ONE_HOT, 2.5)),
        ("db scalar", failure(lc.check_affine, AffineDbScalar, np.ones((3, 4)), W, B, G)),
        ("sigmoid (1 + out)", failure(lc.check_sigmoid, SigmoidOnePlusOut, XE, GE)),
        ("affine no bias", failure(lc.check_affine, AffineNoBias, np.ones((3, 4)), W, B + 1.0, G)),
        ("softmax whole batch", failure(lc.check_softmax, _softmax_whole_batch, LOGITS)),
        ("swl of scores", failure(lc.check_softmax_with_loss, SoftmaxWithLossOfScores, LOGITS, ONE_HOT)),
        ("db None", failure(lc.check_affine, AffineDbNone, np.ones((3, 4)), W, B, G)),
        ("db extra axis", failure(lc.check_affine, AffineDbWithBatchAxis, np.ones((3, 4)), W, B, G)),
        ("cross entropy sum", failure(lc.check_cross_entropy, _sum_cross_entropy, np.full((2, 3), 1 / 3),
                                      np.array([0, 2]))),
        ("train_step None", failure(lc.check_train_step, _train_step(None), TwoLayerNet)),
        ("train_step neither", failure(lc.check_train_step, _train_step(123.0), TwoLayerNet)),
        ("train_step loss up", failure(lc.check_train_step, _train_step("loss"), TwoLayerNet, -0.1)),
        ("wrong dtype", failure(checks.assert_grad_close, "X dx", np.array(["a"]), np.ones(1), tol)),
        ("wrong dtype forward", failure(checks.assert_close, "X.forward", np.array(["a"]), np.ones(1), tol)),
        ("scalar", failure(checks.assert_close, "loss", 1.0, 2.0, tol)),
        ("reshape", failure(checks.assert_grad_close, "Affine dx", np.ones((2, 12)), np.ones((2, 3, 4)), tol)),
        ("all zero", failure(checks.assert_grad_close, "X dx", np.zeros_like(A3), A3, tol)),
        ("constant factor", failure(checks.assert_grad_close, "X dx", 3 * A3, A3, tol)),
        ("nonfinite", failure(checks.assert_grad_close, "X dx", np.where(A3 > 3, np.nan, A3), A3, tol)),
        ("forward shape", failure(checks.assert_close, "X.forward", np.ones(2), np.ones(3), tol)),
        ("loss value", failure(lc.check_softmax_with_loss, SoftmaxWithLossDoubled, LOGITS, ONE_HOT)),
        ("float32", failure(checks.numeric_grad, lambda v: 0.0, np.ones(2, dtype=np.float32))),
        ("vjp shape", failure(checks.numeric_vjp, lambda v: np.ones(3), np.ones(2), np.ones(2))),
        ("grad shape", failure(checks.numeric_grad, lambda v: v, np.ones(2))),
        ("sigmoid overflow", failure(checks.call_checked, "sigmoid", lambda: np.exp(np.array([1e3])))),
        ("Sigmoid overflow", failure(checks.call_checked, "Sigmoid.forward", lambda: np.exp(np.array([1e3])))),
        ("SWL overflow", failure(checks.call_checked, "SoftmaxWithLoss.forward", lambda: np.exp(np.array([1e3])))),
        ("SWL log 0", failure(checks.call_checked, "SoftmaxWithLoss.forward", lambda: np.log(np.zeros(1)))),
        ("no advice", failure(checks.call_checked, "Affine.backward", lambda: np.exp(np.array([1e3])))),
    ]

    def mutate_shape(a):
        with checks.assert_not_mutated("f", a=a):
            a.resize(3, refcheck=False)

    def mutate(a):
        with checks.assert_not_mutated("f", a=a):
            a[0] = 5.0

    out += [("mutated shape", failure(mutate_shape, np.array([1.0, 2.0]))),
            ("mutated", failure(mutate, np.array([1.0, 2.0])))]
    # the plugin's own words
    out += [
        ("no attribute", plugin._crash_advice(AttributeError("'Affine' object has no attribute 'x'"), learner)),
        ("None on self", plugin._crash_advice(TypeError("unsupported operand type(s) for *: 'NoneType' and 'float'"),
                                              {"learner": True, "source": "dx = dout * self.out"})),
        ("shapes", plugin._crash_advice(ValueError("shapes (3,4) and (5,4) not aligned: 4 (dim 1) != 5 (dim 0)"),
                                        learner)),
        ("None.T", plugin._crash_advice(AttributeError("'NoneType' object has no attribute 'T'"),
                                        {"learner": True, "source": "self.dW = np.dot(self.x.T, dout)"})),
        ("None.shape", plugin._crash_advice(AttributeError("'NoneType' object has no attribute 'shape'"), learner)),
        ("None returned", plugin._crash_advice(AttributeError("'NoneType' object has no attribute 'tolist'"),
                                               {"learner": False, "source": "assert dx.tolist() == [1.5, -2.0]"})),
        ("long line", plugin._message(AssertionError("[" + "0.5, " * 200 + "]"))),
        ("did not raise", plugin.classify(type("Info", (), {"value": pytest.fail.Exception(
            "DID NOT RAISE <class 'ValueError'>")})(), None)[1]),
        ("more lines", plugin._message(AssertionError("\n".join(["likely mistake: it has the transposed shape: "
                                                                  "check the order of the matrix product"] * 45)))),
        ("stub", stubs.STUB_MESSAGE.format(ex="5.6.2", name="Affine.backward")),
        ("exit at import", ExitAtImport.sentence("/ws/layers.py", 180, "sys.exit()")),
        # names and references of the check screens that no wrong code here reaches
        ("own forward", "SoftmaxWithLoss dx (vs its own forward): 1 of 12 values differ from the numerical gradient"),
        ("own forward, labels", "SoftmaxWithLoss dx with labels t of shape (4,) (vs its own forward): 1 of 12 values "
                                "differ from the numerical gradient"),
    ]
    return out


# The names and references the other test modules give the checks (tests/test_edge_cases.py,
# test_book_numbers.py, test_two_layer_net.py, test_gradient_check.py), as they write them.
NAMES = ["Sigmoid dx at +-1000, +-40 (saturated: ~0)", "SoftmaxWithLoss loss of logits +-1e4",
         "SoftmaxWithLoss dx, logits +-1e4", "softmax of logits +-1e4", "softmax of logits +-1e4, one row",
         "softmax of large scores", "softmax row sums", "softmax(x) for x of shape (3,)",
         "cross_entropy_error of one sample", "cross_entropy_error with y[correct] == 0",
         "loss, labels vs one-hot (N == C)", "SoftmaxWithLoss dx, labels vs one-hot (N == C)",
         "SoftmaxWithLoss dx vs the book's loss", "loss with labels", "loss with one-hot",
         "predict after b2[1] += 2.5", "predict of (N,1,4,4) vs of (N,16)",
         "Affine db for dY = [[1, 2, 3], [4, 5, 6]]"]
REFERENCES = ["book's dB = [5, 7, 9]", "book's gradient", "analytic 2x", "gradient with one-hot targets",
              "centred difference of net.loss, h = 1e-4"]


def other_module_messages():
    tol = lc.GRAD_VS_NUMERIC
    out = [(name, failure(checks.assert_close, name, np.array([1.0, 3.0]), np.array([1.0, 2.0]), tol))
           for name in NAMES]
    out += [(ref, failure(checks.assert_grad_close, "X dx", np.array([1.0, 3.0]), np.array([1.0, 2.0]), tol,
                          reference=ref)) for ref in REFERENCES]
    out += [
        ("allclose", failure(np.testing.assert_allclose, np.ones(3), np.array([1.0, 2.0, 3.0]), 1e-7, 0, True,
                             "W1")),
        ("array_equal shape", failure(np.testing.assert_array_equal, np.ones(3), np.ones(4), "W1")),
        ("array_equal", failure(np.testing.assert_array_equal, np.ones(2), np.array([1.0, 2.0]))),
        # the messages of their own asserts, as their f-strings write them
        ("params new array",
         "params['W1'] is a new array: update it in place (-=), the Affine layers hold the old one"),
        ("sgd step", failure(np.testing.assert_allclose, np.ones(2), np.array([1.0, 2.0]), 1e-12, 1e-15, True,
                             "params['W1'] after one step is not params - lr * grad")),
        ("loss as a number", "train_step should return the loss as a number, got NoneType"),
        ("gradient times loss", failure(checks.assert_grad_close, "TwoLayerNet.gradient W1", np.array([1.5, 3.0]),
                                        np.array([1.0, 2.0]), lc.SOFTMAX_LOSS_DELTA_BIAS,
                                        reference="centred difference of net.loss",
                                        candidates={"it is the right gradient times the loss (1.5): backprop starts "
                                                    "from dout = 1, dout = self.lastLayer.backward(1)":
                                                    np.array([1.5, 3.0])})),
        ("restore", failure(_mutates_x, np.array([1.0, 2.0]))),
        ("python's own error", "TypeError: unsupported operand type(s) for *: 'float' and 'NoneType'\n"
                               "  likely mistake: one of self.x, self.y is still None on this line: did forward store "
                               "it (backward sees only what forward kept on self)?"),
        # the graphs' error edges, as kata/graph.py writes them
        ("graph raised", "forward(): ZeroDivisionError: boom"),
        ("graph None", "forward() returned None"),
        ("graph not a number", "backward()'s dx returned str, not a number or array"),
        ("graph shape", "self.db after backward(): wrong shape (2, 3), expected (3,)"),
        ("graph pair", "backward() returned ndarray, expected the pair (dx, dy)"),
        ("graph attr None", "self.db is None after backward()"),
        ("gradient keys", "gradient() returned the keys ['W1', 'W2'], expected ['W1', 'W2', 'b1', 'b2'] (one gradient "
                          "per parameter)"),
        ("gradient other shape", "grads['W1'] has shape (5, 4), expected (6, 5)\n  likely mistake: that is W2's "
                                 "shape; check which layer's dW or db each key takes"),
        ("gradient shape", "grads['b1'] has shape (3,), expected (5,)"),
        ("gradient check", "mean |backprop - numerical| above 1e-06 for ['W1']; all: {'W1': 0.3, 'b1': 1e-10}"),
        ("replaced", "W1 was replaced by a new array\nassert <built-in method ...> is array([1.])"),
        ("lines", "expected the lines W1:<float> b1:<float> W2:<float> b2:<float>, got ['W1:0.1']"),
        ("sigmoid saturated", "Sigmoid.forward([-1000, 1000]) gave [0.5, 0.5], expected [0.0, 1.0]"),
        ("softmax order", "softmax must keep the order of the scores\nassert False"),
        ("script", "python buy_apple.py failed (exit 1):\nTraceback (most recent call last):"),
        ("script lines", "python buy_apple.py did not print the book's line '220.00000000000003'; it printed:\n"
                         "    220.0"),
    ]
    return out


@pytest.fixture(scope="module")
def all_messages(typed_modules, book_layers):
    return (catalog_messages() + typed_messages(typed_modules) + other_messages() + other_module_messages()
            + absent_messages(book_layers))


# ---------------------------------------------------------------- (a) nothing left in English
def test_the_english_sentence_detector_sees_every_original(typed_modules):
    """The check below can fail: each English original of the catalogs holds an English sentence."""
    for what, text in catalog_messages() + typed_messages(typed_modules):
        assert english_sentences(text), (what, text)
    assert english_sentences("likely mistake: `dout` was ignored by the layer") == ["was ignored by the layer"]
    assert english_sentences("예상되는 실수: the sign is flipped") == ["the sign is flipped"]
    assert english_sentences("값 12개 중 3 of 12 values wrong") == ["of  values wrong"]  # the 12 dropped
    assert english_sentences("예상되는 실수: dx = dout @ W, np.sum(dout, axis=0), layers.py:12 Affine.backward") == []


@pytest.mark.parametrize("code, script", [("ko", HANGUL), ("ja", KANA)])
def test_every_diagnosis_is_translated(all_messages, code, script):
    untranslated = []
    for what, text in all_messages:
        shown = translate(text, code)
        left = english_sentences(shown)
        if left or not script.search(shown) or "likely mistake" in shown:
            untranslated.append(f"{what}: {left}\n{shown}")
    assert not untranslated, "\n\n".join(untranslated)


def test_the_catalogs_are_all_covered(all_messages):
    """Every mistake of both catalogs is among the messages (and, in both surroundings, every typed one)."""
    seen = {what for what, _ in all_messages}
    assert {m.id for m in MISTAKES} <= seen
    assert {f"{kind}:{i}" for kind in ("reference", "book") for i in TYPED} <= seen


def test_code_numbers_and_shapes_survive_the_translation(all_messages):
    """Code, numbers, shapes stay exactly as they are: every such token of the English is in the Korean."""
    for what, text in all_messages:
        for code in ("ko", "ja"):
            shown = translate(text, code)
            kept = [tok for tok in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?|\w+\.\w+(?:\.\w+)*|\(\w*, ?\w*\)", text)]
            missing = [tok for tok in kept if tok not in shown and tok != "e.g"]
            assert not missing, (what, code, missing, shown)


def _used_templates(line, used):
    body = line.lstrip()
    for index, (regex, _) in enumerate(diagnoses.COMPILED):
        m = regex.fullmatch(body)
        if m:
            used.add(index)
            for name, value in m.groupdict().items():
                if name in diagnoses.SENTENCES:
                    _used_templates(value, used)
            return


def test_every_template_is_used_by_a_real_message(all_messages):
    """No template for a message nobody writes (a stale one would hide a changed English text)."""
    used = set()
    for _, text in all_messages:
        for line in text.split("\n"):
            _used_templates(line, used)
    unused = [diagnoses.TEMPLATES[i][0] for i in range(len(diagnoses.TEMPLATES)) if i not in used]
    assert not unused, unused


# ---------------------------------------------------------------- (b) the templates themselves
@pytest.mark.parametrize("en, ko, ja", diagnoses.TEMPLATES, ids=[t[0][:40] for t in diagnoses.TEMPLATES])
def test_each_template_keeps_its_placeholders_in_every_language(en, ko, ja):
    assert diagnoses.placeholders(en) == diagnoses.placeholders(ko) == diagnoses.placeholders(ja)
    assert HANGUL.search(ko) and not KANA.search(ko), ko
    assert KANA.search(ja) or re.search(r"[\u4e00-\u9fff]", ja), ja
    assert set(diagnoses._compile(en).groupindex) == diagnoses.placeholders(en)


def test_the_english_templates_are_distinct():
    english = [t[0] for t in diagnoses.TEMPLATES]
    assert len(english) == len(set(english))


# ---------------------------------------------------------------- (c) English, and unknown lines
def test_english_is_shown_unchanged(all_messages):
    for _, text in all_messages:
        assert translate(text, "en") == text
        assert translate(text, "xx") == text  # a language without translations: English


def test_an_unknown_line_passes_through_and_the_indentation_stays():
    text = ("AttributeError: 'Affine' object has no attribute 'x'\n"
            "  likely mistake: the sign is flipped (e.g. t - y instead of y - t, or x - h instead of x + h)\n"
            "    something new the tests will say one day\n")
    shown = translate(text, "ko").split("\n")
    # Python's own report of the exception is quoted as code, its words as Python wrote them
    assert shown[0] == "Python: `AttributeError: 'Affine' object has no attribute 'x'`"
    assert shown[1].startswith("  예상되는 실수: 부호가 반대입니다")
    assert shown[2] == "    something new the tests will say one day"
    assert shown[3] == ""
    assert translate("", "ko") == ""


def test_a_sentence_inside_a_template_is_translated_and_code_is_not():
    shown = translate("Affine db: wrong shape: expected (5,), got (3, 5) (the shape of what it is the gradient "
                      "of)", "ja")
    assert shown == ("Affine db: 形状が違います: 期待される形状は(5,)、実際は(3, 5)"
                     "（勾配は微分する対象と同じ形状になります）")
    # a repeated placeholder must repeat the same text, else the line is not this template's
    assert translate("4 times too large, and 3 is the batch size: the division by the batch size is missing",
                     "ko").startswith("4 times")


# ---------------------------------------------------------------- (d) on the learner's screen
def test_check_shows_a_korean_diagnosis(tmp_path):
    ws = tmp_path / "ws"
    wsmod.init(ws)
    book_forms.write_book_workspace(ws, exercises=["5.4.1"])
    module, qualname, source = TYPED["mul-not-swapped"]
    path = ws / f"{module}.py"
    path.write_text(stubs.replace_function(path.read_text(encoding="utf-8"), qualname, source), encoding="utf-8")
    env = {**os.environ, "KATA_LANG": "ko", "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run([sys.executable, "-m", "kata", "--workspace", str(ws), "check", "5.4.1", "--fast"],
                          cwd=ROOT, capture_output=True, text=True, encoding="utf-8", env=env, timeout=300)
    assert done.returncode == 1, done.stdout + done.stderr
    diagnosis = [line for line in done.stdout.splitlines() if "dout * x" in line and "MulLayer.backward" in line]
    assert diagnosis and all(HANGUL.search(line) for line in diagnosis), done.stdout
    assert "likely mistake" not in done.stdout and "values differ from" not in done.stdout, done.stdout
