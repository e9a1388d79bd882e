"""The training run never loses its result (issue: the CLI finished, then lost it).

Each class of fault is tried here: an output folder that vanishes (or becomes a file) during
training, a --save file that appears meanwhile, a plot path that became a folder, a full disk,
a broken matplotlib, a closed stdout, Ctrl-C and SIGTERM at each stage, kill -9 in the middle of
a write, and the temporary files such kills leave. The rules: the parameters are written first;
every file is complete or untouched (temp + fsync + rename); an output that cannot go where it
was asked goes beside it, one line on stderr says where, and the exit status is 1; no
traceback; no temporary file left behind, and those of killed runs are cleaned up.

The command-line cases run the real script in a subprocess with a stand-in `mnist` module whose
load_mnist() also runs a snippet: that is "meanwhile", after the flags were checked and before
the outputs are written (the real run would be training).
"""
import errno
import os
import re
import signal
import stat
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

import train_neuralnet
from training import cli, outputs
from training.outputs import load_params, remove_stale_partials, rescue, save_params, write_atomic
from two_layer_net import PARAM_NAMES, TwoLayerNet

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PARTIAL = re.compile(r"\.partial$")


def _partials(folder):
    return sorted(name for name in os.listdir(folder) if PARTIAL.search(name))


def _net(seed=4):
    return TwoLayerNet(8, 5, 10, seed=seed, dtype=np.float32)


def _dead_pid():
    """The pid of a process that has exited (and was reaped)."""
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(child.stdout)


# --- write_atomic: complete or untouched --------------------------------------------------

def test_write_atomic_creates_and_replaces_leaving_no_temporary_file(tmp_path):
    path = tmp_path / "out.bin"
    write_atomic(path, lambda f: f.write(b"first"))
    write_atomic(path, lambda f: f.write(b"second"))
    assert path.read_bytes() == b"second" and os.listdir(tmp_path) == ["out.bin"]


def test_a_new_file_gets_the_umask_mode_not_a_private_temp_mode(tmp_path):
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "a.npz", lambda f: f.write(b"x"))
    finally:
        os.umask(old)
    assert (tmp_path / "a.npz").stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize("fault", [OSError(errno.ENOSPC, "No space left on device"), RuntimeError("savefig broke"),
                                   KeyboardInterrupt()], ids=["disk-full", "error", "ctrl-c"])
def test_a_write_that_fails_half_way_leaves_the_old_file_and_no_partial(tmp_path, fault):
    path = tmp_path / "curves.png"
    path.write_bytes(b"a good plot")

    def half_then_fail(f):
        f.write(b"half a pl")
        raise fault

    with pytest.raises(type(fault)):
        write_atomic(path, half_then_fail)
    assert path.read_bytes() == b"a good plot" and _partials(tmp_path) == []


def test_a_failing_rename_leaves_the_old_file_and_no_partial(tmp_path, monkeypatch):
    path = tmp_path / "params.npz"
    path.write_bytes(b"old params")

    def no_rename(src, dst):
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(outputs.os, "replace", no_rename)
    with pytest.raises(OSError, match="I/O error"):
        write_atomic(path, lambda f: f.write(b"new"))
    assert path.read_bytes() == b"old params" and _partials(tmp_path) == []


def test_without_overwrite_a_file_that_appeared_meanwhile_is_never_replaced(tmp_path):
    path = tmp_path / "params.npz"

    def appears_while_writing(f):
        f.write(b"ours")
        path.write_bytes(b"theirs, created while we wrote")  # after any check a caller made

    with pytest.raises(FileExistsError):
        write_atomic(path, appears_while_writing, overwrite=False)
    assert path.read_bytes() == b"theirs, created while we wrote" and _partials(tmp_path) == []


@pytest.mark.parametrize("make", ["missing-folder", "folder-is-a-file", "path-is-a-folder"])
def test_an_impossible_destination_raises_oserror_and_leaves_nothing(tmp_path, make):
    if make == "missing-folder":
        path = tmp_path / "gone" / "p.npz"
    elif make == "folder-is-a-file":
        (tmp_path / "afile").write_bytes(b"not a folder")
        path = tmp_path / "afile" / "p.npz"
    else:
        (tmp_path / "p.npz").mkdir()
        (tmp_path / "p.npz" / "inside").write_bytes(b"keep")
        path = tmp_path / "p.npz"
    before = sorted(os.listdir(tmp_path))
    with pytest.raises(OSError):
        write_atomic(path, lambda f: f.write(b"x"))
    assert sorted(os.listdir(tmp_path)) == before
    if make == "path-is-a-folder":
        assert (path / "inside").read_bytes() == b"keep"


def test_save_params_keeps_its_message_and_the_users_file(tmp_path):
    path = tmp_path / "mine.npz"
    path.write_bytes(b"a user's file")
    with pytest.raises(FileExistsError, match="mine.npz exists; pass overwrite=True"):
        save_params(_net(), path)
    assert path.read_bytes() == b"a user's file" and _partials(tmp_path) == []


# --- stale temporary files of killed runs -------------------------------------------------

