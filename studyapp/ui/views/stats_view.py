"""Statistics: reviews per day, true retention by week, the due forecast, mastery per card.
Charts are QtCharts; each has a sentence instead when there is nothing to draw yet."""

from __future__ import annotations

import math
from datetime import UTC, datetime

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QGridLayout, QLabel, QScrollArea, QStackedWidget, QWidget
from sqlite_utils import Database

from studyapp.core.knowledge import list_mechanisms
from studyapp.core.settings import day_start_hour
from studyapp.core.stats import (
    due_forecast,
    mechanism_progress,
    retention_by_week,
    reviews_per_day,
    study_stats,
)
from studyapp.core.study import ALL_DECKS, counts_now, study_day_start
from studyapp.ui.changes import Changes
from studyapp.ui.fonts import LEAD, SMALL, scaled_font
from studyapp.ui.theme import is_dark


def sparse_day_labels(days: list, every: int = 5) -> list[str]:
    """Every ``every``-th date named ("21 Nov", read the same way everywhere), the rest blank
    but distinct: a category axis needs unique labels, and thirty dates do not fit side by
    side."""
    return [
        f"{d.day} {d.strftime('%b')}" if i % every == 0 else "\u200b" * (i + 1)
        for i, d in enumerate(days)
    ]


def short_title(title: str, limit: int = 30) -> str:
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


class ChartPanel(QStackedWidget):
    """A chart, or the sentence that stands in for it while there is no data."""

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.chart = QChart()
        self.chart.setTitle(title)
        self.chart.legend().hide()
        self.chart.setAnimationOptions(QChart.NoAnimation)
        self.view = QChartView(self.chart)
        self.view.setRenderHint(QPainter.Antialiasing)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignCenter)
        self.empty.setMargin(16)
        self.empty.setAutoFillBackground(True)  # a card like the charts, not loose text
        self.empty.setBackgroundRole(QPalette.Base)
        self.title = title
        self.height_lines = 16  # a chart's height, in lines of text
        self.addWidget(self.view)
        self.addWidget(self.empty)
        self._follow_font()

    def _follow_font(self) -> None:
        """Titles, axes and the chart's height at the font size of the rest of the window."""
        self.chart.setTitleFont(scaled_font(LEAD, bold=True))
        for axis in self.chart.axes():
            axis.setLabelsFont(scaled_font(SMALL))
        line = QFontMetrics(scaled_font()).lineSpacing()
        self.view.setMinimumHeight(self.height_lines * line)
        self.empty.setMinimumHeight(6 * line)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == event.Type.FontChange:
            self._follow_font()

    def show_empty(self, sentence: str) -> None:
        self.empty.setText(f"<b>{self.title}</b><br><br>{sentence}")
        self.setCurrentWidget(self.empty)

    def show_bars(
        self,
        labels: list[str],
        values: list[float],
        horizontal: bool = False,
        maximum: float | None = None,
        label_format: str = "%.0f",
    ) -> None:
        chart = self.chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        bars = QBarSet("")
        bars.append(values)
        series = QHorizontalBarSeries() if horizontal else QBarSeries()
        series.append(bars)
        series.setBarWidth(0.7)
        chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append(labels)
        categories.setTruncateLabels(False)  # a label may use its neighbours' blank room
        value_axis = QValueAxis()
        value_axis.setLabelFormat(label_format)
        if maximum is None:  # counts: round ticks (0, 5, 10, …), whole numbers
            value_axis.setRange(0, max(4, math.ceil(max(values) * 1.1)))
            value_axis.applyNiceNumbers()
        else:
            value_axis.setRange(0, maximum)
            value_axis.setTickCount(5)
        if horizontal:
            chart.addAxis(categories, Qt.AlignLeft)
            chart.addAxis(value_axis, Qt.AlignBottom)
        else:
            chart.addAxis(categories, Qt.AlignBottom)
            chart.addAxis(value_axis, Qt.AlignLeft)
        series.attachAxis(categories)
        series.attachAxis(value_axis)
        self._follow_font()
        self.setCurrentWidget(self.view)

    def follow_palette(self, palette: QPalette) -> None:
        self.chart.setTheme(QChart.ChartThemeDark if is_dark(palette) else QChart.ChartThemeLight)


