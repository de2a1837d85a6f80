"""Light and dark palettes, and the stylesheet of rendered documents, taken from the palette."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle

from studyapp.ui.fonts import follow_app_font


def _dark_palette() -> QPalette:
    palette = QPalette()
    base, window, text = QColor(30, 31, 34), QColor(43, 45, 48), QColor(223, 225, 229)
    for role, color in {
        QPalette.Window: window,
        QPalette.WindowText: text,
        QPalette.Base: base,
        QPalette.AlternateBase: QColor(50, 52, 56),
        QPalette.Text: text,
        QPalette.Button: window,
        QPalette.ButtonText: text,
        QPalette.ToolTipBase: window,
        QPalette.ToolTipText: text,
        QPalette.Highlight: QColor(64, 110, 180),
        QPalette.HighlightedText: QColor(255, 255, 255),
        QPalette.Link: QColor(122, 170, 255),
        QPalette.PlaceholderText: QColor(140, 143, 150),
    }.items():
        palette.setColor(role, color)
    disabled = QColor(120, 122, 128)
    for role in (QPalette.Text, QPalette.WindowText, QPalette.ButtonText):
        palette.setColor(QPalette.Disabled, role, disabled)
    return palette


_system_palette: QPalette | None = None


class FocusRingStyle(QProxyStyle):
    """Fusion, with a ring around the button that has the keyboard, plain to see in both
    themes (Fusion's own is a one-pixel tint). Shown once the keyboard has moved the focus,
    as browsers do with :focus-visible."""

    RING = 2

    def drawControl(self, element, option, painter, widget=None) -> None:
        super().drawControl(element, option, painter, widget)
        if element == QStyle.CE_PushButton:
            self._ring(option, painter)

    def drawComplexControl(self, control, option, painter, widget=None) -> None:
        super().drawComplexControl(control, option, painter, widget)
        if control == QStyle.CC_ToolButton:
            self._ring(option, painter)

    def _ring(self, option, painter) -> None:
        focused = QStyle.State_HasFocus | QStyle.State_KeyboardFocusChange
        if (option.state & focused) != focused:
            return
        painter.save()
        painter.setRenderHint(QPainter.Antialiasing)
        painter.setPen(QPen(focus_color(option.palette), self.RING))
        painter.setBrush(Qt.NoBrush)
        inset = self.RING / 2
        painter.drawRoundedRect(QRectF(option.rect).adjusted(inset, inset, -inset, -inset), 3, 3)
        painter.restore()


def apply_theme(app: QApplication, theme: str = "system") -> None:
    """Fusion style everywhere (same look on every platform), with a light or dark palette."""
    global _system_palette
    if _system_palette is None:  # what the system gave, before any theme replaced it
        _system_palette = QPalette(QGuiApplication.palette())
    if not isinstance(app.style(), FocusRingStyle):
        app.setStyle(FocusRingStyle("Fusion"))
    if theme == "dark":
        app.setPalette(_dark_palette())
    elif theme == "light":
        app.setPalette(app.style().standardPalette())
    else:
        app.setPalette(_system_palette)


def apply_appearance(app: QApplication, theme: str, point_size: float) -> None:
    """Theme and font size, applied to every widget at once (see fonts.follow_app_font)."""
    apply_theme(app, theme)
    font = QApplication.font()
    if font.pointSizeF() != point_size:
        font.setPointSizeF(point_size)
        app.setFont(font)
    QCoreApplication.sendPostedEvents()  # the font and palette reach every widget now
    follow_app_font()


def focus_color(palette: QPalette) -> QColor:
    """The ring around what has the keyboard: at least 3:1 against the window in both themes
    (the dark theme's highlight is 2.7:1 there; its link colour 5.8:1)."""
    return palette.color(QPalette.Link if is_dark(palette) else QPalette.Highlight)


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.Base).lightness() < 128


def _mix(a: QColor, b: QColor, share_of_b: float) -> str:
    mixed = QColor(
        round(a.red() + (b.red() - a.red()) * share_of_b),
        round(a.green() + (b.green() - a.green()) * share_of_b),
        round(a.blue() + (b.blue() - a.blue()) * share_of_b),
    )
    return mixed.name()


def document_css(palette: QPalette) -> str:
    """Qt rich-text CSS for rendered sources, in the palette's colours."""
    base, text = palette.color(QPalette.Base), palette.color(QPalette.Text)
    link = palette.color(QPalette.Link)
    muted = _mix(text, base, 0.4)
    chip = _mix(base, link, 0.16)
    caution = QColor(224, 150, 40)
    return f"""
        h1 {{ font-size: x-large; margin-bottom: 4px; }}
        h2 {{ font-size: large; margin-top: 18px; }}
        h3 {{ font-size: medium; margin-top: 14px; }}
        p {{ margin-top: 6px; margin-bottom: 8px; line-height: 140%; }}
        li {{ margin-bottom: 4px; line-height: 140%; }}
        a {{ color: {link.name()}; text-decoration: none; }}
        a.ts {{ background-color: {chip}; color: {link.name()}; font-size: small; }}
        span.ts {{ background-color: {chip}; font-size: small; }}
        p.byline {{ color: {muted}; margin-top: 0px; }}
        p.meta {{ color: {muted}; font-size: small; }}
        span.kind {{ background-color: {chip}; color: {text.name()}; }}
        table.callout {{ background-color: {_mix(base, caution, 0.14)}; margin-top: 10px; }}
        table.callout-note, table.callout-info, table.callout-tip, table.callout-quote
            {{ background-color: {chip}; }}
    """


def highlight_color(palette: QPalette) -> QColor:
    """Background that marks a highlighted passage or quote, readable in both themes."""
    return QColor(120, 95, 20) if is_dark(palette) else QColor(255, 236, 150)


def mark_color(palette: QPalette) -> QColor:
    """The learner's own bookmarks in a source: a teal tint, apart from the yellow of a
    quote just opened and the lavender of timestamp chips."""
    return QColor(29, 70, 64) if is_dark(palette) else QColor(206, 239, 232)


def passage_color(palette: QPalette) -> QColor:
    """A fainter background for the passage around a highlighted quote."""
    return QColor(62, 56, 36) if is_dark(palette) else QColor(255, 248, 214)


def muted_color(palette: QPalette) -> QColor:
    """Secondary text that still reads at AA contrast (4.5:1) on the window colour."""
    return QColor(_mix(palette.color(QPalette.WindowText), palette.color(QPalette.Window), 0.3))


def track_color(palette: QPalette) -> QColor:
    """The empty part of a progress bar: visible, but never mistaken for a full bar."""
    return QColor(_mix(palette.color(QPalette.Base), palette.color(QPalette.Text), 0.18))


def _luminance(color: QColor) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(color.red())
        + 0.7152 * channel(color.green())
        + 0.0722 * channel(color.blue())
    )


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG contrast of two colours: 1 (none) to 21; 4.5 is AA for body text."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


# After an answer: (background, border, text) of the right option, the learner's wrong one,
# and the rest. Each text reads at AA contrast on its background in its theme; the signs
# ✓ and ✗ say the same for anyone who cannot tell the colours apart.
_MARKS_LIGHT = {
    "right": ("#e3f4e6", "#2e7d32", "#14532d"),
    "wrong": ("#fde8e8", "#c62828", "#7f1d1d"),
    "other": ("#f7f7f7", "#c4c4c4", "#4a4a4a"),
}
_MARKS_DARK = {
    "right": ("#1f3b27", "#5cb46a", "#d4f5da"),
    "wrong": ("#4a2222", "#e57373", "#ffdada"),
    "other": ("#2b2d30", "#55585e", "#c3c6cc"),
}


def mark_colors(palette: QPalette, mark: str) -> tuple[str, str, str]:
    """(background, border, text) for an answer marked "right", "wrong" or "other"."""
    return (_MARKS_DARK if is_dark(palette) else _MARKS_LIGHT)[mark]
