"""Input checks of the reference modules (layers.py, functions.py, gradient.py, two_layer_net.py).

Each check_* either returns (None; the four that convert, below, the input) or
raises an error that names what was expected:
TypeError for the wrong kind of value, ValueError for the wrong shape or values,
RuntimeError for backward() before forward(). Without them numpy broadcasts,
fancy-indexes or concatenates its way to a silently wrong answer.

The reference calls them as one-line statements at the top of a function body,
`check_shape("Affine.backward", "dout", dout, (N, M))`; the kata's stubs keep
those lines (kata/stubs.py), so a learner's body gets the same clear errors.
`who` is always the first argument: the "Class.method" shown in the message.

What the layers take, decided once for all of them: numpy arrays of real numbers
(integer or float dtype). Where the book passes Python numbers (MulLayer and
AddLayer in buy_apple.py, a single label, dout = 1) an int or float is accepted
too. Anything else (a list, a tuple, a string, a complex or bool array) is a
TypeError naming the expected type: `[1, 2] * 2` would silently repeat a list, and
converting behind the caller's back hides a copy on every call.

Integer numpy input is the one conversion: where a formula does arithmetic on it
(sigmoid, softmax, MulLayer, AddLayer, Affine), an integer array or numpy integer
comes back from its check (check_as_float, check_scores, check_operands,
check_affine_input: `x = check_...(...)`) as float64, or as W's float dtype in
Affine, because integer arithmetic wraps around before the float math starts.
Comparisons and masks (Relu, the labels of a target) are exact in integers and
take them as they are.
"""
import math
import warnings
from numbers import Integral, Real

import numpy as np

# numpy dtype kinds of real numbers: signed int, unsigned int, float. Not "b"
# (bool), "c" (complex), "U"/"S" (strings) or "O" (Python objects).
REAL_KINDS = "iuf"


def _kind(x):
    """A short description of x's type for messages: 'list', 'numpy array of complex128'."""
    if isinstance(x, np.matrix):
        return f"np.matrix of dtype {x.dtype} (its * is the matrix product)"
    if isinstance(x, (np.ndarray, np.generic)):
        return f"{'numpy array' if isinstance(x, np.ndarray) else 'numpy scalar'} of dtype {x.dtype}"
    return type(x).__name__


def _is_real_number(x):
    """A Python int or float (not bool), or a numpy scalar of a real dtype."""
    if isinstance(x, np.generic):
        return x.dtype.kind in REAL_KINDS
    return isinstance(x, Real) and not isinstance(x, bool)


REAL = "real numbers (int or float dtype)"


# np.matrix is an ndarray whose * is the matrix product: MulLayer would return x @ y,
# Relu.backward dout @ mask, both silently. Refused (np.asarray(x) is a view, no copy).
def check_array(who, name, x):
    """x must be a numpy array (ndarray, not np.matrix) of real numbers, any shape."""
    if not (isinstance(x, np.ndarray) and x.dtype.kind in REAL_KINDS) or isinstance(x, np.matrix):
        raise TypeError(f"{who}: expected {name} as a numpy array of {REAL}, got {_kind(x)}" + _hint(x))


def check_number_or_array(who, name, x):
    """x must be a real number (Python int/float or numpy scalar) or a numpy array of real numbers."""
    if (not (isinstance(x, np.ndarray) and x.dtype.kind in REAL_KINDS or _is_real_number(x))
            or isinstance(x, np.matrix)):
        raise TypeError(f"{who}: expected {name} as a number or a numpy array of {REAL}, "
                        f"got {_kind(x)}" + _hint(x))


