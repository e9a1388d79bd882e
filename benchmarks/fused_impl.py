"""The training step as one hand-fused numpy function: no layers, no checks.

Not a design to follow (it is the whole network in one body, unreadable as the
book's chapter): it is the ceiling for any numpy implementation run from
Python, so the train-step tables show how much of "ours"'s distance to the
GEMM-only limit is the layer structure and its input checks, and how much is
numpy's per-call cost that no layering removes. float32, label targets.
"""
import numpy as np

DELTA = 1e-7  # the book's delta inside the log


def train_step(params, x, t, learning_rate):
    """params W1 (D, H), b1 (H,), W2 (H, C), b2 (C,), updated in place; x (N, D); t (N,) labels -> loss."""
    W1, b1, W2, b2 = params['W1'], params['b1'], params['W2'], params['b2']
    n = x.shape[0]
    rows = np.arange(n)
    # forward, reusing each buffer in place
    h = np.dot(x, W1)
    h += b1
    np.maximum(h, 0, out=h)
    y = np.dot(h, W2)
    y += b2
    y -= y.max(axis=1, keepdims=True)
    np.exp(y, out=y)
    y /= y.sum(axis=1, keepdims=True)
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
