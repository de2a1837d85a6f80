"""File → Settings… (Ctrl+,): the learner's preferences, saved, then applied at once."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget
from sqlite_utils import Database

from studyapp.core.settings import Preferences, load_preferences, save_preferences


class Host(Protocol):
    db: Database

    def warn(self, title: str, text: str) -> None: ...
    def apply_preferences(self, preferences: Preferences) -> None: ...


class SettingsActions(QObject):
    def __init__(self, host: Host, parent: QObject | None = None):
        super().__init__(parent)
        self.host = host

    def ask(self, current: Preferences) -> Preferences | None:
        """The learner's choice in the Settings dialog, or None (tests replace this)."""
        from studyapp.ui.dialogs_settings import SettingsDialog

        dialog = SettingsDialog(current, self.host if isinstance(self.host, QWidget) else None)
        return dialog.preferences() if dialog.exec() else None

    def edit(self) -> None:
        chosen = self.ask(load_preferences(self.host.db))
        if chosen is None:
            return
        try:
            save_preferences(self.host.db, chosen)
        except ValueError as error:
            self.host.warn("Settings not saved", f"{error}.")
            return
        self.host.apply_preferences(chosen)
