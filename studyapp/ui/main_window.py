"""The main window: sidebar of views, the views themselves, menus and a status bar."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QStackedWidget,
    QWidget,
)
from sqlite_utils import Database

from studyapp import __version__
from studyapp.core.backup import (
    BackupProblem,
    back_up,
    back_up_daily,
    backups_dir,
    check_backup,
    restore,
)
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
    set_setting,
)
from studyapp.core.sources.budget import Cancelled
from studyapp.paths import ShippedDirs
from studyapp.ui.navigation import History
from studyapp.ui.ops import BackgroundRunner
from studyapp.ui.text import message
from studyapp.ui.theme import apply_theme
from studyapp.ui.views.mechanisms_view import MechanismsView
from studyapp.ui.views.sources_view import SourcesView

if TYPE_CHECKING:
    from studyapp.ui.dialogs_search import SearchDialog
    from studyapp.ui.views.bookmarks_view import BookmarksView
    from studyapp.ui.views.review_view import ReviewPanel
    from studyapp.ui.views.stats_view import StatsView

# The views in sidebar order. Start-up builds the two the learner sees first; the others (and
# their modules: QtCharts, fsrs) are built on first visit, so the window is shown sooner.
VIEW_TITLES = {
    "sources": "Sources",
    "mechanisms": "Mechanisms",
    "review": "Review",
    "stats": "Statistics",
    "bookmarks": "Bookmarks",
}
WINDOW_GEOMETRY = "window_geometry"
LAST_VIEW = "last_view"
KEYBOARD_SHORTCUTS = """Ctrl+1 Sources · Ctrl+2 Mechanisms · Ctrl+3 Review · Ctrl+4 Statistics
Ctrl+5 Bookmarks · Ctrl+D Bookmark what is shown (a selected quote, a passage, a card, a fact)
Ctrl+K Search · Ctrl+F Find in the source · Alt+Left Back · Alt+Right Forward
Ctrl+R Reload sources · F1 this list

