"""`python train_neuralnet.py [flags]`: parse the flags, load MNIST, train, write the outputs.

Every flag is checked (by the same rules as train()'s arguments, training/checks.py) before
any data is touched, so a typo fails in milliseconds. After training nothing computed is lost:
the parameters are saved first, then the plot, each atomically; if a destination cannot be
written any more (its folder vanished or became read-only, the disk filled, a --save file
appeared meanwhile) the file goes beside it (see outputs.rescue), one line on stderr says
where, and the exit status is 1. Ctrl-C (or SIGTERM) prints one line: exit 130 (143).

A run that diverges says so and exits 3 (see EPILOG): training stops at the first loss that
is not finite (nothing useful follows a nan), the curves up to there are plotted, and the
parameters, which are not a trained network, are not saved (a --save file stays as it was).

Refused up front (exit 2), because the finished run would be lost or would destroy something:
a relative output path when the current folder was removed, an output path that is a FIFO, a
device, a dangling link or the MNIST cache. A closed or broken stdout/stderr (2>&-, a pipe
whose reader left, a full disk) never stops the run. MNIST that cannot be loaded (exit 4) and
a network too large for the memory (exit 5) are one error line each, not a traceback.
"""
import argparse
import errno
import os
import signal
import stat
import sys
import threading
import time

import numpy as np

from training import checks, outputs
from training.monitor import Diverged, Interrupted, collapse

# MNIST has 60000 training images: --batch-size is checked against it before
# any data is loaded, so a typo fails in milliseconds, not after the download.
MNIST_TRAIN_SIZE = 60000
DTYPES = {"float32": np.float32, "float64": np.float64}
PROG = "train_neuralnet.py"
DEFAULT_PLOT = "train_accuracy.png"
BOOK_LR = 0.1  # the book's learning rate: what a diverged run is told to try
DIVERGED = 3   # the exit status of a run that diverged
NO_DATA = 4    # the exit status when MNIST could not be loaded
OUT_OF_MEMORY = 5  # the exit status when the network (--hidden, --batch-size) does not fit in memory
EPILOG = f"""\
divergence: training stops at the first iteration whose loss is not a finite number (nan or
inf: nothing useful follows it); the curves up to there are plotted, the parameters are not
saved (a --save file stays as it was), one line says where and why, and the exit status is
{DIVERGED}. A run whose loss rose far above where it started and never came back down (the
network collapsed to guessing) runs to the end, writes its outputs, then says so and exits
{DIVERGED} too. The usual cause is a learning rate too large: the book's is {BOOK_LR}.

exit status: 0 done; 1 an output could not be written where asked (it was written beside,
see the message); 2 a bad flag; {DIVERGED} training diverged; {NO_DATA} MNIST could not be loaded
(the message says why and what to do); {OUT_OF_MEMORY} out of memory (--hidden or --batch-size too
large); 130 Ctrl-C; 143 SIGTERM."""


def _flag(parse, rule, *rule_args):
    """argparse type: parse(text) (ValueError: not even a number), then checks.rule(value, *rule_args)."""
    def convert(text):
        try:
            value = parse(text)
        except ValueError:
            kind = "an integer" if parse is int else "a number"
            raise argparse.ArgumentTypeError(f"expected {kind}, got {text!r}") from None
        try:
            return rule(value, *rule_args)
        except checks.BadValue as bad:
            raise argparse.ArgumentTypeError(f"expected {bad.full_range}, got {text}") from None
    return convert


