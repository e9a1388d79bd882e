"""TwoLayerNet's API (section 5.7.2): params, sharing with the layers, seeds, predict, loss, accuracy, gradient.

The tests marked exercise("5.7.2") are the learner's: they build the network with the book's
signature TwoLayerNet(input_size, hidden_size, output_size, weight_init_std) (a class pasted from
the book works) and judge what it computes. The reference's own extras (seed=, dtype=) are
tested unmarked: they are not the chapter's.
"""
import numpy as np
import pytest

import layer_checks as lc
from checks import assert_close, assert_grad_close, numeric_grad
from extras import check_refuses, crash_is_absent
from tolerances import FORWARD_VS_REFERENCE, SOFTMAX_LOSS_DELTA_BIAS
from two_layer_net import PARAM_NAMES, TwoLayerNet

EXERCISE = pytest.mark.exercise("5.7.2")

SIZES = dict(input_size=6, hidden_size=5, output_size=4)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_params_have_the_book_shapes_and_the_chosen_dtype(dtype):
    net = TwoLayerNet(**SIZES, seed=0, dtype=dtype)

    expected = {"W1": (6, 5), "b1": (5,), "W2": (5, 4), "b2": (4,)}
    assert {k: v.shape for k, v in net.params.items()} == expected
    assert all(v.dtype == dtype for v in net.params.values())
    # biases start at zero, weights are small random numbers (not all equal)
    assert not net.params["b1"].any() and not net.params["b2"].any()
    assert np.unique(net.params["W1"]).size == net.params["W1"].size


@EXERCISE
def test_default_dtype_is_float64():
    assert all(TwoLayerNet(**SIZES).params[key].dtype == np.float64 for key in PARAM_NAMES)


@pytest.mark.parametrize("dtype", [np.float16, np.int64, np.complex128, "int32"])
def test_unsupported_dtype_is_a_clear_value_error(dtype):
    with pytest.raises(ValueError, match="float32 or float64"):
        TwoLayerNet(**SIZES, seed=0, dtype=dtype)


@EXERCISE
def test_params_are_the_affine_layers_arrays():
    net = TwoLayerNet(**SIZES)
    assert net.layers["Affine1"].W is net.params["W1"]
    assert net.layers["Affine1"].b is net.params["b1"]
    assert net.layers["Affine2"].W is net.params["W2"]
    assert net.layers["Affine2"].b is net.params["b2"]


@EXERCISE
def test_in_place_update_of_params_changes_predict():
    net = TwoLayerNet(**SIZES)
    x = np.random.default_rng(1).standard_normal((3, 6))
    before = net.predict(x)

    # b2 is added to every row's scores, so +2.5 on one class shows up exactly there
    net.params["b2"][1] += 2.5
    after = net.predict(x)

    expected = before.copy()
    expected[:, 1] += 2.5
    assert_close("predict after b2[1] += 2.5", after, expected, FORWARD_VS_REFERENCE)


def test_same_seed_gives_identical_params_and_different_seeds_differ():
    def params(seed):
        return TwoLayerNet(**SIZES, seed=seed).params

    for key in ("W1", "b1", "W2", "b2"):
        np.testing.assert_array_equal(params(7)[key], params(7)[key])
        # an int seed and a Generator seeded with it draw the same numbers
        np.testing.assert_array_equal(params(np.random.default_rng(7))[key], params(7)[key])
    assert not np.array_equal(params(7)["W1"], params(8)["W1"])
    assert not np.array_equal(params(7)["W2"], params(8)["W2"])


def test_a_shared_generator_advances_so_two_nets_differ():
    rng = np.random.default_rng(7)
    first, second = TwoLayerNet(**SIZES, seed=rng), TwoLayerNet(**SIZES, seed=rng)
    assert not np.array_equal(first.params["W1"], second.params["W1"])


@EXERCISE
def test_predict_shape_for_rows():
    net = TwoLayerNet(input_size=16, hidden_size=5, output_size=3)
    assert net.predict(np.zeros((7, 16))).shape == (7, 3)


