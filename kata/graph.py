"""Chapter 5's computational graphs, drawn from the numbers a `layers` module computes.

Each graph is small and fixed (section 5.4's apple shopping, one node per layer exercise),
so it is laid out here in code and written as SVG text: no Graphviz or other system
binary, the same output on Windows, Linux and Colab. Every node is a layer call labelled
with its operation; every edge shows its forward value above the line and its backward
value (blue) below, left to right as in the book's figures.

Given a reference (the repository's layers.py, or the hand-computed EXPECTED values), an
edge whose value differs is drawn in red with the reference's value beside the learner's.
A layer that raises, returns None, a non-number or the wrong shape marks that value
"error: ..." in red; values that depend on it read "(not computed)". Nothing the learner's
module does makes the drawing raise (an endless loop is the caller's timeout's business).

API
    GRAPH_NAMES                      the graphs, in book order
    EXERCISE_GRAPHS                  {exercise id: graph names drawn for it}
    load_layers(path)                a layers.py file as a fresh module (raises what it raises)
    load_layers_safely(path)         the same, or a stand-in whose every layer fails with the import error
    compute(name, layers)            {edge id: (forward, backward)}: floats, arrays, Err, UNREACHED or None
    draw(names, layers, reference=None, source="")  -> SVG text (one panel per name)
    graph_for_exercise(ex_id, workspace_dir, reference_root, out_dir) -> Path or None
    write_graphs(names, layers, reference, out_dir, png=True) -> [Path, ...]
    png_renderer() -> "cairosvg" | "chromium" | None;  svg_to_png(svg_path, png_path=None) -> Path
"""
import contextlib
import importlib.util
import io
import itertools
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import numpy as np

from kata.fsutil import write_bytes_atomic
from kata import i18n  # i18n.t: `t` is a local name in the layout code

# A learner value counts as "the reference's" when np.allclose(yours, reference) with these.
# Float noise of a correct implementation (dout * y vs y * dout, 110.00000000000001 vs 110)
# is ~1e-16 relative; every catalogued mistake is off by 1e-3 or far more. 1e-9 sits between
# the two with room on both sides, and matches the 10 significant digits shown: two values
# that print alike are (almost always) also equal here.
GRAPH_RTOL = 1e-9
GRAPH_ATOL = 1e-12
SCALAR_DIGITS = 10   # 220.00000000000003 -> "220", as the book prints it
ARRAY_DIGITS = 4     # matrix elements: readable labels; more digits only where yours differs
MAX_DIGITS = 17      # enough to tell any two different float64 apart

RED, BLUE, GREY, BLACK = "#d62728", "#1f4e9e", "#6b6b6b", "#000000"


# --------------------------------------------------------------------------- values
@dataclass(frozen=True)
class Err:
    """A value the layer failed to produce; `text` is short and says why."""
    text: str


class _Unreached:
    """A value not computed because a value it needs failed."""

    def __repr__(self):
        return "UNREACHED"


UNREACHED = _Unreached()


def _short(exc, limit=70):
    if isinstance(exc, NotImplementedError):
        # a stub's message names it: "5.4.1 MulLayer.forward: not implemented yet — run `make hint`"
        said = str(exc).split(" — ")[0].strip()
        if "not implemented" not in said or len(said) > limit:
            return "not implemented yet (NotImplementedError)"
        from kata.catalog.diagnoses import translate
        from kata.i18n import lang
        if lang() == "en":
            return said
        # the graph is read in the learner's language too: the stub's message translated, less its advice
        return translate(said + " — run `make hint`", lang()).split("。")[0].split(". ")[0]
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    text = f"{type(exc).__name__}: {msg}" if msg else type(exc).__name__
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _kind(value):
    return "None" if value is None else type(value).__name__


def _checked(value, like, what):
    """value as a float or float array, or Err when it is None, not numeric, or not of like's shape."""
    if isinstance(value, (Err, _Unreached)):
        return value
    if value is None:
        return Err(f"{what} returned None")
    try:
        with _quiet():
            arr = np.asarray(value, dtype=float)
    except Exception:  # noqa: BLE001 - TypeError, ValueError, or whatever a strange object's __array__ raises
        return Err(f"{what} returned {_kind(value)}, not a number or array")
    if like is not None and arr.shape != np.shape(like):
        return Err(f"{what}: wrong shape {arr.shape}, expected {np.shape(like)}")
    return float(arr) if arr.ndim == 0 else arr


@contextlib.contextmanager
def _quiet():
    """A learner's print() or numpy warning must not end up on the check screen."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()), \
            np.errstate(all="ignore"):
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield


def _bad(*values):
    return any(isinstance(v, (Err, _Unreached)) for v in values)


def _copy(value):
    # every call gets its own copy: a layer that writes into its input (the book's
    # dout[mask] = 0) must not change the number drawn on another edge
    return value.copy() if isinstance(value, np.ndarray) else value


class _Tape:
    """Makes one graph's layer calls; every failure becomes an Err on the value it should give."""

    def __init__(self, module):
        self.module = module

    def new(self, cls_name, *args):
        try:
            with _quiet():
                return getattr(self.module, cls_name)(*map(_copy, args))
        except Exception as exc:  # noqa: BLE001 - the learner's code may raise anything
            return Err(f"{cls_name}(): {_short(exc)}")

    def call(self, layer, method, args, like, pair=False, needs=()):
        """layer.method(*args) checked against like (a shape template, or a pair of them)."""
        n = 2 if pair else 1
        if isinstance(layer, Err):
            return (layer,) * n if pair else layer
        if _bad(*args, *needs):
            return (UNREACHED,) * n if pair else UNREACHED
        what = f"{method}()"
        try:
            with _quiet():
                out = getattr(layer, method)(*map(_copy, args))
        except Exception as exc:  # noqa: BLE001
            text = _short(exc)
            err = Err(text if isinstance(exc, NotImplementedError) and text[:1].isdigit() else f"{what}: {text}")
            return (err,) * n if pair else err
        if not pair:
            return _checked(out, like, what)
        if not isinstance(out, (tuple, list)) or len(out) != 2:
            err = Err(f"{what} returned {_kind(out)}, expected the pair (dx, dy)")
            return err, err
        return tuple(_checked(o, lk, f"{what}'s {d}") for d, o, lk in zip(("dx", "dy"), out, like))

    def attr(self, layer, name, like, needs=()):
        if isinstance(layer, Err):
            return layer
        if _bad(*needs):
            return UNREACHED
        try:
            value = getattr(layer, name, None)
        except Exception as exc:  # noqa: BLE001 - a property may raise
            return Err(f"self.{name}: {_short(exc)}")
        if value is None:
            return Err(f"self.{name} is None after backward()")
        return _checked(value, like, f"self.{name} after backward()")


