"""Every forward and backward of the chapter against TensorFlow autodiff (tf.GradientTape), float64.

For a random upstream gradient G (the output's shape), backward(G) must equal
TF's vector-Jacobian product d sum(out * G) / d input, which TF derives from
the same forward written in TF ops (tests/tf_oracle.py). TF is imported once
per session; each example costs a few eager ops (~0.1 ms each).
"""
import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import tf_oracle
from checks import assert_close, assert_grad_close
from functions import cross_entropy_error, softmax
from layers import AddLayer, Affine, MulLayer, Relu, Sigmoid, SoftmaxWithLoss
from strategies import (RELU_KINK_GAP, VALUE_BOUND, affine_case, batch_sizes, class_counts, elementwise_case, float_arrays,
                        floats, one_hot, probability_rows, relu_inputs, same_shape_pair, softmax_case, widths)
from tolerances import FORWARD_VS_REFERENCE, GRAD_VS_TF, SOFTMAX_LOSS_DELTA_BIAS
from two_layer_net import PARAM_NAMES, TwoLayerNet

pytestmark = pytest.mark.tf


@pytest.fixture(scope="session", autouse=True)
def tf():
    """Import and configure TensorFlow once for the session (seconds; see tf_oracle.get_tf)."""
    return tf_oracle.get_tf()


def test_tf_runs_single_threaded(tf):
    assert tf.config.threading.get_intra_op_parallelism_threads() == 1
    assert tf.config.threading.get_inter_op_parallelism_threads() == 1


def test_the_oracle_differentiates_a_known_function():
    """The plumbing itself: d sum(x**3 * G)/dx = 3 x**2 G, and a scalar output needs no G."""
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    G = np.array([[1.0, 2.0], [-1.0, 0.5]])
    out, (dx,) = tf_oracle.vjp(lambda v: v ** 3, [x], upstream=G)
    np.testing.assert_array_equal(out, x ** 3)
    np.testing.assert_array_equal(dx, 3 * x ** 2 * G)

    out, (dx, dy) = tf_oracle.vjp(lambda a, b: tf_oracle.get_tf().reduce_sum(a * a), [x, x])
    assert out.shape == () and out == np.sum(x * x)
    np.testing.assert_array_equal(dx, 2 * x)
    np.testing.assert_array_equal(dy, np.zeros_like(x))  # unconnected input: 0, not None


# ---- nodes and activations ---------------------------------------------------------

@pytest.mark.exercise("5.4.1")
@given(case=same_shape_pair())
def test_mul_layer_matches_tf(case):
    x, y, G = case
    layer = MulLayer()
    out = layer.forward(x, y)
    dx, dy = layer.backward(G)

    tf_out, (tf_dx, tf_dy) = tf_oracle.vjp(tf_oracle.mul, [x, y], upstream=G)
    assert_close("MulLayer.forward", out, tf_out, FORWARD_VS_REFERENCE)
    assert_grad_close("MulLayer dx", dx, tf_dx, GRAD_VS_TF, dout=G)
    assert_grad_close("MulLayer dy", dy, tf_dy, GRAD_VS_TF, dout=G)


@pytest.mark.exercise("5.4.2")
@given(case=same_shape_pair())
def test_add_layer_matches_tf(case):
    x, y, G = case
    layer = AddLayer()
    out = layer.forward(x, y)
    dx, dy = layer.backward(G)

    tf_out, (tf_dx, tf_dy) = tf_oracle.vjp(tf_oracle.add, [x, y], upstream=G)
    assert_close("AddLayer.forward", out, tf_out, FORWARD_VS_REFERENCE)
    assert_grad_close("AddLayer dx", dx, tf_dx, GRAD_VS_TF, dout=G)
    assert_grad_close("AddLayer dy", dy, tf_dy, GRAD_VS_TF, dout=G)


