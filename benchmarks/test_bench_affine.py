"""Group 1: Affine forward + backward (dx, dW, db) at the book's shape and a large one."""
import numpy as np
import pytest

from benchmarks import book_seed, frameworks, loop_impl
from benchmarks.common import VARIANTS, assert_agrees, measure, to_numpy, torch_or_skip
from layers import Affine

# (batch N, inputs D, outputs M)
SHAPES = {"100x784->50": (100, 784, 50), "1000x784->1000": (1000, 784, 1000)}


def make_variant(variant, x, W, b, dout):
    if variant == "ours":
        layer = Affine(W, b)

        def ours():
            out = layer.forward(x)
            dx = layer.backward(dout)
            return out, dx, layer.dW, layer.db
        return ours
    if variant == "limit":  # the layer's three matrix products alone, float32
        return lambda: (np.dot(x, W), np.dot(dout, W.T), np.dot(x.T, dout))
    if variant == "loop":
        return lambda: loop_impl.affine_forward_backward(x, W, b, dout)
    if variant == "seed":  # the book: float64 weights times float32 data
        layer = book_seed.Affine(W.astype(np.float64), b.astype(np.float64))

        def seed():
            out = layer.forward(x)
            dx = layer.backward(dout)
            return out, dx, layer.dW, layer.db
        return seed
    if variant == "tf":
        return frameworks.tf_affine(x, W, b, dout)
    if variant == "torch":
        return frameworks.torch_affine(torch_or_skip(), x, W, b, dout)
    raise ValueError(variant)


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("shape", list(SHAPES))
def test_affine_forward_backward(benchmark, rng_data, shape, variant):
    n, d, m = SHAPES[shape]
    x, W, b = rng_data(n, d, seed=1), rng_data(d, m, seed=2, scale=0.01), rng_data(m, seed=3)
    dout = rng_data(n, m, seed=4)
    fn = make_variant(variant, x, W, b, dout)
    expected = make_variant("ours", x, W, b, dout)()

    result = measure(benchmark, f"affine {shape}", variant, fn)

    if variant != "limit":
        # tf/torch return (out, dx, dW, db) in the same order
        for name, got, want in zip(("out", "dx", "dW", "db"), result, expected):
            assert_agrees(f"{variant} {name}", to_numpy(got), want)
