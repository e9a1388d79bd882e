"""Group 4: the book's whole training run, each variant in its own process.

10000 iterations of batch 100 with 17 evaluations on the full training and test
sets; timed from process start to exit (imports and MNIST loading included, as
a user experiences it). "ours" is the project's CLI, train_neuralnet.py
(float32, label targets, --no-plot). In smoke mode (make test) every run makes SMOKE_ITERS
iterations only, which is enough to see that each one still works.
"""
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.common import VARIANTS
from benchmarks.frameworks import THREADS, torch_or_skip_reason

ROOT = Path(__file__).resolve().parent.parent
BOOK_ITERS = 10000
SMOKE_ITERS = 20
FINAL = re.compile(r"final: train acc ([0-9.]+), test acc ([0-9.]+)")

pytestmark = pytest.mark.mnist  # needs the real MNIST cache (make data)


def _tolerances():
    from benchmarks.common import _tolerances
    return _tolerances()


def command(variant, iters):
    if variant == "ours":
        # --no-plot: the book's run prints accuracies and draws nothing, like the
        # other variants; the plot (~0.5 s, matplotlib's import most of it) is
        # tested in tests/test_train.py.
        return [sys.executable, str(ROOT / "train_neuralnet.py"), "--quiet", "--no-plot", "--iters", str(iters)]
    return [sys.executable, "-m", "benchmarks.runs", variant, "--iters", str(iters)]


def run(cmd):
    """Run one training process; -> (final train acc, final test acc, seconds inside, output)."""
    env = dict(os.environ, OMP_NUM_THREADS=str(THREADS), OPENBLAS_NUM_THREADS=str(THREADS),
               MKL_NUM_THREADS=str(THREADS), TF_CPP_MIN_LOG_LEVEL="3")
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, f"{' '.join(cmd)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    final = FINAL.search(done.stdout)
    if final:  # train_neuralnet.py
        inner = re.search(r"time: ([0-9.]+) s", done.stdout)
        return float(final.group(1)), float(final.group(2)), float(inner.group(1)), done.stdout
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result["train_acc"], result["test_acc"], result["seconds"], done.stdout


@pytest.mark.parametrize("variant", VARIANTS)
def test_training_run(benchmark, smoke, variant):
    if variant == "torch":
        torch, why = torch_or_skip_reason()
        if torch is None:
            pytest.skip(why)
    iters = SMOKE_ITERS if smoke else BOOK_ITERS
    cmd = command(variant, iters)
    outcome = {}

    def whole_run():
        start = time.perf_counter()
        outcome["result"] = run(cmd)
        return time.perf_counter() - start

    benchmark.group = "training run (book, 10000 it)" if not smoke else "training run (smoke)"
    benchmark.extra_info["variant"] = variant
    wall = benchmark.pedantic(whole_run, rounds=1, iterations=1, warmup_rounds=0)
    train_acc, test_acc, inner_seconds, _ = outcome["result"]
    benchmark.extra_info.update(train_acc=train_acc, test_acc=test_acc, inner_seconds=inner_seconds,
                                wall_seconds=wall, iters=iters)

    if variant != "limit" and not smoke:  # the limit only multiplies matrices
        tol = _tolerances()
        assert train_acc >= tol.BOOK_RUN_FINAL_MIN_TRAIN_ACC and test_acc >= tol.BOOK_RUN_FINAL_MIN_TEST_ACC, \
            f"{variant}: final accuracies {train_acc} / {test_acc} below the book's band"
