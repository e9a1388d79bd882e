"""The layers of Chapter 5 (book: ch05/layer_naive.py and common/layers.py).

Every layer has forward() and backward(dout). backward takes the upstream
gradient dout = dL/d(output) and returns dL/d(input); layers with parameters
also store dL/d(parameter) on themselves (Affine.dW, Affine.db).

Sections: 5.4.1 MulLayer, 5.4.2 AddLayer, 5.5.1 Relu, 5.5.2 Sigmoid,
5.6.1-5.6.2 Affine, 5.6.3 SoftmaxWithLoss.

Lines that start with a `check_...` call only validate input (validation.py):
they turn a wrong type or shape into a clear error instead of a silently
broadcast wrong answer (and hand integer input on as floats).

References, not copies, as in the book: what forward keeps for backward (MulLayer's
x and y, Affine's x, W and b, Sigmoid's out, SoftmaxWithLoss's t) is the caller's
array itself, so changing it in place between forward and backward changes the
gradient backward returns; each class's docstring says how. Copying would cost
every step of the hot path. Integer input is the exception: it is converted to
a float array (a copy) before it is kept.
"""
import numpy as np

from functions import cross_entropy_error, sigmoid, softmax
from validation import (check_affine_input, check_affine_params, check_array, check_as_float, check_forward_done,
                        check_number_or_array, check_operands, check_same_shape, check_scalar, check_shape)


class MulLayer:
    """Multiplication node z = x * y (section 5.4.1).

    forward:  x, y numbers or arrays of one shape -> out, same shape
    backward: dout (shape of out) -> (dx, dy), each the shape of out
    Keeps x and y by reference: if the caller changes them in place before
    backward, backward returns dx = dout * (the new y), dy = dout * (the new x).
    """

    def __init__(self):
        self.x = None
        self.y = None

    def forward(self, x: float | np.ndarray, y: float | np.ndarray) -> float | np.ndarray:
        x, y = check_operands("MulLayer.forward", x, y)  # one shape; numpy integers as float64
        self.x = x
        self.y = y
        out = x * y

        return out

    def backward(self, dout: float | np.ndarray) -> tuple:
        check_forward_done(self, "x")
        check_same_shape("MulLayer.backward", "dout", dout, self.x)
        dout = check_as_float("MulLayer.backward", "dout", dout, numbers=True)
        dx = dout * self.y  # swap x and y: dz/dx = y
        dy = dout * self.x

        return dx, dy


class AddLayer:
    """Addition node z = x + y (section 5.4.2).

    forward:  x, y numbers or arrays of one shape -> out = x + y
    backward: dout -> (dx, dy) = (dout, dout): addition passes the gradient on unchanged
    """

    def __init__(self):
        pass  # nothing to remember: the gradient does not depend on x or y

    def forward(self, x: float | np.ndarray, y: float | np.ndarray) -> float | np.ndarray:
        x, y = check_operands("AddLayer.forward", x, y)  # no broadcasting, as in MulLayer
        out = x + y

        return out

    def backward(self, dout: float | np.ndarray) -> tuple:
        check_number_or_array("AddLayer.backward", "dout", dout)
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

    def forward(self, x: np.ndarray) -> np.ndarray:
        check_array("Relu.forward", "x", x)
        self.mask = (x <= 0)
        # The book writes out = x.copy(); out[self.mask] = 0: the same values, but
        # boolean-mask assignment costs 4x at (100, 50) and 12x at (1000, 1000).
        out = np.maximum(x, 0)

        return out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        check_forward_done(self, "mask")
        check_same_shape("Relu.backward", "dout", dout, self.mask)
        # The book writes dout[self.mask] = 0; dx = dout, which zeroes the caller's
        # array in place. dout times "not masked" (True -> 1, False -> 0) is the same
        # values in a new array, as fast as np.maximum (copy + masked assignment: 3-13x slower).
        dx = dout * ~self.mask

        return dx


class Sigmoid:
    """Sigmoid y = 1 / (1 + exp(-x)) (section 5.5.2).

    forward:  x (any shape) -> out (same shape)
    backward: dout (shape of x) -> dx = dout * out * (1 - out)
    forward returns the array it keeps (self.out): changing the returned out in
    place before backward gives dx = dout * (new out) * (1 - new out). x is not kept.
    """

    def __init__(self):
        self.out = None  # backward needs only the output

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = check_as_float("Sigmoid.forward", "x", x)  # an integer x as float64: int8 -(-128) wraps
        out = sigmoid(x)
        self.out = out

        return out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        check_forward_done(self, "out")
        check_same_shape("Sigmoid.backward", "dout", dout, self.out)
        dx = dout * (1.0 - self.out) * self.out

        return dx