# --------------------------------------------------------------------------- the graphs
@dataclass(frozen=True)
class Node:
    id: str
    col: int
    row: int
    label: str          # operation (x, +, ReLU, ...) or, for a terminal, the value's name
    terminal: bool = False


@dataclass(frozen=True)
class Edge:
    id: str
    src: str
    dst: str


@dataclass(frozen=True)
class Spec:
    name: str
    title: str
    nodes: tuple
    edges: tuple
    compute: object     # (_Tape) -> {edge id: (forward, backward)}


def T(id_, col, row, label=None):
    return Node(id_, col, row, label if label is not None else id_, terminal=True)


def _buy_apple(t):
    mul_apple, mul_tax = t.new("MulLayer"), t.new("MulLayer")
    apple_price = t.call(mul_apple, "forward", (100, 2), 0.0)
    price = t.call(mul_tax, "forward", (apple_price, 1.1), 0.0)
    dapple_price, dtax = t.call(mul_tax, "backward", (1,), (0.0, 0.0), pair=True, needs=(price,))
    dapple, dapple_num = t.call(mul_apple, "backward", (dapple_price,), (0.0, 0.0), pair=True,
                                needs=(apple_price,))
    return {"apple": (100.0, dapple), "apple_num": (2.0, dapple_num), "apple_price": (apple_price, dapple_price),
            "tax": (1.1, dtax), "price": (price, 1.0)}


def _buy_apple_orange(t):
    mul_apple, mul_orange, add, mul_tax = (t.new("MulLayer"), t.new("MulLayer"), t.new("AddLayer"),
                                           t.new("MulLayer"))
    apple_price = t.call(mul_apple, "forward", (100, 2), 0.0)
    orange_price = t.call(mul_orange, "forward", (150, 3), 0.0)
    all_price = t.call(add, "forward", (apple_price, orange_price), 0.0)
    price = t.call(mul_tax, "forward", (all_price, 1.1), 0.0)
    dall_price, dtax = t.call(mul_tax, "backward", (1,), (0.0, 0.0), pair=True, needs=(price,))
    dapple_price, dorange_price = t.call(add, "backward", (dall_price,), (0.0, 0.0), pair=True,
                                         needs=(all_price,))
    dorange, dorange_num = t.call(mul_orange, "backward", (dorange_price,), (0.0, 0.0), pair=True,
                                  needs=(orange_price,))
    dapple, dapple_num = t.call(mul_apple, "backward", (dapple_price,), (0.0, 0.0), pair=True,
                                needs=(apple_price,))
    return {"apple": (100.0, dapple), "apple_num": (2.0, dapple_num),
            "orange": (150.0, dorange), "orange_num": (3.0, dorange_num),
            "apple_price": (apple_price, dapple_price), "orange_price": (orange_price, dorange_price),
            "all_price": (all_price, dall_price), "tax": (1.1, dtax), "price": (price, 1.0)}


def _binary(cls_name):
    # section 5.3's examples: 10 and 5 in, 1.3 coming back
    def compute(t):
        layer = t.new(cls_name)
        z = t.call(layer, "forward", (10.0, 5.0), 0.0)
        dx, dy = t.call(layer, "backward", (1.3,), (0.0, 0.0), pair=True, needs=(z,))
        return {"x": (10.0, dx), "y": (5.0, dy), "z": (z, 1.3)}
    return compute


RELU_X = np.array([[1.0, -0.5], [-2.0, 3.0]])         # section 5.5.1's example
RELU_DOUT = np.array([[0.5, -1.0], [2.0, 1.5]])
SIGMOID_X = np.array([-1.0, 0.0, 2.0])
SIGMOID_DOUT = np.array([1.0, 0.5, 2.0])
AFFINE_X = np.array([[1.0, 2.0], [-1.0, 0.5]])
AFFINE_W = np.array([[0.5, -1.0, 2.0], [1.0, 0.0, -0.5]])
AFFINE_B = np.array([1.0, 2.0, 3.0])
AFFINE_DOUT = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])   # section 5.6.2's dY: db = [5, 7, 9]
SOFTMAX_X = np.array([[0.3, 2.9, 4.0], [0.0, 1.0, -1.0]])   # first row: section 3.5.1's scores
SOFTMAX_T = np.array([[0.0, 0.0, 1.0], [0.0, 1.0, 0.0]])    # N = 2: a missing "/ N" shows


def _elementwise(cls_name, x, dout):
    def compute(t):
        layer = t.new(cls_name)
        y = t.call(layer, "forward", (x,), x)
        dx = t.call(layer, "backward", (dout,), x, needs=(y,))
        return {"x": (x, dx), "y": (y, dout)}
    return compute


def _affine(t):
    layer = t.new("Affine", AFFINE_W, AFFINE_B)
    y = t.call(layer, "forward", (AFFINE_X,), AFFINE_DOUT)
    dx = t.call(layer, "backward", (AFFINE_DOUT,), AFFINE_X, needs=(y,))
    done = (y, dx) if not isinstance(dx, Err) else (y,)   # dW/db exist even if dx's check failed
    dW = t.attr(layer, "dW", AFFINE_W, needs=done)
    db = t.attr(layer, "db", AFFINE_B, needs=done)
    return {"X": (AFFINE_X, dx), "W": (AFFINE_W, dW), "b": (AFFINE_B, db), "Y": (y, AFFINE_DOUT)}


def _softmax_with_loss(t):
    layer = t.new("SoftmaxWithLoss")
    loss = t.call(layer, "forward", (SOFTMAX_X, SOFTMAX_T), 0.0)
    dx = t.call(layer, "backward", (1.0,), SOFTMAX_X, needs=(loss,))
    return {"x": (SOFTMAX_X, dx), "t": (SOFTMAX_T, None), "L": (loss, 1.0)}


_MUL, _ADD = "×", "+"

