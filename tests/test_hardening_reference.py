"""Bad input to the reference (layers.py, functions.py, gradient.py, two_layer_net.py), issues 13 and 22.

Every class of bad input the audit found gives a silent wrong answer no more: it is
either a correct result or an error that names what was expected. Property-based
where it fits (tests/strategies.py: non_arrays, bad_dtype_arrays, not_one_hot, ...).

The decisions these tests pin (validation.py's docstring says the same):
- targets: one-hot (N, C) rows must be one-hot; soft, all-zero and multi-hot rows
  are a ValueError (the book's argmax reading would silently compute another loss);
- non-arrays: numpy arrays of real numbers, Python numbers where the book passes them
  (MulLayer, AddLayer, dout, a single label); anything else is a TypeError naming the
  expected type, never a repeated list or an AttributeError from deep inside;
- integers (issue 22): converted to float where a formula does arithmetic on them,
  never wrapped around; y for cross_entropy_error must look like probabilities;
  a forward that raises leaves its layer as it was; what forward keeps by
  reference is documented, not copied.
These are the reference's extras beyond the book, not the kata's contract: no
exercise marker, the kata does not run them against a learner's workspace.
"""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import layer_checks as lc
import strategies as S
from checks import assert_close
from functions import cross_entropy_error, relu, sigmoid, softmax
from gradient import numerical_gradient, numerical_gradient_2d
from layers import AddLayer, Affine, MulLayer, Relu, Sigmoid, SoftmaxWithLoss
from tolerances import FORWARD_VS_REFERENCE
from two_layer_net import TwoLayerNet

DELTA = 1e-7  # the book's delta inside the log (written here, not read from functions.py)


def _affine(d=3, m=2):
    return Affine(np.ones((d, m)), np.zeros(m))


def _after_forward(layer, *args):
    layer.forward(*args)
    return layer


# ---------------------------------------------------------------- targets that are not one-hot
def test_soft_targets_are_refused_instead_of_read_by_argmax():
    # the audit's case: the argmax reading gave 1.498 (the loss of class 1 alone);
    # the true cross-entropy of [0.3, 0.7] would be 1.168
    y = np.array([[0.5, 0.2, 0.3], [0.1, 0.8, 0.1]])
    soft = np.array([[1.0, 0.0, 0.0], [0.0, 0.3, 0.7]])
    with pytest.raises(ValueError, match=r"exactly one 1 per row.*row 1 is \[0.0, 0.3, 0.7\]"):
        cross_entropy_error(y, soft)
    with pytest.raises(ValueError, match="one-hot"):
        SoftmaxWithLoss().forward(np.log(y), soft)


def test_an_all_zero_row_is_not_class_0():
    t = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 0.0]])
    with pytest.raises(ValueError, match="row 1 is"):
        cross_entropy_error(np.full((2, 3), 1 / 3), t)


@given(S.not_one_hot())
def test_any_non_one_hot_target_is_a_value_error(case):
    t, kind = case
    n, c = t.shape
    x = np.linspace(-1.0, 1.0, n * c).reshape(n, c)
    with pytest.raises(ValueError, match="one-hot"):
        cross_entropy_error(softmax(x), t)
    layer = SoftmaxWithLoss()
    with pytest.raises(ValueError, match="one-hot"):
        layer.forward(x, t)
    with pytest.raises(ValueError, match="one-hot"):
        TwoLayerNet(c, 3, c, seed=0).accuracy(x, t)


@given(S.softmax_case(targets="labels", bound=5.0),
       st.sampled_from([np.float64, np.float32, np.int64, np.uint8]), st.booleans())
def test_one_hot_in_any_real_dtype_gives_exactly_the_labels_loss(case, dtype, negative_zeros):
    x, labels = case
    n, c = x.shape
    t = S.one_hot(labels, c).astype(dtype)
    if negative_zeros and t.dtype.kind == "f":
        t[t == 0] = -0.0  # still one-hot: -0.0 == 0 (the bit-pattern count must not refuse it)
    y = softmax(x)
    assert cross_entropy_error(y, t) == cross_entropy_error(y, labels)
    by_one_hot, by_labels = SoftmaxWithLoss(), SoftmaxWithLoss()
    assert by_one_hot.forward(x, t) == by_labels.forward(x, labels)
    np.testing.assert_allclose(by_one_hot.backward(), by_labels.backward(), rtol=1e-15, atol=1e-17)


def test_one_hot_still_gives_the_books_printed_numbers():
    t = np.array([0, 0, 1, 0, 0, 0, 0, 0, 0, 0])
    y_right = np.array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0])
    y_wrong = np.array([0.1, 0.05, 0.1, 0.0, 0.05, 0.1, 0.0, 0.6, 0.0, 0.0])
    assert cross_entropy_error(y_right, t) == 0.510825457099338
    assert cross_entropy_error(y_wrong, t) == 2.302584092994546
    assert cross_entropy_error(y_right, t) == -math.log(0.6 + DELTA)


def test_a_softmax_over_one_class_is_refused():
    # (N,) labels against (N, 1) scores: y - t would broadcast to (N, N)
    with pytest.raises(ValueError, match="C >= 2"):
        SoftmaxWithLoss().forward(np.zeros((3, 1)), np.zeros(3, dtype=np.int64))


def test_a_failed_forward_stores_nothing_the_next_backward_could_use():
    layer = SoftmaxWithLoss()
    with pytest.raises(ValueError):
        layer.forward(np.zeros((2, 0)), np.zeros(2, dtype=np.int64))
    with pytest.raises(RuntimeError, match="call forward first"):
        layer.backward()


