"""The review screen: shows what the Qt-free ReviewSession tells it, reports the learner's keys
and clicks back to it. A session starts only when the learner starts it.

Keys: A-D pick an option, T/F true or false, Alt+↑/↓ move a chain step, Enter check;
then 1-4 rate (Enter or Space takes the proposed rating), O opens the source; Ctrl+Z undo."""

from __future__ import annotations

import html
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from fsrs import Rating
from PySide6.QtCore import QEvent, QPoint, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractSlider,
    QApplication,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from studyapp.core.answer_marks import step_marks
from studyapp.core.bookmarks import Target
from studyapp.core.db import checkpoint, write_problem
from studyapp.core.knowledge import list_mechanisms
from studyapp.core.models import ItemKind, Mechanism
from studyapp.core.quizgen import split_hint
from studyapp.core.review import HYPOTHESIS_NOTE, Feedback, ReviewSession, Summary, citation
from studyapp.core.settings import study_settings
from studyapp.core.srs import RATING_NAMES, format_interval
from studyapp.core.study import ALL_DECKS, QueueCounts, Scheduled, counts_now
from studyapp.ui.changes import Changes
from studyapp.ui.fonts import LEAD, PROMPT, SMALL, TITLE, set_font_scale
from studyapp.ui.theme import muted_color
from studyapp.ui.undo import Undoable, UndoStack
from studyapp.ui.views.mechanisms_view import evidence_badge
from studyapp.ui.widgets.answer_area import OPTION_KEYS, AnswerArea
from studyapp.ui.widgets.column import centered_column, stacked
from studyapp.ui.widgets.flow import flow_row

STUDY_AHEAD = timedelta(days=1)
READY, INTRO, QUESTION, DONE = range(4)
_SCROLL_KEYS = {
    Qt.Key_Down: QAbstractSlider.SliderSingleStepAdd,
    Qt.Key_Up: QAbstractSlider.SliderSingleStepSub,
    Qt.Key_PageDown: QAbstractSlider.SliderPageStepAdd,
    Qt.Key_PageUp: QAbstractSlider.SliderPageStepSub,
}


def _label(rich: bool = False) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.RichText if rich else Qt.PlainText)
    return label


