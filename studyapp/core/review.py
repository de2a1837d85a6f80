"""The review session: a Qt-free controller that drives a passive view.

The view shows what it is told (an item, feedback with each rating's next interval, a
summary); the learner's actions come back as calls: answer(), rate(), undo(), finish().
Each rating is saved in its own transaction before the next item is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import Protocol

from fsrs import Rating
from sqlite_utils import Database

from studyapp.core.db import utc_text
from studyapp.core.document import display_date
from studyapp.core.grading import is_correct
from studyapp.core.items import RETIRED_STATE
from studyapp.core.knowledge import get_fact
from studyapp.core.library import get_source_header
from studyapp.core.models import Fact, ItemKind, QuizItem, format_seconds
from studyapp.core.srs import Outcome, make_scheduler, new_card, preview, to_rating
from studyapp.core.study import (
    ALL_DECKS,
    Answer,
    DamagedState,
    Limits,
    QueueCounts,
    Scheduled,
    StudyError,
    next_item,
    queue_counts,
    record_answer,
    scheduled_item,
    study_day_start,
    undo_answer,
)

MAX_DURATION = timedelta(minutes=10)  # a longer pause is not thinking time


@dataclass(frozen=True)
class Feedback:
    item: QuizItem
    response: str
    correct: bool
    proposed: Rating  # wrong -> Again, right -> Good; the learner may pick another
    outcomes: dict[Rating, Outcome]  # each rating's next interval, known before rating
    fact: Fact | None
    citation: str  # title · outlet · date · ▶ timestamp · evidence


@dataclass
class Summary:
    answered: int = 0
    correct: int = 0
    seconds: float = 0.0
    next_due: datetime | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.answered if self.answered else 0.0

    @property
    def time_text(self) -> str:
        """ "40 seconds", "4.5 minutes"."""
        if self.seconds < 90:
            return f"{self.seconds:.0f} second" + ("" if round(self.seconds) == 1 else "s")
        return f"{self.seconds / 60:.1f} minutes"


class ReviewView(Protocol):
    def show_item(self, scheduled: Scheduled, counts: QueueCounts) -> None: ...
    def show_feedback(self, feedback: Feedback) -> None: ...
    def show_summary(self, summary: Summary) -> None: ...
    def show_problem(self, message: str) -> None: ...


def citation(db: Database, fact: Fact, with_evidence: bool = True) -> str:
    source = get_source_header(db, fact.source_id)
    parts = [source.title, source.outlet, display_date(source.date)] if source else [fact.source_id]
    if fact.timestamp is not None:
        parts.append(f"▶ {format_seconds(fact.timestamp)}")
    if with_evidence:
        parts.append(fact.evidence.label)
    return " · ".join(p for p in parts if p)


def grade(item: QuizItem, response: str) -> bool:
    """Whether ``response`` answers ``item``. Choices may be given as 1-4 or as the text;
    an order as the shown steps' numbers in the chosen order ("3142")."""
    text = response.strip()
    if item.kind is ItemKind.CLOZE:
        return is_correct(text, item.answer)
    if item.kind is ItemKind.TRUE_FALSE:
        given = {"t": "True", "true": "True", "f": "False", "false": "False"}.get(text.lower())
        return given == item.answer
    if item.kind is ItemKind.ORDER:
        digits = [c for c in text if c.isdigit()]
        if sorted(digits) != [str(i) for i in range(1, len(item.choices) + 1)]:
            return False
        return tuple(item.choices[int(d) - 1] for d in digits) == item.steps
    if text.isdigit() and 1 <= int(text) <= len(item.choices):
        text = item.choices[int(text) - 1]
    return text == item.answer


