"""Read the stored sources and passages back as domain objects."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from studyapp.core.db import fetch_rows
from studyapp.core.models import Passage, Source
from studyapp.core.slugs import slugify


@dataclass(frozen=True)
class SourceSummary:
    """A row of the sources list: the source without its passages, and how many it has."""

    source: Source
    passage_count: int
    file_name: str


def list_sources(db: Database) -> list[SourceSummary]:
    rows = db.query(
        """SELECT s.*, (SELECT count(*) FROM passages p WHERE p.source_id = s.id) AS n
           FROM sources s ORDER BY s.file_name"""
    )
    return [SourceSummary(Source.from_row(r), r["n"], r["file_name"]) for r in rows]


def get_source(db: Database, source_id: str) -> Source | None:
    """The source with its passages in reading order, or None if there is no such source."""
    rows = list(db.query("SELECT * FROM sources WHERE id = ?", [source_id]))
    if not rows:
        return None
    passages = tuple(
        Passage.from_row(r)
        for r in fetch_rows(
            db, "SELECT * FROM passages WHERE source_id = ? ORDER BY ordinal", [source_id]
        )
    )
    return Source.from_row(rows[0], passages)


def get_passage(db: Database, passage_id: str) -> Passage | None:
    rows = list(db.query("SELECT * FROM passages WHERE id = ?", [passage_id]))
    return Passage.from_row(rows[0]) if rows else None


def wiki_targets(db: Database) -> dict[str, str]:
    """Wiki link target (as a slug) -> source id, for every source in the library.

    "[[exercise_as_a_treatment_for_depression]]" names a page by its title, so a target
    matches a source whose title has the same slug.
    """
    return {slugify(r["title"]): r["id"] for r in db.query("SELECT id, title FROM sources")}


def resolve_wiki_target(targets: dict[str, str], target: str) -> str | None:
    return targets.get(slugify(target))


def get_source_header(db: Database, source_id: str) -> Source | None:
    """The source's metadata without its passages (for citations)."""
    rows = list(db.query("SELECT * FROM sources WHERE id = ?", [source_id]))
    return Source.from_row(rows[0]) if rows else None
