"""The Mechanisms view: every card with its mastery and due count, and one card's page."""

from __future__ import annotations

import html
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QEvent, QModelIndex, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from studyapp.core.bookmarks import Target
from studyapp.core.content import Content
from studyapp.core.document import display_date
from studyapp.core.knowledge import stored_content
from studyapp.core.library import get_source_header
from studyapp.core.models import Evidence, Fact, Mechanism, format_seconds
from studyapp.core.review import HYPOTHESIS_NOTE, chain_note
from studyapp.core.stats import MechanismProgress, mechanism_progress
from studyapp.ui.changes import Changes
from studyapp.ui.fonts import HEADING, TITLE, set_font_scale
from studyapp.ui.text import plain_tooltip
from studyapp.ui.theme import track_color
from studyapp.ui.widgets.chain_diagram import ChainDiagram
from studyapp.ui.widgets.column import centered_column
from studyapp.ui.widgets.flow import flow_row
from studyapp.ui.widgets.focus import draw_focus_ring, soften_unfocused

MECHANISM_ROLE = Qt.UserRole
SUMMARY_ROLE = Qt.UserRole + 1
PROGRESS_ROLE = Qt.UserRole + 2

# Evidence badges: the strongest human evidence reads green, press claims grey.
EVIDENCE_COLORS = {
    Evidence.HUMAN_TRIAL: "#2e7d32",
    Evidence.GENETIC: "#1565c0",
    Evidence.OBSERVATIONAL: "#6a1b9a",
    Evidence.ANIMAL: "#ad5a00",
    Evidence.REVIEW: "#455a64",
    Evidence.HYPOTHESIS: "#8d6e00",
    Evidence.PRESS: "#757575",
}


def evidence_badge(evidence: Evidence) -> str:
    color = EVIDENCE_COLORS[evidence]
    return (
        f'<span style="background-color:{color}; color:white;">'
        f"&nbsp;{html.escape(evidence.label)}&nbsp;</span>"
    )