# ---------------------------------------------------------------- shape holes
@given(st.data())
def test_mul_layer_backward_refuses_a_dout_that_only_broadcasts(data):
    shape = data.draw(S.shapes(max_dims=2, max_side=4))
    x, y = np.ones(shape), np.full(shape, 2.0)
    dout = np.ones(data.draw(S.broadcastable_other_shape(shape)))
    layer = _after_forward(MulLayer(), x, y)
    with pytest.raises(ValueError, match=rf"MulLayer.backward: expected dout of shape {re_shape(shape)}"):
        layer.backward(dout)


def re_shape(shape):
    return str(tuple(shape)).replace("(", r"\(").replace(")", r"\)")


@pytest.mark.parametrize("dout", [np.ones(3), np.ones((2, 3)), np.ones(1)], ids=["(C,)", "(N, C)", "(1,)"])
def test_softmax_with_loss_backward_refuses_an_array_dout(dout):
    layer = _after_forward(SoftmaxWithLoss(), np.zeros((2, 3)), np.array([0, 2]))
    with pytest.raises(ValueError, match=r"expected dout to be a number \(shape \(\)\)"):
        layer.backward(dout)


@given(S.non_arrays())
def test_softmax_with_loss_backward_refuses_a_non_number_dout(dout):
    layer = _after_forward(SoftmaxWithLoss(), np.zeros((2, 3)), np.array([0, 2]))
    with pytest.raises(TypeError, match="dout to be a number"):
        layer.backward(dout)


@given(S.softmax_case(targets="either"), S.floats(3.0))
def test_softmax_with_loss_backward_takes_any_kind_of_number(case, dout):
    x, t = case
    layer = _after_forward(SoftmaxWithLoss(), x, t)
    expected = layer.backward(dout)
    for same in (np.float64(dout), np.array(dout), np.float32(dout)):
        np.testing.assert_allclose(layer.backward(same), expected, rtol=1e-6, atol=1e-12)


@pytest.mark.parametrize("W, message", [
    (np.ones(4), r"Affine: expected W of shape \(D, M\), got \(4,\)"),
    (np.ones((2, 2, 2)), r"Affine: expected W of shape \(D, M\), got \(2, 2, 2\)"),
    (np.ones((4, 0)), r"Affine: expected W of shape \(D, M\) with D, M >= 1, got \(4, 0\)"),
], ids=["1-D", "3-D", "no outputs"])
def test_affine_refuses_a_weight_that_is_not_a_matrix(W, message):
    with pytest.raises(ValueError, match=message):
        Affine(W, np.zeros(np.shape(W)[-1]))


# ---------------------------------------------------------------- non-arrays, decided once
# Every entry point that needs an array, with the value under test put in one argument.
NEEDS_ARRAY = {
    "Relu.forward x": lambda v: Relu().forward(v),
    "Relu.backward dout": lambda v: _after_forward(Relu(), np.ones(2)).backward(v),
    "Sigmoid.forward x": lambda v: Sigmoid().forward(v),
    "Sigmoid.backward dout": lambda v: _after_forward(Sigmoid(), np.ones(2)).backward(v),
    "Affine W": lambda v: Affine(v, np.zeros(2)),
    "Affine b": lambda v: Affine(np.ones((3, 2)), v),
    "Affine.forward x": lambda v: _affine().forward(v),
    "Affine.backward dout": lambda v: _after_forward(_affine(), np.ones((1, 3))).backward(v),
    "SoftmaxWithLoss.forward x": lambda v: SoftmaxWithLoss().forward(v, np.array([0])),
    "SoftmaxWithLoss.forward t": lambda v: SoftmaxWithLoss().forward(np.zeros((1, 2)), v),
    "softmax x": lambda v: softmax(v),
    "cross_entropy_error y": lambda v: cross_entropy_error(v, np.array([0])),
    "cross_entropy_error t": lambda v: cross_entropy_error(np.full((1, 2), 0.5), v),
    "TwoLayerNet.predict x": lambda v: TwoLayerNet(2, 3, 2, seed=0).predict(v),
    "TwoLayerNet.loss t": lambda v: TwoLayerNet(2, 3, 2, seed=0).loss(np.ones((1, 2)), v),
    "TwoLayerNet.accuracy x": lambda v: TwoLayerNet(2, 3, 2, seed=0).accuracy(v, np.array([0])),
    "TwoLayerNet.accuracy t": lambda v: TwoLayerNet(2, 3, 2, seed=0).accuracy(np.ones((1, 2)), v),
    "numerical_gradient x": lambda v: numerical_gradient(lambda _: 0.0, v),
    "numerical_gradient_2d X": lambda v: numerical_gradient_2d(lambda _: 0.0, v),
}
# Where the book passes Python numbers (buy_apple.py): numbers are fine, non-numbers are not.
NEEDS_NUMBER_OR_ARRAY = {
    "MulLayer.forward x": lambda v: MulLayer().forward(v, 2.0),
    "MulLayer.forward y": lambda v: MulLayer().forward(2.0, v),
    "MulLayer.backward dout": lambda v: _after_forward(MulLayer(), 2.0, 3.0).backward(v),
    "AddLayer.forward x": lambda v: AddLayer().forward(v, 2.0),
    "AddLayer.forward y": lambda v: AddLayer().forward(2.0, v),
    "AddLayer.backward dout": lambda v: AddLayer().backward(v),
    "sigmoid x": lambda v: sigmoid(v),
    "relu x": lambda v: relu(v),
}


# 27 entry points x a few kinds of bad value: 20 draws per entry point cover every kind
# (non_arrays has 9, bad_dtype_arrays 4) and keep the module at a few seconds.
FEW = settings(max_examples=20)


def _assert_type_error_naming_the_type(call, value):
    """A TypeError whose message names what was given (no AttributeError, no result)."""
    with pytest.raises(TypeError) as info:
        call(value)
    given_kind = type(value).__name__
    if isinstance(value, (np.ndarray, np.generic)):
        given_kind = str(value.dtype)
    assert given_kind in str(info.value), f"the message does not say what was given ({given_kind}): {info.value}"


