"""A mechanism's causal chain drawn as boxes and arrows, wrapping into rows as width allows."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPainterPath, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

BOX_WIDTH = 170  # the narrowest a step's box gets at 9 pt; it grows with the font
GAP = 34  # room for an arrow between boxes
ROW_GAP = 30
PAD = 10
MARGIN = 8


class ChainDiagram(QWidget):
    def __init__(self, steps: tuple[str, ...] = (), parent: QWidget | None = None):
        super().__init__(parent)
        self.steps = tuple(steps)
        self.arrows = True  # False: steps side by side, in no order the sources give
        policy = QSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setAccessibleName("Causal chain")
        self.setAccessibleDescription(" → ".join(self.steps))

    def set_steps(self, steps: tuple[str, ...], arrows: bool = True) -> None:
        self.steps = tuple(steps)
        self.arrows = arrows
        self.setAccessibleDescription((" → " if arrows else " · ").join(self.steps))
        self.updateGeometry()
        self.update()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == event.Type.FontChange:
            self.updateGeometry()  # the boxes are measured in the font: a new height
            self.update()

    def _box_width(self) -> int:
        """The narrowest box: 170 px at 9 pt, more at larger sizes, and never narrower
        than the longest word of any step, so that no word is ever cut."""
        metrics = QFontMetrics(self.font())
        scaled = BOX_WIDTH * max(1.0, self.font().pointSizeF() / 9)
        longest = max(
            (metrics.horizontalAdvance(word) for step in self.steps for word in step.split()),
            default=0,
        )
        return int(max(scaled, longest + 2 * PAD + 4))

    # Layout: as many boxes a row as fit, all boxes a row as tall as its tallest text.
    def _layout(self, width: int) -> list[QRectF]:
        count = len(self.steps)
        if not count:
            return []
        narrowest = self._box_width()
        usable = max(width - 2 * MARGIN, narrowest)
        per_row = max(1, min(count, (usable + GAP) // (narrowest + GAP)))
        box_width = (usable - GAP * (per_row - 1)) / per_row
        metrics = QFontMetrics(self.font())
        rects: list[QRectF] = []
        top = float(MARGIN)
        for start in range(0, count, per_row):
            row = self.steps[start : start + per_row]
            height = (
                max(
                    metrics.boundingRect(
                        0,
                        0,
                        int(box_width - 2 * PAD),
                        10_000,
                        Qt.TextWordWrap | Qt.AlignCenter,
                        step,
                    ).height()
                    for step in row
                )
                + 2 * PAD
            )
            for i in range(len(row)):
                rects.append(QRectF(MARGIN + i * (box_width + GAP), top, box_width, height))
            top += height + ROW_GAP
        return rects

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        rects = self._layout(width)
        return int(rects[-1].bottom() + MARGIN) if rects else 0

    def sizeHint(self) -> QSize:
        return QSize(720, self.heightForWidth(720))

    def minimumSizeHint(self) -> QSize:
        width = self._box_width() + 2 * MARGIN
        return QSize(width, self.heightForWidth(width))

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        self.paint(painter, self.width())
        painter.end()

    def paint(self, painter: QPainter, width: int) -> None:
        painter.setRenderHint(QPainter.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.Text)
        base = palette.color(QPalette.Base)
        accent = palette.color(QPalette.Highlight)
        rects = self._layout(width)
        for index, rect in enumerate(rects):
            first, last = self.arrows and index == 0, self.arrows and index == len(rects) - 1
            fill = QColor(accent)
            fill.setAlpha(60 if first or last else 22)
            painter.setPen(
                QPen(
                    accent
                    if first or last
                    else text.lighter(140)
                    if base.lightness() < 128
                    else text.lighter(250),
                    1.4,
                )
            )
            painter.setBrush(fill)
            painter.drawRoundedRect(rect, 8, 8)
            painter.setPen(text)
            painter.drawText(
                rect.adjusted(PAD, PAD, -PAD, -PAD),
                Qt.TextWordWrap | Qt.AlignCenter,
                self.steps[index],
            )
            if self.arrows and index + 1 < len(rects):
                self._arrow(painter, rect, rects[index + 1], text)

    def _arrow(self, painter: QPainter, a: QRectF, b: QRectF, color: QColor) -> None:
        painter.setPen(QPen(color, 1.6))
        painter.setBrush(color)
        if abs(a.top() - b.top()) < 1:  # same row: straight across
            start = QPointF(a.right() + 4, a.center().y())
            end = QPointF(b.left() - 4, a.center().y())
            painter.drawLine(start, QPointF(end.x() - 8, end.y()))
            tip = [end, QPointF(end.x() - 9, end.y() - 5), QPointF(end.x() - 9, end.y() + 5)]
        else:  # next row: down, across to the next box, down into it
            middle = a.bottom() + ROW_GAP / 2
            path = QPainterPath(QPointF(a.center().x(), a.bottom() + 3))
            path.lineTo(a.center().x(), middle)
            path.lineTo(b.center().x(), middle)
            path.lineTo(b.center().x(), b.top() - 9)
            painter.setBrush(Qt.NoBrush)
            painter.drawPath(path)
            painter.setBrush(color)
            end = QPointF(b.center().x(), b.top() - 3)
            tip = [end, QPointF(end.x() - 5, end.y() - 8), QPointF(end.x() + 5, end.y() - 8)]
        painter.setPen(Qt.NoPen)
        painter.drawPolygon(tip)

    def to_pixmap(self, width: int = 1000) -> QPixmap:
        pixmap = QPixmap(width, max(1, self.heightForWidth(width)))
        pixmap.fill(self.palette().color(QPalette.Base))
        painter = QPainter(pixmap)
        self.paint(painter, width)
        painter.end()
        return pixmap

    def save_png(self, path: Path, width: int = 1000) -> bool:
        return self.to_pixmap(width).save(str(path), "PNG")
