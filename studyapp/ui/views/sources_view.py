"""The Sources view: the library on the left, the selected source on the right."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QFont,
    QFontMetrics,
    QKeySequence,
    QPainter,
    QPalette,
    QShortcut,
    QTextLayout,
)
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from studyapp.core.bookmarks import Target, list_bookmarks
from studyapp.core.document import display_date
from studyapp.core.library import (
    SourceSummary,
    get_source,
    list_sources,
    resolve_wiki_target,
    wiki_targets,
)
from studyapp.core.render import RenderContext
from studyapp.ui.changes import Changes
from studyapp.ui.text import plain_tooltip
from studyapp.ui.widgets.find_bar import FindBar
from studyapp.ui.widgets.focus import draw_focus_ring, soften_unfocused
from studyapp.ui.widgets.source_viewer import Mark, SourceViewer

SOURCE_ID_ROLE = Qt.UserRole
SUBTITLE_ROLE = Qt.UserRole + 1


class _SourceDelegate(QStyledItemDelegate):
    """Two parts per source: the title (bold, up to three lines) and kind · outlet · date."""

    PADDING = 8

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        title = QFont(option.font)
        title.setBold(True)
        subtitle = QFont(option.font)
        subtitle.setPointSizeF(max(option.font.pointSizeF() * 0.88, 7.0))
        return title, subtitle

    def _title_rect(self, option: QStyleOptionViewItem, text: str) -> QRect:
        title_font, _ = self._fonts(option)
        view = option.widget
        full = view.viewport().width() if view is not None else option.rect.width()
        width = max(full, 200) - 2 * self.PADDING
        metrics = QFontMetrics(title_font)
        bounds = metrics.boundingRect(QRect(0, 0, width, 1000), Qt.TextWordWrap, text)
        return QRect(0, 0, width, min(bounds.height(), metrics.lineSpacing() * 3))

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        _, subtitle_font = self._fonts(option)
        title = self._title_rect(option, index.data(Qt.DisplayRole))
        height = title.height() + QFontMetrics(subtitle_font).lineSpacing() + 3 * self.PADDING
        return QSize(option.rect.width(), height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        option = QStyleOptionViewItem(option)
        self.initStyleOption(option, index)
        soften_unfocused(option, option.widget)
        style = option.widget.style() if option.widget else None
        text = option.text
        option.text = ""
        if style:
            style.drawControl(QStyle.CE_ItemViewItem, option, painter, option.widget)
        selected = bool(option.state & QStyle.State_Selected)
        palette = option.palette
        text_color = palette.color(QPalette.HighlightedText if selected else QPalette.Text)
        title_font, subtitle_font = self._fonts(option)
        title_rect = self._title_rect(option, text).translated(
            option.rect.left() + self.PADDING, option.rect.top() + self.PADDING
        )
        painter.save()
        painter.setFont(title_font)
        painter.setPen(text_color)
        painter.drawText(title_rect, Qt.TextWordWrap, _elided_lines(text, title_font, title_rect))
        painter.setFont(subtitle_font)
        muted = QPalette.HighlightedText if selected else QPalette.PlaceholderText
        painter.setPen(palette.color(muted))
        sub_rect = QRect(
            title_rect.left(),
            title_rect.bottom() + self.PADDING // 2,
            title_rect.width(),
            QFontMetrics(subtitle_font).lineSpacing(),
        )
        subtitle = QFontMetrics(subtitle_font).elidedText(
            index.data(SUBTITLE_ROLE) or "", Qt.ElideRight, sub_rect.width()
        )
        painter.drawText(sub_rect, Qt.AlignLeft | Qt.AlignVCenter, subtitle)
        painter.restore()
        draw_focus_ring(painter, option)


def _elided_lines(text: str, font: QFont, rect: QRect, lines: int = 3) -> str:
    """The title in at most ``lines`` lines, the last ending in "…" when it does not all fit."""
    layout = QTextLayout(text, font)
    layout.beginLayout()
    starts = []
    while (line := layout.createLine()).isValid():
        line.setLineWidth(rect.width())
        starts.append(line.textStart())
    layout.endLayout()
    if len(starts) <= lines:
        return text
    last = starts[lines - 1]
    tail = QFontMetrics(font).elidedText(text[last:], Qt.ElideRight, rect.width())
    return text[:last].rstrip() + "\n" + tail


def subtitle_for(summary: SourceSummary) -> str:
    source = summary.source
    parts = [
        source.kind.label,
        source.outlet or ", ".join(source.authors),
        display_date(source.date),
    ]
    return " · ".join(p for p in parts if p)


class SourcesView(QWidget):
    """Lists the sources; shows the chosen one; follows links between sources."""

    source_shown = Signal(str)
    bookmark_clicked = Signal(int)  # a bookmark's id, clicked where it is marked in the text

    def __init__(self, db: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.list = QListWidget()
        self.list.setObjectName("sourceList")
        self.list.setItemDelegate(_SourceDelegate(self.list))
        self.list.setWordWrap(True)
        self.list.setUniformItemSizes(False)
        self.list.setResizeMode(QListWidget.Adjust)  # rows measured again at a new width
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.list.setAccessibleName("Sources")
        self.list.currentItemChanged.connect(self._current_changed)
        self.viewer = SourceViewer()
        self.viewer.setAccessibleName("Source text")
        self.viewer.internal_link.connect(self._internal_link)
        self.viewer.mark_clicked.connect(self.bookmark_clicked)

        self.empty = QLabel("No sources loaded yet.")
        self.empty.setAlignment(Qt.AlignCenter)
        self.empty.setWordWrap(True)
        self.find_bar = FindBar(self.viewer)
        self.find_box = self.find_bar.box
        reader = QWidget()
        reader_column = QVBoxLayout(reader)
        reader_column.setContentsMargins(0, 0, 0, 0)
        reader_column.setSpacing(0)
        reader_column.addWidget(self.viewer, 1)
        reader_column.addWidget(self.find_bar)
        self.right = QStackedWidget()
        self.right.addWidget(self.empty)
        self.right.addWidget(reader)
        self.reader = reader

        splitter = QSplitter(Qt.Horizontal)
        splitter.addWidget(self.list)
        splitter.addWidget(self.right)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([2, 5])  # the list takes two sevenths, at any window size
        splitter.setChildrenCollapsible(False)
        self.list.setMinimumWidth(240)
        # Ctrl+B: the whole width for the text (a small window, large print), and back.
        toggle = QShortcut(QKeySequence("Ctrl+B"), self, context=Qt.WidgetWithChildrenShortcut)
        toggle.activated.connect(self.toggle_list)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self._wiki_targets: dict[str, str] = {}

    def toggle_list(self) -> None:
        """Hide the list of sources to read at full width, or show it again."""
        hiding = not self.list.isHidden()
        self.list.setVisible(not hiding)
        (self.viewer if hiding else self.list).setFocus(Qt.ShortcutFocusReason)

    def on_changed(self, changes: Changes) -> None:
        if changes.content or changes.database:
            self.refresh()
        elif changes.bookmarks:
            self._mark_bookmarks()

    def _mark_bookmarks(self) -> None:
        """The learner's bookmarked passages and quotes of this source, marked in its text."""
        source = self.viewer.source
        if source is None:
            return
        self.viewer.set_marks(
            [
                Mark(
                    mark.id,
                    mark.target_id,
                    mark.quote if mark.kind == "selection" else "",
                    mark.note,
                )
                for mark in list_bookmarks(self.db)
                if mark.source_id == source.id
                and mark.kind in ("passage", "selection")
                and not mark.orphaned
            ]
        )

    def refresh(self) -> None:
        """Reload the list from the database, keeping the current source if it still exists."""
        current = self.current_source_id()
        summaries = list_sources(self.db)
        self._wiki_targets = wiki_targets(self.db)
        self.list.blockSignals(True)
        self.list.clear()
        for summary in summaries:
            item = QListWidgetItem(summary.source.title)
            item.setData(SOURCE_ID_ROLE, summary.source.id)
            item.setData(SUBTITLE_ROLE, subtitle_for(summary))
            item.setToolTip(
                plain_tooltip(
                    f"{summary.source.title}\n{subtitle_for(summary)}\n"
                    f"{summary.passage_count} passages · {summary.file_name}"
                )
            )
            self.list.addItem(item)
        self.list.blockSignals(False)
        if not summaries:
            self.viewer.source = None
            self.set_empty_message("No sources loaded yet.")
            self.right.setCurrentWidget(self.empty)
            return
        ids = [s.source.id for s in summaries]
        self.open_source(current if current in ids else ids[0])

    def set_empty_message(self, message: str) -> None:
        self.empty.setText(message)

    def current_source_id(self) -> str | None:
        item = self.list.currentItem()
        return item.data(SOURCE_ID_ROLE) if item else None

    def _current_changed(self, item: QListWidgetItem | None, _previous) -> None:
        if item is not None:
            self._show(item.data(SOURCE_ID_ROLE))

    def open_source(
        self, source_id: str, passage_id: str = "", quote: str = "", force: bool = False
    ) -> bool:
        """Show a source, scrolled to a passage with its quote highlighted if given."""
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(SOURCE_ID_ROLE) == source_id:
                if self.list.currentItem() is not item:
                    self.list.setCurrentItem(item)  # shows it through _current_changed
                elif force or self.viewer.source is None or self.viewer.source.id != source_id:
                    self._show(source_id)
                if passage_id:
                    return self.viewer.show_passage(passage_id, quote)
                return True
        return False

    def _show(self, source_id: str) -> None:
        source = get_source(self.db, source_id)
        if source is None:
            return
        context = RenderContext(
            video_url=source.video_url,
            resolve_wiki=lambda target: resolve_wiki_target(self._wiki_targets, target),
        )
        self.viewer.show_source(source, context)
        self._mark_bookmarks()
        self.right.setCurrentWidget(self.reader)
        self.source_shown.emit(source_id)

    def bookmark_target(self) -> Target | None:
        """For Ctrl+D: the selected words, else the passage at the cursor when reading, else
        the whole source."""
        source = self.viewer.source
        if source is None:
            return None
        cursor = self.viewer.textCursor()
        if cursor.hasSelection():
            words = cursor.selectedText().replace("\u2029", "\n").replace("\u2028", "\n")
            words = " ".join(words.replace("\u00a0", " ").split())
            passage = self.viewer.passage_at(cursor.selectionStart())
            if passage and words:
                return Target("selection", passage, source.id, words)
        if self.viewer.hasFocus() or self.viewer.highlighted_text():
            passage_id = self.viewer.passage_at(cursor.position())
            passage = next((p for p in source.passages if p.id == passage_id), None)
            if passage:
                return Target("passage", passage.id, source.id, passage.text)
        return Target("source", source.id, source.id, source.title)

    def show_find(self) -> None:
        self.find_bar.open()

    def reading_place(self) -> tuple[str, str] | None:
        """(source id, passage id) of the passage at the top of the reader."""
        if self.viewer.source is None:
            return None
        top = self.viewer.cursorForPosition(QPoint(self.viewer.viewport().width() // 2, 8))
        return self.viewer.source.id, self.viewer.passage_at(top.position()) or ""

    def scroll_to_passage(self, passage_id: str) -> None:
        """Back where the learner was reading: that passage at the top, nothing highlighted."""
        if passage_id:
            self.viewer.scroll_to(passage_id)

    def focus_content(self) -> None:
        if self.right.currentWidget() is self.reader and self.list.hasFocus():
            self.viewer.setFocus(Qt.OtherFocusReason)
        else:
            self.list.setFocus(Qt.OtherFocusReason)

    def _internal_link(self, kind: str, ident: str) -> None:
        if kind == "source":
            self.open_source(ident)
