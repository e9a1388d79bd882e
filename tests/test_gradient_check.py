"""Section 5.7.3, gradient check: backprop (TwoLayerNet.gradient) vs TwoLayerNet.numerical_gradient.

The book's criterion: the mean absolute difference per parameter is tiny
(it prints 1e-13 .. 1e-7). Everything runs in float64.
"""
import re
from contextlib import nullcontext

import numpy as np
import pytest

from checks import assert_grad_close, numeric_grad
import layer_checks as lc
from extras import crash_is_absent
from layer_checks import BOOK_H
from tolerances import GRADIENT_CHECK_MEAN_ABS, NUMERICAL_GRADIENT_SAME_STEP
from two_layer_net import PARAM_NAMES, TwoLayerNet

pytestmark = pytest.mark.exercise("5.7.3")

# Weights of std 0.5 (not the book's 0.01) make every gradient of order 0.1,
# so a mean absolute difference below 1e-6 is a real statement about them.
INPUT, HIDDEN, OUTPUT, BATCH = 6, 5, 4, 3
# The book's h = 1e-4 moves a hidden unit's pre-activation by at most
# h * max|x| (~3e-4 here); farther from 0 than this, no step crosses the ReLU kink.
KINK_MARGIN = 1e-3


def _mean_abs_differences(grads, other):
    """The book's comparison: mean |a - b| per parameter name."""
    return {key: float(np.mean(np.abs(grads[key] - other[key]))) for key in PARAM_NAMES}


def _synthetic_case(targets):
    rng = np.random.default_rng(5)
    net = lc.book_net(TwoLayerNet, INPUT, HIDDEN, OUTPUT, rng)  # the book's signature: a pasted class works
    x = rng.standard_normal((BATCH, INPUT))
    labels = rng.integers(0, OUTPUT, size=BATCH)
    t = labels if targets == "labels" else np.eye(OUTPUT)[labels]
    # Precondition, not a test: with this fixed seed no numerical step crosses the kink.
    pre_activation = x @ net.params["W1"] + net.params["b1"]
    assert np.abs(pre_activation).min() > KINK_MARGIN
    return net, x, t


def _assert_all_below(diffs, bound):
    too_large = [key for key, diff in diffs.items() if not diff < bound]
    assert not too_large, f"mean |backprop - numerical| above {bound:g} for {too_large}; all: {diffs}"


# label targets are an extra beyond the book (whose SoftmaxWithLoss.backward takes one-hot t)
TARGETS = [pytest.param("labels", marks=pytest.mark.note("label-targets")), "one-hot"]


def _labels_extra(targets, what):
    """With labels, code whose SoftmaxWithLoss takes one-hot targets only fails as the book's does:
    the extra absent (5.6.3's own note test has told that from a broken label branch)."""
    return crash_is_absent("label-targets", f"{what} with labels t of shape ({BATCH},)") if targets == "labels" \
        else nullcontext()


@pytest.mark.parametrize("targets", TARGETS)
def test_backprop_matches_numerical_gradient_on_synthetic_data(targets):
    net, x, t = _synthetic_case(targets)

    with _labels_extra(targets, "TwoLayerNet.gradient"):
        numerical = net.numerical_gradient(x, t)
        backprop = net.gradient(x, t)

    _assert_all_below(_mean_abs_differences(backprop, numerical), GRADIENT_CHECK_MEAN_ABS)
    # the gradients are of order 0.1 (see above), so the bound is not vacuous
    assert all(np.mean(np.abs(numerical[key])) > 1e3 * GRADIENT_CHECK_MEAN_ABS for key in PARAM_NAMES)


@pytest.mark.parametrize("targets", TARGETS)
def test_numerical_gradient_is_the_centred_difference_of_the_loss(targets):
    """Expected values from the suite's own centred difference (checks.numeric_grad) of net.loss.

    The comparison above cannot tell a numerical_gradient that returns backprop's
    gradient from a real one (they agree by design); this one can: at the book's
    h = 1e-4 the two centred differences agree to rounding, backprop does not
    (it misses the delta's bias inside the loss's log).
    """
    net, x, t = _synthetic_case(targets)
    with _labels_extra(targets, "TwoLayerNet.numerical_gradient"):
        grads = net.numerical_gradient(x, t)
    for key in PARAM_NAMES:
        expected = numeric_grad(lambda _: net.loss(x, t), net.params[key], h=BOOK_H)
        assert_grad_close(f"TwoLayerNet.numerical_gradient {key}", grads[key], expected,
                          NUMERICAL_GRADIENT_SAME_STEP, reference="centred difference of net.loss, h = 1e-4")


@pytest.mark.parametrize("broken_key, factor", [("b2", 1.01), ("b1", 1.01), ("W1", -1.0)])
def test_the_same_comparison_detects_a_broken_gradient(broken_key, factor):
    """The check can fail: a 1% error in one bias, or a sign error, is far above the bound."""
    net, x, t = _synthetic_case("one-hot")
    numerical = net.numerical_gradient(x, t)
    broken = dict(net.gradient(x, t))
    broken[broken_key] = broken[broken_key] * factor

    diffs = _mean_abs_differences(broken, numerical)
    assert diffs[broken_key] > 10 * GRADIENT_CHECK_MEAN_ABS, diffs
    with pytest.raises(AssertionError, match=re.escape(f"for ['{broken_key}']")):
        _assert_all_below(diffs, GRADIENT_CHECK_MEAN_ABS)


def test_numerical_gradient_leaves_params_exactly_as_they_were():
    net, x, t = _synthetic_case("one-hot")
    before = {key: value.copy() for key, value in net.params.items()}
    arrays = {key: value for key, value in net.params.items()}

    net.numerical_gradient(x, t)

    for key in PARAM_NAMES:
        assert net.params[key] is arrays[key], f"{key} was replaced by a new array"
        np.testing.assert_array_equal(net.params[key], before[key], err_msg=key)
    # ... and the layers still compute with those same arrays
    assert net.layers["Affine1"].W is net.params["W1"]
    assert net.layers["Affine2"].b is net.params["b2"]


def test_numerical_gradient_has_params_shapes_and_float64():
    net, x, t = _synthetic_case("one-hot")
    grads = net.numerical_gradient(x, t)
    for key in PARAM_NAMES:
        assert grads[key].shape == net.params[key].shape, key
        assert grads[key].dtype == np.float64, key


@pytest.mark.mnist
@pytest.mark.slow
def test_gradient_check_script_on_the_first_3_mnist_images(capsys):
    """gradient_check.py as the book runs it: 784-50-10 on 3 training images, 4e4 loss evaluations."""
    import gradient_check

    gradient_check.main()

    lines = capsys.readouterr().out.splitlines()
    parsed = [re.fullmatch(r"(W1|b1|W2|b2):(\S+)", line) for line in lines]
    assert all(parsed) and [m.group(1) for m in parsed] == list(PARAM_NAMES), (
        f"expected the lines W1:<float> b1:<float> W2:<float> b2:<float>, got {lines}")
    diffs = {m.group(1): float(m.group(2)) for m in parsed}
    _assert_all_below(diffs, GRADIENT_CHECK_MEAN_ABS)
