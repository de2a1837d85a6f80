"""The controls a question is answered with: options whose words wrap, a list of chain steps
as tall as its steps, and the marks each gets once answered (colour and a sign)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer
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

from studyapp.ui.theme import focus_color, mark_colors

RIGHT_SIGN, WRONG_SIGN = "✓", "✗"


class WrapButton(QPushButton):
    """A button whose text wraps onto more lines instead of being cut or widening the page."""

    def __init__(self, text: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.PlainText)
        self.label.setAttribute(Qt.WA_TransparentForMouseEvents)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.label)
        policy = QSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setAccessibleName(text)
        self.restyle()

    def setText(self, text: str) -> None:
        self.label.setText(text)
        self.setAccessibleName(text)
        self.updateGeometry()

    def text(self) -> str:  # what a learner reads on it
        return self.label.text()

    def colors(self) -> tuple[str, str, str, int, str]:
        """(background, border, text, border width, font weight) as the palette has them."""
        palette = QApplication.palette()
        return (
            palette.color(QPalette.Button).name(),
            palette.color(QPalette.Mid).name(),
            palette.color(QPalette.ButtonText).name(),
            1,
            "normal",
        )

    def restyle(self) -> None:
        """Colours from the palette now in use (called again when the theme changes)."""
        background, border, text, width, weight = self.colors()
        focus = focus_color(QApplication.palette()).name()
        name = type(self).__name__
        sheet = (
            f"{name} {{ background: {background}; border: {width}px solid {border};"
            f" border-radius: 4px; }}"
            f" {name}:focus {{ border: 2px solid {focus}; }}"
            f" {name}:hover:!disabled {{ border: 2px solid {focus}; }}"
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


class OptionButton(WrapButton):
    """An option of a question: its key, its words; once answered, marked right or wrong."""

    mark = ""  # "", "right", "wrong" or "other" (a class default: restyle runs in __init__)

    def __init__(self, key: str, parent: QWidget | None = None):
        super().__init__("", parent)
        self.key = key  # the letter that picks it
        self.choice = ""

    def set_choice(self, choice: str) -> None:
        self.choice = choice
        self.mark = ""
        self.setText(f"{self.key}   {choice}")
        self.setAccessibleName(f"{self.key}: {choice}")
        self.restyle()

    def set_mark(self, mark: str, chosen: bool) -> None:
        """Show the answer: "right" (✓), "wrong" (✗, the learner's pick) or "other"."""
        self.mark = mark
        sign = {"right": RIGHT_SIGN, "wrong": WRONG_SIGN}.get(mark, " ")
        said = {"right": "the right answer", "wrong": "your answer, not right"}.get(mark, "")
        if chosen and mark == "right":
            said = "your answer, right"
        self.setText(f"{sign}  {self.key}   {self.choice}")
        self.setAccessibleName(f"{self.key}: {self.choice}" + (f" ({said})" if said else ""))
        self.restyle()

    def colors(self) -> tuple[str, str, str, int, str]:
        if not self.mark:
            return super().colors()
        background, border, text = mark_colors(QApplication.palette(), self.mark)
        other = self.mark == "other"
        return background, border, text, 1 if other else 2, "normal" if other else "bold"


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
            " QListWidget::item:selected { background: palette(highlight);"
            " color: palette(highlighted-text); }"
        )
        policy = QSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        self.setSizePolicy(policy)

    def _contents_height(self) -> int:
        """From the rows as laid out (wrapped at this width), not their one-line hints."""
        if not self.count():
            return 2 * self.frameWidth()
        last = self.visualItemRect(self.item(self.count() - 1))
        top = self.visualItemRect(self.item(0)).top() - self.spacing()
        return last.bottom() - top + self.spacing() + 2 * self.frameWidth() + 2

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self._contents_height())

    def fit(self) -> None:
        """As tall as all the steps at the current width, now and once laid out."""
        self._fit_now()
        QTimer.singleShot(0, self._fit_now)

    def _fit_now(self) -> None:
        self.doItemsLayout()
        self.setFixedHeight(self._contents_height())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self._fit_now()

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
