"""Group 2: SoftmaxWithLoss forward + backward, label and one-hot targets.

There is no matrix product here, so the "limit" row is the one pass that no
formulation avoids: np.exp over the logits (a floor, not a GEMM). The "fused"
row is benchmarks/fused_impl.py's form (transposed softmax for short rows, one
in-place pass for dout * (y - t) / N, no checks): what the reference's readable
book-form equations and its checks cost.
"""
import numpy as np
import pytest

from benchmarks import book_seed, frameworks, fused_impl, loop_impl
from benchmarks.common import VARIANTS, assert_agrees, measure, to_numpy, torch_or_skip
from layers import SoftmaxWithLoss

SHAPES = {"100x10": (100, 10), "1000x1000": (1000, 1000)}
TARGETS = ("labels", "one-hot")


def make_variant(variant, x, t):
    if variant == "ours":
        layer = SoftmaxWithLoss()

        def ours():
            loss = layer.forward(x, t)
            return loss, layer.backward(1)
        return ours
    if variant == "limit":
        return lambda: np.exp(x)
    if variant == "fused":  # the reference's equations with the speed tricks it leaves out
        return lambda: fused_impl.softmax_with_loss(x, t)
    if variant == "loop":
        return lambda: loop_impl.softmax_loss_forward_backward(x, t)
    if variant == "seed":  # in the book's network the scores are float64
        layer = book_seed.SoftmaxWithLoss()
        x64 = x.astype(np.float64)

        def seed():
            loss = layer.forward(x64, t)
            return loss, layer.backward(1)
        return seed
    if variant == "tf":
        return frameworks.tf_softmax_loss(x, t)
    if variant == "torch":
        return frameworks.torch_softmax_loss(torch_or_skip(), x, t)
    raise ValueError(variant)


@pytest.mark.parametrize("variant", VARIANTS + ("fused",))
@pytest.mark.parametrize("targets", TARGETS)
@pytest.mark.parametrize("shape", list(SHAPES))
def test_softmax_with_loss(benchmark, rng_data, shape, targets, variant):
    n, c = SHAPES[shape]
    x = rng_data(n, c, seed=5, scale=3.0)
    labels = np.random.default_rng(6).integers(0, c, n)
    t = labels if targets == "labels" else np.eye(c, dtype=np.float32)[labels]
    fn = make_variant(variant, x, t)
    loss, dx = make_variant("ours", x, t)()

    result = measure(benchmark, f"softmax-loss {shape} {targets}", variant, fn,
                     floor="np.exp over the logits (no matrix product in this group)")

    if variant != "limit":
        got_loss, got_dx = result
        assert_agrees(f"{variant} dx", to_numpy(got_dx), dx)
        if variant in ("loop", "seed", "fused"):  # TF and PyTorch have no 1e-7 inside the log
            assert_agrees(f"{variant} loss", to_numpy(got_loss), loss)
