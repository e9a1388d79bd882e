"""Per-sample Python loops: the same math one image at a time.

What vectorization buys: every function here computes what its batched
counterpart computes, but with a Python loop over the batch and vector/outer
products per sample. float32 like the project's fast path, label targets
(one-hot rows are turned into labels first).
"""
import numpy as np

DELTA = 1e-7  # the book's delta inside the log


def _label(t, n):
    return t[n] if t.ndim == 1 else int(t[n].argmax())


def affine_forward_backward(x, W, b, dout):
    """x (N, D), W (D, M), b (M,), dout (N, M) -> out, dx, dW, db, sample by sample."""
    n_samples = x.shape[0]
    out = np.empty((n_samples, W.shape[1]), dtype=x.dtype)
    dx = np.empty_like(x)
    dW = np.zeros_like(W)
    db = np.zeros_like(b)
    for n in range(n_samples):
        out[n] = x[n] @ W + b
        dx[n] = W @ dout[n]
        dW += np.outer(x[n], dout[n])
        db += dout[n]
    return out, dx, dW, db


def softmax_loss_forward_backward(x, t):
    """x (N, C) scores, t (N,) labels or (N, C) one-hot -> (mean loss, dx (N, C))."""
    n_samples = x.shape[0]
    loss = 0.0
    dx = np.empty_like(x)
    for n in range(n_samples):
        e = np.exp(x[n] - x[n].max())
        y = e / e.sum()
        k = _label(t, n)
        loss -= np.log(y[k] + DELTA)
        y[k] -= 1
        dx[n] = y / n_samples
    return loss / n_samples, dx


def gradient(params, x, t):
    """Two-layer net, sample by sample: (mean loss, dict of dL/dparam)."""
    W1, b1, W2, b2 = params['W1'], params['b1'], params['W2'], params['b2']
    grads = {key: np.zeros_like(value) for key, value in params.items()}
    n_samples = x.shape[0]
    loss = 0.0
    for n in range(n_samples):
        a = x[n] @ W1 + b1
        h = np.maximum(a, 0)
        s = h @ W2 + b2
        e = np.exp(s - s.max())
        y = e / e.sum()
        k = _label(t, n)
        loss -= np.log(y[k] + DELTA)
        y[k] -= 1
        dy = y / n_samples
        grads['W2'] += np.outer(h, dy)
        grads['b2'] += dy
        dh = (W2 @ dy) * (a > 0)
        grads['W1'] += np.outer(x[n], dh)
        grads['b1'] += dh
    return loss / n_samples, grads


def train_step(params, x, t, learning_rate):
    loss, grads = gradient(params, x, t)
    for key in ('W1', 'b1', 'W2', 'b2'):
        params[key] -= learning_rate * grads[key]
    return loss


def accuracy(params, x, t):
    """Fraction of samples whose top score is the label, one image at a time."""
    correct = 0
    for n in range(x.shape[0]):
        h = np.maximum(x[n] @ params['W1'] + params['b1'], 0)
        s = h @ params['W2'] + params['b2']
        correct += int(s.argmax() == _label(t, n))
    return correct / x.shape[0]
