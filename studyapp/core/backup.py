"""Backups of the learner's database with SQLite's online backup API.

One automatic backup a day (once the library has loaded), the last ten kept, and always the
newest one that holds answers; backups on demand. A restore accepts only what StudyApp wrote
(schema object by object, values, integrity), migrates a copy and swaps it in whole, after
keeping a safety copy of what it replaces; it never prunes the backup it restores.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from studyapp.core.db import SCHEMA_VERSION, DatabaseProblem, open_database
from studyapp.core.dbcheck import schema_problems, user_version, value_problems
from studyapp.core.dbfiles import (
    connect_read_only,
    has_sqlite_header,
    regular_file_problem,
    settle,
    swap_in,
    trouble_text,
    unique_path,
)

KEEP = 10
PREFIX = "studyapp-"
SUFFIX = ".sqlite3"
SAFETY_LABEL = "before-restore"
# A time this far ahead of the clock was written under a wrong clock: it does not make a
# backup "newest".
CLOCK_SLACK = timedelta(days=1)


class BackupProblem(Exception):
    """A backup or restore that could not be done; the message says why and what to do."""


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken_at: datetime  # local time, from the file name

    @property
    def label(self) -> str:
        rest = self.path.name[len(PREFIX) + 15 : -len(SUFFIX)]
        return rest.lstrip("-").rstrip("-0123456789") if rest else ""


@dataclass(frozen=True)
class BackupSummary:
    """What a backup holds, for the learner choosing one and for telling backups apart."""

    path: Path
    taken_at: datetime  # local time, from the file name
    sources: int
    answers: int
    bookmarks: int
    last_answer_at: datetime | None  # UTC; None without answers (or only future-dated ones)

    def describe(self) -> str:
        answers = f"{self.answers:,} answer" + ("" if self.answers == 1 else "s")
        bookmarks = f"{self.bookmarks:,} bookmark" + ("" if self.bookmarks == 1 else "s")
        sources = f"{self.sources} source" + ("" if self.sources == 1 else "s")
        return f"{self.taken_at:%d %B %Y, %H:%M}: {answers}, {bookmarks}, {sources}"


def backups_dir(data_dir: Path) -> Path:
    return data_dir / "backups"


def _name(now: datetime, label: str = "") -> str:
    stamp = now.strftime("%Y%m%d-%H%M%S")
    return f"{PREFIX}{stamp}{'-' + label if label else ''}{SUFFIX}"


_STAMP = re.compile(r"-(\d{8}-\d{6})")


def _named_time(path: Path) -> datetime | None:
    """The time in a backup's (or a set-aside copy's) name."""
    match = _STAMP.search(path.name)
    try:
        return datetime.strptime(match.group(1), "%Y%m%d-%H%M%S") if match else None
    except ValueError:
        return None


def list_backups(directory: Path) -> list[BackupFile]:
    """Backups by the time in their names, newest first."""
    found = []
    with contextlib.suppress(OSError):
        for path in directory.glob(f"{PREFIX}*{SUFFIX}"):
            if (taken := _named_time(path)) is not None:
                found.append(BackupFile(path, taken))
    return sorted(found, key=lambda b: (b.taken_at, b.path.name), reverse=True)


def _count(conn: sqlite3.Connection, table: str) -> int:
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    except sqlite3.Error:
        return 0  # an older schema without this table


def summarize(path: Path, now: datetime) -> BackupSummary:
    """What the backup at ``path`` holds; BackupProblem if it cannot be read."""
    taken = _named_time(path) or datetime.fromtimestamp(path.stat().st_mtime)
    horizon = now.astimezone(UTC) + CLOCK_SLACK
    try:
        conn = connect_read_only(path)
        try:
            last = conn.execute(
                "SELECT max(reviewed_at) FROM review_log WHERE reviewed_at <= ?",
                [horizon.isoformat(timespec="microseconds")],
            ).fetchone()[0]
            summary = BackupSummary(
                path=path,
                taken_at=taken,
                sources=_count(conn, "sources"),
                answers=_count(conn, "review_log"),
                bookmarks=_count(conn, "bookmarks WHERE deleted_at IS NULL"),
                last_answer_at=_parse_time(last),
            )
        finally:
            conn.close()
    except sqlite3.Error as error:
        raise BackupProblem(f"{path} cannot be read as a backup ({error})") from None
    return summary


def _parse_time(text: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def describe_backup(path: Path, now: datetime | None = None) -> BackupSummary:
    """A backup's date, sources, answers and bookmarks, for choosing one to restore."""
    return summarize(path, now or datetime.now(UTC))


