"""Open the database, recovering from a missing, damaged or foreign file without losing it.

No silent fresh start while history exists anywhere: a missing or empty database is replaced
by the backup (or set-aside copy) holding the newest history, and a damaged or foreign file is
kept under another name, then replaced the same way. Damage is diagnosed on a read-write open,
so trouble around the file (a full disk, a read-only folder, a stray journal) is reported and
the file left alone. Each step leaves either the old file or the restored one in place, so a
kill at any instant loses nothing. The learner is told in one sentence what was found and done.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from sqlite_utils import Database

from studyapp.core.backup import (
    BackupProblem,
    BackupSummary,
    list_backups,
    newest_first,
    prepare_copy,
    summarize,
)
from studyapp.core.clock import clamp_future_answers
from studyapp.core.db import SCHEMA_VERSION, DatabaseProblem, open_database
from studyapp.core.dbcheck import schema_problems, user_version
from studyapp.core.dbfiles import (
    COMPANIONS,
    has_sqlite_header,
    is_damage,
    keep_aside,
    regular_file_problem,
    swap_in,
    trouble_text,
    unique_path,
)


class State(StrEnum):
    SOUND = "sound"
    MISSING = "missing"
    EMPTY = "empty"
    DAMAGED = "damaged"
    FOREIGN = "foreign"  # an SQLite file StudyApp did not write


@dataclass(frozen=True)
class Finding:
    state: State
    detail: str = ""  # why it is damaged or foreign, for the learner


def database_problem(path: Path) -> str | None:
    """Why the database file at ``path`` cannot be used as it is, or None."""
    finding = diagnose(path)
    return finding.detail or None if finding.state in (State.DAMAGED, State.FOREIGN) else None


def _refuse_unusable_place(path: Path) -> None:
    if problem := regular_file_problem(path):
        raise DatabaseProblem(
            f"StudyApp cannot use {path} as its database ({problem}); move it away, or choose "
            "another data folder with --data-dir, and start StudyApp again."
        )
    for place in (path, path.parent):
        if place.exists() and not os.access(place, os.W_OK):
            raise DatabaseProblem(
                f"StudyApp cannot write to {place} (it is read-only); fix its permissions or "
                "choose another data folder with --data-dir. Nothing was changed."
            )


def diagnose(path: Path) -> Finding:
    """What the file at ``path`` is; DatabaseProblem for trouble around it (nothing changed)."""
    if not path.exists():
        return Finding(State.MISSING)
    wal = path.with_name(path.name + "-wal")
    if path.stat().st_size == 0 and not (wal.exists() and wal.stat().st_size):
        return Finding(State.EMPTY)
    if path.stat().st_size and not has_sqlite_header(path):
        return Finding(State.DAMAGED, "it is not an SQLite database")
    try:
        # Read-write, as the app opens it: SQLite may need to roll back a hot journal or build
        # the WAL index first, which a read-only open would take for damage.
        conn = sqlite3.connect(path, timeout=10)
        try:
            check = conn.execute("PRAGMA quick_check").fetchone()[0]
            version = user_version(conn)
            objects = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            problems = schema_problems(conn) if check == "ok" else []
        finally:
            conn.close()
    except sqlite3.Error as error:
        if is_damage(error):
            return Finding(State.DAMAGED, "SQLite cannot read it")
        raise DatabaseProblem(
            f"StudyApp cannot open its database {path}: {trouble_text(error)}. Nothing was changed."
        ) from None
    if check != "ok":
        return Finding(State.DAMAGED, "its integrity check found damaged pages")
    if version > SCHEMA_VERSION:
        raise DatabaseProblem(
            f"The database {path} was written by a newer StudyApp (schema {version}, this "
            f"version knows {SCHEMA_VERSION}); update StudyApp to open it."
        )
    if version == 0 and objects == 0:
        return Finding(State.EMPTY)
    if problems:
        return Finding(State.FOREIGN, problems[0])
    return Finding(State.SOUND)


def _set_aside_copies(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.stem}-damaged-*{path.suffix}"))


def _candidates(path: Path, backups: Path, now: datetime) -> list[BackupSummary]:
    """Backups and set-aside copies that can be read, newest history first."""
    files = [b.path for b in list_backups(backups)] + _set_aside_copies(path)
    summaries = []
    for file in files:
        with contextlib.suppress(BackupProblem, OSError):
            summaries.append(summarize(file, now))
    return newest_first(summaries, now)


def _restore_newest(
    path: Path, backups: Path, now: datetime
) -> tuple[BackupSummary | None, list[str]]:
    """Swap in the newest sound history; the summary used (or None) and why others failed."""
    skipped = []
    for candidate in _candidates(path, backups, now):
        try:
            ready = prepare_copy(candidate.path, path)
        except BackupProblem as error:
            skipped.append(str(error))
            continue
        swap_in(ready, path)
        return candidate, skipped
    return None, skipped


def _what_was_restored(summary: BackupSummary, path: Path) -> str:
    where = "the copy set aside" if summary.path.parent == path.parent else "your backup"
    answers = f"{summary.answers:,} answer" + ("" if summary.answers == 1 else "s")
    return f"{where} of {summary.taken_at:%d %B %Y, %H:%M} ({answers}) was restored"


def _keep(path: Path, now: datetime, kind: str) -> Path:
    """The file kept under ``studyapp-<kind>-<time>``, once (a repeated attempt reuses it)."""
    for existing in path.parent.glob(f"{path.stem}-{kind}-*{path.suffix}"):
        with contextlib.suppress(OSError):
            if os.path.samefile(existing, path):
                return existing
    aside = unique_path(path.with_name(f"{path.stem}-{kind}-{now:%Y%m%d-%H%M%S}{path.suffix}"))
    keep_aside(path, aside)
    return aside


def _start_fresh(path: Path) -> None:
    """Remove the (already kept) file: companions first, so no old -wal meets a new file."""
    for extra in COMPANIONS:
        path.with_name(path.name + extra).unlink(missing_ok=True)
    path.unlink(missing_ok=True)


def _keep_stray_companions(path: Path, now: datetime) -> None:
    """A -wal or -journal without its database must not be replayed into a new one."""
    for extra in COMPANIONS:
        stray = path.with_name(path.name + extra)
        if stray.exists():
            stray.replace(
                unique_path(path.with_name(f"{path.stem}-stray-{now:%Y%m%d-%H%M%S}{extra}"))
            )


def open_or_recover(path: Path, backups: Path, now: datetime) -> tuple[Database, str]:
    """The open database, and a sentence for the learner if it had to be recovered (or held
    answers dated in the future)."""
    db, message = _open_or_recover(path, backups, now)
    try:
        future = clamp_future_answers(db, now)
    except (sqlite3.Error, ValueError, KeyError):
        future = ""  # a full disk or an odd card: the answers stay as they are, for now
    return db, " ".join(m for m in (message, future) if m)


def _open_or_recover(path: Path, backups: Path, now: datetime) -> tuple[Database, str]:
    _refuse_unusable_place(path)
    path.with_name(path.name + ".restoring").unlink(missing_ok=True)  # a killed restore's
    finding = diagnose(path)
    if finding.state == State.SOUND:
        return open_database(path), ""
    try:
        if finding.state in (State.MISSING, State.EMPTY):
            if finding.state == State.MISSING:
                _keep_stray_companions(path, now)
            restored, _ = _restore_newest(path, backups, now)
            if restored is None:
                return open_database(path), ""  # a first start: nothing to recover
            return open_database(path), (
                f"StudyApp's database was {finding.state}; {_what_was_restored(restored, path)}. "
                "If you meant to start afresh, move the backups folder aside as well."
            )
        kind = "damaged" if finding.state == State.DAMAGED else "foreign"
        aside = _keep(path, now, kind)
        what = "damaged" if kind == "damaged" else "not a StudyApp database"
        restored, _ = _restore_newest(path, backups, now)
        if restored is not None:
            return open_database(path), (
                f"StudyApp's database was {what} ({finding.detail}); it was kept as {aside} and "
                f"{_what_was_restored(restored, path)}."
            )
        _start_fresh(path)
        return open_database(path), (
            f"StudyApp's database was {what} ({finding.detail}) and there was no backup to "
            f"restore; it was kept as {aside} and a fresh database was started."
        )
    except OSError as error:
        raise DatabaseProblem(
            f"StudyApp could not recover its database {path}: {trouble_text(error)}. "
            "Your files were left as they were."
        ) from None
