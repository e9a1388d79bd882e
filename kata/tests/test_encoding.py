"""No terminal assumptions: a cp949/cp932 console and a learner file that is not UTF-8.

A Korean or Japanese Windows console whose output goes through a pipe has a legacy code page
(simulated with PYTHONIOENCODING), and an editor saving in cp949/latin-1 leaves bytes that are
not UTF-8. Either way the learner gets the normal screen, never a crash of the kata.
"""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kata import workspace as wsmod
from kata.i18n import t_in

import book_forms

ROOT = Path(__file__).resolve().parents[2]


def _check(ws, encoding=None, lang="en", *extra):
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG", "PYTHONIOENCODING")}
    env["KATA_LANG"] = lang
    if encoding:
        env["PYTHONIOENCODING"] = encoding
    done = subprocess.run([sys.executable, "-m", "kata", "--workspace", str(ws), "check", "--fast", *extra],
                          cwd=ROOT, capture_output=True, env=env)
    return done.returncode, done.stdout, done.stderr


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    path = tmp_path_factory.mktemp("enc") / "workspace"
    wsmod.init(path)
    return path


@pytest.fixture(scope="module")
def normal_exit(ws):
    """The exit status of the same screen on a UTF-8 console."""
    code, out, err = _check(ws, "utf-8")
    assert t_in("en", "not_started") in out.decode("utf-8"), out + err
    return code


@pytest.mark.parametrize("encoding, lang", [("cp949", "ko"), ("cp932", "ja"), ("cp949", "en"), ("cp932", "en")])
def test_check_on_a_legacy_console(ws, normal_exit, encoding, lang):
    code, out, err = _check(ws, encoding, lang)
    assert code == normal_exit == 1  # exercise 5.4.1 is not started: what any screen says with exit 1
    screen, errors = out.decode(encoding), err.decode(encoding, errors="replace")
    assert "Traceback" not in screen + errors, errors
    expected = [t_in(lang, "not_started"), t_in(lang, "tested_files"), "5.4.1", "workspace/layers.py"]
    for word in expected:
        word.encode(encoding)  # the console can show it: so it must be on the screen as it is
        assert word in screen, (word, screen)


@pytest.mark.parametrize("encoding, lang", [("cp949", "ko"), ("cp932", "ja")])
def test_help_and_hint_on_a_legacy_console(ws, encoding, lang):
    env = dict(os.environ, PYTHONIOENCODING=encoding, KATA_LANG=lang)
    for args in (["--help"], ["--workspace", str(ws), "hint"]):
        done = subprocess.run([sys.executable, "-m", "kata", *args], cwd=ROOT, capture_output=True, env=env)
        assert done.returncode == 0, done.stderr.decode(encoding, errors="replace")
        assert b"Traceback" not in done.stderr
        assert done.stdout.decode(encoding)


# --- a learner file that is not UTF-8 -------------------------------------------------------

NOT_UTF8 = b"# caf\xe9\n"  # latin-1/cp1252 "café", no coding cookie: what a Windows editor may save


@pytest.fixture
def latin1_ws(tmp_path):
    path = tmp_path / "workspace"
    wsmod.init(path)
    layers = path / "layers.py"
    layers.write_bytes(NOT_UTF8 + layers.read_bytes())
    return path


def _python_accepts(raw):
    """What this Python's import does with the bytes (it reads a bad byte in a comment; `python file.py` refuses)."""
    try:
        compile(raw, "layers.py", "exec")
    except SyntaxError:
        return False
    return True


@pytest.mark.parametrize("encoding, lang, save_as", [("utf-8", "en", "save the file as UTF-8"),
                                                     ("cp949", "ko", "UTF-8로 저장하세요"),
                                                     ("cp932", "ja", "UTF-8 として保存してください")])
def test_a_learner_file_with_a_non_utf8_byte_gets_a_correct_screen(latin1_ws, encoding, lang, save_as):
    layers = latin1_ws / "layers.py"
    before = layers.read_bytes()
    code, out, err = _check(latin1_ws, encoding, lang)
    screen = out.decode(encoding)
    assert "Traceback" not in screen + err.decode(encoding, errors="replace")
    assert code == 1
    # which file, which line, which byte, what to do
    assert f"{layers}:1" in screen and "0xe9" in screen and save_as in screen, screen
    if _python_accepts(before):
        assert t_in(lang, "not_started") in screen  # the rest of the screen is the usual one
    else:
        assert t_in(lang, "collect_error") in screen and "layers.py" in screen
    assert layers.read_bytes() == before  # the kata never rewrites it


def test_only_files_python_would_refuse_are_named(tmp_path):
    (tmp_path / "cookie.py").write_bytes(b"# -*- coding: latin-1 -*-\n# caf\xe9\n")   # legal Python
    (tmp_path / "utf8.py").write_bytes("# café\nx = '밑바닥'\n".encode("utf-8"))
    (tmp_path / "bom.py").write_bytes(b"\xef\xbb\xbf# ok\n")
    (tmp_path / "bad.py").write_bytes(b"x = 1\n\n# \x82\xa0 cp932\n")
    assert wsmod.not_utf8_files(tmp_path) == [(tmp_path / "bad.py", 3, "0x82")]
    assert (tmp_path / "bad.py").read_bytes() == b"x = 1\n\n# \x82\xa0 cp932\n"


def test_a_script_python_refuses_to_run_is_named_with_what_to_do(tmp_path):
    """`python buy_apple.py` (5.4.1's test runs it) refuses a non-UTF-8 byte: the screen says which file, and why."""
    ws = book_forms.write_book_workspace(tmp_path / "workspace", exercises=["5.4.1"])  # MulLayer as printed
    script = ws / "buy_apple.py"
    script.write_bytes(NOT_UTF8 + script.read_bytes())
    before = script.read_bytes()
    code, out, err = _check(ws, "cp949", "ko", "5.4.1")
    screen = out.decode("cp949")
    assert code == 1 and "Traceback" not in screen + err.decode("cp949", errors="replace")
    assert f"{script}:1" in screen and "UTF-8로 저장하세요" in screen
    assert t_in("ko", "wrong") in screen and "SyntaxError" in screen and "buy_apple.py" in screen
    assert script.read_bytes() == before
