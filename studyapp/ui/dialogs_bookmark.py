"""The bookmark dialog: what is bookmarked, a note and tags. Tab moves between the fields
(it never types into the note), Ctrl+Enter saves."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from studyapp.core.bookmarks import clean_tags

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
        self.what.setTextFormat(Qt.PlainText)  # content text: never HTML
        self.what.setWordWrap(True)
        self.note = QPlainTextEdit(note)
        self.note.setPlaceholderText("A note (optional)")
        self.note.setAccessibleName("Note")
        self.note.setTabChangesFocus(True)
        self.tags = QLineEdit(", ".join(tags))
        self.tags.setPlaceholderText("Tags, separated by commas (optional)")
        self.tags.setAccessibleName("Tags")
        form = QFormLayout(self)
        form.addRow(self.what)
        form.addRow("&Note", self.note)
        form.addRow("&Tags", self.tags)
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Save).setText("&Save (Ctrl+Enter)")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, activated=self.accept)

    def details(self) -> tuple[str, tuple[str, ...]]:
        return self.note.toPlainText().strip(), clean_tags(self.tags.text())


def ask_details(
    parent: QWidget | None, what: str, note: str = "", tags: tuple[str, ...] = ()
) -> tuple[str, tuple[str, ...]] | None:
    dialog = BookmarkDialog(what, note, tags, parent)
    return dialog.details() if dialog.exec() else None
