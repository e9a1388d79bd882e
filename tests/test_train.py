"""Section 5.7.4, training: train_step (the learner's exercise), train(), the CLI, the book's run.

Fast tests use a small synthetic data set (10 separable Gaussian blobs); the
CLI tests run the real script in a subprocess with that data put in place of
the `mnist` module (or with `mnist` made unimportable, to prove that a bad
flag fails before any data is touched). Only the tests marked `mnist` use
the real MNIST.

Targets are one-hot, as the book's train_neuralnet.py loads them
(load_mnist(one_hot_label=True)): a SoftmaxWithLoss written as the book prints
it, dx = (y - t) / batch_size, handles only those. Label targets are an extra
of the reference; the tests that use them carry the note "label-targets".
The command line's output failures are tried in test_train_outputs.py.
"""
import copy
import os
from contextlib import nullcontext
import re
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import layer_checks as lc
import train_neuralnet
from extras import crash_is_absent
from tolerances import (BOOK_RUN_FINAL_MIN_TEST_ACC, BOOK_RUN_FINAL_MIN_TRAIN_ACC, BOOK_RUN_FIRST_EPOCH_MAX_ACC,
                        BOOK_RUN_SECOND_EPOCH_MIN_ACC, SGD_STEP, SYNTHETIC_TRAIN_MIN_ACC)
from train_neuralnet import train, train_step
from training.monitor import Diverged, History, collapse
from training.outputs import load_params, plot_history, save_params
from two_layer_net import PARAM_NAMES, TwoLayerNet

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
EPOCH_LINE = re.compile(r"^(\S+) (\S+)$")  # print(train_acc, test_acc)
# Small enough for milliseconds, large enough that an epoch has several batches.
N_TRAIN, N_TEST, DIM, CLASSES = 600, 200, 20, 10
SMALL = dict(iters_num=120, batch_size=20, learning_rate=0.1, hidden_size=16)  # 30 iterations per epoch


def _synthetic_data(seed=7):
    """10 Gaussian blobs in DIM dimensions, centres far apart: a net learns them in ~100 steps.

    Returns float64 x_train (N_TRAIN, DIM), uint8 labels t_train (N_TRAIN,), x_test, t_test.
    """
    rng = np.random.default_rng(seed)
    centres = 3.0 * rng.standard_normal((CLASSES, DIM))

    def split(n):
        t = rng.integers(0, CLASSES, n).astype(np.uint8)  # uint8 like MNIST's labels
        return centres[t] + rng.standard_normal((n, DIM)), t

    return (*split(N_TRAIN), *split(N_TEST))


def _one_hot(labels):
    """(N,) labels -> (N, CLASSES) float32 one-hot rows, as load_mnist(one_hot_label=True) gives."""
    return np.eye(CLASSES, dtype=np.float32)[labels]


@pytest.fixture(scope="module")
def data():
    """x_train, one-hot t_train, x_test, one-hot t_test: the book's kind of targets."""
    x_train, t_train, x_test, t_test = _synthetic_data()
    return x_train, _one_hot(t_train), x_test, _one_hot(t_test)


@pytest.fixture(scope="module")
def label_data():
    """The same data with (N,) integer labels (an extra of the reference: note "label-targets")."""
    return _synthetic_data()


# --- train_step: the learner's exercise ---------------------------------------------

def _step_case(targets, seed=3):
    rng = np.random.default_rng(seed)
    # std 0.5 (not the book's 0.01): every gradient is of order 0.1, so a step
    # moves every parameter by much more than the comparison's tolerance.
    net = lc.book_net(TwoLayerNet, DIM, 8, CLASSES, rng)  # the book's signature: a pasted class works
    x = rng.standard_normal((12, DIM))
    labels = rng.integers(0, CLASSES, 12)
    t = labels if targets == "labels" else np.eye(CLASSES)[labels]
    return net, x, t


def _forward(params, x):
    """relu(x W1 + b1) W2 + b2, written out: the oracle for what the layers compute."""
    return np.maximum(x @ params["W1"] + params["b1"], 0) @ params["W2"] + params["b2"]


