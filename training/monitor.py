"""What train() records and shows besides the book's loop: History, the progress bar, the clock.

train() keeps the book's lists (train_loss_list, train_acc_list, test_acc_list); the Monitor
adds, in three calls, what a command-line run wants: a tqdm bar with the loss on stderr, the
per-epoch line printed above the bar rather than through it, and the time spent.

It also watches the loss for divergence. A loss that is not finite (nan, inf) stops the run
at once with Diverged: nothing useful follows it (every later loss is nan, the weights are
nan). A run whose loss rose well above where it started and never came back down ends
normally; collapse(history) says so afterwards (the command line then exits non-zero).
"""
import array
import math
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


class Diverged(ArithmeticError):
    """The batch loss of iteration `iteration` was `loss`, not a finite number: training stopped there.

    last_finite: (iteration, loss) of the last finite loss before it, or None (the first was not).
    history: the run up to and including that iteration (final_*_acc: the last evaluation's, or nan).
    """

    def __init__(self, iteration, loss, last_finite, history):
        before = (f"the last finite loss was {last_finite[1]:.4g} at iteration {last_finite[0]}"
                  if last_finite else "no loss before it was finite")
        super().__init__(f"training diverged: the loss became {loss} at iteration {iteration} ({before})")
        self.iteration, self.loss, self.last_finite, self.history = iteration, loss, last_finite, history


# collapse(): a loss above this many times the first one has overshot (healthy runs of the book's
# network stay below 1.1x: the first loss is ln(10) = 2.30, that of a network guessing uniformly) ...
OVERSHOOT = 1.5
# ... a run that overshot has not recovered if its loss at the end, averaged over the last tenth
# of the run (10 to 1000 iterations), is still above this fraction of the first loss ...
RECOVERED = 0.9
# ... and it has learned nothing if its final training accuracy is less than this much above
# that of its first evaluation (after one step: the untrained network's, chance).
LEARNED = 0.1


def collapse(history):
    """None for a run that learned or is merely slow; else one phrase saying how it diverged.

    Diverged without a nan: the loss rose above OVERSHOOT times its first value, at the end it
    is no lower than RECOVERED times that, and the training accuracy is no better (by LEARNED)
    than after the first step: the network never learned or forgot it (its ReLUs died, its
    outputs saturated). A learning rate too small never overshoots, so a slow run is not called
    diverged. Measured on MNIST, 3000 iterations: lr <= 1 stays below 1.1x and learns; lr 1.5
    to 1e4 overshoots to 4-15 and ends at chance (lr 1.2 and 2, which end at 0.2-0.3, are not
    flagged); lr 1e8 and more give nan at once (Diverged).
    """
    loss = np.asarray(history.loss, dtype=float)
    if loss.size < 2 or not np.all(np.isfinite(loss)) or not history.train_acc:
        return None
    first, peak = loss[0], int(np.argmax(loss))
    window = min(max(10, loss.size // 10), 1000, loss.size)
    end = float(loss[-window:].mean())
    start_acc, final_acc = history.train_acc[0], history.final_train_acc
    if loss[peak] <= OVERSHOOT * first or end <= RECOVERED * first or not final_acc < start_acc + LEARNED:
        return None
    return (f"the loss rose from {first:.4g} (iteration 0) to {loss[peak]:.4g} (iteration {peak}) and "
            f"did not come back down ({end:.4g} on average over the last {window} iterations); the "
            f"training accuracy is {final_acc:.4f}, {start_acc:.4f} after the first iteration")


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
    A loss that is not finite raises Diverged from step(), and so from train(): see Diverged.
    """

    def __init__(self, iters_num, progress=False, log=print):
        self.total, self.log = iters_num, log
        self.done = 0
        self.iterations = []
        # What step() and print() saw, so that a run stopped by Diverged still has its history
        # (the losses as C doubles: 8 bytes an iteration, a quarter of a list of floats).
        self._losses, self._train_acc, self._test_acc = array.array("d"), [], []
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
        value = float(loss)
        self._losses.append(value)
        if not math.isfinite(value):
            self._diverged(value)
        if self.done % POSTFIX_EVERY == 0:
            self._bar.set_postfix(loss=f"{value:.4f}", refresh=False)
        if self._show:
            self._bar.update(1)
        self.done += 1
        self._last_step = time.perf_counter()

    def print(self, train_acc, test_acc):
        """The book's print(train_acc, test_acc), above the bar; the evaluation since step() is timed."""
        self.eval_seconds += time.perf_counter() - self._last_step
        self.iterations.append(self.done - 1)
        self._train_acc.append(train_acc)
        self._test_acc.append(test_acc)
        if self.log is not None:
            with tqdm.external_write_mode():  # print above the bar, not through it
                self.log(f"{train_acc} {test_acc}")
        self._last_step = time.perf_counter()

    def _diverged(self, value):
        """Stop the run at iteration self.done, whose loss `value` is not finite (see Diverged)."""
        # the run stops at the first loss that is not finite: every one before it was
        last_finite = (self.done - 1, self._losses[-2]) if self.done else None
        self.done += 1
        self.seconds = time.perf_counter() - self._start
        nan = float("nan")
        history = self.history(self._losses, self._train_acc, self._test_acc,
                               self._train_acc[-1] if self._train_acc else nan,
                               self._test_acc[-1] if self._test_acc else nan)
        raise Diverged(self.done - 1, value, last_finite, history)

    def history(self, train_loss_list, train_acc_list, test_acc_list, final_train_acc, final_test_acc):
        """The run as a History (the lists as floats, the loss as an array)."""
        return History(iterations=list(self.iterations), train_acc=[float(a) for a in train_acc_list],
                       test_acc=[float(a) for a in test_acc_list],
                       loss=np.array([float(v) for v in train_loss_list]) if train_loss_list else np.empty(0),
                       final_train_acc=float(final_train_acc), final_test_acc=float(final_test_acc),
                       seconds=self.seconds, eval_seconds=self.eval_seconds)