@FEW
@pytest.mark.parametrize("where", list(NEEDS_ARRAY) + list(NEEDS_NUMBER_OR_ARRAY))
@given(value=S.non_arrays())
def test_a_non_array_is_a_type_error_that_names_it(where, value):
    call = {**NEEDS_ARRAY, **NEEDS_NUMBER_OR_ARRAY}[where]
    _assert_type_error_naming_the_type(call, value)


@FEW
@pytest.mark.parametrize("where", list(NEEDS_ARRAY))
@given(value=S.python_numbers())
def test_a_python_number_where_an_array_is_needed_is_a_type_error(where, value):
    if where.endswith(" t") and isinstance(value, int):
        return  # a single label may be a Python int (checked for range in the next test)
    if where in ("Relu.backward dout", "Sigmoid.backward dout"):
        # dout is compared with the stored output's shape, (2,) here: a number is a shape error
        with pytest.raises(ValueError, match=r"expected dout of shape \(2,\), got \(\)"):
            NEEDS_ARRAY[where](value)
        return
    _assert_type_error_naming_the_type(NEEDS_ARRAY[where], value)


def test_a_single_label_may_be_a_python_int_and_is_range_checked():
    y = np.array([0.1, 0.7, 0.2])
    assert cross_entropy_error(y, 1) == cross_entropy_error(y, np.array(1))
    with pytest.raises(ValueError, match=r"labels must be in \[0, 2\]"):
        cross_entropy_error(y, 3)


@FEW
@pytest.mark.parametrize("where", list(NEEDS_ARRAY) + list(NEEDS_NUMBER_OR_ARRAY))
@given(data=st.data())
def test_a_complex_bool_string_or_object_array_is_a_type_error(where, data):
    call = {**NEEDS_ARRAY, **NEEDS_NUMBER_OR_ARRAY}[where]
    value = data.draw(S.bad_dtype_arrays(st.sampled_from([(1, 2), (2,), (1, 3)])))
    _assert_type_error_naming_the_type(call, value)


@pytest.mark.parametrize("a, b", [([1, 2], [3, 4]), ("ab", "cd"), ((1.0,), (2.0,)), ([1.0], 3)],
                         ids=["lists", "strings", "tuples", "list and number"])
def test_add_and_mul_layers_never_concatenate_or_repeat(a, b):
    for layer in (AddLayer(), MulLayer()):
        with pytest.raises(TypeError, match="numpy array"):
            layer.forward(a, b)


def test_the_books_python_numbers_still_work_exactly():
    # buy_apple.py: the book prints 220.00000000000003 and 2.2 110.00000000000001 200
    mul_apple, mul_tax = MulLayer(), MulLayer()
    price = mul_tax.forward(mul_apple.forward(100, 2), 1.1)
    dapple_price, dtax = mul_tax.backward(1)
    dapple, dapple_num = mul_apple.backward(dapple_price)
    assert repr(price) == "220.00000000000003"
    assert (repr(dapple), repr(dapple_num), repr(dtax)) == ("2.2", "110.00000000000001", "200")


# ---------------------------------------------------------------- integer input (issue 22)
# Integer arithmetic wraps around before the float math: int8 -(-128) == -128, so
# sigmoid(np.int8(-128)) was 1.0; x - max(x) overflowed an int64 row holding both ends;
# uint8 1 - 2 == 255. Integers are now converted to float64 where a formula does
# arithmetic on them. Expected values: layer_checks' math.exp/math.fsum formulas on a
# float64 copy made here, or Python's exact ints.
INTEGER_DTYPES = [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint64]


def _ends(dtype):
    """The dtype's minimum, -1 (or 1 for unsigned), 0 and maximum: where -x and x - max wrap."""
    info = np.iinfo(dtype)
    return np.array([info.min, -1 if info.min < 0 else 1, 0, info.max], dtype=dtype)


@pytest.mark.parametrize("dtype", INTEGER_DTYPES, ids=lambda d: d.__name__)
def test_sigmoid_of_integers_is_the_float64_sigmoid(dtype):
    x = _ends(dtype)
    expected = lc.sigmoid_values(x.astype(np.float64))
    for who, call in (("sigmoid", sigmoid), ("Sigmoid.forward", lambda v: Sigmoid().forward(v))):
        out = call(x)
        assert out.dtype == np.float64, f"{who} of {dtype.__name__} gave dtype {out.dtype}"
        assert_close(f"{who} of {dtype.__name__} {x.tolist()}", out, expected, FORWARD_VS_REFERENCE)
    # the cases: a numpy scalar and a 0-d array at the minimum
    lowest = x[0]
    assert_close(f"sigmoid(np.{dtype.__name__}({lowest}))", sigmoid(lowest), expected[0], FORWARD_VS_REFERENCE)
    assert_close("sigmoid of a 0-d array", sigmoid(np.array(lowest)), expected[0], FORWARD_VS_REFERENCE)


def test_sigmoid_of_the_int8_minimum_is_tiny_not_one():
    assert sigmoid(np.int8(-128)) == pytest.approx(math.exp(-128) / (1 + math.exp(-128)), rel=1e-12)
    assert sigmoid(np.iinfo(np.int64).min) == 0.0  # exp(-2**63) underflows: 0.0 is the float64 answer


@pytest.mark.parametrize("dtype", INTEGER_DTYPES, ids=lambda d: d.__name__)
def test_softmax_of_integer_rows_is_the_float64_softmax(dtype):
    x = np.stack([_ends(dtype), np.array([0, 1, 2, 3], dtype=dtype)])
    expected = lc.softmax_rows(x.astype(np.float64))
    y = softmax(x)
    assert y.dtype == np.float64
    assert_close(f"softmax of {dtype.__name__} rows {x.tolist()}", y, expected, FORWARD_VS_REFERENCE)
    assert_close("softmax of one integer row", softmax(x[1]), expected[1], FORWARD_VS_REFERENCE)


