"""Blocks from a parser -> passages with stable ids, sections, plain text and timestamps."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from studyapp.core.models import Passage, PassageKind, Timestamp
from studyapp.core.render import markdown_to_text
from studyapp.core.slugs import slugify

SECTION_SEPARATOR = " › "


@dataclass(frozen=True)
class Block:
    """What a parser found, before ids and plain text are worked out."""

    kind: PassageKind
    markdown: str
    level: int = 0
    label: str = ""
    callout: str = ""


def passage_id(source_id: str, text: str, taken: set[str]) -> str:
    """Same text, same id: "<source>/<first words>-<hash of the text>", "-2" for repeats."""
    digest = hashlib.sha1(" ".join(text.split()).encode()).hexdigest()[:8]
    base = f"{source_id}/{slugify(text, max_length=32)}-{digest}"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate)
    return candidate


def build_passages(source_id: str, blocks: list[Block]) -> tuple[Passage, ...]:
    passages: list[Passage] = []
    taken: set[str] = set()
    headings: list[tuple[int, str]] = []  # (level, text) of the headings above
    for block in blocks:
        text, marks = markdown_to_text(block.markdown)
        if not text:
            continue
        if block.kind is PassageKind.HEADING:
            headings = [h for h in headings if h[0] < block.level]
        section = SECTION_SEPARATOR.join(h[1] for h in headings)
        timestamps = tuple(Timestamp(seconds, offset) for offset, many in marks for seconds in many)
        passages.append(
            Passage(
                id=passage_id(source_id, text, taken),
                source_id=source_id,
                ordinal=len(passages),
                kind=block.kind,
                markdown=block.markdown,
                text=text,
                level=block.level,
                section=section,
                label=block.label,
                callout=block.callout,
                timestamps=timestamps,
            )
        )
        if block.kind is PassageKind.HEADING:
            headings.append((block.level, text))
    return tuple(passages)
