"""Is an SQLite file a StudyApp database as StudyApp writes it?

The schema is compared object by object with what the migrations make at the file's version:
an extra trigger could erase history on every answer, a view in place of a table could hang
every start. The values are checked against what the app can read: types, timestamps, JSON,
and lengths no screen could show (a five-megabyte title freezes the window).
"""

from __future__ import annotations

import functools
import sqlite3
from dataclasses import dataclass

from sqlite_utils import Database

from studyapp.core.db import FTS_TABLES, MIGRATIONS, SCHEMA_VERSION

# Tables FTS5 makes for each full-text index; their text is SQLite's, which may differ between
# SQLite versions, so only their names are compared.
_FTS_SHADOWS = ("data", "idx", "docsize", "config", "content")
# Tables SQLite itself may add (ANALYZE, AUTOINCREMENT).
_SQLITE_OWN = {"sqlite_stat1", "sqlite_stat4", "sqlite_sequence"}

TIMESTAMP_COLUMNS = {
    "reviewed_at",
    "due",
    "introduced_at",
    "created_at",
    "updated_at",
    "deleted_at",
}
CARD_COLUMNS = {"card", "state_before", "state_after"}  # fsrs cards as JSON
JSON_COLUMNS = {"answers", "steps", "choices"} | CARD_COLUMNS  # besides those defaulting to '[]'
# Characters a value may have: far beyond anything the app writes, well below what freezes it.
TEXT_CAPS = {
    ("sources", "title"): 1_000,
    ("mechanisms", "title"): 1_000,
    ("facts", "statement"): 20_000,
    ("quiz_items", "prompt"): 20_000,
    ("quiz_items", "answer"): 5_000,
    ("quiz_items", "explanation"): 20_000,
    ("bookmarks", "note"): 1_000_000,
    ("bookmarks", "tags"): 100_000,
}
DEFAULT_TEXT_CAP = 6_000_000  # a source file is at most 5 MB
UNCAPPED = {("review_log", "response")}  # only ever stored, never shown
_ISO_TIME = (
    "[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]*"
    "[+-][0-9][0-9]:[0-9][0-9]"
)


@dataclass(frozen=True)
class SchemaObject:
    type: str
    name: str
    sql: str  # white space collapsed; "" where only the name is compared


def _shadow_names() -> set[str]:
    return {f"{table}_fts_{shadow}" for table, _, _ in FTS_TABLES for shadow in _FTS_SHADOWS}


def _objects(conn: sqlite3.Connection) -> dict[str, SchemaObject]:
    shadows = _shadow_names()
    found = {}
    for kind, name, sql in conn.execute("SELECT type, name, sql FROM sqlite_master"):
        compared = "" if sql is None or name in shadows else " ".join(sql.split())
        found[name] = SchemaObject(kind, name, compared)
    return found


@dataclass(frozen=True)
class _Reference:
    objects: dict[str, SchemaObject]
    columns: dict[str, list[tuple[str, str, str | None]]]  # table -> (name, type, default)


@functools.cache
def _reference(version: int) -> _Reference:
    """What the migrations make up to ``version``, read off a database in memory."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        db = Database(conn, execute_plugins=False)
        for migration in MIGRATIONS[:version]:
            migration(db)
        objects = _objects(conn)
        tables = [
            o.name
            for o in objects.values()
            if o.type == "table" and o.sql and not o.sql.upper().startswith("CREATE VIRTUAL")
        ]
        columns = {
            table: [
                (row[1], row[2].upper(), row[4])
                for row in conn.execute(f"PRAGMA table_info({table})")
            ]
            for table in tables
        }
        return _Reference(objects, columns)
    finally:
        conn.close()


def user_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def schema_problems(conn: sqlite3.Connection) -> list[str]:
    """How the file's schema differs from StudyApp's at its own version ([] if it does not)."""
    version = user_version(conn)
    actual = _objects(conn)
    if version == 0:
        return [f"it holds {len(actual)} objects StudyApp did not make"] if actual else []
    if version > SCHEMA_VERSION:
        return []  # a newer StudyApp's file: the caller refuses it by its version
    expected = _reference(version).objects
    problems = []
    extra = sorted(
        f"{actual[name].type} {name}"
        for name in actual.keys() - expected.keys()
        if name not in _SQLITE_OWN
    )
    if extra:
        problems.append(f"it has objects StudyApp does not make ({', '.join(extra[:5])})")
    missing = sorted(expected.keys() - actual.keys())
    if missing:
        problems.append(f"it lacks StudyApp's {', '.join(missing[:5])}")
    changed = sorted(
        name for name in expected.keys() & actual.keys() if expected[name] != actual[name]
    )
    if changed:
        problems.append(f"its {', '.join(changed[:5])} differ from StudyApp's")
    return problems


def _column_checks(
    table: str, column: str, declared: str, default: str | None
) -> list[tuple[str, str]]:
    """(SQL condition a good value meets, what a bad one is) for one column."""
    quoted = f'"{column}"'
    checks = []
    if declared == "INTEGER":
        checks.append((f"typeof({quoted}) IN ('integer', 'null')", "not a whole number"))
    elif declared == "TEXT":
        checks.append((f"typeof({quoted}) IN ('text', 'null')", "not text"))
        if (table, column) not in UNCAPPED:
            cap = TEXT_CAPS.get((table, column), DEFAULT_TEXT_CAP)
            checks.append((f"length({quoted}) IS NULL OR length({quoted}) <= {cap}", "too long"))
    if column in TIMESTAMP_COLUMNS:
        checks.append((f"{quoted} IS NULL OR {quoted} GLOB '{_ISO_TIME}'", "not a time"))
    if column in JSON_COLUMNS or default in ("'[]'", "'{}'"):
        checks.append((f"{quoted} IS NULL OR json_valid({quoted})", "not valid JSON"))
    if column in CARD_COLUMNS:
        # CASE, because json_extract raises on text that is not JSON.
        card = (
            f"json_extract({quoted}, '$.state') IN (1, 2, 3)"
            f" AND json_extract({quoted}, '$.due') GLOB '{_ISO_TIME}'"
            f" AND coalesce(json_extract({quoted}, '$.stability'), 1) > 0"
            f" AND coalesce(json_extract({quoted}, '$.difficulty'), 1) BETWEEN 0 AND 11"
        )
        checks.append(
            (
                f"{quoted} IS NULL OR CASE WHEN json_valid({quoted}) THEN {card} ELSE 0 END",
                "not a schedule StudyApp can read",
            )
        )
    return checks


def value_problems(conn: sqlite3.Connection) -> list[str]:
    """Values of the app's own tables that the app could not read or show ([] if none)."""
    version = min(user_version(conn), SCHEMA_VERSION)
    problems = []
    for table, columns in _reference(version).columns.items():
        for column, declared, default in columns:
            for condition, what in _column_checks(table, column, declared, default):
                bad = conn.execute(
                    f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE NOT ({condition}) LIMIT 1)"
                ).fetchone()[0]
                if bad:
                    problems.append(f"a {table}.{column} value is {what}")
    return problems
