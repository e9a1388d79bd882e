"""The catalog of classic WRONG implementations, and proof that the suite catches each one.

Every entry of MISTAKES builds a broken variant of a reference layer or
function (a subclass or a replacement with ONE classic mistake), runs the same
check the real tests use (layer_checks.py) on a fixed example, and requires
  1. the check fails, and
  2. its message names the mistake (the entry's keyword).
The same check must pass for the reference, so no check can fail for
unrelated reasons. The kata tooling can reuse MISTAKES (e.g. to show a learner
what a diagnosis looks like).
"""
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pytest

import checks
import functions
import gradient
import layer_checks as lc
import layers
from strategies import one_hot


@dataclass(frozen=True)
class Mistake:
    id: str
    exercise: str          # kata/manifest.py id
    description: str
    build: Callable        # () -> the broken class or function
    reference: Callable    # () -> the reference class or function it breaks
    check: Callable        # (thing) -> None, raises AssertionError with a diagnosis
    keyword: str           # the diagnosis must contain this
    note: str = ""         # set when the "mistake" is the book's own code: an extra, a kata note (kata/notes.py)


# ---------------------------------------------------------------- examples
RNG = np.random.default_rng(20240605)
N, D, M = 3, 4, 5
X = RNG.uniform(-2, 2, (N, D))
W = RNG.uniform(-2, 2, (D, M))
B = RNG.uniform(-2, 2, M)
G = RNG.uniform(-2, 2, (N, M))
W_SQUARE = RNG.uniform(-2, 2, (D, D))
B_SQUARE = RNG.uniform(-2, 2, D)
G_SQUARE = RNG.uniform(-2, 2, (N, D))
G_NN = RNG.uniform(-2, 2, (N, N))          # batch size == width: db of the wrong axis has the right shape
W_NN = RNG.uniform(-2, 2, (D, N))
B_NN = RNG.uniform(-2, 2, N)
LOGITS = RNG.uniform(-2, 2, (4, 3))
LABELS = np.array([0, 2, 1, 2])
XE = RNG.uniform(-3, 3, (2, 3))           # elementwise layers: away from 0 (Relu's kink)
XE[np.abs(XE) < 0.1] = 0.5
YE = RNG.uniform(-3, 3, (2, 3))
GE = RNG.uniform(-2, 2, (2, 3))
HUGE_LOGITS = np.array([[1e4, -1e4, 0.0], [0.0, 1000.0, 999.0]])
ZERO_PROB = np.array([[0.0, 0.3, 0.7], [0.5, 0.5, 0.0]])


def _affine(W_, b_, G_):
    return lambda cls: lc.check_affine(cls, X, W_, b_, G_)


def _softmax_loss(t, dout=1.0):
    return lambda cls: lc.check_softmax_with_loss(cls, LOGITS, t, dout)


def _cube_gradient(fn):
    x = np.array([[1.5, -2.0], [0.7, 3.0]])
    lc.check_numerical_gradient(fn, lambda v: float(np.sum(v ** 3)), lambda v: 3 * v ** 2, x)


def _train_step(fn):
    from two_layer_net import TwoLayerNet
    lc.check_train_step(fn, TwoLayerNet)


# ---------------------------------------------------------------- broken variants
# Each broken class is complete (forward too), so it does not depend on the
# module under test: in kata mode `layers` is the learner's, which may not exist yet.
def _softmax(x):
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def affine_with(backward_body):
    """An Affine whose backward computes (dx, dW, db) = backward_body(self, dout)."""
    class BrokenAffine:
        def __init__(self, W, b):
            self.W, self.b = W, b

        def forward(self, x):
            self.original_x_shape = x.shape
            self.x = x.reshape(x.shape[0], -1)
            return self.x @ self.W + self.b

        def backward(self, dout):
            dx, self.dW, self.db = backward_body(self, dout)
            return dx.reshape(*self.original_x_shape)
    return BrokenAffine


def softmax_loss_with(backward_body):
    """A SoftmaxWithLoss whose backward is backward_body(y, one-hot t, N, dout)."""
    class BrokenSoftmaxWithLoss:
        def forward(self, x, t):
            self.y = _softmax(x)
            self.t = t if t.ndim == 2 else one_hot(t, x.shape[1])
            n = x.shape[0]
            self.loss = -np.sum(np.log(self.y[np.arange(n), self.t.argmax(axis=1)] + 1e-7)) / n
            return self.loss

        def backward(self, dout=1):
            return backward_body(self.y, self.t, self.t.shape[0], dout)
    return BrokenSoftmaxWithLoss


