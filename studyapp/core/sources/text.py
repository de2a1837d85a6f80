"""Text clean-up shared by the parsers: encoding repair, source ids, plain text as safe Markdown."""

from __future__ import annotations

import re

import ftfy

from studyapp.core.slugs import slugify

# Repair encoding damage ("â€”" -> "—") and nothing else: the sources' curly quotes, dashes,
# ligatures and HTML entities are the authors' and stay as written.
_FTFY = ftfy.TextFixerConfig(
    unescape_html=False,
    uncurl_quotes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
)


def clean(raw: str) -> str:
    """Repair mojibake, drop a byte-order mark, normalise line ends to "\\n"."""
    text = raw.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return ftfy.fix_text(text, _FTFY)


# Inline URLs in saved web pages: stop before closing brackets and trailing punctuation.
URL = re.compile(r"https?://[^\s<>()\"“”‘’]+[^\s<>()\"“”‘’.,;:!?'\]]")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]{}#|!])")


def _escape(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    # A line that starts like a list item or numbered item must stay a plain paragraph.
    return re.sub(r"^(\s*)([-+]|\d+)([.)]?\s)", r"\1\2\\\3", text, flags=re.M)


def plain_to_markdown(text: str) -> str:
    """Plain prose as Markdown that renders to exactly these words, with URLs as links."""
    parts = []
    last = 0
    for match in URL.finditer(text):
        parts.append(_escape(text[last : match.start()]))
        parts.append(f"<{match.group(0)}>")
        last = match.end()
    parts.append(_escape(text[last:]))
    return "".join(parts)


def source_id_for(title: str) -> str:
    """A source's id: the slug of its title, cut at a word near 64 characters."""
    return slugify(title, max_length=64)
