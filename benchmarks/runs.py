"""Group 4's whole training runs, one variant per process:

    python -m benchmarks.runs {seed,loop,limit,tf,torch} [--iters N]

The book's run: `iters` SGD steps on batches of 100 drawn with replacement,
learning rate 0.1, 50 hidden units, weights N(0, 0.01^2) from seed 0, and the
accuracy on the full training and test sets every 600 iterations (17 times for
10000 iterations). The last line printed is JSON: the final accuracies (those of
the last evaluation) and the seconds spent in main(), which include importing the
framework and loading MNIST; the benchmark itself times the whole process.
"ours" is not here: it is the project's own CLI, train_neuralnet.py.
"""
import argparse
import json
import os
import sys
import time

import numpy as np

BATCH_SIZE = 100
LEARNING_RATE = 0.1
HIDDEN = 50
WEIGHT_INIT_STD = 0.01


def init_params(seed=0):
    rng = np.random.default_rng(seed)
    return {'W1': (WEIGHT_INIT_STD * rng.standard_normal((784, HIDDEN))).astype(np.float32),
            'b1': np.zeros(HIDDEN, np.float32),
            'W2': (WEIGHT_INIT_STD * rng.standard_normal((HIDDEN, 10))).astype(np.float32),
            'b2': np.zeros(10, np.float32)}


def book_loop(iters, train_size, step, evaluate, seed=0):
    """The book's loop: step(batch_indices) per iteration, evaluate() once per epoch."""
    rng = np.random.default_rng(seed)
    iter_per_epoch = max(train_size // BATCH_SIZE, 1)
    accs = (float("nan"), float("nan"))
    for i in range(iters):
        step(rng.choice(train_size, BATCH_SIZE))
        if i % iter_per_epoch == 0:
            accs = evaluate()
    return accs


def run_seed(iters, data):
    from benchmarks import book_seed

    (x_train, t_train), (x_test, t_test) = data(one_hot=True)
    network = book_seed.TwoLayerNet(784, HIDDEN, 10)  # float64 weights, as in the book
    for key, value in init_params().items():
        network.params[key][...] = value

    def step(idx):
        book_seed.train_step(network, x_train[idx], t_train[idx], LEARNING_RATE)

    return book_loop(iters, len(x_train), step,
                     lambda: (network.accuracy(x_train, t_train), network.accuracy(x_test, t_test)))


def run_loop(iters, data):
    from benchmarks import loop_impl

    (x_train, t_train), (x_test, t_test) = data()
    params = init_params()
    return book_loop(iters, len(x_train),
                     lambda idx: loop_impl.train_step(params, x_train[idx], t_train[idx], LEARNING_RATE),
                     lambda: (loop_impl.accuracy(params, x_train, t_train), loop_impl.accuracy(params, x_test, t_test)))


def run_limit(iters, data):
    """Only the run's matrix products, float32: 5 per step, 2 per evaluated set."""
    from benchmarks.fused_impl import EVAL_BLOCK

    (x_train, _), (x_test, _) = data()
    p = init_params()
    W1, W2 = p['W1'], p['W2']
    rng = np.random.default_rng(0)
    x = x_train[:BATCH_SIZE].copy()
    h = rng.random((BATCH_SIZE, HIDDEN), dtype=np.float32)
    dscores = rng.random((BATCH_SIZE, 10), dtype=np.float32)

    def step(idx):
        np.dot(x, W1), np.dot(h, W2), np.dot(h.T, dscores), np.dot(dscores, W2.T), np.dot(x.T, h)

    def evaluate():  # in blocks of rows (fused_impl.accuracy), the faster way to do these products
        for xs in (x_train, x_test):
            for start in range(0, len(xs), EVAL_BLOCK):
                np.dot(np.dot(xs[start:start + EVAL_BLOCK], W1), W2)
        return float("nan"), float("nan")

    return book_loop(iters, len(x_train), step, evaluate)


def run_tf(iters, data):
    """Keras 3 layers and SGD, the step and the evaluation compiled with tf.function."""
    from benchmarks.frameworks import get_tf
    tf = get_tf()
    import keras

    (x_train, t_train), (x_test, t_test) = data()
    p = init_params()
    model = keras.Sequential([keras.Input((784,)), keras.layers.Dense(HIDDEN, activation="relu"),
                              keras.layers.Dense(10)])
    model.set_weights([p['W1'], p['b1'], p['W2'], p['b2']])
    optimizer = keras.optimizers.SGD(learning_rate=LEARNING_RATE)
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    xtr, ttr = tf.constant(x_train), tf.constant(t_train.astype(np.int32))
    xte, tte = tf.constant(x_test), tf.constant(t_test.astype(np.int32))

    @tf.function
    def step(idx):
        x, t = tf.gather(xtr, idx), tf.gather(ttr, idx)
        with tf.GradientTape() as tape:
            loss = loss_fn(t, model(x, training=True))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    @tf.function
    def accuracy(x, t):
        hits = tf.equal(tf.argmax(model(x, training=False), axis=1, output_type=tf.int32), t)
        return tf.reduce_mean(tf.cast(hits, tf.float32))

    return book_loop(iters, len(x_train), lambda idx: step(tf.constant(idx)),
                     lambda: (float(accuracy(xtr, ttr)), float(accuracy(xte, tte))))


def run_torch(iters, data):
    from benchmarks.frameworks import torch_or_skip_reason
    torch, why = torch_or_skip_reason()
    if torch is None:
        sys.exit(why)
    import torch.nn.functional as F

    (x_train, t_train), (x_test, t_test) = data()
    p = init_params()
    model = torch.nn.Sequential(torch.nn.Linear(784, HIDDEN), torch.nn.ReLU(), torch.nn.Linear(HIDDEN, 10))
    with torch.no_grad():
        model[0].weight.copy_(torch.from_numpy(p['W1'].T))
        model[0].bias.zero_()
        model[2].weight.copy_(torch.from_numpy(p['W2'].T))
        model[2].bias.zero_()
    optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)
    xtr, ttr = torch.from_numpy(x_train), torch.from_numpy(t_train.astype(np.int64))
    xte, tte = torch.from_numpy(x_test), torch.from_numpy(t_test.astype(np.int64))

    def step(idx):
        idx = torch.from_numpy(idx)
        optimizer.zero_grad(set_to_none=True)
        F.cross_entropy(model(xtr[idx]), ttr[idx]).backward()
        optimizer.step()

    def accuracy(x, t):
        with torch.inference_mode():
            return float((model(x).argmax(dim=1) == t).float().mean())

    return book_loop(iters, len(x_train), step, lambda: (accuracy(xtr, ttr), accuracy(xte, tte)))


RUNS = {"seed": run_seed, "loop": run_loop, "limit": run_limit, "tf": run_tf, "torch": run_torch}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("variant", choices=sorted(RUNS))
    parser.add_argument("--iters", type=int, default=10000)
    args = parser.parse_args(argv)

    from mnist import load_mnist

    def data(one_hot=False):
        return load_mnist(normalize=True, flatten=True, one_hot_label=one_hot)

    start = time.perf_counter()
    train_acc, test_acc = RUNS[args.variant](args.iters, data)
    print(json.dumps({"variant": args.variant, "iters": args.iters, "train_acc": train_acc,
                      "test_acc": test_acc, "seconds": time.perf_counter() - start}))


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    main()
