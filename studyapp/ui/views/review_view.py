"""The review screen: shows what the Qt-free ReviewSession tells it, reports the learner's keys
and clicks back to it. Keys: Enter/Space reveal; 1-4 pick an option or a rating; T/F; Alt+↑/↓
move a chain step; Ctrl+Z undo."""

from __future__ import annotations

import html
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from fsrs import Rating
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from studyapp.core.db import checkpoint, write_problem
from studyapp.core.knowledge import list_mechanisms
from studyapp.core.models import ItemKind, Mechanism
from studyapp.core.review import HYPOTHESIS_NOTE, Feedback, ReviewSession, Summary, citation
from studyapp.core.settings import study_settings
from studyapp.core.srs import RATING_NAMES, format_interval
from studyapp.core.study import ALL_DECKS, QueueCounts, Scheduled
from studyapp.ui.views.mechanisms_view import evidence_badge

STUDY_AHEAD = timedelta(days=1)


def _big(label: QLabel, factor: float) -> QLabel:
    label.setTextFormat(Qt.PlainText)  # content text: never HTML (no images)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * factor)
    label.setFont(font)
    return label


class ReviewPanel(QWidget):
    open_fact_source = Signal(str)
    session_finished = Signal(object)  # Summary

    def __init__(self, db: Database, parent: QWidget | None = None, clock=None):
        super().__init__(parent)
        self.db = db
        self.clock = clock or (lambda: datetime.now(UTC))
        self.session: ReviewSession | None = None
        self.deck = ALL_DECKS
        self.setFocusPolicy(Qt.StrongFocus)

        self.counts = QLabel()
        self.counts.setObjectName("reviewCounts")
        self.intro = QLabel()  # a new unit's card, a step of its own before its first item
        self.intro.setWordWrap(True)
        self.intro.setTextFormat(Qt.RichText)
        self.begin_button = QPushButton("Begin (Enter)")
        self.begin_button.setFocusPolicy(Qt.NoFocus)
        self.begin_button.clicked.connect(self._begin)
        self.kind = QLabel()
        self.kind.setTextFormat(Qt.PlainText)
        self.prompt = _big(QLabel(), 1.35)
        self.prompt.setWordWrap(True)
        self.prompt.setTextInteractionFlags(Qt.TextSelectableByMouse)

        self.typed = QLineEdit()
        self.typed.setPlaceholderText("Type the missing words, then Enter")
        # Return is handled in eventFilter: QLineEdit passes it on to this panel, which would
        # take the same key press as the rating too.
        self.typed.installEventFilter(self)
        self.option_buttons = [QPushButton() for _ in range(4)]
        for number, button in enumerate(self.option_buttons, start=1):
            button.clicked.connect(lambda _=False, n=number: self._answer(str(n)))
            button.setFocusPolicy(Qt.NoFocus)
        options = QVBoxLayout()
        for button in self.option_buttons:
            button.setStyleSheet("text-align: left; padding: 8px 12px;")
            options.addWidget(button)
        self.true_button = QPushButton("T · True")
        self.false_button = QPushButton("F · False")
        self.true_button.clicked.connect(lambda: self._answer("t"))
        self.false_button.clicked.connect(lambda: self._answer("f"))
        true_false = QHBoxLayout()
        for button in (self.true_button, self.false_button):
            button.setFocusPolicy(Qt.NoFocus)
            button.setMinimumHeight(40)
            true_false.addWidget(button)
        self.order = QListWidget()
        self.order.setDragDropMode(QAbstractItemView.InternalMove)
        self.order.setWordWrap(True)
        self.order.installEventFilter(self)
        self.check_order = QPushButton("Check order (Enter)")
        self.check_order.clicked.connect(self._submit_order)
        self.reveal_typed = QPushButton("Check (Enter)")
        self.reveal_typed.clicked.connect(self._submit_typed)

        self.answer_area = QStackedWidget()
        self.answer_area.addWidget(self._page(self.typed, self.reveal_typed))
        self.answer_area.addWidget(self._page(options))
        self.answer_area.addWidget(self._page(true_false))
        hint = QLabel("Drag the steps, or move the selected one with Alt+↑ / Alt+↓.")
        self.answer_area.addWidget(self._page(self.order, hint, self.check_order))

        self.result = _big(QLabel(), 1.15)
        self.result.setWordWrap(True)
        self.evidence = QLabel()
        self.evidence.setWordWrap(True)
        self.evidence.setTextFormat(Qt.RichText)
        self.open_source = QPushButton("Open source at this passage")
        self.open_source.setFocusPolicy(Qt.NoFocus)
        self.open_source.clicked.connect(self._open_source)
        self.rating_buttons = {rating: QPushButton() for rating in Rating}
        ratings = QHBoxLayout()
        for rating, button in self.rating_buttons.items():
            button.setFocusPolicy(Qt.NoFocus)
            button.setMinimumHeight(44)
            button.clicked.connect(lambda _=False, r=rating: self._rate(r))
            ratings.addWidget(button)
        source_row = QHBoxLayout()
        source_row.addWidget(self.open_source)
        source_row.addStretch(1)
        self.feedback_area = self._page(self.result, self.evidence, source_row, ratings)
        self.feedback_area.hide()

        question = QWidget()
        column = QVBoxLayout(question)
        column.setContentsMargins(32, 20, 32, 24)
        column.setSpacing(14)
        column.addWidget(self.counts)
        column.addWidget(self.intro)
        column.addWidget(self.begin_button, 0, Qt.AlignLeft)
        column.addWidget(self.kind)
        column.addWidget(self.prompt)
        column.addWidget(self.answer_area)
        column.addWidget(self.feedback_area)
        column.addStretch(1)

        self.message = _big(QLabel(), 1.2)
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignCenter)
        self.more_new = QPushButton("Learn 10 more new items today")
        self.more_new.clicked.connect(self._learn_more)
        self.again = QPushButton("Study again")
        self.again.clicked.connect(lambda: self.start(self.deck))
        self.study_ahead = QPushButton("Study ahead: reviews due in the next day")
        self.study_ahead.clicked.connect(lambda: self.start(self.deck, ahead=STUDY_AHEAD))
        done = QWidget()
        done_column = QVBoxLayout(done)
        done_column.addStretch(1)
        done_column.addWidget(self.message)
        for button in (self.more_new, self.study_ahead, self.again):
            row = QHBoxLayout()
            row.addStretch(1)
            row.addWidget(button)
            row.addStretch(1)
            done_column.addLayout(row)
        done_column.addStretch(2)

        self.pages = QStackedWidget()
        self.pages.addWidget(question)
        self.pages.addWidget(done)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        undo = QShortcut(QKeySequence.Undo, self)
        undo.setContext(Qt.WidgetWithChildrenShortcut)
        undo.activated.connect(self.undo)
        self._extra_new = 0

    @staticmethod
    def _page(*parts) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        for part in parts:
            if isinstance(part, QWidget):
                column.addWidget(part)
            else:
                column.addLayout(part)
        return page

    # Starting and the ReviewView protocol
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
        )
        self.session.start()

    def _show_counts(self, counts: QueueCounts) -> None:
        deck = "" if self.deck == ALL_DECKS else f"{self._deck_title()} · "
        done = self.session.summary.answered if self.session else 0
        self.counts.setText(
            f"{deck}New {counts.new} · Learning {counts.learning} · "
            f"Review {counts.review} · {done} answered this session"
        )

    def show_intro(self, intro: Mechanism, counts: QueueCounts) -> None:
        """A new unit's card on a screen of its own (its summary would give the first
        item's answer away); Enter, Space or the button begins the unit."""
        self.pages.setCurrentIndex(0)
        self._show_counts(counts)
        self.intro.setText(
            f"<b>New topic: {html.escape(intro.title)}</b><br>"
            f"{html.escape(' '.join(intro.summary.split()))}"
        )
        self.intro.show()
        self.begin_button.show()
        self.kind.hide()
        self.prompt.hide()
        self.answer_area.hide()
        self.feedback_area.hide()
        self.setFocus()

    def show_item(self, scheduled: Scheduled, counts: QueueCounts) -> None:
        item = scheduled.item
        self.pages.setCurrentIndex(0)
        self._show_counts(counts)
        changed = " · this fact changed since you last saw it" if scheduled.changed else ""
        self.kind.setText(f"{item.kind.label}{changed}")
        self.intro.hide()
        self.begin_button.hide()
        self.kind.show()
        self.prompt.show()
        self.prompt.setText(item.prompt)
        self.feedback_area.hide()
        self.answer_area.show()
        self.answer_area.setEnabled(True)
        if item.kind is ItemKind.CLOZE:
            self._show_answer_page(0)
            self.typed.clear()
            self.typed.setFocus()
        elif item.kind in (ItemKind.CHOICE, ItemKind.MISSING_STEP):
            self._show_answer_page(1)
            for number, (button, choice) in enumerate(
                zip(self.option_buttons, item.choices, strict=False), start=1
            ):
                button.setText(f"{number}  {choice}")
                button.show()
            for button in self.option_buttons[len(item.choices) :]:
                button.hide()
            self.setFocus()
        elif item.kind is ItemKind.TRUE_FALSE:
            self._show_answer_page(2)
            self.setFocus()
        else:
            self._show_answer_page(3)
            self.order.clear()
            self.order.addItems(list(item.choices))
            self.order.setCurrentRow(0)
            self.order.setFocus()

    def _deck_title(self) -> str:
        titles = {m.id: m.title for m in list_mechanisms(self.db)}
        return titles.get(self.deck, self.deck)

    def _show_answer_page(self, index: int) -> None:
        """Only the current page counts for the height, so the options sit under the prompt."""
        for i in range(self.answer_area.count()):
            policy = QSizePolicy.Preferred if i == index else QSizePolicy.Ignored
            self.answer_area.widget(i).setSizePolicy(policy, policy)
        self.answer_area.setCurrentIndex(index)
        self.answer_area.adjustSize()

    def show_feedback(self, feedback: Feedback) -> None:
        item = feedback.item
        self.answer_area.setEnabled(False)
        self.result.setText(feedback.headline)
        parts = []
        if item.kind is ItemKind.TRUE_FALSE and item.answer == "False":
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
        self.evidence.setText("<br><br>".join(parts))
        self.open_source.setVisible(feedback.fact is not None)
        for rating, button in self.rating_buttons.items():
            label = feedback.outcomes[rating].label
            mark = " ✔" if rating is feedback.proposed else ""
            button.setText(f"{rating.value} · {RATING_NAMES[rating]}{mark}\n{label}")
        self.feedback_area.show()
        self.setFocus()

    def show_summary(self, summary: Summary) -> None:
        self.pages.setCurrentIndex(1)
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

    def _submit_typed(self) -> None:
        self._answer(self.typed.text())

    def _submit_order(self) -> None:
        if self.session and self.session.current:
            shown = self.session.current.item.choices
            order = [self.order.item(i).text() for i in range(self.order.count())]
            self._answer("".join(str(shown.index(step) + 1) for step in order))

    def _rate(self, rating: Rating | None = None) -> None:
        if self.session and self.session.feedback is not None:
            try:
                self.session.rate(rating)
            except sqlite3.Error as error:  # rolled back: the answer can be rated again
                self.result.setText(write_problem(error))
                return
            QTimer.singleShot(0, lambda: checkpoint(self.db))  # once the next item is shown

    def undo(self) -> None:
        if self.session:
            self.session.undo()

    def _open_source(self) -> None:
        if self.session and self.session.feedback and self.session.feedback.fact:
            self.open_fact_source.emit(self.session.feedback.fact.id)

    def _learn_more(self) -> None:
        self._extra_new += 10
        self.start(self.deck)

    def _move_step(self, offset: int) -> None:
        row = self.order.currentRow()
        target = row + offset
        if 0 <= row < self.order.count() and 0 <= target < self.order.count():
            item = self.order.takeItem(row)
            self.order.insertItem(target, item)
            self.order.setCurrentRow(target)

    def eventFilter(self, watched, event) -> bool:
        is_key = event.type() == event.Type.KeyPress
        if watched is self.typed and is_key and event.key() in (Qt.Key_Return, Qt.Key_Enter):
            self._submit_typed()
            return True
        if watched is self.order and event.type() == event.Type.KeyPress:
            if event.modifiers() & Qt.AltModifier and event.key() in (Qt.Key_Up, Qt.Key_Down):
                self._move_step(-1 if event.key() == Qt.Key_Up else 1)
                return True
            if event.key() in (Qt.Key_Return, Qt.Key_Enter):
                if self.session and self.session.feedback is None:
                    self._submit_order()
                else:
                    self._rate()
                return True
            if self.session and self.session.feedback is not None:
                self.keyPressEvent(event)
                return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event) -> None:
        if not self.session or not self.session.current:
            return super().keyPressEvent(event)
        key, text = event.key(), event.text().lower()
        if self.session.intro is not None:
            if key in (Qt.Key_Return, Qt.Key_Enter, Qt.Key_Space):
                self._begin()
            return
        feedback = self.session.feedback
        if feedback is not None:
            if text in ("1", "2", "3", "4"):
                self._rate(Rating(int(text)))
            elif key in (Qt.Key_Return, Qt.Key_Enter, Qt.Key_Space):
                self._rate()
            return
        kind = self.session.current.item.kind
        picks_option = kind in (ItemKind.CHOICE, ItemKind.MISSING_STEP) and text in "1234"
        says_true_or_false = kind is ItemKind.TRUE_FALSE and text in ("t", "f")
        if text and (picks_option or says_true_or_false):
            self._answer(text)
        elif kind is ItemKind.ORDER and key in (Qt.Key_Return, Qt.Key_Enter, Qt.Key_Space):
            self._submit_order()
        else:
            super().keyPressEvent(event)
