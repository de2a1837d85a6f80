"""Find in the text shown (Ctrl+F): searches as you type, says "3 of 12" or "Not found",
keeps the reader where it was on a miss, and puts each match a third of the way down."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFontMetrics, QTextCursor, QTextDocument
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QTextEdit, QToolButton, QWidget

from studyapp.ui.theme import mark_colors

MAX_MATCHES = 10_000


class FindBar(QWidget):
    closed = Signal()

    def __init__(self, viewer: QTextEdit, parent: QWidget | None = None):
        super().__init__(parent)
        self.viewer = viewer
        self.box = QLineEdit()
        self.box.setPlaceholderText("Find in this source")
        self.box.setAccessibleName("Find in this source")
        self.box.setClearButtonEnabled(True)
        self.box.textChanged.connect(self._search)
        self.box.installEventFilter(self)
        self.count = QLabel()
        self.count.setAccessibleName("Matches")
        self.box.setMinimumWidth(QFontMetrics(self.box.font()).averageCharWidth() * 14)
        self.previous_button = QToolButton()
        self.previous_button.setText("↑")
        self.previous_button.setToolTip("Previous match (Shift+Enter)")
        self.previous_button.setAccessibleName("Previous match")
        self.previous_button.clicked.connect(lambda: self.step(-1))
        self.next_button = QToolButton()
        self.next_button.setText("↓")
        self.next_button.setToolTip("Next match (Enter)")
        self.next_button.setAccessibleName("Next match")
        self.next_button.clicked.connect(lambda: self.step(1))
        self.close_button = QToolButton()
        self.close_button.setText("✕")
        self.close_button.setToolTip("Close (Esc)")
        self.close_button.setAccessibleName("Close find")
        self.close_button.clicked.connect(self.close_bar)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        row.addWidget(self.box, 1)
        row.addWidget(self.count)
        for button in (self.previous_button, self.next_button, self.close_button):
            row.addWidget(button)
        self.matches: list[tuple[int, int]] = []
        self.current = -1
        self.hide()

    def open(self) -> None:
        self.show()
        self.box.setFocus(Qt.ShortcutFocusReason)
        self.box.selectAll()
        if self.box.text():
            self._search(self.box.text())

    def close_bar(self) -> None:
        self.hide()
        self.viewer.setFocus(Qt.OtherFocusReason)
        self.closed.emit()

    def _search(self, text: str) -> None:
        """Every match, then the first one at or below the top of what is shown; a miss
        moves nothing."""
        self.matches = []
        document = self.viewer.document()
        flags = QTextDocument.FindFlag(0)
        cursor = document.find(text, 0, flags) if text else QTextCursor()
        while not cursor.isNull() and len(self.matches) < MAX_MATCHES:
            self.matches.append((cursor.selectionStart(), cursor.selectionEnd()))
            cursor = document.find(text, cursor.selectionEnd(), flags)
        if not self.matches:
            self.current = -1
            self._show_count()
            return
        top = self.viewer.cursorForPosition(self.viewer.viewport().rect().topLeft()).position()
        self.current = next((i for i, (start, _) in enumerate(self.matches) if start >= top), 0)
        self._go()

    def step(self, offset: int) -> None:
        """The next (1) or previous (-1) match, round from the last to the first."""
        if not self.matches:
            return
        self.current = (self.current + offset) % len(self.matches)
        self._go()

    def _go(self) -> None:
        start, end = self.matches[self.current]
        cursor = QTextCursor(self.viewer.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.KeepAnchor)
        self.viewer.setTextCursor(cursor)
        bar = self.viewer.verticalScrollBar()
        top = self.viewer.cursorRect(cursor).top() + bar.value()
        bar.setValue(max(0, top - self.viewer.viewport().height() // 3))
        self._show_count()

    def _show_count(self) -> None:
        text = self.box.text()
        if not text:
            self.count.setText("")
            self.box.setStyleSheet("")
        elif not self.matches:
            self.count.setText("Not found")
            background, _, foreground = mark_colors(self.palette(), "wrong")
            self.box.setStyleSheet(
                f"QLineEdit {{ background: {background}; color: {foreground}; }}"
            )
        else:
            more = "+" if len(self.matches) >= MAX_MATCHES else ""
            self.count.setText(f"{self.current + 1} of {len(self.matches)}{more}")
            self.box.setStyleSheet("")
        for button in (self.previous_button, self.next_button):
            button.setEnabled(len(self.matches) > 1)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.box and event.type() == QEvent.KeyPress:
            if event.key() in (Qt.Key_Return, Qt.Key_Enter):
                self.step(-1 if event.modifiers() & Qt.ShiftModifier else 1)
                return True
            if event.key() == Qt.Key_Escape:
                self.close_bar()
                return True
        return super().eventFilter(watched, event)
