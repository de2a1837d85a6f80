"""Backups of the learner's database with SQLite's online backup API.

One automatic backup a day (on start), the last ten kept; backups on demand; restoring
checks that the file is a StudyApp database first and backs up the current one before
replacing it, so a restore can itself be undone.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from studyapp.core.db import SCHEMA_VERSION

KEEP = 10
PREFIX = "studyapp-"
SUFFIX = ".sqlite3"
_USER_TABLES = {"settings"}  # present in every StudyApp database since schema 1


class BackupProblem(Exception):
    """A backup or restore that could not be done; the message says why and what to do."""


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken_at: datetime  # local time, from the file name


def backups_dir(data_dir: Path) -> Path:
    return data_dir / "backups"


def _name(now: datetime, label: str = "") -> str:
    stamp = now.strftime("%Y%m%d-%H%M%S")
    return f"{PREFIX}{stamp}{'-' + label if label else ''}{SUFFIX}"


def list_backups(directory: Path) -> list[BackupFile]:
    """Backups, newest first."""
    found = []
    for path in directory.glob(f"{PREFIX}*{SUFFIX}"):
        try:
            taken = datetime.strptime(path.name[len(PREFIX) : len(PREFIX) + 15], "%Y%m%d-%H%M%S")
        except ValueError:
            continue
        found.append(BackupFile(path, taken))
    return sorted(found, key=lambda b: (b.taken_at, b.path.name), reverse=True)


def back_up(db_path: Path, directory: Path, now: datetime, label: str = "") -> Path:
    """Copy the database, consistently even while it is in use, and keep the last ten."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        target = directory / _name(now, label)
        partial = target.with_suffix(".partial")
        source = sqlite3.connect(db_path)
        destination = sqlite3.connect(partial)
        try:
            source.backup(destination)
            ok = destination.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        finally:
            destination.close()
            source.close()
        if not ok:
            partial.unlink(missing_ok=True)
            raise BackupProblem("the backup copy failed its integrity check; nothing was kept")
        partial.replace(target)  # a backup file is whole or absent
    except (OSError, sqlite3.Error) as error:
        raise BackupProblem(
            f"StudyApp could not write a backup to {directory} ({error}); check that the "
            "folder is writable and the disk has space"
        ) from None
    for old in list_backups(directory)[KEEP:]:
        old.path.unlink(missing_ok=True)
    return target


def back_up_daily(db_path: Path, directory: Path, now: datetime) -> Path | None:
    """A backup unless one was already taken today (local date of ``now``)."""
    newest = next(iter(list_backups(directory)), None)
    if newest and newest.taken_at.date() == now.date():
        return None
    return back_up(db_path, directory, now)


def copy_database(source: Path, target: Path) -> None:
    """Copy a database file over ``target`` with the backup API (``source`` opened read-only)."""
    reader = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    writer = sqlite3.connect(target)
    try:
        reader.backup(writer)
    finally:
        writer.close()
        reader.close()


def check_backup(path: Path) -> None:
    """BackupProblem unless ``path`` is a StudyApp database this version can open."""
    if not path.is_file():
        raise BackupProblem(f"{path} does not exist")
    with open(path, "rb") as file:
        header = file.read(16)
    if header != b"SQLite format 3\x00":
        raise BackupProblem(f"{path} is not a StudyApp backup (it is not an SQLite database)")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            healthy = conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        finally:
            conn.close()
    except sqlite3.Error as error:
        raise BackupProblem(f"{path} cannot be read as a backup ({error})") from None
    if not tables >= _USER_TABLES or version < 1:
        raise BackupProblem(f"{path} is an SQLite file but not a StudyApp backup")
    if version > SCHEMA_VERSION:
        raise BackupProblem(f"{path} was made by a newer StudyApp; update StudyApp to restore it")
    if not healthy:
        raise BackupProblem(f"{path} is damaged; choose another backup")


def restore(backup: Path, db_path: Path, directory: Path, now: datetime) -> Path:
    """Replace the database with ``backup``; return the safety copy of the one replaced.

    Nothing changes if the file is not a StudyApp backup. The caller must have closed its
    own connections to ``db_path``.
    """
    check_backup(backup)
    safety = back_up(db_path, directory, now, label="before-restore") if db_path.exists() else None
    try:
        copy_database(backup, db_path)
    except sqlite3.Error as error:
        raise BackupProblem(
            f"the restore from {backup} failed ({error}); your data is in {safety}"
        ) from None
    return safety
