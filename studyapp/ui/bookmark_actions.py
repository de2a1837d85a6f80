"""Bookmark actions of the window: Ctrl+D on whatever is shown, opening a bookmark at its
exact place, and editing one's note from where it is marked in a source.

The window is the host: it says what is shown (a view's bookmark target), goes to places and
shows messages; this module asks the learner and writes the bookmark."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget
from sqlite_utils import Database

from studyapp.core.bookmarks import (
    Bookmark,
    Target,
    add_bookmark,
    delete_bookmark,
    edit_bookmark,
    list_bookmarks,
)
from studyapp.ui.dialogs_bookmark import KIND_LABELS, ask_details
from studyapp.ui.undo import Undoable, UndoStack

NOTHING_HERE = (
    "Open a source, a mechanism card or a question with a fact, then press Ctrl+D. "
    "In a source, select words first to keep just those."
)


class Host(Protocol):
    db: Database

    def bookmark_target(self) -> Target | None: ...
    def go(self, place: tuple[str, ...]) -> None: ...
    def open_fact(self, fact_id: str) -> None: ...
    def inform(self, title: str, text: str) -> None: ...
    def show_status(self, text: str) -> None: ...


class BookmarkActions(QObject):
    changed = Signal()  # a bookmark was added, edited or taken back

    def __init__(self, host: Host, undo_stack: UndoStack, parent: QObject | None = None):
        super().__init__(parent)
        self.host = host
        self.undo_stack = undo_stack
        self.clock = lambda: datetime.now(UTC)

    def ask(self, what: str, note: str = "", tags: tuple[str, ...] = ()):
        """The note and tags for a bookmark, or None if the learner cancels (tests replace)."""
        parent = self.host if isinstance(self.host, QWidget) else None
        return ask_details(parent, what, note, tags)

    def bookmark_current(self) -> int | None:
        """Ctrl+D: bookmark what is shown, after asking for a note; its id, or None."""
        target = self.host.bookmark_target()
        if target is None:
            self.host.inform("Nothing to bookmark here", NOTHING_HERE)
            return None
        words = target.shown or target.words
        shown = words if len(words) <= 300 else words[:299] + "…"
        answer = self.ask(f"{KIND_LABELS[target.kind]}: {shown}")
        if answer is None:
            return None
        db = self.host.db
        mark_id = add_bookmark(
            db,
            target.kind,
            target.target_id,
            self.clock(),
            source_id=target.source_id,
            quote=target.words,
            note=answer[0],
            tags=answer[1],
        )
        label = KIND_LABELS[target.kind].lower()
        self.undo_stack.push(
            Undoable(
                f"bookmarking a {label}",
                lambda: self._take_back(db, mark_id),
            )
        )
        self.host.show_status(f"Bookmarked: {label}. Ctrl+Z takes it back.")
        self.changed.emit()
        return mark_id

    def _take_back(self, db: Database, mark_id: int) -> None:
        delete_bookmark(db, mark_id, self.clock())
        self.changed.emit()

    def edit(self, mark_id: int) -> None:
        """The note and tags of a bookmark, as the learner clicked it in the text."""
        mark = find_bookmark(self.host.db, mark_id)
        if mark is None:
            return
        answer = self.ask(KIND_LABELS[mark.kind] + f": {mark.quote[:300]}", mark.note, mark.tags)
        if answer is not None:
            edit_bookmark(self.host.db, mark.id, answer[0], answer[1], self.clock())
            self.changed.emit()

    def open(self, mark: Bookmark) -> None:
        """Go to a bookmark's exact place: the quote highlighted in its source, the card..."""
        if mark.kind in ("passage", "selection"):
            quote = mark.quote if mark.kind == "selection" else ""
            self.host.go(
                ("sources", mark.source_id, "" if mark.orphaned else mark.target_id, quote)
            )
            if mark.orphaned:
                self.host.inform(
                    "An orphaned bookmark",
                    "The words of this bookmark are no longer in the source; it is "
                    f"kept with your note. They were: “{mark.quote}”",
                )
        elif mark.kind == "source":
            self.host.go(("sources", mark.target_id, "", ""))
        elif mark.kind == "mechanism":
            self.host.go(("mechanisms", mark.target_id))
        elif mark.kind == "fact":
            self.host.open_fact(mark.target_id)

    def open_by_id(self, mark_id: int) -> None:
        mark = find_bookmark(self.host.db, mark_id)
        if mark is not None:
            self.open(mark)


def find_bookmark(db: Database, mark_id: int) -> Bookmark | None:
    return next((b for b in list_bookmarks(db) if b.id == mark_id), None)
