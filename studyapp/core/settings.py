"""The learner's settings and first-run flags: key/value rows, committed at once."""

from __future__ import annotations

from sqlite_utils import Database

from studyapp.core.db import write_transaction

DISCLAIMER_SEEN = "disclaimer_seen"


def get_setting(db: Database, key: str, default: str = "") -> str:
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return row[0] if row else default


def set_setting(db: Database, key: str, value: str) -> None:
    with write_transaction(db):
        db.execute(
            "INSERT INTO settings(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )
