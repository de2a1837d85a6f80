"""What the learner is told when an action fails in a way nobody handled.

Qt calls ``sys.excepthook`` for an exception raised in a slot and carries on, so without this
a full disk while saving a bookmark or a setting was a traceback on a terminal nobody reads
and a change silently not saved. Every action's failure now ends in a sentence; an unexpected
one is still printed for a bug report.
"""

from __future__ import annotations

import sqlite3
import sys
import traceback
from collections.abc import Callable
from types import TracebackType

from studyapp.core.db import write_problem
from studyapp.core.dbfiles import trouble_text


def sentence_for(error: BaseException) -> tuple[str, str]:
    """(title, text) for a failed action."""
    if isinstance(error, sqlite3.Error):
        return "Not saved", write_problem(error)
    if isinstance(error, OSError):
        return "Not done", f"StudyApp could not do that: {trouble_text(error)}."
    return (
        "Something went wrong",
        f"StudyApp ran into a problem it did not expect ({type(error).__name__}: {error}). "
        "Everything you had saved is safe; if it happens again, please report it.",
    )


def install_error_handler(warn: Callable[[str, str], None]) -> None:
    """Tell the learner (through ``warn``) about any action that fails."""

    def handle(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if not isinstance(error, sqlite3.Error | OSError):
            traceback.print_exception(kind, error, tb)  # a bug: keep the details
        warn(*sentence_for(error))

    sys.excepthook = handle