@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.int64, np.uint8], ids=lambda d: d.__name__)
def test_softmax_with_loss_on_integer_logits_is_the_float64_loss(dtype):
    info = np.iinfo(dtype)
    x = np.array([[info.min, info.max, 0], [3, 1, 2]], dtype=dtype)
    labels = np.array([0, 2])
    p = lc.softmax_rows(x.astype(np.float64))
    layer = SoftmaxWithLoss()
    loss = layer.forward(x, labels)
    assert_close(f"SoftmaxWithLoss loss of {dtype.__name__} logits", loss, lc.cross_entropy_rows(p, [0, 2]),
                 FORWARD_VS_REFERENCE)
    assert_close("SoftmaxWithLoss dx", layer.backward(), (p - S.one_hot(labels, 3)) / 2, FORWARD_VS_REFERENCE)


def test_affine_with_integer_x_w_and_dout_does_exact_float_math():
    # int8 throughout: 100 * 2 + 100 * 3 == 500 wraps to -12 in int8
    x = np.array([[100, 100], [-128, 127]], dtype=np.int8)
    W = np.array([[2, -3], [3, 1]], dtype=np.int8)
    b = np.array([1, 0], dtype=np.int8)
    dout = np.array([[100, 1], [100, -128]], dtype=np.int8)
    xs, Ws, ds = x.tolist(), W.tolist(), dout.tolist()  # Python ints: exact, never wrap
    out_exact = [[sum(xs[n][d] * Ws[d][m] for d in range(2)) + int(b[m]) for m in range(2)] for n in range(2)]
    dx_exact = [[sum(ds[n][m] * Ws[d][m] for m in range(2)) for d in range(2)] for n in range(2)]
    dW_exact = [[sum(xs[n][d] * ds[n][m] for n in range(2)) for m in range(2)] for d in range(2)]
    db_exact = [ds[0][m] + ds[1][m] for m in range(2)]
    layer = Affine(W, b)
    assert layer.forward(x).tolist() == out_exact
    assert layer.backward(dout).tolist() == dx_exact
    assert layer.dW.tolist() == dW_exact and layer.db.tolist() == db_exact


def test_mul_and_add_layers_with_numpy_integers_do_not_wrap():
    x, y = np.array([127, -128], dtype=np.int8), np.array([2, 2], dtype=np.int8)
    mul = MulLayer()
    assert mul.forward(x, y).tolist() == [254, -256]
    dx, dy = mul.backward(np.array([100, 100], dtype=np.int8))
    assert dx.tolist() == [200, 200] and dy.tolist() == [12700, -12800]
    assert AddLayer().forward(x, y).tolist() == [129, -126]
    assert MulLayer().forward(np.int8(127), np.int8(2)) == 254  # numpy scalars too
    # Python ints are exact already and stay ints (buy_apple.py prints the int 200)
    assert type(MulLayer().forward(100, 2)) is int


def test_relu_of_integers_is_exact_and_stays_integer():
    # no arithmetic that could wrap: max(x, 0) and a mask are exact in any integer dtype
    x = _ends(np.int8)
    layer = Relu()
    out = layer.forward(x)
    assert out.dtype == np.int8 and out.tolist() == [max(v, 0) for v in x.tolist()]
    assert layer.backward(np.array([5, 6, 7, 8], dtype=np.int8)).tolist() == [0, 0, 0, 8]


def _affine32(v):
    return Affine(np.ones((2, 2), dtype=np.float32), np.zeros(2, dtype=np.float32)).forward(v)


@pytest.mark.parametrize("call", [
    lambda v: sigmoid(v), lambda v: softmax(v), lambda v: Sigmoid().forward(v),
    lambda v: MulLayer().forward(v, v), lambda v: AddLayer().forward(v, v), _affine32],
    ids=["sigmoid", "softmax", "Sigmoid.forward", "MulLayer", "AddLayer", "Affine (float32 W)"])
def test_floats_keep_their_dtype_and_bools_are_still_refused(call):
    # only integers are converted: float32 stays float32 (TwoLayerNet's fast path)
    assert call(np.array([[0.5, -1.5]], dtype=np.float32)).dtype == np.float32
    with pytest.raises(TypeError, match="bool"):
        call(np.array([[True, False]]))


def test_unsigned_integers_are_fine_where_nothing_wraps():
    x = np.array([[0, 3], [255, 1]], dtype=np.uint8)  # load_mnist(normalize=False) images
    np.testing.assert_array_equal(Relu().forward(x), x)
    np.testing.assert_array_equal(_affine(2, 2).forward(x), x.astype(np.float64).sum(axis=1, keepdims=True)
                                  * np.ones((1, 2)))


# ---------------------------------------------------------------- numerical_gradient restores x
class Boom(Exception):
    pass


@given(S.points(), st.integers(0, 40), st.sampled_from([Boom, KeyboardInterrupt, ZeroDivisionError]))
def test_numerical_gradient_restores_x_whatever_f_raises(x, fail_at, exception):
    before = x.copy()
    calls = []

    def f(v):
        calls.append(1)
        if len(calls) > fail_at:
            raise exception("f failed")
        return float(np.sum(np.sin(v)))

    if fail_at >= 2 * x.size:  # f never fails: the gradient comes back and x is intact
        numerical_gradient(f, x)
    else:
        with pytest.raises(exception):
            numerical_gradient(f, x)
    assert x.tobytes() == before.tobytes(), "x was left changed"


