"""The one place that configures and calls the fsrs scheduler.

When an answer is revealed, all four ratings are scheduled at once (as Anki's v3 scheduler
does), so the interval shown on each rating button is exactly the one saved when it is chosen,
fuzz included. Time is always passed in, timezone-aware.

Reviews are due by study day, so the days that passed since an item's last review are
counted in study days, as Anki counts them: a 1-day review answered at 21:00 and shown at
9:00 the next morning is one day later, not zero. fsrs counts whole 24-hour periods, so it is
given the last review moved back to exactly that many days before now.
"""

from __future__ import annotations

import json
from copy import copy
from dataclasses import dataclass
from datetime import datetime, timedelta

from fsrs import Card, Rating, Scheduler, State

DEFAULT_DESIRED_RETENTION = 0.9
RATING_NAMES = {
    Rating.Again: "Again",
    Rating.Hard: "Hard",
    Rating.Good: "Good",
    Rating.Easy: "Easy",
}


class InvalidRating(ValueError):
    """A rating outside 1-4."""


def to_rating(value: int) -> Rating:
    try:
        return Rating(int(value))
    except (ValueError, TypeError):
        raise InvalidRating(
            f"{value!r} is not a rating; use 1 Again, 2 Hard, 3 Good, 4 Easy"
        ) from None


def make_scheduler(desired_retention: float = DEFAULT_DESIRED_RETENTION) -> Scheduler:
    if not 0.7 <= desired_retention <= 0.99:
        raise ValueError(f"desired retention {desired_retention} is outside 0.70-0.99")
    return Scheduler(desired_retention=desired_retention)


def new_card(now: datetime) -> Card:
    """The scheduling state of an item never answered before; fsrs must not read the clock."""
    return Card(card_id=0, due=now)


def card_to_json(card: Card) -> str:
    return json.dumps(card.to_dict(), sort_keys=True)


def card_from_json(text: str) -> Card:
    """The stored card; ValueError when the stored state is damaged."""
    try:
        card = Card.from_dict(json.loads(text))
    except (ValueError, KeyError, TypeError) as error:
        raise ValueError(f"damaged scheduling state ({error})") from None
    if card.due.tzinfo is None:
        raise ValueError("damaged scheduling state (due date without time zone)")
    return card


@dataclass(frozen=True)
class Outcome:
    """What choosing a rating would do: the new card and when the item comes back."""

    rating: Rating
    card: Card
    interval: timedelta

    @property
    def label(self) -> str:
        return format_interval(self.interval)


def _as_fsrs_sees_it(card: Card, now: datetime, days_elapsed: int | None) -> Card:
    """For a review, the card with its last review exactly ``days_elapsed`` days before now."""
    if days_elapsed is None or card.state is not State.Review or card.last_review is None:
        return card
    moved = copy(card)
    moved.last_review = now - timedelta(days=max(0, days_elapsed))
    return moved


def preview(
    scheduler: Scheduler, card: Card, now: datetime, days_elapsed: int | None = None
) -> dict[Rating, Outcome]:
    """Each rating's outcome, computed once. ``days_elapsed`` is the number of study days
    since the last review (None: whole days of 24 hours). A clock that moved backwards is
    treated as no time having passed since the last review."""
    when = now
    if card.last_review is not None and now < card.last_review:
        when = card.last_review
    card = _as_fsrs_sees_it(card, when, days_elapsed)
    outcomes = {}
    for rating in Rating:
        after, _log = scheduler.review_card(card, rating, when)
        outcomes[rating] = Outcome(rating, after, max(after.due - when, timedelta(0)))
    return outcomes


def recall_probability(
    scheduler: Scheduler, card: Card, now: datetime, days_elapsed: int | None = None
) -> float:
    """What FSRS predicts: the chance the learner recalls the item now. A review counts
    study days, as its scheduling does; a learning step counts the hours that passed."""
    if card.last_review is None or card.stability is None:
        return 0.0
    if card.state is State.Review:
        moved = _as_fsrs_sees_it(card, now, days_elapsed)
        return scheduler.get_card_retrievability(moved, now)
    days = max((now - card.last_review).total_seconds() / 86400, 0.0)
    decay = -scheduler.parameters[20]
    factor = 0.9 ** (1 / decay) - 1
    return (1 + factor * days / card.stability) ** decay


def format_interval(interval: timedelta) -> str:
    """Anki-style: 1m, 10m, 3h, 2d, 3.5mo, 1.2y."""
    minutes = interval.total_seconds() / 60
    if minutes < 60:
        return f"{max(1, round(minutes))}m"
    hours = minutes / 60
    if hours < 24:
        return f"{round(hours)}h"
    days = hours / 24
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo".replace(".0mo", "mo")
    return f"{days / 365:.1f}y".replace(".0y", "y")