@pytest.mark.exercise("5.5.1")
@given(case=elementwise_case(inputs=relu_inputs))
def test_relu_matches_tf(case):
    x, G = case  # |x| >= RELU_KINK_GAP: the derivative at 0 is a convention, not a fact
    layer = Relu()
    out = layer.forward(x)
    dx = layer.backward(G)

    tf_out, (tf_dx,) = tf_oracle.vjp(tf_oracle.relu, [x], upstream=G)
    assert_close("Relu.forward", out, tf_out, FORWARD_VS_REFERENCE)
    assert_grad_close("Relu dx", dx, tf_dx, GRAD_VS_TF, dout=G)


@pytest.mark.exercise("5.5.2")
@given(case=elementwise_case())
def test_sigmoid_matches_tf(case):
    x, G = case
    layer = Sigmoid()
    out = layer.forward(x)
    dx = layer.backward(G)

    tf_out, (tf_dx,) = tf_oracle.vjp(tf_oracle.sigmoid, [x], upstream=G)
    assert_close("Sigmoid.forward", out, tf_out, FORWARD_VS_REFERENCE)
    assert_grad_close("Sigmoid dx", dx, tf_dx, GRAD_VS_TF, dout=G)


@pytest.mark.exercise("5.6.2")
@given(case=affine_case())
def test_affine_matches_tf_for_matrices_and_image_tensors(case):
    x, W, b, G = case  # x (N, D) or (N, d1, d2[, d3]); dx must come back in x's shape
    layer = Affine(W, b)
    out = layer.forward(x)
    dx = layer.backward(G)

    tf_out, (tf_dx, tf_dW, tf_db) = tf_oracle.vjp(tf_oracle.affine, [x, W, b], upstream=G)
    assert_close("Affine.forward", out, tf_out, FORWARD_VS_REFERENCE)
    context = dict(batch_size=x.shape[0], dout=G)
    assert_grad_close("Affine dx", dx, tf_dx, GRAD_VS_TF, **context)
    assert_grad_close("Affine dW", layer.dW, tf_dW, GRAD_VS_TF, **context)
    assert_grad_close("Affine db", layer.db, tf_db, GRAD_VS_TF, **context)


# ---- softmax and the loss ----------------------------------------------------------

@pytest.mark.exercise("4.2")
@given(case=softmax_case(bound=VALUE_BOUND))
def test_softmax_matches_tf_for_a_batch_and_one_sample(case):
    x, _ = case
    assert_close("softmax (N, C)", softmax(x), tf_oracle.vjp(tf_oracle.softmax, [x])[0], FORWARD_VS_REFERENCE)
    assert_close("softmax (C,)", softmax(x[0]), tf_oracle.vjp(tf_oracle.softmax, [x[0]])[0],
                 FORWARD_VS_REFERENCE)


@pytest.mark.exercise("4.2")
def test_softmax_matches_tf_for_scores_that_would_overflow_exp():
    x = np.array([[1000.0, 1001.0, 999.0], [-1000.0, 0.0, 1000.0]])
    assert_close("softmax of large scores", softmax(x), tf_oracle.vjp(tf_oracle.softmax, [x])[0],
                 FORWARD_VS_REFERENCE)


@pytest.mark.exercise("4.2")
@given(case=probability_rows())
def test_cross_entropy_error_matches_tf_with_labels_and_one_hot(case):
    y, labels = case

    def expected(t):
        return tf_oracle.vjp(lambda p: tf_oracle.cross_entropy_error(p, t), [y])[0]

    t = one_hot(labels, y.shape[1])
    assert_close("cross_entropy_error, labels", cross_entropy_error(y, labels), expected(labels),
                 FORWARD_VS_REFERENCE)
    assert_close("cross_entropy_error, one-hot", cross_entropy_error(y, t), expected(t), FORWARD_VS_REFERENCE)
    # one sample (C,) is a batch of one
    assert_close("cross_entropy_error, one sample", cross_entropy_error(y[0], t[0]),
                 tf_oracle.vjp(lambda p: tf_oracle.cross_entropy_error(p, t[:1]), [y[:1]])[0],
                 FORWARD_VS_REFERENCE)


def _softmax_with_loss(x, t, dout):
    layer = SoftmaxWithLoss()
    loss = layer.forward(x, t)
    return loss, layer.backward(dout)


