"""Kata tooling: learners re-implement Chapter 5 against the test suite.

Kept apart from the reference modules (layers.py, ...), which it reads but never changes.
"""
