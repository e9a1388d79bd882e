"""Proof that the kata works, through the real runner (a pytest subprocess per workspace).

For every exercise E, a workspace with ONLY E's stubs (all else reference):
  E is "not started", every exercise that needs E is "blocked", every other one is "done".
With no stubs at all (the reference): every exercise is "done".
With all stubs (a fresh `make kata`): 0 done, 5.4.1 is next and "not started".

Honest scope, to fit a few minutes on 2 cores: every run leaves out tests marked `slow`
(the MNIST training reproduction), and the one-stub runs also leave out the `tf` oracle tests
(importing TensorFlow costs ~6 s per run); the reference and all-stubs runs keep them.
`make test` runs everything against the reference.
"""
import concurrent.futures
import os
from pathlib import Path

import pytest

from kata import runner, stubs
from kata.manifest import EXERCISE_IDS, EXERCISES, dependents

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow

# which workspace -> set of stubbed exercise ids
CASES = {"reference": set(), "all-stubs": set(EXERCISE_IDS), **{ex.id: {ex.id} for ex in EXERCISES}}


def _run(name, stubbed, base):
    ws = base / name.replace(".", "_")
    ws.mkdir()
    stubs.write_modules(ws, stubbed=stubbed)
    exclude = ("tf",) if len(stubbed) == 1 else ()
    return name, ws, runner.run_tests(ws, fast=True, exclude=exclude, extra_env={"HYPOTHESIS_PROFILE": "dev"})


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """All workspaces run two at a time (one per core)."""
    base = tmp_path_factory.mktemp("proof")
    workers = max(1, min(2, os.cpu_count() or 1))
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        done = list(pool.map(lambda item: _run(item[0], item[1], base), CASES.items()))
    return {name: (ws, report) for name, ws, report in done}


def _statuses(report):
    return {k: v["status"] for k, v in report["statuses"].items()}


def _tested_the_workspace(ws, report):
    assert report["collect_errors"] == [], report["collect_errors"]
    assert runner.wrong_files(report) == {}
    for name in ("layers", "functions", "gradient", "two_layer_net"):
        assert Path(report["modules"][name]).resolve().parent == ws.resolve(), report["modules"]


def test_reference_passes_every_exercise(reports):
    ws, report = reports["reference"]
    _tested_the_workspace(ws, report)
    assert _statuses(report) == {i: "done" for i in EXERCISE_IDS}


@pytest.mark.parametrize("ex_id", EXERCISE_IDS)
def test_stubbing_one_exercise_fails_it_as_not_started_and_only_blocks_its_dependents(reports, ex_id):
    ws, report = reports[ex_id]
    _tested_the_workspace(ws, report)
    expected = {i: "done" for i in EXERCISE_IDS}
    expected[ex_id] = "not_started"
    expected.update({d: "blocked" for d in dependents(ex_id)})
    got = _statuses(report)
    assert got == expected, {k: (v, report["statuses"][k]["first"]) for k, v in got.items() if v != expected[k]}
    failures = [r for r in report["results"] if r["outcome"] == "failed"]
    assert failures and all(ex_id in r["exercises"] for r in failures), failures
    for r in failures:
        # the stub hit is this exercise's own: a test that trips over another exercise's stub
        # would reveal a prerequisite missing from the manifest
        assert r["kind"] == "not_started", r
        assert r["message"].startswith(f"{ex_id} ") and "not implemented yet" in r["message"], r
        assert r["location"]["learner"], r["location"]  # the stub's line in the workspace


def test_fresh_workspace_starts_at_the_first_exercise(reports):
    ws, report = reports["all-stubs"]
    _tested_the_workspace(ws, report)
    assert runner.current_exercise(report) == EXERCISE_IDS[0]
    statuses = _statuses(report)
    assert statuses[EXERCISE_IDS[0]] == "not_started"
    assert "done" not in statuses.values()
    screen = "\n".join(runner.render(report, ws))
    assert f"0/{len(EXERCISE_IDS)} " + "▱" * len(EXERCISE_IDS) in screen
    assert "5.4.1 MulLayer: multiplication node — not started" in screen
    assert str(ws / "layers.py") in screen or "layers.py" in screen