class ReviewSession:
    def __init__(
        self,
        db: Database,
        view: ReviewView,
        clock: Callable[[], datetime],
        *,
        deck: str = ALL_DECKS,
        limit: int | None = None,
        limits: Limits | None = None,
        desired_retention: float = 0.9,
        local_zone: tzinfo | None = None,
        ahead: timedelta = timedelta(0),
        undo_history: list[tuple[int, bool, float]] | None = None,
    ):
        self.db, self.view, self.clock = db, view, clock
        self.deck, self.limit, self.limits = deck, limit, limits or Limits()
        self.scheduler = make_scheduler(desired_retention)
        self.local_zone = local_zone
        self.ahead = ahead
        self.summary = Summary()
        self.current: Scheduled | None = None
        self.feedback: Feedback | None = None
        self._shown_at: datetime | None = None
        self._skip: set[str] = set()
        # (log id, correct, seconds) of each saved answer, newest last. A list shared with
        # the sessions before this one (undo_history) lets undo step back across them.
        self._undo = undo_history if undo_history is not None else []
        self._mine: set[int] = set()  # the log ids this session's summary counts

    def _day_start(self, now: datetime) -> datetime:
        return study_day_start(now.astimezone(self.local_zone))

    def start(self) -> None:
        self._show_next()

    def _show_next(self) -> None:
        self.current, self.feedback = None, None
        if self.limit is not None and self.summary.answered >= self.limit:
            self.finish()
            return
        now = self.clock()
        while True:
            try:
                found = next_item(
                    self.db,
                    self.deck,
                    now,
                    self._day_start(now),
                    self.limits,
                    frozenset(self._skip),
                    self.ahead,
                )
            except DamagedState as damaged:
                self._skip.add(damaged.item_id)
                self.summary.problems.append(str(damaged))
                self.view.show_problem(str(damaged))
                continue
            break
        if found is None:
            self.finish()
            return
        self.current, self._shown_at = found, now
        counts = queue_counts(
            self.db, self.deck, now, self._day_start(now), self.limits, self.ahead
        )
        self.view.show_item(found, counts)

    def answer(self, response: str) -> Feedback:
        """Grade the response and show feedback with each rating's next interval."""
        if self.current is None or self.feedback is not None:
            raise StudyError("there is no question waiting for an answer")
        now = self.clock()
        item = self.current.item
        correct = grade(item, response)
        card = self.current.card or new_card(now)
        fact = get_fact(self.db, item.fact_id) if item.fact_id else None
        self.feedback = Feedback(
            item=item,
            response=response,
            correct=correct,
            proposed=Rating.Good if correct else Rating.Again,
            outcomes=preview(self.scheduler, card, now),
            fact=fact,
            citation=citation(self.db, fact) if fact else "",
        )
        self.view.show_feedback(self.feedback)
        return self.feedback

    def rate(self, rating: int | Rating | None = None) -> None:
        """Save the answer with ``rating`` (the proposed one if None), then show the next."""
        if self.feedback is None or self.current is None:
            raise StudyError("answer the question before rating it")
        chosen = self.feedback.proposed if rating is None else to_rating(rating)
        now = self.clock()
        seconds = min(max(now - self._shown_at, timedelta(0)), MAX_DURATION).total_seconds()
        log_id = record_answer(
            self.db,
            Answer(
                item_id=self.current.item.id,
                rating=chosen,
                before=self.current.card,
                after=self.feedback.outcomes[chosen].card,
                reviewed_at=now,
                duration_ms=round(seconds * 1000),
                response=self.feedback.response,
                correct=self.feedback.correct,
            ),
        )
        self._undo.append((log_id, self.feedback.correct, seconds))
        self._mine.add(log_id)
        self.summary.answered += 1
        self.summary.correct += int(self.feedback.correct)
        self.summary.seconds += seconds
        self._show_next()

    def undo(self) -> bool:
        """Take back the last saved answer and show that item again."""
        if not self._undo:
            return False
        log_id, correct, seconds = self._undo.pop()
        item_id = undo_answer(self.db, log_id)
        if log_id in self._mine:
            self._mine.discard(log_id)
            self.summary.answered -= 1
            self.summary.correct -= int(correct)
            self.summary.seconds -= seconds
        now = self.clock()
        self.current, self.feedback, self._shown_at = scheduled_item(self.db, item_id), None, now
        if self.current is not None:
            counts = queue_counts(
                self.db, self.deck, now, self._day_start(now), self.limits, self.ahead
            )
            self.view.show_item(self.current, counts)
        return True

    def finish(self) -> Summary:
        now = self.clock()
        row = self.db.execute(
            "SELECT min(due) FROM item_states WHERE state != ? AND due > ?",
            [RETIRED_STATE, utc_text(now)],
        ).fetchone()
        self.summary.next_due = datetime.fromisoformat(row[0]) if row and row[0] else None
        self.current = self.feedback = None
        self.view.show_summary(self.summary)
        return self.summary