@pytest.mark.exercise("5.7.4")
@pytest.mark.parametrize("targets", [pytest.param("labels", marks=pytest.mark.note("label-targets")), "one-hot"])
@pytest.mark.parametrize("lr", [0.1, 0.037])
def test_train_step_moves_params_in_place_by_minus_lr_times_gradient(targets, lr):
    """params -= lr * grad exactly, in place, the layers see the new weights; the loss returned
    is the batch's loss either before the update (network.lastLayer.loss, from gradient()'s
    forward pass) or after it (the book's `loss = network.loss(x_batch, t_batch)` after the
    update): both are accepted, and nothing else is. With labels (an extra), a network whose
    SoftmaxWithLoss takes one-hot targets only fails as the book's does: a note."""
    with crash_is_absent("label-targets", "train_step with labels t of shape (N,)") if targets == "labels" \
            else nullcontext():
        _train_step_moves_params(targets, lr)


def _train_step_moves_params(targets, lr):
    net, x, t = _step_case(targets)
    x_before, t_before = x.copy(), t.copy()
    before = {key: net.params[key].copy() for key in PARAM_NAMES}
    arrays = {key: net.params[key] for key in PARAM_NAMES}
    # The expectation comes from a copy, before the step: gradients and loss
    # of TwoLayerNet (exercise 5.7.2), not anything train_step computes.
    oracle = copy.deepcopy(net)
    expected_loss = oracle.loss(x, t)
    grads = {key: g.copy() for key, g in oracle.gradient(x, t).items()}
    expected = {key: before[key] - lr * grads[key] for key in PARAM_NAMES}
    for key in PARAM_NAMES:  # the step is far larger than the tolerance: this test can fail
        assert np.min(np.abs(expected[key] - before[key])[grads[key] != 0]) > 1e3 * SGD_STEP.atol
    for key in PARAM_NAMES:  # the oracle takes the expected step: its loss is the loss after it
        oracle.params[key][...] = expected[key]
    expected_loss_after = oracle.loss(x, t)
    # the two accepted losses differ by far more than the tolerance: a third value cannot pass
    assert abs(expected_loss_after - expected_loss) > 1e6 * SGD_STEP.atol + SGD_STEP.rtol * expected_loss

    loss = train_step(net, x, t, lr)

    for key in PARAM_NAMES:
        assert net.params[key] is arrays[key], (
            f"params['{key}'] is a new array: update it in place (-=), the Affine layers hold the old one")
        np.testing.assert_allclose(net.params[key], expected[key], rtol=SGD_STEP.rtol, atol=SGD_STEP.atol,
                                   err_msg=f"params['{key}'] after one step is not params - lr * grad")
    # the layers compute with the updated weights
    np.testing.assert_allclose(net.predict(x), _forward(expected, x), rtol=SGD_STEP.rtol, atol=SGD_STEP.atol)
    assert net.layers["Affine1"].W is net.params["W1"] and net.layers["Affine2"].b is net.params["b2"]
    # the loss returned is the batch's loss before the update, or after it (the book's)
    assert np.ndim(loss) == 0, f"train_step should return the loss as a number, got {type(loss).__name__}"
    close = [np.isclose(float(loss), value, rtol=SGD_STEP.rtol, atol=SGD_STEP.atol)
             for value in (expected_loss, expected_loss_after)]
    assert any(close), (f"train_step returned {float(loss)!r}: neither the batch loss before the update "
                        f"({expected_loss!r}) nor after it ({expected_loss_after!r})")
    np.testing.assert_array_equal(x, x_before)  # the batch itself is not touched
    np.testing.assert_array_equal(t, t_before)


@pytest.mark.exercise("5.7.4")
def test_train_step_with_a_small_rate_lowers_the_batch_loss():
    net, x, t = _step_case("one-hot")
    first = train_step(net, x, t, 0.01)
    second = train_step(net, x, t, 0.01)  # one update later than first (whether taken before or after it)
    assert second < first


# float32 networks are the reference's extra (TwoLayerNet(dtype=...)); the book's are float64
def test_train_step_works_in_float32():
    net, x, t = _step_case("one-hot")  # float64 one-hot rows, a float32 network: params stay float32
    net32 = TwoLayerNet(DIM, 8, CLASSES, seed=0, dtype=np.float32)
    train_step(net32, x.astype(np.float32), t, 0.1)
    assert all(net32.params[key].dtype == np.float32 for key in PARAM_NAMES)


# --- train(): the loop around train_step ---------------------------------------------

