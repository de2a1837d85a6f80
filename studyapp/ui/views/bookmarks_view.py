"""The Bookmarks view: grouped by source, filtered by words and tag; open, edit, delete, undo."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
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
    clean_tags,
    delete_bookmark,
    edit_bookmark,
    list_bookmarks,
    undo_delete,
)
from studyapp.ui.text import plain_tooltip

BOOKMARK_ROLE = Qt.UserRole
KIND_LABELS = {
    "source": "Source",
    "passage": "Passage",
    "selection": "Quote",
    "mechanism": "Mechanism card",
    "fact": "Fact",
}


class BookmarkDialog(QDialog):
    """A bookmark's note and tags."""

    def __init__(
        self, what: str, note: str = "", tags: tuple[str, ...] = (), parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.setWindowTitle("Bookmark")
        self.resize(520, 300)
        self.what = QLabel(what)
        self.what.setTextFormat(Qt.PlainText)
        self.what.setWordWrap(True)
        self.note = QPlainTextEdit(note)
        self.note.setPlaceholderText("A note (optional)")
        self.tags = QLineEdit(", ".join(tags))
        self.tags.setPlaceholderText("Tags, separated by commas (optional)")
        form = QFormLayout(self)
        form.addRow(self.what)
        form.addRow("Note", self.note)
        form.addRow("Tags", self.tags)
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def details(self) -> tuple[str, tuple[str, ...]]:
        return self.note.toPlainText().strip(), clean_tags(self.tags.text())


def ask_details(
    parent: QWidget, what: str, note: str = "", tags: tuple[str, ...] = ()
) -> tuple[str, tuple[str, ...]] | None:
    dialog = BookmarkDialog(what, note, tags, parent)
    return dialog.details() if dialog.exec() else None


class BookmarksView(QWidget):
    open_bookmark = Signal(object)  # Bookmark

    def __init__(self, db: Database, parent: QWidget | None = None, clock=None):
        super().__init__(parent)
        self.db = db
        self.clock = clock or (lambda: datetime.now(UTC))
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter by words in the quote, note or tags")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.refresh)
        self.tag = QComboBox()
        self.tag.currentIndexChanged.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.tag)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setWordWrap(True)
        self.tree.setAccessibleName("Bookmarks")
        self.tree.setAlternatingRowColors(True)
        self.tree.setStyleSheet("QTreeWidget::item { padding: 5px 2px; }")
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
            (QKeySequence.Undo, self.undo_delete),
        ):
            shortcut = QShortcut(keys, self)
            shortcut.setContext(Qt.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self._deleted: list[int] = []
        self._titles: dict[str, str] = {}

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

    def delete_current(self) -> None:
        mark = self.current()
        if mark is None:
            return
        delete_bookmark(self.db, mark.id, self.clock())
        self._deleted.append(mark.id)
        self.status.setText("Bookmark deleted. Ctrl+Z brings it back.")
        self.refresh()

    def undo_delete(self) -> None:
        if self._deleted:
            undo_delete(self.db, self._deleted.pop())
            self.status.setText("Bookmark restored.")
            self.refresh()
