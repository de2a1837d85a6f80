"""Slugs: the readable, stable part of ids for sources, passages and quiz items."""

from __future__ import annotations

import re
import unicodedata


def slugify(text: str, max_length: int = 0) -> str:
    """ "Impact of exercise on BDNF" -> "impact-of-exercise-on-bdnf", cut at a word if long."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if max_length and len(slug) > max_length:
        words = slug[: max_length + 1].split("-")[:-1] or [slug[:max_length]]
        while len(words) > 1 and words[-1] in _DANGLING:
            words.pop()
        slug = "-".join(words)
    return slug or "untitled"


_DANGLING = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to"}