def test_stale_partials_of_dead_processes_are_removed_and_nothing_else(tmp_path):
    path = tmp_path / "params.npz"
    dead, alive = _dead_pid(), os.getppid()
    old = time.time() - 3600
    names = {
        "stale": f".params.npz.{dead}.0123456789ab.partial",        # killed run: removed
        "alive": f".params.npz.{alive}.0123456789ab.partial",       # a run still writing: kept
        "new": f".params.npz.{dead}.abcdefabcdef.partial",          # younger than this run: kept
        "other-target": f".curves.png.{dead}.0123456789ab.partial",  # another destination's: kept
        "users": "params.npz.partial",                              # not our pattern: kept
        "old-style": "tmpk3j2h1.partial",                           # not ours to judge: kept
    }
    for key, name in names.items():
        (tmp_path / name).write_bytes(b"x")
        if key != "new":
            os.utime(tmp_path / name, (old, old))
    removed = remove_stale_partials(path, before=time.time() - 60)
    assert removed == [str(tmp_path / names["stale"])]
    assert sorted(os.listdir(tmp_path)) == sorted(name for key, name in names.items() if key != "stale")


def test_every_write_cleans_the_stale_partials_of_its_destination(tmp_path):
    stale = tmp_path / f".params.npz.{_dead_pid()}.0123456789ab.partial"
    stale.write_bytes(b"half a file from a kill -9")
    os.utime(stale, (outputs.STARTED - 10, outputs.STARTED - 10))
    save_params(_net(), tmp_path / "params.npz")
    assert os.listdir(tmp_path) == ["params.npz"]


# --- rescue: beside, never over anything ---------------------------------------------------

def test_rescue_writes_beside_and_never_over_an_existing_file(tmp_path):
    first = rescue(tmp_path / "params.npz", lambda f: f.write(b"1"))
    second = rescue(tmp_path / "params.npz", lambda f: f.write(b"2"))
    assert os.path.dirname(first) == str(tmp_path) and first != second
    assert re.fullmatch(r"params-rescued-\d{8}-\d{6}(-2)?\.npz", os.path.basename(second))
    assert {open(first, "rb").read(), open(second, "rb").read()} == {b"1", b"2"}


def test_rescue_falls_back_to_the_next_folder(tmp_path):
    where = rescue(tmp_path / "gone" / "p.npz", lambda f: f.write(b"kept"),
                   folders=[str(tmp_path / "gone"), str(tmp_path / "also_gone"), str(tmp_path)])
    assert os.path.dirname(where) == str(tmp_path) and open(where, "rb").read() == b"kept"
    with pytest.raises(OSError):
        rescue(tmp_path / "gone" / "p.npz", lambda f: f.write(b"x"), folders=[str(tmp_path / "gone")])


def test_an_output_that_cannot_be_written_anywhere_says_it_is_lost(tmp_path, capsys, monkeypatch):
    def full_disk(f):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(outputs.tempfile, "gettempdir", lambda: str(tmp_path))
    monkeypatch.chdir(tmp_path)
    assert not cli._write_output("the trained parameters", str(tmp_path / "p.npz"), full_disk, False, print)
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1
    assert "no space left on the device" in err and "they are lost" in err
    assert os.listdir(tmp_path) == []


def test_a_full_disk_at_the_destination_rescues_to_another_folder(tmp_path, capsys, monkeypatch):
    full, spare = tmp_path / "full", tmp_path / "spare"
    full.mkdir(), spare.mkdir()

    def write(f):
        if os.path.dirname(f.name) == str(full):
            raise OSError(errno.ENOSPC, "No space left on device")
        f.write(b"the result")

    monkeypatch.chdir(spare)
    assert not cli._write_output("the trained parameters", str(full / "p.npz"), write, False, print)
    err = capsys.readouterr().err
    where = re.search(r"they are in (\S+) instead", err).group(1)
    assert os.path.dirname(where) == str(spare) and open(where, "rb").read() == b"the result"
    assert os.listdir(full) == []


# --- the command line ------------------------------------------------------------------------

RUNNER = textwrap.dedent("""
    import os, runpy, shutil, signal, sys, types
    import numpy as np
    script, data, snippet = sys.argv[1], sys.argv[2], sys.argv[3]
    def load_mnist(normalize=True, flatten=True, one_hot_label=False):
        with np.load(data) as f:
            x_train, t_train, x_test, t_test = (f[k] for k in ("x_train", "t_train", "x_test", "t_test"))
        if one_hot_label:
            t_train, t_test = (np.eye(10, dtype=np.float32)[t] for t in (t_train, t_test))
        exec(snippet, {"os": os, "shutil": shutil, "signal": signal, "np": np})  # "meanwhile"
        return (x_train, t_train), (x_test, t_test)
    sys.modules["mnist"] = types.SimpleNamespace(load_mnist=load_mnist)
    sys.argv = [script] + sys.argv[4:]
    runpy.run_path(script, run_name="__main__")
""")
FAST = ["--iters", "20", "--batch-size", "20", "--hidden", "8", "--quiet"]
# a traceback, or Python's own complaint about a closed stdout
NOISE = re.compile(r"Traceback|Exception ignored|BrokenPipeError")


def _env(tmp_path, **extra):
    return dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p), OMP_NUM_THREADS="1",
                PYTHONUNBUFFERED="1", TMPDIR=str(tmp_path / "tmp"), **extra)


def _command(data_file, snippet, args):
    # -P: no "" (the current folder) on sys.path, as for `python train_neuralnet.py` (the path comes from
    # PYTHONPATH). With "" there, CPython 3.13.0-3.13.2 raise SystemError instead of AttributeError on a
    # missing module attribute once the current folder is deleted (CPython gh-130932, fixed in 3.13.3).
    return [sys.executable, "-P", "-c", RUNNER, train_neuralnet.__file__, str(data_file), snippet, *args]


def _run(tmp_path, data_file, args, snippet="", cwd=None, timeout=120):
    (tmp_path / "tmp").mkdir(exist_ok=True)
    result = subprocess.run(_command(data_file, snippet, args), cwd=cwd or tmp_path, env=_env(tmp_path),
                            capture_output=True, text=True, timeout=timeout)
    assert not NOISE.search(result.stderr), result.stderr
    return result