def check_as_float(who, name, x, numbers=False):
    """x for a formula's arithmetic: a numpy array of real numbers (numbers=True: or a number).

    Returns x itself, or, if x is a numpy integer array or scalar, x as float64.
    Integer arithmetic wraps around before any float math: in int8 -(-128) is -128,
    so sigmoid(np.int8(-128)) was 1.0 instead of 2.6e-56; an int64 row holding its
    minimum and maximum overflows in x - max(x); uint8 1 - 2 is 255; int8 127 * 2 is
    -2. numpy also computes exp of int8 in float16 and of int16 in float32. float64 is
    the book's path; the formulas make new arrays from x anyway, so the conversion
    costs one array. Floats keep their dtype (float32 is TwoLayerNet's fast path), and
    Python ints stay: they never wrap (buy_apple.py's 100 * 2 is the book's int 200).
    """
    if numbers:
        check_number_or_array(who, name, x)
    else:
        check_array(who, name, x)
    if isinstance(x, (np.ndarray, np.generic)) and x.dtype.kind in "iu":
        return x.astype(np.float64)
    return x


def check_scores(who, x):
    """x (C,) or (..., C) scores for softmax, C >= 1; returns x, integers as float64.

    numpy's own errors for these say neither what softmax needs nor what it got:
    "zero-size array to reduction operation maximum" for (N, 0), and "return arrays
    must be of ArrayType" for a 0-d array.
    """
    x = check_as_float(who, "x", x)
    if x.ndim == 0 or x.shape[-1] == 0:
        raise ValueError(f"{who}: expected x of shape (C,) or (N, C) with C >= 1 scores per row, got {x.shape}")
    return x


def check_operands(who, x, y):
    """x and y of a node z = f(x, y) (MulLayer, AddLayer): numbers or arrays of one shape.

    One shape for both: for a broadcast pair (a scalar times an array) backward would
    return gradients of the broadcast shape, not of x and y. Returns (x, y), numpy
    integers as float64 (see check_as_float).
    """
    x = check_as_float(who, "x", x, numbers=True)
    check_same_shape(who, "y", y, x)
    return x, check_as_float(who, "y", y, numbers=True)


def check_scalar(who, name, x):
    """x must be one real number: a Python int/float, a numpy scalar or a 0-d array."""
    if isinstance(x, np.ndarray) and x.dtype.kind in REAL_KINDS:
        if x.ndim != 0:
            raise ValueError(f"{who}: expected {name} to be a number (shape ()), got an array of shape {x.shape}")
        return
    if not _is_real_number(x):
        raise TypeError(f"{who}: expected {name} to be a number (int or float), got {_kind(x)}")


def _hint(x):
    if isinstance(x, (list, tuple)):
        return f": convert it first, np.array(...) (a {type(x).__name__} would be repeated or concatenated)"
    if isinstance(x, np.matrix):
        return ": pass np.asarray(x), a plain array (a view, no copy)"
    if isinstance(x, (np.ndarray, np.generic)) and x.dtype.kind == "c":
        return ": the layers are defined for real numbers only"
    if isinstance(x, (np.ndarray, np.generic)) and x.dtype.kind == "b":
        return ": convert it first, e.g. x.astype(np.float64)"
    return ""


def _shown(expected):
    """('N', 'C', 3) -> '(N, C, 3)'."""
    return str(tuple(expected)).replace("'", "")


def check_shape(who, name, arr, expected):
    """arr must be a numpy array of real numbers of shape `expected`.

    expected: tuple of sizes; a name ("N", "C") matches any size >= 1, e.g. ("N", 10).
    """
    check_array(who, name, arr)
    shape = arr.shape
    if len(shape) != len(expected) or any(e != s if isinstance(e, int) else s == 0
                                           for e, s in zip(expected, shape)):
        named = [e for e in expected if not isinstance(e, int)]
        sizes = f" with {', '.join(named)} >= 1" if 0 in shape and len(shape) == len(expected) else ""
        raise ValueError(f"{who}: expected {name} of shape {_shown(expected)}{sizes}, got {shape}")