@pytest.mark.exercise("5.7.4")
def test_train_evaluates_once_per_epoch_and_learns(data):
    lines = []
    net, history = train(*data, **SMALL, log=lines.append)

    per_epoch = N_TRAIN // SMALL["batch_size"]
    assert history.iterations == list(range(0, SMALL["iters_num"], per_epoch))
    assert len(history.train_acc) == len(history.test_acc) == len(lines) == len(history.iterations)
    assert lines == [f"{a} {b}" for a, b in zip(history.train_acc, history.test_acc)]
    assert history.loss.shape == (SMALL["iters_num"],) and np.all(np.isfinite(history.loss))
    assert history.final_test_acc >= SYNTHETIC_TRAIN_MIN_ACC
    assert history.train_acc[0] < SYNTHETIC_TRAIN_MIN_ACC  # it learned during training, not by chance
    assert history.final_test_acc == net.accuracy(data[2].astype(np.float32), data[3])
    assert history.seconds > history.eval_seconds > 0


@pytest.mark.exercise("5.7.4")
def test_train_runs_the_modules_train_step_every_iteration(data, monkeypatch):
    """The learner's train_step is what trains: train() looks it up in the module."""
    calls = []

    def counting_step(network, x_batch, t_batch, learning_rate):
        calls.append((x_batch.shape, learning_rate))
        return train_step(network, x_batch, t_batch, learning_rate)

    monkeypatch.setattr(train_neuralnet, "train_step", counting_step)
    train(*data, **SMALL, log=None)
    assert calls == [((SMALL["batch_size"], DIM), SMALL["learning_rate"])] * SMALL["iters_num"]


@pytest.mark.exercise("5.7.4")
def test_the_loss_history_is_what_train_step_returned(data, monkeypatch):
    returned = []

    def recording_step(*args):
        returned.append(float(train_step(*args)))
        return returned[-1]

    monkeypatch.setattr(train_neuralnet, "train_step", recording_step)
    _, history = train(*data, **SMALL, log=None)
    np.testing.assert_array_equal(history.loss, returned)


@pytest.mark.exercise("5.7.4")
def test_same_seed_same_numbers_other_seed_other_numbers(data):
    _, first = train(*data, **SMALL, seed=1, log=None)
    _, again = train(*data, **SMALL, seed=1, log=None)
    _, other = train(*data, **SMALL, seed=2, log=None)

    np.testing.assert_array_equal(again.loss, first.loss)
    assert (again.train_acc, again.test_acc) == (first.train_acc, first.test_acc)
    assert not np.array_equal(other.loss, first.loss)


# float32 is the reference's extra: only float64 (the book's) is the learner's exercise
FLOAT64_IS_THE_BOOKS = [pytest.param(np.float32, id="float32"),
                        pytest.param(np.float64, id="float64", marks=pytest.mark.exercise("5.7.4"))]


@pytest.mark.parametrize("dtype", FLOAT64_IS_THE_BOOKS)
def test_train_uses_the_requested_dtype(data, dtype):
    net, history = train(*data, **dict(SMALL, iters_num=30), dtype=dtype, log=None)
    assert {net.params[key].dtype for key in PARAM_NAMES} == {np.dtype(dtype)}
    assert history.final_train_acc > history.train_acc[0]


@pytest.mark.exercise("5.7.4")
@pytest.mark.note("label-targets")
def test_one_hot_targets_train_like_labels(label_data):
    x_train, t_train, x_test, t_test = label_data
    with crash_is_absent("label-targets", "train() with labels t of shape (N,)"):
        _, labels = train(*label_data, **SMALL, dtype=np.float64, log=None)
    eye = np.eye(CLASSES)
    _, one_hot = train(x_train, eye[t_train], x_test, eye[t_test], **SMALL, dtype=np.float64, log=None)
    assert one_hot.train_acc == labels.train_acc and one_hot.test_acc == labels.test_acc
    np.testing.assert_allclose(one_hot.loss, labels.loss, rtol=SGD_STEP.rtol, atol=SGD_STEP.atol)


@pytest.mark.parametrize("change, message", [
    (dict(iters_num=0), "iters_num must be an integer >= 1"),
    (dict(iters_num=2.5), "iters_num must be an integer >= 1"),
    (dict(batch_size=0), "batch_size must be an integer >= 1"),
    (dict(batch_size=N_TRAIN + 1), f"batch_size must be at most the {N_TRAIN} training samples"),
    (dict(learning_rate=0.0), "learning_rate must be a finite number > 0"),
    (dict(learning_rate=float("nan")), "learning_rate must be a finite number > 0"),
    (dict(hidden_size=0), "hidden_size must be an integer >= 1"),
])
def test_train_rejects_bad_arguments_before_training(data, change, message, monkeypatch):
    monkeypatch.setattr(train_neuralnet, "train_step", lambda *a: pytest.fail("trained despite a bad argument"))
    with pytest.raises(ValueError, match=re.escape(message)):
        train(*data, **dict(SMALL, **change), log=None)