class ReluMutatesDout:
    def forward(self, x):
        self.mask = (x <= 0)
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):  # the book's exact code
        dout[self.mask] = 0
        return dout


class ReluStrictMask(ReluMutatesDout):
    def forward(self, x):
        self.mask = (x < 0)
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dx = dout.copy()
        dx[self.mask] = 0
        return dx


class SigmoidUsesInput:
    def forward(self, x):
        self.x = x
        return 1 / (1 + np.exp(-x))

    def backward(self, dout):
        return dout * (1.0 - self.x) * self.x


class MulLayerNotSwapped:
    def forward(self, x, y):
        self.x, self.y = x, y
        return x * y

    def backward(self, dout):
        return dout * self.x, dout * self.y


def softmax_without_max_shift(x):
    e = np.exp(x)
    return e / np.sum(e, axis=-1, keepdims=True)


def cross_entropy_without_delta(y, t):
    if y.ndim == 1:
        t, y = t.reshape(1, -1) if t.ndim == 1 else t.reshape(1), y.reshape(1, -1)
    if t.ndim == y.ndim:
        t = t.argmax(axis=1)
    return -np.sum(np.log(y[np.arange(y.shape[0]), t])) / y.shape[0]


def numerical_gradient_forward_difference(f, x):
    h = 1e-4
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        fx = f(x)
        tmp_val = x[idx]
        x[idx] = tmp_val + h
        grad[idx] = (f(x) - fx) / h
        x[idx] = tmp_val
    return grad


def numerical_gradient_not_restoring(f, x):
    h = 1e-4
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        tmp_val = x[idx]
        x[idx] = tmp_val + h
        fxh1 = f(x)
        x[idx] = tmp_val - h
        fxh2 = f(x)
        grad[idx] = (fxh1 - fxh2) / (2 * h)
        # missing: x[idx] = tmp_val
    return grad


def softmax_one_max(x):
    e = np.exp(x - np.max(x))  # one maximum for the whole batch
    return e / np.sum(e, axis=-1, keepdims=True)


class SigmoidSignFlipped:
    def forward(self, x):
        self.out = 1 / (1 + np.exp(x))
        return self.out

    def backward(self, dout):
        return dout * (1.0 - self.out) * self.out


class SigmoidMissingOut:
    def forward(self, x):
        self.out = 1 / (1 + np.exp(-x))
        return self.out

    def backward(self, dout):
        return dout * (1.0 - self.out)


def numerical_gradient_precedence(f, x):
    h = 1e-4
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        tmp_val = x[idx]
        x[idx] = tmp_val + h
        fxh1 = f(x)
        x[idx] = tmp_val - h
        fxh2 = f(x)
        grad[idx] = (fxh1 - fxh2) / 2*h  # noqa: E226 (the slip itself: divides by 2, multiplies by h)
        x[idx] = tmp_val
    return grad


def train_step_uphill(network, x_batch, t_batch, learning_rate):
    grad = network.gradient(x_batch, t_batch)
    for key in ("W1", "b1", "W2", "b2"):
        network.params[key] += learning_rate * grad[key]
    return network.lastLayer.loss


def train_step_rebinding(network, x_batch, t_batch, learning_rate):
    grad = network.gradient(x_batch, t_batch)
    for key in ("W1", "b1", "W2", "b2"):
        network.params[key] = network.params[key] - learning_rate * grad[key]
    return network.lastLayer.loss


def _reference_train_step():
    from train_neuralnet import train_step
    return train_step


def _ref(module, name):
    return lambda: getattr(module, name)


A, SWL = _ref(layers, "Affine"), _ref(layers, "SoftmaxWithLoss")
ONE_HOT = one_hot(LABELS, 3)

