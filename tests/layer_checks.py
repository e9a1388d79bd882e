"""The suite's check of each exercise, one function per layer or function.

Each check takes the thing under test (a layer class, or a function) and one
example, and raises AssertionError with a diagnosis (tests/checks.py) if it is
wrong. test_layers_numerical.py feeds them hypothesis examples with the
reference code; test_mistakes.py feeds them classic wrong implementations and
asserts that they fail with the right "likely mistake".

Every expected value is computed here, independently: by the suite's own
numerical gradient (checks.numeric_vjp) or by plain-Python formulas (math.exp,
math.fsum), never by the code under test.
"""
import copy
import math
import re
import warnings

import numpy as np

from checks import (assert_close, assert_grad_close, assert_not_mutated, call_checked,
                    numeric_grad, numeric_vjp)
from extras import (ExtraAbsent, describe, is_broadcast_error, outcome, raised_by_a_raise_statement,
                    raised_by_reference, same_values)
from tolerances import (FORWARD_VS_REFERENCE, GRAD_VS_NUMERIC, NUMERICAL_GRADIENT_VS_ANALYTIC,
                        SOFTMAX_LOSS_DELTA_BIAS)

# The book's delta inside cross_entropy_error's log (section 4.2.2).
BOOK_DELTA = 1e-7
# The book's step for numerical_gradient (section 4.4.1); used only to build the
# "forward difference" candidate that a wrong numerical_gradient would match.
BOOK_H = 1e-4
# Steps a learner may choose; with the precedence slip / 2*h each gives grad * h**2.
PRECEDENCE_STEPS = (1e-4, 1e-5, 1e-3, 1e-6, 1e-2)


# --------------------------------------------------------------------------
# independent formulas (plain Python per row: no shared code with functions.py)
# --------------------------------------------------------------------------

def softmax_rows(x):
    """Softmax of each row of x (N, C) or of x (C,), by math.exp and math.fsum."""
    x = np.asarray(x, dtype=np.float64)
    rows = x.reshape(-1, x.shape[-1])
    out = np.empty_like(rows)
    for i, row in enumerate(rows):
        m = max(row)
        e = [math.exp(v - m) for v in row]
        s = math.fsum(e)
        out[i] = [v / s for v in e]
    return out.reshape(x.shape)


def labels_of(t, n_classes):
    """One-hot (N, C) or labels (N,) -> list of N ints."""
    t = np.asarray(t)
    if t.ndim == 2 and t.shape[1] == n_classes:
        return [int(np.flatnonzero(row)[0]) for row in t]
    return [int(v) for v in t.reshape(-1)]


def cross_entropy_rows(y, labels, delta=BOOK_DELTA):
    """-mean(log(y[n, label_n] + delta)) over the batch, by math.log and math.fsum."""
    y = np.asarray(y, dtype=np.float64).reshape(len(labels), -1)
    return -math.fsum(math.log(y[n, k] + delta) for n, k in enumerate(labels)) / len(labels)


def softmax_loss_exact(x, labels):
    """Cross-entropy of softmax(x) WITHOUT the delta: mean(logsumexp(x_n) - x_n[label])."""
    total = []
    for row, k in zip(np.asarray(x, dtype=np.float64), labels):
        m = max(row)
        total.append(m + math.log(math.fsum(math.exp(v - m) for v in row)) - row[k])
    return math.fsum(total) / len(labels)


def sigmoid_values(x):
    """1 / (1 + exp(-x)) elementwise, in the form that cannot overflow for either sign."""
    x = np.asarray(x, dtype=np.float64)
    flat = [1.0 / (1.0 + math.exp(-v)) if v >= 0 else math.exp(v) / (1.0 + math.exp(v))
            for v in x.reshape(-1)]
    return np.array(flat, dtype=np.float64).reshape(x.shape)


# --------------------------------------------------------------------------
# layer checks
# --------------------------------------------------------------------------

# Every check calls its layer a second time with other values: the network calls each layer
# once per batch, so what forward keeps must come from the latest call.
STALE = ("it is the first call's result: the layer kept what it computed on the first call "
         "(e.g. `if self.mask is None: ...`); forward must store what it needs from each new input")

