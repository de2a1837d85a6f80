"""Open the database (WAL, foreign keys, full sync) and bring its schema up to date.

The schema version lives in ``PRAGMA user_version``. Each migration is a function that runs
once, in its own transaction, and is never edited after release; a new change is a new
function appended to MIGRATIONS. Content tables (sources, passages) are rebuilt by the ingest;
user tables (settings now; reviews and bookmarks later) are only ever changed by migrations
and by the learner, and hold no foreign keys into content tables, so a rebuild cannot cascade
into them.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database


class DatabaseProblem(Exception):
    """The database cannot be used; the message is a sentence for the learner."""


def write_problem(error: sqlite3.Error) -> str:
    """A sentence for a write that failed and was rolled back (full disk, read-only...)."""
    text = str(error)
    if "full" in text:
        reason = "the disk is full; free some space"
    elif "readonly" in text or "read-only" in text:
        reason = "the data folder is read-only; fix its permissions"
    elif "locked" in text:
        reason = "another program holds the database; close it"
    else:
        reason = f"the database refused it ({text})"
    return f"This was not saved: {reason}, then try again. Nothing was half-written."


@contextlib.contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """One atomic write: BEGIN IMMEDIATE ... COMMIT, rolled back on any error.

    IMMEDIATE takes the write lock at the start, so a second connection (the UI thread and a
    worker) waits its turn through the busy timeout; a deferred BEGIN, as in sqlite-utils'
    atomic(), would start as a reader and fail at once with "database is locked" when the
    other connection commits first.
    """
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def checkpoint(db: Database) -> None:
    """Copy what the -wal holds into the database file itself (PASSIVE: it never waits for a
    reader). Views call it just after an answer is saved, off the answer's own path, so a -wal
    lost after a crash (deleted by a cleaner or a sync tool) loses no answer."""
    with contextlib.suppress(sqlite3.Error):
        db.execute("PRAGMA wal_checkpoint(PASSIVE)")


def fetch_rows(db: Database, sql: str, params: Sequence | dict = ()) -> list[dict]:
    """The rows as dicts, like ``Database.query`` but without the savepoint it wraps every
    read in: three statements instead of one, which the review loop feels."""
    cursor = db.execute(sql, params)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def utc_text(moment: datetime) -> str:
    """A timestamp as stored: UTC, microseconds, so text order is time order."""
    if moment.tzinfo is None:
        raise ValueError("times must be timezone-aware")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _fts_statements(table: str, rowid: str, columns: list[str], prefix: str = "") -> list[str]:
    """An external-content FTS5 index over ``columns`` of ``table``, kept current by triggers;
    ``prefix`` lists the prefix lengths (in characters) that get an index of their own."""
    names = ", ".join(columns)
    prefix_option = f", prefix='{prefix}'" if prefix else ""
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    fts = f"{table}_fts"
    return [
        f"""CREATE VIRTUAL TABLE {fts} USING fts5(
            {names}, content='{table}', content_rowid='{rowid}',
            tokenize='porter unicode61 remove_diacritics 2'{prefix_option}
        )""",
        f"""CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN
            INSERT INTO {fts}(rowid, {names}) VALUES (new.{rowid}, {new});
        END""",
        f"""CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN
            INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.{rowid}, {old});
        END""",
        f"""CREATE TRIGGER {fts}_update AFTER UPDATE ON {table} BEGIN
            INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.{rowid}, {old});
            INSERT INTO {fts}(rowid, {names}) VALUES (new.{rowid}, {new});
        END""",
    ]


def _m1_sources_and_passages(db: Database) -> None:
    statements = [
        """CREATE TABLE sources (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            kind TEXT NOT NULL,
            authors TEXT NOT NULL DEFAULT '[]',
            outlet TEXT NOT NULL DEFAULT '',
            date TEXT NOT NULL DEFAULT '',
            doi TEXT NOT NULL DEFAULT '',
            url TEXT NOT NULL DEFAULT '',
            video_id TEXT NOT NULL DEFAULT '',
            keywords TEXT NOT NULL DEFAULT '[]',
            file_name TEXT NOT NULL UNIQUE,
            file_sha256 TEXT NOT NULL
        )""",
        # pk is an explicit INTEGER PRIMARY KEY so that VACUUM keeps the rowids the
        # full-text index points at.
        """CREATE TABLE passages (
            pk INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            source_id TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
            ordinal INTEGER NOT NULL,
            kind TEXT NOT NULL,
            markdown TEXT NOT NULL,
            text TEXT NOT NULL,
            level INTEGER NOT NULL DEFAULT 0,
            section TEXT NOT NULL DEFAULT '',
            label TEXT NOT NULL DEFAULT '',
            callout TEXT NOT NULL DEFAULT '',
            timestamps TEXT NOT NULL DEFAULT '[]'
        )""",
        "CREATE INDEX passages_by_source ON passages(source_id, ordinal)",
        *_fts_statements("passages", "pk", ["text", "section"]),
        # Bookkeeping of the content build (parser version); not user data.
        "CREATE TABLE content_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        # User data: the learner's preferences and first-run flags.
        "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    ]
    for statement in statements:
        db.execute(statement)


def _m2_mechanisms_and_facts(db: Database) -> None:
    statements = [
        """CREATE TABLE mechanisms (
            pk INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            ordinal INTEGER NOT NULL,
            title TEXT NOT NULL,
            summary TEXT NOT NULL,
            steps TEXT NOT NULL,
            related TEXT NOT NULL DEFAULT '[]',
            key_facts TEXT NOT NULL DEFAULT '[]'
        )""",
        # No foreign keys to sources or passages: the ingest checks those links, and a
        # source update must never cascade into facts (or, later, into review history).
        """CREATE TABLE facts (
            pk INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            ordinal INTEGER NOT NULL,
            statement TEXT NOT NULL,
            answers TEXT NOT NULL,
            source_id TEXT NOT NULL,
            passage_id TEXT NOT NULL,
            quote TEXT NOT NULL,
            timestamp INTEGER,
            evidence TEXT NOT NULL
        )""",
        """CREATE TABLE fact_mechanisms (
            fact_id TEXT NOT NULL REFERENCES facts(id) ON DELETE CASCADE,
            mechanism_id TEXT NOT NULL REFERENCES mechanisms(id) ON DELETE CASCADE,
            ordinal INTEGER NOT NULL,
            PRIMARY KEY (fact_id, mechanism_id)
        )""",
        "CREATE INDEX fact_mechanisms_by_mechanism ON fact_mechanisms(mechanism_id)",
        *_fts_statements("facts", "pk", ["statement", "quote"]),
        *_fts_statements("mechanisms", "pk", ["title", "summary", "steps"]),
    ]
    for statement in statements:
        db.execute(statement)


def _m3_quiz_items_and_reviews(db: Database) -> None:
    statements = [
        # Items are never deleted: a removed fact's items are retired and keep their history.
        """CREATE TABLE quiz_items (
            pk INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            fact_id TEXT NOT NULL DEFAULT '',
            prompt TEXT NOT NULL,
            answer TEXT NOT NULL,
            choices TEXT NOT NULL DEFAULT '[]',
            explanation TEXT NOT NULL DEFAULT '',
            steps TEXT NOT NULL DEFAULT '[]',
            origin_digest TEXT NOT NULL,
            ordinal INTEGER NOT NULL,
            introduced INTEGER NOT NULL DEFAULT 0,
            changed INTEGER NOT NULL DEFAULT 0,
            retired INTEGER NOT NULL DEFAULT 0
        )""",
        "CREATE INDEX quiz_items_new ON quiz_items(ordinal) WHERE introduced = 0 AND retired = 0",
        """CREATE TABLE item_decks (
            item_id TEXT NOT NULL,
            mechanism_id TEXT NOT NULL,
            PRIMARY KEY (item_id, mechanism_id)
        )""",
        "CREATE INDEX item_decks_by_deck ON item_decks(mechanism_id, item_id)",
        # User data from here on: the learner's schedule and every answer they gave.
        """CREATE TABLE item_states (
            item_id TEXT PRIMARY KEY,
            card TEXT NOT NULL,
            due TEXT NOT NULL,
            state INTEGER NOT NULL,
            introduced_at TEXT NOT NULL
        )""",
        # Covers the due queries (with item_id for the deck check) without reading the cards.
        "CREATE INDEX item_states_by_due ON item_states(state, due, item_id)",
        """CREATE TABLE review_log (
            id INTEGER PRIMARY KEY,
            item_id TEXT NOT NULL,
            rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
            queue TEXT NOT NULL,
            reviewed_at TEXT NOT NULL,
            duration_ms INTEGER NOT NULL DEFAULT 0,
            state_before TEXT,
            state_after TEXT NOT NULL,
            response TEXT NOT NULL DEFAULT '',
            correct INTEGER
        )""",
        "CREATE INDEX review_log_by_time ON review_log(reviewed_at)",
        "CREATE INDEX review_log_by_item ON review_log(item_id)",
    ]
    for statement in statements:
        db.execute(statement)


def _m4_bookmarks(db: Database) -> None:
    statements = [
        # User data. Anchored by ids and the bookmarked words, with no foreign keys, so a
        # content update can re-anchor or orphan a bookmark but never delete it.
        """CREATE TABLE bookmarks (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            target_id TEXT NOT NULL,
            source_id TEXT NOT NULL DEFAULT '',
            quote TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            tags TEXT NOT NULL DEFAULT '[]',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            deleted_at TEXT,
            orphaned INTEGER NOT NULL DEFAULT 0
        )""",
        *_fts_statements("bookmarks", "id", ["note", "quote", "tags"]),
    ]
    for statement in statements:
        db.execute(statement)


def _m5_daily_counts_index(db: Database) -> None:
    # The daily limits count today's answers per queue before every card: with this index
    # each count is a range of one index, not a read of every row answered today.
    db.execute("CREATE INDEX review_log_by_queue_time ON review_log(queue, reviewed_at)")


# Every full-text index: the table it indexes, that table's rowid column, the columns.
FTS_TABLES = (
    ("passages", "pk", ["text", "section"]),
    ("facts", "pk", ["statement", "quote"]),
    ("mechanisms", "pk", ["title", "summary", "steps"]),
    ("bookmarks", "id", ["note", "quote", "tags"]),
)
# Search reads the last word typed as a prefix. FTS5 answers a prefix it has no index for by
# merging the postings of every word that starts with it before it returns a row: 100 ms for
# "b" over 300,000 passages. A prefix with an index of its own is read like a word.
PREFIX_LENGTHS = "1 2 3 4"


def _m6_prefix_indexes(db: Database) -> None:
    # The full-text tables index other tables, so they are rebuilt from them: nothing is lost.
    for table, rowid, columns in FTS_TABLES:
        fts = f"{table}_fts"
        for trigger in ("insert", "delete", "update"):
            db.execute(f"DROP TRIGGER {fts}_{trigger}")
        db.execute(f"DROP TABLE {fts}")
        for statement in _fts_statements(table, rowid, columns, PREFIX_LENGTHS):
            db.execute(statement)
        db.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")


def _m7_one_memory_one_schedule(db: Database) -> None:
    """Quizzes a tutor would keep (issue 14): the fields the new content and items carry,
    and the sibling group that keeps the items of one fact or chain on different days.

    Nothing is dropped. The old recognition copy of a blank (``<fact>/choice/<answer>``) is
    now one memory with its recall form (``<fact>/cloze/<answer>``): where only the copy was
    studied, its schedule carries over to the memory, so no learned item starts again as new.
    Every review stays in the log under the id it was given."""
    statements = [
        "ALTER TABLE facts ADD COLUMN importance TEXT NOT NULL DEFAULT 'key'",
        "ALTER TABLE facts ADD COLUMN answer_rules TEXT NOT NULL DEFAULT '[]'",
        "ALTER TABLE facts ADD COLUMN false_statement TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE facts ADD COLUMN quote_more TEXT NOT NULL DEFAULT '[]'",
        "ALTER TABLE facts ADD COLUMN also TEXT NOT NULL DEFAULT '[]'",
        "ALTER TABLE facts ADD COLUMN replaces TEXT NOT NULL DEFAULT '[]'",
        "ALTER TABLE facts ADD COLUMN defines TEXT NOT NULL DEFAULT '[]'",
        "ALTER TABLE mechanisms ADD COLUMN step_facts TEXT NOT NULL DEFAULT '[]'",
        "ALTER TABLE mechanisms ADD COLUMN ordered INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE mechanisms ADD COLUMN hypothesis INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE mechanisms ADD COLUMN wrong_steps TEXT NOT NULL DEFAULT '[]'",
        "ALTER TABLE quiz_items ADD COLUMN accepted TEXT NOT NULL DEFAULT '[]'",
        "ALTER TABLE quiz_items ADD COLUMN distractors TEXT NOT NULL DEFAULT '[]'",
        "ALTER TABLE quiz_items ADD COLUMN false_statement TEXT NOT NULL DEFAULT ''",
        # NULL: an item of its own (a sibling of none), as an item stored without a group is
        "ALTER TABLE quiz_items ADD COLUMN sibling_group TEXT",
        "ALTER TABLE quiz_items ADD COLUMN unit TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE quiz_items ADD COLUMN detail INTEGER NOT NULL DEFAULT 0",
        """UPDATE quiz_items SET sibling_group = CASE
               WHEN fact_id != '' THEN fact_id
               ELSE 'chain:' || substr(id, 1, instr(id, '/') - 1) END""",
        "CREATE INDEX quiz_items_by_sibling_group ON quiz_items(sibling_group, id)",
        "CREATE INDEX quiz_items_details ON quiz_items(id) WHERE detail = 1",
        # Which form of the item was answered (multiple choice or typed, for one memory), and
        # its sibling group then: "was a sibling answered today?" is one index range.
        "ALTER TABLE review_log ADD COLUMN form TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE review_log ADD COLUMN sibling_group TEXT",
        """UPDATE review_log SET
               form = coalesce((SELECT kind FROM quiz_items q WHERE q.id = item_id), ''),
               sibling_group = (SELECT sibling_group FROM quiz_items q WHERE q.id = item_id)""",
        """CREATE INDEX review_log_by_time_group
           ON review_log(reviewed_at, sibling_group, item_id)""",
        # The recognition copy's schedule carries over where its recall twin was never studied.
        """INSERT INTO item_states (item_id, card, due, state, introduced_at)
           SELECT replace(s.item_id, '/choice/', '/cloze/'), s.card, s.due, s.state,
                  s.introduced_at
           FROM item_states s
           WHERE s.item_id LIKE '%/choice/%'
             AND replace(s.item_id, '/choice/', '/cloze/') IN (SELECT id FROM quiz_items)
             AND replace(s.item_id, '/choice/', '/cloze/')
                 NOT IN (SELECT item_id FROM item_states)""",
        """UPDATE quiz_items SET introduced = 1
           WHERE introduced = 0 AND id IN (SELECT item_id FROM item_states)""",
    ]
    for statement in statements:
        db.execute(statement)


MIGRATIONS: list[Callable[[Database], None]] = [
    _m1_sources_and_passages,
    _m2_mechanisms_and_facts,
    _m3_quiz_items_and_reviews,
    _m4_bookmarks,
    _m5_daily_counts_index,
    _m6_prefix_indexes,
    _m7_one_memory_one_schedule,
]
SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(db: Database) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def migrate(db: Database) -> int:
    """Run the migrations this database has not had yet; return the new schema version."""
    current = schema_version(db)
    if current > SCHEMA_VERSION:
        raise DatabaseProblem(
            f"The database was written by a newer StudyApp (schema {current}, this version "
            f"knows {SCHEMA_VERSION}); update StudyApp to open it."
        )
    for version in range(current + 1, SCHEMA_VERSION + 1):
        with write_transaction(db):
            MIGRATIONS[version - 1](db)
            db.execute(f"PRAGMA user_version = {version}")
    return SCHEMA_VERSION


def open_database(path: Path) -> Database:
    """Open (creating if needed) and migrate the database at ``path``."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DatabaseProblem(
            f"StudyApp cannot create its data folder {path.parent} ({error.strerror}); "
            "choose another folder with --data-dir."
        ) from None
    target = path if path.exists() else path.parent
    if not os.access(target, os.W_OK):
        raise DatabaseProblem(
            f"StudyApp cannot write to {target} (it is read-only); fix its permissions or "
            "choose another folder with --data-dir."
        )
    try:
        # Autocommit: no hidden transactions; every write goes through write_transaction().
        conn = sqlite3.connect(path, timeout=10, isolation_level=None)
        # No sqlite-utils plugins: none is wanted on a learner's database, and finding them
        # scans every installed package's metadata (about 30 ms of each start).
        db = Database(conn, execute_plugins=False)
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = FULL")  # a committed answer survives power loss
        migrate(db)
    except sqlite3.DatabaseError as error:
        raise DatabaseProblem(
            f"StudyApp cannot open its database {path} ({error}); the file may be damaged "
            "or not a StudyApp database. Move it aside and start StudyApp again."
        ) from None
    return db
