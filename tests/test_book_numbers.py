"""The numbers the book prints, reproduced exactly.

Values are compared with pytest.approx at tolerances.BOOK_PRINTED (never by
int() or rounding, which would hide 220 vs 220.00000000000003), and the two
scripts of section 5.4 must print the book's lines character for character.
"""
import os
import signal
import subprocess
import sys

import numpy as np
import pytest

import gradient
import layers
from checks import assert_close, assert_grad_close
from functions import cross_entropy_error
from gradient import numerical_gradient
from layers import AddLayer, Affine, MulLayer, Relu
from tolerances import BOOK_PRINTED, NUMERICAL_GRADIENT_VS_ANALYTIC


def book(value):
    return pytest.approx(value, rel=BOOK_PRINTED.rtol, abs=BOOK_PRINTED.atol)


def run_script(name):
    """stdout of `python <name>` run next to the layers module under test.

    In kata mode `layers` is the learner's workspace copy, so the workspace's
    scripts run against the learner's layers.
    """
    folder = os.path.dirname(os.path.abspath(layers.__file__))
    # The script gets most of this test's budget (the kata sets KATA_TIMEOUT); on expiry it is
    # asked for its stack (faulthandler prints it on SIGABRT), so an endless loop in the
    # learner's layer is reported at its line, and the script never outlives the test.
    budget = 0.8 * float(os.environ.get("KATA_TIMEOUT", "120"))
    proc = subprocess.Popen([sys.executable, os.path.join(folder, name)], cwd=folder,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
                            errors="replace", env=dict(os.environ, PYTHONFAULTHANDLER="1"))
    try:
        stdout, stderr = proc.communicate(timeout=budget)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGABRT if hasattr(signal, "SIGABRT") else signal.SIGTERM)
        try:
            _, stderr = proc.communicate(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, stderr = proc.communicate()
        raise AssertionError(f"python {name} did not finish within {budget:g} s (an endless loop?); "
                             f"where it was:\n{stderr[-2000:]}") from None
    done = subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)
    if done.returncode != 0:
        # the script's own last lines (its error), not pytest's repr of the CompletedProcess
        tail = "\n".join(done.stderr.strip().splitlines()[-6:])
        raise AssertionError(f"python {name} failed (exit {done.returncode}):\n{tail}")
    return done.stdout


def assert_prints(name, expected):
    """The book's lines, in order, among what `python <name>` printed: a learner's own debug
    print() lines around them are theirs to keep."""
    printed = run_script(name).splitlines()
    lines = iter(printed)
    missing = [line for line in expected if not any(got == line for got in lines)]
    if missing:
        shown = "\n".join(f"    {line}" for line in printed[:12])
        raise AssertionError(f"python {name} did not print the book's line {missing[0]!r}; it printed:\n{shown}")


# ---------------------------------------------------------------- 5.4.1 buy_apple.py
@pytest.mark.exercise("5.4.1")
def test_buy_apple_prints_the_books_lines():
    assert_prints("buy_apple.py", ["220.00000000000003", "2.2 110.00000000000001 200"])


@pytest.mark.exercise("5.4.1")
def test_buy_apple_values():
    mul_apple_layer, mul_tax_layer = MulLayer(), MulLayer()
    apple_price = mul_apple_layer.forward(100, 2)
    price = mul_tax_layer.forward(apple_price, 1.1)
    assert apple_price == book(200)
    assert price == book(220.00000000000003)

    dapple_price, dtax = mul_tax_layer.backward(1)
    dapple, dapple_num = mul_apple_layer.backward(dapple_price)
    assert dapple_price == book(1.1)
    assert dtax == book(200)
    assert dapple == book(2.2)
    assert dapple_num == book(110.00000000000001)


# ---------------------------------------------------------------- 5.4.2 buy_apple_orange.py
@pytest.mark.exercise("5.4.2")
def test_buy_apple_orange_prints_the_books_lines():
    assert_prints("buy_apple_orange.py", ["715.0000000000001", "110.00000000000001 2.2 3.3000000000000003 165.0 650"])


@pytest.mark.exercise("5.4.2")
def test_buy_apple_orange_values():
    mul_apple_layer, mul_orange_layer = MulLayer(), MulLayer()
    add_apple_orange_layer, mul_tax_layer = AddLayer(), MulLayer()

    apple_price = mul_apple_layer.forward(100, 2)
    orange_price = mul_orange_layer.forward(150, 3)
    all_price = add_apple_orange_layer.forward(apple_price, orange_price)
    price = mul_tax_layer.forward(all_price, 1.1)
    assert (apple_price, orange_price, all_price) == (book(200), book(450), book(650))
    assert price == book(715.0000000000001)

    dall_price, dtax = mul_tax_layer.backward(1)
    dapple_price, dorange_price = add_apple_orange_layer.backward(dall_price)
    dorange, dorange_num = mul_orange_layer.backward(dorange_price)
    dapple, dapple_num = mul_apple_layer.backward(dapple_price)
    assert dall_price == book(1.1)
    assert dtax == book(650)
    assert (dapple_price, dorange_price) == (book(1.1), book(1.1))
    assert dorange == book(3.3000000000000003)
    assert dorange_num == book(165.0)
    assert dapple == book(2.2)
    assert dapple_num == book(110.00000000000001)