def check_mul_layer(MulLayer, x, y, G):
    """MulLayer: forward = x * y; backward(G) = (G * y, G * x), against numerical VJPs."""
    layer = MulLayer()
    assert_close("MulLayer.forward", layer.forward(x, y), x * y, FORWARD_VS_REFERENCE)
    with assert_not_mutated("MulLayer.backward", dout=G):
        dx, dy = layer.backward(G)
    nx = numeric_vjp(lambda xx: MulLayer().forward(xx, y), x, G)
    ny = numeric_vjp(lambda yy: MulLayer().forward(x, yy), y, G)
    not_swapped = "MulLayer.backward must swap x and y: dz/dx = y and dz/dy = x"
    assert_grad_close("MulLayer dx", dx, nx, GRAD_VS_NUMERIC, ones_grad=y,
                      candidates={f"dx equals dout * x: {not_swapped}": G * x})
    assert_grad_close("MulLayer dy", dy, ny, GRAD_VS_NUMERIC, ones_grad=x,
                      candidates={f"dy equals dout * y: {not_swapped}": G * y})
    # the same layer again, on other values (a layer is called once per batch)
    x2, y2 = y + 1.0, x - 1.0
    assert_close("MulLayer.forward, second call on the same layer", layer.forward(x2, y2), x2 * y2,
                 FORWARD_VS_REFERENCE, candidates={STALE: x * y})
    dx2, dy2 = layer.backward(G)
    assert_close("MulLayer dx, second call on the same layer", dx2, G * y2, FORWARD_VS_REFERENCE,
                 candidates={STALE: G * y})
    assert_close("MulLayer dy, second call on the same layer", dy2, G * x2, FORWARD_VS_REFERENCE,
                 candidates={STALE: G * x})


def check_add_layer(AddLayer, x, y, G):
    """AddLayer: forward = x + y; backward(G) = (G, G)."""
    layer = AddLayer()
    assert_close("AddLayer.forward", layer.forward(x, y), x + y, FORWARD_VS_REFERENCE)
    with assert_not_mutated("AddLayer.backward", dout=G):
        dx, dy = layer.backward(G)
    nx = numeric_vjp(lambda xx: AddLayer().forward(xx, y), x, G)
    ny = numeric_vjp(lambda yy: AddLayer().forward(x, yy), y, G)
    ones = np.ones_like(x)
    assert_grad_close("AddLayer dx", dx, nx, GRAD_VS_NUMERIC, ones_grad=ones)
    assert_grad_close("AddLayer dy", dy, ny, GRAD_VS_NUMERIC, ones_grad=ones)


def check_relu(Relu, x, G):
    """Relu on x away from the kink: forward max(0, x), backward G where x > 0.

    The layer gets copies of x and G: the book's backward zeroes dout in place
    (dout[self.mask] = 0), which is right for the chapter; check_relu_keeps_its_inputs
    tells the learner about it as a note.
    """
    layer = Relu()
    out = layer.forward(x.copy())
    expected = np.where(x > 0, x, 0.0)
    assert_close("Relu.forward", out, expected, FORWARD_VS_REFERENCE,
                 candidates={"it returns x where x < 0 and 0 where x > 0: the mask is inverted":
                             np.where(x > 0, 0.0, x)})
    dx = layer.backward(G.copy())
    nx = numeric_vjp(lambda xx: Relu().forward(xx.copy()), x, G)
    assert_grad_close("Relu dx", dx, nx, GRAD_VS_NUMERIC, ones_grad=(x > 0) * 1.0,
                      candidates={"dx lets dout through where x <= 0 and blocks it where x > 0: "
                                  "the mask is inverted": np.where(x > 0, 0.0, G)})
    # the same layer on the opposite signs: every element of the mask changes
    x2 = -x
    out2 = layer.forward(x2.copy())
    assert_close("Relu.forward, second call on the same layer", out2, np.where(x2 > 0, x2, 0.0),
                 FORWARD_VS_REFERENCE, candidates={STALE: np.where(x > 0, x2, 0.0)})
    dx2 = layer.backward(G.copy())
    assert_close("Relu dx, second call on the same layer", dx2, np.where(x2 > 0, G, 0.0), FORWARD_VS_REFERENCE,
                 candidates={STALE: np.where(x > 0, G, 0.0)})


def _report_change(who, key, original, now, advice):
    """Fail with assert_not_mutated's report of how `original` became `now` (the caller's array)."""
    before = np.array(original, copy=True)
    with assert_not_mutated(who, advice, **{key: before}):
        before[...] = now


def check_relu_keeps_its_inputs(Relu, x, G):
    """A note beyond the book: forward leaves x and backward leaves the caller's dout unchanged.

    Absent: the book's `dout[self.mask] = 0` (dout, changed in place, is the right dx), or a
    forward that zeroes the caller's x in place and returns it. Any other change is a mistake.
    """
    layer = Relu()
    x_in = x.copy()
    out = layer.forward(x_in)
    if x_in.tobytes() != x.tobytes():
        if same_values(x_in, np.where(x > 0, x, 0.0)) and same_values(out, x_in):
            changed = int(np.sum(x_in != x))
            raise ExtraAbsent("relu-keeps-dout", f"Relu.forward set {changed} of {x.size} elements of the "
                              "caller's x to 0 in place and returned x itself", note="relu-keeps-x")
        _report_change("Relu.forward", "x", x, x_in, None)
    dout = G.copy()
    dx = layer.backward(dout)
    if dout.tobytes() == G.tobytes():
        return
    book = np.where(x > 0, G, 0.0)
    if same_values(dout, book) and same_values(dx, book):
        changed = int(np.sum(dout != G))
        raise ExtraAbsent("relu-keeps-dout", f"Relu.backward mutated its input dout in place: dout[self.mask] = 0 "
                          f"set {changed} of {G.size} elements of the caller's array to 0 (the book's form)")
    _report_change("Relu.backward", "dout", G, dout,
                   "backward changed the caller's dout, and not as the book's dout[self.mask] = 0 does: "
                   "compute dx in a copy, dx = dout.copy(), then dx[self.mask] = 0")