def test_numerical_gradient_restores_x_when_f_fails_at_x_minus_h():
    x = np.array([0.1, 1 / 3, 12345.678901234])
    before = x.copy()
    seen = []

    def f(v):
        seen.append(v.copy())
        if len(seen) == 4:  # the second element's f(x - h)
            raise KeyboardInterrupt
        return float(np.sum(v ** 2))

    with pytest.raises(KeyboardInterrupt):
        numerical_gradient(f, x)
    assert x.tobytes() == before.tobytes()
    assert seen[3][1] != before[1], "the failing call did see the perturbed x"


def test_numerical_gradient_refuses_a_read_only_x():
    x = np.array([1.0, 2.0])
    x.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        numerical_gradient(lambda v: 0.0, x)


# ---------------------------------------------------------------- backward before forward, named truly
def test_a_forward_that_did_not_store_its_attribute_is_told_so():
    class ForgetfulRelu(Relu):
        def forward(self, x):
            self.x = x  # stores x, not the mask backward needs
            return np.maximum(x, 0)

    layer = ForgetfulRelu()
    layer.forward(np.ones(2))
    with pytest.raises(RuntimeError, match=r"needs self.mask, which is None.*or forward did not store self.mask"):
        layer.backward(np.ones(2))


def test_the_network_builds_its_layers_as_the_book_and_turns_off_the_first_dx_by_attribute():
    net = TwoLayerNet(4, 3, 2, seed=0)
    assert net.layers['Affine1'].need_dx is False and net.layers['Affine2'].need_dx is True
    x = np.arange(8.0).reshape(2, 4)
    net.loss(x, np.array([0, 1]))
    net.lastLayer.backward()
    assert net.layers['Affine1'].backward(np.ones((2, 3))) is None
    assert Affine(np.ones((4, 3)), np.zeros(3)).need_dx is True


# ---------------------------------------------------------------- a forward that raises changes nothing (issue 22)
# SoftmaxWithLoss stored self.t and self.y before cross_entropy_error checked t, so a
# backward after forward(x, [-1]) returned a gradient. For every stateful layer: a forward
# that raises leaves a fresh layer fresh and a used layer with its last good forward.
X2 = np.array([[0.5, -1.0, 2.0], [-0.25, 3.0, -2.0]])
DOUT2 = np.array([[1.0, -2.0, 0.5], [0.25, 1.5, -1.0]])
W32 = np.array([[1.0, -1.0], [0.5, 2.0], [-3.0, 0.25]])
LABELS2 = np.array([2, 0])

# layer name -> (new layer, good forward args, backward args, expected backward (plain formulas), bad forwards)
STATEFUL = {
    "MulLayer": (MulLayer, (X2, 2 * X2), (DOUT2,), lambda: (DOUT2 * 2 * X2, DOUT2 * X2),
                 [(np.ones(2), np.ones(3)), ([1.0, 2.0], np.ones(2)), (X2, X2.astype(complex))]),
    "Relu": (Relu, (X2,), (DOUT2,), lambda: DOUT2 * (X2 > 0),
             [([1.0, -1.0],), (X2 > 0,), (X2.astype(complex),)]),
    "Sigmoid": (Sigmoid, (X2,), (DOUT2,), lambda: DOUT2 * lc.sigmoid_values(X2) * (1 - lc.sigmoid_values(X2)),
                [([1.0, -1.0],), (X2 > 0,)]),
    "Affine": (lambda: Affine(W32, np.zeros(2)), (X2,), (DOUT2[:, :2],), lambda: DOUT2[:, :2] @ W32.T,
               [(np.ones((2, 4)),), (np.ones(3),), (np.ones((0, 3)),), ([[1.0, 2.0, 3.0]],)]),
    "SoftmaxWithLoss": (SoftmaxWithLoss, (X2, LABELS2), (1.0,),
                        lambda: (lc.softmax_rows(X2) - S.one_hot(LABELS2, 3)) / 2,
                        [(X2, np.array([-1, 0])), (X2, np.array([0, 3])), (X2, np.array([0, 1, 2])),
                         (X2, np.array([[1.0, 0, 0], [0, 0.5, 0.5]])), (X2, np.array([0.0, 1.0])),
                         (X2[0], 0), (X2, [0, 1])]),
}


def _cases():
    for name, (_, _, _, _, bad) in STATEFUL.items():
        for i, args in enumerate(bad):
            yield pytest.param(name, args, id=f"{name}-bad{i}")


def _backward_values(out):
    return out if isinstance(out, tuple) else (out,)


@pytest.mark.parametrize("name, bad_args", list(_cases()))
def test_a_forward_that_raises_leaves_a_fresh_layer_fresh(name, bad_args):
    make, _, backward_args, _, _ = STATEFUL[name]
    layer = make()
    with pytest.raises((TypeError, ValueError)):
        layer.forward(*bad_args)
    with pytest.raises(RuntimeError, match="call forward first"):
        layer.backward(*backward_args)


@pytest.mark.parametrize("name, bad_args", list(_cases()))
def test_a_forward_that_raises_keeps_the_last_good_forward(name, bad_args):
    make, good_args, backward_args, expected, _ = STATEFUL[name]
    layer = make()
    layer.forward(*good_args)
    with pytest.raises((TypeError, ValueError)):
        layer.forward(*bad_args)
    got = _backward_values(layer.backward(*backward_args))
    for g, e in zip(got, _backward_values(expected()), strict=True):
        assert_close(f"{name}.backward after a rejected forward", g, e, FORWARD_VS_REFERENCE)


def test_softmax_with_loss_keeps_the_loss_of_the_last_good_forward():
    layer = SoftmaxWithLoss()
    loss = layer.forward(X2, LABELS2)
    with pytest.raises(ValueError, match=r"labels must be in \[0, 2\]"):
        layer.forward(X2 + 1.0, np.array([-1, 0]))
    assert layer.loss == loss
    assert_close("SoftmaxWithLoss.loss", loss, lc.cross_entropy_rows(lc.softmax_rows(X2), [2, 0]),
                 FORWARD_VS_REFERENCE)
    assert layer.t is LABELS2


