"""Read rendered HTML as a browser would: which tags and attributes are really there."""

from html.parser import HTMLParser

DANGEROUS_TAGS = {"script", "iframe", "img", "style", "object", "embed", "link", "meta", "form"}


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict]]:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser.tags


def unsafe_parts(html: str) -> list[str]:
    """Every tag, event handler or link in ``html`` that could run code or fetch something."""
    found = []
    for tag, attrs in tags(html):
        if tag in DANGEROUS_TAGS:
            found.append(f"<{tag}>")
        for name, value in attrs.items():
            if name.startswith("on"):
                found.append(f"{tag}[{name}]")
            if (
                name in ("href", "src")
                and value
                and not value.startswith(("http://", "https://", "mailto:", "studyapp:", "#"))
            ):
                found.append(f"{tag}[{name}={value}]")
            if name in ("src", "style", "background"):
                found.append(f"{tag}[{name}]")
    return found
