"""Study statistics from the review log and the schedule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlite_utils import Database

from studyapp.core.items import RETIRED_STATE
from studyapp.core.srs import utc_text

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
