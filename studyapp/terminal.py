"""`studyapp review` in the terminal: the review session with a text view.

Keys as in the window: 1-4 pick an option or a rating, t/f for true or false, typed words
for a blank, the step numbers in order for a chain; Enter takes the proposed rating; u takes
the last answer back; q quits (an answer not yet rated is not saved). A new unit's card comes
on its own before the unit's first question; Enter begins.
"""

from __future__ import annotations

import sqlite3
import textwrap
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlite_utils import Database

from studyapp.core.db import checkpoint, write_problem
from studyapp.core.models import ItemKind, Mechanism
from studyapp.core.review import HYPOTHESIS_NOTE, Feedback, ReviewSession, Summary
from studyapp.core.srs import RATING_NAMES, format_interval
from studyapp.core.study import QueueCounts, Scheduled, StudyError

WIDTH = 78
HINTS = {
    ItemKind.CLOZE: "Type the missing words.",
    ItemKind.CHOICE: "Choose 1-4.",
    ItemKind.MISSING_STEP: "Choose 1-4.",
    ItemKind.TRUE_FALSE: "t = true, f = false.",
    ItemKind.ORDER: "Type the numbers in the right order, e.g. 31524.",
}


def _wrap(text: str, indent: str = "") -> str:
    return "\n".join(
        textwrap.fill(
            line, WIDTH, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False
        )
        for line in text.splitlines()
    )


class TerminalView:
    def __init__(self, write: Callable[[str], None], clock: Callable[[], datetime]):
        self.write = write
        self.clock = clock
        self.summary: Summary | None = None
        self.current: Scheduled | None = None
        self.stopped = False  # the learner quit (q, end of input) rather than ran out of items

    def show_intro(self, intro: Mechanism, counts: QueueCounts) -> None:
        self.write(f"\n══ New topic: {intro.title}")
        self.write(_wrap(" ".join(intro.summary.split()), "   "))
        self.write("Press Enter to begin.  (u undo · q quit)")

    def show_item(self, scheduled: Scheduled, counts: QueueCounts) -> None:
        self.current = scheduled
        item = scheduled.item
        changed = " · this fact changed since you last saw it" if scheduled.changed else ""
        self.write(
            f"\n── {item.kind.label} ({scheduled.queue}{changed}) · left: {counts.new} new, "
            f"{counts.learning} learning, {counts.review} to review"
        )
        self.write(_wrap(item.prompt))
        if item.kind is not ItemKind.CLOZE and item.kind is not ItemKind.TRUE_FALSE:
            for number, choice in enumerate(item.choices, start=1):
                self.write(
                    textwrap.fill(
                        f"{number}. {choice}",
                        WIDTH,
                        initial_indent="   ",
                        subsequent_indent="      ",
                    )
                )
        self.write(HINTS[item.kind] + "  (u undo · q quit)")

    def show_feedback(self, feedback: Feedback) -> None:
        self.write(feedback.headline)
        item = feedback.item
        if item.kind is ItemKind.TRUE_FALSE and item.answer == "False":
            self.write(_wrap(item.explanation, "  "))
        elif feedback.fact:
            self.write(_wrap(feedback.fact.statement, "  "))
        if feedback.fact:
            self.write(_wrap(f"Source says: “{feedback.fact.shown_quote}”", "  "))
            self.write(_wrap(feedback.citation, "  "))
            for quote, where in feedback.other_sources:
                self.write(_wrap(f"Also: “{quote}”", "  "))
                self.write(_wrap(where, "  "))
        if feedback.chain:
            chain = feedback.chain
            if chain.hypothesis:
                self.write(_wrap(HYPOTHESIS_NOTE, "  "))
            self.write(_wrap(" ".join(chain.summary.split()), "  "))
            for number, step in enumerate(chain.steps, start=1):
                where = f" · {step.where}" if step.where else ""
                self.write(_wrap(f"{number}. {step.text} [{step.label}{where}]", "  "))
        options = " · ".join(
            f"{rating.value} {RATING_NAMES[rating]} ({outcome.label})"
            for rating, outcome in feedback.outcomes.items()
        )
        self.write(f"Rate: {options}; Enter = {RATING_NAMES[feedback.proposed]}")

    def show_summary(self, summary: Summary) -> None:
        self.summary = summary
        self.current = None
        if summary.answered:
            self.write(
                f"\n{'Stopped' if self.stopped else 'Done'}: {summary.answered} answered, "
                f"{summary.accuracy:.0%} right, {summary.time_text}."
            )
        elif self.stopped:
            self.write("\nStopped before the first answer; nothing was saved.")
        else:
            self.write("\nNothing is due right now.")
        if summary.next_due:
            wait = max(summary.next_due - self.clock(), timedelta(0))
            self.write(f"Next review in {format_interval(wait)}.")
        for problem in summary.problems:
            self.write(f"Note: {problem}")

    def show_problem(self, message: str) -> None:
        self.write(f"Note: {message}")


def run_review(
    db: Database,
    read: Callable[[str], str],
    write: Callable[[str], None],
    clock: Callable[[], datetime],
    **options,
) -> Summary:
    view = TerminalView(write, clock)
    session = ReviewSession(db, view, clock, **options)
    session.start()
    while view.summary is None:
        try:
            response = _printable(read("> ")).strip()
        except EOFError:
            response = "q"
        if response == "q":
            view.stopped = True
            return session.finish()
        if response == "u":
            if not session.undo():
                write("Nothing to undo.")
            continue
        if session.intro is not None:
            session.begin()
            continue
        if session.feedback is None:
            session.answer(response)
            continue
        try:
            session.rate(None if response == "" else response)
            checkpoint(db)
        except StudyError as error:
            write(str(error))
        except ValueError as error:
            write(f"{error}.")
        except sqlite3.Error as error:  # a full disk: the answer waits to be rated again
            write(write_problem(error))
    return view.summary


def _printable(line: str) -> str:
    """What was typed, with bytes that are not text (binary piped in) made into "?"."""
    return line.encode("utf-8", "replace").decode("utf-8", "replace")
