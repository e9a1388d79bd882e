"""TensorFlow as an independent oracle: the chapter's forwards in TF ops, differentiated by tf.GradientTape.

Our backward() passes are derived by hand; TF derives the same gradients by
automatic differentiation of the forward alone. Agreement in float64 means
the hand derivation is right, not merely consistent with itself.

TensorFlow is imported lazily (first call of get_tf()): the import costs
seconds and only the `tf`-marked tests need it, so `pytest -m "not tf"`
never pays for it.

One behaviour to know when comparing: TF's CPU kernels compute with subnormal
numbers (|v| < 2.2e-308) flushed to zero, numpy keeps them. Values differ only by
~1e-308 then, but a ReLU input of 1e-309 is "positive" for numpy and 0 for
TF; tests keep ReLU inputs away from 0 (strategies.RELU_KINK_GAP).
"""
import os

import numpy as np

# The book's delta inside the log of cross_entropy_error (functions.CROSS_ENTROPY_DELTA).
# Written out here on purpose: the oracle must not take its constants from the
# code under test.
BOOK_DELTA = 1e-7

_tf = None


def get_tf():
    """Import and configure TensorFlow once: single-threaded, quiet, CPU, float64 by our choice."""
    global _tf
    if _tf is None:
        # 2 = only errors. The remaining "failed call to cuInit" line on machines
        # without a GPU is harmless: TF falls back to the CPU.
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        import tensorflow as tf

        # Must happen before the first op creates the thread pools (afterwards
        # TF raises RuntimeError). One thread: the machine's cores are shared
        # and TF's pools would otherwise compete with numpy's BLAS.
        tf.config.threading.set_intra_op_parallelism_threads(1)
        tf.config.threading.set_inter_op_parallelism_threads(1)
        _tf = tf
    return _tf


def vjp(fn, inputs, upstream=None):
    """Forward and vector-Jacobian product of fn by tf.GradientTape, in float64.

    fn: callable taking len(inputs) float64 tensors, returning one tensor `out`.
    inputs: numpy arrays (cast to float64).
    upstream: G, an array of out's shape, or None for a scalar out (G = 1).
    returns: (out as numpy, [d sum(out * G) / d input_i as numpy, each input_i's shape]).
    """
    tf = get_tf()
    xs = [tf.constant(np.asarray(a, dtype=np.float64)) for a in inputs]
    with tf.GradientTape() as tape:
        for x in xs:
            tape.watch(x)
        out = fn(*xs)
    output_gradients = None if upstream is None else tf.constant(np.asarray(upstream, dtype=np.float64))
    # An input that out does not depend on has gradient 0, not None.
    grads = tape.gradient(out, xs, output_gradients=output_gradients,
                          unconnected_gradients=tf.UnconnectedGradients.ZERO)
    return out.numpy(), [g.numpy() for g in grads]


# ---- the chapter's forwards, written in TF ops ------------------------------------

def mul(x, y):
    return x * y


def add(x, y):
    return x + y


def relu(x):
    return get_tf().nn.relu(x)


def sigmoid(x):
    return get_tf().math.sigmoid(x)


def affine(x, W, b):
    """x (N, ...) flattened to (N, D), W (D, M), b (M,) -> (N, M)."""
    tf = get_tf()
    return tf.matmul(tf.reshape(x, (tf.shape(x)[0], -1)), W) + b


def softmax(x):
    """Softmax along the last axis: (..., C) -> (..., C)."""
    return get_tf().nn.softmax(x, axis=-1)


def _correct_class_prob(y, t):
    """y (N, C) probabilities; t (N, C) one-hot or (N,) labels -> (N,) probability of the target class."""
    tf = get_tf()
    if len(t.shape) == len(y.shape):  # one-hot
        return tf.reduce_sum(y * tf.cast(t, y.dtype), axis=-1)
    return tf.gather(y, tf.cast(t, tf.int64), axis=1, batch_dims=1)


def cross_entropy_error(y, t):
    """The book's loss: mean(-log(y[n, t_n] + 1e-7)); y (N, C), t one-hot (N, C) or labels (N,)."""
    tf = get_tf()
    return -tf.reduce_mean(tf.math.log(_correct_class_prob(y, t) + BOOK_DELTA))


def softmax_with_loss(x, t):
    """Scores x (N, C) -> the book's loss value, delta included."""
    return cross_entropy_error(softmax(x), t)


def softmax_cross_entropy(x, t):
    """Scores x (N, C) -> mean cross-entropy WITHOUT the delta, by TF's fused op.

    Its exact gradient is (softmax(x) - t) / N: what SoftmaxWithLoss.backward
    returns (see tolerances.SOFTMAX_LOSS_DELTA_BIAS for the delta's effect).
    """
    tf = get_tf()
    if len(t.shape) == len(x.shape):
        per_row = tf.nn.softmax_cross_entropy_with_logits(labels=tf.cast(t, x.dtype), logits=x)
    else:
        per_row = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.cast(t, tf.int64), logits=x)
    return tf.reduce_mean(per_row)


def two_layer_net(x, W1, b1, W2, b2, t, loss):
    """TwoLayerNet's forward: Affine -> ReLU -> Affine -> loss(scores, t).

    loss: softmax_with_loss (the value the network reports) or
    softmax_cross_entropy (the loss whose exact gradient backprop computes).
    """
    hidden = relu(affine(x, W1, b1))
    return loss(affine(hidden, W2, b2), t)