In a review:
Enter or Space: check the answer, then take the proposed rating
1-4: pick an option, then rate (1 Again, 2 Hard, 3 Good, 4 Easy)
T / F: true or false
Alt+Up / Alt+Down: move a step of a chain
Ctrl+Z: take back the last answer"""


class MainWindow(QMainWindow):
    content_changed = Signal()
    ingest_finished = Signal(object)  # IngestReport, or the exception that stopped it

    def __init__(self, db: Database, db_path: Path, shipped: ShippedDirs):
        super().__init__()
        self.db = db
        self.db_path = db_path
        self.shipped = shipped
        self.seeds_dir = shipped.seeds
        self.runner = BackgroundRunner(self)
        self._closing = threading.Event()  # tells background work to stop: the window closed
        self.setWindowTitle("StudyApp: exercise and depression")
        self.resize(1280, 800)
        self.setMinimumSize(720, 480)

        self.sources_view = SourcesView(db)
        self.mechanisms_view = MechanismsView(db)
        self._built: dict[str, QWidget] = {
            "sources": self.sources_view,
            "mechanisms": self.mechanisms_view,
        }
        self.history = History()
        self.recovery_message = ""  # set when the database had to be recovered on open
        self._navigating = False  # applying a history place: do not record it again
        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setAccessibleName("Views")
        self.sidebar.setFixedWidth(150)
        self.sidebar.setFrameShape(QListWidget.NoFrame)
        self.sidebar.setStyleSheet(
            "QListWidget#sidebar { padding-top: 8px; background: palette(window); outline: 0; }"
            "QListWidget#sidebar::item { padding: 8px 12px; border-radius: 4px; margin: 1px 6px; }"
            "QListWidget#sidebar::item:selected { background: palette(highlight);"
            " color: palette(highlighted-text); }"
        )
        self.stack = QStackedWidget()
        for index, (name, title) in enumerate(VIEW_TITLES.items()):
            self.sidebar.addItem(title)
            self.stack.addWidget(self._built.get(name) or QWidget())  # or built on first visit
            action = QAction(title, self)
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            action.triggered.connect(lambda _=False, row=index: self.sidebar.setCurrentRow(row))
            self.addAction(action)
        self.sidebar.currentRowChanged.connect(self._view_chosen)
        self.sources_view.source_shown.connect(
            lambda source_id: self._record(("sources", source_id, "", ""))
        )
        self.mechanisms_view.mechanism_shown.connect(
            lambda mechanism_id: self._record(("mechanisms", mechanism_id))
        )
        self.mechanisms_view.open_fact_source.connect(self.open_fact)
        self.mechanisms_view.study.connect(lambda deck: self.go(("review", deck)))

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
        self.content_changed.connect(self.sources_view.refresh)
        self.content_changed.connect(self.mechanisms_view.refresh)

    VIEWS = tuple(VIEW_TITLES)

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

            view = ReviewPanel(self.db)
            view.open_fact_source.connect(self.open_fact)
        elif name == "stats":
            from studyapp.ui.views.stats_view import StatsView

            view = StatsView(self.db)
        else:
            from studyapp.ui.views.bookmarks_view import BookmarksView

            view = BookmarksView(self.db)
            view.open_bookmark.connect(self.open_bookmark)
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

    # Navigation: every place the learner goes is a history entry (Alt+Left / Alt+Right).
    def _view_chosen(self, row: int) -> None:
        if row >= 0:
            self._view(self.VIEWS[row])
        self.stack.setCurrentIndex(row)
        if self._navigating or row < 0:
            return
        view = self.VIEWS[row]
        if view == "review" and self.review_panel.session is None:
            self.review_panel.start()
        if view == "stats":
            self.stats_view.refresh()
        if view == "bookmarks":
            self.bookmarks_view.refresh()
        self._record(self._place_of(view))

    def _place_of(self, view: str) -> tuple[str, ...]:
        if view == "sources":
            return ("sources", self.sources_view.current_source_id() or "", "", "")
        if view == "mechanisms":
            return ("mechanisms", self.mechanisms_view.current_mechanism())
        if view in ("stats", "bookmarks"):
            return (view,)
        return ("review", self.review_panel.deck)

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
            elif view == "stats":
                self.stats_view.refresh()
            elif view == "bookmarks":
                self.bookmarks_view.refresh()
            elif view == "review":
                session = self.review_panel.session
                if session is None or self.review_panel.deck != place[1] or not session.current:
                    self.review_panel.start(place[1])
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

    def show_search(self) -> SearchDialog:
        from studyapp.ui.dialogs_search import SearchDialog

        dialog = SearchDialog(self.db, self)
        dialog.open_hit.connect(self.open_hit)
        dialog.show()
        dialog.box.setFocus()
        return dialog

    # Bookmarks: Ctrl+D on whatever is current; opening one goes to its exact place.
    def bookmark_target(self) -> tuple[str, str, str, str] | None:
        if self._is_showing("sources"):
            return self.sources_view.bookmark_target()
        if self._is_showing("mechanisms"):
            mechanism_id = self.mechanisms_view.current_mechanism()
            if not mechanism_id and self.mechanisms_view.list.currentItem():
                mechanism_id = self.mechanisms_view.list.currentItem().data(Qt.UserRole)
            titles = {m.id: m.title for m in self.mechanisms_view.content.mechanisms}
            return (
                ("mechanism", mechanism_id, "", titles.get(mechanism_id, ""))
                if mechanism_id
                else None
            )
        if self._is_showing("review") and self.review_panel.session:
            session = self.review_panel.session
            fact_id = session.current.item.fact_id if session.current else ""
            fact = get_fact(self.db, fact_id) if fact_id else None
            if fact:
                return ("fact", fact.id, fact.source_id, fact.statement)
        return None

    def ask_bookmark(self, what: str) -> tuple[str, tuple[str, ...]] | None:
        from studyapp.ui.views.bookmarks_view import ask_details

        return ask_details(self, what)

    def bookmark_current(self) -> None:
        from studyapp.core.bookmarks import add_bookmark
        from studyapp.ui.views.bookmarks_view import KIND_LABELS

        target = self.bookmark_target()
        if target is None:
            self.inform(
                "Nothing to bookmark here",
                "Open a source, a mechanism card or a question with a fact, then press Ctrl+D.",
            )
            return
        kind, target_id, source_id, words = target
        shown = words if len(words) <= 300 else words[:299] + "…"
        answer = self.ask_bookmark(f"{KIND_LABELS[kind]}: {shown}")
        if answer is None:
            return
        add_bookmark(
            self.db,
            kind,
            target_id,
            datetime.now(UTC),
            source_id=source_id,
            quote=words,
            note=answer[0],
            tags=answer[1],
        )
        self.status_text.setText(f"Bookmarked: {KIND_LABELS[kind].lower()}")
        if "bookmarks" in self._built:
            self.bookmarks_view.refresh()

    def open_bookmark(self, mark) -> None:
        if mark.kind in ("passage", "selection"):
            quote = mark.quote if mark.kind == "selection" else ""
            self.go(("sources", mark.source_id, "" if mark.orphaned else mark.target_id, quote))
            if mark.orphaned:
                self.inform(
                    "An orphaned bookmark",
                    "The words of this bookmark are no longer in the source; it is "
                    f"kept with your note. They were: “{mark.quote}”",
                )
        elif mark.kind == "source":
            self.go(("sources", mark.target_id, "", ""))
        elif mark.kind == "mechanism":
            self.go(("mechanisms", mark.target_id))
        elif mark.kind == "fact":
            self.open_fact(mark.target_id)

    def open_hit(self, hit) -> None:
        """Open a search hit at its place."""
        if hit.kind == "bookmark":
            from studyapp.core.bookmarks import list_bookmarks

            mark = next((b for b in list_bookmarks(self.db) if str(b.id) == hit.id), None)
            if mark:
                self.open_bookmark(mark)
        elif hit.kind == "fact":
            self.open_fact(hit.id)
        elif hit.kind == "mechanism":
            self.go(("mechanisms", hit.id))
        else:
            self.go(("sources", hit.source_id, hit.passage_id, ""))

    def find_in_source(self) -> None:
        if not self._is_showing("sources"):
            self.go(self._place_of("sources"))
        self.sources_view.show_find()

    def open_fact(self, fact_id: str) -> None:
        """Show the source of a fact, scrolled to its passage with the quote highlighted."""
        fact = get_fact(self.db, fact_id)
        if fact is not None:
            self.go(("sources", fact.source_id, fact.passage_id, fact.quote))

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        reload_action = file_menu.addAction("&Reload sources")
        reload_action.setShortcut(QKeySequence("Ctrl+R"))
        reload_action.triggered.connect(self.load_content)
        file_menu.addSeparator()
        settings = file_menu.addAction("&Settings…")
        settings.setShortcut(QKeySequence.Preferences)
        settings.triggered.connect(self.edit_settings)
        file_menu.addAction("&Back up now").triggered.connect(self.back_up_now)
        file_menu.addAction("&Restore from backup…").triggered.connect(self.restore_from_backup)
        file_menu.addSeparator()
        quit_action = file_menu.addAction("&Quit")
        quit_action.setShortcut(QKeySequence.Quit)
        quit_action.triggered.connect(self.close)
        go_menu = self.menuBar().addMenu("&Go")
        search_action = go_menu.addAction("&Search…")
        search_action.setShortcut(QKeySequence("Ctrl+K"))
        search_action.triggered.connect(self.show_search)
        bookmark_action = go_menu.addAction("&Bookmark this…")
        bookmark_action.setShortcut(QKeySequence("Ctrl+D"))
        bookmark_action.triggered.connect(self.bookmark_current)
        find_action = go_menu.addAction("&Find in source…")
        find_action.setShortcut(QKeySequence.Find)
        find_action.triggered.connect(self.find_in_source)
        go_menu.addSeparator()
        self.back_action = go_menu.addAction("&Back")
        self.back_action.setShortcut(QKeySequence.Back)
        self.back_action.triggered.connect(self.go_back)
        self.forward_action = go_menu.addAction("&Forward")
        self.forward_action.setShortcut(QKeySequence.Forward)
        self.forward_action.triggered.connect(self.go_forward)
        self._update_history_actions()
        help_menu = self.menuBar().addMenu("&Help")
        shortcuts = help_menu.addAction("&Keyboard shortcuts")
        shortcuts.setShortcut(QKeySequence("F1"))
        shortcuts.triggered.connect(self.show_shortcuts)
        help_menu.addAction("Medical &disclaimer").triggered.connect(self.show_disclaimer)
        help_menu.addAction("&About StudyApp").triggered.connect(self.show_about)

    # Dialogs go through these two methods so that tests can replace them.
    def inform(self, title: str, text: str) -> None:
        message(self, QMessageBox.Information, title, text)

    def warn(self, title: str, text: str) -> None:
        message(self, QMessageBox.Warning, title, text)

    def start(self) -> None:
        """Show what is stored now, then check the sources in the background."""
        self.sources_view.refresh()
        self.mechanisms_view.refresh()
        if not self.sources_view.list.count():
            self.sources_view.set_empty_message("Loading the sources for the first time…")
        self._record(self._place_of("sources"))
        self._system_point_size = QApplication.font().pointSize()
        preferences = load_preferences(self.db)
        if preferences.font_size or preferences.theme != "system":
            self.apply_preferences(preferences)
        self.restore_window_state()
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

    # Backups: one a day on start, off the UI thread; on demand; restore with a safety copy.
    def _backup_folder(self) -> Path:
        return backups_dir(self.db_path.parent)

    def back_up_daily(self) -> None:
        db_path, folder, now = self.db_path, self._backup_folder(), datetime.now()
        self.runner.run(
            lambda: back_up_daily(db_path, folder, now),
            lambda path: path and self.status_text.setText(f"Backed up to {path}"),
            lambda error: self.warn("The daily backup failed", str(error)),
        )

    def back_up_now(self) -> None:
        try:
            path = back_up(self.db_path, self._backup_folder(), datetime.now())
        except BackupProblem as error:
            self.warn("The backup failed", str(error))
            return
        self.inform("Backed up", f"Your reviews, bookmarks and settings are saved in {path}.")

    def choose_backup(self) -> str:
        path, _ = QFileDialog.getOpenFileName(
            self, "Restore from backup", str(self._backup_folder()), "StudyApp backups (*.sqlite3)"
        )
        return path

    def confirm(self, title: str, text: str) -> bool:
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        answer = message(self, QMessageBox.Question, title, text, buttons)
        return answer == QMessageBox.StandardButton.Yes

    def restore_from_backup(self) -> None:
        chosen = self.choose_backup()
        if not chosen:
            return
        try:
            check_backup(Path(chosen))
        except BackupProblem as error:
            self.warn("Not restored", f"Nothing was changed: {error}.")
            return
        if not self.confirm(
            "Restore from backup?",
            f"Replace your current data with {Path(chosen).name}? Your data "
            "as it is now is backed up first, so this can be undone.",
        ):
            return
        self.db.close()
        try:
            safety = restore(Path(chosen), self.db_path, self._backup_folder(), datetime.now())
        except BackupProblem as error:
            self.db = open_database(self.db_path)
            self.warn("Not restored", str(error))
            return
        self.db = open_database(self.db_path)
        for view in self._built.values():
            view.db = self.db
        if "review" in self._built:
            self.review_panel.session = None
        self.content_changed.emit()
        self.inform("Restored", f"Your data is restored. What you had before is in {safety}.")

    # Settings, applied at once: theme and font now, limits from the next item on.
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

    def apply_preferences(self, preferences: Preferences) -> None:
        app = QApplication.instance()
        apply_theme(app, preferences.theme)
        font = QApplication.font()
        font.setPointSize(preferences.font_size or self._system_point_size)
        app.setFont(font)
        current = self.sources_view.current_source_id()
        if current:
            self.sources_view.open_source(current, force=True)  # re-render in the new colours
        panel = self._built.get("review")
        if panel is not None and panel.session is not None and panel.session.feedback is None:
            panel.start(panel.deck)  # the new limits and retention apply from now on

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
        self.status_text.setText("Checking the sources…")
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
        self.status_text.setText(
            f"{len(report.loaded)} sources"
            + (f", {len(report.problems)} could not be read" if report.problems else "")
            + f" · {report.mechanism_count} mechanisms · {report.fact_count} facts"
        )
        if report.changed or report.content_changed:
            self.content_changed.emit()
        self.back_up_daily()
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
        self.status_text.setText("The sources could not be loaded.")
        self.warn("The sources could not be loaded", str(error))
        self.ingest_finished.emit(error)

    def restore_window_state(self) -> None:
        """The size, place and view of the window when the learner last closed it."""
        geometry = get_setting(self.db, WINDOW_GEOMETRY)
        if geometry:
            self.restoreGeometry(QByteArray.fromBase64(geometry.encode()))
        view = get_setting(self.db, LAST_VIEW)
        places = {
            "sources": ("sources", "", "", ""),
            "mechanisms": ("mechanisms", ""),
            "stats": ("stats",),
        }
        if view in places:
            self.go(places[view])

    def closeEvent(self, event) -> None:
        try:
            set_setting(self.db, WINDOW_GEOMETRY, bytes(self.saveGeometry().toBase64()).decode())
            set_setting(self.db, LAST_VIEW, self.VIEWS[max(0, self.sidebar.currentRow())])
        except sqlite3.Error:
            pass  # a read-only or full disk must not stop the window from closing
        # Background work stops at its next passage; the process can then exit at once
        # instead of finishing an ingest nobody will see.
        self._closing.set()
        QThreadPool.globalInstance().waitForDone(3000)
        self.db.close()
        super().closeEvent(event)
