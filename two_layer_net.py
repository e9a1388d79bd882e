"""A two-layer network built from layers (book: ch05/two_layer_net.py, section 5.7.2).

Affine1 -> Relu1 -> Affine2 -> SoftmaxWithLoss. Because each layer knows its
own backward, gradient() is one loop over the layers in reverse, where the
chapter 4 version needed a numerical derivative per weight.
"""
from collections import OrderedDict

import numpy as np

from gradient import numerical_gradient
from layers import Affine, Relu, SoftmaxWithLoss
from validation import check_accuracy_targets, check_float_dtype

PARAM_NAMES = ("W1", "b1", "W2", "b2")


class TwoLayerNet:
    """input_size -> hidden_size (ReLU) -> output_size (softmax) classifier.

    params: dict of W1 (I, H), b1 (H,), W2 (H, O), b2 (O,), shared by reference
            with the Affine layers: update them in place (params[k] -= lr * g).
    x: (N, I) (or (N, ...) with I values per sample); t: (N, O) one-hot or (N,) labels.
       An integer x (load_mnist(normalize=False)'s uint8 images) is computed in the
       network's dtype; the layers keep x by reference until the next forward.
    seed: int or numpy.random.Generator for the initial weights (None: fresh entropy).
    dtype: float64 (the book's, and what gradient checks need) or float32 (faster).
    """

    def __init__(self, input_size: int, hidden_size: int, output_size: int, weight_init_std: float = 0.01,
                 seed: int | np.random.Generator | None = None, dtype: type | str = np.float64):
        check_float_dtype("TwoLayerNet", dtype)
        rng = np.random.default_rng(seed)
        # Initialise weights: small Gaussian weights break the symmetry between
        # hidden units; biases can start at zero.
        self.params = {}
        self.params['W1'] = (weight_init_std * rng.standard_normal((input_size, hidden_size))).astype(dtype)
        self.params['b1'] = np.zeros(hidden_size, dtype=dtype)
        self.params['W2'] = (weight_init_std * rng.standard_normal((hidden_size, output_size))).astype(dtype)
        self.params['b2'] = np.zeros(output_size, dtype=dtype)

        # Create the layers, in forward order
        self.layers = OrderedDict()
        self.layers['Affine1'] = Affine(self.params['W1'], self.params['b1'])
        self.layers['Relu1'] = Relu()
        self.layers['Affine2'] = Affine(self.params['W2'], self.params['b2'])

        self.lastLayer = SoftmaxWithLoss()

        # The first layer's input is the data: its gradient dx is never used, so
        # its backward skips that product (a book-form Affine ignores the attribute).
        self.layers['Affine1'].need_dx = False

    def predict(self, x: np.ndarray) -> np.ndarray:
        """x (N, I) -> scores (N, O), before softmax (argmax is all prediction needs)."""
        for layer in self.layers.values():
            x = layer.forward(x)

        return x

    def loss(self, x: np.ndarray, t: np.ndarray) -> float:
        """x (N, I), t (N, O) one-hot or (N,) labels -> mean cross-entropy (float).

        t is checked only after predict(x): a loss that raises for a bad t has already
        run the Affine and Relu layers on x, while lastLayer keeps its last good
        forward. gradient() runs forward and backward together, so it never mixes them.
        """
        y = self.predict(x)
        return self.lastLayer.forward(y, t)

    def accuracy(self, x: np.ndarray, t: np.ndarray) -> float:
        """Fraction of rows whose highest score is the target class (float in [0, 1])."""
        check_accuracy_targets("TwoLayerNet.accuracy", x, t, self.params['b2'].shape[0])
        y = self.predict(x)
        y = np.argmax(y, axis=1)
        if t.ndim != 1:
            t = np.argmax(t, axis=1)

        accuracy = np.sum(y == t) / float(x.shape[0])
        return accuracy

    def numerical_gradient(self, x: np.ndarray, t: np.ndarray) -> dict:
        """Slow reference gradient (section 4.5): dict of arrays shaped like params."""
        loss_W = lambda W: self.loss(x, t)  # noqa: E731 (the book's idiom); W is read via params

        grads = {}
        for key in PARAM_NAMES:
            grads[key] = numerical_gradient(loss_W, self.params[key])

        return grads

    def gradient(self, x: np.ndarray, t: np.ndarray) -> dict:
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
        grads['W1'] = self.layers['Affine1'].dW
        grads['b1'] = self.layers['Affine1'].db
        grads['W2'] = self.layers['Affine2'].dW
        grads['b2'] = self.layers['Affine2'].db

        return grads
