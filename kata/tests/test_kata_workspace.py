"""The learner's workspace: nothing a learner wrote is lost; hints, tamper warning, CLI.

Uses throwaway workspaces under tmp_path (never the repository's workspace/).
"""
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kata import compare, runner, stubs
from kata import workspace as wsmod
from kata.manifest import BY_ID, EXERCISE_IDS

ROOT = Path(__file__).resolve().parents[2]


def _kata(*args, env=None, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "kata", *args], cwd=cwd, capture_output=True, text=True,
                          env=env)


def test_init_creates_stubs_and_copies_every_module(ws):
    for path in stubs.reference_modules():
        assert (ws / path.name).exists(), path.name
    assert 'raise NotImplementedError("5.6.2 Affine.backward: not implemented yet' in (ws / "layers.py").read_text()
    state = wsmod.load_state(ws)
    assert "tests/conftest.py" in state["test_hashes"]


def test_init_refuses_an_existing_workspace_and_touches_nothing(ws):
    mine = ws / "layers.py"
    mine.write_text(mine.read_text() + "# my work\n")
    before = {p: p.read_bytes() for p in ws.rglob("*") if p.is_file()}
    done = _kata("--workspace", str(ws), "init")
    assert done.returncode == 1
    assert "already exists" in done.stderr
    assert {p: p.read_bytes() for p in ws.rglob("*") if p.is_file()} == before


MY_AFFINE_FORWARD = '''\
    def forward(self, x):
        self.original_x_shape = x.shape  # learner's own words
        self.x = x.reshape(x.shape[0], -1)
        return self.x @ self.W + self.b
'''

MY_MUL_FORWARD = '''\
    def forward(self, x, y):
        self.x, self.y = x, y  # mine
        return x * y
'''


def test_reset_restores_only_that_exercises_functions_and_backs_up_first(ws):
    layers = ws / "layers.py"
    text = stubs.replace_function(layers.read_text(), "Affine.forward", MY_AFFINE_FORWARD)
    text = stubs.replace_function(text, "MulLayer.forward", MY_MUL_FORWARD)
    text += "\n\n# a note at the end of my file\n"
    layers.write_text(text)

    lines = wsmod.reset(ws, "5.6.2")
    after = layers.read_text()
    assert "learner's own words" not in after                       # 5.6.2 is back to its stub
    assert 'raise NotImplementedError("5.6.2 Affine.forward' in after
    assert "self.x, self.y = x, y  # mine" in after                 # 5.4.1 work kept
    assert after.endswith("# a note at the end of my file\n")     # the rest of the file kept
    backups = wsmod.list_backups(ws)
    assert len(backups) == 1 and backups[0].read_text() == text     # exactly what was there
    assert any(str(backups[0]) in line for line in lines)


def test_reset_of_an_untouched_exercise_writes_nothing(ws):
    before = (ws / "layers.py").read_text()
    wsmod.reset(ws, "5.5.1")
    assert (ws / "layers.py").read_text() == before
    assert wsmod.list_backups(ws) == []


def test_reset_refuses_a_file_with_a_syntax_error_and_keeps_it(ws):
    layers = ws / "layers.py"
    broken = layers.read_text() + "\ndef oops(:\n"
    layers.write_text(broken)
    with pytest.raises(wsmod.KataError, match="syntax error"):
        wsmod.reset(ws, "5.6.2")
    assert layers.read_text() == broken


def test_restore_lists_backups_and_backs_up_the_current_file_before_restoring(ws):
    layers = ws / "layers.py"
    first = stubs.replace_function(layers.read_text(), "MulLayer.forward", MY_MUL_FORWARD)
    layers.write_text(first)
    wsmod.reset(ws, "5.4.1")                       # backup #1 holds `first`
    later = layers.read_text() + "# later work\n"
    layers.write_text(later)

    listing = "\n".join(wsmod.restore(ws))
    assert "reset-5.4.1" in listing and "layers.py" in listing
    wsmod.restore(ws, "1")
    assert layers.read_text() == first
    saved = [b for b in wsmod.list_backups(ws) if "before-restore" in str(b)]
    assert len(saved) == 1 and saved[0].read_text() == later       # nothing lost


def test_restore_via_cli_lists_and_refuses_unknown(ws):
    assert "No backups yet" in _kata("--workspace", str(ws), "restore").stdout
    done = _kata("--workspace", str(ws), "restore", "7")
    assert done.returncode == 1 and "no backup" in done.stderr


def test_hint_reveals_one_more_level_each_time_and_says_which(ws, capsys):
    for level in (1, 2, 3, 3):
        runner.hint(ws, "5.6.2")
        out = capsys.readouterr().out
        assert f"Hint {level}/3 for 5.6.2" in out
        assert out.count("\n  ") == level   # every level seen so far, nothing more
    assert "last hint" in out
    assert BY_ID["5.6.2"].hints[2].en in out
    assert wsmod.load_state(ws)["hints"]["5.6.2"] == 3


