"""`from dataset.mnist import load_mnist`, the import the book's scripts use, also works.

The loader itself is mnist.py at the repository root (import it as `from mnist import
load_mnist`); this module only re-exports it.
"""
if __name__ == "__main__":  # run from here, `import mnist` would find this very file
    raise SystemExit("run `python mnist.py` at the repository root; dataset/mnist.py only re-exports load_mnist")

from mnist import load_mnist  # noqa: F401  (absolute: the root's mnist.py, never this file)
