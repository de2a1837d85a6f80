"""Blocks from a parser -> passages with stable ids, sections, plain text and timestamps."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from studyapp.core.models import Passage, PassageKind, Timestamp
from studyapp.core.render import markdown_to_text
from studyapp.core.slugs import slugify
from studyapp.core.sources.budget import check_budget

SECTION_SEPARATOR = " › "
# A passage is a paragraph one can point at; a block longer than this is cut into several.
# It also bounds the work of rendering one passage (Python-Markdown is quadratic on some
# inputs), so a source opens quickly and a parse can be stopped between passages.
MAX_PASSAGE_CHARS = 3000
_SENTENCE_END = re.compile(r"[.!?…]['\"”’)]*\s")


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


def split_long(markdown: str, limit: int = MAX_PASSAGE_CHARS) -> list[str]:
    """``markdown`` in pieces of at most ``limit`` characters: cut after a line or a sentence
    where there is one in the second half of a piece, else at a space, else anywhere."""
    pieces = []
    rest = markdown
    while len(rest) > limit:
        window = rest[:limit]
        ends = [m.end() for m in _SENTENCE_END.finditer(window)]
        cut = max([window.rfind("\n") + 1, *ends[-1:]])
        if cut < limit // 2:
            cut = window.rfind(" ") + 1
        if cut < limit // 2:
            cut = limit
        pieces.append(rest[:cut].strip())
        rest = rest[cut:].lstrip()
    pieces.append(rest.strip())
    return [piece for piece in pieces if piece]


def _bounded(blocks: list[Block]) -> list[Block]:
    out = []
    for block in blocks:
        if len(block.markdown) <= MAX_PASSAGE_CHARS:
            out.append(block)
            continue
        out += [
            Block(block.kind, piece, block.level, block.label, block.callout)
            for piece in split_long(block.markdown)
        ]
    return out


def build_passages(source_id: str, blocks: list[Block]) -> tuple[Passage, ...]:
    passages: list[Passage] = []
    taken: set[str] = set()
    headings: list[tuple[int, str]] = []  # (level, text) of the headings above
    for block in _bounded(blocks):
        check_budget()
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
