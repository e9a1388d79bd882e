"""Every hypothesis strategy of the test suite, in one module (as MiniTorch does).

Import as `from strategies import ...`. All arrays are float64 (gradient checks
need it); values are bounded so that exp() and products stay far from
overflow and the numerical gradient's rounding error stays tiny.
"""
import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

MAX_BATCH = 8
MAX_WIDTH = 12
VALUE_BOUND = 5.0

# Relu's derivative jumps at 0. A centred difference at x with |x| < h mixes
# both sides (it gives 0.5 at x = 0), so inputs stay at least this far from 0;
# with the suite's h = 1e-6, x +/- h never crosses the kink.
RELU_KINK_GAP = 1e-3

# Logits for the SoftmaxWithLoss check against its own forward: the loss has the
# book's 1e-7 inside log, which biases that loss's gradient by delta / p
# relative (p = the correct class's probability). With logits in [-2, 2] and at
# most 12 classes, p >= e^-2 / (e^-2 + 11 e^2) ~ 1.7e-3, so the bias is < 1e-4
# (tolerances.SOFTMAX_LOSS_DELTA_BIAS).
SOFTMAX_LOGIT_BOUND = 2.0

batch_sizes = st.integers(1, MAX_BATCH)
widths = st.integers(1, MAX_WIDTH)
class_counts = st.integers(2, MAX_WIDTH)  # a softmax over one class is constant


def floats(bound=VALUE_BOUND):
    """Finite float64 values in [-bound, bound]."""
    return st.floats(-bound, bound, allow_nan=False, allow_infinity=False, width=64)


def float_arrays(shape, bound=VALUE_BOUND):
    """float64 array of the given shape (a tuple or a strategy of tuples)."""
    return arrays(np.float64, shape, elements=floats(bound))


def shapes(min_dims=1, max_dims=3, max_side=6):
    """Any array shape, e.g. for elementwise layers and numerical_gradient."""
    return array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=1, max_side=max_side)


def relu_inputs(shape):
    """float64 array with every |value| in [RELU_KINK_GAP, VALUE_BOUND] (see RELU_KINK_GAP)."""
    away_from_kink = st.one_of(st.floats(-VALUE_BOUND, -RELU_KINK_GAP),
                               st.floats(RELU_KINK_GAP, VALUE_BOUND))
    return arrays(np.float64, shape, elements=away_from_kink)


def upstream(shape):
    """A random upstream gradient dout (G) for a VJP check; see checks.numeric_vjp."""
    return float_arrays(shape, bound=2.0)


@st.composite
def same_shape_pair(draw, shape=None):
    """(x, y, G): two inputs of one shape and an upstream gradient (MulLayer, AddLayer)."""
    shape = draw(shapes()) if shape is None else shape
    return draw(float_arrays(shape)), draw(float_arrays(shape)), draw(upstream(shape))


@st.composite
def elementwise_case(draw, inputs=float_arrays):
    """(x, G) for Relu/Sigmoid: x of any shape drawn by `inputs(shape)`, G of x's shape."""
    shape = draw(shapes())
    return draw(inputs(shape)), draw(upstream(shape))


@st.composite
def affine_case(draw, tensor=None):
    """(x, W, b, G) for Affine: x (N, D) or a tensor (N, d1, d2[, d3]) with D = d1*d2*...

    tensor: None draws either kind, True only tensors (e.g. (N, 1, 4, 4), (N, 2, 3)),
    False only matrices. W (D, M), b (M,), G (N, M).
    """
    n = draw(batch_sizes)
    m = draw(widths)
    is_tensor = draw(st.booleans()) if tensor is None else tensor
    if is_tensor:
        sample_shape = draw(st.sampled_from([(1, 4, 4), (2, 3), (3, 2, 2), (2, 1, 3)]))
    else:
        sample_shape = (draw(widths),)
    d = int(np.prod(sample_shape))
    x = draw(float_arrays((n, *sample_shape)))
    W = draw(float_arrays((d, m)))
    b = draw(float_arrays((m,)))
    G = draw(upstream((n, m)))
    return x, W, b, G


def one_hot(labels, n_classes):
    """(N,) int labels -> (N, C) float64 one-hot rows (the test's own, not the code under test)."""
    t = np.zeros((len(labels), n_classes))
    t[np.arange(len(labels)), labels] = 1.0
    return t


@st.composite
def softmax_case(draw, targets="one-hot", bound=SOFTMAX_LOGIT_BOUND, n=None, c=None):
    """(x, t): scores x (N, C) and targets, one-hot (N, C) float or labels (N,) int64.

    targets: "one-hot", "labels" or "either". n, c: fix the batch size / class count.
    """
    n = draw(batch_sizes) if n is None else n
    c = draw(class_counts) if c is None else c
    x = draw(float_arrays((n, c), bound=bound))
    labels = np.array(draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n)), dtype=np.int64)
    kind = draw(st.sampled_from(["one-hot", "labels"])) if targets == "either" else targets
    t = one_hot(labels, c) if kind == "one-hot" else labels
    return x, t


