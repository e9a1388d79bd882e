"""The rules for train()'s arguments, written once: train() and the command line both use them.

A rule returns the value if it is valid, else raises BadValue, which carries the expectation
(a phrase such as "an integer >= 1") so that each caller phrases the error its own way:
train() says "train: iters_num must be an integer >= 1, got 0", the command line says
"argument --iters: expected an integer >= 1, got 0".
"""
import math
import numbers

import numpy as np


class BadValue(ValueError):
    """`value` does not meet `expected`.

    expected: what the failed condition asks for ("an integer >= 1", "at most the 600 training samples")
    full_range: the whole rule in one phrase ("an integer between 1 and 60000 (the MNIST training set)")
    """

    def __init__(self, expected, value, full_range=None):
        super().__init__(f"expected {expected}, got {value!r}")
        self.expected, self.value = expected, value
        self.full_range = full_range or expected


def integer(value, low, high=None, high_is=""):
    """`value` as an int if it is an integer (not a bool) with low <= value (<= high), else BadValue.

    high_is: what the upper bound is, for the message ("the 600 training samples").
    """
    full = f"an integer >= {low}" if high is None else (
        f"an integer between {low} and {high}" + (f" ({high_is})" if high_is else ""))
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < low:
        raise BadValue(f"an integer >= {low}", value, full)
    if high is not None and value > high:
        raise BadValue(f"at most {high_is or high}", value, full)
    return int(value)


def positive_number(value):
    """`value` if it is a finite real number > 0 (not a bool), else BadValue."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not (value > 0 and math.isfinite(value)):
        raise BadValue("a finite number > 0", value)
    return value


def check_train_args(x_train, t_train, x_test, t_test, iters_num, batch_size, learning_rate, hidden_size, seed):
    """ValueError naming the first argument of train() that is not valid (see train() for the shapes)."""
    for name, x, t in (("train", x_train, t_train), ("test", x_test, t_test)):
        if np.ndim(x) != 2 or np.ndim(t) not in (1, 2) or len(t) != len(x):
            raise ValueError(f"train: expected x_{name} of shape (N, D) and t_{name} of length N, "
                             f"got {np.shape(x)} and {np.shape(t)}")
    if x_test.shape[1] != x_train.shape[1]:
        raise ValueError(f"train: x_test has {x_test.shape[1]} values per sample, x_train {x_train.shape[1]}")
    rules = (("iters_num", iters_num, lambda v: integer(v, 1)),
             ("batch_size", batch_size, lambda v: integer(v, 1, len(x_train), f"the {len(x_train)} training samples")),
             ("learning_rate", learning_rate, positive_number),
             ("hidden_size", hidden_size, lambda v: integer(v, 1)),
             ("seed", seed, lambda v: integer(v, 0)))
    for name, value, rule in rules:
        try:
            rule(value)
        except BadValue as bad:
            raise ValueError(f"train: {name} must be {bad.expected}, got {value!r}") from None
