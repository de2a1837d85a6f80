"""Where a question is answered: a box for the missing words, options A-D, True and False, or
the steps of a chain to put in order; and, once answered, each of them marked.

It reports the learner's answer (``answered``) in the form the review session grades: the
typed words, an option's number, "t"/"f", or the shown steps' numbers in the order given."""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studyapp.core.answer_marks import option_marks, step_marks, typed_comparison
from studyapp.core.models import ItemKind, QuizItem
from studyapp.ui.theme import mark_colors
from studyapp.ui.widgets.answer_widgets import RIGHT_SIGN, WRONG_SIGN, OptionButton, StepList
from studyapp.ui.widgets.column import stacked
from studyapp.ui.widgets.flow import flow_row

OPTION_KEYS = "ABCD"
CHOOSING = (ItemKind.CHOICE, ItemKind.MISSING_STEP)


class AnswerArea(QWidget):
    answered = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.item: QuizItem | None = None
        self.typed = QLineEdit()
        self.typed.setPlaceholderText("Type the missing words")
        self.typed.setAccessibleName("Your answer")
        self.typed.installEventFilter(self)  # Return and Ctrl+Z: see eventFilter
        self.reveal_typed = QPushButton("Check (Enter)")
        self.reveal_typed.clicked.connect(lambda: self.answered.emit(self.typed.text()))
        typed_row = QHBoxLayout()
        typed_row.addWidget(self.typed, 1)
        typed_row.addWidget(self.reveal_typed)

        self.option_buttons = [OptionButton(key) for key in OPTION_KEYS]
        for number, button in enumerate(self.option_buttons, start=1):
            button.clicked.connect(lambda _=False, n=number: self.answered.emit(str(n)))
        self.true_button = QPushButton()
        self.false_button = QPushButton()
        self.true_button.clicked.connect(lambda: self.answered.emit("t"))
        self.false_button.clicked.connect(lambda: self.answered.emit("f"))
        for button in (self.true_button, self.false_button):
            button.setMinimumHeight(40)

        self.order = StepList()
        self.order.installEventFilter(self)
        self.move_up = QPushButton("↑ Move up (Alt+↑)")
        self.move_down = QPushButton("↓ Move down (Alt+↓)")
        self.move_up.clicked.connect(lambda: self.move_step(-1))
        self.move_down.clicked.connect(lambda: self.move_step(1))
        self.order_hint = QLabel("Drag the steps, or select one and move it.")
        self.order_hint.setWordWrap(True)
        self.check_order = QPushButton("Check order (Enter)")
        self.check_order.clicked.connect(self.submit_order)

        choosing = stacked(*self.option_buttons)
        self.pages = {
            ItemKind.CLOZE: stacked(typed_row),
            ItemKind.CHOICE: choosing,
            ItemKind.MISSING_STEP: choosing,
            ItemKind.TRUE_FALSE: stacked(flow_row(self.true_button, self.false_button, columns=2)),
            ItemKind.ORDER: stacked(
                self.order,
                flow_row(self.move_up, self.move_down, self.check_order),
                self.order_hint,
            ),
        }
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for page in dict.fromkeys(self.pages.values()):
            layout.addWidget(page)

    def show_item(self, item: QuizItem) -> None:
        """The controls for ``item``, fresh, with the keyboard where it answers."""
        self.item = item
        shown = self.pages[item.kind]
        for page in self.pages.values():
            page.setVisible(page is shown)
            page.setEnabled(True)
        for control in (self.typed, self.reveal_typed, self.move_up, self.move_down):
            control.setEnabled(True)
        self.check_order.setEnabled(True)
        self.order_hint.show()
        self.order.setFocusPolicy(Qt.StrongFocus)
        if item.kind is ItemKind.CLOZE:
            self.typed.setText("")  # setText, not clear(): no undo history to bring it back
        elif item.kind in CHOOSING:
            for button, choice in zip(self.option_buttons, item.choices, strict=False):
                button.set_choice(choice)
                button.show()
            for button in self.option_buttons[len(item.choices) :]:
                button.hide()
        elif item.kind is ItemKind.TRUE_FALSE:
            self.true_button.setText("T · True")
            self.false_button.setText("F · False")
            for button in (self.true_button, self.false_button):
                button.setStyleSheet("")
        else:
            self.order.clear()
            self.order.addItems(list(item.choices))
            self.order.setCurrentRow(0)
            self.order.fit()

    def focus_target(self) -> QWidget | None:
        """What takes the keys for the item shown (None: the review panel itself)."""
        kind = self.item.kind if self.item else None
        return {ItemKind.CLOZE: self.typed, ItemKind.ORDER: self.order}.get(kind)

    def option_for_key(self, text: str) -> str | None:
        """The response a letter (A-D) or T/F stands for, on the item shown."""
        if self.item is None or not text:
            return None
        if self.item.kind in CHOOSING and text in "abcd"[: len(self.item.choices)]:
            return str("abcd".index(text) + 1)
        if self.item.kind is ItemKind.TRUE_FALSE and text in ("t", "f"):
            return text
        return None

    def submit_order(self) -> None:
        if self.item is not None and self.item.kind is ItemKind.ORDER:
            shown = self.item.choices
            order = [self.order.item(i).text() for i in range(self.order.count())]
            if all(step in shown for step in order):  # not yet marked
                self.answered.emit("".join(str(shown.index(step) + 1) for step in order))

    def move_step(self, offset: int) -> None:
        row = self.order.currentRow()
        target = row + offset
        if 0 <= row < self.order.count() and 0 <= target < self.order.count():
            item = self.order.takeItem(row)
            self.order.insertItem(target, item)
            self.order.setCurrentRow(target)

    # Once answered
    def mark(self, item: QuizItem, response: str, accepted: bool = False) -> str:
        """Mark the answer on the controls; for a typed answer, the comparison (HTML)."""
        if item.kind in CHOOSING:
            marks = option_marks(item, response)
            for button, mark in zip(self.option_buttons, marks, strict=False):
                state = "right" if mark.right else "wrong" if mark.chosen else "other"
                button.set_mark(state, mark.chosen)
            self.pages[item.kind].setEnabled(False)
        elif item.kind is ItemKind.TRUE_FALSE:
            buttons = (self.true_button, self.false_button)
            for button, mark in zip(buttons, option_marks(item, response), strict=True):
                _mark_button(button, "right" if mark.right else "wrong" if mark.chosen else "")
            self.pages[item.kind].setEnabled(False)
        elif item.kind is ItemKind.ORDER:
            self.order.mark_steps(step_marks(item, response))
            for button in (self.move_up, self.move_down, self.check_order):
                button.setEnabled(False)
            self.order_hint.hide()
            self.order.setFocusPolicy(Qt.NoFocus)
        else:
            self.typed.setEnabled(False)
            self.reveal_typed.setEnabled(False)
            return comparison_html(response, item.answer, accepted)
        return ""

    def eventFilter(self, watched, event) -> bool:
        kind = event.type()
        if watched is self.typed and kind == QEvent.ShortcutOverride:
            # Typing on this question is the box's to undo; with nothing typed to take back,
            # Ctrl+Z is the answer's undo (Edit menu), never an older answer's text.
            undo, redo = event.matches(QKeySequence.Undo), event.matches(QKeySequence.Redo)
            if (undo and not self.typed.isUndoAvailable()) or (
                redo and not self.typed.isRedoAvailable()
            ):
                event.ignore()
                return True
        if kind != QEvent.KeyPress:
            return super().eventFilter(watched, event)
        enter = event.key() in (Qt.Key_Return, Qt.Key_Enter)
        if watched is self.typed and enter:
            self.answered.emit(self.typed.text())
            return True
        if watched is self.order and self.order.focusPolicy() != Qt.NoFocus:
            if event.modifiers() & Qt.AltModifier and event.key() in (Qt.Key_Up, Qt.Key_Down):
                self.move_step(-1 if event.key() == Qt.Key_Up else 1)
                return True
            if enter:
                self.submit_order()
                return True
        return super().eventFilter(watched, event)