# ---------------------------------------------------------------- 5.5.1 Relu's mask
@pytest.mark.exercise("5.5.1")
def test_relu_mask_prints_like_the_book():
    x = np.array([[1.0, -0.5], [-2.0, 3.0]])
    relu = Relu()
    out = relu.forward(x)
    # the book prints the mask its forward keeps; a Relu that keeps something else (self.x, say)
    # is as right, and nothing later in the chapter reads the mask
    mask = getattr(relu, "mask", None)
    if isinstance(mask, np.ndarray):
        assert str(mask) == "[[False  True]\n [ True False]]"
    assert_close("Relu.forward([[1, -0.5], [-2, 3]])", out, np.array([[1.0, 0.0], [0.0, 3.0]]), BOOK_PRINTED)


# ---------------------------------------------------------------- 5.6.1 the bias, forward and backward
@pytest.mark.exercise("5.6.2")
def test_bias_is_added_to_every_row():
    # The book's X_dot_W = [[0, 0, 0], [10, 10, 10]], B = [1, 2, 3]: x @ W gives X_dot_W here.
    layer = Affine(np.array([[1.0, 1.0, 1.0]]), np.array([1.0, 2.0, 3.0]))
    out = layer.forward(np.array([[0.0], [10.0]]))
    assert_close("X_dot_W + B", out, np.array([[1.0, 2.0, 3.0], [11.0, 12.0, 13.0]]), BOOK_PRINTED)


@pytest.mark.exercise("5.6.2")
def test_bias_gradient_sums_over_the_batch():
    layer = Affine(np.ones((2, 3)), np.zeros(3))
    layer.forward(np.ones((2, 2)))
    layer.backward(np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]))  # the book's dY
    assert_grad_close("Affine db for dY = [[1, 2, 3], [4, 5, 6]]", layer.db, np.array([5.0, 7.0, 9.0]),
                      BOOK_PRINTED, reference="book's dB = [5, 7, 9]")


# ---------------------------------------------------------------- chapter 4 anchors
@pytest.mark.exercise("4.2")
def test_cross_entropy_error_of_the_books_two_examples():
    t = np.array([0, 0, 1, 0, 0, 0, 0, 0, 0, 0])  # one-hot "2", as the book writes it
    y_right = np.array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0])
    y_wrong = np.array([0.1, 0.05, 0.1, 0.0, 0.05, 0.1, 0.0, 0.6, 0.0, 0.0])
    assert cross_entropy_error(y_right, t) == book(0.510825457099338)
    assert cross_entropy_error(y_wrong, t) == book(2.302584092994546)


@pytest.mark.exercise("4.4")
@pytest.mark.parametrize("point, expected", [((3.0, 4.0), (6.0, 8.0)),
                                             ((0.0, 2.0), (0.0, 4.0)),
                                             ((3.0, 0.0), (6.0, 0.0))])
def test_numerical_gradient_of_function_2(point, expected):
    def function_2(x):
        return x[0] ** 2 + x[1] ** 2

    grad = numerical_gradient(function_2, np.array(point))
    # the book prints [6. 8.]; the centred difference is 2x up to rounding (~1e-11)
    assert_grad_close(f"numerical_gradient(function_2, {point})", grad, np.array(expected),
                      NUMERICAL_GRADIENT_VS_ANALYTIC, reference="book's gradient")


# gradient.py's row-wise helpers are the reference's chapter-4 code, not the learner's exercise
# (numerical_gradient is): these two test the reference only.
def test_the_books_row_wise_helpers_give_each_rows_gradient():
    # gradient_2d.py evaluates the gradient of x0^2 + x1^2 at many points at once:
    # numerical_gradient_2d takes one point per row (and a single point as 1-D).
    def function_2(x):
        return x[0] ** 2 + x[1] ** 2

    points = np.array([[3.0, 4.0], [0.0, 2.0], [3.0, 0.0]])
    original = points.copy()
    grad = gradient.numerical_gradient_2d(function_2, points)
    assert_grad_close("numerical_gradient_2d(function_2, 3 points)", grad, 2 * original,
                      NUMERICAL_GRADIENT_VS_ANALYTIC, reference="analytic 2x")
    assert np.array_equal(points, original)  # every perturbed element restored
    one = gradient.numerical_gradient_2d(function_2, np.array([3.0, 4.0]))
    assert_grad_close("numerical_gradient_2d(function_2, (3, 4))", one, np.array([6.0, 8.0]),
                      NUMERICAL_GRADIENT_VS_ANALYTIC, reference="book's gradient")


def test_the_row_wise_helpers_refuse_what_they_cannot_differentiate():
    def function_2(x):
        return x[0] ** 2 + x[1] ** 2

    points = np.array([[3.0, 4.0], [0.0, 2.0], [3.0, 0.0]])
    with pytest.raises(ValueError, match=r"shape \(D,\)"):
        gradient._numerical_gradient_1d(function_2, points)
    with pytest.raises(TypeError, match="float"):
        gradient.numerical_gradient_2d(function_2, np.array([[3, 4]]))
