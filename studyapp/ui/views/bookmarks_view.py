"""The Bookmarks view: grouped by source, filtered by words and tag; open, edit, delete, undo."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from studyapp.core.bookmarks import (
    Bookmark,
    all_tags,
    delete_bookmark,
    edit_bookmark,
    list_bookmarks,
    undo_delete,
)
from studyapp.ui.changes import Changes
from studyapp.ui.dialogs_bookmark import KIND_LABELS, ask_details
from studyapp.ui.text import plain_tooltip
from studyapp.ui.undo import Undoable, UndoStack
from studyapp.ui.widgets.focus import FocusRingDelegate

BOOKMARK_ROLE = Qt.UserRole


class BookmarksView(QWidget):
    open_bookmark = Signal(object)  # Bookmark
    changed = Signal()  # a bookmark was edited, deleted or brought back

    def __init__(
        self,
        db: Database,
        parent: QWidget | None = None,
        clock=None,
        undo_stack: UndoStack | None = None,
    ):
        super().__init__(parent)
        self.db = db
        self.clock = clock or (lambda: datetime.now(UTC))
        self.undo_stack = undo_stack or UndoStack(self)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter by words in the quote, note or tags")
        self.filter.setAccessibleName("Filter bookmarks")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.refresh)
        self.tag = QComboBox()
        self.tag.setAccessibleName("Tag")
        self.tag.currentIndexChanged.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.tag)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setWordWrap(True)
        self.tree.setRootIsDecorated(False)  # the groups stay open: no branch to click
        self.tree.setIndentation(16)
        self.tree.header().setSectionResizeMode(0, QHeaderView.Stretch)  # rows wrap to fit
        self.tree.setAccessibleName("Bookmarks")
        self.tree.setAlternatingRowColors(True)
        self.tree.setStyleSheet(
            "QTreeWidget::item { padding: 5px 2px; }"
            " QTreeWidget::branch { background: palette(base); }"
        )
        self.tree.setItemDelegate(FocusRingDelegate(self.tree))
        self.tree.currentItemChanged.connect(self._skip_headings)
        self.tree.itemActivated.connect(self._activated)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignCenter)
        self.empty.setContentsMargins(40, 40, 40, 40)
        self.status = QLabel()
        buttons = QHBoxLayout()
        self.open_button = QPushButton("Open (Enter)")
        self.edit_button = QPushButton("Edit… (F2)")
        self.delete_button = QPushButton("Delete (Del)")
        self.open_button.clicked.connect(lambda: self._activated(self.tree.currentItem()))
        self.edit_button.clicked.connect(self.edit_current)
        self.delete_button.clicked.connect(self.delete_current)
        for button in (self.open_button, self.edit_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(top)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        for keys, slot in (
            (QKeySequence("F2"), self.edit_current),
            (QKeySequence.Delete, self.delete_current),
        ):
            shortcut = QShortcut(keys, self)
            shortcut.setContext(Qt.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self._titles: dict[str, str] = {}

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.tree.doItemsLayout()  # the rows wrap anew at the new width

    def on_changed(self, changes: Changes) -> None:
        if (changes.bookmarks or changes.content or changes.database) and self.isVisible():
            self.refresh()

    def focus_content(self) -> None:
        (self.tree if self.tree.isVisible() else self.filter).setFocus(Qt.OtherFocusReason)

    def _skip_headings(self, current: QTreeWidgetItem | None, previous) -> None:
        """A group heading is no place to stop: ↓ and ↑ go on to the bookmark beyond it."""
        if current is None or current.data(0, BOOKMARK_ROLE) is not None:
            return
        going_down = previous is None or (
            self.tree.visualItemRect(current).top() > self.tree.visualItemRect(previous).top()
        )
        step = self.tree.itemBelow if going_down else self.tree.itemAbove
        item = step(current)
        while item is not None and item.data(0, BOOKMARK_ROLE) is None:
            item = step(item)
        if item is None:
            item = previous  # nothing beyond the heading: stay
        if item is not None:
            self.tree.setCurrentItem(item)

    def refresh(self) -> None:
        chosen_tag = self.tag.currentData() or ""
        self.tag.blockSignals(True)
        self.tag.clear()
        self.tag.addItem("All tags", "")
        for tag in all_tags(self.db):
            self.tag.addItem(f"#{tag}", tag)
        self.tag.setCurrentIndex(max(0, self.tag.findData(chosen_tag)))
        self.tag.blockSignals(False)
        self._titles = dict(self.db.execute("SELECT id, title FROM sources").fetchall())
        marks = list_bookmarks(self.db, self.filter.text(), self.tag.currentData() or "")
        self.tree.clear()
        groups: dict[str, QTreeWidgetItem] = {}
        for mark in marks:
            heading = (
                self._titles.get(mark.source_id, "Mechanism cards")
                if mark.source_id
                else "Mechanism cards"
            )
            if heading not in groups:
                group = QTreeWidgetItem([heading])
                font = group.font(0)
                font.setBold(True)
                group.setFont(0, font)
                group.setFlags(Qt.ItemIsEnabled)
                self.tree.addTopLevelItem(group)
                group.setExpanded(True)
                groups[heading] = group
            item = QTreeWidgetItem([self._line(mark)])
            item.setData(0, BOOKMARK_ROLE, mark)
            item.setToolTip(0, plain_tooltip(mark.quote))
            groups[heading].addChild(item)
        first = next((groups[g].child(0) for g in groups), None)
        if first is not None:
            self.tree.setCurrentItem(first)
        total = len(list_bookmarks(self.db))
        for button in (self.open_button, self.edit_button, self.delete_button):
            button.setEnabled(bool(marks))
        self.empty.setVisible(not marks)
        self.tree.setVisible(bool(marks))
        self.empty.setText(
            "No bookmarks yet. Press Ctrl+D on a source, a passage, a selected quote, a "
            "mechanism card or a fact in review to keep it here with a note."
            if not total
            else "No bookmark matches the filter."
        )

    def _line(self, mark: Bookmark) -> str:
        words = " ".join(mark.quote.split())
        words = words if len(words) <= 160 else words[:159] + "…"
        parts = [f"{KIND_LABELS[mark.kind]}: {words}" if words else KIND_LABELS[mark.kind]]
        if mark.note:
            parts.append(f"Note: {mark.note}")
        if mark.tags:
            parts.append(" ".join(f"#{t}" for t in mark.tags))
        if mark.orphaned:
            parts.append("⚠ Orphaned: these words are no longer in the source")
        return "\n".join(parts)

    def current(self) -> Bookmark | None:
        item = self.tree.currentItem()
        return item.data(0, BOOKMARK_ROLE) if item else None

    def _activated(self, item: QTreeWidgetItem | None) -> None:
        mark = item.data(0, BOOKMARK_ROLE) if item else None
        if mark is not None:
            self.open_bookmark.emit(mark)

    def ask(self, mark: Bookmark) -> tuple[str, tuple[str, ...]] | None:
        return ask_details(self, KIND_LABELS[mark.kind], mark.note, mark.tags)

    def edit_current(self) -> None:
        mark = self.current()
        if mark is None:
            return
        answer = self.ask(mark)
        if answer is not None:
            edit_bookmark(self.db, mark.id, answer[0], answer[1], self.clock())
            self.refresh()
            self.changed.emit()

    def delete_current(self) -> None:
        """Delete the bookmark chosen; Ctrl+Z (Edit → Undo) brings it back."""
        mark = self.current()
        if mark is None:
            return
        db = self.db
        delete_bookmark(db, mark.id, self.clock())
        self.undo_stack.push(
            Undoable("deleting a bookmark", lambda: self._bring_back(db, mark.id), "bookmarks")
        )
        self.status.setText("Bookmark deleted. Ctrl+Z brings it back.")
        self.refresh()
        self.changed.emit()

    def _bring_back(self, db: Database, mark_id: int) -> None:
        undo_delete(db, mark_id)
        self.status.setText("Bookmark restored.")
        self.refresh()
        self.changed.emit()
