"""Activation and loss functions the chapter uses (book: common/functions.py).

softmax (section 3.5.2) and cross_entropy_error (section 4.2.2/4.2.4) come from
earlier chapters; SoftmaxWithLoss (section 5.6.3) is built on them.
"""
import numpy as np

# The book adds this to every probability before log() so that log(0) never
# happens. It also bounds the loss at -log(1e-7) ~= 16.1 and slightly biases
# gradients (visible as the larger b2 difference in gradient_check.py).
CROSS_ENTROPY_DELTA = 1e-7

# softmax() switches to the transposed layout for rows shorter than this (measured
# crossover: equal speed at 100 classes, the row layout wins above).
SHORT_ROW = 64


def sigmoid(x):
    """Logistic function 1 / (1 + exp(-x)), elementwise.

    x: array of any shape -> array of the same shape, values in [0, 1].
    """
    # The textbook formula overflows in exp(-x) for x < -709 (RuntimeWarning,
    # then inf). exp(-log(1 + exp(-x))) is the same value and logaddexp never
    # overflows, so sigmoid(-1000) is a clean 0.0 and sigmoid(1000) a clean 1.0.
    return np.exp(-np.logaddexp(0.0, -np.asarray(x)))


def relu(x):
    """max(0, x), elementwise. x: any shape -> same shape."""
    return np.maximum(0, x)


def softmax(x):
    """Softmax along the last axis.

    x: (..., C) scores, e.g. (C,) for one sample or (N, C) for a batch.
    returns: (..., C) probabilities; every slice along the last axis sums to 1.
    """
    x = np.asarray(x)
    if x.ndim == 2 and x.shape[1] < SHORT_ROW:
        # The book's own transpose trick (x = x.T; ... axis=0; return y.T), with a
        # copy: numpy reduces a short last axis row by row, slowly (100 rows of 10
        # scores: 12 us); over the first axis of a contiguous (C, N) array it is
        # a few vector operations (6 us; at N=1000: 18 us instead of 83 us).
        x = x.T.astype(np.result_type(x, 1.0), order="C")  # float copy, even of int scores
        x -= x.max(axis=0)
        np.exp(x, out=x)  # in place: x is our own copy
        x /= x.sum(axis=0)
        return x.T

    # Subtracting the row maximum leaves the result unchanged (it cancels in the
    # ratio) but keeps exp() from overflowing for large scores (section 3.5.2).
    x = x - np.max(x, axis=-1, keepdims=True)
    e = np.exp(x)
    e /= e.sum(axis=-1, keepdims=True)  # in place: saves an array per call
    return e


def _check_targets(y, t, who):
    """Validate targets t against scores/probabilities y; return both as arrays.

    Accepted: one-hot t with y's shape, or integer class indices with y's shape
    minus the last axis, each in [0, C). Anything else is a ValueError naming
    the expected shape, because numpy would otherwise broadcast or fancy-index
    its way to a silently wrong loss.
    """
    y = np.asarray(y)
    t = np.asarray(t)
    if y.ndim not in (1, 2):
        raise ValueError(f"{who}: expected y of shape (C,) or (N, C), got {y.shape}")
    if y.ndim == 2 and y.shape[0] == 0:  # the mean over no rows would be a silent NaN
        raise ValueError(f"{who}: expected y of shape (N, C) with N >= 1, got the empty batch {y.shape}")
    if t.shape == y.shape:
        return y, t  # one-hot
    if t.shape != y.shape[:-1]:
        expected = f"one-hot {y.shape} or labels {y.shape[:-1]}"
        raise ValueError(f"{who}: expected t of shape {expected} for y {y.shape}, got {t.shape}")
    if t.dtype.kind not in "iu":  # signed/unsigned integer; np.issubdtype is 10x slower
        raise ValueError(f"{who}: label targets must be integers, got dtype {t.dtype}")
    n_classes = y.shape[-1]
    # One reduction instead of min() and max(): cast to unsigned integers of the
    # same width, negative labels wrap around to huge values, so max() >= C
    # catches both ends (no copy for the uint8 labels load_mnist returns).
    if t.size and t.astype(f"u{t.dtype.itemsize}", copy=False).max() >= n_classes:
        raise ValueError(
            f"{who}: labels must be in [0, {n_classes - 1}] for {n_classes} classes, "
            f"got values from {t.min()} to {t.max()}"
        )
    return y, t


def cross_entropy_error(y, t):
    """Mean cross-entropy of predicted probabilities y against targets t.

    y: (C,) or (N, C) probabilities (rows of softmax output).
    t: one-hot with y's shape, or integer class indices of shape () / (N,).
    returns: float, -sum(log(y[n, correct class] + 1e-7)) / N.
    """
    y, t = _check_targets(y, t, "cross_entropy_error")
    if y.ndim == 1:  # one sample: treat it as a batch of one
        t = t.reshape(1, t.size) if t.ndim == 1 else t.reshape(1)
        y = y.reshape(1, y.size)
    if t.ndim == y.ndim:  # one-hot -> class indices
        t = t.argmax(axis=1)
    batch_size = y.shape[0]
    return -np.log(y[np.arange(batch_size), t] + CROSS_ENTROPY_DELTA).sum() / batch_size