def test_hint_in_korean(ws):
    env = {**__import__("os").environ, "KATA_LANG": "ko"}
    done = _kata("--workspace", str(ws), "hint", "5.5.1", env=env)
    assert done.returncode == 0
    assert "힌트 1/3" in done.stdout and BY_ID["5.5.1"].hints[0].ko in done.stdout


def test_hint_without_exercise_uses_the_current_one(ws, capsys):
    state = wsmod.load_state(ws)
    state["current"] = "5.5.2"
    wsmod.save_state(ws, state)
    runner.hint(ws)
    assert "for 5.5.2 Sigmoid layer" in capsys.readouterr().out


def test_unknown_exercise_is_refused(ws):
    done = _kata("--workspace", str(ws), "hint", "9.9")
    assert done.returncode == 1 and "Unknown exercise 9.9" in done.stderr


def test_tamper_detection_names_the_changed_test_file(ws):
    state = wsmod.load_state(ws)
    assert wsmod.changed_guarded_files(ws) == []
    state["test_hashes"]["tests/conftest.py"] = "0" * 64      # as if conftest changed since init
    wsmod.save_state(ws, state)
    assert wsmod.changed_guarded_files(ws) == ["tests/conftest.py"]
    report = {"statuses": {}, "collect_errors": [], "modules": {}, "workspace": str(ws), "fast": False}
    screen = "\n".join(runner.render(report, ws))
    assert "WARNING" in screen and "tests/conftest.py" in screen and "meaningless" in screen


def _mark(ws, **statuses):
    """What `check` records: {exercise id: status} of the last run."""
    state = wsmod.load_state(ws)
    state["statuses"] = {key.replace("_", "."): value for key, value in statuses.items()}
    wsmod.save_state(ws, state)


def test_compare_shows_the_reference_beside_yours_only_once_done(ws):
    layers = ws / "layers.py"
    layers.write_text(stubs.replace_function(layers.read_text(), "MulLayer.forward", MY_MUL_FORWARD))
    with pytest.raises(wsmod.KataError, match="only after your code passes"):
        compare.compare(ws, "5.4.1")  # no check has run yet: no spoilers

    _mark(ws, **{"5_4_1": "done", "5_4_2": "wrong"})
    with pytest.raises(wsmod.KataError, match="5.4.2 is not done"):
        compare.compare(ws, "5.4.2")
    lines = []
    assert compare.compare(ws, out=lines.append) == 0  # default: the last exercise done
    assert lines[0].startswith("5.4.1 ")
    assert any(line.startswith("--- reference layers.py:") and "MulLayer.forward" in line for line in lines)
    assert "+        self.x, self.y = x, y  # mine" in lines  # the learner's line, marked as theirs
    removed = [line[1:] for line in lines if line.startswith("-") and not line.startswith("---")]
    reference = (ROOT / "layers.py").read_text()
    reference_mul = "".join(stubs.function_text(reference, f"MulLayer.{name}")[2] for name in ("forward", "backward"))
    assert removed and all(line in reference_mul for line in removed)


def test_compare_says_so_when_a_function_is_the_reference_s(ws):
    layers = ws / "layers.py"
    reference = (ROOT / "layers.py").read_text()
    for name in ("MulLayer.forward", "MulLayer.backward"):
        layers.write_text(stubs.replace_function(layers.read_text(), name,
                                                 stubs.function_text(reference, name)[2]))
    _mark(ws, **{"5_4_1": "done"})
    lines = []
    compare.compare(ws, "5.4.1", out=lines.append)
    assert lines[1:] == ["MulLayer.forward: the same as the reference.",
                         "MulLayer.backward: the same as the reference."]


def test_compare_refuses_in_an_exported_repository(tmp_path, ws):
    (tmp_path / "kata").mkdir()
    (tmp_path / "kata" / "exported.json").write_text("{}")
    with pytest.raises(wsmod.KataError, match="no reference solutions"):
        compare.compare(ws, "5.4.1", root=tmp_path)


def test_watch_sees_a_saved_file_by_polling(ws):
    before = runner.snapshot(ws)
    layers = ws / "layers.py"
    layers.write_text(layers.read_text() + "\n# saved\n")
    assert runner.snapshot(ws) != before


def test_every_command_is_available_as_python_m_kata():
    out = _kata("--help").stdout
    for cmd in ("init", "check", "hint", "watch", "reset", "restore", "compare", "export"):
        assert cmd in out


