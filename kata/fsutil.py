"""Atomic file writes for the whole kata: the one place that replaces a file's contents.

Every write goes to a temporary file in the destination's own folder (same file system,
so the final rename is atomic), with a unique name (concurrent writers never share a
temporary file), is flushed and fsync'ed, then renamed over the destination with
os.replace, and the folder is fsync'ed so the rename itself survives a power cut.
A reader therefore sees the old contents or the new ones, never a mixture or an empty
file, and an exception at any point (Ctrl-C included) leaves the destination untouched
and no temporary file behind.

A destination that is a symbolic link is refused (`WriteRefused`): writing through it
would change the file it points to (e.g. the repository's reference layers.py), and
replacing it would silently turn the learner's link into a copy. A destination that
exists but is not a regular file (folder, FIFO, device) is refused too. Replacing the
directory entry also means a hard link to the destination keeps the old contents.

    write_bytes_atomic(path, data)           -> Path
    write_text_atomic(path, text, encoding="utf-8", errors="strict", newline=None) -> Path
    copy_atomic(src, dst, preserve_stat=True) -> Path    (like shutil.copy2)
"""
import errno
import os
import shutil
import stat
import time
import uuid
from pathlib import Path

_CHUNK = 1 << 20


class WriteRefused(OSError):
    """The destination is a symbolic link or not a regular file: nothing was written."""

    def __init__(self, path, reason, target=None):
        super().__init__(errno.ELOOP if target is not None else errno.EINVAL, reason, str(path))
        self.path, self.reason, self.target = Path(path), reason, target

    def __str__(self):
        return f"{self.path}: {self.reason}"


def check_destination(path):
    """Raise WriteRefused unless `path` is absent or a regular file that is not a link."""
    path = Path(path)
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(st.st_mode):
        raise WriteRefused(path, f"is a symbolic link (to {os.readlink(path)}); refusing to write through it",
                           target=os.readlink(path))
    if not stat.S_ISREG(st.st_mode):
        raise WriteRefused(path, "exists and is not a regular file; refusing to replace it")


def fsync_dir(folder):
    """fsync a folder so a rename/creation in it is durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return  # Windows: folders cannot be opened; NTFS journals the rename
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems (e.g. certain network mounts) refuse fsync on folders
    finally:
        os.close(fd)


def _open_temp(path):
    """(fd, temp path) of a new file beside `path`, created exclusively, umask-respecting mode."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
    while True:
        tmp = path.with_name(f".{path.name}.{os.getpid()}-{uuid.uuid4().hex[:12]}.tmp")
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:  # astronomically unlikely; try another name
            continue


def _replace(tmp, path):
    # Windows refuses to replace a file another process holds open (a concurrent reader):
    # that is transient, so retry briefly there. Elsewhere a failure is real: raise it.
    for attempt in range(50 if os.name == "nt" else 1):
        try:
            os.replace(tmp, path)
            return
        except PermissionError:
            if os.name != "nt" or attempt == 49:
                raise
            time.sleep(0.01)


# (destination, its temporary file) of each write this process renamed into place, or was about to:
# once the temporary name is gone the new contents are in place (see replaced_files).
_renames = []


def replaced_files():
    """The destinations this process's writes have replaced: a command stopped by a signal says
    these were saved (an interrupted write that never renamed removed its temporary file and its entry)."""
    return list(dict.fromkeys(p for p, tmp in _renames if not os.path.lexists(tmp)))


def _write_atomic(path, fill, finish=None):
    """Create a temp file, `fill(fileobj)`, fsync, `finish(temp path)`, rename over `path`, fsync the folder."""
    path = Path(path)
    check_destination(path)
    fd, tmp = _open_temp(path)
    entry = (path, tmp)
    try:
        with os.fdopen(fd, "wb") as f:
            fill(f)
            f.flush()
            os.fsync(f.fileno())
        if finish is not None:
            finish(tmp)  # metadata before the rename: the destination is never seen half-done
        check_destination(path)  # again: a link made while we wrote is refused too
        _renames.append(entry)  # before the rename: a signal right after it must still find it
        _replace(tmp, path)
    except BaseException:
        if os.path.lexists(tmp):  # not renamed: nothing changed; otherwise the new file is in place
            try:
                os.unlink(tmp)
            except OSError:
                pass
            if entry in _renames:
                _renames.remove(entry)
        raise
    fsync_dir(path.parent)
    return path


def _keep_mode_of(path):
    """A `finish` giving the temp file the existing destination's permission bits (None if absent)."""
    try:
        mode = stat.S_IMODE(os.lstat(path).st_mode)
    except FileNotFoundError:
        return None
    return lambda tmp: os.chmod(tmp, mode)


def write_bytes_atomic(path, data):
    """Replace `path`'s contents with `data` atomically (see module docstring); return the Path.

    An existing file keeps its permission bits; a new one gets the default mode (umask).
    Raises WriteRefused for a symbolic link or a non-regular file.
    """
    data = bytes(data)
    return _write_atomic(path, lambda f: f.write(data), finish=_keep_mode_of(path))


def write_text_atomic(path, text, encoding="utf-8", errors="strict", newline=None):
    """write_bytes_atomic of `text` encoded; newline=None writes "\\n" as is (no translation)."""
    if newline is not None:
        text = text.replace("\n", newline)
    return write_bytes_atomic(path, text.encode(encoding, errors))


def copy_atomic(src, dst, preserve_stat=True):
    """Copy the bytes of `src` to `dst` atomically (dst: a file path); return dst as a Path.

    preserve_stat: also copy permission bits and times (as shutil.copy2 does); otherwise an
    existing dst keeps its own permission bits. Reading `src` follows links (reading never
    harms); `dst` must not be a link.
    """
    src = Path(src)

    def fill(f):
        with open(src, "rb") as inp:
            shutil.copyfileobj(inp, f, _CHUNK)

    return _write_atomic(dst, fill, finish=(lambda tmp: shutil.copystat(src, tmp)) if preserve_stat
                         else _keep_mode_of(dst))


def shown_path(path, base=None):
    """path relative to `base` (default: the current folder) where it lies under it, else as it is: for screens."""
    base = Path(base or os.getcwd())
    try:
        return str(Path(path).resolve().relative_to(base.resolve()))
    except ValueError:
        return str(path)
