"""Wiring of the windowed app: QApplication, theme, database, main window."""

from __future__ import annotations

import sys
import tempfile
from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from studyapp import __version__, paths
from studyapp.core.backup import backups_dir
from studyapp.core.db import DatabaseProblem
from studyapp.core.lock import FolderBusy, FolderLock, FolderUnusable
from studyapp.core.recovery import open_or_recover
from studyapp.ui.errors import install_error_handler
from studyapp.ui.main_window import MainWindow
from studyapp.ui.text import message
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
    db, recovered = open_or_recover(db_path, backups_dir(data_dir), datetime.now())
    window = MainWindow(db, db_path, shipped)
    window.recovery_message = recovered
    return window


def tell(title: str, text: str) -> None:
    """A message before any window exists (tests replace this)."""
    message(None, QMessageBox.Information, title, text)


def run_gui(data_dir: Path, shipped: paths.ShippedDirs, theme: str = "system") -> int:
    app = create_app()
    apply_theme(app, theme)
    # One window (or terminal review) writes to one data folder at a time: a second would race
    # the first's answers. The lock is held until the process ends.
    lock = FolderLock(data_dir)
    try:
        lock.acquire()
    except FolderBusy:
        tell(
            "StudyApp is already open",
            f"StudyApp is already open with the data in {data_dir} (in a window or a terminal "
            "review). Switch to it; a second one could overwrite its answers.",
        )
        return 1
    except FolderUnusable as error:
        tell("StudyApp cannot start", f"{error}.")
        return 2
    try:
        window = create_main_window(data_dir, shipped)
    except DatabaseProblem as error:
        tell("StudyApp cannot start", str(error))
        return 2
    install_error_handler(window.warn)
    window.show()
    window.start()
    try:
        return app.exec()
    finally:
        lock.release()


SCREENSHOT_FACT = "wn-bdnf-32-percent"  # a fact with a passage, a quote and a video timestamp
SCREENSHOT_MECHANISM = "kynurenine-pathway"


def take_screenshots(
    directory: Path,
    shipped: paths.ShippedDirs,
    theme: str = "light",
    size: tuple[int, int] = (1280, 800),
    font_size: float = 0,
) -> int:
    """Open each main view offscreen with a fresh temporary library; one PNG per view.
    ``font_size`` (points) as if chosen in Settings; 0 keeps the system's."""
    from PySide6.QtCore import QEventLoop, QTimer

    directory.mkdir(parents=True, exist_ok=True)
    app = create_app()
    apply_theme(app, theme)
    if font_size:
        font = app.font()
        font.setPointSizeF(font_size)
        app.setFont(font)
    with tempfile.TemporaryDirectory(prefix="studyapp-screenshots-") as data:
        window = create_main_window(Path(data), shipped)
        window.inform = window.warn = lambda *_: None
        window.resize(*size)
        window.show()
        loop = QEventLoop()
        window.ingest_finished.connect(lambda _: loop.quit())
        QTimer.singleShot(60_000, loop.quit)
        window.start()
        loop.exec()
        names = []

        def shot(name: str) -> None:
            app.processEvents()
            window.grab().save(str(directory / f"{name}.png"), "PNG")
            names.append(name)

        window.go(("home",))
        shot("home")
        window.go(("sources", window.sources_view.current_source_id() or "", "", ""))
        shot("sources")
        window.open_fact(SCREENSHOT_FACT)
        shot("source-highlighted")
        window.go(("mechanisms", ""))
        shot("mechanisms")
        window.go(("mechanisms", SCREENSHOT_MECHANISM))
        shot("mechanism-card")
        window.study(SCREENSHOT_MECHANISM)
        panel = window.review_panel
        if panel.session.intro is not None:
            shot("review-new-topic")  # a new unit's card, before its first question
            panel.session.begin()
        for _ in range(3):  # move on to a multiple-choice question, the richest to look at
            if panel.session.current.item.kind.value == "choice":
                break
            if panel.session.intro is not None:
                panel.session.begin()
            panel.session.answer("skip")
            panel.session.rate(1)
        shot("review-question")
        item = panel.session.current.item
        wrong = next((c for c in item.choices if c != item.answer), "skip")
        panel.session.answer(wrong)  # a wrong answer: both the chosen and the right one marked
        shot("review-answered")
        panel.session.finish()
        shot("review-summary")
        window.go(("stats",))
        shot("statistics")
        window.go(("bookmarks",))
        shot("bookmarks")
        window.close()
    print(f"Wrote {len(names)} screenshots to {directory}")
    return 0
