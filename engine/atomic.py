"""Atomic file writes: a file is either its old self or its complete new self, never half.

Writing results in place loses them on any failure: a full disk cuts a CSV mid-row, and a crash
between opening and closing leaves an empty file where a good one was. Here every file is
written to a temporary file in the same folder (so the final rename stays on one file system),
flushed and fsynced, then renamed over the target with :func:`os.replace`, which POSIX and
Windows make atomic. On any failure the temporary file is removed and the old file, if there
was one, is untouched.

A writer killed mid-write (SIGKILL, power loss) cannot remove its temporary file, so the name
says what it is: ``.NAME.XXXXXXXX.tmp.EXT`` beside ``NAME.EXT`` (:func:`is_temporary`), and
every write first removes such leftovers in its folder not written to for
:data:`STALE_SECONDS` (:func:`remove_stale`): the next export to a folder cleans up after a
killed one, and nothing else is ever touched.

An error while writing is re-raised as an :class:`OSError` of the same kind whose ``filename``
is the target (not the temporary name; an error with a message only gets the target's name in
its message), so a message built from it names the file the user asked for.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time

#: A temporary file not written to for this long is a killed writer's leftover: a live writer
#: writes far more often (a chunk of rows, an image), and a minute leaves room for a slow disk.
STALE_SECONDS = 60.0

# mkstemp's names: the prefix and suffix given in atomic_path around 8 characters of
# tempfile's alphabet (lower-case letters, digits, underscore).
_TEMPORARY = re.compile(r"\.(?P<name>.+)\.[a-z0-9_]{8}\.tmp(?P<extension>(\.[^.]*)?)")


def _read_umask():
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


#: Permissions a plain ``open(path, "w")`` would give a new file (mkstemp's are 0600).
_NEW_FILE_MODE = 0o666 & ~_read_umask()


@contextlib.contextmanager
def atomic_path(path):
    """Yield a temporary path beside ``path``; on success it replaces ``path`` atomically.

    For writers that take a file name rather than a file object (an image exporter, say): the
    temporary name keeps ``path``'s extension, so format detection by suffix still works.
    The writer must create the file; if it does not, or it raises, ``path`` is untouched.

    Raises
    ------
    OSError
        With ``filename`` set to ``path``: the folder is missing or read-only, ``path`` is a
        folder, the disk is full, or the writer created no file.
    """
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise IsADirectoryError(21, "Is a directory", path)
    name = os.path.basename(path)
    _, extension = os.path.splitext(name)
    remove_stale(folder)
    try:
        handle, temp = tempfile.mkstemp(prefix=f".{name}.", suffix=f".tmp{extension}",
                                        dir=folder)
    except OSError as exc:
        raise _naming(exc, path) from None
    os.close(handle)
    try:
        os.unlink(temp)  # the writer creates it; a leftover empty file would hide a failure
        yield temp
        if not os.path.isfile(temp):
            raise FileNotFoundError(2, "the writer produced no file", path)
        _fsync_file(temp)
        _chmod_like(temp, path)
        os.replace(temp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(exc, OSError) and exc.filename in (None, temp):
            raise _naming(exc, path, temp) from None
        raise
    _fsync_folder(folder)


@contextlib.contextmanager
def atomic_write(path, mode="w", encoding="utf-8", newline=None):
    """Open a temporary file beside ``path`` for writing; on success rename it over ``path``.

    Parameters
    ----------
    path : str or os.PathLike
    mode : {"w", "wb"}
        Text or binary.
    encoding, newline
        As for :func:`open`, text mode only.

    Yields
    ------
    file object
        Write to it; leaving the ``with`` block normally commits, an exception discards.
    """
    if mode not in ("w", "wb"):
        raise ValueError(f"atomic_write mode must be 'w' or 'wb', got {mode!r}")
    with atomic_path(path) as temp:
        try:
            if mode == "w":
                handle = open(temp, "x", encoding=encoding, newline=newline)
            else:
                handle = open(temp, "xb")
        except OSError as exc:
            raise _naming(exc, path) from None
        with handle:
            yield handle


def write_text(path, text, encoding="utf-8"):
    """Write ``text`` to ``path`` atomically (see :func:`atomic_write`)."""
    with atomic_write(path, "w", encoding=encoding, newline="") as handle:
        handle.write(text)


def write_bytes(path, data):
    """Write ``data`` to ``path`` atomically (see :func:`atomic_write`)."""
    with atomic_write(path, "wb") as handle:
        handle.write(data)


def is_temporary(filename):
    """Whether ``filename`` (a name, not a path) is one of :func:`atomic_path`'s temporary
    files: ``.NAME.XXXXXXXX.tmp.EXT``, where NAME ends in ``.EXT`` (or neither has one)."""
    match = _TEMPORARY.fullmatch(filename)
    return bool(match) and os.path.splitext(match["name"])[1] == match["extension"]


def remove_stale(folder, older_than=STALE_SECONDS):
    """Remove the temporary files of this module's writes in ``folder`` (:func:`is_temporary`)
    that nobody has written to for ``older_than`` seconds; return the paths removed.

    Best effort: a folder that cannot be listed, or a file that cannot be removed (another
    process's, read-only), is left alone; the write that called this goes on.
    """
    removed, now = [], time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not is_temporary(entry.name):
            continue
        with contextlib.suppress(OSError):
            if entry.is_file(follow_symlinks=False) and (
                    now - entry.stat(follow_symlinks=False).st_mtime >= older_than):
                os.unlink(entry.path)
                removed.append(entry.path)
    return removed


def _naming(exc, path, temp=None):
    """The same kind of OSError as ``exc``, naming ``path`` (where it named ``temp``)."""
    if exc.errno is None:  # a message only (e.g. "could not write <temp>"): name the target
        text = str(exc)
        return OSError(text.replace(temp, os.fspath(path)) if temp else text)
    return OSError(exc.errno, exc.strerror, os.fspath(path))


def _fsync_file(path):
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _chmod_like(temp, path):
    """Give the new file the old file's permissions, or those of a newly created file."""
    try:
        mode = os.stat(path).st_mode & 0o7777
    except OSError:
        mode = _NEW_FILE_MODE
    os.chmod(temp, mode)


def _fsync_folder(folder):
    """Make the rename itself durable where the platform allows (POSIX); best effort."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


__all__ = ["atomic_path", "atomic_write", "write_text", "write_bytes", "is_temporary",
           "remove_stale", "STALE_SECONDS"]
