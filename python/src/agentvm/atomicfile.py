"""Crash-safe replacement of small files, and the lock that serialises writers."""

import fcntl
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from agentvm.errors import AgentvmError


class Owner(NamedTuple):
    uid: int
    gid: int


@contextmanager
def directory_lock(directory: Path) -> Iterator[None]:
    """Hold an exclusive flock on ``directory`` itself.

    Files in it are replaced by rename, so a lock on a file would guard an inode that
    the next writer no longer opens; locking the directory needs no lock file either,
    which would otherwise litter the user's flake.
    """
    try:
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except FileNotFoundError:
        raise AgentvmError(f"directory {directory} does not exist") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the last descriptor releases the lock


def write_atomically(
    path: Path, text: str, new_file_mode: int, new_file_owner: Owner | None
) -> None:
    """Replace ``path`` with ``text`` so readers see the old or the new file, never a mix.

    An existing file keeps its mode and owner; a new one gets ``new_file_mode`` and, when
    given, ``new_file_owner``.
    """
    owner: Owner | None
    try:
        existing = path.stat()
        mode, owner = existing.st_mode & 0o7777, Owner(existing.st_uid, existing.st_gid)
    except FileNotFoundError:
        mode, owner = new_file_mode, new_file_owner
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fchmod(file.fileno(), mode)
            if owner is not None and owner != _owner_of(file.fileno()):
                os.fchown(file.fileno(), *owner)
            os.fsync(file.fileno())
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _fsync_directory(path.parent)


def _owner_of(fd: int) -> Owner:
    status = os.fstat(fd)
    return Owner(status.st_uid, status.st_gid)


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable."""
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
