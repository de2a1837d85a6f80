"""Bookmarks of sources, passages, selections, mechanism cards and facts; with notes and tags.

A passage or selection is anchored by its passage id and the bookmarked words. After a
content update, a bookmark whose passage moved is found again by its words (or, for a whole
passage, the most similar passage of its source); one whose words are gone is marked
orphaned, and kept. Deleting is undoable: the row is only marked deleted.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from studyapp.core.db import utc_text, write_transaction

KINDS = ("source", "passage", "selection", "mechanism", "fact")
SIMILAR_ENOUGH = 0.85  # a whole passage edited lightly is still the same passage


@dataclass(frozen=True)
class Target:
    """What Ctrl+D would bookmark where the learner is."""

    kind: str  # one of KINDS
    target_id: str
    source_id: str
    words: str  # kept with the bookmark: the quote, passage, statement or title
    shown: str = ""  # what the dialog shows instead, when the words must stay hidden


@dataclass(frozen=True)
class Bookmark:
    id: int
    kind: str
    target_id: str  # source, passage, mechanism or fact id
    source_id: str  # for grouping; "" for mechanisms
    quote: str  # the bookmarked words (a passage's text, a selection, a fact's statement)
    note: str
    tags: tuple[str, ...]
    created_at: str
    orphaned: bool


def _row_to_bookmark(row: dict) -> Bookmark:
    return Bookmark(
        row["id"],
        row["kind"],
        row["target_id"],
        row["source_id"],
        row["quote"],
        row["note"],
        tuple(json.loads(row["tags"])),
        row["created_at"],
        bool(row["orphaned"]),
    )


def clean_tags(text: str) -> tuple[str, ...]:
    """ "Exam, bdnf  exam" -> ("bdnf", "exam")."""
    return tuple(sorted({t.strip().lower() for t in text.replace(",", " ").split() if t.strip()}))


def add_bookmark(
    db: Database,
    kind: str,
    target_id: str,
    now: datetime,
    *,
    source_id: str = "",
    quote: str = "",
    note: str = "",
    tags: tuple[str, ...] = (),
) -> int:
    if kind not in KINDS:
        raise ValueError(f"unknown bookmark kind {kind!r}")
    with write_transaction(db):
        return db.execute(
            """INSERT INTO bookmarks (kind, target_id, source_id, quote, note, tags,
                                      created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                kind,
                target_id,
                source_id,
                quote,
                note,
                json.dumps(list(tags)),
                utc_text(now),
                utc_text(now),
            ],
        ).lastrowid


def edit_bookmark(
    db: Database, bookmark_id: int, note: str, tags: tuple[str, ...], now: datetime
) -> None:
    with write_transaction(db):
        db.execute(
            "UPDATE bookmarks SET note = ?, tags = ?, updated_at = ? WHERE id = ?",
            [note, json.dumps(list(tags)), utc_text(now), bookmark_id],
        )


def delete_bookmark(db: Database, bookmark_id: int, now: datetime) -> None:
    """Mark deleted (undo_delete brings it back as it was)."""
    with write_transaction(db):
        db.execute("UPDATE bookmarks SET deleted_at = ? WHERE id = ?", [utc_text(now), bookmark_id])


def undo_delete(db: Database, bookmark_id: int) -> None:
    with write_transaction(db):
        db.execute("UPDATE bookmarks SET deleted_at = NULL WHERE id = ?", [bookmark_id])


def list_bookmarks(db: Database, text: str = "", tag: str = "") -> list[Bookmark]:
    """Live bookmarks, grouped by source then newest first; filtered by words and a tag."""
    found = [
        _row_to_bookmark(r)
        for r in db.query(
            "SELECT * FROM bookmarks WHERE deleted_at IS NULL "
            "ORDER BY source_id, created_at DESC, id DESC"
        )
    ]
    words = text.casefold().split()
    return [
        b
        for b in found
        if (not tag or tag in b.tags)
        and all(w in f"{b.quote} {b.note} {' '.join(b.tags)}".casefold() for w in words)
    ]


def all_tags(db: Database) -> list[str]:
    tags: set[str] = set()
    for (value,) in db.execute("SELECT tags FROM bookmarks WHERE deleted_at IS NULL"):
        tags.update(json.loads(value))
    return sorted(tags)


