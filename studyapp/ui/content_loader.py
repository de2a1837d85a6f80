"""Loading the sources and the curated content off the UI thread, and saying how it went:
a count in the status bar, a sentence for each file that could not be read."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, Signal

from studyapp.core.db import open_database
from studyapp.core.ingest import IngestReport, ingest
from studyapp.core.sources.budget import Cancelled
from studyapp.paths import ShippedDirs
from studyapp.ui.ops import BackgroundRunner


class Host(Protocol):
    db_path: Path

    def show_status(self, text: str, lasting: bool = False) -> None: ...
    def show_busy(self, busy: bool) -> None: ...
    def warn(self, title: str, text: str) -> None: ...


class ContentLoader(QObject):
    loaded = Signal(object)  # IngestReport
    failed = Signal(object)  # the exception that stopped it (not a stop on closing)

    def __init__(
        self,
        host: Host,
        shipped: ShippedDirs,
        runner: BackgroundRunner,
        closing: threading.Event,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.host, self.shipped, self.runner, self.closing = host, shipped, runner, closing

    def load(self) -> None:
        """(Re)load the source files off the UI thread; the window stays responsive."""
        if self.runner.busy:
            return
        self.host.show_status("Checking the sources…", lasting=True)
        self.host.show_busy(True)
        db_path, shipped, closing = self.host.db_path, self.shipped, self.closing

        def work() -> IngestReport:
            db = open_database(db_path)  # a connection of the worker's own
            try:
                return ingest(db, shipped.seeds, shipped.content, cancel=closing)
            finally:
                db.close()

        self.runner.run(work, self._loaded, self._failed)

    def _loaded(self, report: IngestReport) -> None:
        self.host.show_busy(False)
        self.host.show_status(
            f"{len(report.loaded)} sources"
            + (f", {len(report.problems)} could not be read" if report.problems else "")
            + f" · {report.mechanism_count} mechanisms · {report.fact_count} facts",
            lasting=True,
        )
        if report.problems:
            self._warn_list(
                "Some sources could not be read",
                "These files were skipped; the other sources are loaded.",
                report.problems,
                f"Fix or remove them in {self.shipped.seeds}",
            )
        if report.content_problems:
            self._warn_list(
                "The knowledge base has problems",
                "The mechanisms and facts you had before are kept.",
                report.content_problems,
                f"Fix them in {self.shipped.content}",
            )
        self.loaded.emit(report)

    def _warn_list(self, title: str, intro: str, problems, fix: str) -> None:
        lines = "\n".join(f"• {problem}" for problem in problems)
        self.host.warn(title, f"{intro}\n\n{lines}\n\n{fix}, then choose File → Reload sources.")

    def _failed(self, error: Exception) -> None:
        if isinstance(error, Cancelled):
            return  # the window is closing
        self.host.show_busy(False)
        self.host.show_status("The sources could not be loaded.", lasting=True)
        self.host.warn("The sources could not be loaded", str(error))
        self.failed.emit(error)
