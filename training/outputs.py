"""The files a training run writes: the parameters (.npz) and the curves (.png).

Every file is written atomically: to a temporary file with a unique name in the same
folder, fsync'ed, then renamed onto the destination. A reader (or a run killed with
kill -9 half-way) therefore sees the old file or the new one, never a 0-byte or half
PNG where a good one had been. The temporary file is removed on every way out (an
error, Ctrl-C); those of runs killed outright are removed by the next write to the
same destination (see remove_stale_partials).

    save_params(network, path, overwrite=False)   load_params(path) -> TwoLayerNet
    plot_history(history, path)                   write_atomic(path, write, overwrite=True)
    rescue(path, write) -> the path actually written, when `path` could not be
"""
import errno
import os
import re
import secrets
import tempfile
import time
import zipfile
import zlib

import numpy as np

from dataset.files import NotARegularFile, open_regular
from training.network import make_network
from two_layer_net import PARAM_NAMES, TwoLayerNet

# When this process started (close enough: this module is imported at start-up). A
# partial file older than that, left by a process that no longer runs, is stale.
STARTED = time.time()


# Of the destination's name, a temporary or rescued file's name keeps at most this many
# characters (4 bytes each at most): with the pid, the random part and the suffix it stays
# under the usual 255-byte limit even when the destination's own name is as long as allowed.
NAME_KEPT = 50


def _partial_name(name):
    return f".{name[:NAME_KEPT]}.{os.getpid()}.{secrets.token_hex(6)}.partial"


def _partial_pattern(name):
    return re.compile(rf"^\.{re.escape(name[:NAME_KEPT])}\.(\d+)\.[0-9a-f]+\.partial$")


def _process_alive(pid):
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: alive, another user's; anything else: assume alive
        return True
    return True


def remove_stale_partials(path, before=None):
    """Remove the temporary files of earlier writes to `path` that were killed outright.

    Only files named as write_atomic names them for this very destination
    (".<name>.<pid>.<hex>.partial"), older than `before` (default: this process's start),
    whose process no longer runs. Returns the removed paths. Never raises.
    """
    before = STARTED if before is None else before
    folder, name = os.path.split(os.path.abspath(path))
    pattern = _partial_pattern(name)
    removed = []
    try:
        entries = os.listdir(folder)
    except OSError:
        return removed
    for entry in entries:
        match = pattern.match(entry)
        if not match:
            continue
        full = os.path.join(folder, entry)
        try:
            if os.lstat(full).st_mtime < before and not _process_alive(int(match.group(1))):
                os.unlink(full)
                removed.append(full)
        except OSError:
            pass  # gone already, or not ours to remove: leave it
    return removed


def _fsync_folder(folder):
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems refuse fsync on a folder; the rename is done anyway
    finally:
        os.close(fd)


def write_atomic(path, write, overwrite=True):
    """Create or replace the file `path` with what write(f) writes to the binary file f.

    overwrite=False: FileExistsError if `path` exists when the file is complete (even if it
    appeared a moment ago): the new file is linked in, which never replaces a file.
    The destination is complete or untouched; no temporary file is left behind.
    """
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    remove_stale_partials(path)
    partial = os.path.join(folder, _partial_name(os.path.basename(path)))
    # "x": created exclusively (a name nobody else uses), mode 0o666 minus the umask like any new file
    f = open(partial, "xb")
    try:
        with f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        if overwrite:
            os.replace(partial, path)
        else:
            _link_new(partial, path)
        _fsync_folder(folder)
    finally:
        try:
            os.unlink(partial)  # after a link (or an error); after a replace it is gone already
        except OSError:
            pass  # gone already, or its folder with it: nothing left to clean, the real error stands


def _link_new(partial, path):
    """Give the finished file `partial` the name `path`, which must not exist (FileExistsError)."""
    try:
        os.link(partial, path)  # atomic, and fails if `path` exists
    except FileExistsError:
        raise
    except OSError as error:
        # A file system without hard links: check, then rename (a tiny race window left).
        if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
            raise
        if os.path.lexists(path):
            raise FileExistsError(errno.EEXIST, "File exists", path) from None
        os.rename(partial, path)


