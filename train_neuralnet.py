"""Section 5.7.4: train TwoLayerNet on MNIST with backpropagation (the book's ch05/train_neuralnet.py).

    python train_neuralnet.py        # the book's run: 10000 iterations, batch 100, lr 0.1, 50 hidden units

train_step() is one SGD step (the kata's exercise 5.7.4) and train() is the book's loop
around it, printing `train_acc test_acc` once per epoch. The rest (flags, progress bar,
saving and plotting) is in the package training/: `python train_neuralnet.py --help`.
"""
import numpy as np

from training import cli
from training.checks import check_train_args
from training.monitor import Monitor
from training.network import make_network
from two_layer_net import TwoLayerNet


def train_step(network, x_batch, t_batch, learning_rate):
    """One SGD step: backprop gradients, then params -= lr * grad, in place.

    x_batch (B, 784), t_batch (B, 10) one-hot (or (B,) labels) -> the batch loss (float):
    the one gradient()'s forward pass computed (before the update), or, as the book
    does, network.loss(x_batch, t_batch) after the update.
    """
    grad = network.gradient(x_batch, t_batch)
    # In place (-=), not params[key] = params[key] - ...: the Affine layers hold the
    # same arrays, and a new array would leave them training the old weights.
    for key in ('W1', 'b1', 'W2', 'b2'):
        network.params[key] -= learning_rate * grad[key]

    return network.lastLayer.loss


def train(x_train, t_train, x_test, t_test, iters_num=10000, batch_size=100, learning_rate=0.1,
          hidden_size=50, output_size=10, seed=0, dtype=np.float32, progress=False, log=print):
    """Train a TwoLayerNet by mini-batch SGD: the book's loop around train_step().

    x_train (N, D), x_test (M, D) inputs; t_train (N, output_size), t_test (M, output_size)
    one-hot, as the book loads them (or (N,), (M,) integer labels).
    seed: int >= 0; the same seed gives the same weights, batches and numbers.
    dtype: float32 (fast, the default) or float64 (the book's); the inputs are cast to it.
    progress: show a progress bar with the loss on stderr.
    log: called with each per-epoch line "train_acc test_acc" (None: silent).
    Returns (network, training.monitor.History).
    """
    check_train_args(x_train, t_train, x_test, t_test, iters_num, batch_size, learning_rate, hidden_size, seed)
    x_train, x_test = x_train.astype(dtype, copy=False), x_test.astype(dtype, copy=False)
    # Two independent streams from one seed: the initial weights and the batches.
    init_seed, batch_seed = np.random.SeedSequence(seed).spawn(2)
    # the reference's TwoLayerNet or the book's class (a learner's, pasted): training/network.py
    network = make_network(TwoLayerNet, x_train.shape[1], hidden_size, output_size, np.random.default_rng(init_seed),
                           dtype)
    rng = np.random.default_rng(batch_seed)

    train_size = x_train.shape[0]

    train_loss_list = []
    train_acc_list = []
    test_acc_list = []

    # The book's max(train_size / batch_size, 1) is a float: for a batch size that
    # does not divide train_size, i % iter_per_epoch is 0 only now and then.
    iter_per_epoch = max(train_size // batch_size, 1)

    with Monitor(iters_num, progress, log) as monitor:  # progress bar, clock, lines above the bar
        for i in range(iters_num):
            batch_mask = rng.choice(train_size, batch_size)
            x_batch = x_train[batch_mask]
            t_batch = t_train[batch_mask]

            loss = train_step(network, x_batch, t_batch, learning_rate)
            train_loss_list.append(loss)
            monitor.step(loss)

            if i % iter_per_epoch == 0:
                train_acc = network.accuracy(x_train, t_train)
                test_acc = network.accuracy(x_test, t_test)
                train_acc_list.append(train_acc)
                test_acc_list.append(test_acc)
                monitor.print(train_acc, test_acc)

    return network, monitor.history(train_loss_list, train_acc_list, test_acc_list,
                                    network.accuracy(x_train, t_train), network.accuracy(x_test, t_test))


def main(argv=None):
    """The command line (training/cli.py): flags, MNIST, train(), the summary, --save and --plot."""
    cli.main(train, argv)


if __name__ == "__main__":
    main()
