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

from PySide6.QtCore import QByteArray, QEvent, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QStackedWidget,
    QWidget,
)
from sqlite_utils import Database

from studyapp import __version__
from studyapp.core.bookmarks import Target
from studyapp.core.db import open_database
from studyapp.core.disclaimer import MEDICAL_DISCLAIMER
from studyapp.core.ingest import IngestReport, ingest
from studyapp.core.knowledge import get_fact
from studyapp.core.settings import (
    DISCLAIMER_SEEN,
    Preferences,
    get_setting,
    load_preferences,
    save_preferences,
    save_reading_place,
    set_setting,
    study_settings,
)
from studyapp.core.sources.budget import Cancelled
from studyapp.paths import ShippedDirs
from studyapp.ui.backup_actions import BackupActions
from studyapp.ui.bookmark_actions import BookmarkActions
from studyapp.ui.changes import Changes
from studyapp.ui.edit_menu import EditMenu
from studyapp.ui.navigation import History
from studyapp.ui.ops import BackgroundRunner
from studyapp.ui.text import message
from studyapp.ui.theme import apply_appearance
from studyapp.ui.undo import UndoStack
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
KEYBOARD_SHORTCUTS = """Ctrl+1 Home · Ctrl+2 Sources · Ctrl+3 Mechanisms · Ctrl+4 Review
Ctrl+5 Statistics · Ctrl+6 Bookmarks (again: back to the view's list)
In the sidebar: ↑/↓ look through the views, Enter goes into one
Ctrl+K Search · Ctrl+F Find in the source · Ctrl+D Bookmark what is shown
Esc, Alt+Left or the mouse's back button: Back · Alt+Right Forward
Ctrl+Z Undo (an answer, a bookmark) · Ctrl+, Settings · Ctrl+R Reload sources · F1 this list

In a review:
Enter or Space: start; check a typed answer or an order; then take the proposed rating
A-D: pick an option · T / F: true or false · Alt+Up / Alt+Down: move a step of a chain
1-4: rate (1 Again, 2 Hard, 3 Good, 4 Easy) · O: open the source at the passage"""