class _CardDelegate(QStyledItemDelegate):
    """Title, a one-line summary, a mastery bar and the due count."""

    PAD = 10

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        line = QFontMetrics(option.font).lineSpacing()
        return QSize(option.rect.width(), 3 * line + 6 + 3 * self.PAD)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        option = QStyleOptionViewItem(option)
        self.initStyleOption(option, index)
        soften_unfocused(option, option.widget)
        title = option.text
        option.text = ""
        style = option.widget.style() if option.widget else None
        if style:
            style.drawControl(QStyle.CE_ItemViewItem, option, painter, option.widget)
        selected = bool(option.state & QStyle.State_Selected)
        palette = option.palette
        text = palette.color(QPalette.HighlightedText if selected else QPalette.Text)
        muted = palette.color(QPalette.HighlightedText if selected else QPalette.PlaceholderText)
        progress: MechanismProgress = index.data(PROGRESS_ROLE)
        rect = option.rect.adjusted(self.PAD, self.PAD, -self.PAD, -self.PAD)
        metrics = QFontMetrics(option.font)
        line = metrics.lineSpacing()
        painter.save()
        bold = QFont(option.font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(text)
        due = f"{progress.due} due" if progress.due else ""
        due_width = metrics.horizontalAdvance(due) + 8
        title_rect = QRect(rect.left(), rect.top(), rect.width() - due_width, line)
        painter.drawText(
            title_rect,
            Qt.AlignLeft | Qt.AlignVCenter,
            QFontMetrics(bold).elidedText(title, Qt.ElideRight, title_rect.width()),
        )
        painter.setFont(option.font)
        if due:
            painter.setPen(palette.color(QPalette.Link) if not selected else text)
            painter.drawText(
                QRect(rect.right() - due_width, rect.top(), due_width, line),
                Qt.AlignRight | Qt.AlignVCenter,
                due,
            )
        painter.setPen(muted)
        summary = metrics.elidedText(index.data(SUMMARY_ROLE), Qt.ElideRight, rect.width())
        painter.drawText(
            QRect(rect.left(), rect.top() + line, rect.width(), line),
            Qt.AlignLeft | Qt.AlignVCenter,
            summary,
        )
        label = f"{progress.mastery:.0%} mastered · {progress.items} questions"
        label_width = metrics.horizontalAdvance(label) + 10
        bar = QRect(rect.left(), rect.top() + 2 * line + 8, rect.width() - label_width - 10, 6)
        painter.setPen(Qt.NoPen)
        painter.setBrush(track_color(palette))
        painter.drawRoundedRect(bar, 3, 3)
        if progress.mastery:
            painter.setBrush(palette.color(QPalette.Highlight) if not selected else text)
            filled = QRect(bar.left(), bar.top(), max(6, int(bar.width() * progress.mastery)), 6)
            painter.drawRoundedRect(filled, 3, 3)
        painter.setPen(muted)
        painter.drawText(
            QRect(bar.right() + 10, rect.top() + 2 * line + 2, label_width, line),
            Qt.AlignLeft | Qt.AlignVCenter,
            label,
        )
        painter.restore()
        draw_focus_ring(painter, option)


def first_sentence(text: str) -> str:
    text = " ".join(text.split())
    end = text.find(". ")
    return text if end == -1 else text[: end + 1]


class MechanismPage(QScrollArea):
    """One card: summary, the causal chain, key facts with evidence and sources, related."""

    open_fact_source = Signal(str)  # fact id
    open_mechanism = Signal(str)
    study = Signal(str)
    back_to_list = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setAccessibleName("Mechanism card")
        self.mechanism: Mechanism | None = None
        self._db: Database | None = None
        self._content: Content | None = None
        self._titles: dict[str, str] = {}
        self._link_colour = ""
        body, self.column = centered_column(characters=150, margins=(28, 12, 28, 28))
        self.back_button = QPushButton("← All mechanisms (Backspace)")
        self.back_button.setAccessibleName("Back to all mechanisms")
        self.back_button.setFlat(True)
        self.back_button.clicked.connect(self.back_to_list)
        self.title = set_font_scale(QLabel(), TITLE, bold=True)
        self.title.setTextFormat(Qt.PlainText)  # content text: never HTML (no images)
        self.title.setObjectName("cardTitle")
        self.title.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.PlainText)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.study_button = QPushButton("Study this mechanism")
        self.study_button.setDefault(True)
        self.study_button.clicked.connect(lambda: self.study.emit(self.mechanism.id))
        self.save_button = QPushButton("Save diagram as PNG…")
        self.save_button.clicked.connect(self._save_diagram)
        self.diagram = ChainDiagram()
        self.chain_sources = self._section_label()
        self.facts = self._section_label()
        self.sources = self._section_label()
        self.related = self._section_label()
        self.column.addWidget(self.back_button, 0, Qt.AlignLeft)
        for widget in (self.title, self.summary):
            self.column.addWidget(widget)
        self.column.addWidget(flow_row(self.study_button, self.save_button))
        self.chain_heading = self._heading("Causal chain")
        self.column.addWidget(self.chain_heading)
        self.column.addWidget(self.diagram)
        self.column.addWidget(self.chain_sources)
        self.column.addWidget(self._heading("Key facts"))
        self.column.addWidget(self.facts)
        self.column.addWidget(self._heading("Sources"))
        self.column.addWidget(self.sources)
        self.column.addWidget(self._heading("Related mechanisms"))
        self.column.addWidget(self.related)
        self.column.addStretch(1)
        self.setWidget(body)

    def _heading(self, text: str) -> QLabel:
        label = set_font_scale(QLabel(text), HEADING, bold=True)
        label.setContentsMargins(0, 10, 0, 0)
        return label

    def _section_label(self) -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setTextFormat(Qt.RichText)
        label.setOpenExternalLinks(False)
        label.setTextInteractionFlags(Qt.TextBrowserInteraction)
        # Tab moves through the links (the one with the keyboard has a dotted frame); the
        # block that has the keyboard is framed too, so that it is seen from afar.
        label.setStyleSheet(
            "QLabel { border: 2px solid transparent; border-radius: 4px; padding: 2px; }"
            " QLabel:focus { border-color: palette(text); }"
        )
        label.linkActivated.connect(self._link)
        return label

    def _link(self, url: str) -> None:
        kind, _, ident = url.partition(":")
        if kind == "fact":
            self.open_fact_source.emit(ident)
        elif kind == "mechanism":
            self.open_mechanism.emit(ident)

    def show_mechanism(
        self, db: Database, content: Content, mechanism: Mechanism, titles: dict[str, str]
    ) -> None:
        self.mechanism = mechanism
        self._db, self._content, self._titles = db, content, titles
        # Links in the theme's colour, named: rich text keeps the colour it was given.
        self._link_colour = QApplication.palette().color(QPalette.Link).name()
        self.title.setText(mechanism.title)
        self.summary.setText(mechanism.summary)
        self.chain_heading.setText("Causal chain" if mechanism.ordered else "Steps, side by side")
        self.diagram.set_steps(mechanism.steps, arrows=mechanism.ordered)
        self.chain_sources.setText(self._chain_html(db, mechanism))
        facts = content.facts_of(mechanism.id)
        self.facts.setText("".join(self._fact_html(db, f) for f in facts))
        sources = dict.fromkeys(f.source_id for f in facts)
        lines = []
        for source_id in sources:
            source = get_source_header(db, source_id)
            if source:
                cite = " · ".join(
                    p for p in (source.byline, display_date(source.date), source.kind.label) if p
                )
                lines.append(f"<p><b>{html.escape(source.title)}</b><br>{html.escape(cite)}</p>")
        self.sources.setText("".join(lines))
        self.related.setText(
            " · ".join(
                f'<a href="mechanism:{r}" style="color:{self._link_colour}">'
                f"{html.escape(titles.get(r, r))}</a>"
                for r in mechanism.related
            )
            or "None"
        )
        self.verticalScrollBar().setValue(0)

    def _chain_html(self, db: Database, mechanism: Mechanism) -> str:
        """Where each step comes from, and whether the chain is a hypothesis or unordered."""
        note = chain_note(db, mechanism)
        lines = []
        if note.hypothesis:
            lines.append(f"<p><b>{html.escape(HYPOTHESIS_NOTE)}</b></p>")
        if not mechanism.ordered:
            lines.append("<p>The sources give these steps no order: read them side by side.</p>")
        for number, step in enumerate(note.steps, start=1):
            where = (
                f' · <a href="fact:{step.fact_id}" style="color:{self._link_colour}">'
                f"{html.escape(step.where)}</a>"
                if step.fact_id
                else ""
            )
            lines.append(f"{number}. {html.escape(step.text)} — {html.escape(step.label)}{where}")
        return "<br>".join(lines)

    def _fact_html(self, db: Database, fact: Fact) -> str:
        source = get_source_header(db, fact.source_id)
        where = source.title if source else fact.source_id
        if fact.timestamp is not None:
            where += f" ▶ {format_seconds(fact.timestamp)}"
        return (
            f"<p>{html.escape(fact.statement)}<br>{evidence_badge(fact.evidence)} "
            f'<a href="fact:{fact.id}" style="color:{self._link_colour}">'
            f"{html.escape(where)}</a></p>"
        )

    def changeEvent(self, event) -> None:
        """Links and badges in the new theme's colours (rich text keeps the old ones)."""
        super().changeEvent(event)
        if event.type() == QEvent.PaletteChange and self.mechanism and self._db is not None:
            QTimer.singleShot(0, self._redraw)  # once every widget has the new palette

    def _redraw(self) -> None:
        link = QApplication.palette().color(QPalette.Link).name()
        if self.mechanism and self._db is not None and link != self._link_colour:
            position = self.verticalScrollBar().value()
            self.show_mechanism(self._db, self._content, self.mechanism, self._titles)
            self.verticalScrollBar().setValue(position)

    def ask_save_path(self) -> str:
        name = f"{self.mechanism.id}.png" if self.mechanism else "chain.png"
        path, _ = QFileDialog.getSaveFileName(self, "Save diagram as PNG", name, "PNG (*.png)")
        return path

    def _save_diagram(self) -> None:
        path = self.ask_save_path()
        if path:
            self.diagram.save_png(Path(path))


