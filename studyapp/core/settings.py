"""The learner's settings and first-run flags: key/value rows, committed at once."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from studyapp.core.db import write_transaction

DISCLAIMER_SEEN = "disclaimer_seen"


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


THEME = "theme"  # system, light or dark
FONT_SIZE = "font_size"  # points; 0 = the system's
THEMES = ("system", "light", "dark")


@dataclass(frozen=True)
class Preferences:
    """Everything the Settings dialog edits."""

    new_per_day: int = 20
    reviews_per_day: int = 200
    desired_retention: float = 0.9
    theme: str = "system"
    font_size: int = 0

    def problems(self) -> list[str]:
        found = []
        if not 0 <= self.new_per_day <= 9999:
            found.append("new items a day must be between 0 and 9999")
        if not 0 <= self.reviews_per_day <= 9999:
            found.append("reviews a day must be between 0 and 9999")
        if not 0.70 <= self.desired_retention <= 0.99:
            found.append("desired retention must be between 0.70 and 0.99")
        if self.theme not in THEMES:
            found.append(f"theme must be one of {', '.join(THEMES)}")
        if self.font_size and not 8 <= self.font_size <= 28:
            found.append("font size must be between 8 and 28 points")
        return found


def load_preferences(db: Database) -> Preferences:
    limits, retention = study_settings(db)
    theme = get_setting(db, THEME, "system")
    try:
        font_size = int(get_setting(db, FONT_SIZE, "0"))
    except ValueError:
        font_size = 0
    return Preferences(
        limits.new_per_day,
        limits.reviews_per_day,
        retention,
        theme if theme in THEMES else "system",
        font_size,
    )


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
    }
    with write_transaction(db):
        for key, value in values.items():
            _put(db, key, value)