MISTAKES = [
    Mistake("affine-db-not-summed", "5.6.2", "Affine.backward: db = dout (no sum over the batch)",
            lambda: affine_with(lambda s, d: (d @ s.W.T, s.x.T @ d, d)), A, _affine(W, B, G),
            "summed over the batch"),
    Mistake("affine-db-one-row", "5.6.2", "Affine.backward: db = dout[0] (one row of dout)",
            lambda: affine_with(lambda s, d: (d @ s.W.T, s.x.T @ d, d[0])), A, _affine(W, B, G),
            "summed over the batch"),
    Mistake("affine-db-wrong-axis", "5.6.2", "Affine.backward: db = np.sum(dout, axis=1)",
            lambda: affine_with(lambda s, d: (d @ s.W.T, s.x.T @ d, d.sum(axis=1))), A, _affine(W, B, G),
            "wrong axis"),
    Mistake("affine-db-wrong-axis-square", "5.6.2",
            "Affine.backward: db = np.sum(dout, axis=1) when batch size == width (the shape is right)",
            lambda: affine_with(lambda s, d: (d @ s.W.T, s.x.T @ d, d.sum(axis=1))), A, _affine(W_NN, B_NN, G_NN),
            "wrong axis"),
    Mistake("affine-dW-transposed", "5.6.2", "Affine.backward: dW = dout.T @ x",
            lambda: affine_with(lambda s, d: (d @ s.W.T, d.T @ s.x, d.sum(axis=0))), A, _affine(W, B, G),
            "transposed"),
    Mistake("affine-dW-transposed-square", "5.6.2", "Affine.backward: dW = dout.T @ x, square W (the shape is right)",
            lambda: affine_with(lambda s, d: (d @ s.W.T, d.T @ s.x, d.sum(axis=0))), A,
            _affine(W_SQUARE, B_SQUARE, G_SQUARE), "transposed"),
    Mistake("affine-dx-uses-W", "5.6.2", "Affine.backward: dx = dout @ W (square W, so it runs)",
            lambda: affine_with(lambda s, d: (d @ s.W, s.x.T @ d, d.sum(axis=0))), A,
            _affine(W_SQUARE, B_SQUARE, G_SQUARE), "W.T"),
    Mistake("softmax-loss-no-batch-division", "5.6.3", "SoftmaxWithLoss.backward: (y - t) without / N",
            lambda: softmax_loss_with(lambda y, t, n, dout: dout * (y - t)), SWL, _softmax_loss(ONE_HOT),
            "batch size"),
    Mistake("softmax-loss-batch-division-twice", "5.6.3", "SoftmaxWithLoss.backward: (y - t) / N / N",
            lambda: softmax_loss_with(lambda y, t, n, dout: dout * (y - t) / n / n), SWL, _softmax_loss(ONE_HOT),
            "batch size"),
    Mistake("softmax-loss-sign-flipped", "5.6.3", "SoftmaxWithLoss.backward: (t - y) / N",
            lambda: softmax_loss_with(lambda y, t, n, dout: dout * (t - y) / n), SWL,
            _softmax_loss(ONE_HOT), "sign"),
    Mistake("softmax-loss-ignores-dout", "5.6.3", "SoftmaxWithLoss.backward: the book's (y - t) / N, dout dropped",
            lambda: softmax_loss_with(lambda y, t, n, dout: (y - t) / n), SWL, _softmax_loss(ONE_HOT, dout=2.5),
            "dout", note="scales-by-dout"),
    Mistake("relu-mutates-dout", "5.5.1", "Relu.backward: the book's dout[self.mask] = 0; return dout",
            lambda: ReluMutatesDout, _ref(layers, "Relu"), lambda cls: lc.check_relu_keeps_its_inputs(cls, XE, GE),
            "mutated", note="relu-keeps-dout"),
    Mistake("relu-strict-mask", "5.5.1",
            "Relu: mask x < 0 instead of x <= 0 (differs only at x == 0 exactly: a numerical "
            "gradient cannot see it, only the convention test at the kink)",
            lambda: ReluStrictMask, _ref(layers, "Relu"), lc.check_relu_kink, "x <= 0"),
    Mistake("sigmoid-uses-input", "5.5.2", "Sigmoid.backward: dout * (1 - x) * x instead of the output",
            lambda: SigmoidUsesInput, _ref(layers, "Sigmoid"), lambda cls: lc.check_sigmoid(cls, XE, GE),
            "must use the output"),
    Mistake("mul-not-swapped", "5.4.1", "MulLayer.backward: dx = dout * x, dy = dout * y (not swapped)",
            lambda: MulLayerNotSwapped, _ref(layers, "MulLayer"), lambda cls: lc.check_mul_layer(cls, XE, YE, GE),
            "swap"),
    Mistake("softmax-no-max-shift", "4.2", "softmax: exp(x) without subtracting the maximum",
            lambda: softmax_without_max_shift, _ref(functions, "softmax"),
            lambda fn: lc.check_softmax(fn, HUGE_LOGITS), "overflow"),
    Mistake("cross-entropy-no-delta", "4.2", "cross_entropy_error: log(y) without the 1e-7 delta",
            lambda: cross_entropy_without_delta, _ref(functions, "cross_entropy_error"),
            lambda fn: lc.check_cross_entropy(fn, ZERO_PROB, one_hot([0, 2], 3)), "delta"),
    Mistake("numerical-gradient-forward-difference", "4.4",
            "numerical_gradient: (f(x+h) - f(x)) / h instead of the centred difference",
            lambda: numerical_gradient_forward_difference, _ref(gradient, "numerical_gradient"),
            _cube_gradient, "forward difference"),
    Mistake("numerical-gradient-not-restoring", "4.4", "numerical_gradient: x[idx] never restored",
            lambda: numerical_gradient_not_restoring, _ref(gradient, "numerical_gradient"),
            _cube_gradient, "restored"),
    Mistake("softmax-one-max", "4.2", "softmax: np.max(x) of the whole batch instead of each row's",
            lambda: softmax_one_max, _ref(functions, "softmax"),
            lambda fn: lc.check_softmax(fn, HUGE_LOGITS), "whole batch"),
    Mistake("sigmoid-sign-flipped", "5.5.2", "Sigmoid.forward: 1 / (1 + exp(x))",
            lambda: SigmoidSignFlipped, _ref(layers, "Sigmoid"), lambda cls: lc.check_sigmoid(cls, XE, GE),
            "sign inside exp"),
    Mistake("sigmoid-missing-out", "5.5.2", "Sigmoid.backward: dout * (1 - out), the factor out missing",
            lambda: SigmoidMissingOut, _ref(layers, "Sigmoid"), lambda cls: lc.check_sigmoid(cls, XE, GE),
            "factor out is missing"),
    Mistake("numerical-gradient-precedence", "4.4", "numerical_gradient: (fxh1 - fxh2) / 2*h",
            lambda: numerical_gradient_precedence, _ref(gradient, "numerical_gradient"),
            _cube_gradient, "/ 2*h multiplies by h"),
    Mistake("train-step-uphill", "5.7.4", "train_step: params += lr * grad",
            lambda: train_step_uphill, _reference_train_step, _train_step, "uphill"),
    Mistake("train-step-rebinds-params", "5.7.4",
            "train_step: params[key] = params[key] - lr * grad (a new array the layers never see)",
            lambda: train_step_rebinding, _reference_train_step, _train_step, "in place"),
]