@st.composite
def probability_rows(draw, n=None, c=None):
    """(y, labels): y (N, C) rows of probabilities (positive, each summing to 1), labels (N,)."""
    n = draw(batch_sizes) if n is None else n
    c = draw(class_counts) if c is None else c
    raw = draw(arrays(np.float64, (n, c), elements=st.floats(1e-3, 1.0)))
    y = raw / raw.sum(axis=1, keepdims=True)
    labels = np.array(draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n)), dtype=np.int64)
    return y, labels


@st.composite
def points(draw, shape=None):
    """A float64 point x (for numerical_gradient). shape: a tuple, a strategy of shapes, or None (any)."""
    if shape is None:
        shape = shapes(max_side=4)
    if isinstance(shape, st.SearchStrategy):
        shape = draw(shape)
    return draw(float_arrays(shape, bound=3.0))


__all__ = [
    "MAX_BATCH", "MAX_WIDTH", "VALUE_BOUND", "RELU_KINK_GAP", "SOFTMAX_LOGIT_BOUND",
    "batch_sizes", "widths", "class_counts", "floats", "float_arrays", "shapes", "relu_inputs",
    "upstream", "same_shape_pair", "elementwise_case", "affine_case", "one_hot", "softmax_case",
    "probability_rows", "points",
]


# ---------------------------------------------------------------- bad input (tests/test_hardening_reference.py)
def non_arrays():
    """Values that are neither a numpy array nor a real number: lists, tuples, strings, bytes,
    None, dicts, complex numbers and bools (numpy would repeat, concatenate or misread them)."""
    small = st.floats(-VALUE_BOUND, VALUE_BOUND, allow_nan=False)
    return st.one_of(
        st.lists(small, min_size=1, max_size=4),
        st.lists(st.lists(st.integers(-5, 5), min_size=2, max_size=2), min_size=1, max_size=3),
        st.tuples(small, small),
        st.text(min_size=1, max_size=4),
        st.binary(min_size=1, max_size=4),
        st.none(),
        st.dictionaries(st.text(max_size=2), st.integers(), min_size=1, max_size=2),
        st.complex_numbers(max_magnitude=VALUE_BOUND, allow_nan=False).filter(lambda z: z.imag != 0),
        st.booleans(),
    )


def python_numbers():
    """Python ints and floats: fine for MulLayer/AddLayer (buy_apple.py), refused where an array is needed."""
    return st.one_of(st.integers(-100, 100), floats())


def bad_dtype_arrays(shape):
    """Arrays of a dtype no layer accepts: complex, bool, strings, Python objects."""
    return st.one_of(
        arrays(np.complex128, shape, elements=st.complex_numbers(max_magnitude=VALUE_BOUND, allow_nan=False)),
        arrays(np.bool_, shape),
        arrays("U3", shape, elements=st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=3)),
        arrays(object, shape, elements=st.integers(-5, 5)),
    )


@st.composite
def broadcastable_other_shape(draw, shape):
    """A shape that numpy broadcasts against `shape` but that is not `shape` (e.g. (3,) or (1, 3) for (2, 3))."""
    from hypothesis.extra.numpy import broadcastable_shapes
    return draw(broadcastable_shapes(shape, min_dims=0, max_dims=len(shape) + 1, min_side=1)
                .filter(lambda s: s != tuple(shape)))


@st.composite
def not_one_hot(draw, n=None, c=None):
    """(t, kind): (N, C) float targets with at least one row that is not one-hot.

    kind says how that row was broken: "soft" (a distribution, max < 1), "zero" (no class),
    "multi-hot" (two 1s), "scaled" (one value != 1), "negative" (a 1 and a negative entry),
    "tiny" (a 1 and a tiny positive entry, which a sum-based test would not see), "nan".
    """
    n = draw(batch_sizes) if n is None else n
    c = draw(class_counts) if c is None else c
    labels = draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n))
    t = one_hot(labels, c)
    row = draw(st.integers(0, n - 1))
    other = (labels[row] + draw(st.integers(1, c - 1))) % c  # a class that is not the row's
    kind = draw(st.sampled_from(["soft", "zero", "multi-hot", "scaled", "negative", "tiny", "nan"]))
    if kind == "soft":
        raw = np.array(draw(st.lists(st.floats(0.05, 1.0), min_size=c, max_size=c)))
        t[row] = raw / raw.sum()  # every entry >= 0.05 / c > 0: never one-hot
    elif kind == "zero":
        t[row] = 0.0
    elif kind == "multi-hot":
        t[row, other] = 1.0
    elif kind == "scaled":
        t[row, labels[row]] = draw(st.floats(0.01, 10.0).filter(lambda v: v != 1.0))
    elif kind == "negative":
        t[row, other] = -draw(st.floats(1e-6, 1.0))
    elif kind == "tiny":
        t[row, other] = draw(st.floats(1e-300, 1e-6))
    else:
        t[row, draw(st.sampled_from([labels[row], other]))] = np.nan
    return t, kind


__all__ += ["non_arrays", "python_numbers", "bad_dtype_arrays", "broadcastable_other_shape", "not_one_hot"]
