"""Helpers the kata's own tests share (kata/tests/conftest.py has the shared fixtures)."""
from kata import runner

QUIET = {"out": lambda *a: None}


def checked(ws, **kw):
    """runner.check(ws, fast=True, ...) and the report it rendered (through a render spy)."""
    seen = {}
    original = runner.render

    def spy(report, *a, **k):
        seen["report"] = report
        return original(report, *a, **k)

    runner.render = spy
    try:
        code = runner.check(ws, fast=True, **QUIET, **kw)
    finally:
        runner.render = original
    return code, seen["report"]
