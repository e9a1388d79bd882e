"""Section 5.7.4: train TwoLayerNet on MNIST with backpropagation.

The book's hyper-parameters: 10000 iterations of mini-batch SGD, batch 100,
learning rate 0.1, 50 hidden units; train/test accuracy printed once per epoch
(`print(train_acc, test_acc)`, 17 lines), as in the book.

    python train_neuralnet.py            # the book's run (see --help for the flags)

Besides the book's lines it shows a progress bar with the loss (stderr), prints
a summary (final accuracies, wall time, iterations per second) and saves the
accuracy and loss curves (Figures 4-12 and 4-11) as one PNG.
"""
import argparse
import math
import os
import sys
import tempfile
import time
from dataclasses import dataclass

import numpy as np
from tqdm import tqdm

from two_layer_net import PARAM_NAMES, TwoLayerNet

# MNIST has 60000 training images: --batch-size is checked against it before
# any data is loaded, so a typo fails in milliseconds, not after the download.
MNIST_TRAIN_SIZE = 60000
# The progress bar's loss is refreshed every this many iterations, not every
# one: nobody reads 1700 numbers a second, and each update costs ~5 us (1-2%
# of an SGD step of a batch of 100).
POSTFIX_EVERY = 100
DTYPES = {"float32": np.float32, "float64": np.float64}


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


@dataclass
class History:
    """What train() measured.

    iterations: (E,) the iteration i after whose step each per-epoch evaluation ran
    train_acc, test_acc: (E,) accuracy on the full training / test set at those points
    loss: (iters_num,) batch loss of every iteration (before its update)
    final_train_acc, final_test_acc: accuracy after the last iteration
    seconds: wall time of the training loop (SGD steps + per-epoch evaluations)
    eval_seconds: the part of `seconds` spent in the per-epoch evaluations
    """
    iterations: list
    train_acc: list
    test_acc: list
    loss: np.ndarray
    final_train_acc: float
    final_test_acc: float
    seconds: float
    eval_seconds: float


def train(x_train, t_train, x_test, t_test, iters_num=10000, batch_size=100, learning_rate=0.1,
          hidden_size=50, output_size=10, seed=0, dtype=np.float32, progress=False, log=print):
    """Train a TwoLayerNet by mini-batch SGD, the book's loop around train_step().

    x_train (N, D), x_test (M, D) inputs; t_train (N,), t_test (M,) integer labels in
    [0, output_size) or one-hot (N, output_size), (M, output_size).
    seed: int; the same seed gives the same weights, batches and numbers.
    dtype: float32 (fast, the default) or float64 (the book's); the inputs are cast to it.
    progress: show a tqdm bar with the loss on stderr.
    log: called with each per-epoch line "train_acc test_acc" (None: silent).
    Returns (network, History).
    """
    _check_train_args(x_train, t_train, x_test, t_test, iters_num, batch_size, learning_rate, hidden_size)
    dtype = np.dtype(dtype)
    x_train = x_train.astype(dtype, copy=False)
    x_test = x_test.astype(dtype, copy=False)
    # Two independent streams from one seed: weights and batch sampling.
    init_seed, batch_seed = np.random.SeedSequence(seed).spawn(2)
    network = TwoLayerNet(input_size=x_train[0].size, hidden_size=hidden_size, output_size=output_size,
                          seed=np.random.default_rng(init_seed), dtype=dtype)
    rng = np.random.default_rng(batch_seed)

    train_size = x_train.shape[0]
    # The book's max(train_size / batch_size, 1) is a float: for a batch size
    # that does not divide train_size, i % iter_per_epoch is 0 only now and
    # then. Whole iterations give one evaluation per epoch for any batch size.
    iter_per_epoch = max(train_size // batch_size, 1)
    history = History([], [], [], np.empty(iters_num), math.nan, math.nan, 0.0, 0.0)

    start = time.perf_counter()
    bar = tqdm(range(iters_num), desc="train", unit="it", file=sys.stderr, disable=not progress)
    for i in bar:
        batch_mask = rng.choice(train_size, batch_size)
        x_batch = x_train[batch_mask]
        t_batch = t_train[batch_mask]

        loss = train_step(network, x_batch, t_batch, learning_rate)
        try:
            history.loss[i] = loss
        except (TypeError, ValueError):
            raise TypeError(f"train_step must return the batch loss as a number "
                            f"(network.lastLayer.loss), got {loss!r}") from None
        if i % POSTFIX_EVERY == 0:
            bar.set_postfix(loss=f"{history.loss[i]:.4f}", refresh=False)

        if i % iter_per_epoch == 0:
            eval_start = time.perf_counter()
            train_acc = float(network.accuracy(x_train, t_train))
            test_acc = float(network.accuracy(x_test, t_test))
            history.eval_seconds += time.perf_counter() - eval_start
            history.iterations.append(i)
            history.train_acc.append(train_acc)
            history.test_acc.append(test_acc)
            if log is not None:
                with tqdm.external_write_mode():  # print above the bar, not through it
                    log(f"{train_acc} {test_acc}")
    bar.close()
    history.seconds = time.perf_counter() - start

    history.final_train_acc = float(network.accuracy(x_train, t_train))
    history.final_test_acc = float(network.accuracy(x_test, t_test))
    return network, history


def _check_train_args(x_train, t_train, x_test, t_test, iters_num, batch_size, learning_rate, hidden_size):
    for name, x, t in (("train", x_train, t_train), ("test", x_test, t_test)):
        if np.ndim(x) != 2 or len(t) != len(x):
            raise ValueError(f"train: expected x_{name} of shape (N, D) and t_{name} of length N, "
                             f"got {np.shape(x)} and {np.shape(t)}")
    if x_test.shape[1] != x_train.shape[1]:
        raise ValueError(f"train: x_test has {x_test.shape[1]} values per sample, x_train {x_train.shape[1]}")
    for name, value, low in (("iters_num", iters_num, 1), ("hidden_size", hidden_size, 1),
                             ("batch_size", batch_size, 1)):
        if not isinstance(value, (int, np.integer)) or value < low:
            raise ValueError(f"train: {name} must be an integer >= {low}, got {value!r}")
    if batch_size > len(x_train):
        raise ValueError(f"train: batch_size must be at most the {len(x_train)} training samples, "
                         f"got {batch_size}")
    if not (learning_rate > 0 and math.isfinite(learning_rate)):
        raise ValueError(f"train: learning_rate must be a finite number > 0, got {learning_rate!r}")


def save_params(network, path, overwrite=False):
    """Write the network's W1, b1, W2, b2 to the .npz file `path` (plain arrays,
    so np.load(path, allow_pickle=False) reads it). An existing file is only
    replaced with overwrite=True; the file appears complete or not at all."""
    path = os.fspath(path)
    if os.path.exists(path) and not overwrite:
        raise FileExistsError(f"save_params: {path} exists; pass overwrite=True to replace it")
    # Written under a temporary name in the same folder, then renamed: an
    # interrupted save leaves the previous file (if any) intact.
    fd, partial = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(path)), suffix=".partial")
    try:
        with os.fdopen(fd, "wb") as f:  # a file object: np.savez adds no second ".npz"
            np.savez(f, **{key: network.params[key] for key in PARAM_NAMES})
        os.chmod(partial, 0o644)  # mkstemp makes it private; these are ordinary results
        os.replace(partial, path)
    except BaseException:
        if os.path.exists(partial):
            os.unlink(partial)
        raise