def reanchor(db: Database) -> tuple[int, int]:
    """After a content update: find moved passages again, mark lost ones orphaned.
    Returns (re-anchored, orphaned). Never deletes a bookmark."""
    passages = [dict(r) for r in db.query("SELECT id, source_id, text FROM passages")]
    by_id = {p["id"]: p for p in passages}
    exists = {
        "source": {r[0] for r in db.execute("SELECT id FROM sources")},
        "mechanism": {r[0] for r in db.execute("SELECT id FROM mechanisms")},
        "fact": {r[0] for r in db.execute("SELECT id FROM facts")},
    }
    merged = (
        {  # a fact merged into another: its bookmarks follow it there
            old: fact_id
            for fact_id, replaces in db.execute("SELECT id, replaces FROM facts")
            for old in json.loads(replaces)
        }
        if "replaces" in db["facts"].columns_dict
        else {}
    )  # (a schema before 7 has none)
    rows = list(db.query("SELECT * FROM bookmarks WHERE deleted_at IS NULL"))
    moved = lost = 0
    with write_transaction(db):
        for row in rows:
            kind, target = row["kind"], row["target_id"]
            if kind == "fact" and target not in exists["fact"] and target in merged:
                found, new_target, new_source = True, merged[target], row["source_id"]
            elif kind in exists:
                found = target in exists[kind]
                new_target, new_source = target, row["source_id"]
            else:
                current = by_id.get(target)
                found = bool(current) and row["quote"] in current["text"]
                new_target, new_source = target, row["source_id"]
                if not found:
                    match = _find_passage(passages, row["quote"], row["source_id"], kind)
                    if match:
                        found, new_target, new_source = True, match["id"], match["source_id"]
            if found and (new_target != target or row["orphaned"]):
                moved += new_target != target
                db.execute(
                    "UPDATE bookmarks SET target_id = ?, source_id = ?, orphaned = 0 WHERE id = ?",
                    [new_target, new_source, row["id"]],
                )
            elif not found and not row["orphaned"]:
                lost += 1
                db.execute("UPDATE bookmarks SET orphaned = 1 WHERE id = ?", [row["id"]])
    return moved, lost


def _find_passage(passages: list[dict], quote: str, source_id: str, kind: str) -> dict | None:
    same_source = [p for p in passages if p["source_id"] == source_id]
    for pool in (same_source, passages):
        for passage in pool:
            if quote and quote in passage["text"]:
                return passage
    if kind == "passage" and same_source:  # a whole passage, lightly edited
        best = max(
            same_source, key=lambda p: difflib.SequenceMatcher(None, quote, p["text"]).ratio()
        )
        if difflib.SequenceMatcher(None, quote, best["text"]).ratio() >= SIMILAR_ENOUGH:
            return best
    return None


def export_markdown(db: Database) -> str:
    titles = dict(db.execute("SELECT id, title FROM sources").fetchall())
    lines = ["# StudyApp bookmarks", ""]
    group = None
    for b in list_bookmarks(db):
        heading = titles.get(b.source_id, "Mechanism cards") if b.source_id else "Mechanism cards"
        if heading != group:
            group = heading
            lines += [f"## {heading}", ""]
        where = f"{b.kind} `{b.target_id}`" + (
            " (orphaned: its text is gone)" if b.orphaned else ""
        )
        lines.append(f"- > {b.quote}" if b.quote else f"- {where}")
        if b.quote:
            lines.append(f"  - {where}")
        if b.note:
            lines.append(f"  - Note: {b.note}")
        if b.tags:
            lines.append(f"  - Tags: {', '.join(b.tags)}")
        lines.append(f"  - Saved: {b.created_at[:10]}")
    return "\n".join(lines) + "\n"


def export_csv(db: Database) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["id", "kind", "target_id", "source_id", "quote", "note", "tags", "created_at", "orphaned"]
    )
    for b in list_bookmarks(db):
        writer.writerow(
            [
                b.id,
                b.kind,
                b.target_id,
                b.source_id,
                b.quote,
                b.note,
                " | ".join(b.tags),
                b.created_at,
                int(b.orphaned),
            ]
        )
    return out.getvalue()
