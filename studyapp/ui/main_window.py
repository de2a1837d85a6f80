"""The main window: the wiring of the sidebar of views, the menus and the status bar.

Every change reaches the views through one signal, ``changed``, carrying what changed; the
actions that change things live in their own modules (bookmark_actions, backup_actions,
undo + edit_menu), and each view decides for itself what to redraw."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QWidget,
)
from sqlite_utils import Database

from studyapp.core.bookmarks import Target
from studyapp.core.db import open_database
from studyapp.core.disclaimer import MEDICAL_DISCLAIMER
from studyapp.core.ingest import IngestReport
from studyapp.core.knowledge import get_fact
from studyapp.core.settings import (
    DISCLAIMER_SEEN,
    Preferences,
    get_setting,
    load_preferences,
    save_reading_place,
    set_setting,
)
from studyapp.paths import ShippedDirs
from studyapp.ui.backup_actions import BackupActions
from studyapp.ui.bookmark_actions import BookmarkActions
from studyapp.ui.changes import Changes
from studyapp.ui.content_loader import ContentLoader
from studyapp.ui.edit_menu import EditMenu
from studyapp.ui.menus import build_file_menu, build_go_menu, build_help_menu
from studyapp.ui.navigation import History, Navigator
from studyapp.ui.ops import BackgroundRunner
from studyapp.ui.settings_actions import SettingsActions
from studyapp.ui.text import message
from studyapp.ui.theme import apply_appearance
from studyapp.ui.undo import UndoStack
from studyapp.ui.view_stack import ViewStack
from studyapp.ui.views.home_view import HomeView
from studyapp.ui.views.mechanisms_view import MechanismsView
from studyapp.ui.views.sources_view import SourcesView
from studyapp.ui.widgets.sidebar import Sidebar

if TYPE_CHECKING:
    from studyapp.ui.dialogs_search import SearchDialog
    from studyapp.ui.views.bookmarks_view import BookmarksView
    from studyapp.ui.views.review_view import ReviewPanel
    from studyapp.ui.views.stats_view import StatsView

# The views in sidebar order (Ctrl+1 to Ctrl+6). Start-up builds the first three; the others
# (and their modules: QtCharts, fsrs) are built on first visit, so the window shows sooner.
VIEW_TITLES = {
    "home": "Home",
    "sources": "Sources",
    "mechanisms": "Mechanisms",
    "review": "Review",
    "stats": "Statistics",
    "bookmarks": "Bookmarks",
}
WINDOW_GEOMETRY = "window_geometry"
STATUS_SECONDS = 8  # how long a passing status message stays


class MainWindow(QMainWindow):
    changed = Signal(object)  # Changes: every view listens and redraws what it must
    ingest_finished = Signal(object)  # IngestReport, or the exception that stopped it

    VIEWS = tuple(VIEW_TITLES)

    def __init__(self, db: Database, db_path: Path, shipped: ShippedDirs):
        super().__init__()
        self.db = db
        self.db_path = db_path
        self.shipped = shipped
        self.runner = BackgroundRunner(self)
        self.recovery_message = ""  # set when the database had to be recovered on open
        self._system_point_size = QApplication.font().pointSizeF()
        self._closing = threading.Event()  # tells background work to stop: the window closed
        self._apply_saved_appearance()
        self.setWindowTitle("StudyApp: exercise and depression")
        self.resize(1280, 800)
        self.setMinimumSize(720, 480)

        self.undo_stack = UndoStack(self)
        self.bookmarks = BookmarkActions(self, self.undo_stack, self)
        self.backups = BackupActions(self, self.runner, self)
        self.settings = SettingsActions(self, self)
        self.loader = ContentLoader(self, shipped, self.runner, self._closing, self)
        self.loader.loaded.connect(self._content_loaded)
        self.loader.failed.connect(self.ingest_finished)
        self.bookmarks.changed.connect(lambda: self.changed.emit(Changes(bookmarks=True)))
        self.undo_stack.undone.connect(self._undone)

        self.home_view = HomeView(db)
        self.sources_view = SourcesView(db)
        self.mechanisms_view = MechanismsView(db)
        ready = {
            "home": self.home_view,
            "sources": self.sources_view,
            "mechanisms": self.mechanisms_view,
        }
        self.stack = ViewStack(self.VIEWS, ready, self._build_view)
        self.navigator = Navigator(self, self._show_place)
        self.sidebar = Sidebar(list(VIEW_TITLES.values()))
        self.sidebar.currentRowChanged.connect(self._view_chosen)
        self.sidebar.entered.connect(lambda row: self._focus_view(self.VIEWS[row]))
        self.sidebar.reselected.connect(lambda row: self.show_view(self.VIEWS[row]))
        self.home_view.start_review.connect(lambda: self.study())
        self.home_view.continue_reading.connect(self.continue_reading)
        self.home_view.open_view.connect(self.show_view)
        # A view that fills itself in the background (the first source once loaded) is not
        # a place the learner went: only what is on screen goes into the history.
        self.sources_view.source_shown.connect(
            lambda source_id: self._record_if_shown("sources", ("sources", source_id, "", ""))
        )
        self.sources_view.bookmark_clicked.connect(self.bookmarks.edit)
        self.mechanisms_view.mechanism_shown.connect(
            lambda mechanism_id: self._record_if_shown("mechanisms", ("mechanisms", mechanism_id))
        )
        self.mechanisms_view.open_fact_source.connect(self.open_fact)
        self.mechanisms_view.study.connect(self.study)
        for view in ready.values():
            self.changed.connect(view.on_changed)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.sidebar)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.status_text = QLabel()
        self.status_text.setTextFormat(Qt.PlainText)
        self._resting_status = ""  # what the library holds; a passing message returns to it
        self._status_timer = QTimer(self, singleShot=True, interval=STATUS_SECONDS * 1000)
        self._status_timer.timeout.connect(lambda: self.status_text.setText(self._resting_status))
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # indeterminate
        self.busy.setMaximumWidth(140)
        self.busy.hide()
        self.statusBar().addWidget(self.status_text, 1)
        self.statusBar().addPermanentWidget(self.busy)
        self._build_menus()
        self.changed.connect(self._update_badges)

    @property
    def review_panel(self) -> ReviewPanel:
        return self.stack.view("review")

    @property
    def stats_view(self) -> StatsView:
        return self.stack.view("stats")

    @property
    def bookmarks_view(self) -> BookmarksView:
        return self.stack.view("bookmarks")

    @property
    def history(self) -> History:
        return self.navigator.history

    def _build_view(self, name: str) -> QWidget:
        """Review, Statistics or Bookmarks, wired, on first visit."""
        if name == "review":
            from studyapp.ui.views.review_view import ReviewPanel

            view = ReviewPanel(self.db, undo_stack=self.undo_stack)
            view.open_fact_source.connect(self.open_fact)
            view.answered.connect(lambda: self.changed.emit(Changes(reviews=True)))
        elif name == "stats":
            from studyapp.ui.views.stats_view import StatsView

            view = StatsView(self.db)
        else:
            from studyapp.ui.views.bookmarks_view import BookmarksView

            view = BookmarksView(self.db, undo_stack=self.undo_stack)
            view.open_bookmark.connect(self.bookmarks.open)
            view.changed.connect(lambda: self.changed.emit(Changes(bookmarks=True)))
        self.changed.connect(view.on_changed)
        return view

    def _is_showing(self, name: str) -> bool:
        return self.stack.is_showing(name)

    def current_view(self) -> str:
        return self.stack.current_name()

    # Navigation: every place the learner goes is a history entry (Alt+Left / Alt+Right).
    def _view_chosen(self, row: int) -> None:
        """A row of the sidebar became current: show its view, as it was. Nothing starts and
        the focus stays where it is (in the sidebar, when moving through it by keyboard)."""
        if row < 0:
            return
        if self._is_showing("sources") and self.VIEWS[row] != "sources":
            self._save_reading_place()
        name = self.VIEWS[row]
        view = self.stack.view(name)
        if name in ("stats", "bookmarks", "home"):
            view.refresh()  # what is due, what was answered: as of now
        if name == "review" and view.session is None:
            view.show_ready()
        self.stack.setCurrentIndex(row)
        self.navigator.record(self._place_of(name))

    def show_view(self, name: str) -> None:
        """Ctrl+number, or a click on the view already shown: the view at its start (the list
        of cards, not the last card), with the keyboard in it."""
        self.sidebar.setCurrentRow(self.VIEWS.index(name))
        if name == "mechanisms" and self.mechanisms_view.current_mechanism():
            self.mechanisms_view.show_list()
        self._focus_view(name)

    def _focus_view(self, name: str) -> None:
        view = self.stack.view(name)
        if hasattr(view, "focus_content"):
            view.focus_content()
        else:
            view.setFocus(Qt.OtherFocusReason)

    def _place_of(self, view: str) -> tuple[str, ...]:
        if view == "sources":
            return ("sources", self.sources_view.current_source_id() or "", "", "")
        if view == "mechanisms":
            return ("mechanisms", self.mechanisms_view.current_mechanism())
        if view == "review":
            return ("review", self.review_panel.deck)
        return (view,)

    def _record_if_shown(self, view: str, place: tuple[str, ...]) -> None:
        if self._is_showing(view):
            self.navigator.record(place)

    def go(self, place: tuple[str, ...]) -> None:
        """Show ``place`` and add it to the history."""
        self.navigator.go(place)

    def go_back(self) -> None:
        self.navigator.back()

    def go_forward(self) -> None:
        self.navigator.forward()

    def _show_place(self, place: tuple[str, ...]) -> None:
        view = place[0]
        self.sidebar.setCurrentRow(self.VIEWS.index(view))
        if view == "sources" and place[1]:
            self.sources_view.open_source(place[1], place[2], place[3])
        elif view == "mechanisms":
            if place[1]:
                self.mechanisms_view.show_mechanism(place[1])
            else:
                self.mechanisms_view.show_list()

    def study(self, deck: str | None = None) -> None:
        """Start a review of ``deck`` (all by default): the learner asked for it (Start, Study
        this mechanism)."""
        from studyapp.core.study import ALL_DECKS

        deck = deck or ALL_DECKS
        self.go(("review", deck))
        self.review_panel.start(deck)
        self.review_panel.focus_content()

    def continue_reading(self, source_id: str, passage_id: str) -> None:
        self.go(("sources", source_id, "", ""))
        self.sources_view.scroll_to_passage(passage_id)
        self.sources_view.viewer.setFocus(Qt.OtherFocusReason)

    def _save_reading_place(self) -> None:
        place = self.sources_view.reading_place()
        if place is not None:
            save_reading_place(self.db, *place)

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key_Escape and not event.modifiers():
            self.go_back()  # a key no view took: Esc goes back, as in a browser
            return
        super().keyPressEvent(event)

    def show_search(self) -> SearchDialog:
        from studyapp.ui.dialogs_search import SearchDialog

        dialog = SearchDialog(self.db, self)
        dialog.open_hit.connect(self.open_hit)
        dialog.show()
        dialog.activateWindow()
        dialog.box.setFocus()
        return dialog

    def open_hit(self, hit) -> None:
        """Open a search hit at its place, with the keyboard there."""
        if hit.kind == "bookmark":
            self.bookmarks.open_by_id(int(hit.id))
        elif hit.kind == "fact":
            self.open_fact(hit.id)
        elif hit.kind == "mechanism":
            self.go(("mechanisms", hit.id))
        else:
            self.go(("sources", hit.source_id, hit.passage_id, ""))
        self.activateWindow()
        if self._is_showing("sources"):
            self.sources_view.viewer.setFocus(Qt.OtherFocusReason)
        else:
            self._focus_view(self.current_view())

    def find_in_source(self) -> None:
        """Ctrl+F: find in the source shown; elsewhere, search the whole library."""
        if self._is_showing("sources") and self.sources_view.viewer.source is not None:
            self.sources_view.show_find()
        else:
            self.show_search()

    def open_fact(self, fact_id: str) -> None:
        """Show the source of a fact, scrolled to its passage with the quote highlighted."""
        fact = get_fact(self.db, fact_id)
        if fact is not None:
            self.go(("sources", fact.source_id, fact.passage_id, fact.quote))
            # The learner came to read: the keys scroll the text (in the list, Down would
            # open another source and lose the passage).
            self.sources_view.viewer.setFocus(Qt.OtherFocusReason)

    def bookmark_target(self) -> Target | None:
        """What Ctrl+D bookmarks: the shown view says."""
        view = self.stack.built.get(self.current_view())
        return view.bookmark_target() if hasattr(view, "bookmark_target") else None

    def _build_menus(self) -> None:
        bar = self.menuBar()
        backups = self.backups
        build_file_menu(
            bar, self.load_content, backups.back_up_now, backups.restore_from_backup, self.close
        )
        self.edit_menu = EditMenu(
            self,
            self.undo_stack,
            find=self.find_in_source,
            bookmark=self.bookmarks.bookmark_current,
            settings=self.settings.edit,
        )
        edits = self.edit_menu
        self.sources_view.viewer.menu_actions = (edits.bookmark_action, edits.find_action)
        navigation = (self.navigator.back_action, self.navigator.forward_action)
        build_go_menu(bar, VIEW_TITLES, self.show_view, self.show_search, navigation)
        build_help_menu(bar, self)

    # Dialogs and messages go through these methods, so that tests can replace them.
    def inform(self, title: str, text: str) -> None:
        message(self, QMessageBox.Information, title, text)

    def warn(self, title: str, text: str) -> None:
        message(self, QMessageBox.Warning, title, text)

    def confirm(self, title: str, text: str) -> bool:
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        answer = message(self, QMessageBox.Question, title, text, buttons)
        return answer == QMessageBox.StandardButton.Yes

    def show_status(self, text: str, lasting: bool = False) -> None:
        """A message in the status bar. A passing one ("Undone: …") gives way to the lasting
        one (what the library holds) after a few seconds, so nothing stale stays there."""
        self.status_text.setText(text)
        if lasting:
            self._resting_status = text
            self._status_timer.stop()
        else:
            self._status_timer.start()

    def _undone(self, message: str, view: str) -> None:
        self.show_status(message)
        if view and not self._is_showing(view):
            self.go(self._place_of(view))
            self._focus_view(view)
        elif view == "review":
            self.review_panel.focus_content()

    def _update_badges(self, changes: Changes) -> None:
        """The Review row of the sidebar shows how many questions wait now."""
        if not (changes.reviews or changes.content or changes.database or changes.settings):
            return
        # Imported here: study brings fsrs, which the window does without until it is shown.
        from studyapp.core.study import ALL_DECKS, counts_now

        count = counts_now(self.db, ALL_DECKS, datetime.now(UTC)).total
        self.sidebar.set_badge(self.VIEWS.index("review"), str(count) if count else "")

    def start(self) -> None:
        """Show what is stored now, then check the sources in the background."""
        self.changed.emit(Changes(content=True, reviews=True))
        if not self.sources_view.list.count():
            self.sources_view.set_empty_message("Loading the sources for the first time…")
        self.restore_window_state()
        self.go(("home",))
        self.home_view.focus_content()
        self.load_content()  # the daily backup follows it: never a backup of a half-loaded library
        if get_setting(self.db, DISCLAIMER_SEEN) != "1":
            QTimer.singleShot(0, self._first_run_disclaimer)
        if self.recovery_message:
            QTimer.singleShot(
                0, lambda: self.warn("Your data was recovered", self.recovery_message)
            )

    def _first_run_disclaimer(self) -> None:
        self.show_disclaimer()
        set_setting(self.db, DISCLAIMER_SEEN, "1")

    def show_disclaimer(self) -> None:
        self.inform("Before you start", MEDICAL_DISCLAIMER)

    # The database, closed and reopened around a restore (BackupActions is the caller).
    def close_database(self) -> None:
        self._disclaimer_seen = get_setting(self.db, DISCLAIMER_SEEN)
        self.db.close()

    def reopen_database(self) -> None:
        """Every view shows the database as it now is, at once; the sources are checked."""
        self.db = open_database(self.db_path)
        for view in self.stack.built.values():
            view.db = self.db
        self.undo_stack.clear()
        if self._disclaimer_seen == "1":  # the learner has read it: not again after a restore
            set_setting(self.db, DISCLAIMER_SEEN, "1")
        self.changed.emit(Changes.everything())
        self.load_content()

    # Settings, applied at once to every view: theme, font, limits from the next item on.
    def _apply_saved_appearance(self) -> None:
        preferences = load_preferences(self.db)
        if preferences.font_size or preferences.theme != "system":
            apply_appearance(
                QApplication.instance(),
                preferences.theme,
                preferences.font_size or self._system_point_size,
            )

    def apply_preferences(self, preferences: Preferences) -> None:
        apply_appearance(
            QApplication.instance(),
            preferences.theme,
            preferences.font_size or self._system_point_size,
        )
        self.changed.emit(Changes(settings=True))

    def load_content(self) -> None:
        self.loader.load()

    def show_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)

    def _content_loaded(self, report: IngestReport) -> None:
        if report.changed or report.content_changed:
            self.changed.emit(Changes(content=True, reviews=True))
        self.backups.back_up_daily()  # never a backup of a half-loaded library
        if not report.loaded:
            self.sources_view.set_empty_message(
                f"No sources could be loaded from {self.shipped.seeds}."
            )
        self.ingest_finished.emit(report)

    def restore_window_state(self) -> None:
        """The size and place of the window when the learner last closed it."""
        geometry = get_setting(self.db, WINDOW_GEOMETRY)
        if geometry:
            self.restoreGeometry(QByteArray.fromBase64(geometry.encode()))

    def closeEvent(self, event) -> None:
        try:
            set_setting(self.db, WINDOW_GEOMETRY, bytes(self.saveGeometry().toBase64()).decode())
            if self._is_showing("sources"):
                self._save_reading_place()
        except sqlite3.Error:
            pass  # a read-only or full disk must not stop the window from closing
        # Background work stops at its next passage; the process can then exit at once
        # instead of finishing an ingest nobody will see.
        self._closing.set()
        QThreadPool.globalInstance().waitForDone(3000)
        self.db.close()
        super().closeEvent(event)