def check_relu_kink(Relu):
    """At x == 0 exactly, dx must be 0: the book's mask is x <= 0 (TensorFlow agrees).

    A numerical gradient cannot decide this (the centred difference at 0 is 0.5),
    so this convention test is the only one that sees a mask of x < 0.
    """
    x = np.array([[-1.0, 0.0, 2.0]])
    layer = Relu()
    assert_close("Relu.forward at 0", layer.forward(x), np.array([[0.0, 0.0, 2.0]]), FORWARD_VS_REFERENCE)
    dx = layer.backward(np.ones_like(x))
    if dx is None or np.shape(dx) != x.shape or dx[0, 1] != 0.0:
        got = None if dx is None or np.shape(dx) != x.shape else float(dx[0, 1])
        raise AssertionError(
            f"Relu.backward at x == 0: got dx = {got!r}, expected 0.0\n"
            "  likely mistake: the mask must be x <= 0 (not x < 0): at the kink x == 0 the book, "
            "and TensorFlow, pass no gradient")
    assert_close("Relu dx at -1, 0, 2", dx, np.array([[0.0, 0.0, 1.0]]), FORWARD_VS_REFERENCE)


def check_sigmoid(Sigmoid, x, G):
    """Sigmoid: forward 1/(1+exp(-x)); backward G * out * (1 - out)."""
    layer = Sigmoid()
    s = sigmoid_values(x)
    assert_close("Sigmoid.forward", layer.forward(x), s, FORWARD_VS_REFERENCE,
                 candidates={"it is 1 / (1 + exp(x)): the sign inside exp is flipped, "
                             "the sigmoid is 1 / (1 + np.exp(-x))": 1.0 - s})
    with assert_not_mutated("Sigmoid.backward", dout=G):
        dx = layer.backward(G)
    nx = numeric_vjp(lambda xx: Sigmoid().forward(xx), x, G)
    assert_grad_close("Sigmoid dx", dx, nx, GRAD_VS_NUMERIC, ones_grad=s * (1 - s),
                      candidates={"it is dout * x * (1 - x): Sigmoid.backward must use the output, "
                                  "dx = dout * out * (1 - out), not the input x": G * x * (1 - x),
                                  "it is dout * (1 - out): the factor out is missing, "
                                  "dy/dx = out * (1 - out) (equation 5.12)": G * (1 - s),
                                  "it is dout * out: the factor (1 - out) is missing, "
                                  "dy/dx = out * (1 - out) (equation 5.12)": G * s,
                                  "it is dout * out * (1 + out): the factor is (1 - out), "
                                  "dy/dx = out * (1 - out) (equation 5.12)": G * s * (1 + s)})
    x2 = -x
    s2 = sigmoid_values(x2)
    assert_close("Sigmoid.forward, second call on the same layer", layer.forward(x2), s2, FORWARD_VS_REFERENCE,
                 candidates={STALE: s})
    assert_close("Sigmoid dx, second call on the same layer", layer.backward(G), G * s2 * (1 - s2),
                 FORWARD_VS_REFERENCE, candidates={STALE: G * s * (1 - s)})


FAR_OUT = np.array([[-1000.0, 1000.0], [-40.0, 40.0]])


