"""Back/forward history of where the learner has been, as in a browser."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QWidget

Location = tuple[str, ...]  # ("sources", source_id, passage_id, quote), ("mechanisms", id), ...


class History:
    def __init__(self) -> None:
        self.places: list[Location] = []
        self.position = -1

    @property
    def current(self) -> Location | None:
        return self.places[self.position] if self.position >= 0 else None

    def visit(self, place: Location) -> None:
        """Record a new place; forward history is dropped, a repeat of the current is not kept."""
        if place == self.current:
            return
        del self.places[self.position + 1 :]
        self.places.append(place)
        self.position = len(self.places) - 1

    def can_go_back(self) -> bool:
        return self.position > 0

    def can_go_forward(self) -> bool:
        return self.position < len(self.places) - 1

    def back(self) -> Location | None:
        if not self.can_go_back():
            return None
        self.position -= 1
        return self.current

    def forward(self) -> Location | None:
        if not self.can_go_forward():
            return None
        self.position += 1
        return self.current


class Navigator(QObject):
    """Back and forward through the places the learner went: Alt+←/→, Esc (the window's)
    and the mouse's back and forward buttons, as in a browser. The window shows a place
    (``show``); the navigator records it and brings it back."""

    def __init__(self, window: QWidget, show: Callable[[Location], None]):
        super().__init__(window)
        self.window, self._show = window, show
        self.history = History()
        self.applying = False  # showing a place from the history: not a new visit
        self.back_action = QAction("&Back", window)
        self.back_action.setShortcut(QKeySequence.Back)
        self.back_action.triggered.connect(self.back)
        self.forward_action = QAction("&Forward", window)
        self.forward_action.setShortcut(QKeySequence.Forward)
        self.forward_action.triggered.connect(self.forward)
        self._update_actions()
        QApplication.instance().installEventFilter(self)  # the mouse's buttons, anywhere

    def record(self, place: Location) -> None:
        if not self.applying:
            self.history.visit(place)
            self._update_actions()

    def go(self, place: Location) -> None:
        """Show ``place`` and add it to the history."""
        self._apply(place)
        self.record(place)

    def _apply(self, place: Location) -> None:
        self.applying = True
        try:
            self._show(place)
        finally:
            self.applying = False

    def back(self) -> None:
        if (place := self.history.back()) is not None:
            self._apply(place)
        self._update_actions()

    def forward(self) -> None:
        if (place := self.history.forward()) is not None:
            self._apply(place)
        self._update_actions()

    def _update_actions(self) -> None:
        self.back_action.setEnabled(self.history.can_go_back())
        self.forward_action.setEnabled(self.history.can_go_forward())

    def eventFilter(self, watched, event) -> bool:
        if (
            event.type() == QEvent.MouseButtonPress
            and event.button() in (Qt.BackButton, Qt.ForwardButton)
            and isinstance(watched, QWidget)
            and watched.window() is self.window
        ):
            self.back() if event.button() == Qt.BackButton else self.forward()
            return True
        return super().eventFilter(watched, event)