class StatsView(QScrollArea):
    def __init__(self, db: Database, parent: QWidget | None = None, clock=None):
        super().__init__(parent)
        self.db = db
        self.clock = clock or (lambda: datetime.now(UTC))
        self.setWidgetResizable(True)
        body = QWidget()
        self.grid = QGridLayout(body)
        self.grid.setContentsMargins(20, 16, 20, 20)
        self.grid.setSpacing(16)
        self.setFrameShape(QScrollArea.NoFrame)
        self.setAccessibleName("Statistics")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.reviews = ChartPanel("Reviews per day, last 30 days")
        self.retention = ChartPanel("Retention per week")
        self.retention.setToolTip("True retention: the share of reviews not rated Again")
        self.forecast = ChartPanel("Due in the next 30 days")
        self.mastery = ChartPanel("Mastery per mechanism")
        self.mastery.setToolTip("The share of each card's questions that are mature")
        self.mastery.height_lines = 22
        self._columns = 0
        self._arrange(2)
        self.setWidget(body)

    def _arrange(self, columns: int) -> None:
        """Two charts side by side when there is room for both, else one under the other."""
        if columns == self._columns:
            return
        self._columns = columns
        grid = self.grid
        for widget in (self.summary, self.reviews, self.retention, self.forecast, self.mastery):
            grid.removeWidget(widget)
        grid.addWidget(self.summary, 0, 0, 1, columns)
        grid.addWidget(self.reviews, 1, 0)
        grid.addWidget(self.retention, 1 if columns == 2 else 2, columns - 1)
        grid.addWidget(self.forecast, 3, 0, 1, columns)
        grid.addWidget(self.mastery, 4, 0, 1, columns)
        grid.setRowStretch(5, 1)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        room = QFontMetrics(self.font()).averageCharWidth() * 120  # two charts of 60 letters
        self._arrange(2 if self.viewport().width() >= room else 1)

    def on_changed(self, changes: Changes) -> None:
        """Drawn again when shown (the window asks), or now if it is on screen."""
        if (changes.reviews or changes.content or changes.database) and self.isVisible():
            self.refresh()

    def focus_content(self) -> None:
        self.setFocus(Qt.OtherFocusReason)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == event.Type.PaletteChange:
            for panel in (self.reviews, self.retention, self.forecast, self.mastery):
                panel.follow_palette(self.palette())

    def refresh(self) -> None:
        now = self.clock()
        zone = now.astimezone().tzinfo
        for panel in (self.reviews, self.retention, self.forecast, self.mastery):
            panel.follow_palette(self.palette())
        stats = study_stats(
            self.db, now, study_day_start(now.astimezone(), day_start_hour(self.db))
        )
        retention = (
            f"{stats.retention:.0%} over the last 30 days"
            if stats.retention is not None
            else "not measured yet"
        )
        self.summary.setText(
            f"<b>{stats.introduced}</b> of {stats.items} questions seen · "
            f"<b>{counts_now(self.db, ALL_DECKS, now).total}</b> to study today · "
            f"<b>{stats.answered_today}</b> answered today · "
            f"retention {retention}"
        )
        days = reviews_per_day(self.db, now, 30, zone)
        if any(d.count for d in days):
            self.reviews.show_bars(
                sparse_day_labels([d.day for d in days]), [d.count for d in days]
            )
        else:
            self.reviews.show_empty(
                "No reviews yet. Your first answers in Review (Ctrl+4) will show here, day by day."
            )
        weeks = retention_by_week(self.db, now, 12, zone)
        if any(w.reviews for w in weeks):
            self.retention.show_bars(
                sparse_day_labels([w.week_start for w in weeks], every=2),
                [100 * (w.retention or 0) for w in weeks],
                maximum=100,
                label_format="%.0f%%",
            )
        else:
            self.retention.show_empty(
                "Retention (the share of reviews you recall) is measured on reviews, the "
                "second and later times you see a question; none yet."
            )
        forecast = due_forecast(self.db, now, 30, zone)
        if any(d.count for d in forecast):
            self.forecast.show_bars(
                sparse_day_labels([d.day for d in forecast]), [d.count for d in forecast]
            )
        else:
            self.forecast.show_empty(
                "Nothing is scheduled yet: questions are scheduled once you have answered them."
            )
        progress = mechanism_progress(self.db, now)
        mechanisms = list_mechanisms(self.db)
        if any(p.mature for p in progress.values()):
            shown = list(reversed(mechanisms))  # first card at the top
            self.mastery.show_bars(
                [short_title(m.title) for m in shown],
                [100 * progress[m.id].mastery if m.id in progress else 0 for m in shown],
                horizontal=True,
                maximum=100,
                label_format="%.0f%%",
            )
        else:
            self.mastery.show_empty(
                "No question is mature yet: one is, once you remember it three weeks or more "
                "ahead. Each card's share of mature questions will show here."
            )
