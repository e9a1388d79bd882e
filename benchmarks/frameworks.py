"""TensorFlow and PyTorch versions of each benchmarked computation, one thread each.

Both are imported lazily: the import costs seconds, and PyTorch is an optional
extra (requirements-bench.txt) that `make test` does not install. Every pool is
pinned to one thread before first use: numpy's OpenBLAS, PyTorch's OpenMP/MKL
and TensorFlow's Eigen pools would otherwise oversubscribe the 2 cores and slow
each other 2-5x inside one process.

Each make_* function takes numpy arrays, converts them once (the conversion is
not what is measured), and returns a no-argument callable doing the work.
"""
import os

import numpy as np

THREADS = int(os.environ.get("BENCH_THREADS", "1"))

_tf = None
_torch = None


def get_tf():
    global _tf
    if _tf is None:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        import tensorflow as tf

        try:  # raises once TF's pools exist, e.g. when tests/tf_oracle.py configured them first
            tf.config.threading.set_intra_op_parallelism_threads(THREADS)
            tf.config.threading.set_inter_op_parallelism_threads(1)
        except RuntimeError:
            pass
        _tf = tf
    return _tf


def torch_or_skip_reason():
    """(torch module, None), or (None, why it is unavailable)."""
    global _torch
    if _torch is None:
        try:
            import torch
        except ImportError as exc:
            return None, f"PyTorch is not installed ({exc}); `make bench` installs requirements-bench.txt"
        torch.set_num_threads(THREADS)
        try:
            torch.set_num_interop_threads(1)
        except RuntimeError:  # only settable before the first parallel work
            pass
        _torch = torch
    return _torch, None


# ---------------------------------------------------------------- TensorFlow

def tf_affine(x, W, b, dout):
    """out = x @ W + b and (dx, dW, db) by tf.GradientTape with dout as output gradient."""
    tf = get_tf()
    x, W, b, dout = (tf.constant(a) for a in (x, W, b, dout))

    @tf.function
    def step(x, W, b, dout):
        with tf.GradientTape() as tape:
            tape.watch([x, W, b])
            out = tf.matmul(x, W) + b
        dx, dW, db = tape.gradient(out, [x, W, b], output_gradients=dout)
        return out, dx, dW, db

    return lambda: step(x, W, b, dout)


def tf_softmax_loss(x, t):
    """Mean softmax cross-entropy of logits x and its gradient; t labels or one-hot."""
    tf = get_tf()
    x = tf.constant(x)
    t = tf.constant(t.astype(np.int32) if t.ndim == 1 else t)
    loss_fn = (tf.nn.sparse_softmax_cross_entropy_with_logits if t.shape.rank == 1
               else tf.nn.softmax_cross_entropy_with_logits)

    @tf.function
    def step(x, t):
        with tf.GradientTape() as tape:
            tape.watch(x)
            loss = tf.reduce_mean(loss_fn(labels=t, logits=x))
        return loss, tape.gradient(loss, x)

    return lambda: step(x, t)


def tf_train_step(params, x, t, learning_rate):
    """One SGD step of the two-layer net on tf.Variables (gradient + in-place update)."""
    tf = get_tf()
    variables = [tf.Variable(params[key]) for key in ('W1', 'b1', 'W2', 'b2')]
    x = tf.constant(x)
    t = tf.constant(t.astype(np.int32))
    lr = tf.constant(learning_rate, dtype=variables[0].dtype)

    @tf.function
    def step(x, t):
        W1, b1, W2, b2 = variables
        with tf.GradientTape() as tape:
            h = tf.nn.relu(tf.matmul(x, W1) + b1)
            scores = tf.matmul(h, W2) + b2
            loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=t, logits=scores))
        for var, grad in zip(variables, tape.gradient(loss, variables)):
            var.assign_sub(lr * grad)
        return loss

    def run():
        return step(x, t)
    run.params = lambda: {key: v.numpy() for key, v in zip(('W1', 'b1', 'W2', 'b2'), variables)}
    return run


# ------------------------------------------------------------------- PyTorch

def torch_affine(torch, x, W, b, dout):
    x, W, b = (torch.from_numpy(a).requires_grad_() for a in (x, W, b))
    dout = torch.from_numpy(dout)

    def step():
        out = x @ W + b
        dx, dW, db = torch.autograd.grad(out, (x, W, b), dout)
        return out, dx, dW, db

    return step


def torch_softmax_loss(torch, x, t):
    import torch.nn.functional as F

    x = torch.from_numpy(x).requires_grad_()
    t = torch.from_numpy(t.astype(np.int64) if t.ndim == 1 else t)

    def step():
        loss = F.cross_entropy(x, t)  # label indices or class probabilities (one-hot)
        (dx,) = torch.autograd.grad(loss, (x,))
        return loss, dx

    return step


def torch_train_step(torch, params, x, t, learning_rate):
    import torch.nn.functional as F

    tensors = [torch.from_numpy(params[key].copy()).requires_grad_() for key in ('W1', 'b1', 'W2', 'b2')]
    x = torch.from_numpy(x)
    t = torch.from_numpy(t.astype(np.int64))

    def step():
        W1, b1, W2, b2 = tensors
        scores = torch.relu(x @ W1 + b1) @ W2 + b2
        loss = F.cross_entropy(scores, t)
        grads = torch.autograd.grad(loss, tensors)
        with torch.no_grad():
            for p, g in zip(tensors, grads):
                p.add_(g, alpha=-learning_rate)  # the fused update torch.optim.SGD does
        return loss

    step.params = lambda: {key: p.detach().numpy().copy() for key, p in zip(('W1', 'b1', 'W2', 'b2'), tensors)}
    return step
