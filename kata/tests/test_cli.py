"""The command line: --lang on every command (before or after it), help in three languages, usage errors."""
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kata import stubs
from kata import workspace as wsmod
from kata.__main__ import lang_in
from kata.i18n import t_in

import book_forms

ROOT = Path(__file__).resolve().parents[2]
HANGUL = re.compile(r"[\uac00-\ud7a3]")
KANA = re.compile(r"[\u3040-\u30ff]")


def _kata(*args, env_lang=None, cwd=ROOT, extra_env=None):
    env = {k: v for k, v in os.environ.items() if k not in ("KATA_LANG", "LC_ALL", "LC_MESSAGES", "LANG")}
    if env_lang:
        env["KATA_LANG"] = env_lang
    env.update(extra_env or {})
    return subprocess.run([sys.executable, "-m", "kata", *args], cwd=cwd, capture_output=True, text=True,
                          encoding="utf-8", env=env)


@pytest.mark.parametrize("argv, code", [
    (["check"], None),
    (["--lang", "ko", "check"], "ko"),
    (["check", "--lang", "ja"], "ja"),
    (["check", "--lang=ja"], "ja"),
    (["--lang", "ko", "check", "--lang", "ja"], "ja"),   # the last one wins, as in argparse
    (["--", "--lang", "ko"], None),
    (["check", "--lang"], None),                          # no value: argparse says so
])
def test_lang_is_read_before_the_parser_exists(argv, code):
    assert lang_in(argv) == code


@pytest.mark.parametrize("where", ["before", "after"])
@pytest.mark.parametrize("code", ["en", "ko", "ja"])
def test_lang_before_or_after_the_command_chooses_the_screen(tmp_path, where, code):
    missing = tmp_path / "none"
    args = ["--lang", code, "--workspace", str(missing), "compare"] if where == "before" else \
        ["compare", "--workspace", str(missing), "--lang", code]
    done = _kata(*args, env_lang="ko" if code != "ko" else "en")  # --lang beats KATA_LANG
    assert done.returncode == 1, done.stderr
    assert done.stderr.strip() == t_in(code, "no_workspace")
    assert bool(HANGUL.search(done.stderr)) == (code == "ko")
    assert bool(KANA.search(done.stderr)) == (code == "ja")


def test_lang_reaches_the_test_process(tmp_path):
    """set_lang exports KATA_LANG: the pytest child (its diagnoses) speaks the chosen language too."""
    ws = book_forms.write_book_workspace(tmp_path / "ws", exercises=["5.4.1"])
    layers = ws / "layers.py"
    # the classic mistake: backward passes dout on unchanged (the addition node's rule)
    layers.write_text(stubs.replace_function(layers.read_text(encoding="utf-8"), "MulLayer.backward",
                                             "    def backward(self, dout):\n        return dout, dout\n"),
                      encoding="utf-8")
    done = _kata("--workspace", str(ws), "check", "5.4.1", "--fast", "--lang", "ja", env_lang="en")
    assert done.returncode == 1, done.stdout + done.stderr
    assert t_in("ja", "wrong") in done.stdout
    assert "Traceback" not in done.stderr
    report = ws / ".kata" / "last-run.log"
    assert report.exists()
    state = json.loads((ws / ".kata" / "state.json").read_text(encoding="utf-8"))
    assert state["statuses"]["5.4.1"] == "wrong"


@pytest.mark.parametrize("code, usage", [("en", "usage: "), ("ko", "사용법: "), ("ja", "使い方: ")])
def test_help_comes_from_the_catalog_in_the_chosen_language(code, usage):
    done = _kata("--help", "--lang", code)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith(usage)
    for key in ("cmd_setup", "cmd_init", "cmd_check", "cmd_hint", "cmd_watch", "cmd_notebook", "opt_lang"):
        assert t_in(code, key) in out.replace("\n" + " " * 24, " "), key
    sub = _kata("check", "--help", "--lang", code)
    assert sub.returncode == 0 and sub.stdout.startswith(usage)
    assert t_in(code, "cmd_check") in sub.stdout
    if code != "en":
        assert "show this help message" not in out + sub.stdout
        assert "positional arguments" not in sub.stdout


def test_the_help_language_follows_kata_lang_and_the_locale():
    assert _kata("--help", env_lang="ja").stdout.startswith("使い方: ")
    assert _kata("--help", extra_env={"LANG": "ko_KR.UTF-8"}).stdout.startswith("사용법: ")
    assert _kata("--help", extra_env={"LANG": "C.UTF-8"}).stdout.startswith("usage: ")


@pytest.mark.parametrize("args", [["--lang", "xx", "check"], ["check", "--lang", "fr"], ["hint", "--lang=kr"]])
def test_an_unknown_language_is_a_usage_error_listing_the_three(args):
    done = _kata(*args)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "usage:" in done.stderr
    for code in ("en", "ko", "ja"):
        assert code in done.stderr.rsplit("--lang", 1)[1]


