"""Text that scales: every font is a multiple of the one font setting, and stays so when the
setting changes.

Qt gives a new application font to every widget that never had a font of its own; a heading
set bigger than the body, or a widget with a style sheet, keeps the size it was polished
with. So a widget's scale is kept as a property, and ``follow_app_font`` re-applies it (and
re-polishes style sheets) after the application font or palette changed.
"""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QWidget

SCALE = "studyapp_font_scale"
BOLD = "studyapp_font_bold"

# The scales of the house, so that headings stay larger than body text at any size.
TITLE = 1.6
HEADING = 1.25
PROMPT = 1.35
LEAD = 1.15
SMALL = 0.9


def scaled_font(scale: float = 1.0, bold: bool = False) -> QFont:
    """The application font at ``scale`` times its size."""
    font = QFont(QApplication.font())
    font.setPointSizeF(max(6.0, font.pointSizeF() * scale))
    font.setBold(bold)
    return font


def set_font_scale(widget: QWidget, scale: float, bold: bool = False) -> QWidget:
    """Give ``widget`` a font ``scale`` times the application's, now and after it changes."""
    widget.setProperty(SCALE, float(scale))
    widget.setProperty(BOLD, bold)
    widget.setFont(scaled_font(scale, bold))
    return widget


def follow_app_font() -> None:
    """After the application font or palette changed: scaled fonts and style sheets anew."""
    for widget in QApplication.allWidgets():
        scale = widget.property(SCALE)
        if scale is not None:
            widget.setFont(scaled_font(float(scale), bool(widget.property(BOLD))))
        sheet = widget.styleSheet()
        if sheet:
            widget.setStyleSheet(sheet)  # style sheets resolve palette() and fonts on polish
