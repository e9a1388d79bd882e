"""The layers of Chapter 5 (book: ch05/layer_naive.py and common/layers.py).

Every layer has forward() and backward(dout). backward takes the upstream
gradient dout = dL/d(output) and returns dL/d(input); layers with parameters
also store dL/d(parameter) on themselves (Affine.dW, Affine.db).

Sections: 5.4.1 MulLayer, 5.4.2 AddLayer, 5.5.1 Relu, 5.5.2 Sigmoid,
5.6.1-5.6.2 Affine, 5.6.3 SoftmaxWithLoss.

Lines that start with a `_check_...` call only validate input: they turn a
shape mistake into a clear error instead of a silently broadcast wrong answer.
"""
import math

import numpy as np

from functions import _check_targets, cross_entropy_error, sigmoid, softmax


def _check_forward_done(layer, attr):
    """backward() needs what forward() stored; say so instead of failing on None."""
    if getattr(layer, attr) is None:
        name = type(layer).__name__
        raise RuntimeError(
            f"{name}.backward() was called before {name}.forward(): "
            f"call forward first, it stores the '{attr}' that backward needs"
        )


def _check_shape(who, name, arr, expected):
    """arr must have shape `expected`; a name in `expected` ("N", "C") or None matches any size."""
    shape = np.shape(arr)
    if len(shape) != len(expected) or any(not (e is None or isinstance(e, str)) and e != s
                                           for e, s in zip(expected, shape)):
        shown = tuple("N" if e is None else e for e in expected)
        shown = str(shown).replace("'", "")  # ('N', 10) -> (N, 10)
        raise ValueError(f"{who}: expected {name} of shape {shown}, got {shape}")


def _check_same_shape(who, name, arr, like):
    if np.shape(arr) != np.shape(like):
        raise ValueError(f"{who}: expected {name} of shape {np.shape(like)}, got {np.shape(arr)}")


class MulLayer:
    """Multiplication node z = x * y (section 5.4.1).

    forward:  x, y scalars or arrays of one shape -> out, same shape
    backward: dout (shape of out) -> (dx, dy), each the shape of out
    """

    def __init__(self):
        self.x = None
        self.y = None

    def forward(self, x, y):
        # One shape for both: for a broadcast pair (a scalar times an array) backward
        # would return gradients of the broadcast shape, not of x and y.
        _check_same_shape("MulLayer.forward", "y", y, x)
        self.x = x
        self.y = y
        out = x * y

        return out

    def backward(self, dout):
        _check_forward_done(self, "x")
        dx = dout * self.y  # swap x and y: dz/dx = y
        dy = dout * self.x

        return dx, dy


class AddLayer:
    """Addition node z = x + y (section 5.4.2).

    forward:  x, y -> out = x + y
    backward: dout -> (dx, dy) = (dout, dout): addition passes the gradient on unchanged
    """

    def __init__(self):
        pass  # nothing to remember: the gradient does not depend on x or y

    def forward(self, x, y):
        _check_same_shape("AddLayer.forward", "y", y, x)  # no broadcasting, as in MulLayer
        out = x + y

        return out

    def backward(self, dout):
        dx = dout * 1
        dy = dout * 1

        return dx, dy


class Relu:
    """ReLU y = max(0, x) (section 5.5.1).

    forward:  x (any shape) -> out (same shape)
    backward: dout (shape of x) -> dx (shape of x); dx = dout where x > 0, else 0
    """

    def __init__(self):
        self.mask = None  # True where x <= 0, i.e. where no gradient flows

    def forward(self, x):
        self.mask = (x <= 0)
        # The book writes out = x.copy(); out[self.mask] = 0. Same values, but
        # boolean-mask assignment is ~10x slower than one elementwise pass.
        out = np.maximum(x, 0)

        return out

    def backward(self, dout):
        _check_forward_done(self, "mask")
        _check_same_shape("Relu.backward", "dout", dout, self.mask)
        # The book writes dout[self.mask] = 0, which zeroes the caller's array in
        # place; a new array keeps the upstream gradient intact for anyone else
        # using it. Multiplying by the "x > 0" mask (True -> 1, False -> 0) gives
        # the same values as copy + masked assignment in one fast pass.
        dx = dout * ~self.mask

        return dx


class Sigmoid:
    """Sigmoid y = 1 / (1 + exp(-x)) (section 5.5.2).

    forward:  x (any shape) -> out (same shape)
    backward: dout (shape of x) -> dx = dout * out * (1 - out)
    """

    def __init__(self):
        self.out = None  # backward needs only the output

    def forward(self, x):
        out = sigmoid(x)  # overflow-free form of 1 / (1 + np.exp(-x))
        self.out = out

        return out

    def backward(self, dout):
        _check_forward_done(self, "out")
        _check_same_shape("Sigmoid.backward", "dout", dout, self.out)
        dx = dout * (1.0 - self.out) * self.out

        return dx