def check_sigmoid_far_out(Sigmoid):
    """Sigmoid at -1000, 1000, -40, 40: the values must be right (0, 1, ...); the book's
    1 / (1 + np.exp(-x)) gets them right with an overflow warning at -1000 (note
    "sigmoid-no-overflow"), a form that overflows into inf / inf gets NaN (a mistake)."""
    x = FAR_OUT
    s = sigmoid_values(x)
    layer = Sigmoid()
    with warnings.catch_warnings(record=True) as seen, np.errstate(over="warn", divide="warn", invalid="warn"):
        warnings.simplefilter("always")
        out = layer.forward(x.copy())
        dx = layer.backward(np.ones_like(x))
    out_f = np.asarray(out, dtype=np.float64)
    if np.shape(out_f) == x.shape and np.isnan(out_f).any():
        where = ", ".join(f"{v:g}" for v in x[np.isnan(out_f)])
        why = ""
        if np.isnan(out_f[x > 0]).any() and not np.isnan(out_f[x < 0]).any():
            why = ("\n  likely mistake: at large positive x, np.exp(x) is inf and a form like "
                   "np.exp(x) / (1 + np.exp(x)) gives inf / inf = nan; the book's 1 / (1 + np.exp(-x)) gives 1.0")
        raise AssertionError(f"Sigmoid.forward gives nan at x = {where} (expected values between 0 and 1){why}")
    assert_close("Sigmoid.forward at -1000, 1000, -40, 40", out, s, FORWARD_VS_REFERENCE)
    assert_close("Sigmoid dx at -1000, 1000, -40, 40 (saturated: ~0)", dx, s * (1 - s), FORWARD_VS_REFERENCE)
    numpy = [str(w.message) for w in seen if issubclass(w.category, RuntimeWarning)]
    if numpy:
        raise ExtraAbsent("sigmoid-no-overflow", f"Sigmoid.forward at x = -1000: numpy warned '{numpy[0]}' "
                          "(the values are right)")


def check_affine(Affine, x, W, b, G):
    """Affine: out = x.reshape(N, -1) @ W + b; dx (in x's shape), dW, db against numerical VJPs."""
    n = x.shape[0]
    x2 = x.reshape(n, -1)
    layer = Affine(W, b)
    with assert_not_mutated("Affine.forward", x=x, W=W, b=b):
        out = layer.forward(x)
    assert_close("Affine.forward", out, np.einsum("nd,dm->nm", x2, W) + b, FORWARD_VS_REFERENCE,
                 candidates={"the bias is not added: out = np.dot(x, self.W) + self.b": x2 @ W} if np.any(b) else None)
    with assert_not_mutated("Affine.backward", dout=G):
        dx = layer.backward(G)
    dW, db = layer.dW, layer.db

    def forward(_):
        return Affine(W, b).forward(x)  # reads x, W and b by reference

    nx = numeric_vjp(forward, x, G)
    nW = numeric_vjp(forward, W, G)
    nb = numeric_vjp(forward, b, G)
    dx_candidates = {}
    if W.shape[0] == W.shape[1] and not np.allclose(W, W.T):
        dx_candidates["dx = dout @ W: it must be dout @ W.T (shape (N, D))"] = (G @ W).reshape(x.shape)
    ones = np.ones_like(G)
    assert_grad_close("Affine dx", dx, nx, GRAD_VS_NUMERIC, candidates=dx_candidates,
                      ones_grad=(ones @ W.T).reshape(x.shape))
    assert_grad_close("Affine dW", dW, nW, GRAD_VS_NUMERIC, dout=G, ones_grad=x2.T @ ones)
    assert_grad_close("Affine db", db, nb, GRAD_VS_NUMERIC, dout=G, batch_size=n,
                      ones_grad=ones.sum(axis=0))
    # the same layer on another batch: forward must keep this x, backward use it
    xb = x * -0.5 + 1.0
    xb2 = xb.reshape(n, -1)
    assert_close("Affine.forward, second call on the same layer", layer.forward(xb), xb2 @ W + b,
                 FORWARD_VS_REFERENCE, candidates={STALE: x2 @ W + b})
    dx2 = layer.backward(G)
    assert_close("Affine dx, second call on the same layer", dx2, (G @ W.T).reshape(x.shape), FORWARD_VS_REFERENCE)
    assert_close("Affine dW, second call on the same layer", layer.dW, xb2.T @ G, FORWARD_VS_REFERENCE,
                 candidates={STALE: x2.T @ G})


def check_affine_tensor(Affine, x, W, b, G):
    """A note beyond the book (5.6.2 takes (N, D) rows): Affine on x of shape (N, d1, d2, ...).

    Absent: forward fails on the tensor as the book's np.dot(x, self.W) does (the shapes do
    not align). Present: everything check_affine checks, dx in the input's shape included.
    """
    kind, result = outcome(lambda: Affine(W, b).forward(x))
    if kind == "raised" and not isinstance(result, AssertionError):
        raise ExtraAbsent("tensor-input", f"Affine.forward with x of shape {x.shape} and W of shape {W.shape} "
                          f"raised {describe(result)}")
    check_affine(Affine, x, W, b, G)


def _one_hot_rows(labels, c):
    onehot = np.zeros((len(labels), c))
    onehot[np.arange(len(labels)), labels] = 1.0
    return onehot


