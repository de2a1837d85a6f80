"""Store the validated knowledge base, and read mechanisms and facts back."""

from __future__ import annotations

import json

from sqlite_utils import Database

from studyapp.core.content import Content
from studyapp.core.db import fetch_rows, write_transaction
from studyapp.core.models import AnswerRule, Citation, Evidence, Fact, Importance, Mechanism

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
        "step_facts": json.dumps([list(f) for f in mechanism.step_facts]),
        "ordered": int(mechanism.ordered),
        "hypothesis": int(mechanism.hypothesis),
        "wrong_steps": json.dumps(list(mechanism.wrong_steps)),
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
        "importance": str(fact.importance),
        "answer_rules": json.dumps([rule_to_dict(r) for r in fact.answer_rules]),
        "false_statement": fact.false_statement,
        "quote_more": json.dumps(list(fact.quote_more)),
        "also": json.dumps([citation_to_dict(c) for c in fact.also]),
        "replaces": json.dumps(list(fact.replaces)),
        "defines": json.dumps(list(fact.defines)),
    }


def rule_to_dict(rule: AnswerRule) -> dict:
    return {
        "text": rule.text,
        "accept": list(rule.accept),
        "cue": rule.cue,
        "distractors": list(rule.distractors),
        "choice": rule.choice,
    }


def rule_from_dict(data: dict) -> AnswerRule:
    return AnswerRule(
        text=data["text"],
        accept=tuple(data.get("accept", ())),
        cue=data.get("cue", ""),
        distractors=tuple(data.get("distractors", ())),
        choice=data.get("choice", True),
    )


def citation_to_dict(citation: Citation) -> dict:
    return {
        "source_id": citation.source_id,
        "quote": citation.quote,
        "passage_id": citation.passage_id,
        "timestamp": citation.timestamp,
    }


def citation_from_dict(data: dict) -> Citation:
    return Citation(
        data["source_id"], data["quote"], data.get("passage_id", ""), data.get("timestamp")
    )


def _mechanism(row: dict) -> Mechanism:
    return Mechanism(
        id=row["id"],
        title=row["title"],
        summary=row["summary"],
        steps=tuple(json.loads(row["steps"])),
        related=tuple(json.loads(row["related"])),
        key_facts=tuple(json.loads(row["key_facts"])),
        step_facts=tuple(tuple(f) for f in json.loads(row["step_facts"])),
        ordered=bool(row["ordered"]),
        hypothesis=bool(row["hypothesis"]),
        wrong_steps=tuple(json.loads(row["wrong_steps"])),
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
        importance=Importance(row["importance"]),
        answer_rules=tuple(rule_from_dict(r) for r in json.loads(row["answer_rules"])),
        false_statement=row["false_statement"],
        quote_more=tuple(json.loads(row["quote_more"])),
        also=tuple(citation_from_dict(c) for c in json.loads(row["also"])),
        replaces=tuple(json.loads(row["replaces"])),
        defines=tuple(json.loads(row["defines"])),
    )


def stored_content(db: Database) -> Content:
    return Content(tuple(list_mechanisms(db)), tuple(list_facts(db)), stored_digest(db))


def get_mechanism(db: Database, mechanism_id: str) -> Mechanism | None:
    rows = fetch_rows(db, "SELECT * FROM mechanisms WHERE id = ?", [mechanism_id])
    return _mechanism(rows[0]) if rows else None


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
