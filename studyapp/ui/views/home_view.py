"""Home: today at a glance. What there is to study today, one Start, where the course
stands, the place to continue reading, and on the first day a sentence on where to begin."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget
from sqlite_utils import Database

from studyapp.core.library import get_passage, get_source_header
from studyapp.core.settings import reading_place
from studyapp.core.stats import study_stats
from studyapp.ui.changes import Changes
from studyapp.ui.fonts import HEADING, LEAD, TITLE, set_font_scale
from studyapp.ui.widgets.answer_widgets import WrapButton
from studyapp.ui.widgets.column import centered_column

FIRST_DAY = (
    "New here? Each <b>mechanism card</b> (Ctrl+3) is one way exercise may relieve "
    "depression, with the evidence for each step, from mouse studies to trials in people. "
    "Read one or two, then press <b>Start</b> to test yourself: a few minutes a day, and "
    "StudyApp brings each question back just before you would forget it."
)


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


class HomeView(QScrollArea):
    start_review = Signal()  # of every deck
    continue_reading = Signal(str, str)  # source id, passage id
    open_view = Signal(str)  # "mechanisms", "stats"

    def __init__(self, db: Database, parent: QWidget | None = None, clock=None):
        super().__init__(parent)
        self.db = db
        self.clock = clock or (lambda: datetime.now(UTC))
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.NoFocus)
        self.title = set_font_scale(QLabel("Today"), TITLE, bold=True)
        self.welcome = self._label()
        self.welcome.setObjectName("homeWelcome")
        self.due = set_font_scale(self._label(), LEAD)
        self.later = self._label()
        self.start_button = QPushButton("Start review (Enter)")
        self.start_button.setAccessibleName("Start review")
        self.start_button.setDefault(True)
        self.start_button.setMinimumHeight(40)
        self.start_button.clicked.connect(self.start_review)
        self.standing_heading = set_font_scale(QLabel("Where you stand"), HEADING, bold=True)
        self.standing = self._label()
        self.stats_button = QPushButton("Statistics (Ctrl+5)")
        self.stats_button.clicked.connect(lambda: self.open_view.emit("stats"))
        self.cards_button = QPushButton("Mechanism cards (Ctrl+3)")
        self.cards_button.clicked.connect(lambda: self.open_view.emit("mechanisms"))
        self.reading_heading = set_font_scale(QLabel("Continue reading"), HEADING, bold=True)
        self.reading_button = WrapButton()
        self.reading_button.clicked.connect(self._continue)
        self._place: tuple[str, str] | None = None
        self._stale = True
        body, column = centered_column(characters=100)
        column.addWidget(self.title)
        column.addWidget(self.welcome)
        column.addWidget(self.due)
        column.addWidget(self.later)
        column.addWidget(self.start_button, 0, Qt.AlignLeft)
        column.addSpacing(12)
        column.addWidget(self.standing_heading)
        column.addWidget(self.standing)
        buttons = QVBoxLayout()
        for button in (self.cards_button, self.stats_button):
            buttons.addWidget(button, 0, Qt.AlignLeft)
        column.addLayout(buttons)
        column.addSpacing(12)
        column.addWidget(self.reading_heading)
        column.addWidget(self.reading_button)
        column.addStretch(1)
        self.setWidget(body)

    @staticmethod
    def _label() -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setTextFormat(Qt.RichText)
        return label

    def on_changed(self, changes: Changes) -> None:
        """Drawn now if on screen, else when next shown."""
        self._stale = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        # Imported here: study brings fsrs, which the window does without until it is shown.
        from studyapp.core.settings import day_start_hour
        from studyapp.core.study import ALL_DECKS, counts_now, study_day_start

        self._stale = False
        now = self.clock()
        day_start = study_day_start(now.astimezone(), day_start_hour(self.db))
        counts = counts_now(self.db, ALL_DECKS, now)
        stats = study_stats(self.db, now, day_start)
        self.welcome.setText(FIRST_DAY)
        self.welcome.setVisible(stats.introduced == 0 and stats.items > 0)
        if counts.total:
            parts = [
                _plural(counts.new, "new question"),
                _plural(counts.learning, "in learning", "in learning"),
                _plural(counts.review, "review"),
            ]
            self.due.setText(
                f"<b>{_plural(counts.total, 'question')}</b> to study today: {' · '.join(parts)}."
            )
        elif stats.items:
            self.due.setText("<b>All done for now.</b> Nothing is due.")
        else:
            self.due.setText("The questions appear once the sources have loaded.")
        # Reviews are due by day, so the count above holds all of today's; only learning
        # steps come back later, minutes after each answer (and they are in the count too).
        if counts.learning:
            self.later.setText(
                f"The {counts.learning} in learning come back a few minutes after each "
                "answer, until they stick."
            )
        else:
            self.later.setText("" if counts.total else "Nothing more is due today.")
        self.later.setVisible(bool(self.later.text()))
        was_ready = self.start_button.isEnabled()
        self.start_button.setEnabled(counts.total > 0)
        focus = QApplication.focusWidget()
        if counts.total and not was_ready and (focus is None or self.isAncestorOf(focus)):
            self.start_button.setFocus(Qt.OtherFocusReason)  # the library just loaded
        self.start_button.setText("Start review (Enter)" if counts.total else "Nothing to review")
        retention = (
            f"you recalled {stats.retention:.0%} of your reviews in the last 30 days"
            if stats.retention is not None
            else "your retention shows once questions come back for review"
        )
        self.standing.setText(
            f"You have met <b>{stats.introduced}</b> of {stats.items} questions; "
            f"<b>{stats.mature}</b> are well learned (three weeks or more). "
            f"Today you answered {stats.answered_today}; {retention}."
        )
        self._show_reading_place()

    def _show_reading_place(self) -> None:
        place = reading_place(self.db)
        source = get_source_header(self.db, place[0]) if place else None
        if source is None:
            self._place = None
            self.reading_button.setText("Open the sources (Ctrl+2)")
            self.reading_button.setAccessibleName("Open the sources")
            return
        self._place = place
        passage = get_passage(self.db, place[1]) if place[1] else None
        where = (
            f"{source.title}\n{passage.section}" if passage and passage.section else source.title
        )
        self.reading_button.setText(where)
        self.reading_button.setAccessibleName(f"Continue reading {source.title}")

    def _continue(self) -> None:
        if self._place is None:
            self.open_view.emit("sources")
        else:
            self.continue_reading.emit(*self._place)

    def focus_content(self) -> None:
        button = self.start_button if self.start_button.isEnabled() else self.cards_button
        button.setFocus(Qt.OtherFocusReason)

    def keyPressEvent(self, event) -> None:
        """Enter presses the button that has the focus, else Start."""
        if event.key() in (Qt.Key_Return, Qt.Key_Enter):
            focused = QApplication.focusWidget()
            if isinstance(focused, QPushButton) and self.isAncestorOf(focused):
                focused.click()
            elif self.start_button.isEnabled():
                self.start_button.click()
            return
        super().keyPressEvent(event)
