"""Helpers shared by the benchmark modules: naming, warm-up, agreement checks."""
import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

from benchmarks import frameworks

# Every group compares these side by side; the report orders its rows the same way.
VARIANTS = ("ours", "limit", "loop", "seed", "tf", "torch")
# Rows only some groups have (the report shows them where present, after ours):
# "fused" is benchmarks/fused_impl.py: the same math as one numpy function with no
# layers or checks, and the speed tricks the reference leaves out (train step, SoftmaxWithLoss).
EXTRA_VARIANTS = ("fused",)
VARIANT_TITLES = {
    "ours": "ours (project code)",
    "fused": "numpy hand-fused",
    "limit": "GEMM-only limit",
    "loop": "per-sample loop",
    "seed": "seed (book's code)",
    "tf": "TensorFlow tf.function",
    "torch": "PyTorch CPU",
}


def _tolerances():
    """tests/tolerances.py, the suite's one place for tolerances (also when run without tests/)."""
    if "tolerances" in sys.modules:
        return sys.modules["tolerances"]
    path = Path(__file__).resolve().parent.parent / "tests" / "tolerances.py"
    spec = importlib.util.spec_from_file_location("tolerances", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BENCH_AGREEMENT_REL_NORM = _tolerances().BENCH_AGREEMENT_REL_NORM


def assert_agrees(name, result, reference):
    """||result - reference|| / ||reference|| within float32 summation-order noise."""
    result = np.asarray(result, dtype=np.float64)
    reference = np.asarray(reference, dtype=np.float64)
    assert result.shape == reference.shape, f"{name}: shape {result.shape}, expected {reference.shape}"
    err = np.linalg.norm(result - reference) / max(np.linalg.norm(reference), 1e-30)
    assert err <= BENCH_AGREEMENT_REL_NORM, \
        f"{name}: relative error {err:.2e} against ours exceeds {BENCH_AGREEMENT_REL_NORM:.0e}"


def torch_or_skip():
    torch, why = frameworks.torch_or_skip_reason()
    if torch is None:
        pytest.skip(why)
    return torch


def measure(benchmark, group, variant, fn, **extra_info):
    """Time fn() in `group` as `variant`; returns fn's result of the last call."""
    benchmark.group = group
    benchmark.extra_info["variant"] = variant
    benchmark.extra_info.update(extra_info)
    if not benchmark.disabled:
        fn()  # warm-up: TF tracing, PyTorch's first-call set-up, caches
    return benchmark(fn)


def to_numpy(value):
    """A TF tensor, a torch tensor or a numpy value as a numpy array."""
    if hasattr(value, "detach"):
        value = value.detach()
    if hasattr(value, "numpy"):
        return value.numpy()
    return np.asarray(value)