def load_params(path):
    """A TwoLayerNet with the parameters save_params() wrote to `path`.

    Sizes and dtype come from the arrays: W1 (I, H), b1 (H,), W2 (H, O), b2 (O,).
    """
    with np.load(path, allow_pickle=False) as data:
        missing = [key for key in PARAM_NAMES if key not in data.files]
        if missing:
            raise ValueError(f"load_params: {path} lacks {', '.join(missing)}; expected the arrays "
                             f"{', '.join(PARAM_NAMES)} that save_params writes")
        params = {key: data[key] for key in PARAM_NAMES}

    W1, W2 = params["W1"], params["W2"]
    if W1.ndim != 2 or W2.ndim != 2:
        raise ValueError(f"load_params: {path}: expected 2-D W1, W2, got {W1.shape}, {W2.shape}")
    (input_size, hidden_size), output_size = W1.shape, W2.shape[1]
    network = TwoLayerNet(input_size, hidden_size, output_size, seed=0, dtype=W1.dtype)
    for key in PARAM_NAMES:
        if params[key].shape != network.params[key].shape or params[key].dtype != W1.dtype:
            raise ValueError(f"load_params: {path}: expected {key} of shape {network.params[key].shape} "
                             f"and dtype {W1.dtype}, got {params[key].shape} {params[key].dtype}")
        # in place: the Affine layers hold these very arrays
        network.params[key][...] = params[key]
    return network


def plot_history(history, path):
    """Save the accuracy per epoch (Figure 4-12) and the loss per iteration
    (Figure 4-11) side by side as the PNG `path`."""
    # The object-oriented API with the Agg canvas: no display, no global pyplot state.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    fig = Figure(figsize=(9, 3.5))
    FigureCanvasAgg(fig)
    ax_acc, ax_loss = fig.subplots(1, 2)

    epochs = np.arange(len(history.train_acc))
    ax_acc.plot(epochs, history.train_acc, label="train acc")
    ax_acc.plot(epochs, history.test_acc, label="test acc", linestyle="--")
    ax_acc.set_xlabel("epochs")
    ax_acc.set_ylabel("accuracy")
    ax_acc.set_ylim(0, 1.0)
    ax_acc.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax_acc.legend(loc="lower right")
    ax_acc.set_title("accuracy per epoch (Figure 4-12)")

    ax_loss.plot(np.arange(len(history.loss)), history.loss, linewidth=0.5)
    ax_loss.set_xlabel("iteration")
    ax_loss.set_ylabel("loss")
    ax_loss.set_title("mini-batch loss (Figure 4-11)")

    fig.tight_layout()
    fig.savefig(path, format="png", dpi=80)