@pytest.mark.parametrize("returned", [None, np.array([2.3, 2.1]), "2.3", {"loss": 2.3}],
                         ids=["None", "array", "text", "dict"])
def test_a_train_step_that_returns_no_number_is_named_at_the_first_iteration(data, monkeypatch, returned):
    calls = []

    def step(*args):
        calls.append(1)
        return returned

    monkeypatch.setattr(train_neuralnet, "train_step", step)
    with pytest.raises(TypeError, match=r"train_step must return the batch loss as a number"):
        train(*data, **SMALL, log=None)
    assert len(calls) == 1  # stopped at once, not after the whole run


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")], ids=["nan", "inf", "-inf"])
def test_a_loss_that_is_not_finite_stops_train_there_with_the_run_so_far(data, monkeypatch, bad):
    real_step, returned = train_neuralnet.train_step, []

    def step(*args):  # the real step five times, then a loss that is not finite
        returned.append(real_step(*args) if len(returned) < 5 else bad)
        return returned[-1]

    monkeypatch.setattr(train_neuralnet, "train_step", step)
    with pytest.raises(Diverged) as info:
        train(*data, **SMALL, log=None)
    diverged = info.value
    assert len(returned) == 6  # stopped at the first one: nothing useful follows it
    assert diverged.iteration == 5 and str(diverged.loss) == str(bad)  # nan != nan
    assert diverged.last_finite == (4, float(returned[4]))
    np.testing.assert_array_equal(diverged.history.loss, np.array(returned, dtype=float))
    assert diverged.history.iterations == [0] and len(diverged.history.train_acc) == 1  # the epoch at 0 ran
    assert str(diverged) == (f"training diverged: the loss became {bad} at iteration 5 "
                             f"(the last finite loss was {float(returned[4]):.4g} at iteration 4)")


@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning",
                            "ignore:invalid value encountered:RuntimeWarning")  # numpy's own, as it diverges
def test_a_learning_rate_far_too_large_stops_train_at_its_first_nan(data):
    with pytest.raises(Diverged) as info:
        train(*data, **dict(SMALL, learning_rate=1e30), log=None)
    history = info.value.history
    assert not np.isfinite(info.value.loss) and len(history.loss) == info.value.iteration + 1 < SMALL["iters_num"]
    assert np.all(np.isfinite(history.loss[:-1])) and not np.isfinite(history.loss[-1])


def _history(loss, train_acc, final_train_acc):
    return History(iterations=list(range(len(train_acc))), train_acc=train_acc, test_acc=train_acc,
                   loss=np.array(loss, dtype=float), final_train_acc=final_train_acc,
                   final_test_acc=final_train_acc, seconds=1.0, eval_seconds=0.1)


# 100 iterations: the last 10 are the end's window
COLLAPSES = {
    "healthy": ([2.3] + [2.3 - 0.02 * i for i in range(1, 100)], [0.1, 0.9], 0.95, None),
    "slow (lr too small)": ([2.3] * 100, [0.1, 0.12], 0.13, None),
    "overshot, recovered": ([2.3, 9.0] + [0.5] * 98, [0.1, 0.9], 0.9, None),
    "overshot, stuck at chance": ([2.3, 9.0] + [2.3] * 98, [0.1, 0.1], 0.104,
                                  "the loss rose from 2.3 (iteration 0) to 9 (iteration 1) and did not come back down "
                                  "(2.3 on average over the last 10 iterations); the training accuracy is 0.1040, "
                                  "0.1000 after the first iteration"),
    "overshot, stuck high": ([2.3] + [14.0] * 99, [0.14, 0.1], 0.09,
                             "the loss rose from 2.3 (iteration 0) to 14 (iteration 1) and did not come back down "
                             "(14 on average over the last 10 iterations); the training accuracy is 0.0900, "
                             "0.1400 after the first iteration"),
    "overshot, stuck, but learned": ([2.3, 4.0] + [2.2] * 98, [0.1, 0.5], 0.58, None),
    "just below the overshoot": ([2.3, 3.44] + [2.3] * 98, [0.1, 0.1], 0.1, None),
    "ended just below the recovery bar": ([2.3, 9.0] + [2.3] * 88 + [2.06] * 10, [0.1, 0.1], 0.1, None),
}