def newest_first(summaries: list[BackupSummary], now: datetime) -> list[BackupSummary]:
    """Newest by what they hold: the last answer (a future-dated one does not count), then
    how many answers, then the time in the name unless that is in the future."""
    horizon = now.replace(tzinfo=None) + CLOCK_SLACK

    def key(summary: BackupSummary):
        named = summary.taken_at if summary.taken_at <= horizon else datetime.min
        last = summary.last_answer_at or datetime.min.replace(tzinfo=UTC)
        return (last, summary.answers, named)

    return sorted(summaries, key=key, reverse=True)


def _readable(backups: list[BackupFile], now: datetime) -> list[BackupSummary]:
    summaries = []
    for backup in backups:
        with contextlib.suppress(BackupProblem, OSError):
            summaries.append(summarize(backup.path, now))
    return summaries


def _prune(directory: Path, now: datetime, protect: set[Path]) -> None:
    """Keep the ten newest backups and the ten newest safety copies, and always the newest
    backup that holds answers, so a run of empty days never rotates the history away."""
    everything = _readable(list_backups(directory), now)
    for wanted_label in ("", SAFETY_LABEL):
        group = [
            s
            for s in newest_first(everything, now)
            if BackupFile(s.path, s.taken_at).label == wanted_label
        ]
        keep = {s.path for s in group[:KEEP]} | protect
        with_answers = next((s for s in group if s.answers), None)
        if with_answers:
            keep.add(with_answers.path)
        for summary in group:
            if summary.path not in keep:
                summary.path.unlink(missing_ok=True)
    for stale in directory.glob("*.partial"):  # left by a backup that was killed
        with contextlib.suppress(OSError):
            if stale.stat().st_mtime < (now - timedelta(hours=1)).timestamp():
                stale.unlink()


def back_up(
    db_path: Path,
    directory: Path,
    now: datetime,
    label: str = "",
    protect: frozenset[Path] = frozenset(),
) -> Path:
    """Copy the database, consistently even while it is in use, under a name no other backup
    has; then prune old ones (never those in ``protect``)."""
    if not db_path.is_file():
        raise BackupProblem(f"there is no database at {db_path} to back up")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handle, partial_name = tempfile.mkstemp(dir=directory, suffix=".partial")
        os.close(handle)
        partial = Path(partial_name)
        try:
            _copy(db_path, partial, source_read_only=False)
            target = _claim(partial, directory / _name(now, label))
        finally:
            partial.unlink(missing_ok=True)
    except (OSError, sqlite3.Error) as error:
        raise BackupProblem(
            f"StudyApp could not write a backup to {directory} ({trouble_text(error)})"
        ) from None
    _prune(directory, now, set(protect) | {target})
    return target


def _copy(source: Path, target: Path, source_read_only: bool) -> None:
    """A whole, checked copy of ``source`` at ``target`` (a rollback-journal file, so that
    opening it read-only later writes nothing beside it)."""
    reader = connect_read_only(source) if source_read_only else sqlite3.connect(source)
    writer = sqlite3.connect(target)
    try:
        reader.backup(writer)
        writer.execute("PRAGMA journal_mode = DELETE")
        healthy = writer.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    finally:
        writer.close()
        reader.close()
    if not healthy:
        raise BackupProblem("the copy failed its integrity check; nothing was kept")
    with open(target, "rb+") as file:
        os.fsync(file.fileno())


def _claim(partial: Path, wanted: Path) -> Path:
    """Give the finished copy its name without ever replacing another file."""
    while True:
        target = unique_path(wanted)
        try:
            os.link(partial, target)  # fails if the name was taken meanwhile
            return target
        except FileExistsError:
            continue
        except OSError:
            target.write_bytes(partial.read_bytes())  # no hard links on this file system
            return target