SPECS = {
    "buy_apple": Spec(
        "buy_apple", "buy_apple (section 5.4.1, Figure 5-16): 2 apples at 100, 10% tax",
        (T("apple", 0, 0), T("apple_num", 0, 1, "apple num"), Node("mul_apple", 1, 0, _MUL),
         T("tax", 2, 1), Node("mul_tax", 3, 0, _MUL), T("price", 4, 0)),
        (Edge("apple", "apple", "mul_apple"), Edge("apple_num", "apple_num", "mul_apple"),
         Edge("apple_price", "mul_apple", "mul_tax"), Edge("tax", "tax", "mul_tax"),
         Edge("price", "mul_tax", "price")),
        _buy_apple),
    "buy_apple_orange": Spec(
        "buy_apple_orange", "buy_apple_orange (section 5.4.2, Figure 5-17): 2 apples at 100, 3 oranges at 150, "
        "10% tax",
        (T("apple", 0, 0), T("apple_num", 0, 1, "apple num"), Node("mul_apple", 1, 0, _MUL),
         T("orange", 0, 2), T("orange_num", 0, 3, "orange num"), Node("mul_orange", 1, 2, _MUL),
         Node("add", 2, 1, _ADD), T("tax", 3, 2), Node("mul_tax", 4, 1, _MUL), T("price", 5, 1)),
        (Edge("apple", "apple", "mul_apple"), Edge("apple_num", "apple_num", "mul_apple"),
         Edge("orange", "orange", "mul_orange"), Edge("orange_num", "orange_num", "mul_orange"),
         Edge("apple_price", "mul_apple", "add"), Edge("orange_price", "mul_orange", "add"),
         Edge("all_price", "add", "mul_tax"), Edge("tax", "tax", "mul_tax"), Edge("price", "mul_tax", "price")),
        _buy_apple_orange),
    "MulLayer": Spec(
        "MulLayer", "MulLayer (sections 5.3.2, 5.4.1): z = x * y, backward swaps the inputs",
        (T("x", 0, 0), T("y", 0, 1), Node("mul", 1, 0, _MUL), T("z", 2, 0)),
        (Edge("x", "x", "mul"), Edge("y", "y", "mul"), Edge("z", "mul", "z")),
        _binary("MulLayer")),
    "AddLayer": Spec(
        "AddLayer", "AddLayer (sections 5.3.1, 5.4.2): z = x + y, backward passes dout on",
        (T("x", 0, 0), T("y", 0, 1), Node("add", 1, 0, _ADD), T("z", 2, 0)),
        (Edge("x", "x", "add"), Edge("y", "y", "add"), Edge("z", "add", "z")),
        _binary("AddLayer")),
    "Relu": Spec(
        "Relu", "Relu (section 5.5.1): y = max(0, x), the gradient flows where x > 0",
        (T("x", 0, 0), Node("relu", 1, 0, "ReLU"), T("y", 2, 0)),
        (Edge("x", "x", "relu"), Edge("y", "relu", "y")),
        _elementwise("Relu", RELU_X, RELU_DOUT)),
    "Sigmoid": Spec(
        "Sigmoid", "Sigmoid (section 5.5.2): y = 1 / (1 + exp(-x)), dx = dout * y * (1 - y)",
        (T("x", 0, 0), Node("sigmoid", 1, 0, "sigmoid"), T("y", 2, 0)),
        (Edge("x", "x", "sigmoid"), Edge("y", "sigmoid", "y")),
        _elementwise("Sigmoid", SIGMOID_X, SIGMOID_DOUT)),
    "Affine": Spec(
        "Affine", "Affine (section 5.6.2): Y = X·W + B; dX = dY·Wᵀ, dW = Xᵀ·dY, dB = sum of dY over the batch",
        (T("X", 0, 0), T("W", 0, 1), T("b", 0, 2, "B"), Node("affine", 1, 1, "Affine"), T("Y", 2, 1)),
        (Edge("X", "X", "affine"), Edge("W", "W", "affine"), Edge("b", "b", "affine"), Edge("Y", "affine", "Y")),
        _affine),
    "SoftmaxWithLoss": Spec(
        "SoftmaxWithLoss", "SoftmaxWithLoss (section 5.6.3): L = cross entropy of softmax(a), dL/da = (y - t) / N",
        (T("x", 0, 0, "a (scores)"), T("t", 0, 1, "t (one-hot)"), Node("swl", 1, 0, "Softmax-with-Loss"),
         T("L", 2, 0)),
        (Edge("x", "x", "swl"), Edge("t", "t", "swl"), Edge("L", "swl", "L")),
        _softmax_with_loss),
}
GRAPH_NAMES = tuple(SPECS)
EXERCISE_GRAPHS = {"5.4.1": ("MulLayer", "buy_apple"), "5.4.2": ("AddLayer", "buy_apple_orange"),
                   "5.5.1": ("Relu",), "5.5.2": ("Sigmoid",), "5.6.2": ("Affine",),
                   "5.6.3": ("SoftmaxWithLoss",)}


def _sigmoid(v):
    return 1.0 / (1.0 + math.exp(-v))


def _softmax_row(row):
    e = [math.exp(v - max(row)) for v in row]
    return [v / sum(e) for v in e]