def check_softmax_with_loss(SoftmaxWithLoss, x, t, dout=1.0):
    """SoftmaxWithLoss with targets t (one-hot, or labels: check_softmax_with_loss_labels) and upstream dout.

    The loss must be the book's -mean(log(softmax(x)[label] + 1e-7)). The gradient
    is checked twice: against the numerical gradient of the exact loss (no delta)
    at GRAD_VS_NUMERIC, and against that of the layer's own forward at
    SOFTMAX_LOSS_DELTA_BIAS (the delta biases it; logits in [-2, 2] keep it < 1e-4).
    dout != 1 is an extra (note "scales-by-dout"): the book's backward returns the
    gradient for dout = 1 whatever it is given (absent); anything else but dout times
    that gradient is a mistake. Only what the chapter's later code reads is checked:
    the returned loss and dx (not, e.g., whether forward also keeps self.loss).
    """
    n, c = x.shape
    if np.ndim(t) == 1:
        return check_softmax_with_loss_labels(SoftmaxWithLoss, x, t, dout)
    labels = labels_of(t, c)
    y = softmax_rows(x)
    layer = SoftmaxWithLoss()
    with assert_not_mutated("SoftmaxWithLoss.forward", x=x, t=t):
        loss = layer.forward(x, t)
    assert_close("SoftmaxWithLoss.forward (loss)", loss, cross_entropy_rows(y, labels), FORWARD_VS_REFERENCE)
    dx = layer.backward(dout)

    exact1 = numeric_grad(lambda xx: softmax_loss_exact(xx, labels), x)  # the gradient for dout = 1
    if dout != 1.0 and same_values_within(dx, exact1, GRAD_VS_NUMERIC):
        raise ExtraAbsent("scales-by-dout", f"SoftmaxWithLoss.backward(dout={dout:g}) returned the gradient for "
                          "dout = 1: dout was not used")
    exact = exact1 * dout
    onehot = _one_hot_rows(labels, c)
    candidates = {"dx = dout * (t - y) / N: the sign is flipped, it is (y - t)": dout * (onehot - y) / n,
                  "it is (x - t) / N with the scores x: backward needs the softmax output, "
                  "self.y = softmax(x) in forward": dout * (x - onehot) / n}
    if dout not in (0.0, 1.0, -1.0):
        candidates["it is the gradient divided by dout: the chain rule multiplies, dx = dout * (y - t) / N"] = (
            exact1 / dout)
    # N == C: a factor of N cannot be told from a factor of C, so no "batch size" claim then
    context = dict(batch_size=n if n != c else None, candidates=candidates)
    assert_grad_close("SoftmaxWithLoss dx", dx, exact, GRAD_VS_NUMERIC, **context)
    own = numeric_vjp(lambda xx: SoftmaxWithLoss().forward(xx, t), x, dout)
    assert_grad_close("SoftmaxWithLoss dx (vs its own forward)", dx, own, SOFTMAX_LOSS_DELTA_BIAS, **context)
    # the same layer on other scores and targets (classes shifted by one)
    x2, t2 = -x, np.roll(onehot, 1, axis=1)
    y2 = softmax_rows(x2)
    assert_close("SoftmaxWithLoss.forward (loss), second call on the same layer", layer.forward(x2, t2),
                 cross_entropy_rows(y2, labels_of(t2, c)), FORWARD_VS_REFERENCE,
                 candidates={STALE: cross_entropy_rows(y, labels)} if n * c > 1 else None)
    assert_close("SoftmaxWithLoss dx, second call on the same layer", layer.backward(dout), dout * (y2 - t2) / n,
                 FORWARD_VS_REFERENCE, candidates={STALE: dout * (y - onehot) / n})