@pytest.mark.exercise("5.6.3")
@given(case=softmax_case(targets="either", bound=VALUE_BOUND), dout=floats(2.0))
def test_softmax_with_loss_matches_tf(case, dout):
    """Loss: the book's formula, delta included. dx: TF's fused cross-entropy (no delta), exactly."""
    x, t = case
    loss, dx = _softmax_with_loss(x, t, dout)

    tf_loss, _ = tf_oracle.vjp(lambda s: tf_oracle.softmax_with_loss(s, t), [x])
    _, (tf_dx,) = tf_oracle.vjp(lambda s: tf_oracle.softmax_cross_entropy(s, t), [x], upstream=dout)
    assert_close("SoftmaxWithLoss.forward", loss, tf_loss, FORWARD_VS_REFERENCE)
    assert_grad_close("SoftmaxWithLoss dx", dx, tf_dx, GRAD_VS_TF, batch_size=x.shape[0])


@pytest.mark.exercise("5.6.3")
@given(case=softmax_case(targets="either"))
def test_softmax_with_loss_gradient_is_within_the_delta_bias_of_tf_on_the_books_loss(case):
    """TF's gradient of the reported loss (delta inside the log) differs only by delta / p."""
    x, t = case  # logits in [-2, 2]: the correct class's p >= 1.7e-3
    _, dx = _softmax_with_loss(x, t, 1.0)

    _, (tf_dx,) = tf_oracle.vjp(lambda s: tf_oracle.softmax_with_loss(s, t), [x])
    assert_grad_close("SoftmaxWithLoss dx vs the book's loss", dx, tf_dx, SOFTMAX_LOSS_DELTA_BIAS,
                      batch_size=x.shape[0])


# ---- the whole network ---------------------------------------------------------------

@st.composite
def two_layer_net_case(draw):
    """(net, x, t): random float64 params (non-zero biases), x (N, 16) or (N, 1, 4, 4), labels or one-hot.

    Every hidden pre-activation is at least RELU_KINK_GAP from 0. At the kink
    the two sides may legitimately disagree: a pre-activation of +1e-19 in one
    summation order can be -1e-19 or 0 in the other, and TF flushes subnormal
    numbers (|v| < 2.2e-308) to zero, so b1 = 1e-309 is "positive" for numpy
    but 0 for TF (hypothesis found exactly that case).
    """
    n, hidden, classes = draw(batch_sizes), draw(widths), draw(class_counts)
    net = TwoLayerNet(16, hidden, classes, seed=0, dtype=np.float64)
    for key in PARAM_NAMES:  # in place: the Affine layers hold these arrays
        net.params[key][...] = draw(float_arrays(net.params[key].shape, bound=1.0))
    x = draw(float_arrays(draw(st.sampled_from([(n, 16), (n, 1, 4, 4)]))))
    pre_activation = x.reshape(n, 16) @ net.params["W1"] + net.params["b1"]
    assume(np.abs(pre_activation).min() >= RELU_KINK_GAP)
    labels = draw(st.lists(st.integers(0, classes - 1), min_size=n, max_size=n))
    t = np.array(labels) if draw(st.booleans()) else one_hot(labels, classes)
    return net, x, t


@pytest.mark.exercise("5.7.2")
@given(case=two_layer_net_case())
def test_two_layer_net_gradient_and_loss_match_tf(case):
    net, x, t = case
    grads = net.gradient(x, t)
    loss = net.loss(x, t)

    params = [net.params[key] for key in PARAM_NAMES]
    tf_loss, _ = tf_oracle.vjp(lambda *p: tf_oracle.two_layer_net(x, *p, t, tf_oracle.softmax_with_loss), params)
    _, tf_grads = tf_oracle.vjp(lambda *p: tf_oracle.two_layer_net(x, *p, t, tf_oracle.softmax_cross_entropy),
                                params)
    assert_close("TwoLayerNet.loss", loss, tf_loss, FORWARD_VS_REFERENCE)
    for key, tf_grad in zip(PARAM_NAMES, tf_grads):
        assert_grad_close(f"TwoLayerNet.gradient {key}", grads[key], tf_grad, GRAD_VS_TF, batch_size=x.shape[0])