def test_usage_errors_in_the_screens_language():
    done = _kata("chekc", "--lang", "ko")
    assert done.returncode == 2
    assert "사용법:" in done.stderr and "오류:" in done.stderr and "'chekc'" in done.stderr
    done = _kata("reset", env_lang="ja")
    assert done.returncode == 2
    assert "次の引数が必要です: exercise" in done.stderr


def test_notebook_takes_lang_ja(tmp_path):
    ws = tmp_path / "ws"
    done = _kata("--workspace", str(ws), "notebook", "--lang", "ja")
    assert done.returncode == 0, done.stderr
    assert (ws / "chapter5.ipynb").exists()


def test_the_console_never_crashes_on_a_character_it_cannot_show(tmp_path):
    done = subprocess.run([sys.executable, "-m", "kata", "--help", "--lang", "ja"], cwd=ROOT, capture_output=True,
                          env=dict(os.environ, PYTHONIOENCODING="ascii"))
    assert done.returncode == 0, done.stderr
    assert b"Traceback" not in done.stderr
    assert done.stdout.startswith(b"???: python -m kata")  # 使い方 as '???', the rest intact


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make (python -m kata --lang is tested above)")
@pytest.mark.parametrize("setting, word", [("LANG=ko", "시작 전"), ("KATA_LANG=ja", "未着手"), ("LANG=ja", "未着手")])
def test_make_check_takes_the_language_on_its_command_line(tmp_path, setting, word):
    ws = tmp_path / "ws"
    wsmod.init(ws)
    # LC_ALL from the shell would decide before LANG for any POSIX program: the Makefile makes LANG= win
    env = dict(os.environ, LC_ALL="en_US.UTF-8", KATA_LANG="en")
    env.pop("MAKEFLAGS", None)
    done = subprocess.run(["make", "--no-print-directory", "check", f"WS={ws}", "EX=5.4.1", setting], cwd=ROOT,
                          capture_output=True, text=True, encoding="utf-8", env=env)
    assert word in done.stdout, done.stdout + done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_check_from_inside_the_workspace(tmp_path):
    """`cd workspace && make check` runs the repository's target (make once said "No rule to make target")."""
    repo = tmp_path / "repo"
    shutil.copytree(ROOT, repo, ignore=shutil.ignore_patterns(".venv", "data", "workspace", ".git", "__pycache__",
                                                              ".hypothesis", ".benchmarks", "graphs"))
    (repo / ".venv").symlink_to(ROOT / ".venv")  # installed already (its stamp): make installs nothing
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "KATA_WORKSPACE", "LC_ALL", "LANG")}
    env["KATA_LANG"] = "en"
    done = subprocess.run([sys.executable, "-m", "kata", "init"], cwd=repo, capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    ws = repo / "workspace"
    done = subprocess.run(["make", "check", "EX=5.4.1", "LANG=ja"], cwd=ws, capture_output=True, text=True,
                          encoding="utf-8", env=env)
    assert "No rule to make target" not in done.stderr
    assert "5.4.1" in done.stdout and "未着手" in done.stdout, done.stdout + done.stderr
    assert "workspace/layers.py" in done.stdout
    done = subprocess.run(["make", "hint"], cwd=ws, capture_output=True, text=True, encoding="utf-8", env=env)
    assert done.returncode == 0 and "5.4.1" in done.stdout, done.stdout + done.stderr


@pytest.mark.mnist
@pytest.mark.slow
def test_train_runs_the_workspaces_own_code_on_mnist(tmp_path):
    """`python -m kata train`: the book's training run with the learner's modules (the workspace
    first on the path), the repository's dataset/ and training/ packages behind them."""
    ws = book_forms.write_book_workspace(tmp_path / "done")
    done = _kata("--workspace", str(ws), "train", "--", "--iters", "30", "--no-plot", "--quiet", env_lang="en")
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{ws}/train_neuralnet.py" in done.stdout and "final: train acc" in done.stdout
    (ws / "train_accuracy.png").write_bytes(b"the learner's earlier plot")
    again = _kata("--workspace", str(ws), "train", "--", "--iters", "2", "--quiet", env_lang="en")
    assert again.returncode == 0, again.stdout + again.stderr
    kept = [p for p in (ws / ".kata" / "backups").rglob("train_accuracy.png")]
    assert len(kept) == 1 and kept[0].read_bytes() == b"the learner's earlier plot"
    assert (ws / "train_accuracy.png").read_bytes()[:4] == b"\x89PNG"  # the new run's plot
    # a workspace whose 5.7.x are still stubs: the run stops in the learner's file, and the screen says
    # where to look (in Japanese here)
    ws = book_forms.write_book_workspace(tmp_path / "half", exercises=["5.4.1", "5.5.1", "5.6.2", "4.2", "5.6.3"])
    stopped = _kata("--workspace", str(ws), "--lang", "ja", "train", "--", "--iters", "3", "--no-plot")
    assert stopped.returncode != 0
    assert f"{ws / 'train_neuralnet.py'}" in stopped.stderr and "NotImplementedError" in stopped.stderr
    assert t_in("ja", "train_failed", code=stopped.returncode) in stopped.stderr