@pytest.fixture(scope="module")
def data_file(tmp_path_factory):
    rng = np.random.default_rng(5)
    centres = 3.0 * rng.standard_normal((10, 8))

    def split(n):
        t = rng.integers(0, 10, n).astype(np.uint8)
        return (centres[t] + rng.standard_normal((n, 8))).astype(np.float32), t

    (x_train, t_train), (x_test, t_test) = split(200), split(50)
    path = tmp_path_factory.mktemp("data") / "synthetic.npz"
    np.savez(path, x_train=x_train, t_train=t_train, x_test=x_test, t_test=t_test)
    return path


def _error_lines(stderr):
    return [line for line in stderr.splitlines() if line.startswith("train_neuralnet.py: error:")]


def _rescued(stderr):
    return [match.group(1) for match in re.finditer(r"they are in (\S+) instead", stderr)]


def test_the_parameters_are_saved_before_the_plot_and_nothing_else_is_left(tmp_path, data_file):
    result = _run(tmp_path, data_file, [*FAST, "--save", "p.npz", "--plot", "c.png"])
    assert result.returncode == 0, result.stderr
    saved = [line for line in result.stdout.splitlines() if line.startswith("saved ")]
    assert saved == ["saved the trained parameters to p.npz", "saved the accuracy and loss curves to c.png"]
    assert sorted(os.listdir(tmp_path)) == ["c.png", "p.npz", "tmp"]  # no temporary file left
    assert (tmp_path / "c.png").read_bytes()[:8] == PNG_SIGNATURE


def test_a_save_folder_removed_during_training_rescues_the_parameters(tmp_path, data_file):
    (tmp_path / "out").mkdir()
    result = _run(tmp_path, data_file, [*FAST, "--save", "out/p.npz", "--plot", "c.png"],
                  snippet="shutil.rmtree('out')")
    assert result.returncode == 1
    [line] = _error_lines(result.stderr)
    assert "could not write the trained parameters to out/p.npz" in line and "no longer exists" in line
    [where] = _rescued(line)
    assert os.path.dirname(where) == str(tmp_path)  # the current directory
    assert sorted(load_params(where).params) == sorted(PARAM_NAMES)
    assert "saved the accuracy and loss curves to c.png" in result.stdout  # the plot still written
    assert (tmp_path / "c.png").read_bytes()[:8] == PNG_SIGNATURE


def test_a_save_file_created_during_training_is_kept_and_ours_goes_beside_it(tmp_path, data_file):
    result = _run(tmp_path, data_file, [*FAST, "--save", "p.npz", "--no-plot"],
                  snippet="open('p.npz', 'wb').write(b'another run, finished first')")
    assert result.returncode == 1
    [line] = _error_lines(result.stderr)
    assert "p.npz appeared during training, and --overwrite was not given" in line
    assert (tmp_path / "p.npz").read_bytes() == b"another run, finished first"
    [where] = _rescued(line)
    assert os.path.dirname(where) == str(tmp_path) and load_params(where).params["W1"].shape == (8, 8)


def test_with_overwrite_a_save_file_created_during_training_is_replaced(tmp_path, data_file):
    result = _run(tmp_path, data_file, [*FAST, "--save", "p.npz", "--overwrite", "--no-plot"],
                  snippet="open('p.npz', 'wb').write(b'old')")
    assert result.returncode == 0, result.stderr
    assert load_params(tmp_path / "p.npz").params["W1"].shape == (8, 8)


@pytest.mark.parametrize("change", ["rmtree", "replaced-by-a-file", "plot-path-became-a-folder"])
def test_a_plot_that_cannot_be_written_loses_neither_the_parameters_nor_the_plot(tmp_path, data_file, change):
    (tmp_path / "figs").mkdir()
    snippet = {"rmtree": "shutil.rmtree('figs')",
               "replaced-by-a-file": "shutil.rmtree('figs'); open('figs', 'w').write('a file now')",
               "plot-path-became-a-folder": "os.mkdir('figs/c.png')"}[change]
    result = _run(tmp_path, data_file, [*FAST, "--save", "p.npz", "--plot", "figs/c.png"], snippet=snippet)
    assert result.returncode == 1
    assert "saved the trained parameters to p.npz" in result.stdout
    assert load_params(tmp_path / "p.npz").params["b2"].shape == (10,)
    [line] = _error_lines(result.stderr)
    assert "could not write the accuracy and loss curves to figs/c.png" in line
    assert {"rmtree": "figs no longer exists", "replaced-by-a-file": "figs is now a file",
            "plot-path-became-a-folder": "figs/c.png is now a folder"}[change] in line, line
    [where] = _rescued(line)
    assert open(where, "rb").read(8) == PNG_SIGNATURE


def test_when_the_current_folder_vanishes_both_outputs_go_to_the_temporary_folder(tmp_path, data_file):
    work = tmp_path / "work"
    work.mkdir()
    result = _run(tmp_path, data_file, [*FAST, "--save", "p.npz", "--plot", "c.png"],
                  snippet=f"shutil.rmtree({str(work)!r})", cwd=work)
    assert result.returncode == 1
    assert len(_error_lines(result.stderr)) == 2
    params, plot = _rescued(result.stderr)
    assert os.path.dirname(params) == os.path.dirname(plot) == str(tmp_path / "tmp")
    assert load_params(params).params["W2"].shape == (8, 10) and open(plot, "rb").read(8) == PNG_SIGNATURE


