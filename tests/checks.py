"""The test suite's own numerical gradient and the assertions that explain a failure.

Import as `from checks import ...` (pytest puts tests/ on sys.path: it holds the
rootdir conftest.py and no __init__.py).

Nothing here calls gradient.py or any other module under test: the suite must
be able to judge a learner's numerical_gradient too.

Public names (other test modules and the kata tooling rely on them):
    numeric_grad(f, x, h)                   gradient of a scalar function
    numeric_vjp(forward, x, G, h)           gradient of sum(forward(x) * G)
    assert_grad_close(name, analytic, numeric, tol, ...)
    assert_close(name, actual, expected, tol)
    assert_not_mutated(who, hint=None, /, **arrays)    context manager
    call_checked(who, fn, *args, **kwargs)  numpy overflow / log(0) -> a plain diagnosis
    classify_* functions                    one "likely mistake" pattern each
"""
import warnings
from contextlib import contextmanager

import numpy as np

from tolerances import NUMERIC_H, PATTERN_MATCH

WORST_K = 5  # how many of the worst elements a failure report lists


# --------------------------------------------------------------------------
# numerical gradients
# --------------------------------------------------------------------------

def _check_float64(x, who):
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        kind = x.dtype if isinstance(x, np.ndarray) else type(x).__name__
        raise TypeError(f"{who}: gradient checks need a float64 numpy array, got {kind}")


def numeric_vjp(forward, x, G, h=NUMERIC_H):
    """Numerical gradient of sum(forward(x) * G) with respect to x.

    Why the random G ("vector-Jacobian product", VJP): a layer's output is an
    array, not one number, so "the gradient" of the output is a whole Jacobian.
    backward(dout) never builds it; it returns dL/dx for ONE upstream gradient
    dout = dL/d(out). Pretending the loss is L = sum(out * G) makes dL/d(out)
    exactly G, so backward(G) must equal the numerical gradient of that L.
    A random G (rather than all ones) also catches a backward that ignores dout
    or mixes up which output element goes with which input element.
    (CS231n calls the same idea eval_numerical_gradient_array(f, x, df).)

    forward: callable forward(x) -> array shaped like G (or a scalar if G is).
             To differentiate with respect to a parameter the layer holds by
             reference, ignore the argument: numeric_vjp(lambda _: layer.forward(x), layer.W, G).
    x: float64 array of any shape; each element is perturbed in place by +/- h,
       then restored bit for bit.
    G: upstream gradient, shaped like forward's output.
    returns: float64 array of x's shape.
    """
    _check_float64(x, "numeric_vjp")
    G = np.asarray(G, dtype=np.float64)
    grad = np.zeros(x.shape, dtype=np.float64)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        up = x[idx]
        # copy: a layer may return an array it later overwrites
        out_plus = np.array(forward(x), dtype=np.float64, copy=True)
        x[idx] = old - h
        down = x[idx]
        out_minus = np.array(forward(x), dtype=np.float64, copy=True)
        x[idx] = old
        if out_plus.shape != G.shape:
            raise ValueError(f"numeric_vjp: forward returned shape {out_plus.shape}, G has {G.shape}")
        # Subtracting the two outputs element by element before weighting them by G
        # keeps the rounding error at eps * |out element| / h instead of
        # eps * |sum of everything| / h. Dividing by the step actually taken
        # (up - down, not 2h) removes the rounding of old +/- h.
        grad[idx] = np.sum((out_plus - out_minus) * G) / (up - down)
    return grad


def numeric_grad(f, x, h=NUMERIC_H):
    """Centred difference gradient (f(x+h) - f(x-h)) / 2h of a scalar function f.

    f: callable f(x) -> float (it may ignore x and read the array by reference).
    x: float64 array of any shape, perturbed in place and restored bit for bit.
    returns: float64 array of x's shape.
    """
    _check_float64(x, "numeric_grad")

    def scalar(arr):
        value = np.asarray(f(arr), dtype=np.float64)
        if value.size != 1:
            raise ValueError(f"numeric_grad: f must return one number, got shape {value.shape}")
        return value.reshape(())

    return numeric_vjp(scalar, x, 1.0, h)


# --------------------------------------------------------------------------
# "likely mistake" classifiers: pure functions, each returns a message or None
# --------------------------------------------------------------------------