def check_same_shape(who, name, arr, like):
    """arr must be a real number or array with exactly like's shape (no broadcasting)."""
    check_number_or_array(who, name, arr)
    if np.shape(arr) != np.shape(like):
        raise ValueError(f"{who}: expected {name} of shape {np.shape(like)}, got {np.shape(arr)}")


def check_forward_done(layer, attr):
    """backward() needs self.<attr>, which forward() stores; say so instead of failing on None."""
    if getattr(layer, attr, None) is None:
        name = type(layer).__name__
        raise RuntimeError(
            f"{name}.backward() needs self.{attr}, which is None: call forward first "
            f"(backward was called before {name}.forward(), or forward did not store self.{attr})"
        )


def check_float_array(who, x):
    """x must be a float numpy array: a difference quotient writes x +/- h into it."""
    if not isinstance(x, np.ndarray):
        raise TypeError(f"{who}: expected a numpy float array, got {type(x).__name__}")
    if x.dtype.kind != "f":
        # An integer array silently truncates x + 1e-4 back to x, so f(x+h) - f(x-h)
        # becomes a difference of whole steps: x0^2 + x1^2 at (3, 4) "gives" [25000, 35000].
        raise TypeError(
            f"{who}: x has dtype {x.dtype}; it must be a float array "
            f"(e.g. np.array([3.0, 4.0]) or x.astype(np.float64))"
        )
    if not x.flags.writeable:
        raise ValueError(f"{who}: x is read-only; the difference quotient writes x +/- h into it (pass x.copy())")
    if x.size == 0:  # numpy's nditer would say "Iteration of zero-sized operands is not enabled"
        raise ValueError(f"{who}: x has no elements (shape {x.shape}): there is no gradient to compute")
    if x.dtype != np.float64:
        warnings.warn(
            f"{who}: x is {x.dtype}; with the book's h = 1e-4 its rounding error swamps the gradient. "
            "Use float64 for gradient checks.",
            RuntimeWarning,
            stacklevel=3,
        )


def check_rows(who, name, X):
    """X must be (D,) or (N, D): numerical_gradient_2d's one point or N points, one per row.

    numpy's error for a 0-d X is "iteration over a 0-d array"; a 3-D X was refused
    only by the private helper, in the name of a row of shape (D,).
    """
    if X.ndim not in (1, 2):
        raise ValueError(f"{who}: expected {name} of shape (D,) or (N, D) (one point per row), got {X.shape}")


def check_float_dtype(who, dtype):
    """dtype must name float32 or float64 (e.g. np.float32, 'float64')."""
    if np.dtype(dtype) not in (np.float32, np.float64):
        raise ValueError(f"{who}: dtype must be float32 or float64, got {np.dtype(dtype)}")


def check_affine_params(who, W, b):
    """W (D, M) and b (M,), real numpy arrays."""
    check_shape(who, "W", W, ("D", "M"))
    check_shape(who, "b", b, (W.shape[1],))


def check_affine_input(who, x, W):
    """x (N, D) or (N, d1, d2, ...) with d1*d2*... = D for W (D, M), and N >= 1.

    Returns x; an integer x as W's float dtype (a float32 network fed uint8 images stays
    float32, as numpy's own promotion kept it), or as float64 if W is integer too (an int8
    x times an int8 W wraps around; see check_as_float).
    """
    check_array(who, "x", x)
    shape = x.shape
    if len(shape) < 2:
        raise ValueError(
            f"{who}: expected a batch x of shape (N, {W.shape[0]}) or (N, ...), got {shape}; "
            "for one sample use x[np.newaxis]"
        )
    if shape[0] == 0:  # numpy's own error would be "cannot reshape array of size 0"
        raise ValueError(f"{who}: expected a batch x of shape (N, {W.shape[0]}) with N >= 1, got {shape}")
    width = math.prod(shape[1:])  # not np.prod: this runs every step, math.prod is 25x faster
    if width != W.shape[0]:
        raise ValueError(
            f"{who}: expected x of shape (N, {W.shape[0]}) (or (N, ...) with "
            f"{W.shape[0]} values per sample) to match W {W.shape}, got {shape}"
        )
    if x.dtype.kind in "iu":
        return x.astype(W.dtype if W.dtype.kind == "f" else np.float64)
    return x


