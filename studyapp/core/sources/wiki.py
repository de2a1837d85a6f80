"""Wiki pages transcribed from a podcast: YAML front matter, wiki links, video timestamps."""

from __future__ import annotations

import re

import yaml

from studyapp.core.models import Source, SourceKind
from studyapp.core.sources.errors import SourceError
from studyapp.core.sources.markdown_blocks import split_blocks
from studyapp.core.sources.passages import build_passages
from studyapp.core.sources.text import source_id_for

_FRONT_MATTER_CLOSE = re.compile(r"^---[ \t]*$", re.M)
# Every repeat is bounded, and a run of white space is tried from its start only: on hostile
# text (100 KB of "<a " or of spaces) an unbounded scan at every position took minutes.
_TIMESTAMP_ANCHOR = (
    r"<a\s+[^>]{0,500}?class=[\"']yt-timestamp[\"'][^>]{0,500}?"
    r"data-t=[\"'](\d{1,2}:\d{2}(?::\d{2})?)[\"'][^>]{0,500}>[^<]{0,100}</a>"
)
# One or more anchors in a row ("[00:11:56], [00:12:36]") cite the same words.
_TIMESTAMP_RUN = re.compile(
    rf"(?<!\s)\s*{_TIMESTAMP_ANCHOR}(?:\s{{0,20}},\s{{0,20}}{_TIMESTAMP_ANCHOR})*"
)
_ONE_TIMESTAMP = re.compile(_TIMESTAMP_ANCHOR)
_WIKI_LINK = re.compile(r"\[\[\s*([^\[\]|]+?)\s*(?:\|\s*([^\[\]]+?)\s*)?\]\]")
_FROM_LINE = re.compile(r"^From:\s*\[\[\s*([^\[\]|]+?)\s*(?:\|\s*([^\[\]]+?))?\s*\]\].*$", re.M)
_BREAK_TAG = re.compile(r"(?<!\s)\s*<br\s{0,20}/?>\s*", re.I)


def looks_like_wiki(text: str) -> bool:
    return text.startswith("---\n") or "yt-timestamp" in text or bool(_WIKI_LINK.search(text))


def split_front_matter(text: str) -> tuple[dict, str]:
    """YAML front matter (or {}) and the body after it."""
    if not text.startswith("---\n"):
        return {}, text
    close = _FRONT_MATTER_CLOSE.search(text, 4)
    if close is None:
        raise SourceError("its front matter opens with '---' but has no closing '---' line")
    try:
        front = yaml.safe_load(text[4 : close.start()]) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark else ""
        raise SourceError(f"its front matter is not valid YAML{where}") from None
    if not isinstance(front, dict):
        raise SourceError("its front matter is not a list of 'key: value' lines")
    return front, text[close.end() :].lstrip("\n")


def _seconds(stamp: str) -> int:
    parts = [int(p) for p in stamp.split(":")]
    while len(parts) < 3:
        parts.insert(0, 0)
    hours, minutes, seconds = parts
    return hours * 3600 + minutes * 60 + seconds


def _timestamp_marks(body: str) -> str:
    """Each run of timestamp anchors as a "{t=seconds,...}" mark. A page's last timestamp is
    its video's end (its closing words); a mark later than that cannot be where the words
    are said (a transcription slip, such as 18:18 for 8:18), so it is left out rather than
    offered as a citation."""
    stamps = _ONE_TIMESTAMP.findall(body)
    end = _seconds(stamps[-1]) if stamps else 0

    def mark(match: re.Match) -> str:
        seconds = [_seconds(m.group(1)) for m in _ONE_TIMESTAMP.finditer(match.group(0))]
        kept = [s for s in seconds if s <= end]
        return "{t=" + ",".join(str(s) for s in kept) + "}" if kept else ""

    return _TIMESTAMP_RUN.sub(mark, body)


def parse_wiki(text: str, fallback_title: str) -> Source:
    front, body = split_front_matter(text)
    title = str(front.get("title") or "").strip()
    outlet = ""
    if match := _FROM_LINE.search(body):
        outlet = (match.group(2) or match.group(1)).strip()
        body = body[: match.start()] + body[match.end() :]
    if not title:
        heading = re.search(r"^#\s+(.+)$", body, re.M)
        title = heading.group(1).strip() if heading else fallback_title
    body = _timestamp_marks(body)
    body = _WIKI_LINK.sub(
        lambda m: f"[[{m.group(1)}|{m.group(2)}]]" if m.group(2) else f"[[{m.group(1)}]]", body
    )
    body = _BREAK_TAG.sub("\n", body)
    source_id = source_id_for(title)
    video_id = str(front.get("videoId") or front.get("video_id") or "").strip()
    return Source(
        id=source_id,
        title=title,
        kind=SourceKind.WIKI,
        authors=tuple(_as_list(front.get("authors") or front.get("author"))),
        outlet=outlet,
        date=str(front.get("date") or ""),
        url=str(
            front.get("url") or (f"https://www.youtube.com/watch?v={video_id}" if video_id else "")
        ),
        video_id=video_id,
        keywords=tuple(_as_list(front.get("tags"))),
        passages=build_passages(source_id, split_blocks(body)),
    )


def _as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [str(value)]