def _output_path(suffix):
    """argparse type: a path ending in `suffix` in an existing, writable directory."""
    def parse(text):
        if not text.endswith(suffix):
            raise argparse.ArgumentTypeError(f"expected a file name ending in {suffix}, got {text!r}")
        if not os.path.isabs(text) and not _cwd_exists():
            # Linux still lists "." in a removed folder (and os.access says it is writable), but
            # nothing can be created in it: the finished run would have nowhere to go.
            raise argparse.ArgumentTypeError(
                f"the current folder no longer exists (it was removed or moved after the shell entered it), "
                f"so {text!r} cannot be written there; cd into an existing folder, or give an absolute path")
        if os.path.isdir(text):
            raise argparse.ArgumentTypeError(f"{text!r} is a directory; expected a file name ending in {suffix}")
        _check_existing(text)
        folder = os.path.dirname(text) or "."
        if not os.path.isdir(folder):
            raise argparse.ArgumentTypeError(f"directory {folder!r} does not exist (for {text!r})")
        if not os.access(folder, os.W_OK):
            raise argparse.ArgumentTypeError(f"directory {folder!r} is not writable (for {text!r})")
        name_max = _name_max(folder)
        if len(os.fsencode(os.path.basename(text))) > name_max:
            raise argparse.ArgumentTypeError(f"file name too long (the folder allows {name_max} bytes): {text!r}")
        return text
    return parse


def _check_existing(text):
    """ArgumentTypeError unless `text` is absent or a regular file (through a link) that is not
    the MNIST cache: a FIFO or a device would be replaced by the output (or, through a link,
    never written); a dangling link would make the finished run fail at the end."""
    from dataset import cache  # the cache's path only: no data is read
    from dataset.files import kind
    try:
        st = os.stat(text)
    except FileNotFoundError:
        if os.path.islink(text):
            raise argparse.ArgumentTypeError(f"{text!r} is a symbolic link to {os.readlink(text)!r}, which does "
                                             f"not exist; remove the link or choose another path") from None
        return
    except OSError:
        return  # the folder checks that follow say what is wrong
    if not stat.S_ISREG(st.st_mode):
        link = f" (a link to {os.readlink(text)!r})" if os.path.islink(text) else ""
        raise argparse.ArgumentTypeError(f"{text!r}{link} is {kind(st.st_mode)}, not a file; choose another path")
    try:
        is_cache = os.path.samefile(text, cache.cache_path())
    except OSError:  # no cache (yet)
        is_cache = False
    if is_cache:
        raise argparse.ArgumentTypeError(f"{text!r} is the MNIST cache ({cache.cache_path()}); replacing it "
                                         f"would lose the data: choose another path")


def _cwd_exists():
    """False if the current folder was removed (or moved: its old path is gone)."""
    try:
        cwd = os.getcwd()
    except OSError:  # Linux: the folder was removed
        return False
    try:  # macOS and others may still answer with the old path
        return os.path.samestat(os.stat(cwd), os.stat("."))
    except OSError:
        return False


def _name_max(folder):
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):  # no pathconf (Windows) or no answer
        return 255


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        prog=PROG, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Train the book's two-layer network on MNIST (section 5.7.4). Prints\n"
                    "'train_acc test_acc' once per epoch like the book, then a summary; a progress\n"
                    "bar with the loss goes to stderr.",
    )
    parser.add_argument("--iters", type=_flag(int, checks.integer, 1), default=10000,
                        help="SGD iterations (mini-batches); default %(default)s")
    parser.add_argument("--batch-size", type=_flag(int, checks.integer, 1, MNIST_TRAIN_SIZE, "the MNIST training set"),
                        default=100, help="images per mini-batch, drawn with replacement; default %(default)s")
    parser.add_argument("--lr", type=_flag(float, checks.positive_number), default=0.1,
                        help="learning rate (> 0); default %(default)s")
    parser.add_argument("--hidden", type=_flag(int, checks.integer, 1), default=50,
                        help="hidden units; default %(default)s")
    parser.add_argument("--seed", type=_flag(int, checks.integer, 0), default=0,
                        help="seed of the initial weights and of the batch sampling (same seed, same numbers); "
                             "default %(default)s")
    parser.add_argument("--dtype", choices=sorted(DTYPES), default="float32",
                        help="float type of the network and the data (float64 is the book's, ~2x slower); "
                             "default %(default)s")
    plotting = parser.add_mutually_exclusive_group()
    plotting.add_argument("--plot", type=_output_path(".png"), metavar="PATH",
                          help="PNG for the accuracy (Figure 4-12) and loss (Figure 4-11) curves; "
                               f"replaced if it exists; default {DEFAULT_PLOT}")
    plotting.add_argument("--no-plot", action="store_true",
                          help="save no plot (and skip importing matplotlib, ~0.5 s)")
    parser.add_argument("--save", type=_output_path(".npz"), metavar="PATH",
                        help="also save the trained W1, b1, W2, b2 here (.npz; "
                             "training.outputs.load_params() reads it back)")
    parser.add_argument("--overwrite", action="store_true", help="let --save replace an existing file")
    parser.add_argument("--quiet", action="store_true",
                        help="no progress bar; the per-epoch lines and the summary are still printed")
    args = parser.parse_args(argv)
    if args.plot is None and not args.no_plot:  # the default is checked only when it is used
        try:
            args.plot = _output_path(".png")(DEFAULT_PLOT)
        except argparse.ArgumentTypeError as error:
            parser.error(f"the default plot {DEFAULT_PLOT}: {error} (or give --plot PATH, or --no-plot)")
    if args.save and os.path.exists(args.save) and not args.overwrite:
        parser.error(f"argument --save: {args.save!r} exists; choose another path or add --overwrite")
    return args


