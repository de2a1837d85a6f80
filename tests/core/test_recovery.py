"""A damaged database is moved aside (never deleted) and the newest good backup restored."""

import sqlite3
from datetime import datetime, timedelta

import pytest

from studyapp.core.backup import back_up
from studyapp.core.db import open_database
from studyapp.core.recovery import database_problem, open_or_recover
from studyapp.core.settings import get_setting, set_setting

NOW = datetime(2026, 6, 1, 12, 0)


@pytest.fixture
def setup(data_dir):
    path = data_dir / "studyapp.sqlite3"
    db = open_database(path)
    for i in range(300):  # enough pages that damage lands inside the data
        set_setting(db, f"key{i}", "x" * 200)
    set_setting(db, "marker", "from the backup")
    db.close()
    return path, data_dir / "backups"


def overwrite_middle(path):
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 4096] = b"\xff" * 4096
    path.write_bytes(bytes(data))


def truncate(path):
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 3])


def not_sqlite(path):
    path.write_bytes(b"%PDF-1.7 this is a document, not a database")


@pytest.mark.parametrize("damage", [overwrite_middle, truncate, not_sqlite])
def test_damage_is_moved_aside_and_the_backup_restored(setup, damage):
    path, backups = setup
    back_up(path, backups, NOW - timedelta(days=1))
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    damage(path)
    damaged_bytes = path.read_bytes()
    assert database_problem(path) is not None
    db, message = open_or_recover(path, backups, NOW)
    assert "was restored" in message and "moved to" in message
    assert get_setting(db, "marker") == "from the backup"
    db.close()
    (kept,) = path.parent.glob("studyapp-damaged-*.sqlite3")
    assert kept.read_bytes() == damaged_bytes
    assert database_problem(path) is None


def test_without_a_backup_a_fresh_database_is_started(setup):
    path, backups = setup
    not_sqlite(path)
    db, message = open_or_recover(path, backups, NOW)
    assert "no backup to restore" in message
    assert get_setting(db, "marker") == ""
    db.close()
    assert list(path.parent.glob("studyapp-damaged-*.sqlite3"))


def test_a_damaged_backup_is_skipped_for_an_older_good_one(setup):
    path, backups = setup
    back_up(path, backups, NOW - timedelta(days=2))
    newer = back_up(path, backups, NOW - timedelta(days=1))
    not_sqlite(newer)
    not_sqlite(path)
    db, message = open_or_recover(path, backups, NOW)
    assert "backup of 30 May 2026, 12:00 was restored" in message  # the older, good one
    assert get_setting(db, "marker") == "from the backup"
    db.close()


def test_a_sound_database_opens_untouched(setup):
    path, backups = setup
    db, message = open_or_recover(path, backups, NOW)
    assert message == ""
    db.close()
    assert not list(path.parent.glob("*damaged*"))