def _expected():
    """The graphs' values worked out by hand (the book's numbers, section 5.3's rules), not by any layers.py.

    The reference for a learner repository, which has no reference layers.py;
    kata/tests/test_kata_graph.py checks that the reference layers produce exactly these.
    """
    sig = [_sigmoid(v) for v in SIGMOID_X]
    y = [_softmax_row(list(r)) for r in SOFTMAX_X]
    loss = -(math.log(y[0][2] + 1e-7) + math.log(y[1][1] + 1e-7)) / 2
    return {
        "buy_apple": {"apple": (100, 2.2), "apple_num": (2, 110), "apple_price": (200, 1.1), "tax": (1.1, 200),
                      "price": (220, 1)},
        "buy_apple_orange": {"apple": (100, 2.2), "apple_num": (2, 110), "orange": (150, 3.3),
                             "orange_num": (3, 165), "apple_price": (200, 1.1), "orange_price": (450, 1.1),
                             "all_price": (650, 1.1), "tax": (1.1, 650), "price": (715, 1)},
        "MulLayer": {"x": (10, 6.5), "y": (5, 13), "z": (50, 1.3)},
        "AddLayer": {"x": (10, 1.3), "y": (5, 1.3), "z": (15, 1.3)},
        "Relu": {"x": (RELU_X, np.array([[0.5, 0.0], [0.0, 1.5]])), "y": (np.array([[1.0, 0.0], [0.0, 3.0]]), RELU_DOUT)},
        "Sigmoid": {"x": (SIGMOID_X, np.array([d * s * (1 - s) for d, s in zip(SIGMOID_DOUT, sig)])),
                    "y": (np.array(sig), SIGMOID_DOUT)},
        "Affine": {"X": (AFFINE_X, np.array([[4.5, -0.5], [9.0, 1.0]])),
                   "W": (AFFINE_W, np.array([[-3.0, -3.0, -3.0], [4.0, 6.5, 9.0]])),
                   "b": (AFFINE_B, np.array([5.0, 7.0, 9.0])),
                   "Y": (np.array([[3.5, 1.0, 4.0], [1.0, 3.0, 0.75]]), AFFINE_DOUT)},
        "SoftmaxWithLoss": {"x": (SOFTMAX_X, (np.array(y) - SOFTMAX_T) / 2), "t": (SOFTMAX_T, None),
                            "L": (loss, 1.0)},
    }


class _ExpectedValues:
    """reference=EXPECTED: compare with the hand-computed values instead of a reference module."""

    def __repr__(self):
        return "EXPECTED"


EXPECTED = _ExpectedValues()


def compute(name, layers):
    """{edge id: (forward, backward)} of graph `name` computed by `layers` (a module with the book's classes).

    Each value is a float, a float ndarray, Err (that call failed; .text says why),
    UNREACHED (a value it needs failed) or None (no such value: the labels t get no gradient).
    Never raises for anything the layers do.
    """
    spec = SPECS[name]
    return spec.compute(_Tape(layers))


def _reference_values(name, reference):
    if reference is None:
        return None
    if reference is EXPECTED:
        return {k: tuple(None if v is None else (float(v) if np.ndim(v) == 0 else np.asarray(v, float)) for v in pair)
                for k, pair in _expected()[name].items()}
    return compute(name, reference)


def _usable(v):
    return v is not None and not isinstance(v, (Err, _Unreached))


def differs(yours, reference):
    """True when both are numbers/arrays and yours is not the reference's (shape, or beyond GRAPH_RTOL/ATOL)."""
    if not (_usable(yours) and _usable(reference)):
        return False
    if np.shape(yours) != np.shape(reference):
        return True
    return not np.allclose(yours, reference, rtol=GRAPH_RTOL, atol=GRAPH_ATOL, equal_nan=True)


# --------------------------------------------------------------------------- numbers as text
def fmt_number(v, digits=SCALAR_DIGITS):
    """A float as the book prints it: `digits` significant digits, no trailing zeros (110.00000000000001 -> 110)."""
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    s = f"{v:.{digits}g}"
    if "e" in s:
        mantissa, exp = s.split("e")
        s = f"{mantissa}e{int(exp)}"
    return "0" if s == "-0" else s


def fmt_value(v, digits=None):
    """Lines of text for a float or a 1-D/2-D array (columns aligned, numpy style)."""
    if np.ndim(v) == 0:
        return [fmt_number(v, digits or SCALAR_DIGITS)]
    arr = np.asarray(v, dtype=float)
    digits = digits or ARRAY_DIGITS
    if arr.ndim > 2:
        return [f"array of shape {arr.shape}"]
    rows = arr if arr.ndim == 2 else arr[np.newaxis]
    cells = [[fmt_number(x, digits) for x in row] for row in rows]
    widths = [max(len(r[j]) for r in cells) for j in range(rows.shape[1])] if rows.size else []
    body = ["[" + ", ".join(c.rjust(w) for c, w in zip(r, widths)) + "]" for r in cells]
    if arr.ndim == 1:
        return body
    return ["[" + body[0] + ("," if len(body) > 1 else "]")] + \
           [" " + b + ("," if i < len(body) - 2 else "]") for i, b in enumerate(body[1:])]


def _fmt_pair(yours, reference):
    """yours and the reference's lines with just enough digits that a real difference shows."""
    start = SCALAR_DIGITS if np.ndim(yours) == 0 else ARRAY_DIGITS
    for digits in range(start, MAX_DIGITS + 1):
        a, b = fmt_value(yours, digits), fmt_value(reference, digits)
        if a != b:
            return a, b
    return a, b  # same at 17 digits: only the shape/nan differs, already visible or equal


# --------------------------------------------------------------------------- layout and SVG
FONT = 14                 # px, values and names
CHAR_W = 0.61 * FONT      # monospace advance (DejaVu Sans Mono 0.602 em), with a little slack
LINE_H = 17
PAD = 10                  # between a label and anything else
BEND = 34                 # a bent edge turns this far left of its node
R = 19                    # radius of an operation's circle
MIN_GAP = 90
ROW_MIN = 78
MARGIN = 16
TITLE_FONT = 15


def _text_w(line):
    return sum(_cols(seg) for seg, _ in line) * CHAR_W


def _label_lines(yours, reference):
    """[[(text, colour), ...], ...] for one value; and the value's state: ok / wrong / error / unreached / none."""
    if yours is None:
        return [], "none"
    if isinstance(yours, _Unreached):
        return [[(i18n.t("graph_not_computed"), GREY)]], "unreached"
    word = i18n.t("graph_reference")
    if isinstance(yours, Err):
        from kata.catalog.diagnoses import translate
        lines = [[(i18n.t("graph_error") + ": " + translate(yours.text, i18n.lang()), RED)]]
        if _usable(reference):
            ref = fmt_value(reference)
            lead = f"({word} "
            lines += [[(lead + ref[0], GREY)]] + [[(" " * _cols(lead) + r, GREY)] for r in ref[1:]]
            lines[-1][-1] = (lines[-1][-1][0] + ")", GREY)
        return lines, "error"
    if differs(yours, reference):
        mine, ref = _fmt_pair(yours, reference)
        if len(mine) == 1 and len(ref) == 1:
            return [[(mine[0], RED), (f" ({word} {ref[0]})", GREY)]], "wrong"
        # the two labels padded to one width (wide characters count two), so the rows line up
        labels = [i18n.t("graph_yours"), word]
        width = max(_cols(label) for label in labels) + 1
        mine_label, ref_label = (label + " " * (width - _cols(label)) for label in labels)
        lines = [[(mine_label, RED), (mine[0], RED)]] + [[(" " * width + m, RED)] for m in mine[1:]]
        lines += [[(ref_label, GREY), (ref[0], GREY)]] + [[(" " * width + r, GREY)] for r in ref[1:]]
        return lines, "wrong"
    return [[(s, None)] for s in fmt_value(yours)], "ok"