class Affine:
    """Fully connected layer out = x @ W + b (sections 5.6.1-5.6.2).

    W: (D, M) weights, b: (M,) bias; the arrays are kept by reference, so
       updating them in place (params[key] -= lr * grad) updates the layer;
       updated between forward and backward, backward's dx = dout @ (new W).T.
    x is kept by reference too (self.x, x reshaped to (N, D): a view of the
       caller's array, always for a 2-D x, for a tensor whenever numpy can view
       it without copying): changing x in place before backward gives
       dW = (new x).T @ dout. An integer x is kept as a float copy (W's dtype).
    forward:  x (N, D), or (N, d1, d2, ...) with d1*d2*... = D, e.g. (N, 1, 28, 28)
              -> out (N, M)
    backward: dout (N, M) -> dx in x's original shape;
              stores dW (D, M) = x.T @ dout and db (M,) = dout summed over the batch
    need_dx: set it to False for a first layer, whose input is data, not a
             parameter: backward then skips dx = dout @ W.T (a third of the
             layer's matrix work, and never used) and returns None.
    """

    def __init__(self, W: np.ndarray, b: np.ndarray):
        check_affine_params("Affine", W, b)
        self.W = W
        self.b = b

        self.x = None
        self.original_x_shape = None
        # gradients of the parameters, filled in by backward()
        self.dW = None
        self.db = None
        self.need_dx = True

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = check_affine_input("Affine.forward", x, self.W)  # an integer x as a float array
        # Tensor input (N, C, H, W) is flattened to (N, C*H*W) rows; backward
        # reshapes dx back so the layer below gets a gradient of its own shape.
        self.original_x_shape = x.shape
        x = x.reshape(x.shape[0], -1)
        self.x = x

        out = np.dot(self.x, self.W) + self.b

        return out

    def backward(self, dout: np.ndarray) -> np.ndarray | None:
        check_forward_done(self, "x")
        check_shape("Affine.backward", "dout", dout, (self.x.shape[0], self.W.shape[1]))
        dout = check_as_float("Affine.backward", "dout", dout)  # int dout @ int W.T would wrap around
        self.dW = np.dot(self.x.T, dout)
        # b was broadcast to every row in forward, so its gradient sums over rows
        self.db = np.sum(dout, axis=0)
        if not self.need_dx:
            return None

        dx = np.dot(dout, self.W.T)
        dx = dx.reshape(*self.original_x_shape)  # back to the input's shape
        return dx


class SoftmaxWithLoss:
    """Softmax followed by the cross-entropy loss (section 5.6.3).

    forward:  x (N, C) scores; t (N, C) one-hot or (N,) integer labels -> loss (float)
              (soft targets are refused, see validation.check_targets)
    backward: dout (a number, default 1) -> dx (N, C) = dout * (softmax(x) - t) / N
    Keeps t by reference (self.y is its own array): changing t in place before
    backward, e.g. refilling a label buffer with the next batch, gives
    dx = dout * (y - the new t) / N without a check; self.loss stays the old loss.
    """

    def __init__(self):
        self.loss = None
        self.y = None  # softmax output
        self.t = None  # targets, one-hot or labels

    def forward(self, x: np.ndarray, t: np.ndarray) -> float:
        check_shape("SoftmaxWithLoss.forward", "x", x, ("N", "C"))  # t: checked by cross_entropy_error
        # The book stores self.t first; here the layer keeps nothing until cross_entropy_error
        # has checked t, so a forward that raises (a label -1 or >= C) leaves the layer as it
        # was: a backward then fails or uses the last good forward, never the rejected t.
        # (A check_targets line of its own would check t twice: 6-16 % of the layer.)
        y = softmax(x)
        loss = cross_entropy_error(y, t)
        self.t = t
        self.y = y
        self.loss = loss

        return self.loss

    def backward(self, dout: float = 1) -> np.ndarray:
        check_forward_done(self, "y")
        check_scalar("SoftmaxWithLoss.backward", "dout", dout)
        batch_size = self.t.shape[0]
        if self.t.size == self.y.size:  # one-hot targets
            dx = self.y - self.t
        else:  # label targets: the same y - t, with t's 1 at each row's correct class
            dx = self.y.copy()
            dx[np.arange(batch_size), self.t] -= 1
        # dx = dout * (y - t) / batch_size. The book writes dx = (self.y - self.t) / batch_size
        # and drops dout, which is 1 at the end of the network; the chain rule multiplies
        # by it, so any upstream gradient works. One in-place pass for both factors:
        # separate "/ batch_size" and "* dout" arrays cost 5-15 % of the layer at (1000, 1000).
        dx *= dout / batch_size
        return dx
