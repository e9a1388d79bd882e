"""Numerical gradients by centred differences (book: common/gradient.py, section 4.4).

Chapter 5 uses them as the trusted but slow answer that backpropagation is
checked against (section 5.7.3, "gradient check").
"""
from typing import Callable

import numpy as np

from validation import check_float_array, check_rows


def _numerical_gradient_1d(f: Callable[[np.ndarray], float], x: np.ndarray) -> np.ndarray:
    """Gradient of scalar f at a 1-D point x. x: (D,) float -> (D,) gradient.

    The book keeps this 1-D loop from chapter 4; numerical_gradient below does
    the same for any shape, so this is that function restricted to vectors.
    """
    if np.ndim(x) != 1:
        raise ValueError(f"_numerical_gradient_1d: expected x of shape (D,), got {np.shape(x)}")
    return numerical_gradient(f, x)


def numerical_gradient_2d(f: Callable[[np.ndarray], float], X: np.ndarray) -> np.ndarray:
    """Row-wise gradient: X (D,) -> (D,); X (N, D) -> (N, D), row n = grad f at X[n]."""
    check_float_array("numerical_gradient_2d", X)
    check_rows("numerical_gradient_2d", "X", X)
    if X.ndim == 1:
        return _numerical_gradient_1d(f, X)
    else:
        grad = np.zeros_like(X)

        for idx, x in enumerate(X):
            grad[idx] = _numerical_gradient_1d(f, x)

        return grad


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray) -> np.ndarray:
    """Gradient of a scalar function f at x, by centred differences.

    f: callable taking x (it may ignore its argument and read x through a closure,
       as TwoLayerNet.numerical_gradient does) and returning a float.
    x: float array of any shape; it is perturbed in place and restored exactly,
       also when f raises (or Ctrl-C interrupts it).
    returns: array of x's shape and dtype, d f / d x.
    """
    check_float_array("numerical_gradient", x)
    # The book's step. Centred differences have error O(h^2) from truncation and
    # O(eps / h) from rounding; with float64 (eps ~ 2e-16) h = 1e-4 balances the
    # two to about 1e-8 relative error on smooth functions.
    h = 1e-4  # 0.0001
    grad = np.zeros_like(x)

    it = np.nditer(x, flags=['multi_index'], op_flags=['readwrite'])
    while not it.finished:
        idx = it.multi_index
        tmp_val = x[idx]
        try:
            x[idx] = float(tmp_val) + h
            fxh1 = f(x)  # f(x+h)

            x[idx] = tmp_val - h
            fxh2 = f(x)  # f(x-h)
        finally:
            x[idx] = tmp_val  # restore, whatever f did: later elements and the caller see the original x
        grad[idx] = (fxh1 - fxh2) / (2*h)

        it.iternext()

    return grad
