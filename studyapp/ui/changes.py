"""What changed, as the one signal that every view listens to carries it: each view redraws
only when something it shows has changed."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Changes:
    content: bool = False  # sources, mechanisms, facts or quiz items
    reviews: bool = False  # an answer given or taken back: due counts, progress, statistics
    bookmarks: bool = False
    settings: bool = False  # daily limits, retention, theme or font
    database: bool = False  # the whole database was replaced (a restore): start afresh

    @classmethod
    def everything(cls) -> Changes:
        return cls(True, True, True, True, True)
