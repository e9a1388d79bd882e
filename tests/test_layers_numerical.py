"""Every backward() against the suite's own centred numerical gradient, every element, float64.

Each layer is checked as a vector-Jacobian product: for a random upstream
gradient G, backward(G) must equal the numerical gradient of sum(forward(x) * G)
(see checks.numeric_vjp). The checks themselves live in layer_checks.py, so
that test_mistakes.py can show they catch the classic wrong implementations.
"""
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import gradient
import layer_checks as lc
from checks import assert_close
from tolerances import FORWARD_VS_REFERENCE
import strategies as S
from functions import cross_entropy_error, softmax
from layers import AddLayer, Affine, MulLayer, Relu, Sigmoid, SoftmaxWithLoss


@pytest.mark.exercise("5.4.1")
@given(S.same_shape_pair())
def test_mul_layer(case):
    lc.check_mul_layer(MulLayer, *case)


@pytest.mark.exercise("5.4.2")
@given(S.same_shape_pair())
def test_add_layer(case):
    lc.check_add_layer(AddLayer, *case)


@pytest.mark.exercise("5.5.1")
@given(S.elementwise_case(inputs=S.relu_inputs))
def test_relu(case):
    lc.check_relu(Relu, *case)


@pytest.mark.exercise("5.5.1")
@pytest.mark.note("relu-keeps-dout")
@given(S.elementwise_case(inputs=S.relu_inputs))
def test_relu_changes_neither_x_nor_dout(case):
    lc.check_relu_keeps_its_inputs(Relu, *case)


@pytest.mark.exercise("5.5.1")
def test_relu_passes_no_gradient_at_the_kink():
    lc.check_relu_kink(Relu)


@pytest.mark.exercise("5.5.2")
@given(S.elementwise_case())
def test_sigmoid(case):
    lc.check_sigmoid(Sigmoid, *case)


@pytest.mark.exercise("5.6.2")
@given(S.affine_case(tensor=False))
def test_affine(case):
    lc.check_affine(Affine, *case)


@pytest.mark.exercise("5.6.2")
@pytest.mark.note("tensor-input")
@given(S.affine_case(tensor=True))
def test_affine_tensor_input_gives_dx_in_the_input_shape(case):
    lc.check_affine_tensor(Affine, *case)


@pytest.mark.exercise("5.6.3")
@given(S.softmax_case(targets="one-hot"))
def test_softmax_with_loss_one_hot(case):
    lc.check_softmax_with_loss(SoftmaxWithLoss, *case)


@pytest.mark.exercise("5.6.3")
@pytest.mark.note("label-targets")
@given(S.softmax_case(targets="labels"))
def test_softmax_with_loss_labels(case):
    lc.check_softmax_with_loss(SoftmaxWithLoss, *case)


@pytest.mark.exercise("5.6.3")
@pytest.mark.note("scales-by-dout")
@given(S.softmax_case(targets="one-hot"), S.floats(3.0).filter(lambda v: abs(v) > 1e-3))
def test_softmax_with_loss_scales_by_dout(case, dout):
    # the book always calls backward(1); inside a bigger graph dout is anything
    lc.check_softmax_with_loss(SoftmaxWithLoss, *case, dout=dout)


@pytest.mark.exercise("4.2")
@given(st.one_of(S.float_arrays(S.class_counts), S.float_arrays(st.tuples(S.batch_sizes, S.class_counts))))
def test_softmax_matches_the_formula(x):
    lc.check_softmax(softmax, x)


@pytest.mark.exercise("4.2")
@given(S.probability_rows())
def test_cross_entropy_error_matches_the_formula(case):
    y, labels = case
    lc.check_cross_entropy(cross_entropy_error, y, S.one_hot(labels, y.shape[1]))


@pytest.mark.exercise("4.2")
@pytest.mark.note("label-targets")
@given(S.probability_rows())
def test_cross_entropy_error_of_label_targets_matches_the_formula(case):
    # the book's batch form reads labels (y[np.arange(batch_size), t]); its first form (4.2.4) one-hot rows only
    y, labels = case
    lc.check_cross_entropy_labels(cross_entropy_error, y, labels)


# Known functions and their exact gradients, for numerical_gradient.
KNOWN = {
    "sum(x**2)": (lambda x: float(np.sum(x ** 2)), lambda x: 2 * x),
    "sum(x**3)": (lambda x: float(np.sum(x ** 3)), lambda x: 3 * x ** 2),
    "sum(sin(x))": (lambda x: float(np.sum(np.sin(x))), np.cos),
}


@pytest.mark.exercise("4.4")
@pytest.mark.parametrize("name", KNOWN)
@given(x=S.points(S.shapes(max_dims=2, max_side=4)))
def test_numerical_gradient_of_known_functions(name, x):
    # Chapter 5 differentiates W (2-D) and b (1-D): the book's row-wise
    # numerical_gradient_2d form is enough for it, and must pass
    f, grad_f = KNOWN[name]
    lc.check_numerical_gradient(gradient.numerical_gradient, f, grad_f, x)


@pytest.mark.exercise("4.4")
@pytest.mark.note("any-shape")
@pytest.mark.parametrize("name", KNOWN)
@given(x=S.points(S.shapes(min_dims=3, max_dims=3, max_side=3)))
def test_numerical_gradient_of_known_functions_of_3d_points(name, x):
    f, grad_f = KNOWN[name]
    lc.check_numerical_gradient_any_shape(gradient.numerical_gradient, f, grad_f, x)


@pytest.mark.exercise("4.4")
def test_numerical_gradient_of_a_function_that_reads_x_by_reference():
    # TwoLayerNet.numerical_gradient's idiom: f ignores its argument and reads
    # the array that numerical_gradient perturbs in place.
    W = np.array([[1.0, -2.0], [0.5, 3.0]])
    lc.check_numerical_gradient(gradient.numerical_gradient, lambda _: float(np.sum(W ** 3)),
                                lambda _: 3 * W ** 2, W)


@pytest.mark.exercise("4.2")
def test_softmax_rows_sum_to_one_and_keep_order():
    x = np.array([[0.3, 2.9, 4.0], [-1.0, -1.0, 5.0]])
    y = softmax(x)
    assert_close("softmax row sums", y.sum(axis=1), np.ones(2), FORWARD_VS_REFERENCE)
    assert (np.argsort(y, axis=1) == np.argsort(x, axis=1)).all(), "softmax must keep the order of the scores"
    # the book's section 3.5.1 example, by the plain formula
    expected = [math.exp(v) / sum(math.exp(u) for u in x[0]) for v in x[0]]
    assert_close("softmax([0.3, 2.9, 4.0])", y[0], np.array(expected), FORWARD_VS_REFERENCE)
