"""One rule per value: a flag is accepted exactly when train() accepts the value it gives.

The command line and train() share the rules of training/checks.py; these tests feed both
the same generated values (numbers, near-numbers, junk text) and require the same verdict,
so the two can never drift apart again (they once checked the same things twice, by hand).
"""
import contextlib
import io
import math
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from training import checks, cli
from training.checks import check_train_args

N_TRAIN = cli.MNIST_TRAIN_SIZE
# (flag, train()'s argument, how the flag's text becomes a number)
FLAGS = [("--iters", "iters_num", int), ("--batch-size", "batch_size", int), ("--lr", "learning_rate", float),
         ("--hidden", "hidden_size", int), ("--seed", "seed", int)]
GOOD = dict(iters_num=1, batch_size=1, learning_rate=0.1, hidden_size=1, seed=0)


@pytest.fixture(scope="module")
def mnist_shaped():
    """Arrays shaped like MNIST's (no values needed): batch_size is checked against N_TRAIN."""
    return np.broadcast_to(np.float32(0), (N_TRAIN, 784)), np.zeros(N_TRAIN, np.uint8), \
        np.broadcast_to(np.float32(0), (10, 784)), np.zeros(10, np.uint8)


def _train_accepts(arrays, name, value):
    try:
        check_train_args(*arrays, **dict(GOOD, **{name: value}))
    except ValueError as error:
        assert str(error).startswith(f"train: {name} must be "), error
        return False
    return True


def _cli_accepts(flag, text):
    """(accepted, parsed value) of `--flag=text` on the real parser (it loads no data)."""
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err):
            args = cli.parse_args([f"{flag}={text}"])
    except SystemExit as exit_info:
        err = err.getvalue()
        assert exit_info.code == 2 and f"argument {flag}: expected " in err, err
        lines = err.strip().splitlines()  # the usage, then one error line; no traceback
        assert lines[0].startswith("usage: ") and lines[-1].startswith("train_neuralnet.py: error: argument "), err
        assert "Traceback" not in err and sum("error:" in line for line in lines) == 1, err
        return False, None
    return True, getattr(args, flag.lstrip("-").replace("-", "_"))


numbers_as_text = st.one_of(
    st.integers(-3, 70000).map(str),
    st.integers(-10**30, 10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["0", "1", "60000", "60001", "1e4", "0.5", " 7", "+3", "1_000", "nan", "inf", "-inf",
                     "0x10", "", "ten", "1.0", "True"]),
    st.text(max_size=6),
)


@pytest.mark.parametrize("flag, name, parse", FLAGS)
@given(text=numbers_as_text)
def test_a_flag_is_accepted_exactly_when_train_accepts_its_value(mnist_shaped, flag, name, parse, text):
    accepted, value = _cli_accepts(flag, text)
    try:
        number = parse(text)
    except ValueError:
        assert not accepted  # not a number at all: only the command line sees such text
        return
    assert accepted == _train_accepts(mnist_shaped, name, number), (flag, text, number)
    if accepted:
        assert value == number


# Every bound any rule has, and its neighbours: hypothesis need not draw these.
BOUNDARIES = ["-1", "0", "1", "2", str(N_TRAIN - 1), str(N_TRAIN), str(N_TRAIN + 1), "-0.0", "0.0", "5e-324",
              "1e-9", "0.1", "1.5", "1e308", "nan", "inf", "-inf", "1e4", "ten", ""]


@pytest.mark.parametrize("flag, name, parse", FLAGS)
def test_at_every_bound_the_flag_and_train_agree(mnist_shaped, flag, name, parse):
    for text in BOUNDARIES:
        accepted, value = _cli_accepts(flag, text)
        try:
            number = parse(text)
        except ValueError:
            assert not accepted, (flag, text)
            continue
        assert accepted == _train_accepts(mnist_shaped, name, number), (flag, text)


@pytest.mark.parametrize("value", [True, 1.0, "3", None, np.float64(2.0), [1]])
def test_an_integer_argument_must_be_an_integer_not_just_equal_to_one(value):
    with pytest.raises(checks.BadValue, match=re.escape("expected an integer >= 1")):
        checks.integer(value, 1)


@pytest.mark.parametrize("value", [0, -1e-300, math.inf, math.nan, True, "0.1", None])
def test_a_learning_rate_must_be_a_finite_number_above_zero(value):
    with pytest.raises(checks.BadValue, match="expected a finite number > 0"):
        checks.positive_number(value)


def test_numpy_numbers_are_numbers():
    assert checks.integer(np.int64(5), 1) == 5 and checks.positive_number(np.float32(0.5)) == np.float32(0.5)
