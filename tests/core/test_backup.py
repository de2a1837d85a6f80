"""Backups: daily, kept ten, consistent while in use; restore refuses foreign files."""

import sqlite3
from datetime import datetime, timedelta

import pytest

from studyapp.core.backup import (
    BackupProblem,
    back_up,
    back_up_daily,
    check_backup,
    list_backups,
    restore,
)
from studyapp.core.db import open_database
from studyapp.core.settings import get_setting, set_setting

DAY = datetime(2026, 5, 1, 9, 30)


@pytest.fixture
def database(data_dir):
    path = data_dir / "studyapp.sqlite3"
    db = open_database(path)
    set_setting(db, "marker", "original")
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
