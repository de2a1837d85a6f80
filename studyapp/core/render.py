"""Inline Markdown of a passage -> sanitized HTML, and HTML -> plain text.

One pipeline serves the viewer and the ingest: Python-Markdown renders, then nh3 keeps only an
allow-list of tags, attributes and URL schemes, so a hostile snippet inside a source (script,
iframe, remote image, ``javascript:`` link, event handler) never reaches the screen or the
passage text.

Two marks beyond Markdown come from the parsers: ``[[target|label]]`` wiki links and
``{t=SECONDS[,SECONDS...]}`` video timestamps.
"""

from __future__ import annotations

import html as html_module
import re
import threading
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

import markdown
import nh3
from markdown.extensions.nl2br import Nl2BrExtension
from markdown.inlinepatterns import InlineProcessor

from studyapp.core.models import format_seconds

WIKI_LINK = r"\[\[([^\[\]|]+?)(?:\|([^\[\]]+?))?\]\]"
TIMESTAMP_MARK = re.compile(r"\{t=(\d+(?:,\d+)*)\}")
INTERNAL_SCHEME = "studyapp"

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "del",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}, "th": {"align"}}
ALLOWED_CLASSES = {"a": {"ts", "wiki"}, "span": {"ts", "wiki-missing"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", INTERNAL_SCHEME}


@dataclass(frozen=True)
class RenderContext:
    """What inline rendering needs to know about the library around a passage."""

    video_url: str = ""  # timestamps link here at their second; plain chips when empty
    resolve_wiki: Callable[[str], str | None] | None = None  # wiki target -> source id
    text_mode: bool = False  # render for plain-text extraction: labels only, marks as U+E000


TIMESTAMP_SENTINEL = "\ue000"  # text mode writes a mark as U+E000 seconds U+E001
TIMESTAMP_END = "\ue001"


def internal_url(kind: str, ident: str) -> str:
    return f"{INTERNAL_SCHEME}:{kind}/{ident}"


class _WikiLinkProcessor(InlineProcessor):
    def __init__(self, pattern: str, md: markdown.Markdown, context_holder: _Holder):
        super().__init__(pattern, md)
        self.holder = context_holder

    def handleMatch(self, m: re.Match, data: str):
        target = m.group(1).strip()
        label = (m.group(2) or target).strip()
        context = self.holder.context
        source_id = None
        if context.resolve_wiki and not context.text_mode:
            source_id = context.resolve_wiki(target)
        if source_id:
            el = etree.Element("a", {"href": internal_url("source", source_id), "class": "wiki"})
        else:
            el = etree.Element("span")
        el.text = label
        return el, m.start(0), m.end(0)


class _TimestampProcessor(InlineProcessor):
    def __init__(self, pattern: str, md: markdown.Markdown, context_holder: _Holder):
        super().__init__(pattern, md)
        self.holder = context_holder

    def handleMatch(self, m: re.Match, data: str):
        context = self.holder.context
        seconds = [int(s) for s in m.group(1).split(",")]
        if context.text_mode:
            return f"{TIMESTAMP_SENTINEL}{m.group(1)}{TIMESTAMP_END}", m.start(0), m.end(0)
        wrapper = etree.Element("span")
        for i, second in enumerate(seconds):
            label = f"\u25b6\u00a0{format_seconds(second)}"
            if context.video_url:
                chip = etree.SubElement(
                    wrapper,
                    "a",
                    {
                        "href": f"{context.video_url}&t={second}s",
                        "class": "ts",
                        "title": f"Watch the video from {format_seconds(second)}",
                    },
                )
            else:
                chip = etree.SubElement(wrapper, "span", {"class": "ts"})
            chip.text = label
            chip.tail = "\u00a0" if i < len(seconds) - 1 else None
        wrapper.text = "\u00a0"
        return wrapper, m.start(0), m.end(0)


@dataclass
class _Holder:
    context: RenderContext


class _StudyAppExtension(markdown.Extension):
    def __init__(self, holder: _Holder):
        super().__init__()
        self.holder = holder

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Above Markdown's own link patterns (priority 160) so "[[" is never read as a link.
        md.inlinePatterns.register(_WikiLinkProcessor(WIKI_LINK, md, self.holder), "wiki", 175)
        md.inlinePatterns.register(
            _TimestampProcessor(TIMESTAMP_MARK.pattern, md, self.holder), "timestamp", 176
        )


_local = threading.local()  # Markdown objects are not thread-safe; ingest runs off the UI thread


def _markdown() -> tuple[markdown.Markdown, _Holder]:
    if not hasattr(_local, "md"):
        holder = _Holder(RenderContext())
        # Extensions as objects: a name ("nl2br") makes Markdown scan every installed
        # package's entry points, about 30 ms on first use.
        _local.md = markdown.Markdown(extensions=[Nl2BrExtension(), _StudyAppExtension(holder)])
        _local.holder = holder
    return _local.md, _local.holder


def sanitize(html: str) -> str:
    """Keep only the allow-listed tags, attributes, classes and URL schemes."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=ALLOWED_URL_SCHEMES,
        url_relative="deny",  # a saved page's relative links lead nowhere in the app
        link_rel=None,
    )


# Python-Markdown reads each "[" by scanning ahead for its "]", which is quadratic in the
# number of brackets: 2,000 of them took two seconds. In a passage with many brackets, only
# those of a well-formed link or wiki link stay links; the others are shown as written.
_MANY_BRACKETS = 32
_WELL_FORMED = re.compile(r"\[\[[^\[\]\n]{1,300}\]\]|!?\[[^\[\]\n]{0,1000}\]\([^()\s]{0,2000}\)")
_BARE_BRACKET = re.compile(r"(?<!\\)([\[\]])")


def tame_brackets(source_markdown: str) -> str:
    if source_markdown.count("[") <= _MANY_BRACKETS:
        return source_markdown
    out, last = [], 0
    for match in _WELL_FORMED.finditer(source_markdown):
        out.append(_BARE_BRACKET.sub(r"\\\1", source_markdown[last : match.start()]))
        out.append(match.group(0))
        last = match.end()
    out.append(_BARE_BRACKET.sub(r"\\\1", source_markdown[last:]))
    return "".join(out)


# A passage of one line with no character Markdown gives a meaning to renders as itself: most
# passages of a plain-text source. Skipping Markdown for them makes a long source load in
# seconds, not minutes (tests/core/test_render.py checks both ways agree).
_PLAIN = re.compile(r"(?![ ]|\d+[.)]\s|[-+]\s)[^\\`*_\[\]{}<>&!#|~=\t\n\r\u00a0]*")


def is_plain(source_markdown: str) -> bool:
    return _PLAIN.fullmatch(source_markdown) is not None


def render_inline(source_markdown: str, context: RenderContext | None = None) -> str:
    """Render one passage's Markdown to safe HTML without the wrapping paragraph."""
    if is_plain(source_markdown):
        return html_module.escape(source_markdown, quote=False)
    return render_with_markdown(source_markdown, context)


def render_with_markdown(source_markdown: str, context: RenderContext | None = None) -> str:
    md, holder = _markdown()
    holder.context = context or RenderContext()
    try:
        html = md.reset().convert(tame_brackets(source_markdown))
    except BaseException:
        del _local.md  # a RecursionError or a stop midway leaves its state half-built
        raise
    finally:
        holder.context = RenderContext()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return sanitize(html)


class _TextExtractor(HTMLParser):
    _BREAKS = frozenset({"br", "p", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "pre"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in self._BREAKS and self.parts:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data.replace("\n", " "))  # HTML white space; <br> makes the breaks


def html_to_text(html: str) -> str:
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    return "".join(extractor.parts)


_SPACES = re.compile(r"[ \t\u00a0]+")
_TEXT_MARK = re.compile(r"\s*" + TIMESTAMP_SENTINEL + r"([\d,]+)" + TIMESTAMP_END)


def markdown_to_text(source_markdown: str) -> tuple[str, list[tuple[int, list[int]]]]:
    """Plain text of a passage's Markdown, and the video timestamps cited in it.

    Returns the text (spaces collapsed, line breaks kept) and, for each ``{t=...}`` mark, the
    character offset in the text where it was cited with the seconds it names.
    """
    if is_plain(source_markdown):
        return _SPACES.sub(" ", source_markdown).strip(), []
    return text_of_html(render_with_markdown(source_markdown, RenderContext(text_mode=True)))


def text_of_html(html: str) -> tuple[str, list[tuple[int, list[int]]]]:
    text = "\n".join(_SPACES.sub(" ", line).strip() for line in html_to_text(html).splitlines())
    text = text.strip()
    marks: list[tuple[int, list[int]]] = []
    pieces: list[str] = []
    length = last = 0
    for match in _TEXT_MARK.finditer(text):
        pieces.append(text[last : match.start()])
        length += match.start() - last
        marks.append((length, [int(s) for s in match.group(1).split(",")]))
        last = match.end()
    pieces.append(text[last:])
    joined = "".join(pieces)
    stripped = joined.lstrip()
    shift = len(joined) - len(stripped)
    text = stripped.rstrip()
    return text, [(min(max(0, at - shift), len(text)), secs) for at, secs in marks]
