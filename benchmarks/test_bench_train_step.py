"""Group 3: one training step, TwoLayerNet.gradient + the SGD update.

"ours" is the project's train_neuralnet.train_step on a float32 TwoLayerNet with
label targets; "seed" is the book's loop body (float64 weights, float32 images,
one-hot float32 targets, the loss computed again after the update); "fused"
is the same step as one numpy function without layers or checks
(benchmarks/fused_impl.py), the ceiling for numpy called from Python.
"""
import numpy as np
import pytest

from benchmarks import book_seed, frameworks, fused_impl, loop_impl
from benchmarks.common import VARIANTS, assert_agrees, measure, torch_or_skip
from train_neuralnet import train_step
from two_layer_net import PARAM_NAMES, TwoLayerNet

# (batch B, inputs I, hidden H, outputs O)
SHAPES = {"B=100 784-50-10": (100, 784, 50, 10), "B=1000 784-1000-10": (1000, 784, 1000, 10)}
LEARNING_RATE = 0.1
AGREEMENT_LR = 1000.0


def make_variant(variant, init, x, labels, lr=LEARNING_RATE):
    """-> (step(), params() -> dict of numpy arrays, or None for the limit)."""
    if variant == "ours":
        network = TwoLayerNet(x.shape[1], init['W1'].shape[1], init['W2'].shape[1], dtype=np.float32)
        for key in PARAM_NAMES:
            network.params[key][...] = init[key]  # in place: the layers hold these arrays
        return (lambda: train_step(network, x, labels, lr)), (lambda: network.params)
    if variant == "limit":  # the step's five products (no dx for the input layer), float32
        W1, W2 = init['W1'], init['W2']
        rng = np.random.default_rng(7)
        h = rng.random((x.shape[0], W1.shape[1]), dtype=np.float32)
        dscores = rng.random((x.shape[0], W2.shape[1]), dtype=np.float32)
        dh = rng.random(h.shape, dtype=np.float32)

        def limit():
            return (np.dot(x, W1), np.dot(h, W2),            # forward
                    np.dot(h.T, dscores), np.dot(dscores, W2.T), np.dot(x.T, dh))  # dW2, dh, dW1
        return limit, None
    if variant in ("loop", "fused"):
        params = {key: value.copy() for key, value in init.items()}
        impl = loop_impl if variant == "loop" else fused_impl
        return (lambda: impl.train_step(params, x, labels, lr)), (lambda: params)
    if variant == "seed":
        network = book_seed.TwoLayerNet(x.shape[1], init['W1'].shape[1], init['W2'].shape[1])
        for key in PARAM_NAMES:
            network.params[key][...] = init[key]  # float64, as the book's network
        one_hot = np.eye(init['W2'].shape[1], dtype=np.float32)[labels]  # load_mnist(one_hot_label=True)
        return (lambda: book_seed.train_step(network, x, one_hot, lr)), (lambda: network.params)
    if variant == "tf":
        step = frameworks.tf_train_step(init, x, labels, lr)
        return step, step.params
    if variant == "torch":
        step = frameworks.torch_train_step(torch_or_skip(), init, x, labels, lr)
        return step, step.params
    raise ValueError(variant)


@pytest.mark.parametrize("variant", VARIANTS + ("fused",))
@pytest.mark.parametrize("shape", list(SHAPES))
def test_train_step(benchmark, rng_data, shape, variant):
    batch, n_in, hidden, n_out = SHAPES[shape]
    rng = np.random.default_rng(8)
    x = rng.random((batch, n_in), dtype=np.float32)  # pixel-like values in [0, 1)
    labels = rng.integers(0, n_out, batch).astype(np.uint8)  # load_mnist's label dtype
    init = {'W1': rng_data(n_in, hidden, seed=9, scale=0.01), 'b1': np.zeros(hidden, np.float32),
            'W2': rng_data(hidden, n_out, seed=10, scale=0.01), 'b2': np.zeros(n_out, np.float32)}

    # Agreement first, on one step from the same weights: the change each variant
    # makes to the parameters must be ours. The step is large (lr = AGREEMENT_LR)
    # so that lr * grad is not lost in rounding the float32 weights it is added to.
    # Biases of +-1 keep every hidden pre-activation far from ReLU's kink (|x @ W1|
    # is ~0.16 here): with b1 = 0 a few of the 10^6 values lie within float32
    # rounding of 0, and implementations then legitimately disagree on a unit.
    # Half the units are dead (-1), so ReLU's backward mask is still checked.
    start = dict(init, b1=np.where(np.arange(hidden) % 2 == 0, 1.0, -1.0).astype(np.float32))
    step, params = make_variant(variant, start, x, labels, lr=AGREEMENT_LR)
    if params is not None:
        ours_step, ours_params = make_variant("ours", start, x, labels, lr=AGREEMENT_LR)
        ours_step()
        step()
        for key in PARAM_NAMES:
            assert_agrees(f"{variant} {key} update", params()[key] - start[key], ours_params()[key] - start[key])

    step, _ = make_variant(variant, init, x, labels)
    measure(benchmark, f"train step {shape}", variant, step)
