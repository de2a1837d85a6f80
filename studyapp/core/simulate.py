"""A simulated learner: studies the library for some days through the real review session,
so content authors (and curious learners) see the daily workload the schedule produces, as
Anki's simulator shows it, and every showing is logged for a closer look.

The learner sits down every day five hours after the study day starts (9 am with the default
4 am day start), studies everything the queue offers, and comes back whenever a
learning step falls due later that day. It recalls an item it has seen with the probability
FSRS itself predicts for that item at that moment; on first sight there is no memory to
predict from, so it knows the answer with FIRST_SIGHT_RIGHT. It rates as the app proposes:
Good when right, Again when wrong. Time per answer is a fixed estimate per queue.

Run it on a copy of the learner's data, never on the data itself (see cli.py).
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import TextIO

from sqlite_utils import Database

from studyapp.core.models import ItemKind, Mechanism, QuizItem
from studyapp.core.review import Feedback, ReviewSession, Summary
from studyapp.core.srs import make_scheduler, recall_probability
from studyapp.core.study import (
    Limits,
    QueueCounts,
    Scheduled,
    next_available,
    study_date,
    study_day_start,
)

FIRST_SIGHT_RIGHT = 0.6  # the chance of knowing a new item's answer (after reading its card)
SECONDS = {"new": 20.0, "learning": 8.0, "relearning": 10.0, "review": 10.0}
INTRO_SECONDS = 30.0  # reading a new unit's card before its first item
SIT_DOWN_AFTER_DAY_START = timedelta(hours=5)


@dataclass
class DayLoad:
    """One simulated day's work."""

    day: int
    new: int = 0
    learning: int = 0  # learning and relearning steps
    reviews: int = 0
    seconds: float = 0.0

    @property
    def minutes(self) -> float:
        return self.seconds / 60


def right_response(item: QuizItem) -> str:
    """What a learner who knows the answer types for the item as shown."""
    if item.kind is ItemKind.ORDER:
        return "".join(str(item.choices.index(step) + 1) for step in item.steps)
    if item.kind is ItemKind.TRUE_FALSE:
        return item.answer[0].lower()
    return item.answer


@dataclass
class _Learner:
    """The passive view the session drives; it only remembers what it was shown."""

    shown: list[tuple[Scheduled, QueueCounts]] = field(default_factory=list)
    summary: Summary | None = None

    def show_intro(self, intro: Mechanism, counts: QueueCounts) -> None:
        pass

    def show_item(self, scheduled: Scheduled, counts: QueueCounts) -> None:
        self.shown.append((scheduled, counts))

    def show_feedback(self, feedback: Feedback) -> None:
        pass

    def show_summary(self, summary: Summary) -> None:
        self.summary = summary

    def show_problem(self, message: str) -> None:
        pass


class _Clock:
    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def simulate(
    db: Database,
    days: int,
    log: TextIO,
    *,
    seed: int = 0,
    start: datetime,
    zone: tzinfo | None,
    limits: Limits | None = None,
    desired_retention: float = 0.9,
    day_start_hour: int = 4,
    details: bool = False,
    on_day: Callable[[DayLoad], None] | None = None,
) -> list[DayLoad]:
    """Study ``days`` days from the study day that contains ``start``; write one JSON line
    per showing to ``log``; return each day's load."""
    random.seed(seed)  # fsrs fuzzes intervals with the global generator
    chance = random.Random(seed)
    scheduler = make_scheduler(desired_retention)
    first_day = study_day_start(start.astimezone(zone), day_start_hour)
    loads = []
    for day in range(1, days + 1):
        day_start = first_day + timedelta(days=day - 1)
        day_end = day_start + timedelta(days=1)
        clock = _Clock(day_start + SIT_DOWN_AFTER_DAY_START)
        load = DayLoad(day)
        while clock.now < day_end:
            learner = _Learner()
            session = ReviewSession(
                db,
                learner,
                clock,
                limits=limits,
                desired_retention=desired_retention,
                local_zone=zone,
                day_start_hour=day_start_hour,
                details=details,
            )
            session.start()
            while session.current is not None:
                if session.intro is not None:  # the learner reads the unit's card first
                    clock.now += timedelta(seconds=INTRO_SECONDS)
                    load.seconds += INTRO_SECONDS
                    session.begin()
                scheduled = session.current
                item, card = scheduled.item, scheduled.card
                if card is None:
                    p = FIRST_SIGHT_RIGHT
                else:
                    elapsed = None
                    if card.last_review is not None:
                        elapsed = (
                            study_date(clock.now, zone, day_start_hour)
                            - study_date(card.last_review, zone, day_start_hour)
                        ).days
                    p = recall_probability(scheduler, card, clock.now, elapsed)
                knows = chance.random() < p
                seconds = SECONDS[scheduled.queue]
                shown_at = clock.now
                clock.now += timedelta(seconds=seconds * 0.8)
                feedback = session.answer(right_response(item) if knows else "")
                clock.now += timedelta(seconds=seconds * 0.2)
                log.write(
                    json.dumps(
                        {
                            "day": day,
                            "at": shown_at.isoformat(timespec="seconds"),
                            "item_id": item.id,
                            "fact_id": item.fact_id or None,
                            "mechanism_id": item.unit or (item.mechanism_ids or ("",))[0],
                            "kind": str(item.kind),
                            "choices": list(item.choices),
                            "rating": int(feedback.proposed),
                        }
                    )
                    + "\n"
                )
                if scheduled.queue == "new":
                    load.new += 1
                elif scheduled.queue == "review":
                    load.reviews += 1
                else:
                    load.learning += 1
                load.seconds += seconds
                session.rate(feedback.proposed)
            later = next_available(db, clock.now, day_start, details)
            if later is None or later >= day_end:
                break
            clock.now = max(later, clock.now)
        loads.append(load)
        if on_day:
            on_day(load)
    return loads


def same_day_siblings(lines: list[dict]) -> int:
    """How many showings in a simulation log met a sibling (another item of the same fact or
    chain) on the same day: what the schedule must keep at zero."""
    seen: dict[tuple[int, str], str] = {}
    clashes = 0
    for line in lines:
        group = line["fact_id"] or f"chain:{line['mechanism_id']}"
        key = (line["day"], group)
        if key in seen and seen[key] != line["item_id"]:
            clashes += 1
        seen.setdefault(key, line["item_id"])
    return clashes
