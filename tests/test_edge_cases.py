"""Edge cases: extreme values, 1-D inputs, wrong input, wrong call order.

Expected values come from plain formulas written here (layer_checks.py),
never from the code under test. Bad input must raise a clear error that names
what was expected.
"""
import math

import numpy as np
import pytest

import gradient
import layer_checks as lc
from checks import assert_close, assert_grad_close, assert_not_mutated, call_checked
from extras import ExtraAbsent, check_refuses, describe, outcome, raised_by_reference, same_values
from functions import cross_entropy_error, sigmoid, softmax
from layers import AddLayer, Affine, MulLayer, Relu, Sigmoid, SoftmaxWithLoss
from strategies import one_hot
from tolerances import FORWARD_VS_REFERENCE, GRAD_VS_NUMERIC

HUGE = np.array([[1e4, -1e4, 0.0], [0.0, 1e4, -1e4], [1000.0, 999.0, -1000.0]])
HUGE_LABELS = np.array([0, 0, 1])
LOG_DELTA = -math.log(lc.BOOK_DELTA)  # the loss of a zero probability: 16.11809565095832


# ---------------------------------------------------------------- extreme values
@pytest.mark.exercise("4.2")
def test_softmax_of_huge_logits_is_finite_and_right():
    y = call_checked("softmax", softmax, HUGE)
    assert_close("softmax of logits +-1e4", y, lc.softmax_rows(HUGE), FORWARD_VS_REFERENCE)
    assert_close("softmax of logits +-1e4, one row", call_checked("softmax", softmax, HUGE[0]),
                 np.array([1.0, 0.0, 0.0]), FORWARD_VS_REFERENCE)


@pytest.mark.exercise("5.6.3")
@pytest.mark.parametrize("as_one_hot", [pytest.param(False, marks=pytest.mark.note("label-targets")), True],
                         ids=["labels", "one-hot"])
def test_softmax_with_loss_of_huge_logits_is_finite_and_right(as_one_hot):
    t = one_hot(HUGE_LABELS, 3) if as_one_hot else HUGE_LABELS
    layer = SoftmaxWithLoss()
    loss = call_checked("SoftmaxWithLoss.forward", layer.forward, HUGE, t)
    y = lc.softmax_rows(HUGE)
    # row 1's correct class has probability exp(-1e4) == 0.0: the delta caps its loss at 16.1
    assert_close("SoftmaxWithLoss loss of logits +-1e4", loss, lc.cross_entropy_rows(y, list(HUGE_LABELS)),
                 FORWARD_VS_REFERENCE)
    if as_one_hot:
        dx = call_checked("SoftmaxWithLoss.backward", layer.backward, 1.0)
    else:  # N == C == 3: one-hot-only code broadcasts the labels over the rows (an extra absent, not a mistake)
        dx = lc.label_backward(layer, y, HUGE_LABELS, 1.0, "with labels t of shape (3,), logits +-1e4")
    assert_grad_close("SoftmaxWithLoss dx, logits +-1e4", dx, (y - one_hot(HUGE_LABELS, 3)) / 3,
                      FORWARD_VS_REFERENCE, reference="(softmax(x) - t) / N",
                      candidates=None if as_one_hot else lc.label_candidates(y, HUGE_LABELS))


@pytest.mark.exercise("4.2")
def test_cross_entropy_error_of_zero_probability_is_finite():
    y = np.array([[0.0, 1.0, 0.0], [0.2, 0.0, 0.8]])
    loss = call_checked("cross_entropy_error", cross_entropy_error, y, one_hot([0, 2], 3))
    assert_close("cross_entropy_error with y[correct] == 0", loss,
                 (LOG_DELTA - math.log(0.8 + lc.BOOK_DELTA)) / 2, FORWARD_VS_REFERENCE)


def test_sigmoid_function_saturates_to_exactly_0_and_1_without_warnings():
    out = call_checked("sigmoid", sigmoid, np.array([-1000.0, 0.0, 1000.0]))
    assert out.tolist() == [0.0, 0.5, 1.0]


@pytest.mark.exercise("5.5.2")
@pytest.mark.note("sigmoid-no-overflow")
def test_sigmoid_layer_at_plus_minus_1000():
    lc.check_sigmoid_far_out(Sigmoid)