def test_an_affine_backward_that_raises_keeps_dw_and_db():
    layer = Affine(W32, np.zeros(2))
    layer.forward(X2)
    layer.backward(DOUT2[:, :2])
    dW, db = layer.dW, layer.db
    with pytest.raises(ValueError, match=r"expected dout of shape \(2, 2\)"):
        layer.backward(DOUT2)
    assert layer.dW is dW and layer.db is db
    np.testing.assert_array_equal(dW, X2.T @ DOUT2[:, :2])


# ---------------------------------------------------------------- y that is not probabilities (issue 22)
# cross_entropy_error of raw scores gave a negative loss, of rows summing to 2 a loss of 0.
# Clearly wrong y (an entry < 0, a row summing to more than 0.01 from 1) is a ValueError
# that names the row and asks about softmax; rounding (float32 softmax, probabilities
# written to 3 decimals) is not. The tolerance is validation.PROBABILITY_SUM_TOL's 1e-2,
# written here as the behaviour it promises.
NOT_PROBABILITIES = {
    "raw scores": (np.array([[2.0, -1.0, 0.5], [0.1, 3.0, -2.0]]), r"row 0 has a negative entry -1.0"),
    "rows summing to 2": (np.array([[1.0, 1.0, 0.0], [0.5, 0.5, 1.0]]), r"row 0 sums to 2.0"),
    "sigmoid outputs": (1 / (1 + np.exp(-np.array([[0.5, 1.0, -0.5], [2.0, 0.0, 1.0]]))), r"row 0 sums to 1\.73"),
    "exp without the division": (np.exp(np.array([[0.0, -1.0, -2.0], [0.0, 0.0, -1.0]])), r"row 0 sums to 1\.50"),
    "one row summing to 0.98": (np.array([[0.2, 0.3, 0.5], [0.48, 0.5, 0.0]]), r"row 1 sums to 0\.98"),
    "an entry above 1": (np.array([[1.5, 0.0, 0.0], [0.2, 0.3, 0.5]]), r"row 0 sums to 1\.5"),
    "an infinite entry": (np.array([[np.inf, 0.0, 0.0], [0.2, 0.3, 0.5]]), r"row 0 sums to inf"),
    "log-probabilities": (np.log(np.array([[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]])), "negative entry"),
}


@pytest.mark.parametrize("target", ["labels", "one-hot"])
@pytest.mark.parametrize("case", list(NOT_PROBABILITIES))
def test_y_that_is_not_probabilities_is_a_value_error_that_asks_about_softmax(case, target):
    y, where = NOT_PROBABILITIES[case]
    t = np.array([0, 2]) if target == "labels" else S.one_hot([0, 2], 3)
    with pytest.raises(ValueError, match=rf"y must be probabilities.*{where}.*did you forget softmax\?"):
        cross_entropy_error(y, t)


def test_a_single_vector_that_is_not_probabilities_is_refused_too():
    with pytest.raises(ValueError, match=r"row 0 sums to 0\.3.*forget softmax"):
        cross_entropy_error(np.array([0.1, 0.2]), 1)
    with pytest.raises(ValueError, match="negative entry"):
        cross_entropy_error(np.array([-0.5, 1.5]), np.array([0, 1]))


@pytest.mark.parametrize("y", [
    np.array([0.333, 0.333, 0.333]),                 # written to 3 decimals: sums to 0.999
    np.array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0]),  # the book's y (section 4.2.2)
    np.array([0.5 + 4e-3, 0.5 + 4e-3]),             # 0.008 over: inside the 0.01
    np.array([1.0, 0.0]),                            # a certain prediction
    np.array([[0, 1], [1, 0]], dtype=np.int64),      # integer probabilities are probabilities too
], ids=["3 decimals", "book", "0.008 over", "certain", "int"])
def test_probabilities_with_rounding_are_accepted_and_give_the_formula(y):
    rows = np.atleast_2d(y).astype(np.float64)
    labels = [int(np.argmax(r)) for r in rows]
    expected = -math.fsum(math.log(float(r[k]) + DELTA) for r, k in zip(rows, labels)) / len(labels)
    got = cross_entropy_error(y, np.array(labels) if y.ndim == 2 else labels[0])
    assert got == pytest.approx(expected, rel=1e-12)


def test_nan_probabilities_pass_through_as_a_nan_loss():
    # a diverged training run shows itself as a NaN loss (training/cli.py reports it): not refused
    assert math.isnan(cross_entropy_error(np.array([[np.nan, np.nan]]), np.array([0])))
    layer = SoftmaxWithLoss()
    assert math.isnan(layer.forward(np.array([[np.nan, 1.0], [0.0, 1.0]]), np.array([1, 1])))


@settings(max_examples=200)
@given(st.sampled_from([np.float64, np.float32, np.float16]), st.sampled_from([2.0, 30.0, 1e4]), st.data())
def test_softmax_with_loss_never_refuses_its_own_softmax(dtype, bound, data):
    # the check runs inside SoftmaxWithLoss too, where y is always softmax: it must never fire
    x, t = data.draw(S.softmax_case(targets="either", bound=bound))
    layer = SoftmaxWithLoss()
    loss = layer.forward(x.astype(dtype), t)  # raises if the check fires
    assert np.isfinite(loss)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.float16], ids=lambda d: d.__name__)
@pytest.mark.parametrize("scale", [1.0, 30.0, 1e3])
def test_softmax_with_loss_never_refuses_a_wide_softmax(dtype, scale):
    # 1000 classes: C roundings in the row sums (float16: C * eps ~ 1, the dtype's own tolerance)
    x = (scale * np.random.default_rng(22).standard_normal((50, 1000))).astype(dtype)
    labels = np.arange(50) * 7
    loss = SoftmaxWithLoss().forward(x, labels)
    assert np.isfinite(loss)
    assert cross_entropy_error(softmax(x), labels) == loss