class MechanismsView(QWidget):
    open_fact_source = Signal(str)
    study = Signal(str)
    mechanism_shown = Signal(str)  # "" for the list

    def __init__(self, db: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.content = stored_content(db)
        self.list = QListWidget()
        self.list.setObjectName("mechanismList")
        self.list.setItemDelegate(_CardDelegate(self.list))
        self.list.setAccessibleName("Mechanisms")
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.list.setUniformItemSizes(True)
        self.list.itemActivated.connect(lambda item: self.show_mechanism(item.data(MECHANISM_ROLE)))
        self.list.itemClicked.connect(lambda item: self.show_mechanism(item.data(MECHANISM_ROLE)))
        self.page = MechanismPage()
        self.page.open_fact_source.connect(self.open_fact_source)
        self.page.open_mechanism.connect(self.show_mechanism)
        self.page.study.connect(self.study)
        self.page.back_to_list.connect(self.show_list)
        self._stale = False
        self.stack = QStackedWidget()
        self.stack.addWidget(self.list)
        self.stack.addWidget(self.page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    def on_changed(self, changes: Changes) -> None:
        """Drawn now if on screen (or the content changed), else when next shown."""
        if changes.content or changes.database or (changes.reviews and self.isVisible()):
            self.refresh()
        elif changes.reviews:
            self._stale = True

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        self._stale = False
        self.content = stored_content(self.db)
        progress = mechanism_progress(self.db, datetime.now(UTC))
        current = self.list.currentRow()
        self.list.clear()
        for mechanism in self.content.mechanisms:
            item = QListWidgetItem(mechanism.title)
            item.setData(MECHANISM_ROLE, mechanism.id)
            item.setData(SUMMARY_ROLE, first_sentence(mechanism.summary))
            item.setData(PROGRESS_ROLE, progress.get(mechanism.id, MechanismProgress(0, 0, 0)))
            item.setToolTip(plain_tooltip(mechanism.summary))
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(max(0, min(current, self.list.count() - 1)))
        showing = self.page.mechanism and self.stack.currentWidget() is self.page
        if showing and not self.show_mechanism(self.page.mechanism.id, focus=False):
            self.show_list()  # the card is gone (a restore, a content update)

    def show_list(self) -> None:
        self.stack.setCurrentWidget(self.list)
        if self.isVisible():
            self.list.setFocus()
        self.mechanism_shown.emit("")

    def show_mechanism(self, mechanism_id: str, focus: bool = True) -> bool:
        mechanism = next((m for m in self.content.mechanisms if m.id == mechanism_id), None)
        if mechanism is None:
            return False
        titles = {m.id: m.title for m in self.content.mechanisms}
        self.page.show_mechanism(self.db, self.content, mechanism, titles)
        self.stack.setCurrentWidget(self.page)
        for row in range(self.list.count()):
            if self.list.item(row).data(MECHANISM_ROLE) == mechanism_id:
                self.list.setCurrentRow(row)  # back in the list, the card just read is current
        if focus:
            self.page.study_button.setFocus()
        self.mechanism_shown.emit(mechanism_id)
        return True

    def current_mechanism(self) -> str:
        return self.page.mechanism.id if self.stack.currentWidget() is self.page else ""

    def focus_content(self) -> None:
        if self.current_mechanism():
            self.page.study_button.setFocus(Qt.OtherFocusReason)
        else:
            self.list.setFocus(Qt.OtherFocusReason)

    def bookmark_target(self) -> Target | None:
        """The card shown, else the card current in the list."""
        mechanism_id = self.current_mechanism()
        if not mechanism_id and self.list.currentItem():
            mechanism_id = self.list.currentItem().data(MECHANISM_ROLE)
        titles = {m.id: m.title for m in self.content.mechanisms}
        if not mechanism_id:
            return None
        return Target("mechanism", mechanism_id, "", titles.get(mechanism_id, ""))

    def keyPressEvent(self, event) -> None:
        """Backspace on a card: back to the list of cards (Esc goes back, as anywhere)."""
        if event.key() == Qt.Key_Backspace and self.current_mechanism():
            self.show_list()
            return
        super().keyPressEvent(event)