# ---------------------------------------------------------------- no mutation
@pytest.mark.exercise("5.5.1")
@pytest.mark.note("relu-keeps-dout")
def test_relu_mutates_neither_x_nor_dout():
    x = np.array([[1.0, -0.5, 0.0], [-2.0, 3.0, -1e-9]])
    dout = np.array([[0.3, 0.4, 0.5], [0.6, 0.7, 0.8]])
    lc.check_relu_keeps_its_inputs(Relu, x, dout)
    assert_close("Relu dx", _relu_dx(x, dout), np.array([[0.3, 0.0, 0.0], [0.0, 0.7, 0.0]]), FORWARD_VS_REFERENCE)


def _relu_dx(x, dout):
    layer = Relu()
    layer.forward(x.copy())
    return layer.backward(dout.copy())


# ---------------------------------------------------------------- one sample vs a batch of one
@pytest.mark.exercise("4.2")
def test_softmax_of_one_sample_equals_a_batch_of_one():
    x = np.array([0.3, 2.9, 4.0])
    assert_close("softmax(x) for x of shape (3,)", softmax(x), softmax(x[np.newaxis])[0], FORWARD_VS_REFERENCE)
    assert_close("softmax(x) for x of shape (3,)", softmax(x), lc.softmax_rows(x), FORWARD_VS_REFERENCE)


@pytest.mark.exercise("4.2")
@pytest.mark.parametrize("target", ["one-hot", pytest.param("label", marks=pytest.mark.note("label-targets")),
                                    pytest.param("python int", marks=pytest.mark.note("int-label"))])
def test_cross_entropy_error_of_one_sample_equals_a_batch_of_one(target):
    y = np.array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0])
    t = {"one-hot": one_hot([2], 10)[0], "label": np.int64(2), "python int": 2}[target]
    t_batch = one_hot([2], 10) if target == "one-hot" else np.array([2])
    if target == "label":  # labels are the batch form's; the one-hot form (4.2.4) reads them as rows
        lc.check_cross_entropy_labels(cross_entropy_error, y, t)
        lc.check_cross_entropy_labels(cross_entropy_error, y[np.newaxis], t_batch)
    if target == "python int":  # the book's t.reshape fails on an int: an extra absent, unless a value comes out
        kind, single = outcome(lambda: cross_entropy_error(y, t))
        if kind == "raised" and isinstance(single, (AttributeError, TypeError)):
            raise ExtraAbsent("int-label", f"cross_entropy_error(y, 2) with a Python int label raised {describe(single)}")
        if kind == "raised":
            raise single
    single = cross_entropy_error(y, t)
    assert_close("cross_entropy_error of one sample", single, cross_entropy_error(y[np.newaxis], t_batch),
                 FORWARD_VS_REFERENCE)
    assert_close("cross_entropy_error of one sample", single, -math.log(0.6 + lc.BOOK_DELTA), FORWARD_VS_REFERENCE)


# ---------------------------------------------------------------- labels vs one-hot when N == C
@pytest.mark.exercise("5.6.3")
@pytest.mark.note("label-targets")
def test_label_targets_with_batch_size_equal_to_class_count_match_one_hot():
    # With N == C, a test that tells labels from one-hot by comparing a length with
    # the class count (instead of t.ndim with y.ndim) takes the wrong branch: the
    # seed's bug. Labels and one-hot must give the same loss and gradient (where the
    # code has a label branch at all: check_softmax_with_loss_labels tells).
    x = np.array([[0.1, 2.0, -1.0], [1.5, 0.2, 0.3], [-0.7, 0.0, 0.9]])
    labels = np.array([2, 0, 1])
    lc.check_softmax_with_loss_labels(SoftmaxWithLoss, x, labels)
    by_labels, by_one_hot = SoftmaxWithLoss(), SoftmaxWithLoss()
    assert_close("loss, labels vs one-hot (N == C)", by_labels.forward(x, labels),
                 by_one_hot.forward(x, one_hot(labels, 3)), FORWARD_VS_REFERENCE)
    assert_grad_close("SoftmaxWithLoss dx, labels vs one-hot (N == C)", by_labels.backward(1.0),
                      by_one_hot.backward(1.0), GRAD_VS_NUMERIC, reference="gradient with one-hot targets")


