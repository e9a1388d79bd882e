"""The fastest numpy forms, hand-fused: no layers, no checks.

Not a design to follow (train_step is the whole network in one body, unreadable
as the book's chapter): it is the ceiling for any numpy implementation run from
Python, so the train-step tables show how much of "ours"'s distance to the
GEMM-only limit is the layer structure and its input checks, and how much is
numpy's per-call cost that no layering removes. float32, label targets.

The reference (layers.py, functions.py, two_layer_net.py) writes the book's
equations as the book does; the speed tricks that would hide them live here:
softmax in the transposed layout for short rows, buffers reused in place, one
in-place pass for dout * (y - t) / N, evaluation in cache-sized blocks of rows.
"""
import numpy as np

DELTA = 1e-7  # the book's delta inside the log

# softmax() switches to the transposed layout for rows shorter than this (measured
# crossover: equal speed at 100 classes, the row layout wins above).
SHORT_ROW = 64

# An evaluation in blocks of this many rows (runs.py's limit run does its products
# so): predicting all 60000 training images at once makes every layer's output a
# 12 MB array, which leaves the cache and is page-faulted in afresh on each call;
# blocks stay in cache (train + test: 98 ms -> 85 ms). Measured best of 500..10000.
# The reference's TwoLayerNet.accuracy predicts all rows at once, as the book does.
EVAL_BLOCK = 1000


def softmax(x):
    """Softmax along the last axis of x (N, C), as a new array (x is not changed)."""
    if x.ndim == 2 and x.shape[1] < SHORT_ROW:
        # The book's own transpose trick (x = x.T; ... axis=0; return y.T), with a
        # copy: numpy reduces a short last axis row by row, slowly (100 rows of 10
        # scores: 12 us); over the first axis of a contiguous (C, N) array it is
        # a few vector operations (6 us; at N=1000: 18 us instead of 83 us).
        y = x.T.astype(np.result_type(x, 1.0), order="C")  # float copy, even of int scores
        y -= y.max(axis=0)
        np.exp(y, out=y)  # in place: y is our own copy
        y /= y.sum(axis=0)
        return y.T
    y = x - x.max(axis=-1, keepdims=True)
    np.exp(y, out=y)
    y /= y.sum(axis=-1, keepdims=True)
    return y


def softmax_with_loss(x, t, dout=1.0):
    """SoftmaxWithLoss forward + backward: x (N, C), t (N, C) one-hot or (N,) labels -> (loss, dx)."""
    y = softmax(x)
    n = x.shape[0]
    labels = t.argmax(axis=1) if t.ndim == 2 else t
    loss = -np.log(y[np.arange(n), labels] + DELTA).sum() / n
    return loss, softmax_with_loss_backward(y, t, dout)


def softmax_with_loss_backward(y, t, dout=1.0):
    """y (N, C) softmax output, t (N, C) one-hot or (N,) labels -> dout * (y - t) / N.

    One allocation and one scaling pass: the subtraction keeps y's dtype (float64
    one-hot rows would otherwise turn a float32 network's backward into float64),
    and dout / N is applied in place.
    """
    n = y.shape[0]
    if t.ndim == y.ndim:
        dx = np.subtract(y, t, dtype=y.dtype)
    else:
        dx = y.copy()
        dx[np.arange(n), t] -= 1
    dx *= dout / n
    return dx


def train_step(params, x, t, learning_rate):
    """params W1 (D, H), b1 (H,), W2 (H, C), b2 (C,), updated in place; x (N, D); t (N,) labels -> loss."""
    W1, b1, W2, b2 = params['W1'], params['b1'], params['W2'], params['b2']
    n = x.shape[0]
    rows = np.arange(n)
    # forward, reusing each buffer in place
    h = np.dot(x, W1)
    h += b1
    np.maximum(h, 0, out=h)
    scores = np.dot(h, W2)
    scores += b2
    y = softmax(scores)  # a new array: the backward below may overwrite it
    loss = -np.log(y[rows, t] + DELTA).sum() / n
    # backward: y becomes dscores = (softmax - one-hot) / n in place
    y[rows, t] -= 1
    y /= n
    dW2 = np.dot(h.T, y)
    db2 = y.sum(axis=0)
    dh = np.dot(y, W2.T)
    dh *= h > 0
    dW1 = np.dot(x.T, dh)
    db1 = dh.sum(axis=0)
    # update, scaling each gradient in place instead of allocating lr * grad
    for param, grad in ((W1, dW1), (b1, db1), (W2, dW2), (b2, db2)):
        grad *= learning_rate
        param -= grad
    return loss
