"""A page's content as one column of a comfortable measure, centred in a wide window."""

from __future__ import annotations

from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QHBoxLayout, QLayout, QVBoxLayout, QWidget


class _Column(QWidget):
    """At most ``characters`` average characters wide, at whatever the font size is."""

    def __init__(self, characters: int):
        super().__init__()
        self.characters = characters
        self._fit()

    def _fit(self) -> None:
        self.setMaximumWidth(self.characters * QFontMetrics(self.font()).averageCharWidth())

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == event.Type.FontChange:
            self._fit()


def centered_column(
    characters: int = 110, margins: tuple[int, int, int, int] = (32, 20, 32, 24), spacing: int = 12
) -> tuple[QWidget, QVBoxLayout]:
    """(the page, the column's layout); the column is at most ``characters`` wide."""
    page = QWidget()
    row = QHBoxLayout(page)
    row.setContentsMargins(*margins)
    inner = _Column(characters)
    column = QVBoxLayout(inner)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(spacing)
    row.addStretch(0)
    row.addWidget(inner, 1)
    row.addStretch(0)
    return page, column


def stacked(*parts: QWidget | QLayout) -> QWidget:
    """Widgets and layouts one under the other, with no margins of their own."""
    page = QWidget()
    column = QVBoxLayout(page)
    column.setContentsMargins(0, 0, 0, 0)
    for part in parts:
        if isinstance(part, QWidget):
            column.addWidget(part)
        else:
            column.addLayout(part)
    return page