def test_a_broken_matplotlib_keeps_the_parameters_and_says_so(tmp_path, data_file):
    result = _run(tmp_path, data_file, [*FAST, "--save", "p.npz"],
                  snippet="import sys; sys.modules['matplotlib'] = None")
    assert result.returncode == 1
    [line] = _error_lines(result.stderr)
    assert "could not draw the plot" in line and "ModuleNotFoundError" in line
    assert load_params(tmp_path / "p.npz").params["W1"].shape == (8, 8)


def test_a_closed_stdout_does_not_stop_the_run_from_saving(tmp_path, data_file):
    (tmp_path / "tmp").mkdir()
    read_end, write_end = os.pipe()
    os.close(read_end)  # `... | head -0`: every print meets a closed pipe
    try:
        result = subprocess.run(_command(data_file, "", [*FAST, "--save", "p.npz", "--no-plot"]), cwd=tmp_path,
                                env=_env(tmp_path), stdout=write_end, stderr=subprocess.PIPE, text=True,
                                timeout=120)
    finally:
        os.close(write_end)
    assert result.returncode == 0 and not NOISE.search(result.stderr), result.stderr
    assert load_params(tmp_path / "p.npz").params["W1"].shape == (8, 8)


# A run with the progress bar (no --quiet): tqdm writes to stderr all along, numpy's warnings too.
WITH_BAR = ["--iters", "300", "--batch-size", "20", "--hidden", "8", "--save", "p.npz", "--plot", "c.png"]


def _run_with(tmp_path, data_file, args, **streams):
    (tmp_path / "tmp").mkdir(exist_ok=True)
    return subprocess.run(_command(data_file, "", args), cwd=tmp_path, env=_env(tmp_path), timeout=120, **streams)


def _assert_both_outputs(tmp_path):
    # loadable: nothing that went to "stderr" ended up inside them
    assert load_params(tmp_path / "p.npz").params["W1"].shape == (8, 8)
    assert (tmp_path / "c.png").read_bytes()[:8] == PNG_SIGNATURE
    assert _partials(tmp_path) == []


@pytest.mark.parametrize("closed", [[2], [1, 2]], ids=["2>&-", ">&- 2>&-"])
def test_a_closed_stderr_does_not_kill_the_finished_run(tmp_path, data_file, closed):
    def close():  # in the child, before it runs Python: what the shell's 2>&- does
        for fd in closed:
            os.close(fd)

    result = _run_with(tmp_path, data_file, WITH_BAR, preexec_fn=close,
                       stdout=None if 1 in closed else subprocess.PIPE, text=True)
    assert result.returncode == 0
    if 1 not in closed:
        assert "saved the trained parameters to p.npz" in result.stdout
    _assert_both_outputs(tmp_path)


@pytest.mark.parametrize("broken", ["stderr", "stdout and stderr"])
def test_a_broken_stderr_pipe_does_not_kill_the_finished_run(tmp_path, data_file, broken):
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader went away: every write meets EPIPE
    try:
        result = _run_with(tmp_path, data_file, WITH_BAR, stderr=write_end,
                           stdout=write_end if broken == "stdout and stderr" else subprocess.PIPE, text=True)
    finally:
        os.close(write_end)
    assert result.returncode == 0
    _assert_both_outputs(tmp_path)


@pytest.mark.parametrize("stream", ["stdout", "stderr"])
def test_a_full_disk_under_stdout_or_stderr_does_not_kill_the_finished_run(tmp_path, data_file, stream):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    with open("/dev/full", "w") as full:  # every write: ENOSPC
        streams = {"stdout": full, "stderr": subprocess.PIPE} if stream == "stdout" else \
            {"stdout": subprocess.PIPE, "stderr": full}
        result = _run_with(tmp_path, data_file, WITH_BAR, text=True, **streams)
    assert result.returncode == 0
    _assert_both_outputs(tmp_path)


def test_a_save_folder_that_became_unwritable_during_training_rescues_the_parameters(tmp_path, data_file):
    # As root a chmod cannot make a folder unwritable: the write's open() is refused instead,
    # as the kernel refuses it to a user, only for files in out/.
    (tmp_path / "out").mkdir()
    snippet = textwrap.dedent("""
        import builtins, training.outputs as o
        def refused_in_out(path, *args, **kwargs):
            if os.path.basename(os.path.dirname(os.path.abspath(path))) == "out":
                raise PermissionError(13, "Permission denied", path)
            return builtins.open(path, *args, **kwargs)
        o.open = refused_in_out
    """)
    result = _run(tmp_path, data_file, [*FAST, "--save", "out/p.npz", "--no-plot"], snippet=snippet)
    assert result.returncode == 1
    [line] = _error_lines(result.stderr)
    assert f"could not write the trained parameters to out/p.npz (permission denied in {tmp_path / 'out'})" in line
    [where] = _rescued(line)
    assert os.path.dirname(where) == str(tmp_path) and load_params(where).params["W1"].shape == (8, 8)
    assert os.listdir(tmp_path / "out") == []


def test_a_diverged_run_with_a_closed_stderr_still_exits_3(tmp_path, data_file):
    result = _run_with(tmp_path, data_file, [*WITH_BAR, "--lr", "1e30"], preexec_fn=lambda: os.close(2),
                       stdout=subprocess.PIPE, text=True)
    assert result.returncode == 3 and not (tmp_path / "p.npz").exists()
    assert "saved the accuracy and loss curves up to iteration" in result.stdout


