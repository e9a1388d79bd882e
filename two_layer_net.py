"""A two-layer network built from layers (book: ch05/two_layer_net.py, section 5.7.2).

Affine1 -> Relu1 -> Affine2 -> SoftmaxWithLoss. Because each layer knows its
own backward, gradient() is one loop over the layers in reverse, where the
chapter 4 version needed a numerical derivative per weight.
"""
from collections import OrderedDict

import numpy as np

from functions import _check_targets
from gradient import numerical_gradient
from layers import Affine, Relu, SoftmaxWithLoss

PARAM_NAMES = ("W1", "b1", "W2", "b2")

# accuracy() predicts this many rows at a time (see there); measured best of 500..10000.
EVAL_BLOCK = 1000


class TwoLayerNet:
    """input_size -> hidden_size (ReLU) -> output_size (softmax) classifier.

    params: dict of W1 (I, H), b1 (H,), W2 (H, O), b2 (O,), shared by reference
            with the Affine layers: update them in place (params[k] -= lr * g).
    x: (N, I) (or (N, ...) with I values per sample); t: (N, O) one-hot or (N,) labels.
    seed: int or numpy.random.Generator for the initial weights (None: fresh entropy).
    dtype: float64 (the book's, and what gradient checks need) or float32 (faster).
    """

    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01,
                 seed=None, dtype=np.float64):
        rng = np.random.default_rng(seed)
        dtype = np.dtype(dtype)
        if dtype not in (np.float32, np.float64):
            raise ValueError(f"TwoLayerNet: dtype must be float32 or float64, got {dtype}")
        # Initialise weights: small Gaussian weights break the symmetry between
        # hidden units; biases can start at zero.
        self.params = {}
        self.params['W1'] = (weight_init_std * rng.standard_normal((input_size, hidden_size))).astype(dtype)
        self.params['b1'] = np.zeros(hidden_size, dtype=dtype)
        self.params['W2'] = (weight_init_std * rng.standard_normal((hidden_size, output_size))).astype(dtype)
        self.params['b2'] = np.zeros(output_size, dtype=dtype)

        # Create the layers, in forward order
        self.layers = OrderedDict()
        # The first layer's input is the data: its gradient dx is never used.
        self.layers['Affine1'] = Affine(self.params['W1'], self.params['b1'], need_dx=False)
        self.layers['Relu1'] = Relu()
        self.layers['Affine2'] = Affine(self.params['W2'], self.params['b2'])

        self.lastLayer = SoftmaxWithLoss()

    def predict(self, x):
        """x (N, I) -> scores (N, O), before softmax (argmax is all prediction needs)."""
        for layer in self.layers.values():
            x = layer.forward(x)

        return x

    def loss(self, x, t):
        """x (N, I), t (N, O) one-hot or (N,) labels -> mean cross-entropy (float)."""
        y = self.predict(x)
        return self.lastLayer.forward(y, t)

    def accuracy(self, x, t):
        """Fraction of rows whose highest score is the target class (float in [0, 1])."""
        _check_accuracy_targets(x, t, self.params['b2'].shape[0])
        # The book predicts all rows at once. For the 60000 training images every
        # layer's output is then a 12 MB array, which leaves the cache and is
        # page-faulted in afresh on each call; blocks of EVAL_BLOCK rows stay in
        # cache (an evaluation of train + test: 98 ms -> 85 ms). Rows are independent,
        # so the predictions are the same.
        y = np.empty(x.shape[0], dtype=np.intp)
        for start in range(0, x.shape[0], EVAL_BLOCK):
            y[start:start + EVAL_BLOCK] = np.argmax(self.predict(x[start:start + EVAL_BLOCK]), axis=1)
        if t.ndim != 1:  # one-hot -> labels
            t = np.argmax(t, axis=1)

        accuracy = np.sum(y == t) / float(x.shape[0])
        return accuracy

    def numerical_gradient(self, x, t):
        """Slow reference gradient (section 4.5): dict of arrays shaped like params."""
        loss_W = lambda W: self.loss(x, t)  # noqa: E731 (the book's idiom); W is read via params

        grads = {}
        for key in PARAM_NAMES:
            grads[key] = numerical_gradient(loss_W, self.params[key])

        return grads

    def gradient(self, x, t):
        """Backpropagation: dict of dL/dparam arrays shaped like params."""
        # forward
        self.loss(x, t)

        # backward
        dout = 1
        dout = self.lastLayer.backward(dout)

        layers = list(self.layers.values())
        layers.reverse()
        for layer in layers:
            dout = layer.backward(dout)

        # collect what the Affine layers stored
        grads = {}
        grads['W1'], grads['b1'] = self.layers['Affine1'].dW, self.layers['Affine1'].db
        grads['W2'], grads['b2'] = self.layers['Affine2'].dW, self.layers['Affine2'].db

        return grads


def _check_accuracy_targets(x, t, n_classes):
    """t must be (N,) labels or (N, C) one-hot for x's N rows: y == t would broadcast anything else.

    E.g. labels of shape (N, 1) would be read as one-hot and argmax'ed to all 0.
    """
    scores = np.broadcast_to(0.0, (np.shape(x)[0], n_classes))  # the shape predict returns, no memory
    _check_targets(scores, t, "TwoLayerNet.accuracy")