# ---------------------------------------------------------------- numerical_gradient input
@pytest.mark.exercise("4.4")
@pytest.mark.note("float-only")
def test_numerical_gradient_refuses_an_integer_array():
    """Right: refused (TypeError/ValueError), or the float gradient [6, 8] of a converted copy;
    absent: anything else, as the book's code gives (x + h is truncated back to an integer, so
    its "gradient" is garbage such as [25000, 35000]): the code does not handle integer arrays."""
    x = np.array([3, 4])
    kind, grad = outcome(lambda: gradient.numerical_gradient(lambda v: float(np.sum(v ** 2)), x))
    if kind == "raised":
        if isinstance(grad, AssertionError) or not isinstance(grad, (TypeError, ValueError)):
            raise grad
        if raised_by_reference(grad):  # the reference's own words
            assert "float" in str(grad), describe(grad)
        return
    if not same_values(grad, [6.0, 8.0]):
        got = np.asarray(grad)
        raise ExtraAbsent("float-only", f"numerical_gradient of sum(x**2) at the integer array [3, 4] returned "
                          f"{got.tolist()} (dtype {got.dtype}), not [6.0, 8.0]")


# The reference's own extra (the book takes float32 silently): not a kata exercise.
def test_numerical_gradient_warns_about_float32():
    with pytest.warns(RuntimeWarning, match="float64"):
        gradient.numerical_gradient(lambda x: float(np.sum(x ** 2)), np.array([3.0, 4.0], dtype=np.float32))


@pytest.mark.exercise("4.4")
def test_numerical_gradient_restores_x_bit_for_bit():
    x = np.array([[0.1, 1 / 3], [1e-300, 12345.678901234]])  # values where x + h - h != x
    with assert_not_mutated("numerical_gradient", "restore x[idx] = tmp_val, not x[idx] += h", x=x):
        gradient.numerical_gradient(lambda v: float(np.sum(np.sin(v))), x)


# ---------------------------------------------------------------- backward before forward
STATEFUL = {
    "5.4.1": lambda: MulLayer().backward(1.0),
    "5.5.1": lambda: Relu().backward(np.ones(2)),
    "5.5.2": lambda: Sigmoid().backward(np.ones(2)),
    "5.6.2": lambda: Affine(np.ones((2, 3)), np.zeros(3)).backward(np.ones((1, 3))),
    "5.6.3": lambda: SoftmaxWithLoss().backward(1.0),
}


@pytest.mark.parametrize("exercise", [pytest.param(ex, marks=[pytest.mark.exercise(ex), pytest.mark.note("clear-errors")],
                                                  id=ex) for ex in STATEFUL])
def test_backward_before_forward_says_call_forward_first(exercise):
    check_refuses(f"{exercise}: backward before forward", STATEFUL[exercise], RuntimeError, "call forward first")


@pytest.mark.exercise("5.4.2")
def test_add_layer_needs_no_forward():
    dx, dy = AddLayer().backward(np.array([1.5, -2.0]))
    assert dx.tolist() == [1.5, -2.0] and dy.tolist() == [1.5, -2.0]


# ---------------------------------------------------------------- bad input -> a clear ValueError
def _affine_after_forward():
    layer = Affine(np.ones((4, 3)), np.zeros(3))
    layer.forward(np.ones((2, 4)))
    return layer


def _relu_after_forward():
    layer = Relu()
    layer.forward(np.ones((2, 3)))
    return layer


def _sigmoid_after_forward():
    layer = Sigmoid()
    layer.forward(np.ones((2, 3)))
    return layer