@EXERCISE
@pytest.mark.note("tensor-input")
def test_predict_of_image_tensors_equals_predict_of_their_rows():
    net = TwoLayerNet(input_size=16, hidden_size=5, output_size=3)
    # Affine flattens (N, 1, 4, 4) to (N, 16), as for MNIST's (N, 1, 28, 28)
    images = np.random.default_rng(0).standard_normal((7, 1, 4, 4))
    with crash_is_absent("tensor-input", "TwoLayerNet.predict of images of shape (7, 1, 4, 4)"):
        scores = net.predict(images)
    assert_close("predict of (N,1,4,4) vs of (N,16)", scores, net.predict(images.reshape(7, 16)),
                 FORWARD_VS_REFERENCE)


def _identity_net():
    """3 -> 3 -> 3 with W1 = W2 = I and zero biases: predict(x) = relu(x)."""
    net = TwoLayerNet(input_size=3, hidden_size=3, output_size=3)
    net.params["W1"][...] = np.eye(3)  # in place: the layers hold these arrays
    net.params["W2"][...] = np.eye(3)
    return net


# predicted classes (argmax of each row): 0, 1, 2, 1
X_HAND = np.array([[3.0, 1.0, 2.0],
                   [0.5, 2.0, 1.0],
                   [1.0, 1.0, 5.0],
                   [2.0, 4.0, 1.0]])


@EXERCISE
@pytest.mark.parametrize("labels, expected", [
    ([0, 1, 2, 1], 1.0),
    ([0, 1, 0, 1], 0.75),
    ([1, 0, 0, 0], 0.0),
    ([2, 2, 2, 1], 0.5),
])
def test_accuracy_on_hand_built_cases_with_labels_and_one_hot(labels, expected):
    net = _identity_net()
    labels = np.array(labels)
    one_hot = np.eye(3)[labels]

    assert net.accuracy(X_HAND, labels) == expected
    assert net.accuracy(X_HAND, one_hot) == expected


@pytest.mark.parametrize("t, message", [
    # labels as a column would be read as one-hot rows and argmax'ed to class 0
    (np.array([[0], [1], [2], [1]]), r"expected t of shape one-hot \(4, 3\) or labels \(4,\) for y \(4, 3\), got \(4, 1\)"),
    (np.eye(4)[[0, 1, 2, 1]], r"one-hot \(4, 3\) or labels \(4,\).*got \(4, 4\)"),  # one-hot of 4 classes
    (np.array([1]), r"labels \(4,\).*got \(1,\)"),  # would broadcast against 4 predictions
    (np.array([0, 1, 2, 3]), r"labels must be in \[0, 2\] for 3 classes"),
], ids=["labels (N, 1)", "one-hot of other C", "one label", "label out of range"])
@EXERCISE
@pytest.mark.note("clear-errors")
def test_accuracy_refuses_targets_it_would_silently_miscount(t, message):
    check_refuses("TwoLayerNet.accuracy", lambda: _identity_net().accuracy(X_HAND, t), ValueError,
                  r"TwoLayerNet.accuracy: .*" + message)


@EXERCISE
@pytest.mark.note("clear-errors")
def test_accuracy_of_an_empty_batch_is_an_error_not_nan():
    check_refuses("TwoLayerNet.accuracy of an empty batch",
                  lambda: _identity_net().accuracy(np.zeros((0, 3)), np.zeros(0, dtype=np.int64)), ValueError,
                  r"TwoLayerNet.accuracy: .*N >= 1")


def _loss_by_numpy(x, t_labels, W1, b1, W2, b2):
    """The network's forward written independently: log-softmax by log-sum-exp, the book's 1e-7 delta."""
    hidden = np.maximum(x @ W1 + b1, 0.0)
    scores = hidden @ W2 + b2
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_prob = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    p_correct = np.exp(log_prob[np.arange(len(x)), t_labels])
    return float(np.mean(-np.log(p_correct + 1e-7)))