def _mark_button(button: QPushButton, mark: str) -> None:
    if not mark:
        return
    background, border, text = mark_colors(QApplication.palette(), mark)
    sign = RIGHT_SIGN if mark == "right" else WRONG_SIGN
    button.setText(f"{sign} {button.text()}")
    button.setStyleSheet(
        f"QPushButton {{ background: {background}; border: 2px solid {border};"
        f" color: {text}; font-weight: bold; border-radius: 4px; }}"
    )


def comparison_html(typed: str, expected: str, accepted: bool = False) -> str:
    """What was typed above what was expected, the letters that differ marked in each; an
    accepted answer in other words ("mice" for "animal studies") is not marked as wrong."""
    mine, theirs = typed_comparison(typed, expected)
    palette = QApplication.palette()
    wrong_background, _, wrong_text = mark_colors(palette, "wrong")
    right_background, _, right_text = mark_colors(palette, "right")

    def marked(pieces, background: str, text: str) -> str:
        return "".join(
            html.escape(p.text)
            if p.same or accepted
            else f'<span style="background-color:{background}; color:{text}"><u>'
            f"{html.escape(p.text)}</u></span>"
            for p in pieces
        )

    you = marked(mine, wrong_background, wrong_text) if typed.strip() else "<i>(nothing)</i>"
    return (
        f"<table cellspacing=4><tr><td>You typed:</td><td><b>{you}</b></td></tr>"
        f"<tr><td>{'The answer' if accepted else 'Expected'}:</td>"
        f"<td><b>{marked(theirs, right_background, right_text)}"
        "</b></td></tr></table>"
    )