class Affine:
    """Fully connected layer out = x @ W + b (sections 5.6.1-5.6.2).

    W: (D, M) weights, b: (M,) bias; the arrays are kept by reference, so
       updating them in place (params[key] -= lr * grad) updates the layer.
    forward:  x (N, D), or (N, d1, d2, ...) with d1*d2*... = D, e.g. (N, 1, 28, 28)
              -> out (N, M)
    backward: dout (N, M) -> dx in x's original shape;
              stores dW (D, M) = x.T @ dout and db (M,) = dout summed over the batch
    need_dx: False for a first layer, whose input is data, not a parameter:
             backward then skips dx = dout @ W.T (a third of the layer's matrix
             work, and never used) and returns None.
    """

    def __init__(self, W, b, need_dx=True):
        _check_shape("Affine", "b", b, (np.shape(W)[-1],))
        self.W = W
        self.b = b
        self.need_dx = need_dx

        self.x = None
        self.original_x_shape = None
        # gradients of the parameters, filled in by backward()
        self.dW = None
        self.db = None

    def forward(self, x):
        _check_affine_input(x, self.W)
        # Tensor input (N, C, H, W) is flattened to (N, C*H*W) rows; backward
        # reshapes dx back so the layer below gets a gradient of its own shape.
        self.original_x_shape = x.shape
        x = x.reshape(x.shape[0], -1)
        self.x = x

        out = np.dot(self.x, self.W) + self.b

        return out

    def backward(self, dout):
        _check_forward_done(self, "x")
        _check_shape("Affine.backward", "dout", dout, (self.x.shape[0], self.W.shape[1]))
        self.dW = np.dot(self.x.T, dout)
        # b was broadcast to every row in forward, so its gradient sums over rows
        self.db = dout.sum(axis=0)  # the method skips np.sum's dispatch: 1 us of ~3 at (100, 10)
        if not self.need_dx:
            return None

        dx = np.dot(dout, self.W.T)
        dx = dx.reshape(*self.original_x_shape)  # back to the input's shape
        return dx


def _check_affine_input(x, W):
    shape = np.shape(x)
    if len(shape) < 2:
        raise ValueError(
            f"Affine.forward: expected a batch x of shape (N, {W.shape[0]}) or (N, ...), got {shape}; "
            "for one sample use x[np.newaxis]"
        )
    if shape[0] == 0:  # numpy's own error would be "cannot reshape array of size 0"
        raise ValueError(f"Affine.forward: expected a batch x of shape (N, {W.shape[0]}) with N >= 1, got {shape}")
    width = math.prod(shape[1:])  # not np.prod: this runs every step, math.prod is 25x faster
    if width != W.shape[0]:
        raise ValueError(
            f"Affine.forward: expected x of shape (N, {W.shape[0]}) (or (N, ...) with "
            f"{W.shape[0]} values per sample) to match W {W.shape}, got {shape}"
        )


class SoftmaxWithLoss:
    """Softmax followed by the cross-entropy loss (section 5.6.3).

    forward:  x (N, C) scores; t (N, C) one-hot or (N,) integer labels -> loss (float)
    backward: dout (float, default 1) -> dx (N, C) = dout * (softmax(x) - t) / N
    """

    def __init__(self):
        self.loss = None
        self.y = None  # softmax output
        self.t = None  # targets, one-hot or labels

    def forward(self, x, t):
        _check_shape("SoftmaxWithLoss.forward", "x", x, ("N", "C"))
        _check_targets(x, t, "SoftmaxWithLoss.forward")
        self.t = t
        self.y = softmax(x)
        self.loss = cross_entropy_error(self.y, self.t)

        return self.loss

    def backward(self, dout=1):
        _check_forward_done(self, "y")
        batch_size = self.t.shape[0]
        if self.t.ndim == self.y.ndim:  # one-hot targets
            # dtype=y's: float64 one-hot rows must not turn a float32 network's
            # whole backward pass into float64 (twice the memory traffic)
            dx = np.subtract(self.y, self.t, dtype=self.y.dtype)
        else:  # label targets: subtract 1 at each row's correct class
            dx = self.y.copy()
            dx[np.arange(batch_size), self.t] -= 1
        # The book divides by batch_size and drops dout because it is always 1 at
        # the end of the network; multiplying keeps the chain rule right for any
        # upstream gradient. Both in one in-place pass over dx.
        dx *= dout / batch_size

        return dx