def test_makefile_targets_call_the_same_commands():
    makefile = (ROOT / "Makefile").read_text()
    for target, cmd in [("kata", "-m kata init"), ("check", "-m kata check"), ("hint", "-m kata hint"),
                        ("watch", "-m kata watch"), ("kata-reset", "-m kata reset"),
                        ("restore", "-m kata restore"), ("compare", "-m kata compare"),
                        ("export", "-m kata export")]:
        assert f"\n{target}:" in makefile and "## " in makefile.split(f"\n{target}:")[1].splitlines()[0], target
        assert cmd in makefile, cmd


# --- the runner on hand-made tests: timeouts, slow-test gating --------------------------------

def _fake_suite(tmp_path, test_source):
    """A minimal root (pyproject, conftest, one test file, the kata package) to run the plugin on."""
    root = tmp_path / "root"
    (root / "tests").mkdir(parents=True)
    (root / "kata").symlink_to(ROOT / "kata")
    (root / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text())
    (root / "tests" / "conftest.py").write_text((ROOT / "tests" / "conftest.py").read_text())
    (root / "tests" / "test_fake.py").write_text(textwrap.dedent(test_source))
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "layers.py").write_text("def slow():\n    while True:\n        pass\n\ndef wrong():\n    return 1\n")
    return root, ws


def test_a_hanging_learner_function_is_reported_as_a_timeout_with_its_line(tmp_path):
    root, ws = _fake_suite(tmp_path, '''
        import pytest
        import layers

        @pytest.mark.exercise("5.4.1")
        def test_hangs():
            layers.slow()
        ''')
    report = runner.run_tests(ws, root=root, extra_env={"KATA_TIMEOUT": "2"})
    st = report["statuses"]["5.4.1"]
    assert st["status"] == "timeout"
    assert st["first"]["location"]["path"] == str((ws / "layers.py").resolve())
    assert st["first"]["location"]["line"] in (2, 3)
    text = "\n".join(runner._explain("5.4.1", st, ws))
    assert "timed out after 2.0 s: an endless loop?" in text


def test_slow_tests_run_only_after_the_fast_ones_pass_and_dependents_are_blocked(tmp_path):
    root, ws = _fake_suite(tmp_path, '''
        import pytest
        import layers

        @pytest.mark.exercise("5.4.1")
        @pytest.mark.slow
        def test_slow_one():
            pass

        @pytest.mark.exercise("5.4.1")
        def test_fast_one():
            assert layers.wrong() == 2, "MulLayer: expected 2\\n  likely mistake: x and y not swapped"

        @pytest.mark.exercise("5.4.2")
        def test_needs_mul():
            pass
        ''')
    report = runner.run_tests(ws, root=root)
    kinds = {r["nodeid"].split("::")[1]: r["kind"] for r in report["results"]}
    assert kinds == {"test_fast_one": "wrong", "test_slow_one": "gated", "test_needs_mul": "blocked"}
    assert report["statuses"]["5.4.1"]["status"] == "wrong"
    assert report["statuses"]["5.4.2"]["status"] == "blocked"
    assert "likely mistake: x and y not swapped" in report["statuses"]["5.4.1"]["first"]["message"]
    assert json.dumps(report)  # serialisable, as the runner stores it
    assert set(report["statuses"]) == set(EXERCISE_IDS)


def test_watch_reruns_check_when_a_file_is_saved(tmp_path):
    import threading
    import time
    root, ws = _fake_suite(tmp_path, '''
        import pytest
        import layers

        @pytest.mark.exercise("5.4.1")
        def test_wrong():
            assert layers.wrong() == 2
        ''')
    lines = []
    worker = threading.Thread(target=runner.watch, args=(ws, root),
                              kwargs={"interval": 0.1, "max_runs": 2, "fast": True, "out": lines.append})
    worker.start()
    deadline = time.time() + 120
    while not any("Full pytest output" in str(x) for x in lines) and time.time() < deadline:
        time.sleep(0.1)
    text = (ws / "layers.py").read_text().replace("return 1", "return 2")
    (ws / "layers.py").write_text(text)
    worker.join(timeout=120)
    assert not worker.is_alive()
    screen = "\n".join(map(str, lines))
    assert "Saved: layers.py — checking again" in screen
    assert screen.count("Full pytest output") == 2   # two final screens (the fix adds an interim one)
    assert "— wrong" in screen and "— done" in screen   # the second run saw the fix


def test_a_learner_module_missing_from_the_workspace_is_reported_not_silently_replaced(ws):
    (ws / "gradient.py").unlink()       # `import gradient` now finds the repository's reference
    report = runner.run_tests(ws, fast=True, only=["4.4"], exclude=("tf",),
                              extra_env={"HYPOTHESIS_PROFILE": "dev"})
    wrong = runner.wrong_files(report)
    assert list(wrong) == ["gradient"] and Path(wrong["gradient"]).resolve() == (ROOT / "gradient.py")
    screen = "\n".join(runner.render(report, ws))
    assert "NOT about your code" in screen