# ---------------------------------------------------------------- references kept by forward (issue 22)
# As in the book, forward keeps the caller's arrays, not copies (copying would cost every
# step); layers.py documents what changing them in place before backward does. These
# tests pin that documented behaviour, with the expected gradients written out here.
def test_affine_keeps_x_by_reference_so_changing_it_changes_dw():
    x = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    dout = np.array([[1.0, 0.0], [0.0, 1.0]])
    layer = Affine(W32.copy(), np.zeros(2))
    layer.forward(x)
    x[0] = 0.0  # the caller reuses its batch buffer before backward
    layer.backward(dout)
    # dW = (new x).T @ dout: column 0 is row 0 of the new x, column 1 row 1
    assert layer.dW.tolist() == [[0.0, 4.0], [0.0, 5.0], [0.0, 6.0]]
    x[:] = 0.0
    layer.backward(dout)
    assert layer.dW.tolist() == [[0.0, 0.0]] * 3  # the documented "dW = 0" of a zeroed buffer


def test_affine_keeps_w_by_reference_so_an_early_update_changes_dx():
    W = np.array([[1.0], [2.0]])
    layer = Affine(W, np.zeros(1))
    layer.forward(np.array([[1.0, 1.0]]))
    W *= 10.0  # an SGD step before backward
    assert layer.backward(np.array([[1.0]])).tolist() == [[10.0, 20.0]]


def test_an_integer_x_is_kept_as_a_copy():
    x = np.array([[1, 2, 3]], dtype=np.int64)
    layer = Affine(W32, np.zeros(2))
    layer.forward(x)
    x[:] = 0
    layer.backward(np.array([[1.0, 1.0]]))
    assert layer.dW.tolist() == [[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]]


def test_mul_layer_keeps_x_and_y_by_reference():
    x, y = np.array([1.0, 2.0]), np.array([3.0, 4.0])
    layer = MulLayer()
    layer.forward(x, y)
    x += 10.0
    dx, dy = layer.backward(np.array([1.0, 2.0]))
    assert dx.tolist() == [3.0, 8.0]    # dout * y: y unchanged
    assert dy.tolist() == [11.0, 24.0]  # dout * (new x)


def test_sigmoid_keeps_the_out_it_returns():
    layer = Sigmoid()
    out = layer.forward(np.zeros(2))  # sigmoid(0) = 0.5: dx = 0.25 * dout
    out[1] = 1.0  # the caller changes the returned array in place
    assert layer.backward(np.array([4.0, 4.0])).tolist() == [1.0, 0.0]


def test_softmax_with_loss_keeps_t_by_reference():
    x = np.zeros((2, 2))  # softmax 0.5 everywhere
    t = np.array([0, 0])
    layer = SoftmaxWithLoss()
    loss = layer.forward(x, t)
    t[1] = 1  # a label buffer refilled with the next batch before backward
    assert layer.backward().tolist() == [[-0.25, 0.25], [0.25, -0.25]]  # (y - new t) / 2
    assert layer.loss == loss


# ---------------------------------------------------------------- more bad input (issue 22, item 5)
M2 = np.array([[1.0, -2.0], [3.0, 4.0]])
# np.matrix is an ndarray whose * is the matrix product: MulLayer gave x @ y and
# Relu.backward dout @ mask, silently. Refused at every entry, with the way out.
MATRIX_ENTRIES = {
    "MulLayer.forward": lambda m: MulLayer().forward(m, m),
    "MulLayer.backward": lambda m: _after_forward(MulLayer(), M2, M2).backward(m),
    "AddLayer.forward": lambda m: AddLayer().forward(m, m),
    "Relu.forward": lambda m: Relu().forward(m),
    "Relu.backward": lambda m: _after_forward(Relu(), M2).backward(m),
    "Sigmoid.forward": lambda m: Sigmoid().forward(m),
    "Sigmoid.backward": lambda m: _after_forward(Sigmoid(), M2).backward(m),
    "Affine.forward": lambda m: _affine(2, 2).forward(m),
    "Affine W": lambda m: Affine(m, np.zeros(2)),
    "softmax": lambda m: softmax(m),
    "sigmoid": lambda m: sigmoid(m),
    "SoftmaxWithLoss.forward": lambda m: SoftmaxWithLoss().forward(m, np.array([0, 1])),
    "cross_entropy_error": lambda m: cross_entropy_error(m, np.array([0, 1])),
}


@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")  # np.matrix's own warning
@pytest.mark.parametrize("where", list(MATRIX_ENTRIES))
def test_np_matrix_is_refused_because_its_star_is_a_matrix_product(where):
    with pytest.raises(TypeError, match=r"np\.matrix of dtype float64.*np\.asarray\(x\)"):
        MATRIX_ENTRIES[where](np.matrix([[0.5, 0.5], [0.25, 0.75]]))


@pytest.mark.parametrize("x", [np.zeros((2, 0)), np.zeros(0), np.array(3.0), np.zeros((2, 3, 0))],
                         ids=["(N, 0)", "(0,)", "0-d", "(N, T, 0)"])
def test_softmax_without_scores_is_a_value_error_naming_the_shape(x):
    # numpy said "zero-size array to reduction operation maximum" or "return arrays must be of ArrayType"
    with pytest.raises(ValueError, match=rf"softmax: expected x of shape \(C,\) or \(N, C\) with C >= 1.*"
                                         rf"got {re_shape(x.shape)}"):
        softmax(x)


