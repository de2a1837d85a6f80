"""Answers dated in the future: given while the computer's clock was set ahead.

An answer dated in 2099 schedules its item after 2099, so the item silently leaves study, and
the day's counts and statistics go wrong. When such answers are found (the clock is right
again), they are dated now and their items keep their intervals from now; the learner is told.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlite_utils import Database

from studyapp.core.db import utc_text, write_transaction

SLACK = timedelta(days=1)  # time zones and a clock a little fast are not "the future"


def _moved(card_json: str, now: datetime, horizon: datetime) -> tuple[str, datetime]:
    """The card with its last review moved to ``now`` (if it was in the future) and its due
    date moved by the same amount, so the interval it earned is kept."""
    card = json.loads(card_json)
    due = datetime.fromisoformat(card["due"])
    last = datetime.fromisoformat(card["last_review"]) if card.get("last_review") else None
    if last is not None and last > horizon:
        due = now + max(due - last, timedelta(0))
        card["last_review"] = now.isoformat()
    elif due > horizon + timedelta(days=36_500):  # no last review, yet due a century on
        due = now
    card["due"] = due.isoformat()
    return json.dumps(card), due


def clamp_future_answers(db: Database, now: datetime) -> str:
    """Date now the answers dated after tomorrow; a sentence for the learner, or ""."""
    now = now.astimezone(UTC)
    horizon = now + SLACK
    found = db.execute(
        "SELECT count(*), max(reviewed_at) FROM review_log WHERE reviewed_at > ?",
        [utc_text(horizon)],
    ).fetchone()
    if not found[0]:
        return ""
    count, latest = found[0], datetime.fromisoformat(found[1])
    with write_transaction(db):
        states = db.execute(
            """SELECT item_id, card FROM item_states WHERE item_id IN
               (SELECT item_id FROM review_log WHERE reviewed_at > ?)""",
            [utc_text(horizon)],
        ).fetchall()
        for item_id, card_json in states:
            card, due = _moved(card_json, now, horizon)
            db.execute(
                "UPDATE item_states SET card = ?, due = ?, introduced_at = min(introduced_at, ?) "
                "WHERE item_id = ?",
                [card, utc_text(due), utc_text(now), item_id],
            )
        db.execute(
            "UPDATE review_log SET reviewed_at = ? WHERE reviewed_at > ?",
            [utc_text(now), utc_text(horizon)],
        )
    answers = f"{count} answer" + ("s were" if count != 1 else " was")
    return (
        f"{answers} dated in the future (up to {latest:%d %B %Y}): your computer's clock was "
        "probably wrong when you gave them. They now count as given today, and their items "
        "come back after the same intervals, counted from today."
    )
