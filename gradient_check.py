"""Section 5.7.3: gradient check.

Backpropagation is fast but easy to get wrong; the numerical gradient is slow
but simple. On the first 3 training images both must agree: this prints the
mean absolute difference per parameter (the book shows values of 1e-13..1e-7).
"""
import numpy as np

from mnist import load_mnist
from training.network import make_network
from two_layer_net import PARAM_NAMES, TwoLayerNet


def gradient_differences(x_batch, t_batch, seed=0):
    """Mean |backprop - numerical| per parameter name, in float64."""
    # the reference's TwoLayerNet, or the book's class a learner pasted (training/network.py)
    network = make_network(TwoLayerNet, 784, 50, 10, seed, np.float64)
    x_batch = x_batch.astype(np.float64)  # the check runs in float64 end to end

    grad_numerical = network.numerical_gradient(x_batch, t_batch)
    grad_backprop = network.gradient(x_batch, t_batch)

    return {key: float(np.average(np.abs(grad_backprop[key] - grad_numerical[key]))) for key in PARAM_NAMES}


def main():
    (x_train, t_train), _ = load_mnist(normalize=True, one_hot_label=True)
    diffs = gradient_differences(x_train[:3], t_train[:3])
    for key, diff in diffs.items():
        print(key + ":" + str(diff))


if __name__ == "__main__":
    main()