def _cols(text):
    """Monospace columns of `text`: Hangul, kana and kanji take two (East Asian wide)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _title(spec):
    """A graph's title in the learner's language (the catalog's graph_title_<name>)."""
    return i18n.t(f"graph_title_{spec.name}")


class _Panel:
    """One graph laid out: node positions, edge paths, label blocks, size."""

    def __init__(self, spec, values, ref_values, caption):
        self.spec, self.caption = spec, caption
        self.nodes = {n.id: n for n in spec.nodes}
        self.labels = {}
        self.states = {}
        for e in spec.edges:
            fwd, bwd = values.get(e.id, (UNREACHED, UNREACHED))
            rf, rb = (ref_values or {}).get(e.id, (None, None))
            above, s1 = _label_lines(fwd, rf)
            below, s2 = _label_lines(bwd, rb)
            for line in above:
                line[:] = [(t, c or BLACK) for t, c in line]
            for line in below:
                line[:] = [(t, c or BLUE) for t, c in line]
            self.labels[e.id] = (above, below)
            state = "error" if "error" in (s1, s2) else "wrong" if "wrong" in (s1, s2) else \
                "unreached" if "unreached" in (s1, s2) else "ok"
            self.states[e.id] = state
        self._layout()

    def half_w(self, node):
        if node.terminal:
            return 4
        return R if len(node.label) == 1 else (len(node.label) * 0.62 * 16 + 24) / 2

    def _layout(self):
        ncols = max(n.col for n in self.nodes.values()) + 1
        nrows = max(n.row for n in self.nodes.values()) + 1
        widths = {e.id: max([_text_w(line) for block in self.labels[e.id] for line in block] or [0])
                  for e in self.spec.edges}
        gaps = [MIN_GAP] * (ncols - 1)
        # a terminal's name sits left of its edge: the gap before its column must hold it
        for n in self.nodes.values():
            if n.terminal and n.col > 0 and self._is_source(n):
                gaps[n.col - 1] = max(gaps[n.col - 1], len(n.label) * CHAR_W + 2 * PAD + BEND)
        spans = sorted(self.spec.edges, key=lambda e: self.nodes[e.dst].col - self.nodes[e.src].col)
        for e in spans:
            a, b = self.nodes[e.src], self.nodes[e.dst]
            need = widths[e.id] + 2 * PAD + self.half_w(a) + self._end_offset(b)
            have = sum(gaps[a.col:b.col])
            if have < need:
                gaps[b.col - 1] += need - have
        left = max([len(n.label) * CHAR_W for n in self.nodes.values() if n.terminal and n.col == 0] or [0])
        self.col_x = [MARGIN + left + 8]
        for g in gaps:
            self.col_x.append(self.col_x[-1] + g)
        above = [len(self.labels[e.id][0]) for e in self.spec.edges]
        below = [len(self.labels[e.id][1]) for e in self.spec.edges]
        top_lines = max(len(self.labels[e.id][0]) for e in self.spec.edges if self._row_of(e) == 0)
        row_h = max(ROW_MIN, (max(above) + max(below)) * LINE_H + 2 * PAD + 12)
        title_h = 2 * (TITLE_FONT + 6) + (LINE_H if self.caption else 0)
        self.row_y = [MARGIN + title_h + top_lines * LINE_H + PAD + r * row_h for r in range(nrows)]
        last_below = max([len(self.labels[e.id][1]) for e in self.spec.edges if self._row_of(e) == nrows - 1]
                         or [0])
        self.height = self.row_y[-1] + last_below * LINE_H + PAD + 2 * MARGIN
        right = max(len(n.label) * CHAR_W for n in self.nodes.values() if n.terminal and n.col == ncols - 1)
        title_w = _cols(_title(self.spec)) * 0.6 * TITLE_FONT
        self.width = max(self.col_x[-1] + 8 + right + MARGIN, title_w + 2 * MARGIN,
                         _cols(self.caption) * CHAR_W + 2 * MARGIN,
                         _cols(i18n.t("graph_legend_forward") + i18n.t("graph_legend_backward")) * CHAR_W + 2 * MARGIN)

    def _is_source(self, n):
        return any(e.src == n.id for e in self.spec.edges)

    def _row_of(self, e):
        return self.nodes[e.src].row  # labels sit on the horizontal part, at the source's row

    def _end_offset(self, node):
        return 4 if node.terminal else self.half_w(node) + BEND

    def pos(self, node):
        return self.col_x[node.col], self.row_y[node.row]

    def edge_geometry(self, e):
        """(points of the polyline, x range of its labels, y of its horizontal part)."""
        a, b = self.nodes[e.src], self.nodes[e.dst]
        ax, ay = self.pos(a)
        bx, by = self.pos(b)
        sx = ax + self.half_w(a)
        kx = bx - self._end_offset(b)
        if b.terminal:
            points = [(sx, ay), (bx - 4, by)]
        elif ay == by:
            points = [(sx, ay), (bx - self.half_w(b), by)]
        else:
            end = self._boundary(b, kx, ay)
            points = [(sx, ay), (kx, ay), end]
        return points, (sx, kx), ay

    def _boundary(self, node, fx, fy):
        """Where the line from (fx, fy) to the node's centre meets its outline (plus a gap for the arrow)."""
        cx, cy = self.pos(node)
        dx, dy = cx - fx, cy - fy
        dist = math.hypot(dx, dy)
        if len(node.label) == 1:
            t = (dist - R - 1) / dist
        else:
            hw, hh = self.half_w(node), 18
            t = 1 - min(hw / abs(dx) if dx else math.inf, hh / abs(dy) if dy else math.inf) - 1 / dist
        return fx + dx * t, fy + dy * t

    def svg(self, y0, ids):
        out = [f'<g class="graph" id={quoteattr(ids + self.spec.name)} data-graph={quoteattr(self.spec.name)} '
               f'transform="translate(0,{y0:.0f})">']
        out.append(f'<text x="{MARGIN}" y="{MARGIN + TITLE_FONT}" font-size="{TITLE_FONT}" font-weight="bold" '
                   f'fill="{BLACK}">{escape(_title(self.spec))}</text>')
        legend_y = MARGIN + 2 * TITLE_FONT + 6
        out.append(f'<text x="{MARGIN}" y="{legend_y}" font-size="{FONT - 1}">'
                   f'<tspan fill="{BLACK}">{escape(i18n.t("graph_legend_forward"))}</tspan>'
                   f'<tspan fill="{BLUE}">{escape(i18n.t("graph_legend_backward"))}</tspan></text>')
        if self.caption:
            out.append(f'<text x="{MARGIN}" y="{legend_y + LINE_H}" font-size="{FONT - 1}" fill="{GREY}">'
                       f'{escape(self.caption)}</text>')
        for e in self.spec.edges:
            out.append(self._edge_svg(e, ids))
        for n in self.spec.nodes:
            out.append(self._node_svg(n))
        out.append("</g>")
        return "\n".join(out)

    def _edge_svg(self, e, ids):
        state = self.states[e.id]
        colour = RED if state in ("wrong", "error") else BLACK
        points, (x1, x2), y = self.edge_geometry(e)
        marker = "arrow-red" if colour == RED else "arrow"
        d = " ".join(f"{'M' if i == 0 else 'L'}{px:.1f},{py:.1f}" for i, (px, py) in enumerate(points))
        parts = [f'<g class="edge {state}" id={quoteattr(f"edge-{ids}{self.spec.name}-{e.id}")} '
                 f'data-edge={quoteattr(e.id)} data-state="{state}">',
                 f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="{2 if colour == RED else 1.4}" '
                 f'marker-end="url(#{marker})"/>']
        cx = (x1 + x2) / 2
        above, below = self.labels[e.id]
        # a block of lines is centred as a whole and its lines left-aligned, so that
        # matrix rows and "yours"/"reference" stay in columns
        for block, cls, first, step in ((above, "forward", y - 7 - (len(above) - 1) * LINE_H, LINE_H),
                                        (below, "backward", y + 6 + 0.8 * FONT, LINE_H)):
            left = cx - max([_text_w(line) for line in block] or [0]) / 2
            for i, line in enumerate(block):
                parts.append(self._line_svg(line, left, first + i * step, cls))
        parts.append("</g>")
        return "\n".join(parts)

    @staticmethod
    def _line_svg(line, x, y, cls):
        spans = "".join(f'<tspan fill="{c}">{escape(t)}</tspan>' for t, c in line)
        return (f'<text class="{cls}" x="{x:.1f}" y="{y:.1f}" xml:space="preserve" '
                f'font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="{FONT}">{spans}</text>')

    def _node_svg(self, n):
        x, y = self.pos(n)
        if n.terminal:
            is_src = self._is_source(n)
            anchor, tx = ("end", x - 6) if is_src else ("start", x + 6)
            return (f'<text class="name" x="{tx:.1f}" y="{y + 5:.1f}" text-anchor="{anchor}" font-size="{FONT}" '
                    f'font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" fill="{BLACK}">'
                    f'{escape(n.label)}</text>')
        if len(n.label) == 1:
            shape = f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{R}" fill="#ffffff" stroke="{BLACK}" stroke-width="1.6"/>'
            size = 22
        else:
            hw = self.half_w(n)
            shape = (f'<rect x="{x - hw:.1f}" y="{y - 18:.1f}" width="{2 * hw:.1f}" height="36" rx="10" '
                     f'fill="#ffffff" stroke="{BLACK}" stroke-width="1.6"/>')
            size = 16
        return (f'<g class="node" data-node={quoteattr(n.id)}>{shape}<text x="{x:.1f}" y="{y + size * 0.36:.1f}" '
                f'text-anchor="middle" font-size="{size}" fill="{BLACK}">{escape(n.label)}</text></g>')


_DEFS = (f'<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
         f'orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{BLACK}"/></marker>'
         f'<marker id="arrow-red" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
         f'orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{RED}"/></marker></defs>')
_ids = itertools.count()


def draw(names, layers, reference=None, source=""):
    """SVG text with one panel per graph name (a name or a sequence of names from GRAPH_NAMES).

    layers: the module whose MulLayer, AddLayer, ... compute the values, or the path of a
      layers.py (loaded with load_layers_safely).
    reference: None (just draw), a module or path (its values beside yours where they differ,
      in red) or EXPECTED (the hand-computed values). source: a line naming the files, shown
      under the title. Raises ValueError for an unknown name, nothing for what the layers do.
    """
    if isinstance(layers, (str, os.PathLike)):
        layers = load_layers_safely(layers)
    if isinstance(reference, (str, os.PathLike)):
        reference = load_layers_safely(reference)
    names = (names,) if isinstance(names, str) else tuple(dict.fromkeys(names))
    unknown = [n for n in names if n not in SPECS]
    if unknown:
        raise ValueError(f"unknown graph {', '.join(unknown)}: expected one of {', '.join(GRAPH_NAMES)}")
    caption = source
    if reference is not None:
        red = i18n.t("graph_red_expected") if reference is EXPECTED else i18n.t("graph_red_reference")
        caption = (source + "; " if source else "") + red
    panels = [_Panel(SPECS[n], compute(n, layers), _reference_values(n, reference), caption) for n in names]
    width = math.ceil(max(p.width for p in panels))
    height = math.ceil(sum(p.height for p in panels))
    body, y = [], 0.0
    for p in panels:
        body.append(p.svg(y, ""))  # ids stay unique: one panel per name, names made unique above
        y += p.height
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">\n'
            f'<title>{escape(", ".join(names))}: computational graph</title>\n{_DEFS}\n'
            f'<rect width="100%" height="100%" fill="#ffffff"/>\n' + "\n".join(body) + "\n</svg>\n")