def back_up_daily(db_path: Path, directory: Path, now: datetime) -> Path | None:
    """A backup unless one was already taken today (local date of ``now``), or the database
    holds nothing yet (no sources, answers or bookmarks)."""
    todays = [
        b
        for b in list_backups(directory)
        if b.taken_at.date() == now.date() and b.label != SAFETY_LABEL
    ]
    if todays or _is_empty(db_path):
        return None
    return back_up(db_path, directory, now)


def _is_empty(db_path: Path) -> bool:
    try:
        conn = sqlite3.connect(db_path)
        try:
            return not any(_count(conn, t) for t in ("sources", "review_log", "bookmarks"))
        finally:
            conn.close()
    except sqlite3.Error:
        return False


def check_backup(path: Path) -> None:
    """BackupProblem unless ``path`` is a StudyApp database, as StudyApp writes it, that this
    version can open."""
    if problem := regular_file_problem(path):
        raise BackupProblem(f"{path} cannot be restored ({problem})")
    if not path.exists():
        raise BackupProblem(f"{path} does not exist")
    if not has_sqlite_header(path):
        raise BackupProblem(f"{path} is not a StudyApp backup (it is not an SQLite database)")
    try:
        conn = connect_read_only(path)
        try:
            version = user_version(conn)
            if version > SCHEMA_VERSION:
                raise BackupProblem(
                    f"{path} was made by a newer StudyApp; update StudyApp to restore it"
                )
            if version < 1:
                raise BackupProblem(f"{path} is an SQLite file but not a StudyApp backup")
            if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise BackupProblem(f"{path} is damaged; choose another backup")
            problems = schema_problems(conn) or value_problems(conn)
        finally:
            conn.close()
    except sqlite3.Error as error:
        raise BackupProblem(f"{path} cannot be read as a backup ({error})") from None
    if problems:
        raise BackupProblem(
            f"{path} is not a backup StudyApp wrote ({'; '.join(problems)}); choose another"
        )


def prepare_copy(backup: Path, db_path: Path) -> Path:
    """A checked, migrated copy of ``backup`` beside ``db_path``, ready to be swapped in."""
    check_backup(backup)
    ready = db_path.with_name(db_path.name + ".restoring")
    for leftover in (ready, *(ready.with_name(ready.name + e) for e in ("-wal", "-shm"))):
        leftover.unlink(missing_ok=True)
    try:
        _copy(backup, ready, source_read_only=True)
        open_database(ready).close()  # migrations run on the copy, never on the live file
        conn = sqlite3.connect(ready)
        try:
            problems = schema_problems(conn)
        finally:
            conn.close()
        if problems:
            raise BackupProblem(f"{backup} could not be brought up to date ({problems[0]})")
        settle(ready)
    except (OSError, sqlite3.Error, DatabaseProblem) as error:
        ready.unlink(missing_ok=True)
        raise BackupProblem(
            f"{backup} could not be copied next to your data ({trouble_text(error)})"
        ) from None
    except BackupProblem:
        ready.unlink(missing_ok=True)
        raise
    return ready


def restore(backup: Path, db_path: Path, directory: Path, now: datetime) -> Path | None:
    """Replace the database with ``backup``; return the safety copy of the one replaced.

    Nothing changes unless the file is a StudyApp backup. The caller must have closed its own
    connections to ``db_path`` and hold the data folder's lock.
    """
    backup = backup.expanduser()
    ready = prepare_copy(backup, db_path)
    try:
        safety = None
        if db_path.exists():
            safety = back_up(
                db_path, directory, now, label=SAFETY_LABEL, protect=frozenset({backup})
            )
            with contextlib.suppress(sqlite3.Error):
                settle(db_path)
        swap_in(ready, db_path)
    except (OSError, sqlite3.Error) as error:
        ready.unlink(missing_ok=True)
        kept = f"; your data is in {safety}" if safety else ""
        raise BackupProblem(
            f"the restore from {backup} failed ({trouble_text(error)}){kept}"
        ) from None
    except BackupProblem:
        ready.unlink(missing_ok=True)
        raise
    return safety
