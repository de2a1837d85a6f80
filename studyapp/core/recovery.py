"""Open the database, recovering from a damaged file without losing it.

Every open starts with a quick integrity check. A file that is corrupt, truncated or not
SQLite at all is moved aside (never deleted), the newest good backup is restored, or a
fresh database is created when there is none; the learner is told in one sentence.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from studyapp.core.backup import BackupProblem, check_backup, copy_database, list_backups
from studyapp.core.db import open_database

SQLITE_HEADER = b"SQLite format 3\x00"


def database_problem(path: Path) -> str | None:
    """Why the database file at ``path`` cannot be trusted, or None when it is sound."""
    if not path.exists() or path.stat().st_size == 0:
        return None  # nothing yet: a fresh database will be made
    with open(path, "rb") as file:
        header = file.read(16)
    if header != SQLITE_HEADER:
        return "it is not an SQLite database"
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error as error:
        return f"it cannot be read ({error})"
    return None if result == "ok" else f"its integrity check failed ({result})"


def _move_aside(path: Path, now: datetime) -> Path:
    damaged = path.with_name(f"{path.stem}-damaged-{now:%Y%m%d-%H%M%S}{path.suffix}")
    path.replace(damaged)
    for extra in ("-wal", "-shm"):  # they belong to the damaged file, not to a fresh one
        companion = path.with_name(path.name + extra)
        if companion.exists():
            companion.replace(damaged.with_name(damaged.name + extra))
    return damaged


def open_or_recover(path: Path, backups: Path, now: datetime) -> tuple[Database, str]:
    """The open database, and a sentence for the learner if it had to be recovered."""
    problem = database_problem(path)
    if problem is None:
        return open_database(path), ""
    damaged = _move_aside(path, now)
    for backup in list_backups(backups):
        try:
            check_backup(backup.path)
        except BackupProblem:
            continue
        copy_database(backup.path, path)
        message = (
            f"StudyApp's database was damaged ({problem}); it was moved to {damaged} and your "
            f"backup of {backup.taken_at:%d %B %Y, %H:%M} was restored."
        )
        return open_database(path), message
    message = (
        f"StudyApp's database was damaged ({problem}) and there was no backup to restore; "
        f"it was moved to {damaged} and a fresh database was started."
    )
    return open_database(path), message