# --------------------------------------------------------------------------- loading a layers.py
def load_layers(path):
    """Execute the file `path` (a layers.py) as a new module object and return it.

    Never a cached import: every call runs the file again, so an edit since the last call
    counts. Its own imports of flat modules (`from functions import softmax`) come from
    the file's folder (a learner's layers.py uses the learner's functions.py), and neither
    they nor the module stay in sys.modules. Raises whatever executing the file raises.
    """
    path = Path(path).resolve()
    folder = str(path.parent)
    flat = {p.stem for p in path.parent.glob("*.py")}
    saved = {k: sys.modules.pop(k) for k in list(sys.modules) if k.split(".")[0] in flat}
    sys.path.insert(0, folder)
    try:
        spec = importlib.util.spec_from_file_location(f"_kata_graph_{path.stem}_{next(_ids)}", path)
        module = importlib.util.module_from_spec(spec)
        with _quiet():
            spec.loader.exec_module(module)
        return module
    finally:
        with contextlib.suppress(ValueError):  # the file's own code may have taken it off already
            sys.path.remove(folder)
        for k in [k for k in sys.modules if k.split(".")[0] in flat]:
            del sys.modules[k]
        sys.modules.update(saved)


class _BrokenModule:
    """Stands in for a layers.py that does not load: every layer fails with the load error."""

    def __init__(self, text):
        self.text = text

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        raise ImportError(self.text)


