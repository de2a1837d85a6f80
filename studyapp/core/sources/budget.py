"""The work one source file may cost: a deadline for its parse, and a way to stop it.

Parsers check the budget between blocks; every block is bounded in size (see passages.py), so
one check costs at most a few milliseconds of work. The ingest sets a budget per file, and the
window cancels it when it closes, so no parse outlives the app.
"""

from __future__ import annotations

import contextlib
import contextvars
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from studyapp.core.sources.errors import SourceError

# Seconds a file may take: generous for real documents (a 4 MB Markdown book parses in about
# 12 s on a slow machine) and a bound for hostile ones, which cost minutes at that size.
BASE_SECONDS = 5.0
SECONDS_PER_MB = 5.0


def seconds_for(size_bytes: int) -> float:
    return BASE_SECONDS + SECONDS_PER_MB * size_bytes / 1_000_000


class Cancelled(Exception):
    """The work was stopped from outside (the window closed)."""


@dataclass
class Budget:
    deadline: float  # time.thread_time(): this thread's processor time, so a busy machine
    # (other programs, other threads) does not eat into a file's budget
    seconds: float
    cancel: threading.Event = field(default_factory=threading.Event)

    def check(self) -> None:
        if self.cancel.is_set():
            raise Cancelled
        if time.thread_time() > self.deadline:
            raise SourceError(
                f"it took more than {self.seconds:g} seconds of work to read, so it was skipped; "
                "split it into smaller files or simplify its formatting"
            )


_current: contextvars.ContextVar[Budget | None] = contextvars.ContextVar("budget", default=None)


@contextlib.contextmanager
def budget(
    seconds: float = BASE_SECONDS, cancel: threading.Event | None = None
) -> Iterator[Budget]:
    """Parses inside this block stop after ``seconds`` (SourceError) or when ``cancel`` is set
    (Cancelled)."""
    spent = Budget(time.thread_time() + seconds, seconds, cancel or threading.Event())
    token = _current.set(spent)
    try:
        yield spent
    finally:
        _current.reset(token)


def check_budget() -> None:
    """Stop the parse here if its time is up or it was cancelled (no-op outside a budget)."""
    if (spent := _current.get()) is not None:
        spent.check()
