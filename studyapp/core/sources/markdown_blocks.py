"""Split a Markdown body into passage blocks: headings, paragraphs, list items, callouts.

Only the block structure is read here; inline Markdown stays in each block for the renderer.
Nested list items become their own blocks with a depth, so each can be pointed at.
"""

from __future__ import annotations

import re

from studyapp.core.models import PassageKind
from studyapp.core.sources.passages import Block

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_LIST_ITEM = re.compile(r"^(\s*)([*+-]|\d{1,9}[.)])\s+(.*)$")
_QUOTE = re.compile(r"^\s{0,3}>\s?(.*)$")
_CALLOUT = re.compile(r"^\[!(\w+)\][+-]?\s*(.*)$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")


def split_blocks(body: str) -> list[Block]:
    blocks: list[Block] = []
    paragraph: list[str] = []
    item: list[str] | None = None  # lines of the list item being read
    item_depth = 0
    list_indents: list[int] = []  # indent of each open list level
    quote: list[str] | None = None
    fence: list[str] | None = None

    def flush() -> None:
        nonlocal paragraph, item, quote
        if paragraph:
            blocks.append(Block(PassageKind.PARAGRAPH, "\n".join(paragraph)))
            paragraph = []
        if item is not None:
            blocks.append(Block(PassageKind.LIST_ITEM, "\n".join(item), level=item_depth))
            item = None
        if quote is not None:
            blocks.append(_quote_block(quote))
            quote = None

    for line in body.split("\n"):
        if fence is not None:  # inside a fenced code block: keep verbatim
            fence.append(line)
            if _FENCE.match(line):
                blocks.append(Block(PassageKind.PARAGRAPH, "\n".join(fence)))
                fence = None
            continue
        if _FENCE.match(line):
            flush()
            fence = [line]
            continue
        if not line.strip():
            if item is None:
                list_indents = []
            flush()
            continue
        if quote is not None and (match := _QUOTE.match(line)):
            quote.append(match.group(1))
            continue
        if match := _HEADING.match(line):
            flush()
            list_indents = []
            blocks.append(Block(PassageKind.HEADING, match.group(2), level=len(match.group(1))))
            continue
        if _RULE.match(line):
            flush()
            continue
        if match := _QUOTE.match(line):
            flush()
            quote = [match.group(1)]
            continue
        if match := _LIST_ITEM.match(line):
            indent = len(match.group(1).expandtabs(4))
            flush()
            while list_indents and indent < list_indents[-1]:
                list_indents.pop()
            if not list_indents or indent > list_indents[-1]:
                list_indents.append(indent)
            item_depth = len(list_indents) - 1
            item = [match.group(3)]
            continue
        if item is not None:  # continuation of a list item (indented or lazy)
            item.append(line.strip())
            continue
        paragraph.append(line.strip())
    if fence is not None:
        blocks.append(Block(PassageKind.PARAGRAPH, "\n".join(fence)))
    flush()
    return blocks


def _quote_block(lines: list[str]) -> Block:
    first = lines[0].strip()
    if match := _CALLOUT.match(first):
        kind, title = match.group(1).lower(), match.group(2).strip()
        body = "\n".join(line.strip() for line in lines[1:]).strip()
        return Block(PassageKind.CALLOUT, body or title, label=title or kind.title(), callout=kind)
    return Block(PassageKind.CALLOUT, "\n".join(line.strip() for line in lines).strip())
