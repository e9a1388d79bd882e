"""`from dataset.mnist import load_mnist`, the import the book's scripts use, also works.

The loader itself is mnist.py at the repository root (import it as `from mnist import
load_mnist`); this module only re-exports it. Run `python mnist.py` at the root, not this file.
"""
from mnist import load_mnist  # noqa: F401  (the root's module: absolute imports never mean this file)