def _same(a, b, tol=PATTERN_MATCH):
    """a == b up to tol, measured relative to the larger of the two arrays' scales."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape or not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        return False
    scale = max(np.max(np.abs(a), initial=0.0), np.max(np.abs(b), initial=0.0))
    return bool(np.all(np.abs(a - b) <= tol.atol + tol.rtol * scale))


def _scale_factor(analytic, numeric):
    """r if analytic == r * numeric everywhere (r != 1), else None."""
    a = np.asarray(analytic, dtype=np.float64)
    n = np.asarray(numeric, dtype=np.float64)
    if a.shape != n.shape or not np.all(np.isfinite(a)):
        return None
    nn = float(np.sum(n * n))
    if nn == 0.0:
        return None
    r = float(np.sum(a * n)) / nn  # least-squares ratio
    if _same(a, r * n) and not _same(a, n):
        return r
    return None


def _near(value, target):
    return abs(value - target) <= PATTERN_MATCH.rtol * 10 * abs(target)


def classify_nonfinite(analytic):
    a = np.asarray(analytic, dtype=np.float64)
    bad = ~np.isfinite(a)
    if not bad.any():
        return None
    # No advice on the cause here: which formula overflowed is the caller's to say (call_checked)
    return f"{int(bad.sum())} of {a.size} values are NaN or inf: an overflow or a 0/0 happened in the computation"


def classify_all_zero(analytic, numeric):
    a = np.asarray(analytic, dtype=np.float64)
    n = np.asarray(numeric, dtype=np.float64)
    if a.shape == n.shape and a.size and not np.any(a) and not _same(n, np.zeros_like(n)):
        return "every value is 0: is the gradient computed at all (or overwritten with zeros)?"
    return None


def classify_batch_factor(analytic, numeric, batch_size):
    """Off by the batch size: the division by N forgotten (ratio N) or done twice (ratio 1/N)."""
    if batch_size is None or batch_size < 2:
        return None
    r = _scale_factor(analytic, numeric)
    if r is None:
        return None
    if _near(r, batch_size):
        return (f"{batch_size} times too large, and {batch_size} is the batch size: "
                "the division by the batch size is missing")
    if _near(r, 1.0 / batch_size):
        return (f"{batch_size} times too small, and {batch_size} is the batch size: "
                "the division by the batch size is done twice")
    return None


def classify_sign_flip(analytic, numeric):
    r = _scale_factor(analytic, numeric)
    if r is not None and _near(r, -1.0):
        return "the sign is flipped (e.g. t - y instead of y - t, or x - h instead of x + h)"
    return None


def classify_transposed(analytic, numeric):
    a = np.asarray(analytic, dtype=np.float64)
    n = np.asarray(numeric, dtype=np.float64)
    if a.ndim != 2 or n.ndim != 2 or n.shape[0] == 1 or n.shape[1] == 1:
        return None
    if a.shape == n.T.shape and _same(a, n.T) and not _same(a, n):
        return ("it is the right gradient transposed: check the order of the matrix product "
                "(dW = x.T @ dout has W's shape (D, M); dout.T @ x is (M, D))")
    return None


def classify_shape(analytic_shape, numeric_shape, dout_shape=None):
    """Explain a wrong shape: not summed over the batch, wrong axis, transposed, not reshaped."""
    a, n = tuple(analytic_shape), tuple(numeric_shape)
    if dout_shape is not None and len(dout_shape) == 2 and n == dout_shape[1:]:
        if a == tuple(dout_shape):
            return ("it has dout's shape (N, M): the bias gradient must be summed over the batch "
                    "(db = np.sum(dout, axis=0), shape (M,))")
        if a == dout_shape[:1]:
            return ("it has shape (N,): it was summed over the wrong axis; the bias gradient is "
                    "summed over the batch, axis=0")
        if a == ():
            return ("it is one number: np.sum(dout) without axis= adds up every element; the bias gradient "
                    "is summed over the batch only, np.sum(dout, axis=0), shape (M,)")
    if len(a) == len(n) + 1 and a[1:] == n:
        return f"it has an extra leading axis of {a[0]}: it must be summed over the batch"
    if len(a) == 2 and a == n[::-1]:
        return "it has the transposed shape: check the order of the matrix product"
    if a and int(np.prod(a)) == int(np.prod(n)):
        return ("it has the right number of values in the wrong shape: reshape it to the input's "
                "original shape (x.shape before flattening)")
    return None


def classify_not_summed(analytic, numeric, dout):
    """The bias gradient equals one row of dout, or dout summed over axis 1 (same shape by chance)."""
    if dout is None:
        return None
    a = np.asarray(analytic, dtype=np.float64)
    d = np.asarray(dout, dtype=np.float64)
    if d.ndim != 2 or a.shape != d.shape[1:] or _same(a, numeric):
        return None
    for i, row in enumerate(d):
        if d.shape[0] > 1 and _same(a, row):
            return (f"it equals row {i} of dout: the bias gradient must be summed over the batch "
                    "(db = np.sum(dout, axis=0))")
    if d.shape[0] == d.shape[1] and _same(a, d.sum(axis=1)):
        return ("it equals dout summed over axis 1: the wrong axis; the bias gradient is summed "
                "over the batch, axis=0")
    return None


def classify_dout_ignored(analytic, numeric, ones_grad):
    """analytic is what the gradient would be for dout = 1, but dout was something else."""
    if ones_grad is None or _same(numeric, ones_grad):
        return None
    if _same(analytic, ones_grad):
        return ("it equals the gradient for dout = 1: the upstream gradient dout was ignored "
                "(chain rule: multiply by dout)")
    return None


def classify_candidates(analytic, numeric, candidates):
    """candidates: {description: what a known wrong formula gives} -> the description that matches.

    A candidate matches when it explains analytic at least 100 times better than
    the right answer does, so even a subtly wrong formula (a forward difference
    is off by only ~1e-4) is recognised.
    """
    a = np.asarray(analytic, dtype=np.float64)
    n = np.asarray(numeric, dtype=np.float64)
    if a.shape != n.shape or not np.all(np.isfinite(a)):
        return None
    miss = float(np.max(np.abs(a - n), initial=0.0))
    own = float(np.max(np.abs(a), initial=0.0))
    for description, wrong in (candidates or {}).items():
        w = np.asarray(wrong, dtype=np.float64)
        diff = float(np.max(np.abs(a - w), initial=0.0)) if w.shape == a.shape else np.inf
        # ... and within 1e-3 of analytic's own scale: a candidate of tiny values (the gradient times
        # h**2) must not "explain" an all-zero answer, whose miss dwarfs them
        if miss > 0 and diff <= 0.01 * miss and diff <= 1e-3 * own:
            return description
    return None


def classify_constant_factor(analytic, numeric):
    r = _scale_factor(analytic, numeric)
    if r is not None:
        return f"every value is {r:.6g} times the right one: a constant factor is wrong"
    return None


def likely_mistakes(analytic, numeric, *, batch_size=None, dout=None, ones_grad=None,
                    candidates=None):
    """Every classifier message that fits (most specific first); [] if none does."""
    found = [
        classify_nonfinite(analytic),
        classify_candidates(analytic, numeric, candidates),
        classify_dout_ignored(analytic, numeric, ones_grad),
        classify_batch_factor(analytic, numeric, batch_size),
        classify_sign_flip(analytic, numeric),
        classify_transposed(analytic, numeric),
        classify_not_summed(analytic, numeric, dout),
    ]
    found = [m for m in found if m]
    if not found:  # the generic ones only when nothing specific fits: for an input of
        # zeros, "dx = dout * x" (a swap forgotten) is also "every value is 0"
        generic = classify_all_zero(analytic, numeric) or classify_constant_factor(analytic, numeric)
        found = [generic] if generic else []
    return found


# --------------------------------------------------------------------------
# assertions
# --------------------------------------------------------------------------

def _fmt_index(idx):
    return "[" + ", ".join(str(int(i)) for i in idx) + "]"


def _worst(a, n, excess, k):
    """Lines for the k elements that miss the tolerance by most."""
    order = np.argsort(excess, axis=None)[::-1][:k]
    lines = []
    for flat in order:
        if excess.flat[flat] <= 0:
            break
        idx = np.unravel_index(flat, a.shape)
        lines.append(f"    {_fmt_index(idx):<12} got {a[idx]: .9g}   expected {n[idx]: .9g}")
    return lines


def _shape_dtype_report(name, actual, expected, what):
    """AssertionError text if actual is None or has the wrong shape, else None."""
    if actual is None:
        return f"{name}: got None instead of an array of shape {np.shape(expected)} (missing return?)"
    if np.shape(actual) != np.shape(expected):
        return (f"{name}: wrong shape: expected {np.shape(expected)}, got {np.shape(actual)} "
                f"(the {what})")
    return None


def assert_grad_close(name, analytic, numeric, tol, *, batch_size=None, dout=None, ones_grad=None,
                      candidates=None, reference="numerical gradient", k=WORST_K):
    """Fail, with a report a learner can act on, unless analytic matches numeric.

    name: which gradient, e.g. "Affine dW".
    analytic: what backward() returned; numeric: the trusted reference (same shape).
    tol: a tolerances.Tol. An element passes if |analytic - numeric| <= atol + rtol * scale,
         scale = max |numeric|: a centred difference's rounding error is set by the
         size of the values involved, not by how small one gradient element happens to be.
    Optional context for the "likely mistake" line:
      batch_size: N of the batch (off-by-N patterns);
      dout: the upstream gradient G used (bias-gradient patterns);
      ones_grad: the correct gradient for dout = 1 (detects an ignored dout);
      candidates: {description: value of a known wrong formula}.
    reference: what `numeric` is, for the message (e.g. "TensorFlow's gradient").
    """
    report = _shape_dtype_report(name, analytic, numeric, "shape of what it is the gradient of")
    if report:
        if analytic is not None:
            why = classify_shape(np.shape(analytic), np.shape(numeric),
                                 None if dout is None else np.shape(dout))
            if why:
                report += f"\n  likely mistake: {why}"
        raise AssertionError(report)

    a = np.asarray(analytic)
    n = np.asarray(numeric, dtype=np.float64)
    if not np.issubdtype(a.dtype, np.number):
        raise AssertionError(f"{name}: expected numbers, got an array of dtype {a.dtype}")
    af = a.astype(np.float64)
    scale = float(np.max(np.abs(n), initial=0.0))
    with np.errstate(invalid="ignore", over="ignore"):
        err = np.abs(af - n)
        allowed = tol.atol + tol.rtol * scale
        bad = ~(err <= allowed)  # NaN counts as bad
    if not bad.any():
        return

    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        rel = err / np.maximum(np.abs(af) + np.abs(n), np.finfo(np.float64).tiny)
        excess = np.where(np.isfinite(err), err - allowed, np.inf)
    lines = [
        f"{name}: {int(bad.sum())} of {a.size} values differ from the {reference}",
        f"  shape {a.shape}, dtype {a.dtype} (reference {n.dtype}); "
        f"max relative error {np.nanmax(rel):.3g} (allowed: |diff| <= {tol.atol:g} + {tol.rtol:g} * {scale:.3g})",
        "  worst elements:",
        *_worst(af, n, excess, k),
    ]
    for why in likely_mistakes(af, n, batch_size=batch_size, dout=dout, ones_grad=ones_grad,
                               candidates=candidates):
        lines.append(f"  likely mistake: {why}")
    raise AssertionError("\n".join(lines))


def assert_close(name, actual, expected, tol, *, candidates=None, k=WORST_K):
    """Forward values: fail unless |actual - expected| <= atol + rtol * |expected| elementwise.

    Forward values are compared element by element (both sides are exact up to
    a few ulps). candidates: {description: value of a known wrong formula}.
    """
    report = _shape_dtype_report(name, actual, expected, "expected value's shape")
    if report:
        raise AssertionError(report)
    a = np.asarray(actual)
    e = np.asarray(expected, dtype=np.float64)
    if not np.issubdtype(a.dtype, np.number):
        raise AssertionError(f"{name}: expected numbers, got dtype {a.dtype}")
    af = a.astype(np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        err = np.abs(af - e)
        allowed = tol.atol + tol.rtol * np.abs(e)
        bad = ~(err <= allowed)
    if not bad.any():
        return
    excess = np.where(np.isfinite(err), err - allowed, np.inf)
    lines = [f"{name}: {int(bad.sum())} of {a.size} values wrong (shape {a.shape}, dtype {a.dtype})"]
    if a.ndim:
        lines += _worst(af, e, excess, k)
    else:
        lines.append(f"    got {float(af)!r}, expected {float(e)!r}")
    for why in filter(None, [classify_nonfinite(af), classify_candidates(af, e, candidates)]):
        lines.append(f"  likely mistake: {why}")
    raise AssertionError("\n".join(lines))


@contextmanager
def assert_not_mutated(who, hint=None, /, **arrays):
    """Fail if the block changes any of the given arrays (bit for bit, shape and dtype too).

        with assert_not_mutated("Relu.backward", dout=dout):
            layer.backward(dout)
    """
    before = {key: np.array(arr, copy=True) for key, arr in arrays.items()}
    yield
    for key, old in before.items():
        new = np.asarray(arrays[key])
        if new.shape == old.shape and new.dtype == old.dtype and new.tobytes() == old.tobytes():
            continue
        if new.shape != old.shape or new.dtype != old.dtype:
            detail = f"shape/dtype {old.shape} {old.dtype} -> {new.shape} {new.dtype}"
        else:
            same = old == new
            if old.dtype.kind in "fc":
                same |= np.isnan(old) & np.isnan(new)
            changed = ~same
            idx = np.unravel_index(int(np.argmax(changed)), old.shape) if old.ndim else ()
            detail = (f"{int(changed.sum())} of {old.size} elements changed, e.g. {_fmt_index(idx)} "
                      f"{old[idx].item()!r} -> {new[idx].item()!r}")
        advice = hint or f"work on a copy (e.g. {key}.copy()) instead of changing the caller's array"
        raise AssertionError(f"{who} mutated its input {key} in place: {detail}\n"
                             f"  likely mistake: {advice}")


# What a numpy floating-point error inside each function most likely means. Advice is
# given only where the function's own formula explains it (a log(0) tip for a softmax,
# or a softmax tip for a sigmoid, would send the learner the wrong way).
_FP_ADVICE = {
    "softmax": {
        "overflow": "exp of a large score: softmax must subtract the maximum of each row before exp, "
                    "e.g. x - np.max(x, axis=-1, keepdims=True) (section 3.5.2)",
    },
    "cross_entropy_error": {
        "divide": "log(0): add a small delta inside the log, np.log(y + 1e-7) (section 4.2.2)",
    },
    "SoftmaxWithLoss": {
        "overflow": "exp of a large score: the softmax must subtract each row's maximum before exp",
        "divide": "log(0): cross_entropy_error must add a small delta, np.log(y + 1e-7)",
    },
    "Sigmoid": {
        "overflow": "np.exp(-x) overflows for x < -709: 1 / (1 + np.exp(-x)) is the book's formula, "
                    "functions.sigmoid computes the same values without overflow",
    },
    "sigmoid": {
        "overflow": "np.exp(-x) overflows for x < -709: compute it without a huge exp, e.g. "
                    "np.exp(-np.logaddexp(0, -x))",
    },
}


def _fp_kind(text):
    return next((k for k in ("overflow", "divide", "invalid") if k in text), "invalid")


def call_checked(who, fn, *args, **kwargs):
    """fn(*args, **kwargs), with numpy overflow / division by zero / NaN turned into a diagnosis.

    Without this the learner sees "RuntimeWarning: overflow encountered in exp"
    (pytest makes it an error) with no hint at the cause. The "likely mistake"
    line comes from _FP_ADVICE for `who` (its first word); where nothing there
    fits, the message says plainly what numpy reported and where.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)
            with np.errstate(over="raise", divide="raise", invalid="raise"):
                return fn(*args, **kwargs)
    except (FloatingPointError, RuntimeWarning) as exc:
        text = str(exc)
        advice = _FP_ADVICE.get(who.split(".")[0], {}).get(_fp_kind(text))
        if advice:
            raise AssertionError(f"{who}: numpy reported '{text}'\n  likely mistake: {advice}") from exc
        raise AssertionError(f"{who}: numpy reported '{text}' while computing it: an inf or NaN appeared "
                             "(inf - inf, 0 * inf, 0 / 0 or x / 0)") from exc
