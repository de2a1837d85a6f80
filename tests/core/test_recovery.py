"""Opening the database never starts afresh in silence while history exists anywhere: a damaged,
missing, empty or foreign file gives way to the newest sound history, and trouble around the
file (a full disk, a read-only folder, a stray journal) changes nothing."""

import os
import sqlite3
from datetime import datetime, timedelta

import pytest

from studyapp.core.backup import back_up, backups_dir
from studyapp.core.db import DatabaseProblem, open_database
from studyapp.core.recovery import database_problem, open_or_recover
from studyapp.core.settings import get_setting, set_setting
from tests.helpers.library import answers_in, fill_disk, more_answers, settle

NOW = datetime(2026, 11, 22, 12, 0)


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
def test_damage_is_kept_aside_and_the_backup_restored(setup, damage):
    path, backups = setup
    back_up(path, backups, NOW - timedelta(days=1))
    settle(path)
    damage(path)
    damaged_bytes = path.read_bytes()
    assert database_problem(path) is not None
    db, message = open_or_recover(path, backups, NOW)
    assert "was restored" in message and "kept as" in message
    assert "\n" not in message  # one sentence, not SQLite's list of damaged pages (M2)
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
    assert "backup of 20 November 2026, 12:00" in message  # the older, good one
    assert get_setting(db, "marker") == "from the backup"
    db.close()


def test_a_sound_database_opens_untouched(setup):
    path, backups = setup
    db, message = open_or_recover(path, backups, NOW)
    assert message == ""
    db.close()
    assert not list(path.parent.glob("*damaged*"))


@pytest.mark.parametrize("loss", ["emptied", "deleted"])
def test_an_empty_or_missing_database_gets_its_backup_back(library, loss):
    """DL1: a zero-length or missing file started a fresh library without a word."""
    backups = backups_dir(library.parent)
    back_up(library, backups, NOW - timedelta(days=1))
    if loss == "emptied":
        library.write_bytes(b"")
    else:
        library.unlink()
    db, message = open_or_recover(library, backups, NOW)
    db.close()
    state = "empty" if loss == "emptied" else "missing"
    assert message.startswith(f"StudyApp's database was {state}; your backup of 21 November")
    assert "(15 answers) was restored" in message
    assert answers_in(library) == 15


def test_a_first_start_is_silent(data_dir):
    db, message = open_or_recover(data_dir / "studyapp.sqlite3", data_dir / "backups", NOW)
    db.close()
    assert message == ""


def test_daily_backups_of_an_empty_library_never_rotate_the_history_away(library, tmp_path):
    """DL1: ten daily starts on an empty database deleted every backup that held answers."""
    backups = backups_dir(library.parent)
    good = back_up(library, backups, NOW - timedelta(days=1))
    empty = tmp_path / "empty.sqlite3"
    db = open_database(empty)
    db.execute(
        "INSERT INTO sources (id, title, kind, file_name, file_sha256) "
        "VALUES ('s', 'A source', 'text', 'a.txt', 'x')"
    )
    db.close()
    for day in range(12):
        back_up(empty, backups, NOW + timedelta(days=day))
    assert good.exists()
    assert len(list(backups.glob("*.sqlite3"))) == 10


def test_a_full_disk_at_start_sets_nothing_aside(library, monkeypatch):
    """DL3: a full disk was taken for damage; the healthy file was set aside for an empty one."""
    before = library.read_bytes()
    real_connect = sqlite3.connect

    def full_disk(*args, **kwargs):
        error = sqlite3.OperationalError("database or disk is full")
        error.sqlite_errorcode = 13  # SQLITE_FULL
        raise error

    monkeypatch.setattr(sqlite3, "connect", full_disk)
    with pytest.raises(DatabaseProblem, match="the disk is full; free some space"):
        open_or_recover(library, backups_dir(library.parent), NOW)
    monkeypatch.setattr(sqlite3, "connect", real_connect)
    assert library.read_bytes() == before
    assert not list(library.parent.glob("*damaged*"))
    assert answers_in(library) == 15


def test_a_stray_journal_is_not_taken_for_damage(library):
    """DL5: random bytes in a -journal made a healthy database look damaged."""
    backups = backups_dir(library.parent)
    back_up(library, backups, NOW - timedelta(days=1))
    db = open_database(library)
    more_answers(db, 5, datetime(2026, 11, 21, 10, 0).astimezone())
    db.close()
    (library.parent / "studyapp.sqlite3-journal").write_bytes(os.urandom(4096))
    db, message = open_or_recover(library, backups, NOW)
    db.close()
    assert message == ""
    assert answers_in(library) == 20
    assert not list(library.parent.glob("*damaged*"))


@pytest.mark.parametrize("with_settings", [False, True])
def test_another_programs_database_is_kept_not_migrated(library, with_settings):
    """DL4 and M3: another app's SQLite file was migrated in place, or refused with advice
    that led to a fresh start."""
    backups = backups_dir(library.parent)
    back_up(library, backups, NOW - timedelta(days=1))
    library.unlink()
    other = sqlite3.connect(library)
    other.execute("CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT)")
    other.execute("INSERT INTO contacts (name) VALUES ('alice')")
    if with_settings:
        other.execute("CREATE TABLE settings (key TEXT, value TEXT)")
        other.execute("PRAGMA user_version = 3")
    other.commit()
    other.close()
    foreign_bytes = library.read_bytes()
    db, message = open_or_recover(library, backups, NOW)
    db.close()
    assert "was not a StudyApp database" in message and "(15 answers) was restored" in message
    (kept,) = library.parent.glob("studyapp-foreign-*.sqlite3")
    assert kept.read_bytes() == foreign_bytes  # untouched: no StudyApp tables, no WAL
    assert answers_in(library) == 15