def test_softmax_of_an_empty_batch_or_one_class_is_what_the_formula_gives():
    assert softmax(np.zeros((0, 3))).shape == (0, 3)  # no rows: nothing to normalize
    assert softmax(np.array([[5.0], [-7.0]])).tolist() == [[1.0], [1.0]]


def test_numerical_gradient_of_an_empty_x_is_a_value_error():
    # numpy's nditer said "Iteration of zero-sized operands is not enabled"
    with pytest.raises(ValueError, match=r"numerical_gradient: x has no elements \(shape \(0, 3\)\)"):
        numerical_gradient(lambda v: 0.0, np.zeros((0, 3)))


def test_saturated_sigmoid_works_under_seterr_raise():
    # exp(-1000) underflows to 0.0, the right value; np.seterr(all="raise") made it an error
    x = np.array([1000.0, -1000.0, 0.0])
    with np.errstate(all="raise"):
        assert sigmoid(x).tolist() == [1.0, 0.0, 0.5]
        layer = Sigmoid()
        assert layer.forward(x).tolist() == [1.0, 0.0, 0.5]
        assert layer.backward(np.ones(3)).tolist() == [0.0, 0.0, 0.25]


@pytest.mark.parametrize("x_dtype", [np.uint8, np.int16, np.int64], ids=lambda d: d.__name__)
def test_integer_x_in_a_float32_network_stays_float32(x_dtype):
    # load_mnist(normalize=False) gives uint8 images; the network's dtype is W's
    x = np.array([[0, 255, 3], [7, 1, 200]]).astype(x_dtype)
    layer = Affine(W32.astype(np.float32), np.zeros(2, dtype=np.float32))
    out = layer.forward(x)
    assert out.dtype == np.float32
    exact = [[sum(int(x[n, d]) * float(W32[d, m]) for d in range(3)) for m in range(2)] for n in range(2)]
    assert out.tolist() == exact  # small integers times quarters: exact in float32
    layer.backward(np.ones((2, 2), dtype=np.float32))
    assert layer.dW.dtype == np.float32
    net = TwoLayerNet(3, 4, 2, seed=0, dtype=np.float32)
    assert all(g.dtype == np.float32 for g in net.gradient(x, np.array([0, 1])).values())


def test_nan_and_inf_go_through_the_elementwise_layers_as_ieee_says():
    # not refused: a NaN is how a diverged run shows itself (training/cli.py reports it)
    x = np.array([np.nan, np.inf, -np.inf, 0.0])
    np.testing.assert_array_equal(sigmoid(x), [np.nan, 1.0, 0.0, 0.5])
    relu_layer = Relu()
    np.testing.assert_array_equal(relu_layer.forward(x), [np.nan, np.inf, 0.0, 0.0])
    np.testing.assert_array_equal(relu_layer.backward(np.ones(4)), [1.0, 1.0, 0.0, 0.0])
    assert softmax(np.array([-np.inf, 0.0])).tolist() == [0.0, 1.0]  # exp(-inf) = 0


def test_non_contiguous_and_fortran_inputs_give_the_formulas():
    base = np.arange(24.0).reshape(3, 8) / 10
    x = base[:, ::2]  # (3, 4), strided
    xf = np.asfortranarray(base[:, :4])
    for arr in (x, xf):
        assert_close("softmax of a strided/Fortran x", softmax(arr), lc.softmax_rows(arr), FORWARD_VS_REFERENCE)
        layer = Affine(np.ones((4, 1)), np.zeros(1))
        assert_close("Affine of a strided/Fortran x", layer.forward(arr), arr.sum(axis=1, keepdims=True),
                     FORWARD_VS_REFERENCE)
    tensor = np.arange(24.0).reshape(3, 2, 4)[:, :, ::2]  # (3, 2, 2): reshape must copy
    layer = Affine(np.ones((4, 1)), np.zeros(1))
    assert layer.forward(tensor).tolist() == [[sum(tensor[n].ravel().tolist())] for n in range(3)]
    assert layer.backward(np.ones((3, 1))).shape == (3, 2, 2)
    t = np.asfortranarray(np.eye(4)[[0, 2, 3]])  # one-hot rows, Fortran order
    strided_labels = np.array([0, 9, 2, 9, 3, 9])[::2]
    loss = SoftmaxWithLoss().forward(x, t)
    assert loss == SoftmaxWithLoss().forward(x, strided_labels)
    assert_close("SoftmaxWithLoss, Fortran one-hot t", loss, lc.cross_entropy_rows(lc.softmax_rows(x), [0, 2, 3]),
                 FORWARD_VS_REFERENCE)


def test_numpy_scalars_and_0_d_arrays_are_numbers():
    y = np.array([0.3, 0.7])
    expected = -math.log(0.7 + DELTA)
    for label in (np.int64(1), np.uint8(1), np.array(1), 1):
        assert cross_entropy_error(y, label) == pytest.approx(expected, rel=1e-12)
    with pytest.raises(TypeError, match="numpy scalar of dtype float64"):
        cross_entropy_error(y, np.float64(1))  # a float label is not a class index
    assert Relu().forward(np.array(-2.0)) == 0.0
    assert Sigmoid().forward(np.array(0.0)) == 0.5
    assert MulLayer().forward(np.float32(1.5), np.float32(2.0)) == 3.0


@pytest.mark.parametrize("X", [np.array(2.0), np.ones((2, 2, 2))], ids=["0-d", "3-D"])
def test_numerical_gradient_2d_names_the_rows_it_needs(X):
    # numpy said "iteration over a 0-d array"; a 3-D X was refused in the private helper's name
    with pytest.raises(ValueError, match=rf"numerical_gradient_2d: expected X of shape \(D,\) or \(N, D\).*"
                                         rf"got {re_shape(X.shape)}"):
        numerical_gradient_2d(lambda v: float(np.sum(v ** 2)), X)