def check_targets(who, y, t):
    """Targets t for scores or probabilities y.

    y: (C,) or (N, C) real numpy array, N >= 1, C >= 2.
    t: one-hot with y's shape (exactly one 1 per row, 0 elsewhere), or integer class
       indices with y's shape minus the last axis, each in [0, C); a single label may
       be a Python int.
    Soft targets ([0.3, 0.7]), all-zero rows and multi-hot rows are refused: the
    book's cross_entropy_error reads one-hot rows by argmax, which would silently
    give the loss of another problem, and SoftmaxWithLoss.backward's (y - t) / N is
    the gradient of that loss for one-hot rows only.
    """
    check_array(who, "y", y)
    if not (isinstance(t, np.ndarray) and t.dtype.kind in REAL_KINDS or isinstance(t, Integral)
            and not isinstance(t, bool)):
        raise TypeError(f"{who}: expected t as a numpy array (one-hot rows or integer labels), got {_kind(t)}"
                        + _hint(t))
    if y.ndim not in (1, 2):
        raise ValueError(f"{who}: expected y of shape (C,) or (N, C), got {y.shape}")
    if y.ndim == 2 and y.shape[0] == 0:  # the mean over no rows would be a silent NaN
        raise ValueError(f"{who}: expected y of shape (N, C) with N >= 1, got the empty batch {y.shape}")
    n_classes = y.shape[-1]
    if n_classes < 2:  # and (N,) labels would broadcast against (N, 1) scores
        raise ValueError(f"{who}: expected y of shape (N, C) with C >= 2 classes, got {y.shape}")
    t_shape = np.shape(t)
    if t_shape == y.shape:
        _check_one_hot(who, t)
        return
    if t_shape != y.shape[:-1]:
        expected = f"one-hot {y.shape} or labels {y.shape[:-1]}"
        raise ValueError(f"{who}: expected t of shape {expected} for y {y.shape}, got {t_shape}")
    if isinstance(t, Integral):  # one sample's label as a Python int
        if not 0 <= t < n_classes:
            raise ValueError(f"{who}: labels must be in [0, {n_classes - 1}] for {n_classes} classes, got {t}")
        return
    if t.dtype.kind not in "iu":  # signed/unsigned integer; np.issubdtype is 10x slower
        raise ValueError(f"{who}: label targets must be integers, got dtype {t.dtype}")
    # One reduction instead of min() and max(): cast to unsigned integers of the
    # same width, negative labels wrap around to huge values, so max() >= C
    # catches both ends (no copy for the uint8 labels load_mnist returns).
    if t.size and t.astype(f"u{t.dtype.itemsize}", copy=False).max() >= n_classes:
        raise ValueError(
            f"{who}: labels must be in [0, {n_classes - 1}] for {n_classes} classes, "
            f"got values from {t.min()} to {t.max()}"
        )


# How far a row of y may sum from 1 and still count as probabilities. The mistakes
# this is for are off by O(1): raw scores (negative entries, any sum), sigmoid outputs
# (rows sum to ~C/2), exp without the division (> 1), softmax along the wrong axis,
# two softmax outputs added (2). Rounding is far smaller: the book's softmax rows sum
# to 1 within ~C ulps (float64: 1e-15; float32, C = 1000: measured 3e-7), and
# probabilities written by hand to 3 decimals (0.333, 0.333, 0.333) within ~1e-3.
# So 1e-2, or C * eps for a float type so coarse that C roundings come near it
# (float16, eps ~ 1e-3, with C > 10).
PROBABILITY_SUM_TOL = 1e-2