def load_layers_safely(path):
    """load_layers(path), or a stand-in whose every layer fails with the error text (a graph of 'error:' edges)."""
    try:
        return load_layers(path)
    except BaseException as exc:  # noqa: BLE001 - SystemExit in a learner's module included
        if isinstance(exc, KeyboardInterrupt):
            raise
        where = f" (line {exc.lineno})" if isinstance(exc, SyntaxError) and exc.lineno else ""
        return _BrokenModule(f"{Path(path).name} does not load: {_short(exc, 50)}{where}")


# --------------------------------------------------------------------------- files
def _write_atomic(path, data):
    """Write bytes to path atomically (kata.fsutil: temp file beside it, fsync, os.replace), making its folder."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_bytes_atomic(path, data)


def _is_exported(root):
    return (Path(root) / "kata" / "exported.json").exists()


def reference_for(workspace_dir, reference_root):
    """The reference to compare a workspace with: the root's layers.py, or EXPECTED where there is none.

    In an exported learner repository the root IS the workspace (its layers.py is the
    learner's), so the hand-computed values are the reference there.
    """
    ref = Path(reference_root) / "layers.py"
    mine = Path(workspace_dir) / "layers.py"
    if _is_exported(reference_root) or not ref.exists() or (mine.exists() and ref.resolve() == mine.resolve()):
        return EXPECTED
    module = load_layers_safely(ref)
    return EXPECTED if isinstance(module, _BrokenModule) else module


def graph_for_exercise(ex_id, workspace_dir, reference_root, out_dir):
    """Write <out_dir>/graph-<ex_id>.svg for an exercise that has a graph; return its path, else None.

    The values come from <workspace_dir>/layers.py (loaded fresh), compared with the
    reference_for(...) (red where they differ). Does not raise for anything the learner's
    module does: a file that does not load draws every layer's value as "error: ...".
    (A layer that never returns is the caller's to time out.) The write is atomic.
    """
    names = EXERCISE_GRAPHS.get(ex_id)
    if names is None:
        return None
    ws_layers = Path(workspace_dir) / "layers.py"
    try:
        learner = load_layers_safely(ws_layers)
        reference = reference_for(workspace_dir, reference_root)
        svg = draw(names, learner, reference, source=i18n.t("graph_values_from", path=ws_layers))
    except Exception as exc:  # noqa: BLE001 - a last resort; the drawing code itself should not fail
        svg = draw(names, _BrokenModule(i18n.t("graph_could_not_draw", err=_short(exc))), None,
                   source=i18n.t("graph_values_from", path=ws_layers))
    return _write_atomic(Path(out_dir) / f"graph-{ex_id}.svg", svg.encode("utf-8"))


# --------------------------------------------------------------------------- PNG
class RendererUnavailable(RuntimeError):
    """No SVG -> PNG renderer (cairosvg or a Chromium) on this machine."""


CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome", "msedge")
INSTALL_HINT = "SVG only: no PNG renderer (on Debian/Ubuntu, `make graph-renderer` installs Chromium)"


def _cairosvg():
    try:
        import cairosvg  # optional; needs the Cairo library, so it is not in requirements.txt
        return cairosvg
    except (ImportError, OSError):
        return None


def chromium_path():
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def png_renderer():
    """"cairosvg", "chromium" or None: what svg_to_png would use."""
    if _cairosvg() is not None:
        return "cairosvg"
    return "chromium" if chromium_path() else None


def _svg_size(text):
    import xml.etree.ElementTree as ET
    root = ET.fromstring(text)
    return math.ceil(float(root.get("width"))), math.ceil(float(root.get("height")))


def svg_to_png(svg_path, png_path=None, scale=2, timeout=60):
    """Render svg_path to PNG (default: same name, .png) at `scale` x its size; return the PNG's path.

    Uses cairosvg when it imports, else headless Chromium with a throw-away profile.
    Raises RendererUnavailable when neither exists, RuntimeError when rendering fails.
    """
    svg_path = Path(svg_path).resolve()
    png_path = Path(png_path) if png_path else svg_path.with_suffix(".png")
    cairo = _cairosvg()
    if cairo is not None:
        data = cairo.svg2png(url=str(svg_path), scale=scale)
        return _write_atomic(png_path, data)
    chromium = chromium_path()
    if chromium is None:
        raise RendererUnavailable(INSTALL_HINT)
    width, height = _svg_size(svg_path.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="kata-chromium-") as tmp:
        shot = Path(tmp) / "shot.png"
        cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--hide-scrollbars", "--mute-audio", f"--user-data-dir={Path(tmp) / 'profile'}",
               f"--force-device-scale-factor={scale}", f"--window-size={width},{height}",
               f"--screenshot={shot}", svg_path.as_uri()]
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8",
                              errors="replace", timeout=timeout)
        if not shot.exists() or shot.read_bytes()[:8] != b"\x89PNG\r\n\x1a\n":
            raise RuntimeError(f"{Path(chromium).name} made no PNG (exit {proc.returncode}): {proc.stdout[-500:]}")
        return _write_atomic(png_path, shot.read_bytes())


# --------------------------------------------------------------------------- the command
def resolve_names(name):
    """NAME of `python -m kata graph NAME` -> [(file stem, graph names)]; None = all graphs."""
    if name is None or name == "all":
        return [(n, (n,)) for n in GRAPH_NAMES]
    if name in SPECS:
        return [(name, (name,))]
    if name in EXERCISE_GRAPHS:
        return [(f"graph-{name}", EXERCISE_GRAPHS[name])]
    raise ValueError(i18n.t("graph_unknown", name=name, names=", ".join(GRAPH_NAMES), exercises=", ".join(EXERCISE_GRAPHS)))


def write_graphs(name, layers, reference, out_dir, source="", png=True, log=print):
    """Write the SVGs (and PNGs when a renderer exists and png) of NAME into out_dir; return the paths."""
    paths = []
    for stem, names in resolve_names(name):
        svg = draw(names, layers, reference, source=source)
        paths.append(_write_atomic(Path(out_dir) / f"{stem}.svg", svg.encode("utf-8")))
    if png:
        if png_renderer() is None:
            log(i18n.t("graph_svg_only"))
        else:
            # one browser start is ~1-3 s: a few side by side
            from concurrent.futures import ThreadPoolExecutor
            with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1))) as pool:
                futures = [(p, pool.submit(svg_to_png, p)) for p in list(paths)]
            for p, future in futures:
                try:
                    paths.append(future.result())
                except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
                    log(i18n.t("graph_no_png", name=p.name, err=exc))
    return paths


def command(name, ws, root, png=True, out=print):
    """`python -m kata graph [NAME]`: exit status. Kata mode (a workspace with layers.py): your values
    against the reference, into <ws>/.kata/graphs/; else the reference's, into ./graphs/."""
    try:
        resolve_names(name)
    except ValueError as err:
        print(f"{i18n.t('graph_usage')}\n{err}", file=sys.stderr)
        return 2
    ws, root = Path(ws), Path(root)
    if (ws / "layers.py").exists() and (ws.resolve() != root.resolve() or _is_exported(root)):
        layers = load_layers_safely(ws / "layers.py")
        reference = reference_for(ws, root)
        out_dir = ws / ".kata" / "graphs"
        source = i18n.t("graph_values_from", path=ws / "layers.py")
    else:
        layers = load_layers_safely(root / "layers.py")
        reference = EXPECTED
        out_dir = Path.cwd() / "graphs"
        source = f"values from {root / 'layers.py'}"
    for path in write_graphs(name, layers, reference, out_dir, source=source, png=png, log=out):
        out(str(path))
    return 0


GRAPH_DEADLINE = 60.0  # seconds for `python -m kata graph` (KATA_GRAPH_DEADLINE): it runs the learner's layers
_CHILD = """
import faulthandler, signal, sys
from pathlib import Path
if hasattr(signal, "SIGUSR1"):
    faulthandler.register(signal.SIGUSR1, file=open(sys.argv[5], "w", encoding="utf-8"), all_threads=False)
from kata import graph
sys.exit(graph.command(sys.argv[1] or None, Path(sys.argv[2]), Path(sys.argv[3]), png=sys.argv[4] == "1"))
"""


def command_with_deadline(name, ws, root, png=True, deadline=None):
    """graph.command in a child process, ended at a deadline: a learner's layer that never returns
    must not hang `python -m kata graph`. On the deadline, the message names the layer and its line
    (faulthandler's stack of the child, as for a check) and the exercise it belongs to."""
    deadline = float(os.environ.get("KATA_GRAPH_DEADLINE", GRAPH_DEADLINE)) if deadline is None else deadline
    # named like a run's folder (kata-run-<pid>-): if this process is killed, the next check removes it
    with tempfile.TemporaryDirectory(prefix=f"kata-run-{os.getpid()}-graph-") as tmp:
        dump = Path(tmp) / "stacks.txt"
        cmd = [sys.executable, "-c", _CHILD, name or "", str(ws), str(root), "1" if png else "0", str(dump)]
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
        env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).resolve().parents[1])]
                                            + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
        popen = {"start_new_session": True} if os.name == "posix" else {
            "creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
        env["PYTHONIOENCODING"] = "utf-8"
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                encoding="utf-8", errors="replace", **popen)

        def end():
            with contextlib.suppress(OSError):
                os.killpg(proc.pid, signal.SIGKILL) if os.name == "posix" else proc.kill()
            return proc.communicate()

        try:
            out, err = proc.communicate(timeout=deadline)
            code = proc.returncode
        except subprocess.TimeoutExpired:
            if hasattr(signal, "SIGUSR1"):
                with contextlib.suppress(OSError):
                    os.kill(proc.pid, signal.SIGUSR1)
                time.sleep(0.5)
            out, err = end()
            err, code = (err or "") + _deadline_message(dump, ws, name, deadline) + "\n", 1
        except KeyboardInterrupt:
            end()
            raise
        sys.stdout.write(out or "")
        sys.stderr.write(err or "")
        return code


