"""The review session: a Qt-free controller that drives a passive view.

The view shows what it is told (a new unit's card, an item, feedback with each rating's next
interval, a summary); the learner's actions come back as calls: begin(), answer(), rate(),
undo(), finish().
Each rating is saved in its own transaction before the next item is shown.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import Protocol

from fsrs import Rating
from sqlite_utils import Database

from studyapp.core.document import display_date
from studyapp.core.grading import Match, match_answer
from studyapp.core.knowledge import get_fact, get_mechanism
from studyapp.core.library import get_source_header
from studyapp.core.models import Citation, Fact, ItemKind, Mechanism, QuizItem, format_seconds
from studyapp.core.options import BLANK
from studyapp.core.settings import load_preferences
from studyapp.core.srs import Outcome, make_scheduler, new_card, preview, to_rating
from studyapp.core.study import (
    ALL_DECKS,
    Answer,
    DamagedState,
    Limits,
    QueueCounts,
    Scheduled,
    StudyError,
    new_siblings,
    next_available,
    next_item,
    queue_counts,
    record_answer,
    scheduled_item,
    study_date,
    study_day_start,
    undo_answer,
    withheld_today,
)

MAX_DURATION = timedelta(minutes=10)  # a longer pause is not thinking time


SYNTHESIS_LABEL = "This guide's synthesis"
HYPOTHESIS_NOTE = "A hypothesis: its sources propose this chain; it has not been tested yet."


@dataclass(frozen=True)
class StepNote:
    """One step of a chain as the feedback shows it: where it comes from and how strong."""

    text: str
    label: str  # the evidence label of its source, or "This guide's synthesis"
    where: str  # the source's title, or "" for a synthesis step
    fact_id: str = ""


@dataclass(frozen=True)
class ChainNote:
    """What a chain item teaches after the answer: the card's summary and each step."""

    title: str
    summary: str
    hypothesis: bool
    steps: tuple[StepNote, ...]


@dataclass(frozen=True)
class Feedback:
    item: QuizItem
    response: str
    correct: bool
    proposed: Rating  # wrong -> Again, right -> Good; the learner may pick another
    outcomes: dict[Rating, Outcome]  # each rating's next interval, known before rating
    fact: Fact | None
    citation: str  # title · outlet · date · ▶ timestamp · evidence
    spelling: str = ""  # a one-letter slip was forgiven: the right spelling
    other_sources: tuple[tuple[str, str], ...] = ()  # (quote, citation) of the same claim
    chain: ChainNote | None = None

    @property
    def headline(self) -> str:
        """The first line of feedback: right or wrong, and what the answer was."""
        item = self.item
        if item.kind is ItemKind.TRUE_FALSE:
            if self.correct:
                return f"✓ Right: it is {item.answer.lower()}."
            return f"✗ Not quite: it is {item.answer.lower()}."
        if self.correct:
            return f"✓ Right (spelled “{self.spelling}”)." if self.spelling else "✓ Right."
        return f"✗ Not quite. The answer: {item.answer}"


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
    def show_intro(self, intro: Mechanism, counts: QueueCounts) -> None: ...
    def show_item(self, scheduled: Scheduled, counts: QueueCounts) -> None: ...
    def show_feedback(self, feedback: Feedback) -> None: ...
    def show_summary(self, summary: Summary) -> None: ...
    def show_problem(self, message: str) -> None: ...


def _where(db: Database, source_id: str, timestamp: int | None) -> list[str]:
    source = get_source_header(db, source_id)
    parts = [source.title, source.outlet, display_date(source.date)] if source else [source_id]
    if timestamp is not None:
        parts.append(f"▶ {format_seconds(timestamp)}")
    return parts


def citation(db: Database, fact: Fact, with_evidence: bool = True) -> str:
    parts = _where(db, fact.source_id, fact.timestamp)
    if with_evidence:
        parts.append(fact.evidence.label)
    if fact.source_count > 1:
        parts.append(f"{fact.source_count} sources")
    return " · ".join(p for p in parts if p)