def same_values_within(a, b, tol):
    """a equals b (same shape) within tol, measured like assert_grad_close (scale = max |b|)."""
    try:
        a = np.asarray(a, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape or not np.all(np.isfinite(a)):
        return False
    return bool(np.all(np.abs(a - b) <= tol.atol + tol.rtol * np.max(np.abs(b), initial=0.0)))


SHAPE_IN_TEXT = re.compile(r"\((\d+),\s*(\d+)\)")


def label_backward(layer, y, labels, dout, what):
    """layer.backward(dout) after a forward with labels t (N,), y = softmax of its scores: dx, or
    ExtraAbsent where it behaves as one-hot-only code does, or an AssertionError naming a broken
    label branch (a crash the one-hot formula would not have)."""
    n, c = y.shape
    kind, dx = outcome(lambda: layer.backward(dout))
    if kind == "raised":
        if isinstance(dx, AssertionError):
            raise dx
        if is_broadcast_error(dx, labels.shape) or (raised_by_a_raise_statement(dx) and not raised_by_reference(dx)):
            raise ExtraAbsent("label-targets", f"SoftmaxWithLoss.backward {what} raised {describe(dx)}")
        why = ""
        other = [int(k) for rows, k in SHAPE_IN_TEXT.findall(str(dx)) if int(rows) == n and int(k) != c]
        if other:
            why = (f"\n  likely mistake: it builds one-hot rows of {other[0]} classes from the labels; the scores have "
                   f"C = {c}: take the number of classes from the scores, self.y.shape[1]")
        raise AssertionError(f"SoftmaxWithLoss.backward {what} raised {describe(dx)} (its forward took the labels: "
                             f"the label branch fails){why}") from dx
    book = outcome(lambda: (y - labels) / n)
    right = dout * (y - _one_hot_rows(labels, c)) / n
    if book[0] == "value" and (same_values(dx, book[1]) or same_values(dx, dout * book[1])) and not same_values(
            dx, right):
        raise ExtraAbsent("label-targets", f"SoftmaxWithLoss.backward {what} computed (y - t) / N with t broadcast "
                          "over the rows, as one-hot-only code does")
    return dx


def label_candidates(y, labels, dout=1.0):
    """Known wrong label branches -> what each gives (for assert_grad_close's likely mistake)."""
    n, c = y.shape
    onehot = _one_hot_rows(labels, c)
    out = {"it adds 1 at each row's label instead of subtracting it: the label branch is "
           "dx[np.arange(N), t] -= 1": dout * (y + onehot) / n,
           "dx = dout * (t - y) / N: the sign is flipped, it is (y - t)": dout * (onehot - y) / n}
    if n == c and n > 1:  # a factor of N cannot be told from one of C by the values: say where it comes from
        out[f"it is N = {n} times the right gradient: the label branch does not divide by the batch size, "
            "dx = dx / batch_size"] = dout * (y - onehot)
    return out


def check_softmax_with_loss_labels(SoftmaxWithLoss, x, labels, dout=1.0):
    """A note beyond the book (its backward takes one-hot t): SoftmaxWithLoss with labels t (N,).

    Absent: the code does with labels what one-hot-only code does: the book's backward
    (y - t) / N fails to broadcast t (N,) against y (N, C), or, when the shapes happen to
    broadcast (N == C, N == 1), gives those broadcast values; or forward refuses labels.
    Present: the loss and dx must be right; a label branch that is wrong is a mistake.
    """
    n, c = x.shape
    labels = np.asarray(labels)
    y = softmax_rows(x)
    layer = SoftmaxWithLoss()
    what = f"with labels t of shape {labels.shape}"
    kind, loss = outcome(lambda: layer.forward(x, labels))
    one_hot_only_loss = outcome(lambda: -np.sum(labels * np.log(y + BOOK_DELTA)) / n)
    if kind == "raised":
        if isinstance(loss, AssertionError):
            raise loss
        raise ExtraAbsent("label-targets", f"SoftmaxWithLoss.forward {what} raised {describe(loss)}",
                          note="label-targets-forward")
    if one_hot_only_loss[0] == "value" and same_values(loss, one_hot_only_loss[1]) and not same_values(
            loss, cross_entropy_rows(y, list(labels))):
        raise ExtraAbsent("label-targets", f"SoftmaxWithLoss.forward {what} computed -sum(t * log(y)) / N with t "
                          "broadcast over the rows, as one-hot-only code does", note="label-targets-forward")
    assert_close(f"SoftmaxWithLoss.forward (loss) {what}", loss, cross_entropy_rows(y, list(labels)),
                 FORWARD_VS_REFERENCE)
    dx = label_backward(layer, y, labels, dout, what)
    exact = numeric_grad(lambda xx: softmax_loss_exact(xx, list(labels)), x) * dout
    context = dict(batch_size=n if n != c else None, candidates=label_candidates(y, labels, dout))
    assert_grad_close(f"SoftmaxWithLoss dx {what}", dx, exact, GRAD_VS_NUMERIC, **context)
    own = numeric_vjp(lambda xx: SoftmaxWithLoss().forward(xx, labels), x, dout)
    assert_grad_close(f"SoftmaxWithLoss dx {what} (vs its own forward)", dx, own, SOFTMAX_LOSS_DELTA_BIAS, **context)


# --------------------------------------------------------------------------
# function checks
# --------------------------------------------------------------------------

def _softmax_one_max(x):
    """softmax with ONE maximum for the whole batch subtracted (a mistake for 2-D x), NaN where it gives 0/0."""
    with np.errstate(all="ignore"):
        e = np.exp(x - np.max(x))
        return e / np.sum(e, axis=-1, keepdims=True)


def _same_with_nan(a, b):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and bool(np.all((np.isnan(a) & np.isnan(b)) | np.isclose(a, b, rtol=1e-9, atol=0)))


WHOLE_BATCH_SUM = ("each row is divided by the sum over the whole batch: np.sum without axis=; sum each row, "
                   "np.sum(np.exp(x), axis=-1, keepdims=True) (the book's 2-D form transposes x so axis=0 is a row)")
ONE_MAX = ("it subtracts one maximum for the whole batch (np.max(x)): a row whose scores are far below it "
           "underflows to 0 / 0; subtract each row's own maximum, np.max(x, axis=-1, keepdims=True)")


def check_softmax(softmax, x):
    """softmax(x) for x (C,) or (N, C): matches the plain formula, no overflow, rows sum to 1."""
    with assert_not_mutated("softmax", x=x):
        try:
            y = call_checked("softmax", softmax, x)
        except AssertionError as err:
            # The numpy error alone does not say which formula: compare the values with known mistakes.
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore", RuntimeWarning)
                quiet = softmax(x.copy())
            if np.ndim(x) == 2 and _same_with_nan(quiet, _softmax_one_max(x)):
                raise AssertionError(f"softmax: {str(err).splitlines()[0].split(': ', 1)[1]}\n"
                                     f"  likely mistake: {ONE_MAX}") from None
            raise
    candidates = {ONE_MAX: _softmax_one_max(x)} if np.ndim(x) == 2 else {}
    if np.ndim(x) == 2 and x.shape[0] > 1:
        e = np.exp(x - np.max(x, axis=-1, keepdims=True))
        candidates[WHOLE_BATCH_SUM] = e / np.sum(e)
    assert_close("softmax", y, softmax_rows(x), FORWARD_VS_REFERENCE, candidates=candidates)


def check_cross_entropy(cross_entropy_error, y, t):
    """cross_entropy_error(y, t) = -mean(log(y[label] + 1e-7)), finite even if y[label] == 0."""
    c = np.shape(y)[-1]
    labels = labels_of(t, c)
    with assert_not_mutated("cross_entropy_error", y=y, t=t):
        loss = call_checked("cross_entropy_error", cross_entropy_error, y, t)
    assert_close("cross_entropy_error", loss, cross_entropy_rows(y, labels), FORWARD_VS_REFERENCE,
                 candidates={"it is the sum over the batch: divide by the batch size N":
                             cross_entropy_rows(y, labels) * len(labels)})


def check_cross_entropy_labels(cross_entropy_error, y, labels):
    """A note beyond the book's first form (4.2.4 starts with one-hot t): cross_entropy_error with labels.

    Absent: it does with labels what the one-hot form -sum(t * log(y + 1e-7)) / N does (fails to
    broadcast t against y, or gives those broadcast values). Present: the value must be right.
    """
    y = np.asarray(y, dtype=np.float64)
    n = y.shape[0] if y.ndim == 2 else 1
    what = f"cross_entropy_error with labels t of shape {np.shape(labels)}"
    kind, loss = outcome(lambda: cross_entropy_error(y, labels))
    if kind == "raised":
        if isinstance(loss, AssertionError):
            raise loss
        raise ExtraAbsent("label-targets", f"{what} raised {describe(loss)}", note="label-targets-ce")
    right = cross_entropy_rows(y, labels_of(np.atleast_1d(labels), y.shape[-1]))
    one_hot_only = outcome(lambda: -np.sum(np.asarray(labels) * np.log(y + BOOK_DELTA)) / n)
    if one_hot_only[0] == "value" and same_values(loss, one_hot_only[1]) and not same_values(loss, right):
        raise ExtraAbsent("label-targets", f"{what} computed -sum(t * log(y + 1e-7)) / N with t broadcast over y, "
                          "as the one-hot form does", note="label-targets-ce")
    check_cross_entropy(cross_entropy_error, y, labels)


def forward_difference(f, x, h=BOOK_H):
    """(f(x + h) - f(x)) / h per element: the less accurate formula, as a candidate mistake.

    x is perturbed in place and restored, as numerical_gradient does: f may read the array
    by reference and ignore its argument (TwoLayerNet's idiom), and a copy would make every
    difference 0, a "forward difference" that an all-zero gradient would match.
    """
    original = x.copy()
    grad = np.zeros(x.shape, dtype=np.float64)
    try:
        fx = f(x)
        for idx in np.ndindex(x.shape):
            old = x[idx]
            x[idx] = old + h
            grad[idx] = (f(x) - fx) / h
            x[idx] = old
    finally:
        x[...] = original
    return grad


def check_numerical_gradient(numerical_gradient, f, grad_f, x):
    """numerical_gradient(f, x) ~ grad_f(x) (the known analytic gradient); x restored bit for bit."""
    with assert_not_mutated("numerical_gradient", "after f(x - h), put the original value back: "
                            "x[idx] = tmp_val (x must be restored exactly)", x=x):
        grad = numerical_gradient(f, x)
    exact = grad_f(x)
    candidates = {"it matches the forward difference (f(x+h) - f(x)) / h: use the centred difference "
                  "(f(x+h) - f(x-h)) / (2*h), whose error is h times smaller": forward_difference(f, x)}
    # (fxh1 - fxh2) / 2*h is ((fxh1 - fxh2) / 2) * h: the true gradient times h**2
    for h in PRECEDENCE_STEPS:
        candidates[f"it is the gradient times {h:g}**2: / 2*h multiplies by h (Python reads it as "
                   f"(... / 2) * h); write / (2*h)"] = exact * h ** 2
    assert_grad_close("numerical_gradient", grad, exact, NUMERICAL_GRADIENT_VS_ANALYTIC,
                      candidates=candidates, reference="exact gradient")


def book_net(TwoLayerNet, input_size, hidden_size, output_size, rng, weight_init_std=0.5):
    """A TwoLayerNet made with the book's signature, its parameters then set from rng in place.

    The book's __init__ takes (input_size, hidden_size, output_size, weight_init_std) and draws
    from np.random; the reference's seed= and dtype= are its own. Writing the values into the
    arrays (params[k][...] = ...) keeps them the arrays the Affine layers hold, as the book's
    network shares them. Float64 (the book's np.random.randn), weights of std weight_init_std.
    """
    net = TwoLayerNet(input_size, hidden_size, output_size, weight_init_std=weight_init_std)
    shapes = {"W1": (input_size, hidden_size), "b1": (hidden_size,), "W2": (hidden_size, output_size),
              "b2": (output_size,)}
    for key, shape in shapes.items():
        if np.shape(net.params[key]) != shape:
            raise AssertionError(f"TwoLayerNet({input_size}, {hidden_size}, {output_size}).params['{key}'] has shape "
                                 f"{np.shape(net.params[key])}, expected {shape}")
        scale = weight_init_std if key.startswith("W") else 0.1
        net.params[key][...] = scale * rng.standard_normal(shape)
    return net


def check_numerical_gradient_any_shape(numerical_gradient, f, grad_f, x):
    """A note beyond the book's row-wise form (note "any-shape"): numerical_gradient of a 3-D x.

    Absent: it fails on the 3-D array, as the row-wise numerical_gradient_2d does. Present:
    the values must be right.
    """
    kind, result = outcome(lambda: numerical_gradient(f, x.copy()))
    if kind == "raised" and not isinstance(result, AssertionError):
        raise ExtraAbsent("any-shape", f"numerical_gradient with x of shape {x.shape} raised {describe(result)}")
    check_numerical_gradient(numerical_gradient, f, grad_f, x)


def check_train_step(train_step, TwoLayerNet, learning_rate=0.1):
    """One SGD step updates every parameter by -lr * grad IN PLACE, so the layers see it.

    The returned loss may be the batch loss before the update (network.lastLayer.loss,
    from the forward pass inside gradient()) or after it (the book's loop computes
    network.loss(x_batch, t_batch) after the update): both are the chapter's.
    """
    rng = np.random.default_rng(7)
    net = book_net(TwoLayerNet, 4, 5, 3, np.random.default_rng(1))
    x = rng.standard_normal((6, 4))
    t = np.eye(3)[[0, 1, 2, 2, 1, 0]]  # one-hot, as the book trains
    before = copy.deepcopy(net)
    loss_before = before.loss(x, t)
    grads = before.gradient(x, t)  # a prerequisite (5.7.2), not the code under test here
    arrays = {key: net.params[key] for key in grads}
    loss = train_step(net, x, t, learning_rate)
    for key in grads:
        if net.params[key] is not arrays[key]:
            raise AssertionError(
                f"train_step replaced network.params['{key}'] with a new array; the Affine layer "
                "still holds the old one, so the network never changes\n"
                f"  likely mistake: update in place, network.params['{key}'] -= learning_rate * grad['{key}']")
        uphill = before.params[key] + learning_rate * grads[key]
        assert_close(f"params['{key}'] after one step", net.params[key],
                     before.params[key] - learning_rate * grads[key], FORWARD_VS_REFERENCE,
                     candidates={f"it is params + lr * grad: the step goes uphill; SGD subtracts, "
                                 f"network.params['{key}'] -= learning_rate * grad['{key}']": uphill})
    loss_after = copy.deepcopy(net).loss(x, t)
    if loss is None or np.ndim(loss) != 0:
        raise AssertionError(f"train_step returned {loss!r}, expected the batch loss as a number\n"
                             "  likely mistake: return network.lastLayer.loss (before the update) or "
                             "network.loss(x_batch, t_batch) (after it, as the book's loop computes it)")
    if not (np.isclose(loss, loss_before, rtol=FORWARD_VS_REFERENCE.rtol, atol=FORWARD_VS_REFERENCE.atol)
            or np.isclose(loss, loss_after, rtol=FORWARD_VS_REFERENCE.rtol, atol=FORWARD_VS_REFERENCE.atol)):
        raise AssertionError(f"train_step returned {float(loss)!r}: neither the batch loss before the update "
                             f"({loss_before!r}) nor after it ({loss_after!r})")
    if not net.loss(x, t) < loss_before:
        raise AssertionError("train_step: the loss did not decrease after one step with lr = "
                             f"{learning_rate} (before {loss_before}, after {net.loss(x, t)})")
