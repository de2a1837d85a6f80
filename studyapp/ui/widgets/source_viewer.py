"""A read-only viewer of one source that can scroll to a passage and highlight its words.

It never fetches anything: no images or other resources are loaded, and links do nothing
until clicked. Internal links (other sources) are signalled to the window; web links open
in the system browser. A long source is shown in parts of about PAGE_CHARS characters, with
links between them: laying out a whole 5 MB document took minutes.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QRegularExpression, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QTextBrowser, QTextEdit

from studyapp.core.document import header_html, passages_html
from studyapp.core.models import Source
from studyapp.core.render import INTERNAL_SCHEME, RenderContext, internal_url
from studyapp.ui.theme import document_css, highlight_color, passage_color


class SourceViewer(QTextBrowser):
    internal_link = Signal(str, str)  # kind ("source"), id

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
        self.source: Source | None = None
        self._anchors: dict[str, tuple[int, int]] = {}  # passage id -> (start, end)
        self._context = RenderContext()
        self._parts: list[tuple[int, int]] = []  # passage index ranges, one per part
        self._part_of: dict[str, int] = {}  # passage id -> its part
        self.part = 0

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
        self.document().setDefaultStyleSheet(document_css(self.palette()))
        self.setHtml(html + nav + passages_html(shown, self._context) + nav)
        self._center_text()
        self._anchors = self._find_passages(shown)
        self.setExtraSelections([])

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

    def show_passage(self, passage_id: str, quote: str = "") -> bool:
        """Scroll to a passage and highlight it, and within it ``quote`` if given."""
        if self._part_of.get(passage_id, self.part) != self.part:
            self.show_part(self._part_of[passage_id])
        span = self.passage_span(passage_id)
        if span is None:
            return False
        start, end = span
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
        self.setExtraSelections(selections)
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
        """The text of each highlight, outermost first (for tests and accessibility)."""
        return [s.cursor.selectedText() for s in self.extraSelections()]
