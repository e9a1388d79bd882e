"""The IDX file format of MNIST's official files: parse, read (raw or .gz), hash.

An IDX file of unsigned bytes is a 4-byte big-endian magic (0x00000801 for 1
dimension, 0x00000803 for 3), one big-endian uint32 size per dimension, then
the bytes in C order. Nothing here knows which files MNIST has (see official.py).
"""
import gzip
import hashlib
import math
import zlib
from pathlib import Path

import numpy as np

from dataset.errors import MnistDataError
from dataset.files import open_regular

IDX_MAGIC = {1: 0x00000801, 3: 0x00000803}  # dimension count -> magic (unsigned byte data)
IDX_UBYTE = 0x08
# No IDX file of MNIST is larger than train-images-idx3-ubyte, 47,040,016 bytes
# (9.9 MB as .gz). Reading stops past this cap, so a file or a tarball member that
# claims or decompresses to gigabytes is refused instead of filling the memory.
MAX_IDX_BYTES = 64 * 2**20


def idx_header(arr):
    """The IDX header of a uint8 array of 1 or 3 dimensions: magic, then each size (big-endian uint32)."""
    return np.array([IDX_MAGIC[arr.ndim], *arr.shape], dtype=">u4").tobytes()


def sha256_as_idx(arr):
    """SHA-256 (hex) of a uint8 array of 1 or 3 dimensions written as an IDX file (header, then bytes)."""
    h = hashlib.sha256(idx_header(arr))
    h.update(np.ascontiguousarray(arr).data)
    return h.hexdigest()


def parse_idx(data, name="IDX data"):
    """Parse the bytes of an uncompressed IDX file of unsigned bytes.

    data: bytes -> uint8 array, (N,) for labels (magic 0x801) or (N, 28, 28) for
    images (magic 0x803). `name` (e.g. the file's path) is used in error messages.
    Raises MnistDataError naming what is wrong: magic, data type, dimension count, length.
    """
    if len(data) < 4:
        raise MnistDataError(f"{name}: {len(data)} bytes is too short for an IDX header (needs 4+)")
    zeros, dtype_code, ndim = int.from_bytes(data[:2], "big"), data[2], data[3]
    magic = int.from_bytes(data[:4], "big")
    if zeros != 0:
        packed = (" (it starts like a gzip file: compressed files must be named *.gz)"
                  if data[:2] == b"\x1f\x8b" else "")
        raise MnistDataError(f"{name}: bad magic number 0x{magic:08x}, expected 0x00000801 (labels) "
                             f"or 0x00000803 (images); not an IDX file{packed}")
    if dtype_code != IDX_UBYTE:
        raise MnistDataError(f"{name}: IDX data type code 0x{dtype_code:02x}, expected 0x08 (unsigned byte)")
    if ndim not in IDX_MAGIC:
        raise MnistDataError(f"{name}: IDX file with {ndim} dimensions (magic 0x{magic:08x}), "
                             f"expected 1 (labels, 0x00000801) or 3 (images, 0x00000803)")
    header_len = 4 + 4 * ndim
    if len(data) < header_len:
        raise MnistDataError(f"{name}: {len(data)} bytes is too short for the {header_len}-byte header "
                             f"of a {ndim}-dimensional IDX file (truncated?)")
    shape = tuple(int(s) for s in np.frombuffer(data, dtype=">u4", count=ndim, offset=4))
    expected = header_len + math.prod(shape)  # Python ints: np.prod's int64 wraps (2**21 * 2**21 * 2**22 == 0)
    if len(data) != expected:
        what = "truncated" if len(data) < expected else "trailing bytes"
        raise MnistDataError(f"{name}: the header says shape {shape}, i.e. {expected} bytes in all, "
                             f"but the file has {len(data)} bytes ({what})")
    # frombuffer views `data` read-only; copy() makes an ordinary writable array.
    return np.frombuffer(data, dtype=np.uint8, offset=header_len).reshape(shape).copy()


def too_large(subject, size=None):
    """The MnistDataError for `subject` (a file, a member) of `size` bytes (None: unknown, too many)."""
    has = "has more than" if size is None else f"has {size} bytes, more than"
    return MnistDataError(f"{subject} {has} {MAX_IDX_BYTES} bytes; no MNIST IDX file is larger than "
                          f"47040016 bytes (train-images-idx3-ubyte)")


def read_capped(f, name):
    """All bytes of the binary file object `f`, refused (MnistDataError) past MAX_IDX_BYTES."""
    data = f.read(MAX_IDX_BYTES + 1)
    if len(data) > MAX_IDX_BYTES:
        raise too_large(f"{name} (uncompressed)")
    return data


def read_bytes(path):
    """The uncompressed content of a file; .gz files are decompressed (at most MAX_IDX_BYTES).

    Raises MnistDataError for a file that cannot be read, one that is not a regular file (a
    FIFO, a device, a folder: files.NotARegularFile, before anything is read), a damaged .gz
    (bad header, corrupt or truncated stream, CRC mismatch) and anything too large.
    """
    path = Path(path)
    try:
        f, st = open_regular(path)
        with f:
            # No MNIST file, raw or .gz, is larger than MAX_IDX_BYTES: refused unread.
            if st.st_size > MAX_IDX_BYTES:
                raise too_large(str(path), st.st_size)
            if path.suffix == ".gz":
                with gzip.GzipFile(fileobj=f, mode="rb") as gz:
                    data = read_capped(gz, str(path))
                if not data and st.st_size == 0:  # gzip reads an empty file as empty content
                    raise MnistDataError(f"{path}: cannot read it: a damaged or incomplete .gz file (empty, 0 bytes)")
                return data
            data = f.read(MAX_IDX_BYTES + 1)  # capped even if the file grows meanwhile
            if len(data) > MAX_IDX_BYTES:
                raise too_large(str(path))
            return data
    # gzip raises BadGzipFile for a bad header or CRC, EOFError when truncated, and lets
    # zlib.error through for a corrupt deflate stream: all mean "this file is damaged".
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise MnistDataError(f"{path}: cannot read it: a damaged or incomplete .gz file "
                             f"({type(exc).__name__}: {exc})") from exc
    except OSError as exc:
        raise MnistDataError(f"{path}: cannot read it: {exc}") from exc


def check_sha256(data, expected, name):
    """Raise MnistDataError unless the bytes `data` have SHA-256 `expected` (hex)."""
    got = hashlib.sha256(data).hexdigest()
    if got != expected:
        raise MnistDataError(f"{name}: SHA-256 {got} does not match the official {expected} "
                             f"(damaged, incomplete or a different file)")


def verify_sha256(path, expected):
    """Raise MnistDataError unless the file's uncompressed content has SHA-256 `expected` (hex).

    For a .gz file the decompressed bytes are hashed, since the official hashes
    are those of the uncompressed IDX files.
    """
    check_sha256(read_bytes(path), expected, str(path))


def read_idx(path, sha256=None):
    """Read an IDX file (raw or .gz) into a uint8 array: (N,) labels or (N, 28, 28) images.

    With `sha256` (hex), the uncompressed content must have that hash.
    Raises MnistDataError naming the file and the problem.
    """
    data = read_bytes(path)
    if sha256 is not None:
        check_sha256(data, sha256, str(path))
    return parse_idx(data, str(path))