class _Harmless:
    """sys.stdout or sys.stderr, made harmless to write to: a stream that is closed (`2>&-`,
    `>&-`: Python gives None), a broken pipe (`| head -3`, a reader that went away) or a full
    disk drops what could not be written instead of raising; the run goes on and still
    writes its files. Once a write failed, the descriptor is pointed at os.devnull, so that
    later writes, C-level ones and the flush at exit go nowhere too."""

    def __init__(self, stream):
        self.stream, self.broken = stream, stream is None

    def write(self, text):
        if not self.broken:
            try:
                return self.stream.write(text)
            except (OSError, ValueError):  # BrokenPipeError, EIO, ENOSPC; ValueError: closed file
                self._break()
        return len(text)

    def flush(self):
        if not self.broken:
            try:
                self.stream.flush()
            except (OSError, ValueError):
                self._break()

    def isatty(self):
        try:
            return not self.broken and self.stream.isatty()
        except (OSError, ValueError):
            return False

    @property
    def encoding(self):
        return getattr(self.stream, "encoding", None) or "utf-8"

    def __getattr__(self, name):  # fileno, errors, buffer...: the stream's own
        if self.stream is None:
            raise AttributeError(name)
        return getattr(self.stream, name)

    def _break(self):
        self.broken = True
        try:
            _to_devnull(self.stream.fileno())
        except (OSError, ValueError, AttributeError):
            pass  # not a real file (a test's capture): nothing at exit will write to it


def _to_devnull(fd):
    """Point the descriptor `fd` at os.devnull."""
    devnull = os.open(os.devnull, os.O_RDWR)
    if devnull != fd:
        os.dup2(devnull, fd)
        os.close(devnull)


def _harmless_streams():
    """Make sys.stdout and sys.stderr harmless (see _Harmless); returns the originals.

    A descriptor 1 or 2 that is closed is opened on os.devnull first: else the next file
    opened (a .partial output, the cache) would get that number, and anything writing to
    "stderr" at the C level, or a child process, would write into it.
    """
    originals = sys.stdout, sys.stderr
    for fd in (1, 2):
        try:
            os.fstat(fd)
        except OSError:
            try:
                _to_devnull(fd)
            except OSError:
                pass
    sys.stdout, sys.stderr = (s if isinstance(s, _Harmless) else _Harmless(s) for s in originals)
    return originals


def _say(*values):
    """print() to stdout, at once (the per-epoch lines, the summary, "saved ...")."""
    print(*values, flush=True)


def _error(text):
    print(f"{PROG}: error: {text}", file=sys.stderr, flush=True)


def _why(error, path, shown):
    """One phrase for why writing `path` (absolute; `shown` as the user wrote it) failed."""
    folder = os.path.dirname(path)
    if isinstance(error, FileExistsError):
        return f"{shown} appeared during training, and --overwrite was not given"
    if isinstance(error, (FileNotFoundError, NotADirectoryError)) and not os.path.isdir(folder):
        return f"its folder {folder} " + ("is now a file" if os.path.lexists(folder) else "no longer exists")
    if isinstance(error, IsADirectoryError) or os.path.isdir(path):
        return f"{shown} is now a folder"
    if isinstance(error, PermissionError):
        return f"permission denied in {folder}"
    if getattr(error, "errno", None) == errno.ENOSPC:
        return f"no space left on the device of {folder}"
    return f"{type(error).__name__}: {getattr(error, 'strerror', None) or error}"


