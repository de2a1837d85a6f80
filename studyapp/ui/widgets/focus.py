"""Where the keyboard is, visible in every list: the current row of a focused list has a ring
and a strong highlight; a list without the focus shows its selection softly."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

RING_WIDTH = 2


def _mix(a: QColor, b: QColor, share_of_b: float) -> QColor:
    return QColor(
        round(a.red() + (b.red() - a.red()) * share_of_b),
        round(a.green() + (b.green() - a.green()) * share_of_b),
        round(a.blue() + (b.blue() - a.blue()) * share_of_b),
    )


def soften_unfocused(option: QStyleOptionViewItem, view: QWidget | None) -> None:
    """A selection in a list that does not have the focus: a tint, with ordinary text."""
    if view is not None and not view.hasFocus():
        palette = QPalette(option.palette)
        background = palette.color(QPalette.Base)
        soft = _mix(background, palette.color(QPalette.Highlight), 0.28)
        for group in (QPalette.Active, QPalette.Inactive):
            palette.setColor(group, QPalette.Highlight, soft)
            palette.setColor(group, QPalette.HighlightedText, palette.color(QPalette.Text))
        option.palette = palette


def draw_focus_ring(painter: QPainter, option: QStyleOptionViewItem, radius: float = 4) -> None:
    """A ring around the current row when its list has the keyboard focus."""
    if not option.state & QStyle.State_HasFocus:
        return
    painter.save()
    painter.setRenderHint(QPainter.Antialiasing)
    painter.setPen(QPen(option.palette.color(QPalette.Text), RING_WIDTH))
    painter.setBrush(Qt.NoBrush)
    inset = RING_WIDTH / 2 + 1
    painter.drawRoundedRect(
        QRectF(option.rect).adjusted(inset, inset, -inset, -inset), radius, radius
    )
    painter.restore()


class FocusRingDelegate(QStyledItemDelegate):
    """The ordinary item drawing, with the focus ring and the soft unfocused selection.
    Rows are as tall as their text wrapped at the view's width (Qt's own hint does not
    wrap), so that no line of a long item is cut."""

    PADDING = 12

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        hint = super().sizeHint(option, index)
        view = option.widget
        if view is None or not getattr(view, "wordWrap", lambda: False)():
            return hint
        option = QStyleOptionViewItem(option)
        self.initStyleOption(option, index)
        depth, parent = 0, index.parent()
        while parent.isValid():
            depth, parent = depth + 1, parent.parent()
        indent = view.indentation() * (depth + 1) if hasattr(view, "indentation") else 0
        width = max(50, view.viewport().width() - indent - self.PADDING)
        bounds = QFontMetrics(option.font).boundingRect(
            QRect(0, 0, width, 100_000), Qt.TextWordWrap, option.text
        )
        return QSize(hint.width(), max(hint.height(), bounds.height() + self.PADDING))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        option = QStyleOptionViewItem(option)
        soften_unfocused(option, option.widget)
        super().paint(painter, option, index)
        draw_focus_ring(painter, option)
