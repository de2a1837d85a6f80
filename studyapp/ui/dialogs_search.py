"""Ctrl+K: one box over the whole library; results grouped, Enter opens the hit in place."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from studyapp.core.search import (
    GROUP_TITLES,
    MARK_END,
    MARK_START,
    Hit,
    count_text,
    match_counts,
    search,
)

HIT_ROLE = Qt.UserRole
HINT = (
    "Type a word to search the whole library: a mechanism (BDNF), a molecule (kynurenine), "
    "a finding (cycling), an author. Titles come first. ↑/↓ choose, Enter opens, Esc closes."
)


class SearchDialog(QDialog):
    open_hit = Signal(object)  # Hit

    def __init__(self, db: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("Search the library")
        self.resize(760, 520)
        self.box = QLineEdit()
        self.box.setPlaceholderText("Search sources, facts and mechanisms…")
        self.box.setAccessibleName("Search the library")
        self.box.setClearButtonEnabled(True)
        self.box.textChanged.connect(self.run_search)
        self.box.returnPressed.connect(self._open_current)
        self.results = QTreeWidget()
        self.results.setHeaderHidden(True)
        self.results.setRootIsDecorated(False)
        self.results.setWordWrap(True)
        self.results.setAccessibleName("Search results")
        self.results.itemActivated.connect(lambda item, _col: self._open(item))
        self.results.currentItemChanged.connect(self._mark_current)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.empty = QLabel(HINT)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignCenter)
        self.empty.setContentsMargins(24, 24, 24, 24)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.empty)
        self.pages.addWidget(self.results)
        layout = QVBoxLayout(self)
        layout.addWidget(self.box)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.status)
        self.box.installEventFilter(self)

    def run_search(self, text: str) -> None:
        self.results.clear()
        hits = search(self.db, text) if text.strip() else []
        group = None
        first = None
        for hit in hits:
            if hit.kind != group:
                group = hit.kind
                header = QTreeWidgetItem([GROUP_TITLES[group]])
                header.setFlags(Qt.ItemIsEnabled)
                font = header.font(0)
                font.setBold(True)
                header.setFont(0, font)
                self.results.addTopLevelItem(header)
            item = QTreeWidgetItem([""])
            item.setData(0, HIT_ROLE, hit)
            self.results.addTopLevelItem(item)
            label = self._hit_label(hit)
            label.setFixedWidth(self.results.viewport().width() - 8)
            item.setSizeHint(0, label.sizeHint())  # the row as tall as its two lines
            self.results.setItemWidget(item, 0, label)
            first = first or item
        if first:
            self.results.setCurrentItem(first)
        total = sum(match_counts(self.db, text).values()) if text.strip() else 0
        more = f" of {count_text(total)} matches; add a word to narrow" if total > len(hits) else ""
        self.status.setText(f"{len(hits)} results{more}" if hits else "")
        if not text.strip():
            self.empty.setText(HINT)
        elif not hits:
            self.empty.setText(
                f"Nothing matches “{text.strip()}”. Check the spelling, try fewer words, or the "
                "start of a word (“neuro” finds neuroplasticity). Search looks in the sources, "
                "the facts, the mechanism cards and your bookmarks."
            )
        self.pages.setCurrentWidget(self.results if hits else self.empty)

    @staticmethod
    def _hit_label(hit: Hit) -> QLabel:
        snippet = html.escape(" ".join(hit.snippet.split()))
        snippet = snippet.replace(MARK_START, "<b>").replace(MARK_END, "</b>")
        label = QLabel(f"<small><i>{html.escape(hit.title)}</i></small><br>{snippet}")
        label.setWordWrap(True)
        label.setContentsMargins(6, 4, 6, 4)
        return label

    def _mark_current(self, current, previous) -> None:
        """The selected hit's text in the highlight's text colour, readable on it."""
        for item, style in ((previous, ""), (current, "color: palette(highlighted-text);")):
            label = self.results.itemWidget(item, 0) if item is not None else None
            if label is not None:
                label.setStyleSheet(style)

    def eventFilter(self, watched, event) -> bool:
        if (
            watched is self.box
            and event.type() == event.Type.KeyPress
            and event.key() in (Qt.Key_Down, Qt.Key_Up)
        ):
            self._move(1 if event.key() == Qt.Key_Down else -1)
            return True
        return super().eventFilter(watched, event)

    def _move(self, step: int) -> None:
        index = self.results.indexOfTopLevelItem(self.results.currentItem())
        count = self.results.topLevelItemCount()
        while 0 <= index + step < count:
            index += step
            item = self.results.topLevelItem(index)
            if item.data(0, HIT_ROLE) is not None:
                self.results.setCurrentItem(item)
                return

    def _open_current(self) -> None:
        item = self.results.currentItem()
        if item is not None:
            self._open(item)

    def _open(self, item: QTreeWidgetItem) -> None:
        hit = item.data(0, HIT_ROLE)
        if hit is not None:
            self.open_hit.emit(hit)
            self.accept()
