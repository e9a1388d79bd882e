"""Section 5.7.4: train TwoLayerNet on MNIST with backpropagation.

The book's hyper-parameters: 10000 iterations of mini-batch SGD, batch 100,
learning rate 0.1, 50 hidden units; train/test accuracy printed once per epoch.
"""
import numpy as np

from mnist import load_mnist
from two_layer_net import TwoLayerNet


def train_step(network, x_batch, t_batch, learning_rate):
    """One SGD step: backprop gradients, then params -= lr * grad, in place.

    x_batch (B, 784), t_batch (B, 10) one-hot or (B,) labels -> the batch loss (float)
    computed by the forward pass inside gradient(), i.e. before the update.
    """
    grad = network.gradient(x_batch, t_batch)
    # In place (-=), not params[key] = params[key] - ...: the Affine layers hold
    # the same arrays, and a new array would leave them training the old weights.
    for key in ('W1', 'b1', 'W2', 'b2'):
        network.params[key] -= learning_rate * grad[key]

    return network.lastLayer.loss


def main(iters_num=10000, batch_size=100, learning_rate=0.1, hidden_size=50, seed=0):
    (x_train, t_train), (x_test, t_test) = load_mnist(normalize=True, one_hot_label=True)
    network = TwoLayerNet(input_size=784, hidden_size=hidden_size, output_size=10, seed=seed)
    rng = np.random.default_rng(seed)

    train_size = x_train.shape[0]
    iter_per_epoch = max(train_size / batch_size, 1)

    for i in range(iters_num):
        batch_mask = rng.choice(train_size, batch_size)
        train_step(network, x_train[batch_mask], t_train[batch_mask], learning_rate)

        if i % iter_per_epoch == 0:
            train_acc = network.accuracy(x_train, t_train)
            test_acc = network.accuracy(x_test, t_test)
            print(train_acc, test_acc)


if __name__ == "__main__":
    main()
