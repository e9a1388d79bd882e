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

# TwoLayerNet.numerical_gradient vs the suite's own centred difference
# (checks.numeric_grad) of the same float64 loss with the same step, the book's
# h = 1e-4: the same formula, so only rounding differs, ~eps * |loss| / h ~ 1e-12
# (measured: <= 5e-14). Backprop's gradient, returned in its place, misses by the
# delta's bias of ~3e-7 on tests/test_gradient_check.py's case: 1000 times the bound.
NUMERICAL_GRADIENT_SAME_STEP = Tol(rtol=1e-9, atol=1e-12,
                                   why="same centred difference, same h=1e-4, float64: rounding only")

# Section 5.7.4, one SGD step: train_step's parameters vs before - lr * grad,
# with grad from TwoLayerNet.gradient on a copy, in float64. The same few
# operations, perhaps in another order (g * lr, p + (-lr) * g): a few ulps.
SGD_STEP = Tol(rtol=1e-12, atol=1e-15, why="p - lr * g in float64; only the order of operations may differ")

# A TwoLayerNet on tests/test_train.py's synthetic data (10 Gaussian blobs of
# unit noise, centres drawn with std 3 in 20 dimensions, 120 SGD steps): it
# reaches 1.0 on the test set with seeds 0-4; chance is 0.1, and after the
# first step from the book's 0.01-std weights it is 0.12-0.21.
SYNTHETIC_TRAIN_MIN_ACC = 0.9

# The book's MNIST run (section 5.7.4: 10000 iterations, batch 100, lr 0.1,
# 50 hidden units), accuracy on the full sets once per epoch (17 lines).
# Measured with float32 and seeds 0-5: first line 0.08-0.145 (chance is
# ~0.1: one step from 0.01-std weights), second 0.897-0.908, last
# 0.978-0.979 train and 0.969-0.971 test (float64, seed 0: the same to
# 3 decimals); the book's run has the same shape.
# The bounds leave room for other seeds and summation orders, and are far
# from what a broken step gives (a new array instead of -=: stays ~0.1).
BOOK_RUN_FIRST_EPOCH_MAX_ACC = 0.2     # after one step the network still guesses
BOOK_RUN_SECOND_EPOCH_MIN_ACC = 0.85   # one epoch of SGD already gets ~0.90
BOOK_RUN_FINAL_MIN_TRAIN_ACC = 0.97
BOOK_RUN_FINAL_MIN_TEST_ACC = 0.96

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

# gradient.numerical_gradient (the book's h = 1e-4) vs the exact gradient of
# sum(x**2), sum(x**3), sum(sin(x)) with |x| <= 3, measured against the largest
# gradient element: truncation h^2/6 * f''' <= 1e-8, rounding 2 eps |f| / (2h)
# <= 4e-9 for |f| <= 2000. A forward difference is off by h/2 * f'' = 1e-4 for
# sum(x**2), a thousand times more, so this bound tells the two apart.
NUMERICAL_GRADIENT_VS_ANALYTIC = Tol(rtol=1e-7, atol=1e-7,
                                     why="centred difference, h=1e-4: error <= ~2e-8; forward difference ~1e-4")

# benchmarks/: every variant of a benchmarked computation (per-sample loop, the
# book's float64 code, TensorFlow, PyTorch) must give our float32 result, so a
# benchmark cannot time a wrong computation. Measured as the relative error of
# the whole array, ||a - b|| / ||b||: float32 sums of up to 1000 products in a
# different order differ by ~sqrt(K) * 6e-8 ~ 2e-6; a wrong formula is off by O(1).
BENCH_AGREEMENT_REL_NORM = 1e-5