# Unmarked: the broken variants are self-contained, so these test the suite, not the
# learner (in the kata they would show a learner test ids naming mistakes they never made).
@pytest.mark.parametrize("mistake", [pytest.param(m, id=m.id) for m in MISTAKES])
def test_the_suite_rejects_the_mistake_and_names_it(mistake):
    with pytest.raises(AssertionError) as caught:
        mistake.check(mistake.build())
    message = str(caught.value)
    assert mistake.keyword in message, (
        f"{mistake.id}: the check failed, but its message does not name the mistake "
        f"(expected '{mistake.keyword}'):\n{message}")


def _marks(m):
    return [pytest.mark.exercise(m.exercise)] + ([pytest.mark.note(m.note)] if m.note else [])


@pytest.mark.parametrize("mistake", [pytest.param(m, id=f"check-{m.exercise}-{i}", marks=_marks(m))
                                     for i, m in enumerate(MISTAKES)])
def test_the_same_check_passes_for_the_reference(mistake):
    mistake.check(mistake.reference())


def test_catalog_ids_are_unique_and_name_real_exercises():
    from kata.manifest import EXERCISE_IDS

    assert len({m.id for m in MISTAKES}) == len(MISTAKES)
    assert {m.exercise for m in MISTAKES} <= set(EXERCISE_IDS)


# ---------------------------------------------------------------- the classifiers, directly
A3 = np.array([[1.0, -2.0, 3.0], [0.5, 4.0, -1.0]])


def test_batch_factor_names_a_missing_or_doubled_division():
    assert "missing" in checks.classify_batch_factor(4 * A3, A3, batch_size=4)
    assert "twice" in checks.classify_batch_factor(A3 / 4, A3, batch_size=4)
    assert checks.classify_batch_factor(3 * A3, A3, batch_size=4) is None
    assert checks.classify_batch_factor(A3, A3, batch_size=4) is None
    assert checks.classify_batch_factor(4 * A3, A3, batch_size=None) is None


