"""Backup actions of the window: the daily backup (off the UI thread, once the library has
loaded), a backup on demand, and a restore chosen from a list that says what each backup
holds, with a safety copy of the data it replaces.

The window is the host: it closes and reopens the database around a restore and shows the
restored data in every view."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from studyapp.core.backup import (
    BackupProblem,
    back_up,
    back_up_daily,
    backups_dir,
    check_backup,
    restore,
)
from studyapp.ui.ops import BackgroundRunner


class Host(Protocol):
    db_path: Path

    def inform(self, title: str, text: str) -> None: ...
    def warn(self, title: str, text: str) -> None: ...
    def confirm(self, title: str, text: str) -> bool: ...
    def show_status(self, text: str) -> None: ...
    def close_database(self) -> None: ...
    def reopen_database(self) -> None: ...


class BackupActions(QObject):
    def __init__(self, host: Host, runner: BackgroundRunner, parent: QObject | None = None):
        super().__init__(parent)
        self.host = host
        self.runner = runner

    @property
    def folder(self) -> Path:
        return backups_dir(self.host.db_path.parent)

    def back_up_daily(self) -> None:
        """Today's backup unless there is one; call it once the library has loaded."""
        db_path, folder, now = self.host.db_path, self.folder, datetime.now()
        self.runner.run(
            lambda: back_up_daily(db_path, folder, now),
            lambda path: path and self.host.show_status("Today's backup is made."),
            lambda error: self.host.warn("The daily backup failed", str(error)),
        )

    def _still_loading(self) -> bool:
        """A backup or a restore waits for the library to finish loading."""
        if self.runner.busy:
            self.host.inform(
                "One moment",
                "StudyApp is still loading the sources or making today's backup; try again "
                "in a moment, once the status bar no longer shows it busy.",
            )
        return self.runner.busy

    def back_up_now(self) -> None:
        if self._still_loading():
            return
        try:
            path = back_up(self.host.db_path, self.folder, datetime.now())
        except BackupProblem as error:
            self.host.warn("The backup failed", str(error))
            return
        self.host.inform("Backed up", f"Your reviews, bookmarks and settings are saved in {path}.")

    def choose_backup(self) -> Path | None:
        """The backup the learner picks, or None (tests replace this)."""
        from studyapp.ui.dialogs_restore import RestoreDialog

        parent = self.host if isinstance(self.host, QWidget) else None
        return RestoreDialog.choose(self.folder, parent)

    def restore_from_backup(self) -> bool:
        if self._still_loading():
            return False
        chosen = self.choose_backup()
        if not chosen:
            return False
        chosen = Path(chosen)
        try:
            check_backup(chosen)
        except BackupProblem as error:
            self.host.warn("Not restored", f"Nothing was changed: {error}.")
            return False
        if not self.host.confirm(
            "Restore from backup?",
            f"Replace your current data with {chosen.name}? Your data "
            "as it is now is backed up first, so this can be undone.",
        ):
            return False
        self.host.close_database()
        try:
            safety = restore(chosen, self.host.db_path, self.folder, datetime.now())
        except BackupProblem as error:
            self.host.reopen_database()
            self.host.warn("Not restored", str(error))
            return False
        self.host.reopen_database()
        before = f" What you had before is kept in {safety}." if safety else ""
        self.host.inform("Restored", f"Your data is restored.{before}")
        return True
