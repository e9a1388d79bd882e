"""Suite-wide set-up: hypothesis profiles and the exercise markers' ids."""
import os

import pytest
from hypothesis import HealthCheck, Phase, settings

# `dev` is quick for the edit-test loop; `ci` is derandomized (same examples on
# every run, so CI is reproducible) with no deadline (a loaded 2-core machine
# must not turn slowness into failures). Select with HYPOTHESIS_PROFILE.
# Both skip hypothesis's "explain" phase: its list of lines "always and only run
# by failing test cases" points into the checking helpers, not at the learner's
# bug, and pushed the diagnostic that does (tests/checks.py) off the screen.
NO_EXPLAIN = tuple(phase for phase in Phase if phase is not Phase.explain)
settings.register_profile("dev", max_examples=25, deadline=None, phases=NO_EXPLAIN)
settings.register_profile(
    "ci", max_examples=60, deadline=None, derandomize=True, print_blob=True, phases=NO_EXPLAIN,
    suppress_health_check=[HealthCheck.too_slow],
)
# `kata` is what the kata runner uses against a learner's code: derandomized (the same
# code gets the same verdict every time, which the verdict cache relies on) and without
# shrinking (it turns a rich counterexample into all zeros, where different wrong
# formulas coincide and a diagnosis would guess; it also costs seconds per failure).
settings.register_profile(
    "kata", max_examples=25, deadline=None, derandomize=True, print_blob=False,
    phases=tuple(phase for phase in NO_EXPLAIN if phase is not Phase.shrink),
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


def pytest_collection_modifyitems(config, items):
    """Every @pytest.mark.exercise(id) must name an exercise of the manifest, every note a known note."""
    from kata.manifest import EXERCISE_IDS
    from kata.notes import NOTES

    for item in items:
        for mark in item.iter_markers("note"):
            if len(mark.args) != 1 or mark.args[0] not in NOTES:
                raise pytest.UsageError(f"{item.nodeid}: @pytest.mark.note{mark.args} is not a key of kata/notes.py")
            if item.get_closest_marker("exercise") is None:
                raise pytest.UsageError(f"{item.nodeid}: a note belongs to an exercise: add @pytest.mark.exercise")
        for mark in item.iter_markers("exercise"):
            if len(mark.args) != 1 or mark.args[0] not in EXERCISE_IDS:
                raise pytest.UsageError(
                    f"{item.nodeid}: @pytest.mark.exercise{mark.args} does not name an exercise "
                    f"of kata/manifest.py (known: {', '.join(EXERCISE_IDS)})"
                )
