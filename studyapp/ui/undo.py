"""Undo for the learner's actions, newest first, whichever view they happened in: an answer,
a bookmark added or deleted. Edit → Undo (Ctrl+Z) and the Undo buttons all come here."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

NOTHING_TO_UNDO = "Nothing to undo"


@dataclass(frozen=True)
class Undoable:
    what: str  # "your answer to “…”": read as "Undone: …" and "Undo …"
    undo: Callable[[], None]
    view: str = ""  # the view that shows the result, brought forward after the undo


class UndoStack(QObject):
    changed = Signal()  # something was pushed or taken: the Undo action's text follows
    undone = Signal(str, str)  # message for the learner, the view to show ("" for none)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._done: list[Undoable] = []

    def push(self, action: Undoable) -> None:
        self._done.append(action)
        self.changed.emit()

    def next_undo(self) -> str:
        """What Ctrl+Z would take back now, or "" when nothing."""
        return self._done[-1].what if self._done else ""

    def undo(self) -> str:
        """Take back the newest action; say what was undone (or that nothing was)."""
        if not self._done:
            message, view = NOTHING_TO_UNDO, ""
        else:
            action = self._done.pop()
            try:
                action.undo()
            except (sqlite3.Error, ValueError) as error:  # a full disk; a row already gone
                message, view = f"Could not undo {action.what}: {error}", ""
            else:
                message, view = f"Undone: {action.what}", action.view
            self.changed.emit()
        self.undone.emit(message, view)
        return message

    def clear(self) -> None:
        """Forget everything (the data the actions changed was replaced)."""
        self._done.clear()
        self.changed.emit()
