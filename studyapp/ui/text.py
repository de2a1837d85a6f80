"""Content text on screen is text: never read as HTML.

Qt reads a label's, a tooltip's or a message box's text as rich text when it looks like HTML,
and rich text can load images from disk. Labels that show content are set to plain text; these
helpers do the same for tooltips and message boxes.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget


def plain_tooltip(text: str) -> str:
    """A tooltip that shows ``text`` as written, line breaks kept."""
    return f"<p style='white-space:pre-wrap'>{html.escape(text)}</p>"


def message(
    parent: QWidget | None,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok,
) -> QMessageBox.StandardButton:
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(Qt.PlainText)
    _fit_lines(box, text)
    return QMessageBox.StandardButton(box.exec())


def _fit_lines(box: QMessageBox, text: str) -> None:
    """A message of many lines (the keyboard shortcuts) keeps its lines whole, as wide as
    the screen allows: a message box cannot scroll, and at a large font its narrow default
    wrapped each line into four and grew taller than a laptop screen."""
    if text.count("\n") < 4:
        return
    longest = max(box.fontMetrics().horizontalAdvance(line) for line in text.splitlines())
    screen = box.screen().availableGeometry().width() if box.screen() else 1280
    width = min(longest + 16, int(screen * 0.8))
    box.setStyleSheet(f"QLabel#qt_msgbox_label {{ min-width: {width}px; }}")
