"""A real library for data-safety tests: the seeds ingested, answers given through the review
session, a bookmark; and a way to count what a database file holds without changing it."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from studyapp.core.bookmarks import add_bookmark
from studyapp.core.db import open_database
from studyapp.core.ingest import ingest
from studyapp.core.review import ReviewSession
from studyapp.core.study import Limits

REPO = Path(__file__).resolve().parents[2]
SEEDS, CONTENT = REPO / "seeds", REPO / "resources" / "content"
ANSWERED_AT = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


class _Quiet:
    def show_intro(self, intro, counts): ...
    def show_item(self, scheduled, counts): ...
    def show_feedback(self, feedback): ...
    def show_summary(self, summary): ...
    def show_problem(self, message): ...


def build_library(path: Path, answers: int, start: datetime = ANSWERED_AT) -> None:
    """A database at ``path`` with the seeds, ``answers`` answers and one bookmark."""
    db = open_database(path)
    try:
        assert ingest(db, SEEDS, CONTENT).ok
        add_bookmark(db, "source", "placeholder", start, note="my note")
        more_answers(db, answers, start)
    finally:
        db.close()


def more_answers(db, answers: int, start: datetime) -> None:
    moments = iter(start + timedelta(minutes=i) for i in range(10**6))
    session = ReviewSession(db, _Quiet(), lambda: next(moments), limits=Limits(10**4, 10**4))
    session.start()
    for _ in range(answers):
        if session.intro is not None:
            session.begin()
        session.answer("1")
        session.rate(3)


def terminal_learner(keys):
    """(read, write) for run_review: a learner who presses Enter at each new unit's card
    and otherwise types ``keys`` in turn; what was written is in ``write.lines``."""
    keys = iter(keys)
    lines: list[str] = []

    def write(text: str) -> None:
        lines.append(text)

    def read(prompt: str) -> str:
        if lines and lines[-1].startswith("Press Enter to begin"):
            lines.append("")
            return ""
        return next(keys)

    write.lines = lines
    return read, write


def answers_in(path: Path) -> int:
    """How many answers the database file at ``path`` holds (read-only, nothing written)."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM review_log").fetchone()[0]
    finally:
        conn.close()


def settle(path: Path) -> None:
    """Everything in the file itself, nothing left in its -wal."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def fill_disk(folder: Path) -> Path:
    """Write a file into ``folder`` until its disk is full; delete it to free the space."""
    filler = folder / "filler"
    handle = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        for size in (1 << 16, 4096, 512, 1):
            try:
                while True:
                    os.write(handle, b"\0" * size)
            except OSError:
                continue
    finally:
        os.close(handle)
    return filler
