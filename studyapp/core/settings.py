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


NEW_PER_DAY = "new_per_day"
REVIEWS_PER_DAY = "reviews_per_day"
DESIRED_RETENTION = "desired_retention"


def study_settings(db: Database):
    """The daily limits and desired retention the learner chose (defaults until then)."""
    from studyapp.core.srs import DEFAULT_DESIRED_RETENTION
    from studyapp.core.study import Limits

    defaults = Limits()
    try:
        limits = Limits(
            new_per_day=int(get_setting(db, NEW_PER_DAY, str(defaults.new_per_day))),
            reviews_per_day=int(get_setting(db, REVIEWS_PER_DAY, str(defaults.reviews_per_day))),
        )
        retention = float(get_setting(db, DESIRED_RETENTION, str(DEFAULT_DESIRED_RETENTION)))
    except ValueError:  # a damaged setting falls back to the defaults
        return defaults, DEFAULT_DESIRED_RETENTION
    return limits, retention
