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
import warnings

import numpy as np

from checks import (assert_close, assert_grad_close, assert_not_mutated, call_checked,
                    numeric_grad, numeric_vjp)
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


def check_relu_keeps_its_inputs(Relu, x, G):
    """A note beyond the book: forward leaves x and backward leaves the caller's dout unchanged."""
    layer = Relu()
    with assert_not_mutated("Relu.forward", x=x):
        layer.forward(x)
    dout = G.copy()
    with assert_not_mutated("Relu.backward", "the book's dout[self.mask] = 0 changes the caller's "
                            "array: set dx = dout.copy() first, then dx[self.mask] = 0", dout=dout):
        layer.backward(dout)


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
                                  "dy/dx = out * (1 - out) (equation 5.12)": G * s})


def check_affine(Affine, x, W, b, G):
    """Affine: out = x.reshape(N, -1) @ W + b; dx (in x's shape), dW, db against numerical VJPs."""
    n = x.shape[0]
    x2 = x.reshape(n, -1)
    layer = Affine(W, b)
    with assert_not_mutated("Affine.forward", x=x, W=W, b=b):
        out = layer.forward(x)
    assert_close("Affine.forward", out, np.einsum("nd,dm->nm", x2, W) + b, FORWARD_VS_REFERENCE)
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


def check_softmax_with_loss(SoftmaxWithLoss, x, t, dout=1.0):
    """SoftmaxWithLoss with targets t (one-hot or labels) and upstream gradient dout.

    The loss must be the book's -mean(log(softmax(x)[label] + 1e-7)). The gradient
    is checked twice: against the numerical gradient of the exact loss (no delta)
    at GRAD_VS_NUMERIC, and against that of the layer's own forward at
    SOFTMAX_LOSS_DELTA_BIAS (the delta biases it; logits in [-2, 2] keep it < 1e-4).
    """
    n, c = x.shape
    labels = labels_of(t, c)
    y = softmax_rows(x)
    layer = SoftmaxWithLoss()
    with assert_not_mutated("SoftmaxWithLoss.forward", x=x, t=t):
        loss = layer.forward(x, t)
    assert_close("SoftmaxWithLoss.forward (loss)", loss, cross_entropy_rows(y, labels), FORWARD_VS_REFERENCE)
    # The book's forward keeps the loss on the layer; 5.7.4's train_step may read it
    # (network.lastLayer.loss), so a forward that only returns it fails here, not there.
    stored = getattr(layer, "loss", None)
    if stored is None or np.shape(stored) != np.shape(loss) or not np.allclose(stored, loss):
        raise AssertionError(f"SoftmaxWithLoss.forward returned the loss {loss!r} but self.loss is {stored!r}\n"
                             "  likely mistake: store it as the book does, self.loss = cross_entropy_error(...), "
                             "then return self.loss")
    dx = layer.backward(dout)

    exact = numeric_grad(lambda xx: softmax_loss_exact(xx, labels), x) * dout
    onehot = np.zeros((n, c))
    onehot[np.arange(n), labels] = 1.0
    context = dict(
        batch_size=n,
        ones_grad=exact / dout if dout != 0 else None,
        candidates={"dx = dout * (t - y) / N: the sign is flipped, it is (y - t)": dout * (onehot - y) / n},
    )
    assert_grad_close("SoftmaxWithLoss dx", dx, exact, GRAD_VS_NUMERIC, **context)
    own = numeric_vjp(lambda xx: SoftmaxWithLoss().forward(xx, t), x, dout)
    assert_grad_close("SoftmaxWithLoss dx (vs its own forward)", dx, own, SOFTMAX_LOSS_DELTA_BIAS, **context)


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


def forward_difference(f, x, h=BOOK_H):
    """(f(x + h) - f(x)) / h per element: the less accurate formula, as a candidate mistake."""
    x = x.copy()
    grad = np.zeros_like(x)
    fx = f(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        grad[idx] = (f(x) - fx) / h
        x[idx] = old
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


def check_train_step(train_step, TwoLayerNet, learning_rate=0.1):
    """One SGD step updates every parameter by -lr * grad IN PLACE, so the layers see it.

    The returned loss may be the batch loss before the update (network.lastLayer.loss,
    from the forward pass inside gradient()) or after it (the book's loop computes
    network.loss(x_batch, t_batch) after the update): both are the chapter's.
    """
    rng = np.random.default_rng(7)
    net = TwoLayerNet(input_size=4, hidden_size=5, output_size=3, weight_init_std=0.5, seed=1)
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
