"""The main window: sidebar of views, the views themselves, menus and a status bar."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
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
from studyapp.core.db import open_database
from studyapp.core.disclaimer import MEDICAL_DISCLAIMER
from studyapp.core.ingest import IngestReport, ingest
from studyapp.core.settings import DISCLAIMER_SEEN, get_setting, set_setting
from studyapp.paths import ShippedDirs
from studyapp.ui.ops import BackgroundRunner
from studyapp.ui.views.sources_view import SourcesView


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
        self.setWindowTitle("StudyApp: exercise and depression")
        self.resize(1280, 800)
        self.setMinimumSize(720, 480)

        self.sources_view = SourcesView(db)
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
        self._add_view("Sources", self.sources_view, "Ctrl+1")
        self.sidebar.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.sidebar.setCurrentRow(0)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.sidebar)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.status_text = QLabel()
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # indeterminate
        self.busy.setMaximumWidth(140)
        self.busy.hide()
        self.statusBar().addWidget(self.status_text, 1)
        self.statusBar().addPermanentWidget(self.busy)
        self._build_menus()
        self.content_changed.connect(self.sources_view.refresh)

    def _add_view(self, title: str, view: QWidget, shortcut: str) -> None:
        self.sidebar.addItem(title)
        index = self.stack.addWidget(view)
        action = QAction(title, self)
        action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda: self.sidebar.setCurrentRow(index))
        self.addAction(action)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        reload_action = file_menu.addAction("&Reload sources")
        reload_action.setShortcut(QKeySequence("Ctrl+R"))
        reload_action.triggered.connect(self.load_content)
        file_menu.addSeparator()
        quit_action = file_menu.addAction("&Quit")
        quit_action.setShortcut(QKeySequence.Quit)
        quit_action.triggered.connect(self.close)
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction("Medical &disclaimer").triggered.connect(self.show_disclaimer)
        help_menu.addAction("&About StudyApp").triggered.connect(self.show_about)

    # Dialogs go through these two methods so that tests can replace them.
    def inform(self, title: str, text: str) -> None:
        QMessageBox.information(self, title, text)

    def warn(self, title: str, text: str) -> None:
        QMessageBox.warning(self, title, text)

    def start(self) -> None:
        """Show what is stored now, then check the sources in the background."""
        self.sources_view.refresh()
        if not self.sources_view.list.count():
            self.sources_view.set_empty_message("Loading the sources for the first time…")
        self.load_content()
        if get_setting(self.db, DISCLAIMER_SEEN) != "1":
            QTimer.singleShot(0, self._first_run_disclaimer)

    def _first_run_disclaimer(self) -> None:
        self.show_disclaimer()
        set_setting(self.db, DISCLAIMER_SEEN, "1")

    def show_disclaimer(self) -> None:
        self.inform("Before you start", MEDICAL_DISCLAIMER)

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

        def work() -> IngestReport:
            db = open_database(db_path)  # a connection of the worker's own
            try:
                return ingest(db, shipped.seeds, shipped.content)
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
        if not report.loaded:
            self.sources_view.set_empty_message(
                f"No sources could be loaded from {self.seeds_dir}."
            )
        if report.problems:
            lines = "\n".join(f"• {problem}" for problem in report.problems)
            self.warn(
                "Some sources could not be read",
                f"These files were skipped; the other sources are loaded.\n\n{lines}\n\n"
                f"Fix or remove them in {self.seeds_dir}, then choose File → Reload sources.",
            )
        if report.content_problems:
            lines = "\n".join(f"• {problem}" for problem in report.content_problems)
            self.warn(
                "The knowledge base has problems",
                f"The mechanisms and facts you had before are kept.\n\n{lines}\n\n"
                f"Fix them in {self.shipped.content}, then choose File → Reload sources.",
            )
        self.ingest_finished.emit(report)

    def _content_failed(self, error: Exception) -> None:
        self.busy.hide()
        self.status_text.setText("The sources could not be loaded.")
        self.warn("The sources could not be loaded", str(error))
        self.ingest_finished.emit(error)

    def closeEvent(self, event) -> None:
        self.db.close()
        super().closeEvent(event)