def _int_at_least(low, high=None, what=""):
    def parse(text):
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None
        if value < low or (high is not None and value > high):
            bounds = f">= {low}" if high is None else f"between {low} and {high}{what}"
            raise argparse.ArgumentTypeError(f"expected an integer {bounds}, got {value}")
        return value
    return parse


def _positive_float(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not (value > 0 and math.isfinite(value)):
        raise argparse.ArgumentTypeError(f"expected a finite number > 0, got {text}")
    return value


def _output_path(suffix):
    """argparse type: a path ending in `suffix` in an existing, writable directory."""
    def parse(text):
        if not text.endswith(suffix):
            raise argparse.ArgumentTypeError(f"expected a file name ending in {suffix}, got {text!r}")
        if os.path.isdir(text):
            raise argparse.ArgumentTypeError(f"{text!r} is a directory; expected a file name ending in {suffix}")
        folder = os.path.dirname(text) or "."
        if not os.path.isdir(folder):
            raise argparse.ArgumentTypeError(f"directory {folder!r} does not exist (for {text!r})")
        if not os.access(folder, os.W_OK):
            raise argparse.ArgumentTypeError(f"directory {folder!r} is not writable (for {text!r})")
        return text
    return parse


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description="Train the book's two-layer network on MNIST (section 5.7.4). Prints "
                    "'train_acc test_acc' once per epoch like the book, then a summary; a progress "
                    "bar with the loss goes to stderr.",
    )
    parser.add_argument("--iters", type=_int_at_least(1), default=10000,
                        help="SGD iterations (mini-batches); default %(default)s")
    parser.add_argument("--batch-size", type=_int_at_least(1, MNIST_TRAIN_SIZE, " (the MNIST training set)"),
                        default=100, help="images per mini-batch, drawn with replacement; "
                                          "default %(default)s")
    parser.add_argument("--lr", type=_positive_float, default=0.1, help="learning rate (> 0); default %(default)s")
    parser.add_argument("--hidden", type=_int_at_least(1), default=50, help="hidden units; default %(default)s")
    parser.add_argument("--seed", type=_int_at_least(0), default=0,
                        help="seed of the initial weights and of the batch sampling (same seed, same numbers); "
                             "default %(default)s")
    parser.add_argument("--dtype", choices=sorted(DTYPES), default="float32",
                        help="float type of the network and the data (float64 is the book's, ~2x slower); "
                             "default %(default)s")
    plotting = parser.add_mutually_exclusive_group()
    plotting.add_argument("--plot", type=_output_path(".png"), default="train_accuracy.png", metavar="PATH",
                          help="PNG for the accuracy (Figure 4-12) and loss (Figure 4-11) curves; "
                               "replaced if it exists; default %(default)s")
    plotting.add_argument("--no-plot", action="store_true",
                          help="save no plot (and skip importing matplotlib, ~0.5 s)")
    parser.add_argument("--save", type=_output_path(".npz"), metavar="PATH",
                        help="also save the trained W1, b1, W2, b2 here (.npz; load_params() reads it back)")
    parser.add_argument("--overwrite", action="store_true", help="let --save replace an existing file")
    parser.add_argument("--quiet", action="store_true",
                        help="no progress bar; the per-epoch lines and the summary are still printed")
    args = parser.parse_args(argv)
    if args.save and os.path.exists(args.save) and not args.overwrite:
        parser.error(f"argument --save: {args.save!r} exists; choose another path or add --overwrite")
    return args


def main(argv=None):
    args = parse_args(argv)  # every flag is checked before the data is touched

    # Imported here, not at the top: --help, the flag checks and train() itself
    # need no data module, and a bad flag must fail before any download starts.
    from mnist import load_mnist
    load_start = time.perf_counter()
    (x_train, t_train), (x_test, t_test) = load_mnist(normalize=True, flatten=True, one_hot_label=False)
    load_seconds = time.perf_counter() - load_start

    network, history = train(x_train, t_train, x_test, t_test, iters_num=args.iters,
                             batch_size=args.batch_size, learning_rate=args.lr, hidden_size=args.hidden,
                             seed=args.seed, dtype=DTYPES[args.dtype], progress=not args.quiet)

    print(f"final: train acc {history.final_train_acc:.4f}, test acc {history.final_test_acc:.4f} "
          f"after {args.iters} iterations")
    print(f"time: {history.seconds:.1f} s for {args.iters} iterations ({args.iters / history.seconds:.0f} it/s, "
          f"{args.dtype}), of which {history.eval_seconds:.1f} s in {len(history.train_acc)} evaluations; "
          f"MNIST loaded in {load_seconds:.1f} s")
    if not args.no_plot:
        plot_history(history, args.plot)
        print(f"saved the accuracy and loss curves to {args.plot}")
    if args.save:
        save_params(network, args.save, overwrite=args.overwrite)
        print(f"saved the trained parameters to {args.save}")


if __name__ == "__main__":
    main()
