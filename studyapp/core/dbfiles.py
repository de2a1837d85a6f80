"""Database files as files: opening one read-only by its path, telling damage from trouble
around it (a full disk, a read-only folder), and swapping a new file in atomically.

Paths are never pasted into ``file:`` URIs: a ``#`` or ``?`` in a folder name would cut the
path short, and SQLite would open (and create) a different file.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from pathlib import Path

SQLITE_HEADER = b"SQLite format 3\x00"
COMPANIONS = ("-wal", "-shm", "-journal")

# SQLite's primary result codes that mean "the file is not a sound database". Every other
# failure (full disk, read-only folder, I/O error, busy, no memory) is trouble around the file,
# and the file itself must be left alone.
_DAMAGE_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB


def read_only_uri(path: Path) -> str:
    """A ``file:`` URI for ``path`` that opens it read-only and never writes beside it.

    ``immutable=1`` also stops SQLite from creating ``-shm`` and ``-wal`` files next to a file
    the learner chose (a backup in their own folder)."""
    return f"{path.resolve().as_uri()}?mode=ro&immutable=1"


def connect_read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(read_only_uri(path), uri=True)


def is_damage(error: sqlite3.Error) -> bool:
    """Whether ``error`` says the file's contents are damaged (not: the disk is full)."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _DAMAGE_CODES
    text = str(error)
    return "malformed" in text or "not a database" in text


def trouble_text(error: BaseException) -> str:
    """What went wrong around a database file, and what to do, as the end of a sentence."""
    text = str(error)
    if isinstance(error, OSError) and error.strerror:
        text = error.strerror
    lowered = text.lower()
    if "full" in lowered or "no space" in lowered:
        return "the disk is full; free some space and try again"
    if "readonly" in lowered or "read-only" in lowered or "permission" in lowered:
        return "its folder is read-only; fix the folder's permissions or choose another folder"
    if "locked" in lowered or "busy" in lowered:
        return "another program is using it; close that program and try again"
    return f"{text}; check the disk and try again"


def has_sqlite_header(path: Path) -> bool:
    with open(path, "rb") as file:
        return file.read(16) == SQLITE_HEADER


def regular_file_problem(path: Path) -> str | None:
    """Why ``path`` (if it exists) cannot hold a database: a folder, a device, a pipe..."""
    try:
        mode = path.stat().st_mode  # follows a symbolic link to what it points at
    except FileNotFoundError:
        return "it is a link to nothing" if path.is_symlink() else None
    except OSError as error:
        return f"it cannot be read ({error.strerror})"
    if stat.S_ISDIR(mode):
        return "it is a folder, not a file"
    if not stat.S_ISREG(mode):
        return "it is a device or a pipe, not a file"
    return None


def sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (no-op where folders cannot be opened)."""
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def keep_aside(path: Path, aside: Path) -> None:
    """Keep the file at ``path`` (and its companions) under the name ``aside`` as well.

    A hard link when the file system has them, so the original stays in place until it is
    replaced and nothing is copied; a copy otherwise. Never moves or deletes ``path``."""
    try:
        os.link(path, aside)
    except FileExistsError:
        raise
    except OSError:
        _copy_file(path, aside)
    for extra in ("-wal",):
        companion = path.with_name(path.name + extra)
        if companion.exists():
            _copy_file(companion, aside.with_name(aside.name + extra))


def _copy_file(source: Path, target: Path) -> None:
    with open(source, "rb") as reader, open(target, "xb") as writer:
        while chunk := reader.read(1 << 20):
            writer.write(chunk)
        writer.flush()
        os.fsync(writer.fileno())


def swap_in(new_file: Path, path: Path) -> None:
    """Put ``new_file`` in place of ``path`` in one rename.

    A kill at any instant leaves either the old file or the new one at ``path``. The old
    file's ``-wal`` and ``-shm`` go first, since SQLite would replay an old ``-wal`` into the
    new file; callers keep a copy of the old file (and its ``-wal``) beforehand."""
    for extra in COMPANIONS:
        path.with_name(path.name + extra).unlink(missing_ok=True)
    os.replace(new_file, path)
    sync_folder(path.parent)


def unique_path(path: Path) -> Path:
    """``path``, or ``name-2.ext``, ``name-3.ext``... whichever does not exist yet."""
    candidate, n = path, 1
    while candidate.exists() or candidate.is_symlink():
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate


def settle(path: Path) -> None:
    """Fold a healthy database's ``-wal`` into the file itself, so the file alone is whole."""
    conn = sqlite3.connect(path, timeout=10)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
