"""Export the library: JSON (everything, versioned) or CSV (the facts), to a file or stdout.

The JSON format is a contract: keys may be added in later versions, never renamed. Added
since the first version: a fact's importance, answer rules, false statement, quote
continuation, other sources, merged ids and defined terms; a mechanism's step sources,
ordered and hypothesis flags and wrong steps; an item's accepted answers, recognition
options, false statement, sibling group, unit and detail flag.
"""

from __future__ import annotations

import csv
import io
import json

from sqlite_utils import Database

from studyapp.core.content import Content
from studyapp.core.items import list_items
from studyapp.core.knowledge import (
    citation_from_dict,
    citation_to_dict,
    rule_from_dict,
    rule_to_dict,
    stored_content,
)
from studyapp.core.library import list_sources
from studyapp.core.models import Evidence, Fact, Importance, ItemKind, Mechanism, QuizItem

EXPORT_FORMAT = "studyapp-export"
EXPORT_VERSION = 1
LIST_SEPARATOR = " | "  # joins lists inside one CSV cell
CSV_COLUMNS = [
    "id",
    "statement",
    "answers",
    "source_id",
    "passage_id",
    "quote",
    "timestamp",
    "evidence",
    "evidence_label",
    "mechanism_ids",
    "importance",
    "false_statement",
]


def _mechanism_entry(mechanism: Mechanism, content: Content) -> dict:
    facts = content.facts_of(mechanism.id)
    source_ids = list(dict.fromkeys(f.source_id for f in facts))
    return {
        "id": mechanism.id,
        "title": mechanism.title,
        "summary": mechanism.summary,
        "steps": list(mechanism.steps),
        "fact_ids": [f.id for f in facts],
        "source_ids": source_ids,
        "related": list(mechanism.related),
        "key_facts": list(mechanism.key_facts),
        "step_facts": [list(f) for f in mechanism.step_facts],
        "ordered": mechanism.ordered,
        "quiz_order": mechanism.quiz_order,
        "hypothesis": mechanism.hypothesis,
        "wrong_steps": list(mechanism.wrong_steps),
    }


def _fact_entry(fact: Fact) -> dict:
    return {
        "id": fact.id,
        "statement": fact.statement,
        "answers": list(fact.answers),
        "source_id": fact.source_id,
        "passage_id": fact.passage_id,
        "quote": fact.quote,
        "timestamp": fact.timestamp,
        "evidence": str(fact.evidence),
        "evidence_label": fact.evidence.label,
        "mechanism_ids": list(fact.mechanism_ids),
        "importance": str(fact.importance),
        "answer_rules": [rule_to_dict(r) for r in fact.answer_rules],
        "false_statement": fact.false_statement,
        "evidence_prompt": fact.evidence_prompt,
        "quote_more": list(fact.quote_more),
        "also": [citation_to_dict(c) for c in fact.also],
        "replaces": list(fact.replaces),
        "defines": list(fact.defines),
    }


def export_data(db: Database) -> dict:
    content = stored_content(db)
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "sources": [
            {
                "id": s.source.id,
                "title": s.source.title,
                "kind": str(s.source.kind),
                "authors": list(s.source.authors),
                "date": s.source.date,
                "url": s.source.url,
                "outlet": s.source.outlet,
                "doi": s.source.doi,
            }
            for s in list_sources(db)
        ],
        "mechanisms": [_mechanism_entry(m, content) for m in content.mechanisms],
        "facts": [_fact_entry(f) for f in content.facts],
        "quiz_items": [_item_entry(i) for i in list_items(db)],
    }


def _item_entry(item: QuizItem) -> dict:
    return {
        "id": item.id,
        "fact_id": item.fact_id,
        "kind": str(item.kind),
        "prompt": item.prompt,
        "answer": item.answer,
        "choices": list(item.choices),
        "mechanism_ids": list(item.mechanism_ids),
        "explanation": item.explanation,
        "steps": list(item.steps),
        "accepted": list(item.accepted),
        "recognition_choices": list(item.distractors) if item.kind is ItemKind.CLOZE else [],
        "false_statement": item.false_statement,
        "sibling_group": item.sibling_group,
        "unit": item.unit,
        "detail": item.detail,
    }


def content_from_export(data: dict) -> Content:
    """The mechanisms and facts of an export, as domain objects (the reverse of export)."""
    if data.get("format") != EXPORT_FORMAT:
        raise ValueError("this is not a StudyApp export")
    if data.get("version", 0) > EXPORT_VERSION:
        raise ValueError(f"this export is version {data['version']}; update StudyApp to read it")
    mechanisms = tuple(
        Mechanism(
            id=m["id"],
            title=m["title"],
            summary=m["summary"],
            steps=tuple(m["steps"]),
            related=tuple(m.get("related", ())),
            key_facts=tuple(m.get("key_facts", ())),
            step_facts=tuple(tuple(f) for f in m.get("step_facts", ())),
            ordered=m.get("ordered", False),
            quiz_order=m.get("quiz_order", False),
            hypothesis=m.get("hypothesis", False),
            wrong_steps=tuple(m.get("wrong_steps", ())),
        )
        for m in data["mechanisms"]
    )
    facts = tuple(
        Fact(
            id=f["id"],
            statement=f["statement"],
            answers=tuple(f["answers"]),
            source_id=f["source_id"],
            quote=f["quote"],
            evidence=Evidence(f["evidence"]),
            mechanism_ids=tuple(f["mechanism_ids"]),
            passage_id=f["passage_id"],
            timestamp=f["timestamp"],
            importance=Importance(f.get("importance", "key")),
            answer_rules=tuple(rule_from_dict(r) for r in f.get("answer_rules", ())),
            false_statement=f.get("false_statement", ""),
            evidence_prompt=f.get("evidence_prompt", ""),
            quote_more=tuple(f.get("quote_more", ())),
            also=tuple(citation_from_dict(c) for c in f.get("also", ())),
            replaces=tuple(f.get("replaces", ())),
            defines=tuple(f.get("defines", ())),
        )
        for f in data["facts"]
    )
    return Content(mechanisms, facts, digest="")


def to_json(db: Database) -> str:
    return json.dumps(export_data(db), ensure_ascii=False, indent=2) + "\n"


def to_csv(db: Database) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for fact in export_data(db)["facts"]:
        row = {column: fact[column] for column in CSV_COLUMNS}
        row["answers"] = LIST_SEPARATOR.join(fact["answers"])
        row["mechanism_ids"] = LIST_SEPARATOR.join(fact["mechanism_ids"])
        row["timestamp"] = "" if fact["timestamp"] is None else fact["timestamp"]
        writer.writerow(row)
    return out.getvalue()