@pytest.mark.parametrize("case", COLLAPSES)
def test_collapse_names_a_run_that_overshot_and_never_learned_and_nothing_else(case):
    loss, train_acc, final, expected = COLLAPSES[case]
    assert collapse(_history(loss, train_acc, final)) == expected


def test_train_rejects_mismatched_data(data):
    x_train, t_train, x_test, t_test = data
    with pytest.raises(ValueError, match=r"x_train of shape \(N, D\) and t_train of length N"):
        train(x_train, t_train[:-1], x_test, t_test, **SMALL, log=None)
    with pytest.raises(ValueError, match="values per sample"):
        train(x_train, t_train, x_test[:, :-1], t_test, **SMALL, log=None)


@pytest.mark.exercise("5.7.4")
def test_progress_bar_goes_to_stderr_and_lines_to_stdout(data, capsys):
    train(*data, **SMALL, progress=True)
    out, err = capsys.readouterr()
    assert [EPOCH_LINE.match(line) is not None for line in out.splitlines()] == [True] * 4
    assert f"{SMALL['iters_num']}/{SMALL['iters_num']}" in err and "loss=" in err

    train(*data, **SMALL, progress=False)
    out_quiet, err_quiet = capsys.readouterr()
    assert err_quiet == "" and out_quiet == out


# --- saving, loading, plotting ---------------------------------------------------------

@pytest.fixture
def untrained():
    """A network and a History made without train(): these tests need no train_step."""
    net = TwoLayerNet(DIM, 16, CLASSES, seed=4, dtype=np.float32)
    epochs = 5
    history = History(
        iterations=list(range(0, 150, 30)), train_acc=list(np.linspace(0.1, 0.9, epochs)),
        test_acc=list(np.linspace(0.1, 0.85, epochs)), loss=np.geomspace(2.3, 0.1, 150),
        final_train_acc=0.9, final_test_acc=0.85, seconds=1.0, eval_seconds=0.1)
    return net, history


@pytest.mark.parametrize("dtype", FLOAT64_IS_THE_BOOKS)
def test_saved_params_load_back_into_an_equal_network(data, tmp_path, dtype):
    x_train, t_train, x_test, t_test = data
    net, history = train(*data, **SMALL, dtype=dtype, log=None)
    path = tmp_path / "params.npz"
    save_params(net, path)

    with np.load(path, allow_pickle=False) as saved:  # plain arrays, no pickle needed
        assert sorted(saved.files) == sorted(PARAM_NAMES)
    loaded = load_params(path)
    for key in PARAM_NAMES:
        assert loaded.params[key].dtype == np.dtype(dtype)
        np.testing.assert_array_equal(loaded.params[key], net.params[key])
    x_test = x_test.astype(dtype)
    assert loaded.accuracy(x_test, t_test) == net.accuracy(x_test, t_test) == history.final_test_acc
    np.testing.assert_array_equal(loaded.predict(x_test), net.predict(x_test))  # the layers use them
    assert os.listdir(tmp_path) == ["params.npz"]  # no partial file left behind


def test_save_params_does_not_replace_a_file_unless_asked(untrained, tmp_path):
    net, _ = untrained
    path = tmp_path / "mine.npz"
    path.write_bytes(b"a user's file")
    with pytest.raises(FileExistsError, match="overwrite=True"):
        save_params(net, path)
    assert path.read_bytes() == b"a user's file"
    save_params(net, path, overwrite=True)
    np.testing.assert_array_equal(load_params(path).params["W2"], net.params["W2"])


def test_load_params_names_what_is_missing(tmp_path):
    path = tmp_path / "partial.npz"
    np.savez(path, W1=np.zeros((3, 2)), b1=np.zeros(2))
    with pytest.raises(ValueError, match="lacks W2, b2"):
        load_params(path)
    np.savez(path, W1=np.zeros((3, 2)), b1=np.zeros(2), W2=np.zeros((5, 4)), b2=np.zeros(4))
    with pytest.raises(ValueError, match=r"expected W2 of shape \(2, 4\)"):
        load_params(path)


