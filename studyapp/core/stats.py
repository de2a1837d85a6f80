"""Study statistics from the review log and the schedule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlite_utils import Database

from studyapp.core.items import RETIRED_STATE
from studyapp.core.srs import utc_text

RETENTION_WINDOW = timedelta(days=30)


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
    return StudyStats(
        items=items,
        introduced=introduced,
        due_now=due_now,
        due_today=due_today,
        new_left=items - introduced,
        answered_today=answered_today,
        retention=recalled / reviews if reviews else None,
        retention_reviews=reviews,
    )
