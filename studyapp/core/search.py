"""Full-text search over the library: passages, facts, mechanisms and source titles.

What the learner types is read as plain words (the last one also as a prefix, for search as
you type); FTS5 syntax characters in it never reach the query, so no input can raise. Hits
come back ranked (bm25) within their group, with the matched words marked in a snippet.
Titles come first: the mechanism cards (those whose title matches before those that only
mention the words), then the sources whose title matches, then passages, facts, bookmarks.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from sqlite_utils import Database

MARK_START, MARK_END = "\x02", "\x03"  # around matched words in snippets
GROUPS = ("mechanism", "source", "passage", "fact", "bookmark")
# Ranking costs about 1.6 µs a match; past this many matches (a word in nearly every passage)
# hits come in library order and the learner is told how many matched, to add a word.
RANK_LIMIT = 3000
# Counting stops here: "10,000+ matches" says as much as the exact figure and costs less.
COUNT_LIMIT = 10_000
GROUP_TITLES = {
    "mechanism": "Mechanism cards",
    "source": "Sources",
    "passage": "In the sources",
    "fact": "Facts",
    "bookmark": "Your bookmarks",
}


@dataclass(frozen=True)
class Hit:
    kind: str  # one of GROUPS
    id: str  # passage, fact, mechanism or source id
    title: str  # where it is: source title › section, or the fact's or card's title
    snippet: str  # with MARK_START/MARK_END around matched words
    source_id: str = ""
    passage_id: str = ""


def fts_query(text: str, prefix: bool = True) -> str | None:
    """Plain words as an FTS5 query: every word must occur; the last may be a prefix."""
    words = re.findall(r"\w+", text)
    if not words:
        return None
    query = " ".join(f'"{w}"' for w in words)
    return query + "*" if prefix else query


def _marked(text: str, words: list[str]) -> str:
    pattern = re.compile("|".join(re.escape(w) for w in words), re.I)
    return pattern.sub(lambda m: f"{MARK_START}{m.group(0)}{MARK_END}", text)


def count_text(count: int) -> str:
    """A match count as the learner reads it: "2,345", or "10,000+" past COUNT_LIMIT."""
    return f"{COUNT_LIMIT:,}+" if count > COUNT_LIMIT else f"{count:,}"


def _count(db: Database, table: str, query: str, limit: int) -> int:
    """How many rows of ``table`` match, counting no further than ``limit``."""
    return db.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {table} MATCH ? LIMIT ?)",
        [query, limit],
    ).fetchone()[0]


def match_counts(db: Database, text: str) -> dict[str, int]:
    """How many passages, facts and mechanisms match, for "N matches; add a word";
    a count past COUNT_LIMIT stops at COUNT_LIMIT + 1 (see count_text)."""
    query = fts_query(text)
    if query is None:
        return {}
    return {
        kind: _count(db, table, query, COUNT_LIMIT + 1)
        for kind, table in (
            ("passage", "passages_fts"),
            ("fact", "facts_fts"),
            ("mechanism", "mechanisms_fts"),
        )
    }


def _plan(db: Database, table: str, text: str) -> tuple[str, str]:
    """The query to run on ``table`` and its ORDER BY clause.

    Ranked (bm25) unless more than RANK_LIMIT rows match; then in library order, and whole
    words only when the words as typed already match that many. FTS5 reads a word's rows as
    it needs them but those of a prefix longer than db.PREFIX_LENGTHS all at once: 0.04 ms for
    "exercise", 8 ms for "exercise*" over 300,000 passages. Which of thousands of unranked
    rows are shown first does not matter; every one of them matches the prefix too.

    ORDER BY rank, not bm25(): FTS5 then sorts inside the index and the snippets are made
    for the rows returned only, not for every match (half the time at 2,000 matches)."""
    whole_words = fts_query(text, prefix=False)
    if _count(db, table, whole_words, RANK_LIMIT + 1) > RANK_LIMIT:
        return whole_words, ""
    query = fts_query(text)
    if _count(db, table, query, RANK_LIMIT + 1) > RANK_LIMIT:
        return query, ""
    return query, "ORDER BY rank"


def _as_chain(snippet: str) -> str:
    """A snippet from a card's steps (stored as a JSON list) read as the chain it is:
    'Exercise → Cortisol levels may fall', not '["Exercise", "Cortisol levels may fall"'."""
    if '", "' not in snippet and not snippet.lstrip("…").startswith("["):
        return snippet
    text = re.sub(r'^(…?)\["?', r"\1", snippet)
    text = re.sub(r'"?\](…?)$', r"\1", text)
    return text.replace('", "', " → ")


def _title_matches(words: list[str]) -> Callable[[str], bool]:
    """Whether each word starts a word of a title ("bdnf" in "BDNF and neuroplasticity")."""
    starts = [re.compile(rf"\b{re.escape(w)}", re.I) for w in words]
    return lambda title: all(start.search(title) for start in starts)


def search(db: Database, text: str, limit: int = 20) -> list[Hit]:
    """Up to ``limit`` hits per group, groups in the order of GROUPS."""
    query = fts_query(text)
    if query is None:
        return []
    words = re.findall(r"\w+", text)
    in_title = _title_matches(words)
    snippet = f"'{MARK_START}', '{MARK_END}', '…', 14"
    found: dict[str, list[Hit]] = {group: [] for group in GROUPS}
    for row in db.execute(
        f"""SELECT m.id, m.title, snippet(mechanisms_fts, -1, {snippet})
            FROM mechanisms_fts JOIN mechanisms m ON m.pk = mechanisms_fts.rowid
            WHERE mechanisms_fts MATCH ? ORDER BY rank LIMIT ?""",
        [query, limit],
    ):
        found["mechanism"].append(Hit("mechanism", row[0], row[1], _as_chain(row[2])))
    found["mechanism"].sort(key=lambda hit: not in_title(hit.title))  # stable: rank kept
    passage_query, passage_order = _plan(db, "passages_fts", text)
    for row in db.execute(
        f"""SELECT p.id, p.source_id, s.title, p.section,
                   snippet(passages_fts, 0, {snippet})
            FROM passages_fts JOIN passages p ON p.pk = passages_fts.rowid
            JOIN sources s ON s.id = p.source_id
            WHERE passages_fts MATCH ? {passage_order} LIMIT ?""",
        [passage_query, limit],
    ):
        where = f"{row[2]} › {row[3]}" if row[3] else row[2]
        found["passage"].append(
            Hit("passage", row[0], where, row[4], source_id=row[1], passage_id=row[0])
        )
    fact_query, fact_order = _plan(db, "facts_fts", text)
    for row in db.execute(
        f"""SELECT f.id, f.source_id, f.passage_id, snippet(facts_fts, -1, {snippet}), s.title
            FROM facts_fts JOIN facts f ON f.pk = facts_fts.rowid
            LEFT JOIN sources s ON s.id = f.source_id
            WHERE facts_fts MATCH ? {fact_order} LIMIT ?""",
        [fact_query, limit],
    ):
        where = f"Fact from {row[4] or row[1]}"
        found["fact"].append(
            Hit("fact", row[0], where, row[3], source_id=row[1], passage_id=row[2])
        )
    for row in db.execute(
        f"""SELECT b.id, b.kind, b.target_id, b.source_id, snippet(bookmarks_fts, -1, {snippet})
            FROM bookmarks_fts JOIN bookmarks b ON b.id = bookmarks_fts.rowid
            WHERE bookmarks_fts MATCH ? AND b.deleted_at IS NULL
            ORDER BY bookmarks_fts.rank LIMIT ?""",
        [query, limit],
    ):
        passage = row[2] if row[1] in ("passage", "selection") else ""
        found["bookmark"].append(
            Hit(
                "bookmark",
                str(row[0]),
                f"Bookmark: {row[1]} {row[2]}",
                row[4],
                source_id=row[3],
                passage_id=passage,
            )
        )
    # LIKE narrows in SQL, for ASCII words (its case folding is ASCII only); in_title then
    # keeps titles where each word starts a word.
    ascii_words = [w for w in words if w.isascii()]
    contains = "".join(" AND title LIKE ? ESCAPE '\\'" for _ in ascii_words)
    like = ["%" + w.replace("_", "\\_") + "%" for w in ascii_words]
    for source_id, title in db.execute(
        f"SELECT id, title FROM sources WHERE 1 {contains} ORDER BY id", like
    ):
        if in_title(title):
            found["source"].append(
                Hit("source", source_id, title, _marked(title, words), source_id=source_id)
            )
            if len(found["source"]) >= limit:
                break
    return [hit for group in GROUPS for hit in found[group]]
