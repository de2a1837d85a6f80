"""The Edit menu: Undo (whatever has the focus), find, bookmark and settings, each with its
key shown beside it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

from studyapp.ui.undo import NOTHING_TO_UNDO, UndoStack


class EditMenu(QObject):
    def __init__(
        self,
        window: QMainWindow,
        undo_stack: UndoStack,
        *,
        find: Callable[[], None],
        bookmark: Callable[[], None],
        settings: Callable[[], None],
    ):
        super().__init__(window)
        self.undo_stack = undo_stack
        menu = window.menuBar().addMenu("&Edit")
        self.undo_action = QAction(window)
        self.undo_action.setShortcut(QKeySequence.Undo)
        self.undo_action.setShortcutContext(Qt.WindowShortcut)
        self.undo_action.triggered.connect(undo_stack.undo)
        menu.addAction(self.undo_action)
        menu.addSeparator()
        self.find_action = self._add(menu, "&Find in this source…", QKeySequence.Find, find)
        self.bookmark_action = self._add(menu, "&Bookmark this…", QKeySequence("Ctrl+D"), bookmark)
        menu.addSeparator()
        self.settings_action = self._add(menu, "&Settings…", QKeySequence("Ctrl+,"), settings)
        self.settings_action.setMenuRole(QAction.PreferencesRole)
        undo_stack.changed.connect(self._follow_stack)
        self._follow_stack()

    @staticmethod
    def _add(menu, text: str, keys: QKeySequence, slot: Callable[[], None]) -> QAction:
        action = menu.addAction(text)
        action.setShortcut(keys)
        action.triggered.connect(slot)
        return action

    def _follow_stack(self) -> None:
        """ "Undo your answer to …", or "Nothing to undo"; kept enabled, so that Ctrl+Z
        always answers, if only to say there is nothing to take back."""
        what = self.undo_stack.next_undo()
        short = what if len(what) <= 60 else what[:59] + "…"
        self.undo_action.setText(f"&Undo {short}" if what else NOTHING_TO_UNDO)
