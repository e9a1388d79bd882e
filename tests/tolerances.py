"""Every numerical tolerance of the test suite, in one reviewed place.

Each entry says why it is what it is. Tests import these names; no test
writes a tolerance literal of its own. Gradient checks always run in float64.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Tol:
    rtol: float
    atol: float
    why: str


# Step of the test suite's own centred difference (tests/checks.py). With
# float64 the truncation error is O(h^2) ~ 1e-12 * f''' and the rounding error
# O(eps * |f| / h) ~ 1e-10: both far below the tolerances below.
NUMERIC_H = 1e-6

# backward() vs centred numerical gradient, float64, smooth inputs
# (ReLU inputs kept at least 1e-3 from the kink, so +/- h never crosses it).
# CS231n: relative error below 1e-7 is "happy"; we allow 1e-6 plus an absolute
# floor for elements whose true gradient is ~0.
GRAD_VS_NUMERIC = Tol(rtol=1e-6, atol=1e-8,
                      why="centred difference, h=1e-6, float64: error ~1e-9 relative")

# backward() vs tf.GradientTape, both float64: the same math in a different
# order of operations, so they agree to a few ulps times the reduction length.
GRAD_VS_TF = Tol(rtol=1e-10, atol=1e-12,
                 why="same formulas, float64; only summation order differs")

# SoftmaxWithLoss.backward returns (softmax(x) - t) / N, the exact gradient of
# the cross-entropy WITHOUT the book's 1e-7 delta; the loss it reports has the
# delta inside the log. The exact gradient of that loss is the same vector times
# p / (p + delta) (p = probability of the correct class), so every element
# differs by the relative factor delta / (p + delta) < 1e-7 / p. The TF tests
# therefore compare the gradient with TF's softmax_cross_entropy_with_logits
# (no delta) at GRAD_VS_TF, and with TF's gradient of the book's delta formula
# only at this bound, on scores that keep p >= 1e-3 (1e-7 / 1e-3 = 1e-4).
SOFTMAX_LOSS_DELTA_BIAS = Tol(rtol=1e-4, atol=1e-15,
                              why="delta / (p + delta) with the correct class's p >= 1e-3")

# forward() vs TensorFlow / numpy formulas, float64
FORWARD_VS_REFERENCE = Tol(rtol=1e-12, atol=1e-14,
                           why="float64, identical formulas up to summation order")

# The book's printed numbers (e.g. 0.510825457099338): printed with 15-17
# significant digits, so a relative 1e-12 is far inside the printing precision
# and far outside any real mistake.
BOOK_PRINTED = Tol(rtol=1e-12, atol=0.0,
                   why="book values printed to ~16 significant digits")

# TwoLayerNet.gradient vs TwoLayerNet.numerical_gradient (the book's h = 1e-4,
# section 5.7.3): mean absolute difference per parameter. The book shows
# 1e-13 (b1) .. 1e-7 (b2); b2 is largest because the 1e-7 delta inside
# cross_entropy_error's log changes the loss that the numerical gradient sees
# but not the analytic gradient.
GRADIENT_CHECK_MEAN_ABS = 1e-6

# "Likely mistake" patterns in tests/checks.py (e.g. analytic == -numeric,
# analytic == N * numeric): a pattern is only recognised, never used to pass a
# test. The numerical gradient's noise is ~1e-9 of the values' scale, while two
# different patterns differ by O(1) of it, so 1e-4 of the scale separates them.
PATTERN_MATCH = Tol(rtol=1e-4, atol=1e-12,
                    why="recognise a wrong formula: noise ~1e-9, distinct patterns differ by O(1)")

# Mean pixel of the MNIST training images after normalize=True, computed in
# float64. The usual published value 0.1307 is rounded to 4 decimals, so it is
# within 5e-5 of the true mean (0.13066...); a wrong scaling (e.g. not divided
# by 255, or a shuffled/other dataset) misses by far more.
MNIST_PIXEL_MEAN = Tol(rtol=0.0, atol=5e-5,
                       why="0.1307 is the mean rounded to 4 decimals")