def _in_removed_folder(tmp_path, data_file, args, snippet="raise SystemExit(99)"):
    """The script started in a folder that was removed after the shell entered it."""
    (tmp_path / "tmp").mkdir(exist_ok=True)
    work = tmp_path / "work"
    work.mkdir()
    script = 'cd "$1" && rmdir "$1" && shift && exec "$@"'
    return subprocess.run(["sh", "-c", script, "sh", str(work), *_command(data_file, snippet, args)],
                          env=_env(tmp_path), capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("args, flag", [(["--save", "p.npz", "--no-plot"], "argument --save"),
                                        (["--plot", "out/c.png"], "argument --plot"),
                                        ([], "the default plot train_accuracy.png")])
def test_a_relative_output_in_a_removed_current_folder_is_refused_before_training(tmp_path, data_file, args, flag):
    result = _in_removed_folder(tmp_path, data_file, args)
    # exit 2 from the flag check; 99 would mean load_mnist (the stand-in's snippet) was reached
    assert result.returncode == 2, result.stderr
    [line] = [ln for ln in result.stderr.splitlines() if ln.startswith("train_neuralnet.py: error:")]
    assert line.startswith(f"train_neuralnet.py: error: {flag}: the current folder no longer exists"), line
    assert "cd into an existing folder, or give an absolute path" in line
    assert result.stdout == "" and not NOISE.search(result.stderr)


def test_absolute_outputs_from_a_removed_current_folder_are_written(tmp_path, data_file):
    out = tmp_path / "out"
    out.mkdir()
    args = ["--iters", "20", "--batch-size", "20", "--hidden", "8", "--quiet",
            "--save", str(out / "p.npz"), "--plot", str(out / "c.png")]
    result = _in_removed_folder(tmp_path, data_file, args, snippet="")
    assert result.returncode == 0, result.stderr
    _assert_both_outputs(out)


def test_no_plot_does_not_check_the_unused_default_plot_path(tmp_path, monkeypatch, capsys, fake_mnist):
    (tmp_path / "train_accuracy.png").mkdir()  # the default path is a folder: only an error if it is used
    monkeypatch.chdir(tmp_path)
    train_neuralnet.main([*FAST, "--no-plot"])
    assert "final: train acc" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_info:
        train_neuralnet.main(FAST)
    assert exit_info.value.code == 2
    assert "the default plot train_accuracy.png: 'train_accuracy.png' is a directory" in capsys.readouterr().err


def test_mnist_not_available_is_one_error_and_exit_4_not_a_traceback(tmp_path, data_file):
    snippet = ("from dataset.errors import MnistUnavailableError\n"
               "raise MnistUnavailableError('MNIST is not available. Tried, in order: (the sources)')")
    result = _run(tmp_path, data_file, [*FAST, "--save", "p.npz"], snippet=snippet)
    assert result.returncode == 4
    assert result.stderr == ("train_neuralnet.py: error: could not load MNIST; nothing was trained. "
                             "MNIST is not available. Tried, in order: (the sources)\n")
    assert result.stdout == "" and sorted(os.listdir(tmp_path)) == ["tmp"]


@pytest.mark.timeout(60)
def test_a_fifo_as_the_mnist_cache_ends_the_real_script_at_once_with_exit_4(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    os.mkfifo(data / "mnist_cache.npz")  # hung the loader forever (issue 22)
    env = dict(_env(tmp_path), MNIST_DIR=str(data))
    (tmp_path / "tmp").mkdir()
    result = subprocess.run([sys.executable, train_neuralnet.__file__, "--quiet", "--no-plot"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=50)
    assert result.returncode == 4 and not NOISE.search(result.stderr), result.stderr
    assert (f"train_neuralnet.py: error: could not load MNIST; nothing was trained. MNIST: the cache "
            f"{data / 'mnist_cache.npz'} is a FIFO (named pipe), not a regular file") in result.stderr


# --- Ctrl-C, SIGTERM, kill -9 ---------------------------------------------------------------

def _start_long_run(tmp_path, data_file, args):
    (tmp_path / "tmp").mkdir(exist_ok=True)
    process = subprocess.Popen(_command(data_file, "", ["--iters", "100000000", "--batch-size", "20", "--hidden", "8",
                                                         "--quiet", *args]),
                               cwd=tmp_path, env=_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    first = process.stdout.readline()  # the first per-epoch line: training is under way
    assert re.fullmatch(r"\S+ \S+\n", first), (first, process.stderr.read() if process.poll() is not None else "")
    return process


@pytest.mark.parametrize("sig, code, name", [(signal.SIGINT, 130, "interrupted (Ctrl-C)"),
                                             (signal.SIGTERM, 143, "terminated (SIGTERM)")])
def test_a_signal_during_training_prints_one_line_and_leaves_nothing(tmp_path, data_file, sig, code, name):
    mine = tmp_path / "p.npz"
    mine.write_bytes(b"the previous run's parameters")
    process = _start_long_run(tmp_path, data_file, ["--save", "p.npz", "--overwrite", "--plot", "c.png"])
    process.send_signal(sig)
    _, err = process.communicate(timeout=60)
    assert process.returncode == code
    assert not NOISE.search(err) and len(err.strip().splitlines()) == 1, err
    assert re.fullmatch(rf"train_neuralnet\.py: {re.escape(name)} during training, after \d+ of 100000000 "
                        r"iterations; nothing was saved\n", err), err
    assert mine.read_bytes() == b"the previous run's parameters"
    assert sorted(os.listdir(tmp_path)) == ["p.npz", "tmp"]  # no plot, no partial


def test_ctrl_c_while_loading_says_so(tmp_path, data_file):
    result = _run(tmp_path, data_file, FAST, snippet="raise KeyboardInterrupt")
    assert result.returncode == 130
    assert result.stderr == "train_neuralnet.py: interrupted (Ctrl-C) while loading MNIST; nothing was saved\n"


def test_ctrl_c_while_saving_leaves_the_old_file_and_no_partial(tmp_path, data_file):
    mine = tmp_path / "p.npz"
    mine.write_bytes(b"the previous run's parameters")

    snippet = "def interrupted(*a, **k):\n    raise KeyboardInterrupt\nnp.savez = interrupted"
    result = _run(tmp_path, data_file, [*FAST, "--save", "p.npz", "--overwrite", "--no-plot"], snippet=snippet)
    assert result.returncode == 130
    assert result.stderr == ("train_neuralnet.py: interrupted (Ctrl-C) while saving the parameters to p.npz; "
                             "nothing was saved (p.npz is as it was)\n")
    assert mine.read_bytes() == b"the previous run's parameters" and _partials(tmp_path) == []


@pytest.mark.parametrize("stage", ["params", "plot"])
def test_sigterm_while_saving_leaves_the_old_file_and_no_partial(tmp_path, data_file, stage):
    old = {"params": b"the previous run's parameters", "plot": PNG_SIGNATURE + b"a good plot"}[stage]
    name = {"params": "p.npz", "plot": "c.png"}[stage]
    (tmp_path / name).write_bytes(old)
    args = {"params": ["--save", "p.npz", "--overwrite", "--no-plot"], "plot": ["--plot", "c.png"]}[stage]
    # os.fsync runs once the temporary file is fully written, just before the rename
    snippet = "os.fsync = lambda fd: os.kill(os.getpid(), signal.SIGTERM)"
    result = _run(tmp_path, data_file, [*FAST, *args], snippet=snippet)
    assert result.returncode == 143
    where = {"params": "while saving the parameters to p.npz; nothing was saved (p.npz is as it was)",
             "plot": "while writing the plot c.png; nothing was saved"}[stage]
    assert result.stderr == f"train_neuralnet.py: terminated (SIGTERM) {where}\n"
    assert (tmp_path / name).read_bytes() == old and _partials(tmp_path) == []


@pytest.mark.parametrize("target", ["params", "plot"])
def test_kill_9_in_the_middle_of_a_write_leaves_the_old_file_and_the_next_run_cleans_up(tmp_path, data_file, target):
    old = {"params": b"the previous run's parameters", "plot": PNG_SIGNATURE + b"a good plot"}[target]
    name = {"params": "p.npz", "plot": "c.png"}[target]
    (tmp_path / name).write_bytes(old)
    args = {"params": ["--save", "p.npz", "--overwrite", "--no-plot"], "plot": ["--plot", "c.png"]}[target]
    # os.fsync runs once the temporary file is fully written, just before the rename
    kill = "os.fsync = lambda fd: os.kill(os.getpid(), signal.SIGKILL)"
    killed = _run(tmp_path, data_file, [*FAST, *args], snippet=kill)
    assert killed.returncode == -signal.SIGKILL
    assert (tmp_path / name).read_bytes() == old  # not a 0-byte or half file
    [partial] = _partials(tmp_path)
    assert partial.startswith(f".{name}.")

    again = _run(tmp_path, data_file, [*FAST, *args])
    assert again.returncode == 0, again.stderr
    assert _partials(tmp_path) == []  # the killed run's temporary file is gone
    assert (tmp_path / name).read_bytes() != old


# --- in-process: the flags and the summary ----------------------------------------------------

@pytest.fixture
def fake_mnist(data_file, monkeypatch):
    """`import mnist` gives the synthetic data (one-hot when asked, as the real loader)."""
    import types

    def load_mnist(normalize=True, flatten=True, one_hot_label=False):
        with np.load(data_file) as f:
            x_train, t_train, x_test, t_test = (f[k] for k in ("x_train", "t_train", "x_test", "t_test"))
        if one_hot_label:
            t_train, t_test = (np.eye(10, dtype=np.float32)[t] for t in (t_train, t_test))
        return (x_train, t_train), (x_test, t_test)

    monkeypatch.setitem(sys.modules, "mnist", types.SimpleNamespace(load_mnist=load_mnist))


@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning",
                            "ignore:invalid value encountered:RuntimeWarning")  # numpy's own, as it diverges
def test_a_diverged_run_says_so_saves_no_nan_parameters_and_exits_3(tmp_path, monkeypatch, capsys, fake_mnist):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        train_neuralnet.main([*FAST, "--lr", "1e30", "--no-plot", "--save", "p.npz"])
    out, err = capsys.readouterr()
    assert exit_info.value.code == 3
    assert re.fullmatch(r"train_neuralnet\.py: error: training diverged at iteration \d+ of 20: the loss became "
                        r"(nan|inf) \(the last finite loss was \S+, at iteration \d+\); the learning rate is "
                        r"likely too large: try --lr 0\.1 \(the book's; this run's was 1e\+30\)\. Training "
                        r"stopped there, so there is no trained network; the parameters were not saved "
                        r"\(p\.npz is as it was\)\n", err), err
    assert "final:" not in out and os.listdir(tmp_path) == []


DIVERGED_LINE = re.compile(r"train_neuralnet\.py: error: training diverged at iteration (\d+) of 20: "
                           r"the loss became (nan|inf) \(the last finite loss was ([0-9.e+-]+), at iteration (\d+)\)")


def test_a_nan_loss_ends_the_real_run_there_keeping_the_users_file_and_plotting_the_run(tmp_path, data_file):
    mine = tmp_path / "p.npz"
    mine.write_bytes(b"a good run's parameters")
    result = _run(tmp_path, data_file, [*FAST, "--lr", "1e30", "--save", "p.npz", "--overwrite", "--plot", "c.png"])
    assert result.returncode == 3, result.stderr
    [line] = _error_lines(result.stderr)
    match = DIVERGED_LINE.match(line)
    assert match, line
    stopped, last_finite_at = int(match.group(1)), int(match.group(4))
    assert last_finite_at == stopped - 1 and float(match.group(3)) > 0
    assert line.endswith("the parameters were not saved (p.npz is as it was)"), line
    assert mine.read_bytes() == b"a good run's parameters"  # not replaced by nan weights, --overwrite or not
    # the plot of the run up to there: what shows where it went wrong
    assert f"saved the accuracy and loss curves up to iteration {stopped} to c.png" in result.stdout
    assert (tmp_path / "c.png").read_bytes()[:8] == PNG_SIGNATURE
    assert "final:" not in result.stdout and _partials(tmp_path) == []
    # stopped at once: one per-epoch line at most (iteration 0), not one per epoch of the 20 iterations
    assert len([ln for ln in result.stdout.splitlines() if re.fullmatch(r"\S+ \S+", ln)]) <= 1


def test_a_loss_that_rose_and_stayed_up_runs_to_the_end_saves_and_exits_3(tmp_path, data_file):
    # lr 3 on this data: the loss jumps to ~14 within 10 steps and is still ~9 at iteration 20 (finite)
    result = _run(tmp_path, data_file, [*FAST, "--lr", "3", "--save", "p.npz", "--plot", "c.png"])
    assert result.returncode == 3, result.stderr
    assert "final: train acc" in result.stdout and "saved the trained parameters to p.npz" in result.stdout
    assert load_params(tmp_path / "p.npz").params["W1"].shape == (8, 8)
    [line] = _error_lines(result.stderr)
    assert re.fullmatch(r"train_neuralnet\.py: error: training diverged: the loss rose from 2\.\d+ \(iteration 0\) "
                        r"to \S+ \(iteration \d+\) and did not come back down \(\S+ on average over the last 10 "
                        r"iterations\); the training accuracy is \S+, \S+ after the first iteration; the learning "
                        r"rate is likely too large: try --lr 0\.1 \(the book's; this run's was 3\)\. The outputs "
                        r"were written as asked \(see above\)", line), line


def test_help_says_when_training_stops_and_what_each_exit_status_means(capsys):
    with pytest.raises(SystemExit):
        cli.parse_args(["--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "training stops at the first iteration whose loss is not a finite number" in out
    assert "the parameters are not saved (a --save file stays as it was)" in out
    assert ("exit status: 0 done; 1 an output could not be written where asked (it was written beside, "
            "see the message); 2 a bad flag; 3 training diverged; 4 MNIST could not be loaded (the message says "
            "why and what to do); 5 out of memory (--hidden or --batch-size too large); 130 Ctrl-C; "
            "143 SIGTERM.") in out


def test_a_healthy_run_prints_no_warning(tmp_path, monkeypatch, capsys, fake_mnist):
    monkeypatch.chdir(tmp_path)
    train_neuralnet.main([*FAST, "--no-plot"])
    out, err = capsys.readouterr()
    assert err == "" and "final: train acc" in out


@pytest.mark.parametrize("flag, suffix", [("--save", ".npz"), ("--plot", ".png")])
def test_a_file_name_too_long_for_the_folder_is_a_flag_error_before_training(tmp_path, monkeypatch, capsys,
                                                                            flag, suffix):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setitem(sys.modules, "mnist", None)  # reaching `import mnist` would raise ImportError
    name = "x" * (os.pathconf(tmp_path, "PC_NAME_MAX") - len(suffix) + 1) + suffix
    with pytest.raises(SystemExit) as exit_info:
        train_neuralnet.main([flag, name])
    assert exit_info.value.code == 2
    assert f"argument {flag}: file name too long" in capsys.readouterr().err and os.listdir(tmp_path) == []


def _refused_before_loading(tmp_path, monkeypatch, capsys, args):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setitem(sys.modules, "mnist", None)  # reaching `import mnist` would raise ImportError
    with pytest.raises(SystemExit) as exit_info:
        train_neuralnet.main(args)
    assert exit_info.value.code == 2
    return capsys.readouterr().err


@pytest.mark.parametrize("flag, name", [("--save", "p.npz"), ("--plot", "c.png")])
def test_a_fifo_as_an_output_is_refused_before_training_and_kept(tmp_path, monkeypatch, capsys, flag, name):
    os.mkfifo(tmp_path / name)  # with --overwrite (or as the plot) it was replaced by the output
    err = _refused_before_loading(tmp_path, monkeypatch, capsys, [flag, name, "--overwrite"])
    assert f"argument {flag}: '{name}' is a FIFO (named pipe), not a file; choose another path" in err
    assert stat.S_ISFIFO(os.lstat(tmp_path / name).st_mode)


def test_a_link_to_a_device_as_the_plot_is_refused_before_training(tmp_path, monkeypatch, capsys):
    os.symlink(os.devnull, tmp_path / "c.png")
    err = _refused_before_loading(tmp_path, monkeypatch, capsys, ["--plot", "c.png"])
    assert f"argument --plot: 'c.png' (a link to '{os.devnull}') is a character device, not a file" in err
    assert os.readlink(tmp_path / "c.png") == os.devnull


def test_a_dangling_link_as_save_is_refused_before_training(tmp_path, monkeypatch, capsys):
    # it was trained, then "p.npz appeared during training" and the result went beside it
    os.symlink(tmp_path / "gone" / "p.npz", tmp_path / "p.npz")
    err = _refused_before_loading(tmp_path, monkeypatch, capsys, ["--save", "p.npz"])
    assert (f"argument --save: 'p.npz' is a symbolic link to '{tmp_path / 'gone' / 'p.npz'}', which does not "
            f"exist; remove the link or choose another path") in err
    assert sorted(os.listdir(tmp_path)) == ["p.npz"]


@pytest.mark.parametrize("through", ["its path", "a link"])
def test_save_onto_the_mnist_cache_is_refused_even_with_overwrite(tmp_path, monkeypatch, capsys, through):
    data = tmp_path / "data"
    data.mkdir()
    (data / "mnist_cache.npz").write_bytes(b"55 MB of verified MNIST")
    monkeypatch.setenv("MNIST_DIR", str(data))
    name = "data/mnist_cache.npz"
    if through == "a link":
        os.symlink(data / "mnist_cache.npz", tmp_path / "mine.npz")
        name = "mine.npz"
    err = _refused_before_loading(tmp_path, monkeypatch, capsys, ["--save", name, "--overwrite"])
    assert f"argument --save: '{name}' is the MNIST cache ({data / 'mnist_cache.npz'}); replacing it" in err
    assert (data / "mnist_cache.npz").read_bytes() == b"55 MB of verified MNIST"


def test_out_of_memory_is_one_error_and_exit_5_not_a_traceback(tmp_path, monkeypatch, capsys, fake_mnist):
    def train(*args, **kwargs):  # what numpy raises for --hidden 100000000 (584 GiB for W1)
        raise MemoryError("Unable to allocate 584. GiB for an array with shape (784, 100000000)")

    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        cli.main(train, ["--hidden", "100000000", "--quiet", "--save", "p.npz"])
    assert exit_info.value.code == 5
    assert capsys.readouterr().err == (
        "train_neuralnet.py: error: out of memory: Unable to allocate 584. GiB for an array with shape "
        "(784, 100000000); nothing was trained. Try a smaller --hidden (this run's: 100000000) or --batch-size "
        "(100)\n")
    assert os.listdir(tmp_path) == []


def test_a_first_loss_that_is_not_finite_does_not_blame_only_the_learning_rate(tmp_path, monkeypatch, capsys,
                                                                              fake_mnist):
    monkeypatch.setattr(train_neuralnet, "train_step", lambda *args: float("nan"))
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        train_neuralnet.main([*FAST, "--no-plot"])
    assert exit_info.value.code == 3
    assert capsys.readouterr().err == (
        "train_neuralnet.py: error: training diverged at iteration 0 of 20: the very first loss is nan. If "
        "train_step returns the loss after its update (as the book's does), the learning rate may still be too "
        "large: try a smaller --lr than 0.1, e.g. 0.01; if before (as the reference's does), the forward pass or "
        "the loss itself is not finite: check the layers and the loss. Training stopped there, so there is no "
        "trained network\n")


@pytest.mark.parametrize("char", ["y", "é", "학"])  # 1, 2 and 3 bytes in UTF-8
def test_the_longest_allowed_name_still_gets_a_temporary_file_and_a_rescue_name(tmp_path, char):
    name = char * ((os.pathconf(tmp_path, "PC_NAME_MAX") - 4) // len(char.encode())) + ".npz"
    save_params(_net(), tmp_path / name)
    assert os.listdir(tmp_path) == [name]
    where = rescue(tmp_path / name, lambda f: f.write(b"kept"))
    assert open(where, "rb").read() == b"kept" and os.path.dirname(where) == str(tmp_path)


# --- load_params: anything but save_params' .npz is a ValueError naming it; a FIFO never blocks ---

def _npy(path):
    with open(path, "wb") as f:
        np.save(f, np.zeros(3))


LOAD_FAULTS = {
    "a .npy": (_npy, r"load_params: \S+ holds one array \(a \.npy\), not the \.npz of W1, b1, W2, b2"),
    "not a zip": (lambda p: p.write_bytes(b"PK\x03\x04 garbage"),
                  r"load_params: \S+ is not a \.npz that save_params wrote \(BadZipFile: "),
    "empty": (lambda p: p.write_bytes(b""), r"load_params: \S+ is not a \.npz that save_params wrote \(EOFError: "),
    "FIFO": (os.mkfifo, r"load_params: \S+ is a FIFO \(named pipe\), not a regular file; load_params reads only files"),
    "link to /dev/zero": (lambda p: os.symlink("/dev/zero", p),
                          r"load_params: \S+ \(a link to /dev/zero\) is a character device, not a regular file"),
}


@pytest.mark.timeout(10)
@pytest.mark.parametrize("fault", LOAD_FAULTS)
def test_load_params_refuses_what_save_params_did_not_write(tmp_path, fault):
    make, message = LOAD_FAULTS[fault]
    path = tmp_path / "p.npz"
    make(path)
    with pytest.raises(ValueError, match=message):
        load_params(path)


def test_load_params_names_a_damaged_member(tmp_path):
    path = tmp_path / "p.npz"
    save_params(_net(), path)
    data = bytearray(path.read_bytes())
    data[200] ^= 0xFF  # inside W1's bytes: the zip's CRC check fails when W1 is read
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match=r"load_params: \S+: damaged \(BadZipFile: Bad CRC-32"):
        load_params(path)
