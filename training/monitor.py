"""What train() records and shows besides the book's loop: History, the progress bar, the clock.

train() keeps the book's lists (train_loss_list, train_acc_list, test_acc_list); the Monitor
adds, in three calls, what a command-line run wants: a tqdm bar with the loss on stderr, the
per-epoch line printed above the bar rather than through it, and the time spent.
"""
import numbers
import sys
import time
from dataclasses import dataclass

import numpy as np
from tqdm import tqdm

# The progress bar's loss is refreshed every this many iterations, not every
# one: nobody reads 1700 numbers a second, and each update costs ~5 us (1-2%
# of an SGD step of a batch of 100).
POSTFIX_EVERY = 100


@dataclass
class History:
    """What train() measured.

    iterations: (E,) the iteration i after whose step each per-epoch evaluation ran
    train_acc, test_acc: (E,) accuracy on the full training / test set at those points
    loss: (iters_num,) batch loss of every iteration, as train_step returned it
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


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during training, after `done` of `total` iterations (the command line says so)."""

    def __init__(self, done, total):
        super().__init__(f"interrupted after {done} of {total} iterations")
        self.done, self.total = done, total


def _is_number(value):
    """A real number, or a 0-d numeric array (what np.sum returns for some inputs)."""
    if isinstance(value, np.ndarray):
        return value.ndim == 0 and value.dtype.kind in "fiu"
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


class Monitor:
    """with Monitor(iters_num, progress, log) as monitor: the book's loop, calling
    monitor.step(loss) after each train_step and monitor.print(train_acc, test_acc) per epoch.

    progress: show a tqdm bar with the loss on stderr.
    log: called with each per-epoch line "train_acc test_acc" (None: silent).
    """

    def __init__(self, iters_num, progress=False, log=print):
        self.total, self.log = iters_num, log
        self.done = 0
        self.iterations = []
        self.eval_seconds = 0.0
        self.seconds = 0.0
        self._bar = tqdm(total=iters_num, desc="train", unit="it", file=sys.stderr, disable=not progress)
        self._show = progress

    def __enter__(self):
        self._start = self._last_step = time.perf_counter()
        return self

    def __exit__(self, exc_type, exc, tb):
        self._bar.close()
        self.seconds = time.perf_counter() - self._start
        if exc_type is KeyboardInterrupt:
            raise Interrupted(self.done, self.total) from None
        return False

    def step(self, loss):
        """After iteration self.done's train_step: check the loss it returned, move the bar."""
        if not isinstance(loss, (float, np.floating)) and not _is_number(loss):  # one isinstance, usually
            raise TypeError(f"train_step must return the batch loss as a number "
                            f"(network.lastLayer.loss), got {loss!r}")
        if self.done % POSTFIX_EVERY == 0:
            self._bar.set_postfix(loss=f"{float(loss):.4f}", refresh=False)
        if self._show:
            self._bar.update(1)
        self.done += 1
        self._last_step = time.perf_counter()

    def print(self, train_acc, test_acc):
        """The book's print(train_acc, test_acc), above the bar; the evaluation since step() is timed."""
        self.eval_seconds += time.perf_counter() - self._last_step
        self.iterations.append(self.done - 1)
        if self.log is not None:
            with tqdm.external_write_mode():  # print above the bar, not through it
                self.log(f"{train_acc} {test_acc}")
        self._last_step = time.perf_counter()

    def history(self, train_loss_list, train_acc_list, test_acc_list, final_train_acc, final_test_acc):
        """The run as a History (the lists as floats, the loss as an array)."""
        return History(iterations=list(self.iterations), train_acc=[float(a) for a in train_acc_list],
                       test_acc=[float(a) for a in test_acc_list],
                       loss=np.array([float(v) for v in train_loss_list]) if train_loss_list else np.empty(0),
                       final_train_acc=float(final_train_acc), final_test_acc=float(final_test_acc),
                       seconds=self.seconds, eval_seconds=self.eval_seconds)

