"""Backups: daily, kept ten, consistent while in use; restore refuses foreign files."""

import os
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from studyapp import paths
from studyapp.core.backup import (
    BackupProblem,
    back_up,
    back_up_daily,
    backups_dir,
    check_backup,
    describe_backup,
    list_backups,
    restore,
)
from studyapp.core.bookmarks import add_bookmark
from studyapp.core.db import SCHEMA_VERSION, open_database
from studyapp.core.settings import get_setting, set_setting
from tests.helpers.library import answers_in, build_library, settle

DAY = datetime(2026, 5, 1, 9, 30)


@pytest.fixture
def database(data_dir):
    path = data_dir / "studyapp.sqlite3"
    db = open_database(path)
    set_setting(db, "marker", "original")
    add_bookmark(db, "source", "a-source", datetime(2026, 5, 1).astimezone(), note="kept")
    yield path, db
    db.close()


def test_daily_backup_once_a_day_and_ten_kept(database, tmp_path):
    path, _db = database
    folder = tmp_path / "backups"
    assert back_up_daily(path, folder, DAY) is not None
    assert back_up_daily(path, folder, DAY + timedelta(hours=3)) is None  # same day
    for day in range(1, 15):
        back_up_daily(path, folder, DAY + timedelta(days=day))
    kept = list_backups(folder)
    assert len(kept) == 10
    assert kept[0].taken_at == DAY + timedelta(days=14)  # newest first, oldest dropped


def test_backup_is_consistent_while_the_database_is_written(database, tmp_path):
    path, db = database
    db.execute("BEGIN IMMEDIATE")
    db.execute("INSERT INTO settings VALUES ('uncommitted', 'x')")
    copy = back_up(path, tmp_path / "b", DAY)  # taken while a write is open
    db.execute("ROLLBACK")
    check_backup(copy)
    conn = sqlite3.connect(copy)
    assert conn.execute("SELECT value FROM settings WHERE key = 'marker'").fetchone() == (
        "original",
    )
    assert conn.execute("SELECT count(*) FROM settings WHERE key = 'uncommitted'").fetchone() == (
        0,
    )
    conn.close()


def test_restore_brings_back_the_data_and_keeps_a_safety_copy(database, tmp_path):
    path, db = database
    folder = tmp_path / "backups"
    saved = back_up(path, folder, DAY)
    set_setting(db, "marker", "changed later")
    db.close()
    safety = restore(saved, path, folder, DAY + timedelta(hours=1))
    reopened = open_database(path)
    assert get_setting(reopened, "marker") == "original"
    reopened.close()
    assert "before-restore" in safety.name
    conn = sqlite3.connect(safety)
    assert conn.execute("SELECT value FROM settings WHERE key = 'marker'").fetchone() == (
        "changed later",
    )
    conn.close()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"just some text, not a database" * 20, "not an SQLite database"),
        (None, "not a StudyApp backup"),  # an SQLite file of another program
    ],
)
def test_restoring_a_foreign_file_is_refused_and_changes_nothing(
    database, tmp_path, content, message
):
    path, _db = database
    foreign = tmp_path / "foreign.sqlite3"
    if content is None:
        other = sqlite3.connect(foreign)
        other.execute("CREATE TABLE photos (id INTEGER)")
        other.commit()
        other.close()
    else:
        foreign.write_bytes(content)
    before = path.read_bytes()
    with pytest.raises(BackupProblem, match=message):
        restore(foreign, path, tmp_path / "backups", DAY)
    assert path.read_bytes() == before
    assert not (tmp_path / "backups").exists()  # not even a safety copy was needed


def test_an_unwritable_backup_folder_says_so(database, tmp_path):
    path, _db = database
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the folder should be")
    with pytest.raises(BackupProblem, match="could not write a backup"):
        back_up(path, blocked, DAY)


def test_the_daily_backup_waits_for_something_to_keep(db, data_dir, tmp_path):
    """A library that holds nothing yet (the first start, before the sources load) is not
    backed up: restoring that backup would empty the library."""
    path = paths.database_path(data_dir)
    assert back_up_daily(path, tmp_path / "backups", DAY) is None
    assert not (tmp_path / "backups").exists()


def test_a_backup_never_replaces_another(library):
    folder = backups_dir(library.parent)
    first = back_up(library, folder, DAY)
    second = back_up(library, folder, DAY)  # the same second
    assert first != second and first.exists() and second.exists()


def test_restoring_the_oldest_of_ten_keeps_it(library):
    """DL8: the safety copy's pruning deleted the backup being restored."""
    folder = backups_dir(library.parent)
    for day in range(10):
        back_up(library, folder, DAY + timedelta(days=day))
    oldest = list_backups(folder)[-1].path
    restore(oldest, library, folder, DAY + timedelta(days=11))
    assert oldest.exists()
    assert answers_in(library) == 15


def test_two_restores_in_one_second_keep_both_safety_copies(library, tmp_path):
    """DL9: the second safety copy overwrote the first, and the original data was gone."""
    folder = backups_dir(library.parent)
    older = tmp_path / "older.sqlite3"
    build_library(older, answers=3)
    settle(older)
    first = restore(older, library, folder, DAY)
    second = restore(older, library, folder, DAY)
    assert first != second
    assert answers_in(first) == 15 and answers_in(second) == 3


