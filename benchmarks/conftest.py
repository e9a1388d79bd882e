"""Benchmark set-up: one BLAS thread for every framework, shared data, smoke mode.

`make bench` runs these with pytest-benchmark and prints ratio tables
(benchmarks/report.py); `make test` runs them once each with
--benchmark-disable (smoke mode) so they never rot: every variant's result is
still checked against ours, and the whole-training-run group uses a few
iterations only.
"""
import os

import numpy as np
import pytest
from threadpoolctl import threadpool_info, threadpool_limits

from benchmarks.frameworks import THREADS

# numpy's OpenBLAS (and any OpenMP runtime already loaded). PyTorch and
# TensorFlow pin their own pools when benchmarks/frameworks.py imports them.
threadpool_limits(THREADS)

ENV_SHOWN = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
             "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


def pytest_benchmark_update_machine_info(config, machine_info):
    """Record which BLAS ran with how many threads (read at the end of the run, so
    the pools that PyTorch brought in are listed too)."""
    threadpool_limits(THREADS)
    machine_info["threadpools"] = [
        {key: pool.get(key) for key in ("user_api", "internal_api", "prefix", "version",
                                        "architecture", "threading_layer", "num_threads")}
        for pool in threadpool_info()
    ]
    machine_info["bench_threads"] = THREADS
    machine_info["env"] = {name: os.environ.get(name) for name in ENV_SHOWN}


@pytest.fixture(scope="session")
def smoke(request):
    """True under --benchmark-disable (make test): run each benchmark once, small."""
    return bool(request.config.getoption("benchmark_disable"))


@pytest.fixture(scope="session")
def rng_data():
    """Factory of reproducible float32 test data, the same for every variant."""
    def make(*shape, seed=0, scale=1.0):
        return (scale * np.random.default_rng(seed).standard_normal(shape)).astype(np.float32)
    return make