def _deadline_message(dump, ws, name, deadline):
    import re
    from kata.manifest import EXERCISES
    try:
        text = Path(dump).read_text(encoding="utf-8", errors="replace")
    except OSError:
        text = ""
    ws = str(Path(ws).resolve())
    frames = [(p, int(n)) for p, n in re.findall(r'File "([^"]+)", line (\d+) in \S+', text)
              if p.startswith(ws + os.sep)]
    what = name or "all"
    if not frames:
        return i18n.t("graph_deadline", secs=f"{deadline:g}", name=what)
    path, line = frames[0]  # faulthandler lists the innermost frame first
    layer = _qualname_at(path, line) or "?"
    ex = next((e.id for e in EXERCISES if f"{Path(path).stem}:{layer}" in e.targets), what)
    return i18n.t("graph_deadline_where", secs=f"{deadline:g}", name=what, layer=layer, id=ex,
                  where=f"{Path(path).name}:{line}")


def _qualname_at(path, line):
    """"MulLayer.backward": the innermost class/function around `line` of a file, or None."""
    import ast
    try:
        tree = ast.parse(Path(path).read_text(encoding="utf-8", errors="replace"))
    except (OSError, SyntaxError, ValueError):
        return None
    found, nodes = None, [(tree, "")]
    while nodes:
        node, prefix = nodes.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) \
                    and child.lineno <= line <= (child.end_lineno or child.lineno):
                found = prefix + child.name
                nodes.append((child, found + "."))
    return found

