"""The list of views down the side of the window.

Moving through it with the arrows shows each view and leaves the focus in the list (nothing
starts, nothing takes the focus); Enter or → moves the focus into the view; a click on the
row already shown returns its view to its start (the list of cards, for instance)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QListWidget, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from studyapp.ui.widgets.focus import draw_focus_ring, soften_unfocused

BADGE_ROLE = Qt.UserRole + 10  # a count shown at the right ("12" due)


class _SidebarDelegate(QStyledItemDelegate):
    PAD_X, PAD_Y, MARGIN = 12, 8, 6

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        line = QFontMetrics(option.font).lineSpacing()
        return QSize(option.rect.width(), line + 2 * self.PAD_Y + 2)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        option = QStyleOptionViewItem(option)
        self.initStyleOption(option, index)
        soften_unfocused(option, option.widget)
        option.rect = option.rect.adjusted(self.MARGIN, 1, -self.MARGIN, -1)
        selected = bool(option.state & QStyle.State_Selected)
        palette = option.palette
        painter.save()
        painter.setRenderHint(QPainter.Antialiasing)
        if selected:
            painter.setPen(Qt.NoPen)
            painter.setBrush(palette.color(QPalette.Highlight))
            painter.drawRoundedRect(option.rect, 4, 4)
        text = palette.color(QPalette.HighlightedText if selected else QPalette.WindowText)
        inner = option.rect.adjusted(self.PAD_X, 0, -self.PAD_X, 0)
        badge = index.data(BADGE_ROLE) or ""
        if badge:
            bold = QFont(option.font)
            bold.setBold(True)
            painter.setFont(bold)
            painter.setPen(text)
            painter.drawText(inner, Qt.AlignRight | Qt.AlignVCenter, badge)
            inner.setRight(inner.right() - QFontMetrics(bold).horizontalAdvance(badge) - 6)
        painter.setFont(option.font)
        painter.setPen(text)
        painter.drawText(
            inner,
            Qt.AlignLeft | Qt.AlignVCenter,
            QFontMetrics(option.font).elidedText(option.text, Qt.ElideRight, inner.width()),
        )
        painter.restore()
        draw_focus_ring(painter, option)


class Sidebar(QListWidget):
    entered = Signal(int)  # Enter or →: the focus goes into the row's view
    reselected = Signal(int)  # a click on the row already current

    def __init__(self, titles: list[str]):
        super().__init__()
        self.setObjectName("sidebar")
        self.setAccessibleName("Views")
        self.setFrameShape(QListWidget.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setItemDelegate(_SidebarDelegate(self))
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.Window)
        self.viewport().setBackgroundRole(QPalette.Window)
        self.setContentsMargins(0, 8, 0, 0)
        self.setViewportMargins(0, 8, 0, 0)
        for title in titles:
            self.addItem(title)
        self._fit_width()
        self._pressed_row = -1

    def set_badge(self, row: int, text: str) -> None:
        item = self.item(row)
        if item is not None and item.data(BADGE_ROLE) != text:
            item.setData(BADGE_ROLE, text)
            item.setToolTip(f"{item.text()}: {text}" if text else "")
            self._fit_width()

    def _fit_width(self) -> None:
        """As wide as the longest title and its count, at the current font size."""
        bold = QFont(self.font())
        bold.setBold(True)
        metrics, bold_metrics = QFontMetrics(self.font()), QFontMetrics(bold)
        widest = max(
            (
                metrics.horizontalAdvance(self.item(row).text())
                + bold_metrics.horizontalAdvance(" 000")
                for row in range(self.count())
            ),
            default=100,
        )
        pad = 2 * (_SidebarDelegate.PAD_X + _SidebarDelegate.MARGIN) + 8
        self.setFixedWidth(max(150, widest + pad))

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == event.Type.FontChange:
            self._fit_width()
            self.doItemsLayout()

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key_Return, Qt.Key_Enter, Qt.Key_Right, Qt.Key_Space):
            self.entered.emit(self.currentRow())
            return
        super().keyPressEvent(event)

    def mousePressEvent(self, event) -> None:
        self._pressed_row = self.currentRow()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        row = self.indexAt(event.position().toPoint()).row()
        if row >= 0 and row == self._pressed_row and event.button() == Qt.LeftButton:
            self.reselected.emit(row)
