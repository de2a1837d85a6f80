"""A PubMed abstract page saved as text: citation, title, authors, abstract, references.

The site's navigation and notices ("Skip to main page content", ".gov means it's official",
"PubMed Disclaimer", ...) are dropped; the citation line gives date, DOI and e-pub date.
"""

from __future__ import annotations

import re

from studyapp.core.models import PassageKind, Source, SourceKind
from studyapp.core.sources.errors import SourceError
from studyapp.core.sources.passages import Block, build_passages
from studyapp.core.sources.text import plain_to_markdown, source_id_for

_BOILERPLATE = [
    re.compile(p, re.I)
    for p in (
        r"^Skip to main (page )?content$",
        r"^U\.S\. flag$",
        r"^An official website of the United States government$",
        r"^Dot gov$",
        r"^The \.gov means it.s official\.?$",
        r"^Federal government websites often end in \.gov or \.mil",
        r"^Https$",
        r"^The site is secure\.?$",
        r"^The https:// ensures that you are connecting",
        r"^Access keys\b",
        r"^PubMed Disclaimer$",
        r"^LinkOut - more resources$",
        r"^Affiliations$",
        r"^Full text links$",
        r"^Cite$",
        r"^Save$",
        r"^Email$",
        r"^Send to$",
        r"^Display options$",
        r"^Expand$",
        r"^Show details$",
        r"^Free (PMC )?article$",
        r"^Item in Clipboard$",
        r"^Actions$",
        r"^Share$",
        r"^Page navigation$",
    )
]
_SECTION_HEADINGS = {
    "abstract",
    "conflict of interest statement",
    "references",
    "figures",
    "similar articles",
    "cited by",
    "comment in",
    "publication types",
    "mesh terms",
    "substances",
    "grants and funding",
    "related information",
    "supplementary info",
    "erratum in",
}
_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
        start=1,
    )
}
_CITATION = re.compile(
    r"^(?P<journal>[^.;]*?)\.?\s*(?P<year>\d{4})\s+(?P<month>[A-Z][a-z]{2})"
    r"(?:\s+(?P<day>\d{1,2}))?;"
)
_DOI = re.compile(r"\bdoi:\s*(10\.\d{4,9}/\S+?)\.?(?=\s|$)", re.I)
_EPUB = re.compile(r"Epub (\d{4}) ([A-Z][a-z]{2}) (\d{1,2})")
_KEYWORDS = re.compile(r"^Keywords:\s*(.+?)\.?$")
_REFERENCE = re.compile(r"^\s*(\d+)\.\s+(.+)$")
_NAVIGATION_TAIL = re.compile(r"(\s+-\s+(PMC|PubMed|DOI|Google Scholar|Free PMC article))+\s*$")
_AUTHORS_LINE = re.compile(r"^(?P<authors>.+?(?:et al)?)\.\s+(?P<journal>[A-Z][^.]*?)\.\s*\.?\s*$")


def looks_like_pubmed(text: str) -> bool:
    head = text[:5000]
    return bool(
        ("PubMed" in text or "NCBI" in head)
        and re.search(r"^Abstract\s*$", text, re.M)
        and (_DOI.search(head) or "Skip to main page content" in head)
    )


def _iso(year: str, month: str, day: str | None) -> str:
    number = _MONTHS.get(month[:3].lower())
    if not number:
        return year
    return f"{year}-{number:02d}-{int(day):02d}" if day else f"{year}-{number:02d}"


def parse_pubmed(text: str, fallback_title: str) -> Source:
    lines = [line.rstrip() for line in text.split("\n")]
    lines = [line for line in lines if not any(p.search(line.strip()) for p in _BOILERPLATE)]
    date = doi = journal = title = ""
    authors: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    start = 0
    for i, line in enumerate(lines):  # the citation line opens the article
        if match := _CITATION.match(line.strip()):
            date = _iso(match["year"], match["month"], match["day"])
            journal = match["journal"].strip()
            start = i + 1
            break
    head = "\n".join(lines[: start + 3])
    if match := _DOI.search(head):
        doi = match.group(1)
    blocks: list[Block] = []
    section = ""
    in_front = True  # between the citation and the first section heading
    reference_number = 0
    for line in lines[start:]:
        stripped = line.strip()
        if not stripped or _DOI.match(stripped):
            continue
        if stripped.lower() in _SECTION_HEADINGS:
            in_front = False
            section = stripped.lower()
            blocks.append(Block(PassageKind.HEADING, plain_to_markdown(stripped), level=2))
            continue
        if in_front:
            if not title:
                title = stripped
            elif stripped != title and not authors and (match := _AUTHORS_LINE.match(stripped)):
                names = " ".join(match["authors"].split())
                authors = (names + "." if names.endswith("et al") else names,)
                journal = journal or " ".join(match["journal"].split())
            continue
        if match := _KEYWORDS.match(stripped):
            keywords = tuple(k.strip() for k in match.group(1).split(";") if k.strip())
            blocks.append(Block(PassageKind.PARAGRAPH, plain_to_markdown(stripped)))
            continue
        if section == "references" and (match := _REFERENCE.match(line)):
            reference_number += 1
            entry = _NAVIGATION_TAIL.sub("", match.group(2)).strip()
            blocks.append(
                Block(PassageKind.REFERENCE, plain_to_markdown(entry), label=str(reference_number))
            )
            continue
        blocks.append(Block(PassageKind.PARAGRAPH, plain_to_markdown(stripped)))
    if not title:
        raise SourceError("it looks like a PubMed page but has no article title")
    source_id = source_id_for(title)
    epub = _EPUB.search(head)
    return Source(
        id=source_id,
        title=title,
        kind=SourceKind.PAPER_ABSTRACT,
        authors=authors,
        outlet=journal,
        date=date or (_iso(*epub.groups()) if epub else ""),
        doi=doi,
        url=f"https://doi.org/{doi}" if doi else "",
        keywords=keywords,
        passages=build_passages(source_id, blocks),
    )