def _write_output(what, shown, write, overwrite, say, path=None):
    """Write one output to `path` (absolute; default: `shown`, as the user wrote it), or rescue
    it beside; True if it went to `path`. One line either way (stdout, or stderr if rescued)."""
    path = path or _absolute(shown)
    try:
        outputs.write_atomic(path, write, overwrite=overwrite)
    except OSError as error:
        why = _why(error, path, shown)
        try:
            where = outputs.rescue(path, write)
        except OSError as rescue_error:
            _error(f"could not write {what} to {shown} ({why}), nor beside it "
                   f"({type(rescue_error).__name__}: {rescue_error}): they are lost")
        else:
            _error(f"could not write {what} to {shown} ({why}); they are in {where} instead")
        return False
    say(f"saved {what} to {shown}")
    return True


def _absolute(path):
    try:
        return os.path.abspath(path)
    except OSError:  # started in a folder that was already removed: keep it relative
        return path


class _State:
    """How far the run got: what the one line after Ctrl-C says."""
    stage = "while loading MNIST"
    kept = "nothing was saved"


def main(train, argv=None):
    """Run the command line with `train` (train_neuralnet.train). Exit status 0; 1 if an output
    could not be written where asked (it was written beside); 2 for a bad flag; 3 if training
    diverged (see EPILOG); 4 if MNIST could not be loaded; 5 out of memory; 130 after Ctrl-C, 143 after SIGTERM
    (one line, no traceback, no temporary file left). A closed or broken stdout or stderr never
    stops it (see _Harmless)."""
    originals = _harmless_streams()
    try:
        _main(train, argv)
    finally:
        sys.stdout, sys.stderr = originals


def _main(train, argv):
    args = parse_args(argv)  # every flag is checked before the data is touched
    state, terminated = _State(), []

    def on_sigterm(signum, frame):
        terminated.append(signum)
        raise KeyboardInterrupt  # the same clean stop as Ctrl-C

    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, on_sigterm) if in_main_thread else None
    try:
        status = _run(train, args, state)
    except KeyboardInterrupt as interrupt:
        if isinstance(interrupt, Interrupted):
            state.stage = f"during training, after {interrupt.done} of {interrupt.total} iterations"
        what = "terminated (SIGTERM)" if terminated else "interrupted (Ctrl-C)"
        print(f"{PROG}: {what} {state.stage}; {state.kept}", file=sys.stderr, flush=True)
        raise SystemExit(143 if terminated else 130) from None
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    if status:
        raise SystemExit(status)


def _try_instead(lr):
    """What a diverged run is told to try instead of --lr `lr`."""
    if lr > BOOK_LR:
        return f"the learning rate is likely too large: try --lr {BOOK_LR} (the book's; this run's was {lr:g})"
    return f"the learning rate may still be too large: try a smaller --lr than {lr:g}, e.g. {lr / 10:g}"


