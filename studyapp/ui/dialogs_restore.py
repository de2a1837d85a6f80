"""Restore from backup: the backups listed newest first with what each holds (date, answers,
bookmarks, sources), so that an empty one is never taken for a good one; or another file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studyapp.core.backup import BackupProblem, BackupSummary, describe_backup, list_backups
from studyapp.ui.widgets.focus import FocusRingDelegate

PATH_ROLE = Qt.UserRole
COLUMNS = ("Taken", "Answers", "Bookmarks", "Sources")


def backup_rows(folder: Path) -> list[BackupSummary | tuple[Path, str]]:
    """Each backup's summary, or (path, why it cannot be read)."""
    rows: list[BackupSummary | tuple[Path, str]] = []
    for backup in list_backups(folder):
        try:
            rows.append(describe_backup(backup.path))
        except BackupProblem as error:
            rows.append((backup.path, str(error)))
    return rows


class RestoreDialog(QDialog):
    def __init__(self, folder: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.folder = folder
        self.setWindowTitle("Restore from backup")
        intro = QLabel(
            "Choose the backup to go back to. What you have now is backed up first, so a "
            "restore can itself be undone."
        )
        intro.setWordWrap(True)
        self.list = QTreeWidget()
        self.list.setHeaderLabels(COLUMNS)
        self.list.setRootIsDecorated(False)
        self.list.setAccessibleName("Backups")
        self.list.setItemDelegate(FocusRingDelegate(self.list))
        self.list.itemActivated.connect(lambda *_: self.accept())
        for row in backup_rows(folder):
            self.list.addTopLevelItem(self._item(row))
        for column in range(len(COLUMNS)):
            self.list.resizeColumnToContents(column)
        columns = sum(self.list.columnWidth(c) for c in range(len(COLUMNS)))
        self.resize(max(520, columns + 60), 400)  # every column in view, at any font size
        if self.list.topLevelItemCount():
            self.list.setCurrentItem(self.list.topLevelItem(0))
        self.empty = QLabel(f"There are no backups in {folder} yet.")
        self.empty.setWordWrap(True)
        self.empty.setVisible(not self.list.topLevelItemCount())
        self.other = QPushButton("Another file…")
        self.other.clicked.connect(self._choose_file)
        buttons = QDialogButtonBox(QDialogButtonBox.Cancel)
        self.restore_button = buttons.addButton("Restore", QDialogButtonBox.AcceptRole)
        self.restore_button.setEnabled(bool(self.list.topLevelItemCount()))
        buttons.addButton(self.other, QDialogButtonBox.ActionRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addWidget(buttons)
        self.chosen_file: Path | None = None

    @staticmethod
    def _item(row: BackupSummary | tuple[Path, str]) -> QTreeWidgetItem:
        if isinstance(row, tuple):
            path, problem = row
            item = QTreeWidgetItem([f"{path.name} (cannot be read)", "", "", ""])
            item.setToolTip(0, problem)
            item.setData(0, PATH_ROLE, str(path))
            return item
        kind = " (before a restore)" if "before-restore" in row.path.name else ""
        item = QTreeWidgetItem(
            [
                f"{row.taken_at:%d %b %Y, %H:%M:%S}{kind}",
                f"{row.answers:,}",
                f"{row.bookmarks:,}",
                f"{row.sources:,}",
            ]
        )
        for column in (1, 2, 3):
            item.setTextAlignment(column, Qt.AlignRight | Qt.AlignVCenter)
        item.setToolTip(0, f"{row.describe()}\n{row.path}")
        item.setData(0, PATH_ROLE, str(row.path))
        return item

    def _choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Restore from a file", str(self.folder), "StudyApp backups (*.sqlite3)"
        )
        if path:
            self.chosen_file = Path(path)
            self.accept()

    def chosen(self) -> Path | None:
        if self.chosen_file is not None:
            return self.chosen_file
        item = self.list.currentItem()
        return Path(item.data(0, PATH_ROLE)) if item is not None else None

    @classmethod
    def choose(cls, folder: Path, parent: QWidget | None = None) -> Path | None:
        dialog = cls(folder, parent)
        return dialog.chosen() if dialog.exec() else None