@EXERCISE
@pytest.mark.parametrize("targets", ["one-hot"])
def test_loss_equals_an_independent_numpy_forward(targets):
    rng = np.random.default_rng(3)
    net = lc.book_net(TwoLayerNet, 6, 5, 4, rng, weight_init_std=1.0)
    x = rng.standard_normal((8, 6))
    labels = rng.integers(0, 4, size=8)
    t = labels if targets == "labels" else np.eye(4)[labels]

    expected = _loss_by_numpy(x, labels, *(net.params[k] for k in ("W1", "b1", "W2", "b2")))
    assert_close(f"loss with {targets}", net.loss(x, t), expected, FORWARD_VS_REFERENCE)


@EXERCISE
@pytest.mark.note("label-targets")
def test_loss_with_label_targets_equals_an_independent_numpy_forward():
    rng = np.random.default_rng(3)
    net = lc.book_net(TwoLayerNet, 6, 5, 4, rng, weight_init_std=1.0)
    x = rng.standard_normal((8, 6))
    labels = rng.integers(0, 4, size=8)
    expected = _loss_by_numpy(x, labels, *(net.params[k] for k in ("W1", "b1", "W2", "b2")))
    with crash_is_absent("label-targets", "TwoLayerNet.loss with labels t of shape (8,)"):
        loss = net.loss(x, labels)
    assert_close("loss with labels", loss, expected, FORWARD_VS_REFERENCE)


@EXERCISE
def test_gradient_returns_one_array_per_param_with_its_shape():
    net = TwoLayerNet(**SIZES)
    x = np.random.default_rng(0).standard_normal((5, 6))
    grads = net.gradient(x, np.eye(4)[[0, 1, 2, 3, 0]])  # one-hot, as the book's network is trained

    assert set(grads) == set(net.params), (f"gradient() returned the keys {sorted(grads)}, expected "
                                           f"{sorted(net.params)} (one gradient per parameter)")
    for key, value in net.params.items():
        got = np.shape(grads[key])
        other = [k for k in PARAM_NAMES if k != key and net.params[k].shape == got]
        assert got == value.shape, (f"grads['{key}'] has shape {got}, expected {value.shape}"
                                    + (f"\n  likely mistake: that is {other[0]}'s shape; check which layer's dW or db "
                                       "each key takes" if other else ""))


# How far from the ReLU kink every hidden pre-activation stays: the suite's centred difference
# (h = 1e-6, times |x| <= 3) never crosses it, so the loss is smooth where it is differentiated.
KINK_MARGIN = 1e-3


@EXERCISE
def test_gradient_values_match_the_centred_difference_of_the_loss():
    """gradient() by backprop against the suite's own numerical gradient of net.loss, float64.

    The book's loss has the 1e-7 delta inside the log; backprop differentiates the loss without
    it, so they agree within SOFTMAX_LOSS_DELTA_BIAS (see tests/tolerances.py). gradient() runs
    first on another batch: the layers must use the latest forward pass, not a kept one.
    """
    rng = np.random.default_rng(11)
    net = lc.book_net(TwoLayerNet, 6, 5, 4, rng)
    x = rng.standard_normal((5, 6))
    t = np.eye(4)[[0, 3, 1, 2, 3]]  # one-hot, as the book trains
    assert np.abs(x @ net.params["W1"] + net.params["b1"]).min() > KINK_MARGIN  # precondition of this case
    net.gradient(rng.standard_normal((3, 6)), np.eye(4)[[1, 1, 0]])
    grads = net.gradient(x, t)
    loss = float(TwoLayerNet.loss(net, x, t))
    for key in PARAM_NAMES:
        expected = numeric_grad(lambda _: net.loss(x, t), net.params[key])
        assert_grad_close(f"TwoLayerNet.gradient {key}", grads[key], expected, SOFTMAX_LOSS_DELTA_BIAS,
                          reference="centred difference of net.loss",
                          candidates={f"it is the right gradient times the loss ({loss:.4g}): backprop starts from "
                                      "dout = 1, dout = self.lastLayer.backward(1)": loss * expected})
