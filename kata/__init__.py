"""Kata tooling: learners re-implement Chapter 5 against the test suite.

Kept apart from the reference modules (layers.py, ...), which it reads but never changes.
In a notebook, `kata.check("5.6.2")` and `kata.hint()` do what `%kata check 5.6.2` and `%kata hint`
do (kata/notebook.py, imported only when called: importing `kata` stays cheap and does nothing).
"""


def check(exercise):
    """Copy the notebook's cell for `exercise` into the workspace, run its tests; the screen to show."""
    from kata import notebook
    return notebook.check(exercise)


def hint(exercise=None):
    from kata import notebook
    return notebook.hint(exercise)


# No kata.status()/kata.compare(): kata/status.py and kata/compare.py are submodules of those names
# (`from kata import compare` must stay the module); %kata status and %kata compare do those.