class ReviewPanel(QWidget):
    open_fact_source = Signal(str)
    session_finished = Signal(object)  # Summary
    answered = Signal()  # an answer was saved or taken back: due counts changed

    def __init__(
        self,
        db: Database,
        parent: QWidget | None = None,
        clock=None,
        undo_stack: UndoStack | None = None,
    ):
        super().__init__(parent)
        self.db = db
        self.clock = clock or (lambda: datetime.now(UTC))
        self.undo_stack = undo_stack or UndoStack(self)
        self.undo_stack.undone.connect(self._undone)
        self.session: ReviewSession | None = None
        self.deck = ALL_DECKS
        self._history: list[tuple[int, bool, float]] = []  # answers, shared by the sessions
        self._extra_new = 0
        self.setFocusPolicy(Qt.StrongFocus)
        self.setAccessibleName("Review")

        self.deck_line = set_font_scale(_label(), SMALL)
        self.counts = set_font_scale(_label(), SMALL)
        self.counts.setObjectName("reviewCounts")
        self.undo_button = QPushButton("↶ Undo (Ctrl+Z)")
        self.undo_button.setAccessibleName("Undo last answer")
        self.undo_button.setToolTip("Take back the last answer (Edit → Undo)")
        self.undo_button.clicked.connect(self.undo_stack.undo)
        self.note = _label()  # "Undone: …", "Nothing to undo", a hint on the keys
        self.note.setObjectName("reviewNote")
        self.note.hide()

        # One scrolling column: at any font size and window size, nothing is cut.
        body, column = centered_column()
        top = QHBoxLayout()
        lines = QVBoxLayout()
        lines.setSpacing(2)
        lines.addWidget(self.deck_line)
        lines.addWidget(self.counts)
        top.addLayout(lines, 1)
        top.addWidget(self.undo_button, 0, Qt.AlignTop)
        column.addLayout(top)
        column.addWidget(self.note)
        self.pages = [
            self._ready_page(),
            self._intro_page(),
            self._question_page(),
            self._done_page(),
        ]
        for page in self.pages:
            column.addWidget(page)
        column.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.NoFrame)
        self.scroll.setFocusPolicy(Qt.NoFocus)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll)
        self._page = READY
        self._scroll_to_feedback = False
        self._restyle()
        self.show_ready()

    def _show_page(self, index: int) -> None:
        self._page = index
        for number, page in enumerate(self.pages):
            page.setVisible(number == index)

    # Pages
    def _ready_page(self) -> QWidget:
        self.ready_title = set_font_scale(QLabel("Review"), TITLE, bold=True)
        self.ready_text = set_font_scale(_label(rich=True), LEAD)
        self.start_button = QPushButton("Start (Enter)")
        self.start_button.setAccessibleName("Start the review")
        self.start_button.setMinimumHeight(40)
        self.start_button.clicked.connect(lambda: self.start(self.deck))
        return stacked(self.ready_title, self.ready_text, flow_row(self.start_button))

    def _intro_page(self) -> QWidget:
        """A new unit's card, on a page of its own before the unit's first item: its summary
        holds the answers of the items that follow."""
        self.intro_title = set_font_scale(_label(), TITLE, bold=True)
        self.intro = set_font_scale(_label(), LEAD)
        self.intro.setAccessibleName("New topic")
        self.begin_button = QPushButton("Begin (Enter)")
        self.begin_button.setAccessibleName("Begin this topic's questions")
        self.begin_button.setMinimumHeight(40)
        self.begin_button.clicked.connect(self._begin)
        return stacked(self.intro_title, self.intro, flow_row(self.begin_button))

    def _question_page(self) -> QWidget:
        self.kind = set_font_scale(_label(), SMALL)
        self.prompt = set_font_scale(_label(), PROMPT)
        self.prompt.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.prompt.setAccessibleName("Question")
        self.hint = _label()
        self.hint.setAccessibleName("Hint")

        self.answers = AnswerArea()
        self.answers.answered.connect(self._answer)
        # The controls, by the names a learner (and a test) knows them.
        self.typed, self.reveal_typed = self.answers.typed, self.answers.reveal_typed
        self.option_buttons = self.answers.option_buttons
        self.true_button, self.false_button = self.answers.true_button, self.answers.false_button
        self.order, self.check_order = self.answers.order, self.answers.check_order
        self.move_up, self.move_down = self.answers.move_up, self.answers.move_down

        self.result = set_font_scale(_label(), LEAD, bold=True)
        self.comparison = _label(rich=True)  # what was typed against what was expected
        self.comparison.setAccessibleName("Your answer and the expected one")
        self.evidence = _label(rich=True)
        self.evidence.setAccessibleName("Why, and where it comes from")
        self.open_source = QPushButton("Open source at this passage (O)")
        self.open_source.setAccessibleName("Open source at this passage")
        self.open_source.clicked.connect(self._open_source)
        self.rating_buttons = {rating: QPushButton() for rating in Rating}
        for rating, button in self.rating_buttons.items():
            button.setMinimumHeight(44)
            button.clicked.connect(lambda _=False, r=rating: self._rate(r))
        ratings = flow_row(*self.rating_buttons.values(), columns=4)
        self.feedback_area = stacked(
            self.result, self.comparison, self.evidence, flow_row(self.open_source), ratings
        )
        self.feedback_area.layout().setSpacing(10)
        return stacked(self.kind, self.prompt, self.hint, self.answers, self.feedback_area)

    def _done_page(self) -> QWidget:
        self.message = set_font_scale(_label(), LEAD)
        self.message.setAlignment(Qt.AlignCenter)
        self.more_new = QPushButton("Learn 10 more new items today")
        self.more_new.clicked.connect(self._learn_more)
        self.study_ahead = QPushButton("Study ahead: reviews due in the next day")
        self.study_ahead.clicked.connect(lambda: self.start(self.deck, ahead=STUDY_AHEAD))
        self.again = QPushButton("Study again")
        self.again.clicked.connect(lambda: self.start(self.deck))
        page = stacked(self.message)
        page.layout().setSpacing(10)
        page.layout().addSpacing(24)
        for button in (self.more_new, self.study_ahead, self.again):
            page.layout().addWidget(button, 0, Qt.AlignHCenter)
        return page

    # Starting, and the ReviewView protocol
    def show_ready(self, deck: str | None = None) -> None:
        """The page before a session: what is due, and Start. Nothing starts by itself."""
        if deck is not None:
            self.deck = deck
        self.session = None
        now = self.clock()
        counts = counts_now(self.db, self.deck, now)
        deck = "" if self.deck == ALL_DECKS else f"{html.escape(self._deck_title())}<br>"
        if counts.total:
            self.ready_text.setText(
                f"{deck}<b>{counts.total}</b> to study now: {counts.new} new · "
                f"{counts.learning} in learning · {counts.review} to review."
            )
        else:
            self.ready_text.setText(f"{deck}Nothing is due right now.")
        self.start_button.setText("Start (Enter)" if counts.total else "Check again (Enter)")
        self.counts.setText("")
        self.deck_line.setText("")
        self._set_note("")
        self._show_page(READY)

    def start(self, deck: str = ALL_DECKS, ahead: timedelta = timedelta(0)) -> None:
        self.deck = deck
        limits, retention = study_settings(self.db)
        if self._extra_new:
            limits = replace(limits, new_per_day=limits.new_per_day + self._extra_new)
        self.session = ReviewSession(
            self.db,
            self,
            self.clock,
            deck=deck,
            limits=limits,
            desired_retention=retention,
            ahead=ahead,
            undo_history=self._history,
        )
        self._set_note("")
        self.session.start()

    def _show_counts(self, counts: QueueCounts) -> None:
        self.deck_line.setText("" if self.deck == ALL_DECKS else self._deck_title())
        self.deck_line.setVisible(self.deck != ALL_DECKS)
        done = self.session.summary.answered if self.session else 0
        self.counts.setText(
            f"New {counts.new} · Learning {counts.learning} · "
            f"Review {counts.review} · {done} answered this session"
        )

    def show_intro(self, intro: Mechanism, counts: QueueCounts) -> None:
        self._show_page(INTRO)
        self._show_counts(counts)
        self.intro_title.setText(f"New topic: {intro.title}")
        self.intro.setText(" ".join(intro.summary.split()))
        self.begin_button.setFocus(Qt.OtherFocusReason)
        self._scroll_later(to_feedback=False)

    def show_item(self, scheduled: Scheduled, counts: QueueCounts) -> None:
        item = scheduled.item
        self._show_page(QUESTION)
        self._show_counts(counts)
        changed = " · this fact changed since you last saw it" if scheduled.changed else ""
        self.kind.setText(f"{item.kind.label}{changed}")
        question, hint = split_hint(item.prompt)
        self.prompt.setText(question)
        self.hint.setText(f"Hint: {hint}")
        self.hint.setVisible(bool(hint))
        self.feedback_area.hide()
        self.answers.show_item(item)
        (self.answers.focus_target() or self).setFocus()
        self._scroll_later(to_feedback=False)

    def _scroll_later(self, to_feedback: bool) -> None:
        """Once laid out: the question from its top, or the answer down to the ratings."""
        self._scroll_to_feedback = to_feedback
        QTimer.singleShot(0, self._scroll)

    def _scroll(self) -> None:
        """After an answer: the ratings in view with as much above them as fits; when not
        all fits, the marked answer and the result stay in view (1-4 rate from there)."""
        bar = self.scroll.verticalScrollBar()
        if not (self._scroll_to_feedback and self.feedback_area.isVisible()):
            bar.setValue(0)
            return
        page = self.scroll.widget()
        answers_top = self.answers.mapTo(page, QPoint(0, 0)).y() - 8
        easy = self.rating_buttons[Rating.Easy]
        ratings_bottom = easy.mapTo(page, QPoint(0, easy.height())).y() + 8
        wanted = ratings_bottom - self.scroll.viewport().height()
        bar.setValue(max(0, min(wanted, answers_top)))

    def _deck_title(self) -> str:
        titles = {m.id: m.title for m in list_mechanisms(self.db)}
        return titles.get(self.deck, self.deck)

    def show_feedback(self, feedback: Feedback) -> None:
        # a slip forgiven keeps its letters marked; other accepted wordings are not "wrong"
        accepted = feedback.correct and not feedback.spelling
        comparison = self.answers.mark(feedback.item, feedback.response, accepted)
        self.comparison.setText(comparison)
        self.comparison.setVisible(bool(comparison))
        self.result.setText(self._result_text(feedback))
        self.evidence.setText("<br><br>".join(self._feedback_parts(feedback)))
        self.open_source.setVisible(feedback.fact is not None)
        for rating, button in self.rating_buttons.items():
            proposed = rating is feedback.proposed
            name = f"{rating.value} · {RATING_NAMES[rating]}" + (" (Enter)" if proposed else "")
            button.setText(f"{name}\n{feedback.outcomes[rating].label}")
            button.setAccessibleName(
                f"Rate {RATING_NAMES[rating]}, next in {feedback.outcomes[rating].label}"
            )
            button.setDefault(proposed)
        self.feedback_area.show()
        self._set_note("")
        self.setFocus()
        self._scroll_later(to_feedback=True)

    def _result_text(self, feedback: Feedback) -> str:
        item = feedback.item
        if feedback.correct or item.kind not in (ItemKind.ORDER, ItemKind.CLOZE):
            return feedback.headline  # "✓ Right (spelled …)", "✗ Not quite: it is false."
        if item.kind is ItemKind.ORDER:
            marks = step_marks(item, feedback.response)
            placed = sum(m.in_place for m in marks)
            return f"✗ Not quite: {placed} of {len(marks)} steps in their place."
        return "✗ Not quite."  # the typed words and the expected ones are shown below

    def _feedback_parts(self, feedback: Feedback) -> list[str]:
        """What the answer rests on: the fact, its source's words and where they are; for a
        chain, the card's summary and where each step comes from."""
        item = feedback.item
        parts = []
        false_statement = item.kind is ItemKind.TRUE_FALSE and item.answer == "False"
        if false_statement:
            parts.append(html.escape(item.explanation))
        elif feedback.fact:
            parts.append(html.escape(feedback.fact.statement))
        if feedback.fact:
            parts.append(f"<i>“{html.escape(feedback.fact.shown_quote)}”</i>")
            where = citation(self.db, feedback.fact, with_evidence=False)
            parts.append(f"{evidence_badge(feedback.fact.evidence)} {html.escape(where)}")
            for quote, other in feedback.other_sources:
                parts.append(f"Also: <i>“{html.escape(quote)}”</i><br>{html.escape(other)}")
        elif feedback.chain:
            chain = feedback.chain
            if chain.hypothesis:
                parts.append(f"<b>{html.escape(HYPOTHESIS_NOTE)}</b>")
            parts.append(html.escape(" ".join(chain.summary.split())))
            parts.append(
                "<br>".join(
                    f"{n}. {html.escape(step.text)} — {html.escape(step.label)}"
                    + (f" · {html.escape(step.where)}" if step.where else "")
                    for n, step in enumerate(chain.steps, start=1)
                )
            )
        return parts

    def show_summary(self, summary: Summary) -> None:
        self._show_page(DONE)
        self.counts.setText("")
        self.deck_line.setText("")
        now = self.clock()
        wait = ""
        if summary.next_due:
            wait = f" Next review in {format_interval(max(summary.next_due - now, timedelta(0)))}."
        if summary.answered:
            text = (
                f"Session done: {summary.answered} answered, {summary.accuracy:.0%} right, "
                f"{summary.time_text}.{wait}"
            )
        else:
            text = f"Nothing is due right now.{wait}"
        for problem in summary.problems:
            text += f"\n\nNote: {problem}"
        self.message.setText(text)
        self.session_finished.emit(summary)

    def show_problem(self, message: str) -> None:
        self.kind.setText(f"Note: {message}")

    # The learner's actions
    def _begin(self) -> None:
        if self.session and self.session.intro is not None:
            self.session.begin()

    def _answer(self, response: str) -> None:
        if self.session and self.session.current and self.session.feedback is None:
            self.session.answer(response)

    def _rate(self, rating: Rating | None = None) -> None:
        session = self.session
        if not session or session.feedback is None or session.current is None:
            return
        chosen = rating or session.feedback.proposed
        prompt = " ".join(session.current.item.prompt.split())
        prompt = prompt if len(prompt) <= 50 else prompt[:49] + "…"
        try:
            session.rate(rating)
        except sqlite3.Error as error:  # rolled back: the answer can be rated again
            self.result.setText(write_problem(error))
            return
        QTimer.singleShot(0, lambda: checkpoint(self.db))  # once the next item is shown
        self.undo_stack.push(
            Undoable(
                f"your answer to “{prompt}” ({RATING_NAMES[chosen]})", self._take_back, "review"
            )
        )
        self.answered.emit()

    def _take_back(self) -> None:
        """Undo the newest saved answer (of this session or one before it) and ask it again."""
        if self.session is None:
            self.session = ReviewSession(
                self.db, self, self.clock, deck=self.deck, undo_history=self._history
            )
        self.session.undo()
        self.answered.emit()

    def _undone(self, message: str, view: str) -> None:
        if view in ("review", ""):
            self._set_note(message)

    def _set_note(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))

    def _open_source(self) -> None:
        if self.session and self.session.feedback and self.session.feedback.fact:
            self.open_fact_source.emit(self.session.feedback.fact.id)

    def _learn_more(self) -> None:
        self._extra_new += 10
        self.start(self.deck)

    # Keys
    def keyPressEvent(self, event) -> None:
        key, text = event.key(), event.text().lower()
        enter = key in (Qt.Key_Return, Qt.Key_Enter)
        focused = QApplication.focusWidget()
        if enter and isinstance(focused, QPushButton) and self.isAncestorOf(focused):
            focused.click()  # Enter presses the button that has the focus, as Space does
            return
        if key in _SCROLL_KEYS and not event.modifiers():  # read on, at any font size
            self.scroll.verticalScrollBar().triggerAction(_SCROLL_KEYS[key])
            return
        page = self._page
        if page == READY and (enter or key == Qt.Key_Space):
            self.start_button.click()
            return
        if page == INTRO and (enter or key == Qt.Key_Space):
            self._begin()
            return
        if page != QUESTION or not self.session or not self.session.current:
            return super().keyPressEvent(event)
        feedback = self.session.feedback
        if feedback is not None:
            if text in ("1", "2", "3", "4"):
                self._rate(Rating(int(text)))
            elif enter or key == Qt.Key_Space:
                self._rate()
            elif text == "o" and feedback.fact is not None:
                self._open_source()
            else:
                super().keyPressEvent(event)
            return
        item_kind = self.session.current.item.kind
        choices = len(self.session.current.item.choices)
        if (response := self.answers.option_for_key(text)) is not None:
            self._answer(response)
        elif item_kind is ItemKind.ORDER and (enter or key == Qt.Key_Space):
            self.answers.submit_order()
        elif enter or key == Qt.Key_Space:
            keys = "T or F" if item_kind is ItemKind.TRUE_FALSE else f"A–{OPTION_KEYS[choices - 1]}"
            self._set_note(f"Choose an answer first: press {keys}, or click it.")
        elif text in "1234" and text and item_kind in (ItemKind.CHOICE, ItemKind.MISSING_STEP):
            self._set_note(
                "Options are picked with letters (A–D); the numbers 1–4 rate your answer."
            )
        else:
            super().keyPressEvent(event)

    # For the window
    def focus_content(self) -> None:
        """Give the keyboard to what answers the page shown."""
        page = self._page
        if page == READY:
            self.start_button.setFocus(Qt.OtherFocusReason)
        elif page == INTRO:
            self.begin_button.setFocus(Qt.OtherFocusReason)
        elif page == DONE:
            self.more_new.setFocus(Qt.OtherFocusReason)
        elif self.session and self.session.current and self.session.feedback is None:
            (self.answers.focus_target() or self).setFocus(Qt.OtherFocusReason)
        else:
            self.setFocus(Qt.OtherFocusReason)

    def bookmark_target(self) -> Target | None:
        """The fact of the question shown; before it is answered, the dialog shows the
        question, not the fact, which would give the answer away."""
        session = self.session
        if not session or not session.current or not session.current.item.fact_id:
            return None
        from studyapp.core.knowledge import get_fact

        fact = get_fact(self.db, session.current.item.fact_id)
        if fact is None:
            return None
        shown = "" if session.feedback else f"the fact behind “{session.current.item.prompt}”"
        return Target("fact", fact.id, fact.source_id, fact.statement, shown)

    def on_changed(self, changes: Changes) -> None:
        if changes.database:
            self.session = None
            self._history.clear()
            self._extra_new = 0
        if changes.database or changes.content or changes.settings:
            if self.session is None or self.session.current is None:
                self.show_ready()
            elif changes.settings and self.session.feedback is None:
                self.start(self.deck)  # the new limits and retention apply from now on
        elif changes.reviews and self.session is None:
            self.show_ready()

    def _restyle(self) -> None:
        for label in (self.counts, self.kind, self.deck_line, self.hint):
            label.setStyleSheet(f"color: {muted_color(self.palette()).name()};")

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.PaletteChange:
            self._restyle()