def _run(train, args, state):
    """Load, train, print the summary, write the outputs; the exit status (0, 1, DIVERGED, NO_DATA,
    OUT_OF_MEMORY: see EPILOG)."""
    say = _say
    # Absolute now: the outputs go where the flags meant even if the current folder vanishes.
    paths = {flag: _absolute(getattr(args, flag)) for flag in ("save", "plot") if getattr(args, flag)}
    # Imported here, not at the top: --help, the flag checks and train() itself
    # need no data module, and a bad flag must fail before any download starts.
    from mnist import load_mnist
    load_start = time.perf_counter()
    # One-hot targets, as the book's script loads them: a SoftmaxWithLoss written as the
    # book prints it, (y - t) / batch_size, trains on these (labels are an extra).
    from dataset.errors import MnistDataError, MnistUnavailableError
    try:
        (x_train, t_train), (x_test, t_test) = load_mnist(normalize=True, flatten=True, one_hot_label=True)
    except (MnistUnavailableError, MnistDataError) as error:  # it says what was tried and what to do
        print(f"{PROG}: error: could not load MNIST; nothing was trained. {error}", file=sys.stderr, flush=True)
        return NO_DATA
    load_seconds = time.perf_counter() - load_start

    state.stage = "during training"
    try:
        network, history = train(x_train, t_train, x_test, t_test, iters_num=args.iters,
                                 batch_size=args.batch_size, learning_rate=args.lr, hidden_size=args.hidden,
                                 seed=args.seed, dtype=DTYPES[args.dtype], progress=not args.quiet, log=say)
    except Diverged as diverged:
        return _diverged(diverged, args, state, say, paths)
    except MemoryError as error:  # numpy's "Unable to allocate 584. GiB for an array with shape ..."
        _error(f"out of memory: {error}; nothing was trained. Try a smaller --hidden (this run's: {args.hidden}) "
               f"or --batch-size ({args.batch_size})" + (", or --dtype float32" if args.dtype == "float64" else ""))
        return OUT_OF_MEMORY
    state.stage = "after training"

    say(f"final: train acc {history.final_train_acc:.4f}, test acc {history.final_test_acc:.4f} "
        f"after {args.iters} iterations")
    say(f"time: {history.seconds:.1f} s for {args.iters} iterations ({args.iters / history.seconds:.0f} it/s, "
        f"{args.dtype}), of which {history.eval_seconds:.1f} s in {len(history.train_acc)} evaluations; "
        f"MNIST loaded in {load_seconds:.1f} s")

    written = True
    # The parameters first: they are the run's result, the plot only pictures it.
    if args.save:
        state.stage = f"while saving the parameters to {args.save}"
        state.kept = f"nothing was saved ({args.save} is as it was)"
        written &= _write_output("the trained parameters", args.save, outputs.params_writer(network),
                                 args.overwrite, say, paths["save"])
        state.kept = "the parameters were saved (see above)"
    written &= _write_plot(history, args, state, say, paths)
    collapsed = collapse(history)
    if collapsed:  # a finite loss, so the run went to the end and wrote its outputs; but it is no result
        _error(f"training diverged: {collapsed}; {_try_instead(args.lr)}. "
               f"The outputs were written as asked (see above)")
        return DIVERGED
    return 0 if written else 1


def _diverged(diverged, args, state, say, paths):
    """Training stopped at a loss that is not finite: plot the run so far, save no parameters."""
    state.stage = "after training diverged"
    kept = f"; the parameters were not saved ({args.save} is as it was)" if args.save else ""
    if diverged.last_finite is None:
        # The reference's train_step returns the loss of its forward pass, before the update:
        # then the learning rate cannot be the cause. The book's returns it after the update.
        _error(f"training diverged at iteration 0 of {args.iters}: the very first loss is {diverged.loss}. "
               f"If train_step returns the loss after its update (as the book's does), {_try_instead(args.lr)}; "
               f"if before (as the reference's does), the forward pass or the loss itself is not finite: "
               f"check the layers and the loss. Training stopped there, so there is no trained network{kept}")
    else:
        at, last = diverged.last_finite
        _error(f"training diverged at iteration {diverged.iteration} of {args.iters}: the loss became "
               f"{diverged.loss} (the last finite loss was {last:.4g}, at iteration {at}); "
               f"{_try_instead(args.lr)}. Training stopped there, so there is no trained network{kept}")
    _write_plot(diverged.history, args, state, say, paths,
                what=f"the accuracy and loss curves up to iteration {diverged.iteration}")
    return DIVERGED


def _write_plot(history, args, state, say, paths, what="the accuracy and loss curves"):
    """Draw and write --plot (unless --no-plot); True if it went where asked."""
    if args.no_plot:
        return True
    state.stage = f"while writing the plot {args.plot}"
    try:
        write = outputs.draw_history(history)
    except Exception as error:  # matplotlib missing or broken: the numbers are printed above
        _error(f"could not draw the plot ({type(error).__name__}: {error}); "
               f"the per-epoch accuracies are printed above")
        return False
    return _write_output(what, args.plot, write, True, say, paths["plot"])
