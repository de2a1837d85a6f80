"""The views in sidebar order, one shown at a time; those not needed at start-up (and their
modules: QtCharts, fsrs) are built on first visit, so that the window shows sooner."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QStackedWidget, QWidget


class ViewStack(QStackedWidget):
    def __init__(
        self, names: tuple[str, ...], ready: dict[str, QWidget], build: Callable[[str], QWidget]
    ):
        super().__init__()
        self.names = names
        self.built: dict[str, QWidget] = dict(ready)
        self._build = build
        for name in names:
            self.addWidget(self.built.get(name) or QWidget())  # or built on first visit

    def view(self, name: str) -> QWidget:
        """The view called ``name``, built and put in its place if need be."""
        if name in self.built:
            return self.built[name]
        view = self.built[name] = self._build(name)
        index = self.names.index(name)
        placeholder = self.widget(index)
        showing = self.currentIndex() == index
        self.removeWidget(placeholder)
        placeholder.deleteLater()
        self.insertWidget(index, view)
        if showing:
            self.setCurrentIndex(index)
        return view

    def is_showing(self, name: str) -> bool:
        return name in self.built and self.currentWidget() is self.built[name]

    def current_name(self) -> str:
        return self.names[max(0, self.currentIndex())]
