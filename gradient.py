"""Numerical gradients by centred differences (book: common/gradient.py, section 4.4).

Chapter 5 uses them as the trusted but slow answer that backpropagation is
checked against (section 5.7.3, "gradient check").
"""
import warnings

import numpy as np

# The book's step. Centred differences have error O(h^2) from truncation and
# O(eps / h) from rounding; with float64 (eps ~ 2e-16) h = 1e-4 balances the two
# to about 1e-8 relative error on smooth functions.
H = 1e-4


def _check_float_array(x, who):
    """x must be a float numpy array: the difference quotient writes x +/- h into it."""
    if not isinstance(x, np.ndarray):
        raise TypeError(f"{who}: expected a numpy float array, got {type(x).__name__}")
    if not np.issubdtype(x.dtype, np.floating):
        # An integer array silently truncates x + 1e-4 back to x, so f(x+h) - f(x-h)
        # becomes a difference of whole steps: x0^2 + x1^2 at (3, 4) "gives" [25000, 35000].
        raise TypeError(
            f"{who}: x has dtype {x.dtype}; it must be a float array "
            f"(e.g. np.array([3.0, 4.0]) or x.astype(np.float64))"
        )
    if x.dtype != np.float64:
        warnings.warn(
            f"{who}: x is {x.dtype}; with h={H} its rounding error swamps the gradient. "
            "Use float64 for gradient checks.",
            RuntimeWarning,
            stacklevel=3,
        )


def _numerical_gradient_1d(f, x):
    """Gradient of scalar f at a 1-D point x. x: (D,) float -> (D,) gradient.

    The book keeps this 1-D loop from chapter 4; numerical_gradient below does
    the same for any shape, so this is that function restricted to vectors.
    """
    if np.ndim(x) != 1:
        raise ValueError(f"_numerical_gradient_1d: expected x of shape (D,), got {np.shape(x)}")
    return numerical_gradient(f, x)


def numerical_gradient_2d(f, X):
    """Row-wise gradient: X (D,) -> (D,); X (N, D) -> (N, D), row n = grad f at X[n]."""
    _check_float_array(X, "numerical_gradient_2d")
    if X.ndim == 1:
        return _numerical_gradient_1d(f, X)
    grad = np.zeros_like(X)
    for idx, x in enumerate(X):
        grad[idx] = _numerical_gradient_1d(f, x)
    return grad


def numerical_gradient(f, x):
    """Gradient of a scalar function f at x, by centred differences.

    f: callable taking x (it may ignore its argument and read x through a closure,
       as TwoLayerNet.numerical_gradient does) and returning a float.
    x: float array of any shape; it is perturbed in place and restored exactly.
    returns: array of x's shape and dtype, d f / d x.
    """
    _check_float_array(x, "numerical_gradient")
    h = H
    grad = np.zeros_like(x)

    it = np.nditer(x, flags=["multi_index"], op_flags=[["readwrite"]])
    while not it.finished:
        idx = it.multi_index
        tmp_val = x[idx]
        x[idx] = tmp_val + h
        fxh1 = f(x)  # f(x+h)

        x[idx] = tmp_val - h
        fxh2 = f(x)  # f(x-h)
        grad[idx] = (fxh1 - fxh2) / (2 * h)

        x[idx] = tmp_val  # restore: later elements must see the original x
        it.iternext()

    return grad
