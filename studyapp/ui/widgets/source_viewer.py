"""A read-only viewer of one source that can scroll to a passage and highlight its words.

It never fetches anything: no images or other resources are loaded, and links do nothing
until clicked. Internal links (other sources) are signalled to the window; web links open
in the system browser. A long source is shown in parts of about PAGE_CHARS characters, with
links between them: laying out a whole 5 MB document took minutes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import QEvent, QRegularExpression, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QMenu, QTextBrowser, QTextEdit, QToolTip

from studyapp.core.document import header_html, passages_html
from studyapp.core.models import Source
from studyapp.core.render import INTERNAL_SCHEME, RenderContext, internal_url
from studyapp.ui.text import plain_tooltip
from studyapp.ui.theme import document_css, highlight_color, mark_color, passage_color


@dataclass(frozen=True)
class Mark:
    """A bookmark of the learner's, as the text shows it again."""

    bookmark_id: int
    passage_id: str
    quote: str  # "" for a whole passage
    note: str


class SourceViewer(QTextBrowser):
    internal_link = Signal(str, str)  # kind ("source"), id
    mark_clicked = Signal(int)  # a bookmark's id: its note is to be shown

    MAX_TEXT_WIDTH = 760  # pixels; about 90 characters a line, a comfortable reading measure
    MIN_MARGIN = 24
    PAGE_CHARS = 60_000  # characters of text in one part of a long source (a 100-page book
    # has about 30 parts); the whole of any shipped source fits in one

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setReadOnly(True)
        self.anchorClicked.connect(self._follow)
        # A caret for the keyboard: Shift+arrows select words to bookmark, as a mouse does.
        self.setTextInteractionFlags(Qt.TextBrowserInteraction | Qt.TextSelectableByKeyboard)
        self.source: Source | None = None
        self._context: RenderContext | None = None
        self._css = ""
        self._anchors: dict[str, tuple[int, int]] = {}  # passage id -> (start, end)
        self._shown_place: tuple[str, str] | None = None  # passage and quote highlighted
        self._focus: list[QTextEdit.ExtraSelection] = []  # that passage and quote
        self._marks: list[Mark] = []
        self._mark_spans: list[tuple[int, int, Mark]] = []
        self._context = RenderContext()
        self._parts: list[tuple[int, int]] = []  # passage index ranges, one per part
        self._part_of: dict[str, int] = {}  # passage id -> its part
        self.part = 0
        self.menu_actions: tuple[QAction, ...] = ()  # the window's: Bookmark, Find

    def context_menu(self, pos) -> QMenu:
        """Right-click: the window's own actions on the text (Bookmark, Find) above the
        standard ones (Copy, Select all, Copy link location)."""
        menu = self.createStandardContextMenu(pos)
        first = menu.actions()[0] if menu.actions() else None
        menu.insertActions(first, list(self.menu_actions))
        if self.menu_actions and first is not None:
            menu.insertSeparator(first)
        return menu

    def contextMenuEvent(self, event) -> None:
        menu = self.context_menu(event.pos())
        menu.exec(event.globalPos())
        menu.deleteLater()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._center_text()

    def _center_text(self) -> None:
        """Keep lines at a reading measure, centred, however wide the window is."""
        spare = self.viewport().width() - self.MAX_TEXT_WIDTH
        side = max(self.MIN_MARGIN, spare // 2)
        frame = self.document().rootFrame()
        fmt = frame.frameFormat()
        if fmt.leftMargin() != side:
            fmt.setLeftMargin(side)
            fmt.setRightMargin(side)
            fmt.setTopMargin(self.MIN_MARGIN)
            fmt.setBottomMargin(self.MIN_MARGIN * 2)
            frame.setFrameFormat(fmt)

    # The viewer shows only what the sanitizer let through and never loads a resource:
    # no remote images, no local files.
    def loadResource(self, resource_type: int, url: QUrl):
        return None

    def open_external(self, url: QUrl) -> None:
        QDesktopServices.openUrl(url)

    def _follow(self, url: QUrl) -> None:
        if url.scheme() == INTERNAL_SCHEME:
            kind, _, ident = url.path().partition("/")
            if kind == "part" and ident.isdigit():
                self.show_part(int(ident))
            else:
                self.internal_link.emit(kind, ident)
        elif url.scheme() in ("http", "https", "mailto"):
            self.open_external(url)

    def show_source(self, source: Source, context: RenderContext, part: int = 0) -> None:
        self.source, self._context = source, context
        self._marks = []
        self._parts = self._split_parts(source)
        self._part_of = {
            source.passages[i].id: n
            for n, (first, end) in enumerate(self._parts)
            for i in range(first, end)
        }
        self.show_part(part)

    def _split_parts(self, source: Source) -> list[tuple[int, int]]:
        parts, first, size = [], 0, 0
        for i, passage in enumerate(source.passages):
            if size and size + len(passage.text) > self.PAGE_CHARS:
                parts.append((first, i))
                first, size = i, 0
            size += len(passage.text)
        parts.append((first, len(source.passages)))
        return parts

    @property
    def part_count(self) -> int:
        return len(self._parts)

    def show_part(self, part: int) -> None:
        """Show one part of the source (the only one, for all but very long sources)."""
        source = self.source
        if source is None:
            return
        self.part = max(0, min(part, len(self._parts) - 1))
        first, end = self._parts[self.part]
        shown = replace(source, passages=source.passages[first:end])
        html = header_html(source) if self.part == 0 else ""
        nav = self._part_links() if len(self._parts) > 1 else ""
        self._css = document_css(self.palette())
        self.document().setDefaultStyleSheet(self._css)
        self.setHtml(html + nav + passages_html(shown, self._context) + nav)
        self._center_text()
        self._anchors = self._find_passages(shown)
        self._shown_place = None
        self._focus = []
        self.set_marks(self._marks)  # those in this part

    def _part_links(self) -> str:
        links = []
        if self.part > 0:
            links.append(
                f'<a href="{internal_url("part", str(self.part - 1))}">◀ Previous part</a>'
            )
        links.append(f"Part {self.part + 1} of {len(self._parts)}")
        if self.part + 1 < len(self._parts):
            links.append(f'<a href="{internal_url("part", str(self.part + 1))}">Next part ▶</a>')
        return '<p class="parts">' + " &nbsp;·&nbsp; ".join(links) + "</p>"

    def changeEvent(self, event) -> None:
        """In a new theme, the source again in its colours, at the same place."""
        super().changeEvent(event)
        if event.type() == QEvent.PaletteChange and self.source is not None:
            QTimer.singleShot(0, self._redraw)  # once every widget has the new palette

    def _redraw(self) -> None:
        if self.source is not None and document_css(self.palette()) != self._css:
            position = self.verticalScrollBar().value()
            place = self._shown_place
            self.show_part(self.part)
            if place:
                self.show_passage(*place)
            self.verticalScrollBar().setValue(position)

    # The learner's bookmarks, marked in the text; a click on one shows its note.
    def set_marks(self, marks: list[Mark]) -> None:
        self._marks = list(marks)
        self._mark_spans = []
        for mark in self._marks:
            span = self.passage_span(mark.passage_id)
            if span is None:
                continue
            start, end = span
            if mark.quote:
                found = self.document().find(
                    self._quote_pattern(mark.passage_id, mark.quote), start
                )
                if found.isNull() or found.selectionEnd() > end:
                    continue
                start, end = found.selectionStart(), found.selectionEnd()
            self._mark_spans.append((start, end, mark))
        self._update_selections()

    def _update_selections(self) -> None:
        color = mark_color(self.palette())
        marks = []
        for start, end, _mark in self._mark_spans:
            selection = self._selection(start, end, color)
            fmt = QTextCharFormat(selection.format)
            fmt.setUnderlineStyle(QTextCharFormat.DotLine)
            selection.format = fmt
            marks.append(selection)
        self.setExtraSelections(marks + self._focus)

    def mark_at(self, position: int) -> Mark | None:
        """The learner's bookmark at a document position (the innermost), if any."""
        found = [
            (end - start, mark) for start, end, mark in self._mark_spans if start <= position < end
        ]
        return min(found, key=lambda pair: pair[0])[1] if found else None

    def marked_text(self) -> list[str]:
        """The text of each of the learner's marks (for tests and accessibility)."""
        texts = []
        for start, end, _ in self._mark_spans:
            cursor = QTextCursor(self.document())
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.KeepAnchor)
            texts.append(cursor.selectedText())
        return texts

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        if event.button() != Qt.LeftButton or self.textCursor().hasSelection():
            return
        position = self.cursorForPosition(event.position().toPoint()).position()
        if not self.anchorAt(event.position().toPoint()) and (mark := self.mark_at(position)):
            self.mark_clicked.emit(mark.bookmark_id)

    def keyPressEvent(self, event) -> None:
        """Enter on a marked passage (no link there) shows its note, as a click does."""
        cursor = self.textCursor()
        on_link = cursor.charFormat().isAnchor()
        if event.key() in (Qt.Key_Return, Qt.Key_Enter) and not on_link:
            mark = self.mark_at(cursor.position())
            if mark is not None:
                self.mark_clicked.emit(mark.bookmark_id)
                return
        super().keyPressEvent(event)

    def event(self, event) -> bool:
        if event.type() == QEvent.ToolTip:
            mark = self.mark_at(
                self.cursorForPosition(self.viewport().mapFrom(self, event.pos())).position()
            )
            if mark is not None:
                note = plain_tooltip(mark.note or "Your bookmark (no note)")
                QToolTip.showText(event.globalPos(), note, self)
                return True
        return super().event(event)

    def _find_passages(self, source: Source) -> dict[str, tuple[int, int]]:
        """Where each passage starts and ends in the document, found from its anchor."""
        starts: dict[str, int] = {}
        block = self.document().begin()
        while block.isValid():
            iterator = block.begin()
            while not iterator.atEnd():
                fragment = iterator.fragment()
                for name in fragment.charFormat().anchorNames():
                    starts.setdefault(name, fragment.position())
                iterator += 1
            block = block.next()
        ordered = [p.id for p in source.passages if p.id in starts]
        end_of_document = self.document().characterCount() - 1
        spans = {}
        for i, passage_id in enumerate(ordered):
            end = starts[ordered[i + 1]] if i + 1 < len(ordered) else end_of_document
            spans[passage_id] = (starts[passage_id], end)
        return spans

    def passage_at(self, position: int) -> str | None:
        """The id of the passage that holds a document position."""
        for passage_id, (start, end) in self._anchors.items():
            if start <= position < end:
                return passage_id
        return None

    def passage_span(self, passage_id: str) -> tuple[int, int] | None:
        return self._anchors.get(passage_id)

    def scroll_to(self, passage_id: str) -> bool:
        """A passage at the top of the reader, nothing highlighted (where one was reading)."""
        if self._part_of.get(passage_id, self.part) != self.part:
            self.show_part(self._part_of[passage_id])
        span = self.passage_span(passage_id)
        if span is None:
            return False
        cursor = QTextCursor(self.document())
        cursor.setPosition(span[0])
        self.setTextCursor(cursor)
        bar = self.verticalScrollBar()
        bar.setValue(self.cursorRect(cursor).top() + bar.value() - 8)
        return True

    def show_passage(self, passage_id: str, quote: str = "") -> bool:
        """Scroll to a passage and highlight it, and within it ``quote`` if given."""
        if self._part_of.get(passage_id, self.part) != self.part:
            self.show_part(self._part_of[passage_id])
        span = self.passage_span(passage_id)
        if span is None:
            return False
        start, end = span
        self._shown_place = (passage_id, quote)
        selections = [self._selection(start, end, passage_color(self.palette()))]
        if quote:
            found = self.document().find(self._quote_pattern(passage_id, quote), start)
            if not found.isNull() and found.selectionEnd() <= end:
                selections.append(
                    self._selection(
                        found.selectionStart(),
                        found.selectionEnd(),
                        highlight_color(self.palette()),
                    )
                )
        self._focus = selections
        self._update_selections()
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        self.setTextCursor(cursor)
        # Put the passage a fifth of the way down, so the lines before it give context.
        bar = self.verticalScrollBar()
        top = self.cursorRect(cursor).top() + bar.value()
        bar.setValue(max(0, top - self.viewport().height() // 5))
        return True

    def _quote_pattern(self, passage_id: str, quote: str) -> QRegularExpression:
        """The quote as the document shows it: timestamp chips may sit inside it (where the
        passage's timestamps say), and a line break is the document's line separator."""
        passage = next((p for p in self.source.passages if p.id == passage_id), None)
        start = passage.text.find(quote) if passage else -1
        cuts = (
            sorted(
                {t.offset - start for t in passage.timestamps if 0 < t.offset - start < len(quote)}
            )
            if start >= 0
            else []
        )
        pieces = [quote[a:b] for a, b in zip([0, *cuts], [*cuts, len(quote)], strict=True)]
        chip = "[\\s\u00a0]*(?:\u25b6[\\s\u00a0]*[\\d:]+[\\s\u00a0]*)+"
        escaped = [
            QRegularExpression.escape(piece).replace("\\\n", "[\u2028\\n ]") for piece in pieces
        ]
        return QRegularExpression(chip.join(escaped))

    def _selection(self, start: int, end: int, color) -> QTextEdit.ExtraSelection:
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.KeepAnchor)
        selection.cursor = cursor
        fmt = QTextCharFormat()
        fmt.setBackground(color)
        selection.format = fmt
        return selection

    def highlighted_text(self) -> list[str]:
        """The text of the passage and quote highlighted, outermost first (for tests and
        accessibility); the learner's own marks are in marked_text."""
        return [s.cursor.selectedText() for s in self._focus]