X23 = np.zeros((2, 3))
BAD_INPUT = [
    ("5.4.1", "MulLayer scalar times array", lambda: MulLayer().forward(np.array([100.0, 150.0]), 2),
     r"MulLayer.forward: expected y of shape \(2,\), got \(\)"),
    ("5.4.2", "AddLayer row plus matrix", lambda: AddLayer().forward(np.ones(3), X23),
     r"AddLayer.forward: expected y of shape \(3,\), got \(2, 3\)"),
    ("5.6.2", "Affine b of the wrong shape", lambda: Affine(np.ones((4, 3)), np.zeros(4)),
     r"Affine: expected b of shape \(3,\), got \(4,\)"),
    ("5.6.2", "Affine x of the wrong width", lambda: Affine(np.ones((4, 3)), np.zeros(3)).forward(np.ones((2, 5))),
     r"expected x of shape \(N, 4\).*got \(2, 5\)"),
    ("5.6.2", "Affine tensor x of the wrong size",
     lambda: Affine(np.ones((4, 3)), np.zeros(3)).forward(np.ones((2, 1, 3, 3))), r"got \(2, 1, 3, 3\)"),
    ("5.6.2", "Affine 1-D x", lambda: Affine(np.ones((4, 3)), np.zeros(3)).forward(np.ones(4)),
     r"expected a batch x of shape \(N, 4\).*got \(4,\).*x\[np.newaxis\]"),
    ("5.6.2", "Affine empty batch", lambda: Affine(np.ones((4, 3)), np.zeros(3)).forward(np.ones((0, 4))),
     r"Affine.forward: expected a batch x of shape \(N, 4\) with N >= 1, got \(0, 4\)"),
    ("5.6.2", "Affine dout of the wrong shape", lambda: _affine_after_forward().backward(np.ones((2, 4))),
     r"Affine.backward: expected dout of shape \(2, 3\), got \(2, 4\)"),
    ("5.5.1", "Relu dout of the wrong shape", lambda: _relu_after_forward().backward(np.ones((3, 2))),
     r"Relu.backward: expected dout of shape \(2, 3\), got \(3, 2\)"),
    ("5.5.2", "Sigmoid dout of the wrong shape", lambda: _sigmoid_after_forward().backward(np.ones(3)),
     r"Sigmoid.backward: expected dout of shape \(2, 3\), got \(3,\)"),
    ("5.6.3", "SoftmaxWithLoss 1-D x", lambda: SoftmaxWithLoss().forward(np.zeros(3), np.array(1)),
     r"SoftmaxWithLoss.forward: expected x of shape \(N, C\), got \(3,\)"),
    ("5.6.3", "SoftmaxWithLoss targets of the wrong shape", lambda: SoftmaxWithLoss().forward(X23, np.zeros((2, 4))),
     r"expected t of shape one-hot \(2, 3\) or labels \(2,\) for y \(2, 3\), got \(2, 4\)"),
    ("5.6.3", "SoftmaxWithLoss too many labels", lambda: SoftmaxWithLoss().forward(X23, np.array([0, 1, 2])),
     r"labels \(2,\).*got \(3,\)"),
    ("5.6.3", "SoftmaxWithLoss label out of range", lambda: SoftmaxWithLoss().forward(X23, np.array([0, 3])),
     r"labels must be in \[0, 2\] for 3 classes, got values from 0 to 3"),
    ("5.6.3", "SoftmaxWithLoss negative label", lambda: SoftmaxWithLoss().forward(X23, np.array([-1, 0])),
     r"labels must be in \[0, 2\]"),
    ("5.6.3", "SoftmaxWithLoss float labels", lambda: SoftmaxWithLoss().forward(X23, np.array([0.0, 1.0])),
     r"label targets must be integers, got dtype float64"),
    ("5.6.3", "SoftmaxWithLoss empty batch",
     lambda: SoftmaxWithLoss().forward(np.zeros((0, 3)), np.zeros(0, dtype=np.int64)),
     r"SoftmaxWithLoss.forward: expected x of shape \(N, C\) with N, C >= 1, got \(0, 3\)"),
    ("4.2", "cross_entropy_error empty batch", lambda: cross_entropy_error(np.zeros((0, 3)), np.zeros((0, 3))),
     r"cross_entropy_error: expected y of shape \(N, C\) with N >= 1, got the empty batch \(0, 3\)"),
    ("4.2", "cross_entropy_error 3-D y", lambda: cross_entropy_error(np.ones((2, 2, 2)) / 2, np.zeros((2, 2, 2))),
     r"cross_entropy_error: expected y of shape \(C,\) or \(N, C\), got \(2, 2, 2\)"),
    ("4.2", "cross_entropy_error targets of the wrong shape",
     lambda: cross_entropy_error(np.full((2, 3), 1 / 3), np.zeros((3, 3))),
     r"cross_entropy_error: expected t of shape one-hot \(2, 3\) or labels \(2,\)"),
    ("4.2", "cross_entropy_error label out of range",
     lambda: cross_entropy_error(np.full((2, 3), 1 / 3), np.array([1, 5])), r"labels must be in \[0, 2\]"),
    ("4.2", "cross_entropy_error float labels",
     lambda: cross_entropy_error(np.full((2, 3), 1 / 3), np.array([1.0, 2.0])), r"must be integers"),
]


@pytest.mark.parametrize("call, message", [
    pytest.param(call, message, marks=[pytest.mark.exercise(ex), pytest.mark.note("clear-errors")], id=name)
    for ex, name, call, message in BAD_INPUT])
def test_bad_input_raises_a_value_error_that_says_what_was_expected(call, message):
    check_refuses("bad input", call, ValueError, message)
