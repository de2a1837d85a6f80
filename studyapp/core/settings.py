"""The learner's settings and first-run flags: key/value rows, committed at once."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from sqlite_utils import Database

from studyapp.core.db import write_transaction

DISCLAIMER_SEEN = "disclaimer_seen"
READING_PLACE = "reading_place"  # the source and passage the learner last read
Number = TypeVar("Number", int, float)


def get_setting(db: Database, key: str, default: str = "") -> str:
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return row[0] if row else default


def _put(db: Database, key: str, value: str) -> None:
    db.execute(
        "INSERT INTO settings(key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, value],
    )


def set_setting(db: Database, key: str, value: str) -> None:
    with write_transaction(db):
        _put(db, key, value)


NEW_PER_DAY = "new_per_day"
REVIEWS_PER_DAY = "reviews_per_day"
DESIRED_RETENTION = "desired_retention"
DAY_START_HOUR = "day_start_hour"  # when a study day begins, local time (0-23)
QUIZ_DETAILS = "quiz_details"  # "1": quiz detail facts (citation data, asides) too


THEME = "theme"  # system, light or dark
FONT_SIZE = "font_size"  # points; 0 = the system's
THEMES = ("system", "light", "dark")


DAILY_LIMIT = (0, 9999)
RETENTION = (0.70, 0.99)
FONT_POINTS = (8, 28)  # or 0: the system's size
DAY_HOURS = (0, 23)


def _within(bounds: tuple[float, float]) -> Callable[[float], bool]:
    return lambda value: bounds[0] <= value <= bounds[1]


@dataclass(frozen=True)
class Preferences:
    """Everything the Settings dialog edits."""

    new_per_day: int = 20
    reviews_per_day: int = 200
    desired_retention: float = 0.9
    theme: str = "system"
    font_size: int = 0
    day_start_hour: int = 4
    quiz_details: bool = False

    def problems(self) -> list[str]:
        found = []
        if not _within(DAILY_LIMIT)(self.new_per_day):
            found.append("new items a day must be between 0 and 9999")
        if not _within(DAILY_LIMIT)(self.reviews_per_day):
            found.append("reviews a day must be between 0 and 9999")
        if not _within(RETENTION)(self.desired_retention):
            found.append("desired retention must be between 0.70 and 0.99")
        if self.theme not in THEMES:
            found.append(f"theme must be one of {', '.join(THEMES)}")
        if self.font_size and not _within(FONT_POINTS)(self.font_size):
            found.append("font size must be between 8 and 28 points")
        if not _within(DAY_HOURS)(self.day_start_hour):
            found.append("the day start must be an hour between 0 and 23")
        return found


def _number(
    db: Database,
    key: str,
    kind: Callable[[str], Number],
    default: Number,
    allowed: Callable[[Number], bool],
) -> Number:
    """A stored number, or ``default`` when it is missing, damaged or out of range (a restored
    file can hold 'NaN' or 1e20, which would stop every review)."""
    try:
        value = kind(get_setting(db, key, str(default)))
    except (ValueError, OverflowError):
        return default
    return value if math.isfinite(value) and allowed(value) else default


def load_preferences(db: Database) -> Preferences:
    """What the learner chose, each setting its default until then (or if damaged)."""
    defaults = Preferences()
    theme = get_setting(db, THEME, defaults.theme)
    return Preferences(
        _number(db, NEW_PER_DAY, int, defaults.new_per_day, _within(DAILY_LIMIT)),
        _number(db, REVIEWS_PER_DAY, int, defaults.reviews_per_day, _within(DAILY_LIMIT)),
        _number(db, DESIRED_RETENTION, float, defaults.desired_retention, _within(RETENTION)),
        theme if theme in THEMES else defaults.theme,
        _number(
            db, FONT_SIZE, int, defaults.font_size, lambda p: p == 0 or _within(FONT_POINTS)(p)
        ),
        _number(db, DAY_START_HOUR, int, defaults.day_start_hour, _within(DAY_HOURS)),
        get_setting(db, QUIZ_DETAILS, "0") == "1",
    )


def study_settings(db: Database):
    """The daily limits and desired retention the learner chose (defaults until then)."""
    # Imported here: study brings fsrs, which start-up (reading the theme) does without.
    from studyapp.core.study import Limits

    chosen = load_preferences(db)
    return Limits(chosen.new_per_day, chosen.reviews_per_day), chosen.desired_retention


def day_start_hour(db: Database) -> int:
    """The hour (local time) at which the learner's study day begins."""
    return load_preferences(db).day_start_hour


def save_preferences(db: Database, preferences: Preferences) -> None:
    """Save all preferences in one transaction; ValueError (nothing saved) if any is invalid."""
    problems = preferences.problems()
    if problems:
        raise ValueError("; ".join(problems))
    values = {
        NEW_PER_DAY: str(preferences.new_per_day),
        REVIEWS_PER_DAY: str(preferences.reviews_per_day),
        DESIRED_RETENTION: f"{preferences.desired_retention:.2f}",
        THEME: preferences.theme,
        FONT_SIZE: str(preferences.font_size),
        DAY_START_HOUR: str(preferences.day_start_hour),
        QUIZ_DETAILS: "1" if preferences.quiz_details else "0",
    }
    with write_transaction(db):
        for key, value in values.items():
            _put(db, key, value)


def save_reading_place(db: Database, source_id: str, passage_id: str) -> None:
    set_setting(db, READING_PLACE, f"{source_id}\t{passage_id}")


def reading_place(db: Database) -> tuple[str, str] | None:
    """(source id, passage id) where the learner last read, or None before any reading."""
    source_id, _, passage_id = get_setting(db, READING_PLACE).partition("\t")
    return (source_id, passage_id) if source_id else None
