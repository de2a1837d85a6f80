"""Store the validated knowledge base, and read mechanisms and facts back."""

from __future__ import annotations

import json

from sqlite_utils import Database

from studyapp.core.content import Content
from studyapp.core.db import fetch_rows, write_transaction
from studyapp.core.models import Evidence, Fact, Mechanism

CONTENT_DIGEST_KEY = "content_digest"


def store_content(db: Database, content: Content) -> None:
    """Replace the stored mechanisms and facts with ``content``, in one transaction."""
    with write_transaction(db):
        db.execute("DELETE FROM fact_mechanisms")
        db.execute("DELETE FROM facts")
        db.execute("DELETE FROM mechanisms")
        db["mechanisms"].insert_all(
            _mechanism_row(m, ordinal) for ordinal, m in enumerate(content.mechanisms)
        )
        db["facts"].insert_all(_fact_row(f, ordinal) for ordinal, f in enumerate(content.facts))
        db["fact_mechanisms"].insert_all(
            {"fact_id": f.id, "mechanism_id": m, "ordinal": i}
            for f in content.facts
            for i, m in enumerate(f.mechanism_ids)
        )
        db["content_meta"].upsert({"key": CONTENT_DIGEST_KEY, "value": content.digest}, pk="key")


def stored_digest(db: Database) -> str:
    query = "SELECT value FROM content_meta WHERE key = ?"
    row = db.execute(query, [CONTENT_DIGEST_KEY]).fetchone()
    return row[0] if row else ""


def _mechanism_row(mechanism: Mechanism, ordinal: int) -> dict:
    return {
        "id": mechanism.id,
        "ordinal": ordinal,
        "title": mechanism.title,
        "summary": mechanism.summary,
        "steps": json.dumps(list(mechanism.steps)),
        "related": json.dumps(list(mechanism.related)),
        "key_facts": json.dumps(list(mechanism.key_facts)),
    }


def _fact_row(fact: Fact, ordinal: int) -> dict:
    return {
        "id": fact.id,
        "ordinal": ordinal,
        "statement": fact.statement,
        "answers": json.dumps(list(fact.answers)),
        "source_id": fact.source_id,
        "passage_id": fact.passage_id,
        "quote": fact.quote,
        "timestamp": fact.timestamp,
        "evidence": str(fact.evidence),
    }


def _mechanism(row: dict) -> Mechanism:
    return Mechanism(
        id=row["id"],
        title=row["title"],
        summary=row["summary"],
        steps=tuple(json.loads(row["steps"])),
        related=tuple(json.loads(row["related"])),
        key_facts=tuple(json.loads(row["key_facts"])),
    )


def list_mechanisms(db: Database) -> list[Mechanism]:
    return [_mechanism(r) for r in db.query("SELECT * FROM mechanisms ORDER BY ordinal")]


def list_facts(db: Database) -> list[Fact]:
    """Every fact in content order, with the mechanisms it belongs to."""
    links: dict[str, list[str]] = {}
    for row in db.query("SELECT * FROM fact_mechanisms ORDER BY fact_id, ordinal"):
        links.setdefault(row["fact_id"], []).append(row["mechanism_id"])
    return [
        _fact(row, tuple(links.get(row["id"], ())))
        for row in db.query("SELECT * FROM facts ORDER BY ordinal")
    ]


def _fact(row: dict, mechanism_ids: tuple[str, ...]) -> Fact:
    return Fact(
        id=row["id"],
        statement=row["statement"],
        answers=tuple(json.loads(row["answers"])),
        source_id=row["source_id"],
        quote=row["quote"],
        evidence=Evidence(row["evidence"]),
        mechanism_ids=mechanism_ids,
        passage_id=row["passage_id"],
        timestamp=row["timestamp"],
    )


def stored_content(db: Database) -> Content:
    return Content(tuple(list_mechanisms(db)), tuple(list_facts(db)), stored_digest(db))


def get_fact(db: Database, fact_id: str) -> Fact | None:
    rows = fetch_rows(db, "SELECT * FROM facts WHERE id = ?", [fact_id])
    if not rows:
        return None
    row = rows[0]
    mechanisms = tuple(
        r[0]
        for r in db.execute(
            "SELECT mechanism_id FROM fact_mechanisms WHERE fact_id = ? ORDER BY ordinal",
            [fact_id],
        )
    )
    return _fact(row, mechanisms)