def test_a_hash_or_question_mark_in_the_folder_name_works(tmp_path, library_template):
    """DL7 and M5: "#" and "?" cut file: URIs short; backups were not found and stray files
    appeared outside the data folder."""
    for name in ("Study #1", "Study?1"):
        folder = tmp_path / "f" / name
        folder.mkdir(parents=True)
        path = folder / "studyapp.sqlite3"
        path.write_bytes(library_template.read_bytes())
        back_up(path, backups_dir(folder), NOW - timedelta(days=1))
        path.write_bytes(os.urandom(20_000))
        db, message = open_or_recover(path, backups_dir(folder), NOW)
        db.close()
        assert "(15 answers) was restored" in message
    assert sorted(p.name for p in (tmp_path / "f").iterdir()) == ["Study #1", "Study?1"]


def test_a_folder_where_the_database_should_be_gets_a_sentence(data_dir):
    """C1: IsADirectoryError."""
    (data_dir / "studyapp.sqlite3").mkdir(parents=True)
    with pytest.raises(DatabaseProblem, match="it is a folder, not a file"):
        open_or_recover(data_dir / "studyapp.sqlite3", data_dir / "backups", NOW)


def test_a_link_to_a_device_or_pipe_is_refused_before_sqlite_touches_it(data_dir, tmp_path):
    """U2: a link to /dev/null made SQLite create /dev/null-journal."""
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    data_dir.mkdir(parents=True)
    (data_dir / "studyapp.sqlite3").symlink_to(pipe)
    with pytest.raises(DatabaseProblem, match="a device or a pipe"):
        open_or_recover(data_dir / "studyapp.sqlite3", data_dir / "backups", NOW)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "pipe"]


def test_a_future_dated_backup_does_not_win_over_a_newer_real_one(library):
    """DL11: a backup named in 2099 (a wrong clock) was restored over the real, newer one."""
    backups = backups_dir(library.parent)
    back_up(library, backups, datetime(2099, 1, 1))  # 15 answers, under a wrong clock
    db = open_database(library)
    more_answers(db, 5, datetime(2026, 11, 21, 10, 0).astimezone())
    db.close()
    back_up(library, backups, NOW - timedelta(hours=1))  # 20 answers
    library.write_bytes(os.urandom(20_000))
    db, message = open_or_recover(library, backups, NOW)
    db.close()
    assert "(20 answers) was restored" in message
    assert answers_in(library) == 20


def test_a_healthy_copy_set_aside_earlier_is_found_again(library):
    """DL2 and DL3: an earlier version set a healthy file aside and left an empty one."""
    backups = backups_dir(library.parent)
    back_up(library, backups, NOW - timedelta(days=3))
    db = open_database(library)
    more_answers(db, 5, datetime(2026, 11, 21, 10, 0).astimezone())
    db.close()
    settle(library)
    library.rename(library.with_name("studyapp-damaged-20261121-120000.sqlite3"))
    library.write_bytes(b"")
    db, message = open_or_recover(library, backups, NOW)
    db.close()
    assert "the copy set aside of 21 November 2026, 12:00 (20 answers)" in message
    assert answers_in(library) == 20


def test_a_read_only_data_folder_is_named_and_nothing_moves(library_template, small_disk):
    """C3: a healthy database in a read-only folder was set aside, with a traceback."""
    disk = small_disk(4096)
    path = disk / "studyapp.sqlite3"
    path.write_bytes(library_template.read_bytes())
    small_disk.remount(disk, "ro")
    with pytest.raises(DatabaseProblem, match="is read-only") as refused:
        open_or_recover(path, disk / "backups", NOW)
    assert "Nothing was changed" in str(refused.value)
    assert sorted(p.name for p in disk.iterdir()) == ["studyapp.sqlite3"]
    assert answers_in(path) == 15


def test_a_really_full_disk_at_start_sets_nothing_aside(library_template, small_disk):
    """DL3 on a real full disk: the -shm cannot be made, the file stays where it is."""
    disk = small_disk(1024)
    path = disk / "studyapp.sqlite3"
    path.write_bytes(library_template.read_bytes())
    filler = fill_disk(disk)
    with pytest.raises(DatabaseProblem):
        open_or_recover(path, disk / "backups", NOW)
    assert not list(disk.glob("*damaged*"))
    filler.unlink()
    db, message = open_or_recover(path, disk / "backups", NOW)
    db.close()
    assert message == ""
    assert answers_in(path) == 15


def test_answers_given_under_a_clock_set_ahead_come_back_to_now(library):
    """DL11: ten answers "in 2099" scheduled their items after 2099: gone from study."""
    db = open_database(library)
    more_answers(db, 10, datetime(2099, 12, 31, 23, 0).astimezone())
    db.close()
    db, message = open_or_recover(library, backups_dir(library.parent), NOW)
    try:
        assert message.startswith("10 answers were dated in the future (up to 31 December 2099)")
        latest = db.execute("SELECT max(reviewed_at) FROM review_log").fetchone()[0]
        assert latest < "2026-11-24"
        assert db.execute("SELECT max(due) FROM item_states").fetchone()[0] < "2027-06"
        assert db.execute("SELECT count(*) FROM review_log").fetchone()[0] == 25  # none lost
    finally:
        db.close()
    db, message = open_or_recover(library, backups_dir(library.parent), NOW)
    db.close()
    assert message == ""  # said once