def _assert_png(path):
    assert path.read_bytes()[:8] == PNG_SIGNATURE
    from matplotlib.image import imread
    from PIL import Image

    pixels = imread(path)
    assert pixels.ndim == 3 and pixels.shape[0] > 100 and pixels.shape[1] > 100
    with Image.open(path) as image:
        image.verify()
        assert image.format == "PNG"


def test_plot_history_writes_a_png(untrained, tmp_path):
    _, history = untrained
    path = tmp_path / "curves.png"
    plot_history(history, path)
    _assert_png(path)


# --- the command line ----------------------------------------------------------------

# Runs train_neuralnet.py as __main__ with a stand-in for the `mnist` module:
# "none" makes `import mnist` fail (a bad flag must be rejected before it),
# a path to an .npz serves that file's arrays as load_mnist()'s result.
RUNNER = textwrap.dedent("""
    import runpy, sys, types
    import numpy as np
    script, data = sys.argv[1], sys.argv[2]
    if data == "none":
        sys.modules["mnist"] = None
    else:
        def load_mnist(normalize=True, flatten=True, one_hot_label=False):
            with np.load(data) as f:
                t_train, t_test = f["t_train"], f["t_test"]
                if one_hot_label:
                    t_train, t_test = (np.eye(10, dtype=np.float32)[t] for t in (t_train, t_test))
                return (f["x_train"], t_train), (f["x_test"], t_test)
        sys.modules["mnist"] = types.SimpleNamespace(load_mnist=load_mnist)
    sys.argv = [script] + sys.argv[3:]
    runpy.run_path(script, run_name="__main__")
""")