class MainWindow(QMainWindow):
    changed = Signal(object)  # Changes: every view listens and redraws what it must
    ingest_finished = Signal(object)  # IngestReport, or the exception that stopped it

    VIEWS = tuple(VIEW_TITLES)

    def __init__(self, db: Database, db_path: Path, shipped: ShippedDirs):
        super().__init__()
        self.db = db
        self.db_path = db_path
        self.shipped = shipped
        self.seeds_dir = shipped.seeds
        self.runner = BackgroundRunner(self)
        self.recovery_message = ""  # set when the database had to be recovered on open
        self._system_point_size = QApplication.font().pointSizeF()
        self._apply_saved_appearance()
        self._closing = threading.Event()  # tells background work to stop: the window closed
        self.setWindowTitle("StudyApp: exercise and depression")
        self.resize(1280, 800)
        self.setMinimumSize(720, 480)

        self.undo_stack = UndoStack(self)
        self.bookmarks = BookmarkActions(self, self.undo_stack, self)
        self.backups = BackupActions(self, self.runner, self)
        self.bookmarks.changed.connect(lambda: self.changed.emit(Changes(bookmarks=True)))
        self.undo_stack.undone.connect(self._undone)

        self.home_view = HomeView(db)
        self.sources_view = SourcesView(db)
        self.mechanisms_view = MechanismsView(db)
        self._built: dict[str, QWidget] = {
            "home": self.home_view,
            "sources": self.sources_view,
            "mechanisms": self.mechanisms_view,
        }
        self.history = History()
        self._navigating = False  # applying a history place: do not record it again
        self.sidebar = Sidebar(list(VIEW_TITLES.values()))
        self.stack = QStackedWidget()
        for name in self.VIEWS:
            self.stack.addWidget(self._built.get(name) or QWidget())  # or built on first visit
        self.sidebar.currentRowChanged.connect(self._view_chosen)
        self.sidebar.entered.connect(lambda row: self._focus_view(self.VIEWS[row]))
        self.sidebar.reselected.connect(lambda row: self.show_view(self.VIEWS[row]))
        self.home_view.start_review.connect(lambda: self.study())
        self.home_view.continue_reading.connect(self.continue_reading)
        self.home_view.open_view.connect(self.show_view)
        self.sources_view.source_shown.connect(
            lambda source_id: self._record(("sources", source_id, "", ""))
        )
        self.sources_view.bookmark_clicked.connect(self.bookmarks.edit)
        self.mechanisms_view.mechanism_shown.connect(
            lambda mechanism_id: self._record(("mechanisms", mechanism_id))
        )
        self.mechanisms_view.open_fact_source.connect(self.open_fact)
        self.mechanisms_view.study.connect(self.study)
        for view in self._built.values():
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
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # indeterminate
        self.busy.setMaximumWidth(140)
        self.busy.hide()
        self.statusBar().addWidget(self.status_text, 1)
        self.statusBar().addPermanentWidget(self.busy)
        self._build_menus()
        self.changed.connect(self._update_badges)
        QApplication.instance().installEventFilter(self)  # the mouse's back and forward buttons

    @property
    def review_panel(self) -> ReviewPanel:
        return self._view("review")

    @property
    def stats_view(self) -> StatsView:
        return self._view("stats")

    @property
    def bookmarks_view(self) -> BookmarksView:
        return self._view("bookmarks")

    def _view(self, name: str) -> QWidget:
        """The view called ``name``, built and put in its place in the stack if need be."""
        if name in self._built:
            return self._built[name]
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
        self._built[name] = view
        index = self.VIEWS.index(name)
        placeholder = self.stack.widget(index)
        showing = self.stack.currentIndex() == index
        self.stack.removeWidget(placeholder)
        placeholder.deleteLater()
        self.stack.insertWidget(index, view)
        if showing:
            self.stack.setCurrentIndex(index)
        return view

    def _is_showing(self, name: str) -> bool:
        return name in self._built and self.stack.currentWidget() is self._built[name]

    def current_view(self) -> str:
        return self.VIEWS[max(0, self.stack.currentIndex())]

    # Navigation: every place the learner goes is a history entry (Alt+Left / Alt+Right).
    def _view_chosen(self, row: int) -> None:
        """A row of the sidebar became current: show its view, as it was. Nothing starts and
        the focus stays where it is (in the sidebar, when moving through it by keyboard)."""
        if row < 0:
            return
        if self._is_showing("sources") and self.VIEWS[row] != "sources":
            self._save_reading_place()
        name = self.VIEWS[row]
        view = self._view(name)
        if name in ("stats", "bookmarks", "home"):
            view.refresh()  # what is due, what was answered: as of now
        if name == "review" and view.session is None:
            view.show_ready()
        self.stack.setCurrentIndex(row)
        if not self._navigating:
            self._record(self._place_of(name))

    def show_view(self, name: str) -> None:
        """Ctrl+number, or a click on the view already shown: the view at its start (the list
        of cards, not the last card), with the keyboard in it."""
        self.sidebar.setCurrentRow(self.VIEWS.index(name))
        if name == "mechanisms" and self.mechanisms_view.current_mechanism():
            self.mechanisms_view.show_list()
        self._focus_view(name)

    def _focus_view(self, name: str) -> None:
        view = self._view(name)
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

    def _record(self, place: tuple[str, ...]) -> None:
        if not self._navigating:
            self.history.visit(place)
            self._update_history_actions()

    def go(self, place: tuple[str, ...]) -> None:
        """Show ``place`` and add it to the history."""
        self._apply(place)
        self._record(place)

    def _apply(self, place: tuple[str, ...]) -> None:
        self._navigating = True
        try:
            view = place[0]
            self.sidebar.setCurrentRow(self.VIEWS.index(view))
            if view == "sources" and place[1]:
                self.sources_view.open_source(place[1], place[2], place[3])
            elif view == "mechanisms":
                if place[1]:
                    self.mechanisms_view.show_mechanism(place[1])
                else:
                    self.mechanisms_view.show_list()
        finally:
            self._navigating = False

    def go_back(self) -> None:
        if (place := self.history.back()) is not None:
            self._apply(place)
        self._update_history_actions()

    def go_forward(self) -> None:
        if (place := self.history.forward()) is not None:
            self._apply(place)
        self._update_history_actions()

    def _update_history_actions(self) -> None:
        if hasattr(self, "back_action"):
            self.back_action.setEnabled(self.history.can_go_back())
            self.forward_action.setEnabled(self.history.can_go_forward())

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

    def eventFilter(self, watched, event) -> bool:
        if (
            event.type() == QEvent.MouseButtonPress
            and event.button() in (Qt.BackButton, Qt.ForwardButton)
            and isinstance(watched, QWidget)
            and watched.window() is self
        ):
            self.go_back() if event.button() == Qt.BackButton else self.go_forward()
            return True
        return super().eventFilter(watched, event)

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
        """Open a search hit at its place."""
        if hit.kind == "bookmark":
            self.bookmarks.open_by_id(int(hit.id))
        elif hit.kind == "fact":
            self.open_fact(hit.id)
        elif hit.kind == "mechanism":
            self.go(("mechanisms", hit.id))
        else:
            self.go(("sources", hit.source_id, hit.passage_id, ""))

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

    def bookmark_target(self) -> Target | None:
        """What Ctrl+D bookmarks: the shown view says."""
        view = self._built.get(self.current_view())
        return view.bookmark_target() if hasattr(view, "bookmark_target") else None

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self._add_action(file_menu, "&Reload sources", "Ctrl+R", self.load_content)
        file_menu.addSeparator()
        file_menu.addAction("&Back up now").triggered.connect(self.backups.back_up_now)
        file_menu.addAction("Restore from &backup…").triggered.connect(
            self.backups.restore_from_backup
        )
        file_menu.addSeparator()
        self._add_action(file_menu, "&Quit", "Ctrl+Q", self.close)
        self.edit_menu = EditMenu(
            self,
            self.undo_stack,
            find=self.find_in_source,
            bookmark=self.bookmarks.bookmark_current,
            settings=self.edit_settings,
        )
        go_menu = self.menuBar().addMenu("&Go")
        for index, (name, title) in enumerate(VIEW_TITLES.items()):
            self._add_action(
                go_menu, f"&{title}", f"Ctrl+{index + 1}", lambda n=name: self.show_view(n)
            )
        go_menu.addSeparator()
        self._add_action(go_menu, "&Search…", "Ctrl+K", self.show_search)
        go_menu.addSeparator()
        self.back_action = self._add_action(go_menu, "&Back", QKeySequence.Back, self.go_back)
        self.forward_action = self._add_action(
            go_menu, "&Forward", QKeySequence.Forward, self.go_forward
        )
        self._update_history_actions()
        help_menu = self.menuBar().addMenu("&Help")
        self._add_action(help_menu, "&Keyboard shortcuts", "F1", self.show_shortcuts)
        help_menu.addAction("Medical &disclaimer").triggered.connect(self.show_disclaimer)
        help_menu.addAction("&About StudyApp").triggered.connect(self.show_about)

    @staticmethod
    def _add_action(menu, text: str, keys, slot):
        action = menu.addAction(text)
        action.setShortcut(QKeySequence(keys))
        action.triggered.connect(lambda _=False: slot())
        return action

    # Dialogs and messages go through these methods, so that tests can replace them.
    def inform(self, title: str, text: str) -> None:
        message(self, QMessageBox.Information, title, text)

    def warn(self, title: str, text: str) -> None:
        message(self, QMessageBox.Warning, title, text)

    def confirm(self, title: str, text: str) -> bool:
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        answer = message(self, QMessageBox.Question, title, text, buttons)
        return answer == QMessageBox.StandardButton.Yes

    def show_status(self, text: str) -> None:
        self.status_text.setText(text)

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
        from studyapp.core.study import ALL_DECKS, queue_counts, study_day_start

        limits, _ = study_settings(self.db)
        now = datetime.now(UTC)
        count = queue_counts(
            self.db, ALL_DECKS, now, study_day_start(now.astimezone()), limits
        ).total
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
        for view in self._built.values():
            view.db = self.db
        self.undo_stack.clear()
        if self._disclaimer_seen == "1":  # the learner has read it: not again after a restore
            set_setting(self.db, DISCLAIMER_SEEN, "1")
        self.changed.emit(Changes.everything())
        self.load_content()

    # Settings, applied at once to every view: theme, font, limits from the next item on.
    def ask_preferences(self, current: Preferences) -> Preferences | None:
        from studyapp.ui.dialogs_settings import SettingsDialog

        dialog = SettingsDialog(current, self)
        return dialog.preferences() if dialog.exec() else None

    def edit_settings(self) -> None:
        chosen = self.ask_preferences(load_preferences(self.db))
        if chosen is None:
            return
        try:
            save_preferences(self.db, chosen)
        except ValueError as error:
            self.warn("Settings not saved", f"{error}.")
            return
        self.apply_preferences(chosen)

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

    def show_shortcuts(self) -> None:
        self.inform("Keyboard shortcuts", KEYBOARD_SHORTCUTS)

    def show_about(self) -> None:
        self.inform(
            "About StudyApp",
            f"StudyApp {__version__}\n\nAn offline study guide to how physical exercise "
            f"relieves depression.\n\n{MEDICAL_DISCLAIMER}\n\nYour data: {self.db_path.parent}",
        )

    def load_content(self) -> None:
        """(Re)load the source files off the UI thread; the window stays responsive."""
        if self.runner.busy:
            return
        self.show_status("Checking the sources…")
        self.busy.show()
        db_path, shipped = self.db_path, self.shipped

        closing = self._closing

        def work() -> IngestReport:
            db = open_database(db_path)  # a connection of the worker's own
            try:
                return ingest(db, shipped.seeds, shipped.content, cancel=closing)
            finally:
                db.close()

        self.runner.run(work, self._content_loaded, self._content_failed)

    def _content_loaded(self, report: IngestReport) -> None:
        self.busy.hide()
        self.show_status(
            f"{len(report.loaded)} sources"
            + (f", {len(report.problems)} could not be read" if report.problems else "")
            + f" · {report.mechanism_count} mechanisms · {report.fact_count} facts"
        )
        if report.changed or report.content_changed:
            self.changed.emit(Changes(content=True, reviews=True))
        self.backups.back_up_daily()
        if not report.loaded:
            self.sources_view.set_empty_message(
                f"No sources could be loaded from {self.seeds_dir}."
            )
        if report.problems:
            self._warn_list(
                "Some sources could not be read",
                "These files were skipped; the other sources are loaded.",
                report.problems,
                f"Fix or remove them in {self.seeds_dir}",
            )
        if report.content_problems:
            self._warn_list(
                "The knowledge base has problems",
                "The mechanisms and facts you had before are kept.",
                report.content_problems,
                f"Fix them in {self.shipped.content}",
            )
        self.ingest_finished.emit(report)

    def _warn_list(self, title: str, intro: str, problems, fix: str) -> None:
        lines = "\n".join(f"• {problem}" for problem in problems)
        self.warn(title, f"{intro}\n\n{lines}\n\n{fix}, then choose File → Reload sources.")

    def _content_failed(self, error: Exception) -> None:
        if isinstance(error, Cancelled):
            return  # the window is closing
        self.busy.hide()
        self.show_status("The sources could not be loaded.")
        self.warn("The sources could not be loaded", str(error))
        self.ingest_finished.emit(error)

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
