"""Rows of buttons that wrap onto the next line when the window is narrow or the text is
large, instead of pushing the page wider than the window (Qt's flow layout example)."""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QSizePolicy, QWidget


class FlowLayout(QLayout):
    def __init__(self, parent: QWidget | None = None, spacing: int = 8, columns: int = 0):
        """``columns``: 0 for items at their natural width; n for a grid of n equal
        columns that falls back to n/2, then 1, as the width shrinks."""
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.columns = columns
        self.setContentsMargins(QMargins(0, 0, 0, 0))

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self) -> QSize:
        shown = self._shown()
        width = sum(i.sizeHint().width() for i in shown) + self._spacing * max(0, len(shown) - 1)
        return QSize(width, self.heightForWidth(width))

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._shown():
            size = size.expandedTo(item.minimumSize())
        return size.grownBy(self.contentsMargins())

    def _shown(self) -> list[QLayoutItem]:
        return [i for i in self._items if not (i.widget() and i.widget().isHidden())]

    def _grid_columns(self, width: int) -> int:
        shown = self._shown()
        columns = min(self.columns, len(shown)) or 1
        widest = max((i.sizeHint().width() for i in shown), default=0)
        while columns > 1 and columns * widest + (columns - 1) * self._spacing > width:
            columns = max(1, columns // 2)
        return columns

    def _arrange(self, rect: QRect, apply: bool) -> int:
        margins = self.contentsMargins()
        area = rect.marginsRemoved(margins)
        shown = self._shown()
        if self.columns:
            columns = self._grid_columns(area.width())
            cell = (area.width() - (columns - 1) * self._spacing) // columns
            y = area.y()
            for start in range(0, len(shown), columns):
                row = shown[start : start + columns]
                height = max(i.sizeHint().height() for i in row)
                for n, item in enumerate(row):
                    if apply:
                        x = area.x() + n * (cell + self._spacing)
                        item.setGeometry(QRect(x, y, cell, height))
                y += height + self._spacing
            return y - self._spacing - rect.y() + margins.bottom() if shown else 0
        x, y, line = area.x(), area.y(), 0
        for item in shown:
            hint = item.sizeHint()
            width = min(hint.width(), area.width())
            if x > area.x() and x + width > area.right() + 1:
                x, y, line = area.x(), y + line + self._spacing, 0
            if apply:
                item.setGeometry(QRect(QPoint(x, y), QSize(width, hint.height())))
            x += width + self._spacing
            line = max(line, hint.height())
        return y + line - rect.y() + margins.bottom()


def flow_row(*widgets: QWidget, columns: int = 0, spacing: int = 8) -> QWidget:
    """The widgets in a row that wraps; ``columns`` for equal cells (see FlowLayout)."""
    row = QWidget()
    layout = FlowLayout(row, spacing, columns)
    for widget in widgets:
        layout.addWidget(widget)
    policy = QSizePolicy(QSizePolicy.Preferred, QSizePolicy.Preferred)
    policy.setHeightForWidth(True)
    row.setSizePolicy(policy)
    return row
