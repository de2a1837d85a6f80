"""Source parsing: raw text -> Source, with the parser chosen by what the text looks like.

Every parser is a pure function ``(cleaned text, fallback title) -> Source``. Anything that no
specific parser recognises is read as Markdown or plain text, so no file crashes the ingest;
files that cannot be read at all raise SourceError with a sentence saying why.
"""

from __future__ import annotations

import dataclasses
import re

from studyapp.core.models import PassageKind, Source, SourceKind
from studyapp.core.sources.article import looks_like_article, parse_article
from studyapp.core.sources.errors import SourceError
from studyapp.core.sources.markdown_blocks import split_blocks
from studyapp.core.sources.passages import Block, build_passages
from studyapp.core.sources.pubmed import looks_like_pubmed, parse_pubmed
from studyapp.core.sources.text import clean, plain_to_markdown, source_id_for
from studyapp.core.sources.wiki import looks_like_wiki, parse_wiki

__all__ = ["SourceError", "detect_kind", "parse_source"]

# Bullets and numbered lines are common in plain text too; these are not.
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+\S", re.M)
_MARKDOWN_SIGNS = re.compile(r"\*\*\S|\]\([^)\s]{1,2000}\)|^```|^>\s", re.M)


def detect_kind(text: str) -> SourceKind:
    """Which parser fits, judged from the content alone."""
    if looks_like_wiki(text):
        return SourceKind.WIKI
    if looks_like_pubmed(text):
        return SourceKind.PAPER_ABSTRACT
    if _MARKDOWN_HEADING.search(text) or len(_MARKDOWN_SIGNS.findall(text)) >= 2:
        return SourceKind.MARKDOWN
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if looks_like_article(lines):
        return SourceKind.BLOG  # the article parser tells news from blog
    return SourceKind.TEXT


MAX_TITLE_CHARS = 200


def parse_source(raw: str, fallback_title: str = "Untitled") -> Source:
    """Clean ``raw`` (mojibake repaired) and parse it with the parser its content calls for."""
    text = clean(raw)
    if not text.strip():
        raise SourceError("it is empty")
    try:
        source = _parse(text, fallback_title)
    except RecursionError:
        raise SourceError(
            "it is nested too deeply to read (lists or quotes inside one another); flatten it"
        ) from None
    if not source.passages:
        raise SourceError("it has no text to show, only formatting marks; add the text")
    if len(source.title) > MAX_TITLE_CHARS:
        source = dataclasses.replace(source, title=source.title[: MAX_TITLE_CHARS - 1] + "…")
    return source


def _parse(text: str, fallback_title: str) -> Source:
    kind = detect_kind(text)
    if kind is SourceKind.WIKI:
        return parse_wiki(text, fallback_title)
    if kind is SourceKind.PAPER_ABSTRACT:
        return parse_pubmed(text, fallback_title)
    if kind is SourceKind.BLOG:
        return parse_article(text, fallback_title)
    if kind is SourceKind.MARKDOWN:
        return _parse_markdown(text, fallback_title)
    return _parse_plain(text, fallback_title)


def _parse_markdown(text: str, fallback_title: str) -> Source:
    blocks = split_blocks(text)
    title = fallback_title
    if blocks and blocks[0].kind is PassageKind.HEADING and blocks[0].level == 1:
        title = blocks.pop(0).markdown
    source_id = source_id_for(title)
    return Source(
        id=source_id,
        title=title,
        kind=SourceKind.MARKDOWN,
        passages=build_passages(source_id, blocks),
    )


def _parse_plain(text: str, fallback_title: str) -> Source:
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    source_id = source_id_for(fallback_title)
    blocks = [Block(PassageKind.PARAGRAPH, plain_to_markdown(p)) for p in paragraphs]
    return Source(
        id=source_id,
        title=fallback_title,
        kind=SourceKind.TEXT,
        passages=build_passages(source_id, blocks),
    )
