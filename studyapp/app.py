"""Wiring of the windowed app: QApplication, theme, database, main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from studyapp import __version__, paths
from studyapp.core.db import DatabaseProblem, open_database
from studyapp.ui.main_window import MainWindow
from studyapp.ui.theme import apply_theme


def create_app() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName(paths.APP_NAME)
    app.setApplicationVersion(__version__)
    apply_theme(app)
    return app


def create_main_window(data_dir: Path, shipped: paths.ShippedDirs) -> MainWindow:
    """Open the database and build the window; DatabaseProblem if the database is unusable."""
    db_path = paths.database_path(data_dir)
    db = open_database(db_path)
    return MainWindow(db, db_path, shipped)


def run_gui(data_dir: Path, shipped: paths.ShippedDirs) -> int:
    app = create_app()
    try:
        window = create_main_window(data_dir, shipped)
    except DatabaseProblem as error:
        QMessageBox.critical(None, "StudyApp cannot start", str(error))
        return 2
    window.show()
    window.start()
    return app.exec()
