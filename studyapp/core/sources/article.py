"""Web articles saved as text (news, blogs): title, byline, body; footer boilerplate dropped.

Saved pages have no markup, so structure is read from the lines themselves: the first line is
the title, short metadata lines under it are the byline, a short line without closing
punctuation is a heading, "- " starts a list item, and a trailing run of site furniture
(donation appeals, "Comments", contact lines) is the footer.
"""

from __future__ import annotations

import re

from studyapp.core.models import PassageKind, Source, SourceKind
from studyapp.core.sources.passages import Block, build_passages
from studyapp.core.sources.text import plain_to_markdown, source_id_for

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATE = re.compile(
    rf"^(?:{_MONTH}\s+\d{{1,2}}(?:,\s*\d{{4}})?|\d{{1,2}}\s+{_MONTH}(?:\s+\d{{4}})?"
    r"|\d{4}-\d{2}-\d{2})$",
    re.I,
)
_READING_TIME = re.compile(r"^\d+\s+min(ute)?s?\s+read$", re.I)
_UPDATED = re.compile(r"^(Updated|Last updated|Published)\s*:?\s*(.+)$", re.I)
_BY = re.compile(r"^(?:By\s+)(.+)$")
_PERSON = re.compile(r"^[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3}$")
_LIST_ITEM = re.compile(r"^\s*[-•*]\s+(.*)$")
_DATELINE = re.compile(r"^[A-Z][A-Z .,'-]{2,40}\s+[—–-]\s+")
_FOOTER = [
    re.compile(p, re.I)
    for p in (
        r"^comments?(\s*\(\d+\))?$",
        r"^leave a (comment|reply)",
        r"\bdonat(e|ion)",
        r"\bmaking a contribution\b|\bsupport(ing)? (us|our)\b",
        r"\bjournalism\b.*\b(cost|free|support|accessible)\b",
        r"\breach us at\b|\bcontact us\b|\bfollow us on\b",
        r"\[email\s*protected\]",
        r"\bfor informational purposes only\b",
        r"\bdoes not provide medical advice\b",
        r"\bsubscribe\b|\bnewsletter\b|\bsign up\b",
        r"\ball rights reserved\b|^©|^copyright\b",
        r"^share( this)?( post| article)?:?$",
        r"^(tags|categories|related posts?|recent posts)\s*:?",
    )
]
_OUTLET_IN_FOOTER = [
    re.compile(r"\b(The [A-Z][\w]*(?:\s+[A-Z][\w]*){0,4}) does not provide medical advice"),
    re.compile(
        r"(?:©|copyright)\s*(?:\d{4}\s+)?([A-Z][\w&.' ]{2,60}?)(?:\.|,|\s+All rights)", re.I
    ),
]
_SENTENCE_END = '.!?:;,"”’)…'


def looks_like_article(lines: list[str]) -> bool:
    """At least a title line and two lines of prose."""
    prose = [line for line in lines[1:] if len(line.split()) >= 8]
    return bool(lines) and len(lines[0].split()) <= 25 and len(prose) >= 2


def _is_heading(line: str, following: str | None) -> bool:
    words = line.split()
    return (
        following is not None
        and 0 < len(words) <= 12
        and line[-1] not in _SENTENCE_END
        and not _LIST_ITEM.match(line)
        and len(following.split()) > len(words)
    )


def parse_article(text: str, fallback_title: str) -> Source:
    lines = [line.strip() for line in text.split("\n")]
    lines = [line for line in lines if line]
    title = lines[0] if lines else fallback_title
    body = lines[1:]

    authors: list[str] = []
    date = ""
    while body:  # the byline block under the title
        line = body[0]
        value = _LIST_ITEM.match(line).group(1).strip() if _LIST_ITEM.match(line) else line
        if _READING_TIME.match(value):
            pass
        elif _UPDATED.match(value):
            date = date or _UPDATED.match(value).group(2).strip()
        elif _DATE.match(value):
            date = date or value
        elif (by := _BY.match(value)) or (value != line and _PERSON.match(value)):
            authors.append((by.group(1) if by else value).strip())
        else:
            break
        body.pop(0)

    footer_start = len(body)
    while footer_start > 0 and any(p.search(body[footer_start - 1]) for p in _FOOTER):
        footer_start -= 1
    footer, body = body[footer_start:], body[:footer_start]
    outlet = ""
    for pattern in _OUTLET_IN_FOOTER:
        found = [m.group(1).strip() for line in footer if (m := pattern.search(line))]
        if found:
            outlet = found[0]
            break

    blocks: list[Block] = []
    for i, line in enumerate(body):
        following = body[i + 1] if i + 1 < len(body) else None
        if match := _LIST_ITEM.match(line):
            blocks.append(Block(PassageKind.LIST_ITEM, plain_to_markdown(match.group(1))))
        elif _is_heading(line, following):
            blocks.append(Block(PassageKind.HEADING, plain_to_markdown(line), level=2))
        else:
            blocks.append(Block(PassageKind.PARAGRAPH, plain_to_markdown(line)))

    is_news = bool(outlet) or any(_DATELINE.match(line) for line in body[:3])
    source_id = source_id_for(title)
    return Source(
        id=source_id,
        title=title,
        kind=SourceKind.NEWS if is_news else SourceKind.BLOG,
        authors=tuple(authors),
        outlet=outlet,
        date=date,
        passages=build_passages(source_id, blocks),
    )
