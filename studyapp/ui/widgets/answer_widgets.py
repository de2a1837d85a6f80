"""The controls a question is answered with: options whose words wrap, a list of chain steps
as tall as its steps, and the marks each gets once answered (colour and a sign)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QBrush, QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from studyapp.ui.theme import mark_colors

RIGHT_SIGN, WRONG_SIGN = "✓", "✗"


class OptionButton(QPushButton):
    """A button whose text wraps onto more lines instead of being cut; marked once answered."""

    def __init__(self, key: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.key = key  # the letter that picks it
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.PlainText)
        self.label.setAttribute(Qt.WA_TransparentForMouseEvents)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.label)
        policy = QSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.mark = ""  # "", "right", "wrong" or "other"
        self.choice = ""
        self.restyle()

    def set_choice(self, choice: str) -> None:
        self.choice = choice
        self.mark = ""
        self.label.setText(f"{self.key}   {choice}")
        self.setAccessibleName(f"{self.key}: {choice}")
        self.restyle()
        self.updateGeometry()

    def text(self) -> str:  # what a learner reads on it
        return self.label.text()

    def set_mark(self, mark: str, chosen: bool) -> None:
        """Show the answer: "right" (✓), "wrong" (✗, the learner's pick) or "other"."""
        self.mark = mark
        sign = {"right": RIGHT_SIGN, "wrong": WRONG_SIGN}.get(mark, " ")
        said = {"right": "the right answer", "wrong": "your answer, not right"}.get(mark, "")
        if chosen and mark == "right":
            said = "your answer, right"
        self.label.setText(f"{sign}  {self.key}   {self.choice}")
        self.setAccessibleName(f"{self.key}: {self.choice}" + (f" ({said})" if said else ""))
        self.restyle()

    def restyle(self) -> None:
        """Colours from the palette now in use (called again when the theme changes)."""
        palette = QApplication.palette()
        if self.mark:
            background, border, text = mark_colors(palette, self.mark)
            width = 1 if self.mark == "other" else 2
            weight = "normal" if self.mark == "other" else "bold"
        else:
            background = palette.color(QPalette.Button).name()
            border = palette.color(QPalette.Mid).name()
            text = palette.color(QPalette.ButtonText).name()
            width, weight = 1, "normal"
        focus = palette.color(QPalette.Highlight).name()
        sheet = (
            f"OptionButton {{ background: {background}; border: {width}px solid {border};"
            f" border-radius: 4px; }}"
            f" OptionButton:focus {{ border: 2px solid {focus}; }}"
            f" OptionButton:hover:!disabled {{ border: 2px solid {focus}; }}"
            f" QLabel {{ color: {text}; background: transparent; font-weight: {weight}; }}"
        )
        if sheet != self.styleSheet():  # setting a sheet re-polishes, which changes the palette
            self.setStyleSheet(sheet)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == event.Type.PaletteChange:
            self.restyle()

    def sizeHint(self) -> QSize:
        width = max(200, self.label.sizeHint().width() + 24)
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        return QSize(120, self.heightForWidth(120))

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self.label.heightForWidth(max(1, width - 24)) + 16


class StepList(QListWidget):
    """The steps of a chain to put in order: every step shown, none hidden behind a scroll."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setDragDropMode(QAbstractItemView.InternalMove)
        self.setWordWrap(True)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setSpacing(2)
        self.setAccessibleName("Steps of the chain, to put in order")
        self.setStyleSheet(
            "QListWidget::item { padding: 6px 8px; border-bottom: 1px solid palette(mid); }"
        )
        policy = QSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        self.setSizePolicy(policy)

    def _contents_height(self) -> int:
        rows = sum(self.sizeHintForRow(row) + 2 * self.spacing() for row in range(self.count()))
        return rows + 2 * self.frameWidth() + 4

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self._contents_height())

    def fit(self) -> None:
        """As tall as all the steps at the current width."""
        self.doItemsLayout()
        self.setFixedHeight(self._contents_height())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.fit()

    def mark_steps(self, marks) -> None:
        """Each step ✓ in place or ✗ with where it belongs, in colour and in words."""
        palette = QApplication.palette()
        self.clear()
        for number, mark in enumerate(marks, start=1):
            if mark.in_place:
                text = f"{RIGHT_SIGN}  {number}. {mark.text}"
                background, _, foreground = mark_colors(palette, "right")
            else:
                text = f"{WRONG_SIGN}  {number}. {mark.text}   (belongs at {mark.right_position})"
                background, _, foreground = mark_colors(palette, "wrong")
            self.addItem(text)
            item = self.item(self.count() - 1)
            item.setBackground(QBrush(QColor(background)))
            item.setForeground(QBrush(QColor(foreground)))
        self.fit()