def check_probabilities(who, y):
    """y must look like probabilities: no negative entry, every row (last axis) summing to 1.

    The book calls cross_entropy_error on softmax output only; given raw scores it
    returns a negative loss, given rows summing to 2 a loss of 0, without a word.
    Entries > 1 need no check of their own: with none negative, an entry is at most
    its row's sum. NaN passes (every comparison with it is False): a NaN loss is how
    a diverged training run shows itself (training/cli.py reports it).
    Cost: a sum and a min over y, 5-10 % of SoftmaxWithLoss (measured at (100, 10) and
    (1000, 1000)), where y is always softmax.
    """
    sums = y.sum(axis=-1)
    if y.min() < 0 or abs(sums - 1).max() > PROBABILITY_SUM_TOL:
        _refuse_non_probabilities(who, y, sums)


def _refuse_non_probabilities(who, y, sums):
    """The slow path of check_probabilities: the dtype's own tolerance, then the message."""
    c = y.shape[-1]
    tol = max(PROBABILITY_SUM_TOL, c * np.finfo(y.dtype).eps) if y.dtype.kind == "f" else PROBABILITY_SUM_TOL
    rows, sums = y.reshape(-1, c), np.reshape(sums, -1)
    negative = np.flatnonzero(rows.min(axis=1) < 0)
    off = np.flatnonzero(np.abs(sums - 1) > tol)  # NaN rows are not "off"
    if negative.size:  # the first bad row, as _check_one_hot reports
        bad = int(negative[0])
        found = f"row {bad} has a negative entry {float(rows[bad].min())!r}"
    elif off.size:
        bad = int(off[0])
        found = f"row {bad} sums to {float(sums[bad])!r}"
    else:
        return  # within the coarse dtype's rounding
    raise ValueError(
        f"{who}: y must be probabilities (rows of softmax output, each >= 0 and summing to 1 "
        f"within {tol:g}), but {found}: {rows[bad].tolist()[:12]}; did you forget softmax? "
        "(for raw scores use softmax(x) first, or SoftmaxWithLoss)"
    )


def _check_one_hot(who, t):
    """Every row of t (last axis) is one 1 and zeros.

    Exact and one pass in the common case: if t has exactly as many nonzero
    elements as rows, and every row's largest element is 1, then each row holds
    its 1 and nothing else. The count runs on the bit patterns (an integer
    count_nonzero, 4x faster than on floats), where -0.0 counts as nonzero; if
    that count is off, the values are counted before refusing.
    """
    rows = t.reshape(-1, t.shape[-1])
    n_rows = rows.shape[0]
    if t.dtype.kind == "f":
        nonzero = np.count_nonzero(t.view(f"u{t.dtype.itemsize}"))
        if nonzero != n_rows:
            nonzero = np.count_nonzero(t)
    else:
        nonzero = np.count_nonzero(t)
    if nonzero == n_rows and (rows[np.arange(n_rows), rows.argmax(axis=1)] == 1).all():
        return
    bad = next(i for i, row in enumerate(rows) if np.count_nonzero(row) != 1 or row.max() != 1)
    raise ValueError(
        f"{who}: one-hot targets t of shape {t.shape} must have exactly one 1 per row and 0 elsewhere, "
        f"row {bad} is {rows[bad].tolist()[:12]}; soft or multi-hot targets are not supported "
        "(for class indices pass integer labels of shape (N,))"
    )


def check_accuracy_targets(who, x, t, n_classes):
    """t must be (N,) labels or (N, C) one-hot for x's N rows: y == t would broadcast anything else.

    E.g. labels of shape (N, 1) would be read as one-hot and argmax'ed to all 0.
    """
    check_array(who, "x", x)
    if x.ndim < 1:
        raise ValueError(f"{who}: expected a batch x of shape (N, ...), got {x.shape}")
    scores = np.broadcast_to(0.0, (x.shape[0], n_classes))  # the shape predict returns, no memory
    check_targets(who, scores, t)
