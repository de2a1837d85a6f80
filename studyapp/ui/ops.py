"""Run slow work off the UI thread and hand its result back to the UI thread.

The work function gets no widgets: it opens its own database connection if it needs one.
Its return value (or the exception it raised) arrives through a queued signal, so the
callbacks run on the UI thread.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay):
        super().__init__()
        self.work = work
        self.relay = relay

    def run(self) -> None:
        try:
            result = self.work()
        except Exception as error:  # handed to the UI thread, which reports it
            self._deliver(self.relay.failed, error)
        else:
            self._deliver(self.relay.done, result)

    @staticmethod
    def _deliver(signal, value) -> None:
        # RuntimeError: the window closed while the work ran, and nobody is left to tell.
        with contextlib.suppress(RuntimeError):
            signal.emit(value)


class BackgroundRunner(QObject):
    """Starts jobs on the global thread pool; keeps each relay alive until its job ends."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._relays: set[_Relay] = set()

    @property
    def busy(self) -> bool:
        return bool(self._relays)

    def run(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[Exception], None],
    ) -> None:
        relay = _Relay(self)  # lives in the UI thread, so its slots run there
        self._relays.add(relay)

        def finish(callback: Callable[[Any], None], value: Any) -> None:
            self._relays.discard(relay)
            relay.deleteLater()
            callback(value)

        relay.done.connect(lambda result: finish(on_done, result))
        relay.failed.connect(lambda error: finish(on_error, error))
        QThreadPool.globalInstance().start(_Job(work, relay))
