"""Activation and loss functions the chapter uses (book: common/functions.py).

softmax (section 3.5.2) and cross_entropy_error (section 4.2.2/4.2.4) come from
earlier chapters; SoftmaxWithLoss (section 5.6.3) is built on them.
"""
import numpy as np

from validation import check_as_float, check_number_or_array, check_probabilities, check_scores, check_targets

# The book adds this to every probability before log() so that log(0) never
# happens. It also bounds the loss at -log(1e-7) ~= 16.1 and slightly biases
# gradients (visible as the larger b2 difference in gradient_check.py).
CROSS_ENTROPY_DELTA = 1e-7


def sigmoid(x: float | np.ndarray) -> float | np.ndarray:
    """Logistic function 1 / (1 + exp(-x)), elementwise (section 3.2.4).

    x: number or array of any shape -> same shape, values in [0, 1].
    """
    x = check_as_float("sigmoid", "x", x, numbers=True)  # integers as float64: int8 -(-128) wraps to -128
    # exp(-x) overflows to inf for x < -709; 1 / (1 + inf) is then exactly 0.0,
    # the right value, so numpy's overflow warning is only noise here. Likewise the
    # underflow of exp(-x) to 0.0 for x > 745 (1 / (1 + 0) = 1.0), which raises under
    # np.seterr(all="raise"), a setting people use to catch NaNs in training.
    with np.errstate(over="ignore", under="ignore"):
        return 1 / (1 + np.exp(-x))


def relu(x: float | np.ndarray) -> float | np.ndarray:
    """max(0, x), elementwise (section 3.2.7). x: any shape -> same shape."""
    check_number_or_array("relu", "x", x)
    return np.maximum(0, x)


def softmax(x: np.ndarray) -> np.ndarray:
    """Softmax along the last axis (section 3.5.2).

    x: (C,) scores of one sample or (N, C) for a batch (any (..., C)).
    returns: probabilities of x's shape; every slice along the last axis sums to 1.
    """
    x = check_scores("softmax", x)  # (..., C >= 1); integers as float64: x - max(x) wraps in int8 or uint8
    # Subtracting the row maximum leaves the result unchanged (it cancels in the
    # ratio) but keeps exp() from overflowing for large scores (section 3.5.2).
    x = x - np.max(x, axis=-1, keepdims=True)  # a new array: the caller's x stays as it was
    # exp in place, into the array the subtraction just made: a second fresh 4 MB array
    # (1000 x 1000 float32) cost more in page faults than the exp itself (4.3 -> 2.8 ms).
    exp_x = np.exp(x, out=x)
    sum_exp_x = np.sum(exp_x, axis=-1, keepdims=True)
    exp_x /= sum_exp_x  # y = exp_x / sum_exp_x, in place as well
    return exp_x


def cross_entropy_error(y: np.ndarray, t: np.ndarray | int) -> float:
    """Mean cross-entropy of predicted probabilities y against the correct classes (section 4.2.4).

    y: (C,) or (N, C) probabilities (rows of softmax output): an entry < 0 or a row
       summing to more than 0.01 from 1 is a ValueError (validation.check_probabilities).
    t: one-hot rows of y's shape, or integer class indices of shape (N,) (a single
       label () for one sample). One-hot only: soft targets such as [0.3, 0.7] are
       a ValueError (see validation.check_targets), not read by their argmax.
    returns: float, -sum(log(y[n, correct class of n] + 1e-7)) / N.
    """
    check_targets("cross_entropy_error", y, t)
    check_probabilities("cross_entropy_error", y)  # raw scores would give a negative loss
    if y.ndim == 1:  # one sample: a batch of one
        t = np.reshape(t, (1, np.size(t)))  # the book's t.reshape(1, t.size); np.reshape takes a Python int too
        y = y.reshape(1, y.size)

    # one-hot targets -> the index of the correct class
    if t.size == y.size:
        t = t.argmax(axis=1)

    batch_size = y.shape[0]
    return -np.sum(np.log(y[np.arange(batch_size), t] + CROSS_ENTROPY_DELTA)) / batch_size