def test_a_specific_diagnosis_replaces_the_generic_all_zero_one():
    """x = 0 (hypothesis shrinks to it) makes a missing swap, dx = dout * x, all zeros too."""
    zeros, right = np.zeros_like(A3), A3
    named = checks.likely_mistakes(zeros, right, candidates={"dx equals dout * x": zeros})
    assert named == ["dx equals dout * x"]
    generic = checks.likely_mistakes(zeros, right)  # nothing specific: the generic one stays
    assert len(generic) == 1 and generic[0].startswith("every value is 0")


def test_sign_flip():
    assert "sign" in checks.classify_sign_flip(-A3, A3)
    assert checks.classify_sign_flip(A3, A3) is None
    assert checks.classify_sign_flip(-2 * A3, A3) is None


def test_transposed_values_and_shapes():
    S = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert "transposed" in checks.classify_transposed(S.T, S)
    assert checks.classify_transposed(S, S) is None
    assert "transposed" in checks.classify_shape((3, 2), (2, 3))


def test_shape_classifier_for_the_bias_gradient():
    assert "summed over the batch" in checks.classify_shape((4, 3), (3,), dout_shape=(4, 3))
    assert "wrong axis" in checks.classify_shape((4,), (3,), dout_shape=(4, 3))
    assert "reshape" in checks.classify_shape((2, 12), (2, 3, 4))
    assert checks.classify_shape((5,), (3,)) is None


def test_not_summed_values():
    dout = np.array([[1.0, 2.0], [3.0, 5.0]])
    right = dout.sum(axis=0)
    assert "row 1" in checks.classify_not_summed(dout[1], right, dout)
    assert "wrong axis" in checks.classify_not_summed(dout.sum(axis=1), right, dout)
    assert checks.classify_not_summed(right, right, dout) is None


def test_dout_ignored():
    ones_grad = A3
    assert "dout" in checks.classify_dout_ignored(A3, 2.5 * A3, ones_grad)
    assert checks.classify_dout_ignored(2.5 * A3, 2.5 * A3, ones_grad) is None
    assert checks.classify_dout_ignored(A3, A3, ones_grad) is None  # dout was 1: nothing to tell


def test_all_zero_and_nonfinite():
    assert "0" in checks.classify_all_zero(np.zeros_like(A3), A3)
    assert checks.classify_all_zero(np.zeros_like(A3), np.zeros_like(A3)) is None
    assert "overflow" in checks.classify_nonfinite(np.array([1.0, np.nan, np.inf]))
    assert checks.classify_nonfinite(A3) is None


def test_candidates_match_only_when_they_explain_the_value_better():
    truth = np.array([1.0, 2.0])
    subtle = truth + 1e-4  # e.g. a forward difference
    assert checks.classify_candidates(subtle, truth, {"it": subtle}) == "it"
    assert checks.classify_candidates(subtle, truth, {"it": truth}) is None
    assert checks.classify_candidates(truth, truth, {"it": truth}) is None


def test_assert_grad_close_reports_shape_before_numbers():
    with pytest.raises(AssertionError, match=r"Affine db: wrong shape: expected \(3,\), got \(4, 3\)"):
        checks.assert_grad_close("Affine db", np.ones((4, 3)), np.ones(3), lc.GRAD_VS_NUMERIC)
    with pytest.raises(AssertionError, match="got None"):
        checks.assert_grad_close("Relu dx", None, np.ones(3), lc.GRAD_VS_NUMERIC)


def test_assert_grad_close_lists_the_worst_elements():
    numeric = np.array([[1.0, 2.0], [3.0, 4.0]])
    analytic = numeric.copy()
    analytic[1, 0] = 7.0
    with pytest.raises(AssertionError) as caught:
        checks.assert_grad_close("X dx", analytic, numeric, lc.GRAD_VS_NUMERIC)
    text = str(caught.value)
    assert "1 of 4 values differ" in text and "[1, 0]" in text and "7" in text


def test_assert_not_mutated_reports_the_change_and_passes_otherwise():
    a = np.array([1.0, 2.0])
    with checks.assert_not_mutated("f", a=a):
        a.copy()[0] = 5.0
    with pytest.raises(AssertionError, match="f mutated its input a in place"):
        with checks.assert_not_mutated("f", a=a):
            a[0] = 5.0


def test_numeric_grad_refuses_anything_but_float64():
    with pytest.raises(TypeError, match="float64"):
        checks.numeric_grad(lambda v: float(np.sum(v)), np.array([1.0, 2.0], dtype=np.float32))