def rescue(path, write, folders=None):
    """Write what belonged in `path` to a new file beside it: `<stem>-rescued-<time>[-k]<suffix>`
    in the first folder that takes it, of `folders` (default: path's folder, the current
    directory, the temporary directory). Never replaces a file. Returns the path written;
    OSError (the last folder's) if no folder took it.
    """
    stem, suffix = os.path.splitext(os.path.basename(os.fspath(path)))
    stem = stem[:NAME_KEPT]
    if folders is None:
        folders = [os.path.dirname(os.path.abspath(path))]
        try:
            folders.append(os.getcwd())
        except OSError:  # the current directory was removed
            pass
        folders.append(tempfile.gettempdir())
    stamp = time.strftime("%Y%m%d-%H%M%S")
    last_error = OSError(errno.ENOENT, "no folder to write to")
    for folder in dict.fromkeys(folders):  # in order, each once
        for k in range(1, 100):
            candidate = os.path.join(folder, f"{stem}-rescued-{stamp}{'' if k == 1 else f'-{k}'}{suffix}")
            try:
                write_atomic(candidate, write, overwrite=False)
                return candidate
            except FileExistsError:
                continue
            except OSError as error:
                last_error = error
                break
    raise last_error


def params_writer(network):
    """A write(f) function that saves the network's W1, b1, W2, b2 (as they are now) as .npz."""
    arrays = {key: network.params[key] for key in PARAM_NAMES}
    return lambda f: np.savez(f, **arrays)  # a file object: np.savez adds no second ".npz"


def save_params(network, path, overwrite=False):
    """Write the network's W1, b1, W2, b2 to the .npz file `path` (plain arrays,
    so np.load(path, allow_pickle=False) reads it). An existing file is only
    replaced with overwrite=True; the file appears complete or not at all."""
    try:
        write_atomic(path, params_writer(network), overwrite=overwrite)
    except FileExistsError:
        raise FileExistsError(errno.EEXIST, f"save_params: {os.fspath(path)} exists; "
                                            f"pass overwrite=True to replace it", os.fspath(path)) from None


def load_params(path):
    """A TwoLayerNet with the parameters save_params() wrote to `path`.

    Sizes and dtype come from the arrays: W1 (I, H), b1 (H,), W2 (H, O), b2 (O,).
    ValueError for anything else than such a .npz (a .npy, a damaged file, a FIFO or a device,
    which are refused before reading: a FIFO would block forever); OSError if it cannot be opened.
    """
    try:
        f, _ = open_regular(path, reader="load_params")
    except NotARegularFile as error:
        raise ValueError(f"load_params: {error}") from None
    with f:
        try:
            data = np.load(f, allow_pickle=False)
        except (ValueError, EOFError, OSError, zipfile.BadZipFile) as error:
            raise ValueError(f"load_params: {path} is not a .npz that save_params wrote "
                             f"({type(error).__name__}: {error})") from None
        if not isinstance(data, np.lib.npyio.NpzFile):
            raise ValueError(f"load_params: {path} holds one array (a .npy), not the .npz of W1, b1, W2, b2 "
                             f"that save_params writes")
        with data:
            missing = [key for key in PARAM_NAMES if key not in data.files]
            if missing:
                raise ValueError(f"load_params: {path} lacks {', '.join(missing)}; expected the arrays "
                                 f"{', '.join(PARAM_NAMES)} that save_params writes")
            try:
                params = {key: data[key] for key in PARAM_NAMES}
            except (ValueError, EOFError, OSError, zipfile.BadZipFile, zlib.error) as error:
                raise ValueError(f"load_params: {path}: damaged ({type(error).__name__}: {error})") from None

    W1, W2 = params["W1"], params["W2"]
    if W1.ndim != 2 or W2.ndim != 2:
        raise ValueError(f"load_params: {path}: expected 2-D W1, W2, got {W1.shape}, {W2.shape}")
    (input_size, hidden_size), output_size = W1.shape, W2.shape[1]
    network = make_network(TwoLayerNet, input_size, hidden_size, output_size, 0, W1.dtype)
    for key in PARAM_NAMES:
        if params[key].shape != network.params[key].shape or params[key].dtype != W1.dtype:
            raise ValueError(f"load_params: {path}: expected {key} of shape {network.params[key].shape} "
                             f"and dtype {W1.dtype}, got {params[key].shape} {params[key].dtype}")
        # in place: the Affine layers hold these very arrays
        network.params[key][...] = params[key]
    return network


def draw_history(history):
    """A write(f) function that saves the accuracy per epoch (Figure 4-12) and the loss per
    iteration (Figure 4-11) side by side as a PNG; the figure is drawn now, not when called."""
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
    return lambda f: fig.savefig(f, format="png", dpi=80)


def plot_history(history, path):
    """Save the accuracy per epoch (Figure 4-12) and the loss per iteration
    (Figure 4-11) side by side as the PNG `path` (replaced if it exists, atomically)."""
    write_atomic(path, draw_history(history))