def a_backup_with(library_template, tmp_path, *statements) -> Path:
    """A copy of a real backup with ``statements`` run in it."""
    path = tmp_path / "tampered.sqlite3"
    path.write_bytes(library_template.read_bytes())
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


TAMPERED = {
    # DL10: a trigger erased history on every answer.
    "trigger": [
        "CREATE TRIGGER erase AFTER INSERT ON review_log BEGIN "
        "DELETE FROM review_log WHERE id != new.id; END"
    ],
    # C11: a trigger calling load_extension.
    "extension": [
        "CREATE TRIGGER load AFTER INSERT ON review_log BEGIN "
        "SELECT load_extension('/tmp/x.so'); END"
    ],
    # H1: settings replaced by a view that never returns.
    "endless view": [
        "DROP TABLE settings",
        "CREATE VIEW settings AS WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 "
        "FROM n) SELECT 'k' AS key, 'v' AS value FROM n WHERE x < 0",
    ],
    "extra table": ["CREATE TABLE notes (body TEXT)"],
    # H2: values no screen can show.
    "huge title": ["UPDATE sources SET title = printf('%.*c', 5000000, 'x') WHERE rowid = 1"],
    "huge prompt": ["UPDATE quiz_items SET prompt = printf('%.*c', 5000000, 'x') WHERE pk = 1"],
    "huge note": ["UPDATE bookmarks SET note = printf('%.*c', 30000000, 'x')"],
    # C11: values the app cannot read.
    "yesterday": ["UPDATE review_log SET reviewed_at = 'yesterday'"],
    "text in integers": ["UPDATE facts SET timestamp = 'noon' WHERE timestamp IS NOT NULL"],
    "broken card": ["UPDATE item_states SET card = '{\"state\": 7}'"],
    "not json": ["UPDATE quiz_items SET choices = 'one, two'"],
}


@pytest.mark.parametrize("tampering", TAMPERED)
def test_restore_takes_only_what_studyapp_wrote(library, library_template, tmp_path, tampering):
    bad = a_backup_with(library_template, tmp_path, *TAMPERED[tampering])
    before = library.read_bytes()
    with pytest.raises(BackupProblem, match="is not a backup StudyApp wrote"):
        restore(bad, library, backups_dir(library.parent), DAY)
    assert library.read_bytes() == before


def test_a_hollow_file_of_the_right_version_is_refused(library, tmp_path):
    """M4: a settings table and user_version alone passed, and every start failed after."""
    hollow = tmp_path / "hollow.sqlite3"
    conn = sqlite3.connect(hollow)
    conn.execute("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    conn.close()
    with pytest.raises(BackupProblem, match="lacks StudyApp's"):
        restore(hollow, library, backups_dir(library.parent), DAY)
    assert answers_in(library) == 15


def test_backup_file_names_with_hash_or_question_mark_restore(library, tmp_path):
    """M5: such names were "not a StudyApp backup", and empty files appeared beside them."""
    for name in ("backup #1.sqlite3", "backup?.sqlite3"):
        chosen = tmp_path / name
        chosen.write_bytes(library.read_bytes())
        restore(chosen, library, backups_dir(library.parent), DAY)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("backup")) == [
        "backup #1.sqlite3",
        "backup?.sqlite3",
    ]


def test_restore_writes_nothing_beside_the_chosen_file(library, library_template, tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    chosen = folder / "copy.sqlite3"
    chosen.write_bytes(library_template.read_bytes())
    restore(chosen, library, backups_dir(library.parent), DAY)
    assert [p.name for p in folder.iterdir()] == ["copy.sqlite3"]


def test_an_older_schema_backup_is_migrated_on_a_copy(library, tmp_path):
    old = tmp_path / "v3.sqlite3"
    conn = sqlite3.connect(old, isolation_level=None)
    from sqlite_utils import Database

    from studyapp.core.db import MIGRATIONS

    database = Database(conn, execute_plugins=False)
    for migration in MIGRATIONS[:3]:
        migration(database)
    conn.execute("PRAGMA user_version = 3")
    conn.execute("INSERT INTO settings VALUES ('marker', 'from v3')")
    conn.close()
    old_bytes = old.read_bytes()
    restore(old, library, backups_dir(library.parent), DAY)
    assert old.read_bytes() == old_bytes  # migrated on a copy, never in place
    reopened = open_database(library)
    assert get_setting(reopened, "marker") == "from v3"
    reopened.close()


def test_describe_backup_says_what_it_holds(library):
    saved = back_up(library, backups_dir(library.parent), DAY)
    summary = describe_backup(saved)
    assert (summary.sources, summary.answers, summary.bookmarks) == (5, 15, 1)
    assert summary.describe() == "01 May 2026, 09:30: 15 answers, 1 bookmark, 5 sources"


def test_a_killed_backups_leftover_is_cleared(library):
    folder = backups_dir(library.parent)
    folder.mkdir(parents=True)
    stale = folder / "tmpabc.partial"
    stale.write_bytes(b"half a backup")
    os.utime(stale, (0, 0))
    back_up(library, folder, DAY)
    assert not stale.exists()