def _run(args, cwd, data="none", timeout=120):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p), OMP_NUM_THREADS="1")
    return subprocess.run([sys.executable, "-c", RUNNER, train_neuralnet.__file__, str(data), *args],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def data_file(label_data, tmp_path):
    """An .npz of the synthetic data with labels, as MNIST's files hold them (the fake converts)."""
    x_train, t_train, x_test, t_test = label_data
    path = tmp_path / "synthetic.npz"
    np.savez(path, x_train=x_train.astype(np.float32), t_train=t_train,
             x_test=x_test.astype(np.float32), t_test=t_test)
    return path


def test_help_documents_every_flag(tmp_path):
    result = _run(["--help"], tmp_path)
    assert result.returncode == 0, result.stderr
    for flag in ("--iters", "--batch-size", "--lr", "--hidden", "--seed", "--dtype", "--plot", "--no-plot",
                 "--save", "--overwrite", "--quiet"):
        assert flag in result.stdout
    assert "float32" in result.stdout and "float64" in result.stdout


BAD_FLAGS = [
    (["--iters", "-5"], "argument --iters: expected an integer >= 1, got -5"),
    (["--iters", "0"], "argument --iters: expected an integer >= 1, got 0"),
    (["--iters", "1e4"], "argument --iters: expected an integer, got '1e4'"),
    (["--batch-size", "0"], "argument --batch-size: expected an integer between 1 and 60000"),
    (["--batch-size", "60001"], "argument --batch-size: expected an integer between 1 and 60000"),
    (["--lr", "0"], "argument --lr: expected a finite number > 0, got 0"),
    (["--lr", "-0.1"], "argument --lr: expected a finite number > 0, got -0.1"),
    (["--lr", "nan"], "argument --lr: expected a finite number > 0, got nan"),
    (["--lr", "fast"], "argument --lr: expected a number, got 'fast'"),
    (["--hidden", "0"], "argument --hidden: expected an integer >= 1, got 0"),
    (["--seed", "-1"], "argument --seed: expected an integer >= 0, got -1"),
    (["--dtype", "float16"], "argument --dtype: invalid choice: 'float16'"),
    (["--plot", "curves.jpg"], "argument --plot: expected a file name ending in .png"),
    (["--plot", "no_such_dir/curves.png"], "argument --plot: directory 'no_such_dir' does not exist"),
    (["--save", "params.pkl"], "argument --save: expected a file name ending in .npz"),
    (["--save", "no_such_dir/params.npz"], "argument --save: directory 'no_such_dir' does not exist"),
    (["--save", "a_dir.npz"], "argument --save: 'a_dir.npz' is a directory"),
    (["--plot", "curves.png", "--no-plot"], "argument --no-plot: not allowed with argument --plot"),
    (["--bogus"], "unrecognized arguments: --bogus"),
]


@pytest.mark.parametrize("args, message", BAD_FLAGS)
def test_a_bad_flag_is_an_argparse_error_before_any_data_is_loaded(tmp_path, monkeypatch, capsys, args, message):
    """In-process (fast) through main(); the subprocess test below checks the real exit code."""
    (tmp_path / "a_dir.npz").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setitem(sys.modules, "mnist", None)  # reaching `import mnist` would raise ImportError
    with pytest.raises(SystemExit) as exit_info:
        train_neuralnet.main(args)
    out, err = capsys.readouterr()
    assert exit_info.value.code == 2 and message in err and out == ""
    assert os.listdir(tmp_path) == ["a_dir.npz"]  # nothing written


@pytest.mark.parametrize("args, message", [BAD_FLAGS[0], BAD_FLAGS[15]])
def test_the_script_exits_2_on_a_bad_flag_without_touching_data(tmp_path, args, message):
    result = _run(args, tmp_path)  # `import mnist` would fail: exit 1 with a traceback
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == "" and os.listdir(tmp_path) == []


def test_save_does_not_replace_an_existing_file_without_overwrite(tmp_path):
    mine = tmp_path / "params.npz"
    mine.write_bytes(b"trained for hours")
    result = _run(["--save", "params.npz"], tmp_path)
    assert result.returncode == 2 and "exists; choose another path or add --overwrite" in result.stderr
    assert mine.read_bytes() == b"trained for hours"


@pytest.mark.exercise("5.7.4")
def test_save_with_overwrite_replaces_the_file(tmp_path, data_file):
    mine = tmp_path / "params.npz"
    mine.write_bytes(b"an old run")
    result = _run(["--iters", "5", "--quiet", "--save", "params.npz", "--overwrite"], tmp_path, data_file)
    assert result.returncode == 0, result.stderr
    assert sorted(load_params(mine).params) == sorted(PARAM_NAMES)


def _epoch_lines(stdout):
    lines = [line for line in stdout.splitlines() if EPOCH_LINE.match(line)]
    for line in lines:  # each is "train_acc test_acc", both in [0, 1]
        assert all(0.0 <= float(value) <= 1.0 for value in line.split()), line
    return lines


@pytest.mark.exercise("5.7.4")
def test_cli_prints_the_books_lines_and_a_summary_and_saves_plot_and_params(tmp_path, data_file):
    args = ["--iters", "100", "--batch-size", "20", "--hidden", "16", "--seed", "3"]
    result = _run([*args, "--plot", "out.png", "--save", "params.npz"], tmp_path, data_file)
    assert result.returncode == 0, result.stderr

    assert len(_epoch_lines(result.stdout)) == 4  # iterations 0, 30, 60, 90
    final = re.search(r"final: train acc (\S+), test acc (\S+) after 100 iterations", result.stdout)
    assert final, result.stdout
    assert re.search(r"time: \S+ s for 100 iterations \(\d+ it/s, float32\)", result.stdout)
    assert "saved the accuracy and loss curves to out.png" in result.stdout
    assert "saved the trained parameters to params.npz" in result.stdout
    # the progress bar is on stderr and finished; stdout has no bar
    assert "100/100" in result.stderr and "loss=" in result.stderr and "it/s]" not in result.stdout

    _assert_png(tmp_path / "out.png")
    loaded = load_params(tmp_path / "params.npz")
    _, _, x_test, t_test = _synthetic_data()
    assert f"{loaded.accuracy(x_test.astype(np.float32), t_test):.4f}" == final.group(2)

    (tmp_path / "quiet").mkdir()
    quiet = _run([*args, "--quiet", "--no-plot"], tmp_path / "quiet", data_file)  # same seed: same lines
    assert quiet.returncode == 0 and quiet.stderr == ""  # no bar
    assert _epoch_lines(quiet.stdout) == _epoch_lines(result.stdout)
    assert re.search(r"final: .*", quiet.stdout).group() == final.group()
    assert "saved the accuracy" not in quiet.stdout and os.listdir(tmp_path / "quiet") == []  # no plot


# --- the book's run on the real MNIST ---------------------------------------------------

@pytest.fixture(scope="module")
def mnist_one_hot():
    from mnist import load_mnist
    return load_mnist(normalize=True, flatten=True, one_hot_label=True)  # as the book's script


@pytest.mark.mnist
@pytest.mark.slow
@pytest.mark.exercise("5.7.4")
def test_the_books_training_run_reaches_the_books_accuracy(mnist_one_hot):
    """10000 iterations, batch 100, lr 0.1, 50 hidden units, one-hot targets; accuracy on the full sets per epoch."""
    (x_train, t_train), (x_test, t_test) = mnist_one_hot
    lines = []
    net, history = train(x_train, t_train, x_test, t_test, iters_num=10000, batch_size=100,
                         learning_rate=0.1, hidden_size=50, seed=0, log=lines.append)

    print("\n".join(lines))  # shown with -s: compare with the book
    assert len(lines) == 17 and history.iterations == list(range(0, 10000, 600))
    assert max(history.train_acc[0], history.test_acc[0]) < BOOK_RUN_FIRST_EPOCH_MAX_ACC
    assert min(history.train_acc[1], history.test_acc[1]) >= BOOK_RUN_SECOND_EPOCH_MIN_ACC
    assert history.train_acc[-1] >= BOOK_RUN_FINAL_MIN_TRAIN_ACC, lines
    assert history.test_acc[-1] >= BOOK_RUN_FINAL_MIN_TEST_ACC, lines
    assert history.final_test_acc >= BOOK_RUN_FINAL_MIN_TEST_ACC


@pytest.mark.mnist
@pytest.mark.exercise("5.7.4")
def test_cli_short_run_on_mnist(tmp_path):
    """The real script with the real `mnist` module: 50 iterations, one evaluation, then the summary."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p), OMP_NUM_THREADS="1")
    result = subprocess.run([sys.executable, train_neuralnet.__file__, "--iters", "50", "--quiet",
                             "--plot", "short.png", "--save", "short.npz"],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert len(_epoch_lines(result.stdout)) == 1
    assert "final: train acc" in result.stdout and "after 50 iterations" in result.stdout
    _assert_png(tmp_path / "short.png")
    assert load_params(tmp_path / "short.npz").params["W1"].shape == (784, 50)


@pytest.mark.mnist
def test_cli_on_mnist_with_the_issues_learning_rate_says_it_diverged_and_exits_3(tmp_path):
    """`python train_neuralnet.py --lr 1e4` ended with exit 0 and no word (issue 22)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p), OMP_NUM_THREADS="1")
    result = subprocess.run([sys.executable, train_neuralnet.__file__, "--lr", "1e4", "--iters", "300", "--quiet",
                             "--no-plot"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 3, (result.stdout, result.stderr)
    assert "train_neuralnet.py: error: training diverged" in result.stderr
    assert "the learning rate is likely too large: try --lr 0.1" in result.stderr


# --- the book's TwoLayerNet class (a learner's, pasted) trains and loads too ------------------

class _BookStyleNet:
    """The book's constructor and structure (section 5.7.2): no seed=, no dtype=, np.random.randn."""

    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01):
        reference = TwoLayerNet(input_size, hidden_size, output_size, weight_init_std)
        self.params, self.layers, self.lastLayer = reference.params, reference.layers, reference.lastLayer
        self.predict, self.loss, self.accuracy, self.gradient = (reference.predict, reference.loss,
                                                                 reference.accuracy, reference.gradient)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_make_network_builds_the_books_class_from_the_seed_in_the_dtype(dtype):
    from training.network import make_network

    first = make_network(_BookStyleNet, DIM, 8, CLASSES, 5, dtype)
    again = make_network(_BookStyleNet, DIM, 8, CLASSES, 5, dtype)
    for key in PARAM_NAMES:
        assert first.params[key].dtype == np.dtype(dtype)
        np.testing.assert_array_equal(first.params[key], again.params[key])
    # the layers compute with the very arrays in params (in place, or handed over for another dtype)
    assert first.layers["Affine1"].W is first.params["W1"] and first.layers["Affine2"].b is first.params["b2"]
    # the same weights as the reference's TwoLayerNet from the same seed
    reference = make_network(TwoLayerNet, DIM, 8, CLASSES, 5, dtype)
    for key in PARAM_NAMES:
        np.testing.assert_array_equal(first.params[key], reference.params[key])


def test_make_network_names_a_structure_it_cannot_convert():
    from training.network import make_network

    class Unshared(_BookStyleNet):
        def __init__(self, *args):
            super().__init__(*args)
            self.params = {key: value.copy() for key, value in self.params.items()}

    with pytest.raises(ValueError, match=r"params\['W1'\] is not layers\['Affine1'\].W"):
        make_network(Unshared, DIM, 8, CLASSES, 5, np.float32)