def other_citation(db: Database, cited: Citation) -> str:
    """Where another source says the same: title · outlet · date · ▶ timestamp."""
    return " · ".join(p for p in _where(db, cited.source_id, cited.timestamp) if p)


def chain_note(db: Database, mechanism: Mechanism) -> ChainNote:
    notes = []
    for index, step in enumerate(mechanism.steps):
        facts = [f for f in (get_fact(db, i) for i in mechanism.facts_of_step(index)) if f]
        if facts:
            source = get_source_header(db, facts[0].source_id)
            notes.append(
                StepNote(
                    step,
                    facts[0].evidence.label,
                    source.title if source else facts[0].source_id,
                    facts[0].id,
                )
            )
        else:
            notes.append(StepNote(step, SYNTHESIS_LABEL, ""))
    return ChainNote(mechanism.title, mechanism.summary, mechanism.hypothesis, tuple(notes))


def grade(item: QuizItem, response: str) -> Match:
    """Whether ``response`` answers ``item`` (truthy when right). Choices may be given as
    1-4 or as the text; an order as the shown steps' numbers in the chosen order ("3142");
    a typed blank leniently, with its accepted alternatives."""
    text = response.strip()
    if item.kind is ItemKind.CLOZE:
        line = next((line for line in item.prompt.split("\n") if BLANK in line), "")
        before, _, after = line.partition(BLANK)
        return match_answer(text, item.answer, item.accepted, item.distractors, (before, after))
    if item.kind is ItemKind.TRUE_FALSE:
        given = {"t": "True", "true": "True", "f": "False", "false": "False"}.get(text.lower())
        return Match(given == item.answer)
    if item.kind is ItemKind.ORDER:
        digits = [c for c in text if c.isdigit()]
        if sorted(digits) != [str(i) for i in range(1, len(item.choices) + 1)]:
            return Match(False)
        return Match(tuple(item.choices[int(d) - 1] for d in digits) == item.steps)
    if text.isdigit() and 1 <= int(text) <= len(item.choices):
        text = item.choices[int(text) - 1]
    return Match(text == item.answer)


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
        day_start_hour: int | None = None,
        details: bool | None = None,
        undo_history: list[tuple[int, bool, float]] | None = None,
    ):
        self.db, self.view, self.clock = db, view, clock
        self.deck, self.limit, self.limits = deck, limit, limits or Limits()
        self.scheduler = make_scheduler(desired_retention)
        self.local_zone = local_zone
        self.ahead = ahead
        chosen = load_preferences(db) if day_start_hour is None or details is None else None
        self.day_start_hour = chosen.day_start_hour if day_start_hour is None else day_start_hour
        self.details = chosen.quiz_details if details is None else details
        self.summary = Summary()
        self.current: Scheduled | None = None
        # The card of a unit not begun yet, shown as a step of its own before the unit's
        # first item (begin() moves on): its summary, read on the same screen as the item,
        # would give the answer away.
        self.intro: Mechanism | None = None
        self.feedback: Feedback | None = None
        self._shown_at: datetime | None = None
        self._skip: set[str] = set()
        # (log id, correct, seconds) of each saved answer, newest last. A list shared with
        # the sessions before this one (undo_history) lets undo step back across them.
        self._undo = undo_history if undo_history is not None else []
        self._mine: set[int] = set()  # the log ids this session's summary counts
        self._withheld: tuple[datetime, list[str]] | None = None  # day start, item ids

    def _day_start(self, now: datetime) -> datetime:
        return study_day_start(now.astimezone(self.local_zone), self.day_start_hour)

    def _days_since(self, last: datetime | None, now: datetime) -> int | None:
        """Study days between the last review and now."""
        if last is None:
            return None
        today = study_date(now, self.local_zone, self.day_start_hour)
        return (today - study_date(last, self.local_zone, self.day_start_hour)).days

    def _counts(self, now: datetime, withheld: str | None = None) -> QueueCounts:
        return queue_counts(
            self.db,
            self.deck,
            now,
            self._day_start(now),
            self.limits,
            self.ahead,
            self.details,
            withheld,
        )

    def start(self) -> None:
        self._show_next()

    def _withheld_today(self, now: datetime) -> str:
        """withheld_today(...), found once a study day and kept up to date as items are
        answered: reading every group answered today before each card cost milliseconds
        on a busy day."""
        day_start = self._day_start(now)
        if self._withheld is None or self._withheld[0] != day_start:
            found = json.loads(withheld_today(self.db, day_start, self.details))
            self._withheld = (day_start, found)
        return json.dumps(self._withheld[1])

    def _withhold_siblings(self, item_id: str) -> None:
        """The new siblings of an item just answered wait for another day."""
        if self._withheld is not None:
            self._withheld[1].extend(new_siblings(self.db, item_id))

    def _show_next(self) -> None:
        self.current, self.feedback, self.intro = None, None, None
        if self.limit is not None and self.summary.answered >= self.limit:
            self.finish()
            return
        now = self.clock()
        withheld = self._withheld_today(now)
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
                    self.details,
                    withheld,
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
        if found.intro is not None:
            self.intro = found.intro
            self.view.show_intro(found.intro, self._counts(now, withheld))
            return
        self.view.show_item(found, self._counts(now, withheld))

    def begin(self) -> None:
        """The learner has read the new unit's card: show the unit's first item."""
        if self.intro is None or self.current is None:
            raise StudyError("there is no new topic waiting to begin")
        self.intro = None
        now = self.clock()
        self._shown_at = now  # the answer's time starts with the question, not the card
        self.view.show_item(self.current, self._counts(now, self._withheld_today(now)))

    def answer(self, response: str) -> Feedback:
        """Grade the response and show feedback with each rating's next interval."""
        if self.intro is not None:
            raise StudyError("read the new topic first, then begin")
        if self.current is None or self.feedback is not None:
            raise StudyError("there is no question waiting for an answer")
        now = self.clock()
        item = self.current.item
        verdict = grade(item, response)
        card = self.current.card or new_card(now)
        fact = get_fact(self.db, item.fact_id) if item.fact_id else None
        mechanism = (
            get_mechanism(self.db, item.mechanism_ids[0])
            if not fact and item.mechanism_ids
            else None
        )
        self.feedback = Feedback(
            item=item,
            response=response,
            correct=verdict.right,
            proposed=Rating.Good if verdict.right else Rating.Again,
            outcomes=preview(self.scheduler, card, now, self._days_since(card.last_review, now)),
            fact=fact,
            citation=citation(self.db, fact) if fact else "",
            spelling=verdict.spelling,
            other_sources=tuple(
                (c.quote, other_citation(self.db, c)) for c in (fact.also if fact else ())
            ),
            chain=chain_note(self.db, mechanism) if mechanism else None,
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
                form=str(self.current.item.kind),
            ),
            bury_until=self._day_start(now) + timedelta(days=1),
        )
        self._withhold_siblings(self.current.item.id)
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
        item_id = undo_answer(self.db, log_id, self._day_start(self.clock()))
        self._withheld = None  # its siblings may be free again
        if log_id in self._mine:
            self._mine.discard(log_id)
            self.summary.answered -= 1
            self.summary.correct -= int(correct)
            self.summary.seconds -= seconds
        now = self.clock()
        self.current, self.feedback, self._shown_at = scheduled_item(self.db, item_id), None, now
        self.intro = None  # the item taken back comes straight back, its card already read
        if self.current is not None:
            self.view.show_item(self.current, self._counts(now))
        return True

    def finish(self) -> Summary:
        now = self.clock()
        self.summary.next_due = next_available(self.db, now, self._day_start(now), self.details)
        self.current = self.feedback = self.intro = None
        self.view.show_summary(self.summary)
        return self.summary
