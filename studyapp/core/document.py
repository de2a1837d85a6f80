"""A whole source as one HTML document for the viewer: metadata header, then every passage.

Each passage starts with an anchor named by its id, so a fact, bookmark or search hit can
scroll to it and highlight it. Only sanitized passage HTML and escaped metadata go in; the
structure around them (lists, callouts) is built here. Class names are styled by the UI.
"""

from __future__ import annotations

import html
from datetime import date as Date

from studyapp.core.models import Passage, PassageKind, Source
from studyapp.core.render import RenderContext, render_inline

_CALLOUT_ICONS = {
    "caution": "⚠",
    "warning": "⚠",
    "danger": "⚠",
    "note": "ℹ",
    "info": "ℹ",
    "tip": "💡",
    "important": "❗",
    "quote": "❝",
}


def display_date(value: str) -> str:
    """ "2025-05-27" -> "27 May 2025"; anything else as stored."""
    try:
        parsed = Date.fromisoformat(value)
    except ValueError:
        return value
    return f"{parsed.day} {parsed:%B %Y}"


def header_html(source: Source) -> str:
    esc = html.escape
    lines = [f"<h1>{esc(source.title)}</h1>"]
    byline = " · ".join(p for p in (source.byline, display_date(source.date)) if p)
    if byline:
        lines.append(f'<p class="byline">{esc(byline)}</p>')
    meta = [f'<span class="kind">&nbsp;{esc(source.kind.label)}&nbsp;</span>']
    if source.doi:
        meta.append(f'DOI <a href="https://doi.org/{esc(source.doi)}">{esc(source.doi)}</a>')
    elif source.video_url:
        meta.append(f'<a href="{esc(source.video_url)}">▶ Watch the video</a>')
    elif source.url:
        meta.append(f'<a href="{esc(source.url)}">{esc(source.url)}</a>')
    lines.append('<p class="meta">' + " &nbsp;·&nbsp; ".join(meta) + "</p>")
    lines.append("<hr/>")
    return "\n".join(lines)


def _anchor(passage: Passage) -> str:
    return f'<a name="{html.escape(passage.id)}"></a>'


def _callout_html(passage: Passage, body: str) -> str:
    icon = _CALLOUT_ICONS.get(passage.callout, "")
    title = f"{icon} {html.escape(passage.label)}".strip()
    css = f"callout callout-{passage.callout or 'quote'}"
    head = f"<b>{title}</b><br/>" if title else ""
    return (
        f'<table class="{css}" width="100%" cellpadding="10" cellspacing="0">'
        f"<tr><td>{_anchor(passage)}{head}{body}</td></tr></table>"
    )


def passages_html(source: Source, context: RenderContext) -> str:
    out: list[str] = []
    open_lists: list[str] = []  # "ul"/"ol" tags open, innermost last

    def close_lists(depth: int) -> None:
        while len(open_lists) > depth:
            out.append(f"</li></{open_lists.pop()}>")

    for passage in source.passages:
        body = render_inline(passage.markdown, context)
        if passage.kind in (PassageKind.LIST_ITEM, PassageKind.REFERENCE):
            tag = "ol" if passage.kind is PassageKind.REFERENCE else "ul"
            depth = passage.level + 1
            close_lists(depth)
            if len(open_lists) == depth:
                out.append("</li>")
            while len(open_lists) < depth:
                out.append(f"<{tag}>")
                open_lists.append(tag)
            out.append(f"<li>{_anchor(passage)}{body}")
            continue
        close_lists(0)
        if passage.kind is PassageKind.HEADING:
            level = min(max(passage.level, 2), 6)  # the title is the only h1
            out.append(f"<h{level}>{_anchor(passage)}{body}</h{level}>")
        elif passage.kind is PassageKind.CALLOUT:
            out.append(_callout_html(passage, body))
        else:
            out.append(f"<p>{_anchor(passage)}{body}</p>")
    close_lists(0)
    return "\n".join(out)


def source_html(source: Source, context: RenderContext) -> str:
    return header_html(source) + "\n" + passages_html(source, context)
