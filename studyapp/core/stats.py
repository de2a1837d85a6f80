"""Study statistics from the review log and the schedule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from sqlite_utils import Database

from studyapp.core.db import utc_text
from studyapp.core.items import RETIRED_STATE

RETENTION_WINDOW = timedelta(days=30)
MATURE_DAYS = 21


@dataclass(frozen=True)
class StudyStats:
    items: int  # quiz items in use (not retired)
    introduced: int
    due_now: int
    due_today: int  # by the end of the study day
    new_left: int  # never shown yet
    answered_today: int
    retention: float | None  # share of reviews (not first sightings) recalled, last 30 days
    retention_reviews: int  # how many reviews that share is over
    mature: int = 0  # in review with a stability of MATURE_DAYS or more: well learned


def study_stats(db: Database, now: datetime, day_start: datetime) -> StudyStats:
    items, introduced = db.execute(
        "SELECT count(*), coalesce(sum(introduced), 0) FROM quiz_items WHERE retired = 0"
    ).fetchone()
    day_end = day_start + timedelta(days=1)
    due_now, due_today = db.execute(
        """SELECT coalesce(sum(s.due <= ?), 0), coalesce(sum(s.due < ?), 0)
           FROM item_states s WHERE s.state != ?""",
        [utc_text(now), utc_text(day_end), RETIRED_STATE],
    ).fetchone()
    answered_today = db.execute(
        "SELECT count(*) FROM review_log WHERE reviewed_at >= ?", [utc_text(day_start)]
    ).fetchone()[0]
    recalled, reviews = db.execute(
        """SELECT coalesce(sum(rating > 1), 0), count(*) FROM review_log
           WHERE queue = 'review' AND reviewed_at >= ?""",
        [utc_text(now - RETENTION_WINDOW)],
    ).fetchone()
    mature = db.execute(
        f"""SELECT count(*) FROM item_states WHERE state = 2
            AND json_extract(card, '$.stability') >= {MATURE_DAYS}"""
    ).fetchone()[0]
    return StudyStats(
        mature=mature,
        items=items,
        introduced=introduced,
        due_now=due_now,
        due_today=due_today,
        new_left=items - introduced,
        answered_today=answered_today,
        retention=recalled / reviews if reviews else None,
        retention_reviews=reviews,
    )


@dataclass(frozen=True)
class MechanismProgress:
    items: int
    mature: int  # in review with a stability of 21 days or more, as Anki counts mature
    due: int  # due now

    @property
    def mastery(self) -> float:
        return self.mature / self.items if self.items else 0.0


def mechanism_progress(db: Database, now: datetime) -> dict[str, MechanismProgress]:
    """Per mechanism: its items, how many are mature, how many are due now."""
    rows = db.execute(
        f"""SELECT d.mechanism_id, count(*),
                   coalesce(sum(s.state = 2 AND
                                json_extract(s.card, '$.stability') >= {MATURE_DAYS}), 0),
                   coalesce(sum(s.state IN (1, 2, 3) AND s.due <= ?), 0)
            FROM item_decks d JOIN quiz_items q ON q.id = d.item_id AND q.retired = 0
            LEFT JOIN item_states s ON s.item_id = d.item_id
            GROUP BY d.mechanism_id""",
        [utc_text(now)],
    ).fetchall()
    return {m: MechanismProgress(items, mature, due) for m, items, mature, due in rows}


@dataclass(frozen=True)
class DayCount:
    day: date
    count: int


def _local_day(stored: str, zone: tzinfo | None) -> date:
    return datetime.fromisoformat(stored).astimezone(zone).date()


def reviews_per_day(
    db: Database, now: datetime, days: int = 30, zone: tzinfo | None = None
) -> list[DayCount]:
    """Answers per local day for the last ``days`` days, today last (zeros included)."""
    today = now.astimezone(zone).date()
    first = today - timedelta(days=days - 1)
    counts = {first + timedelta(days=i): 0 for i in range(days)}
    since = utc_text(now - timedelta(days=days + 1))
    for (stored,) in db.execute(
        "SELECT reviewed_at FROM review_log WHERE reviewed_at >= ?", [since]
    ):
        day = _local_day(stored, zone)
        if day in counts:
            counts[day] += 1
    return [DayCount(day, count) for day, count in counts.items()]


@dataclass(frozen=True)
class WeekRetention:
    week_start: date
    retention: float | None  # share of reviews recalled that week; None without reviews
    reviews: int


def retention_by_week(
    db: Database, now: datetime, weeks: int = 12, zone: tzinfo | None = None
) -> list[WeekRetention]:
    """True retention (reviews not rated Again) per week, oldest first."""
    today = now.astimezone(zone).date()
    this_week = today - timedelta(days=today.weekday())
    starts = [this_week - timedelta(weeks=weeks - 1 - i) for i in range(weeks)]
    tally = {start: [0, 0] for start in starts}  # recalled, reviews
    since = utc_text(now - timedelta(weeks=weeks + 1))
    for stored, rating in db.execute(
        "SELECT reviewed_at, rating FROM review_log WHERE queue = 'review' AND reviewed_at >= ?",
        [since],
    ):
        day = _local_day(stored, zone)
        start = day - timedelta(days=day.weekday())
        if start in tally:
            tally[start][0] += rating > 1
            tally[start][1] += 1
    return [WeekRetention(s, (r / n if n else None), n) for s, (r, n) in tally.items()]


def due_forecast(
    db: Database, now: datetime, days: int = 30, zone: tzinfo | None = None
) -> list[DayCount]:
    """How many items fall due on each of the next ``days`` local days (overdue ones today)."""
    today = now.astimezone(zone).date()
    counts = {today + timedelta(days=i): 0 for i in range(days)}
    horizon = utc_text(now + timedelta(days=days + 1))
    for (stored,) in db.execute(
        "SELECT due FROM item_states WHERE state != ? AND due < ?", [RETIRED_STATE, horizon]
    ):
        day = max(_local_day(stored, zone), today)
        if day in counts:
            counts[day] += 1
    return [DayCount(day, count) for day, count in counts.items()]
