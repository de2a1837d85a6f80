"""Settings: daily limits, desired retention, day start, quizzing details, theme and font
size; saved in the database."""

from __future__ import annotations

from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLayout,
    QSpinBox,
    QWidget,
)

from studyapp.core.settings import THEMES, Preferences


class SettingsDialog(QDialog):
    def __init__(self, preferences: Preferences, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.new_per_day = QSpinBox()
        self.new_per_day.setRange(0, 9999)
        self.new_per_day.setValue(preferences.new_per_day)
        self.reviews_per_day = QSpinBox()
        self.reviews_per_day.setRange(0, 9999)
        self.reviews_per_day.setValue(preferences.reviews_per_day)
        self.retention = QDoubleSpinBox()
        self.retention.setRange(0.70, 0.99)
        self.retention.setSingleStep(0.01)
        self.retention.setDecimals(2)
        self.retention.setValue(preferences.desired_retention)
        self.theme = QComboBox()
        self.theme.addItems(
            [t.capitalize() if t != "system" else "Follow the system" for t in THEMES]
        )
        self.theme.setCurrentIndex(THEMES.index(preferences.theme))
        self.font_size = QSpinBox()
        self.font_size.setRange(0, 28)
        self.font_size.setSpecialValueText("System default")
        self.font_size.setSuffix(" pt")
        self.font_size.setValue(preferences.font_size if preferences.font_size >= 8 else 0)
        self.day_start = QSpinBox()
        self.day_start.setRange(0, 23)
        self.day_start.setSuffix(":00")
        self.day_start.setValue(preferences.day_start_hour)
        self.quiz_details = QCheckBox("Also quiz details (citation data, asides)")
        self.quiz_details.setChecked(preferences.quiz_details)
        form = QFormLayout(self)
        form.addRow("New items a day", self.new_per_day)
        form.addRow("Reviews a day", self.reviews_per_day)
        form.addRow("Desired retention", self.retention)
        hint = QLabel(
            "How sure you want to be of remembering an item when it comes back: "
            "higher means more reviews."
        )
        hint.setWordWrap(True)
        form.addRow(hint)
        form.addRow("A study day starts at", self.day_start)
        form.addRow("", self.quiz_details)
        form.setSizeConstraint(QLayout.SetMinimumSize)  # the wrapped hint is never cut
        self.setMinimumWidth(QFontMetrics(self.font()).averageCharWidth() * 50)
        form.addRow("Theme", self.theme)
        form.addRow("Font size", self.font_size)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def preferences(self) -> Preferences:
        size = self.font_size.value()
        return Preferences(
            new_per_day=self.new_per_day.value(),
            reviews_per_day=self.reviews_per_day.value(),
            desired_retention=round(self.retention.value(), 2),
            theme=THEMES[self.theme.currentIndex()],
            font_size=size if size >= 8 else 0,
            day_start_hour=self.day_start.value(),
            quiz_details=self.quiz_details.isChecked(),
        )
