"""Light and dark palettes, and the stylesheet of rendered documents, taken from the palette."""

from __future__ import annotations

from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication


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
    palette.setColor(QPalette.Disabled, QPalette.Text, QColor(120, 122, 128))
    palette.setColor(QPalette.Disabled, QPalette.WindowText, QColor(120, 122, 128))
    return palette


def apply_theme(app: QApplication, theme: str = "system") -> None:
    """Fusion style everywhere (same look on every platform), with a light or dark palette."""
    app.setStyle("Fusion")
    if theme == "dark":
        app.setPalette(_dark_palette())
    elif theme == "light":
        app.setPalette(app.style().standardPalette())
    else:
        app.setPalette(QGuiApplication.palette())


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


def passage_color(palette: QPalette) -> QColor:
    """A fainter background for the passage around a highlighted quote."""
    return QColor(62, 56, 36) if is_dark(palette) else QColor(255, 248, 214)
