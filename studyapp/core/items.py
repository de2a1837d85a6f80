"""Stored quiz items: brought in line with the content, never deleted, read back for study.

An item whose fact (or chain) is unchanged keeps everything; an item whose fact changed keeps
its schedule and history and is marked changed until it is next answered; an item no longer
generated is retired, its history kept. A new item that continues older ones (a blank of a
fact merged into another, say) starts from the schedule of the most recently studied of them,
so nothing learned starts again as new.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlite_utils import Database

from studyapp.core.content import Content
from studyapp.core.db import fetch_rows, write_transaction
from studyapp.core.models import ItemKind, QuizItem

ITEMS_KEY = "items_digest"
RETIRED_STATE = 0  # item_states.state of a retired item (fsrs states are 1-3)


@dataclass(frozen=True)
class ItemSync:
    added: int
    changed: int
    retired: int
    total: int
    carried: int = 0  # new items that continue the schedule of an item they supersede


def _digest(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:16]


def origin_digests(content: Content) -> dict[str, str]:
    """What each item is made from, so a change to it can be told apart from a new distractor."""
    digests = {
        f.id: _digest(
            f.statement, f.answers, f.quote, f.source_id, str(f.evidence), f.false_statement
        )
        for f in content.facts
    }
    for m in content.mechanisms:
        digests[f"mechanism:{m.id}"] = _digest(m.title, m.steps)
    return digests


def _json_list(values: tuple[str, ...]) -> str:
    # Most items have no choices or no steps; "[]" without the encoder saves a tenth of a
    # 100,000-item build.
    return json.dumps(list(values)) if values else "[]"


def _origin(item: QuizItem) -> str:
    return item.fact_id or f"mechanism:{item.mechanism_ids[0]}"


def sync_items(db: Database, items: list[QuizItem], content: Content, key: str) -> ItemSync:
    """Store ``items`` (in introduction order) in one transaction; ``key`` marks them current."""
    digests = origin_digests(content)
    rows = [
        (
            item.id,
            str(item.kind),
            item.fact_id,
            item.prompt,
            item.answer,
            _json_list(item.choices),
            item.explanation,
            _json_list(item.steps),
            digests[_origin(item)],
            ordinal,
            _json_list(item.accepted),
            _json_list(item.distractors),
            item.false_statement,
            item.sibling_group or None,
            item.unit,
            int(item.detail),
        )
        for ordinal, item in enumerate(items)
    ]
    current = {row[0] for row in rows}
    with write_transaction(db):
        stored = db.execute("SELECT id, origin_digest, retired FROM quiz_items").fetchall()
        before = {item_id: digest for item_id, digest, _ in stored}
        gone = [
            (item_id,) for item_id, _, retired in stored if not retired and item_id not in current
        ]
        db.conn.executemany(
            """INSERT INTO quiz_items (id, kind, fact_id, prompt, answer, choices, explanation,
                                       steps, origin_digest, ordinal, accepted, distractors,
                                       false_statement, sibling_group, unit, detail)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(id) DO UPDATE SET
                   kind = excluded.kind, fact_id = excluded.fact_id, prompt = excluded.prompt,
                   answer = excluded.answer, choices = excluded.choices,
                   explanation = excluded.explanation, steps = excluded.steps,
                   ordinal = excluded.ordinal, retired = 0,
                   accepted = excluded.accepted, distractors = excluded.distractors,
                   false_statement = excluded.false_statement,
                   sibling_group = excluded.sibling_group, unit = excluded.unit,
                   detail = excluded.detail,
                   changed = changed OR (origin_digest != excluded.origin_digest),
                   origin_digest = excluded.origin_digest""",
            rows,
        )
        # From here on, retired = 0 marks exactly the current items.
        db.conn.executemany("UPDATE quiz_items SET retired = 1 WHERE id = ?", gone)
        # A retired item's schedule is parked (state 0, like Anki's suspended queue) so that
        # due queries skip it without a join; the card JSON keeps its real state for a return.
        db.execute(
            f"""UPDATE item_states SET state = {RETIRED_STATE}
                WHERE state != {RETIRED_STATE}
                  AND item_id IN (SELECT id FROM quiz_items WHERE retired = 1)"""
        )
        db.execute(
            f"""UPDATE item_states SET state = json_extract(card, '$.state')
                WHERE state = {RETIRED_STATE}
                  AND item_id IN (SELECT id FROM quiz_items WHERE retired = 0)"""
        )
        db.execute(
            "DELETE FROM item_decks WHERE item_id IN (SELECT id FROM quiz_items WHERE retired = 0)"
        )
        db.conn.executemany(
            "INSERT OR IGNORE INTO item_decks (item_id, mechanism_id) VALUES (?, ?)",
            [(item.id, deck) for item in items for deck in item.mechanism_ids],
        )
        carried = _carry_forward(db, items)
        db["content_meta"].upsert({"key": ITEMS_KEY, "value": key}, pk="key")
    changed = sum(1 for r in rows if r[0] in before and before[r[0]] != r[8])
    return ItemSync(
        added=sum(1 for r in rows if r[0] not in before),
        changed=changed,
        retired=len(gone),
        total=len(rows),
        carried=carried,
    )


def _carry_forward(db: Database, items: list[QuizItem]) -> int:
    """Give each never-studied item the schedule of the most recently studied item it
    supersedes (its history stays with the old item). Returns how many were carried."""
    wanted = [(item.id, old) for item in items for old in item.supersedes]
    if not wanted:
        return 0
    studied = {row[0] for row in db.execute("SELECT item_id FROM item_states")}
    latest: dict[str, tuple[str, str]] = {}  # new id -> (last review, old id)
    for new_id, old_id in wanted:
        if new_id in studied or old_id not in studied:
            continue
        row = db.execute(
            "SELECT json_extract(card, '$.last_review') FROM item_states WHERE item_id = ?",
            [old_id],
        ).fetchone()
        when = row[0] or ""
        if new_id not in latest or when > latest[new_id][0]:
            latest[new_id] = (when, old_id)
    for new_id, (_, old_id) in latest.items():
        db.execute(
            """INSERT INTO item_states (item_id, card, due, state, introduced_at)
               SELECT ?, card, due, json_extract(card, '$.state'), introduced_at
               FROM item_states WHERE item_id = ?""",
            [new_id, old_id],
        )
        db.execute("UPDATE quiz_items SET introduced = 1 WHERE id = ?", [new_id])
    return len(latest)


def stored_items_key(db: Database) -> str:
    row = db.execute("SELECT value FROM content_meta WHERE key = ?", [ITEMS_KEY]).fetchone()
    return row[0] if row else ""


def item_from_row(row: dict, decks: tuple[str, ...] = ()) -> QuizItem:
    return QuizItem(
        id=row["id"],
        kind=ItemKind(row["kind"]),
        prompt=row["prompt"],
        answer=row["answer"],
        choices=tuple(json.loads(row["choices"])),
        fact_id=row["fact_id"],
        mechanism_ids=decks,
        explanation=row["explanation"],
        steps=tuple(json.loads(row["steps"])),
        accepted=tuple(json.loads(row["accepted"])),
        distractors=tuple(json.loads(row["distractors"])),
        false_statement=row["false_statement"],
        sibling_group=row["sibling_group"] or "",
        unit=row["unit"],
        detail=bool(row["detail"]),
    )


def load_item(db: Database, item_id: str) -> QuizItem | None:
    rows = fetch_rows(db, "SELECT * FROM quiz_items WHERE id = ?", [item_id])
    if not rows:
        return None
    decks = tuple(
        r[0]
        for r in db.execute(
            "SELECT mechanism_id FROM item_decks WHERE item_id = ? ORDER BY mechanism_id", [item_id]
        )
    )
    return item_from_row(rows[0], decks)


def list_items(db: Database, include_retired: bool = False) -> list[QuizItem]:
    decks: dict[str, list[str]] = {}
    for item_id, deck in db.execute("SELECT item_id, mechanism_id FROM item_decks"):
        decks.setdefault(item_id, []).append(deck)
    where = "" if include_retired else "WHERE retired = 0"
    return [
        item_from_row(r, tuple(sorted(decks.get(r["id"], ()))))
        for r in db.query(f"SELECT * FROM quiz_items {where} ORDER BY ordinal")
    ]
