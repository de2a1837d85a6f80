"""The database: pragmas, migrations, and the ingest of the seeds into it."""

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from studyapp.core import db as dbmod
from studyapp.core.bookmarks import add_bookmark, edit_bookmark
from studyapp.core.db import SCHEMA_VERSION, DatabaseProblem, open_database, schema_version
from studyapp.core.ingest import MAX_SOURCE_BYTES, ingest
from studyapp.core.library import get_passage, get_source, list_sources
from studyapp.core.search import search
from studyapp.core.settings import (
    Preferences,
    get_setting,
    load_preferences,
    set_setting,
    study_settings,
)
from studyapp.core.study import done_today

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def dump(db) -> list:
    """Every row of the content tables, in a fixed order."""
    return [
        list(db.query("SELECT * FROM sources ORDER BY id")),
        list(db.query("SELECT * FROM passages ORDER BY id")),
    ]


def test_pragmas_and_schema(db):
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert schema_version(db) == SCHEMA_VERSION
    assert {"sources", "passages", "passages_fts", "settings"} <= set(db.table_names())


def test_migrations_run_once_and_keep_data(data_dir):
    path = data_dir / "studyapp.sqlite3"
    first = open_database(path)
    set_setting(first, "daily_new", "15")
    first.close()
    again = open_database(path)
    assert get_setting(again, "daily_new") == "15"
    assert schema_version(again) == SCHEMA_VERSION
    again.close()


def test_upgrading_from_schema_4_keeps_answers_and_counts_them(data_dir, monkeypatch):
    path = data_dir / "studyapp.sqlite3"
    with monkeypatch.context() as older_app:
        older_app.setattr(dbmod, "MIGRATIONS", dbmod.MIGRATIONS[:4])
        older_app.setattr(dbmod, "SCHEMA_VERSION", 4)
        old = open_database(path)
    old.execute(
        """INSERT INTO review_log (item_id, rating, queue, reviewed_at, state_after)
           VALUES ('a/cloze', 3, 'review', '2026-06-01T09:00:00.000000+00:00', '{}'),
                  ('b/cloze', 1, 'new', '2026-06-01T10:00:00.000000+00:00', '{}'),
                  ('c/cloze', 3, 'review', '2026-05-31T10:00:00.000000+00:00', '{}')"""
    )
    old.close()
    upgraded = open_database(path)
    assert schema_version(upgraded) == SCHEMA_VERSION
    assert upgraded.execute("SELECT count(*) FROM review_log").fetchone()[0] == 3
    assert done_today(upgraded, datetime(2026, 6, 1, 4, tzinfo=UTC)) == (1, 1)
    plan = upgraded.execute(
        "EXPLAIN QUERY PLAN SELECT count(*) FROM review_log WHERE queue = ? AND reviewed_at > ?",
        ["new", "x"],
    ).fetchall()
    assert "review_log_by_queue_time" in str(plan)


def test_upgrading_from_schema_5_indexes_prefixes_and_keeps_everything_searchable(
    data_dir, monkeypatch
):
    path = data_dir / "studyapp.sqlite3"
    with monkeypatch.context() as older_app:
        older_app.setattr(dbmod, "MIGRATIONS", dbmod.MIGRATIONS[:5])
        older_app.setattr(dbmod, "SCHEMA_VERSION", 5)
        old = open_database(path)
        ingest(old, SEEDS)
    mark = add_bookmark(old, "source", "x", datetime(2026, 6, 1, tzinfo=UTC), note="tryptophan")
    old.close()
    upgraded = open_database(path)
    assert schema_version(upgraded) == SCHEMA_VERSION
    for table in ("passages_fts", "facts_fts", "mechanisms_fts", "bookmarks_fts"):
        sql = upgraded.execute("SELECT sql FROM sqlite_master WHERE name = ?", [table]).fetchone()
        assert "prefix='1 2 3 4'" in sql[0]
    hits = search(upgraded, "quin")
    assert any(h.kind == "passage" and "quinolinic" in h.snippet.lower() for h in hits)
    assert [h.id for h in search(upgraded, "trypto") if h.kind == "bookmark"] == [str(mark)]
    # the triggers were made again with the tables: a new row is found at once
    edit_bookmark(upgraded, mark, "zebrafish", (), datetime(2026, 6, 2, tzinfo=UTC))
    assert [h.id for h in search(upgraded, "zebraf") if h.kind == "bookmark"] == [str(mark)]
    assert not [h for h in search(upgraded, "trypto") if h.kind == "bookmark"]
    upgraded.close()


def test_a_damaged_setting_falls_back_alone(db):
    set_setting(db, "new_per_day", "7")
    set_setting(db, "reviews_per_day", "many")  # damaged by hand
    set_setting(db, "theme", "purple")
    chosen = load_preferences(db)
    assert (chosen.new_per_day, chosen.reviews_per_day, chosen.theme) == (7, 200, "system")
    limits, retention = study_settings(db)
    assert (limits.new_per_day, limits.reviews_per_day, retention) == (7, 200, 0.9)


@pytest.mark.parametrize(
    ("key", "stored"),
    [
        ("desired_retention", "NaN"),
        ("desired_retention", "inf"),
        ("desired_retention", "0.5"),
        ("reviews_per_day", "100000000000000000000"),
        ("new_per_day", "-3"),
        ("font_size", "400"),
    ],
)
def test_a_setting_out_of_range_falls_back_to_its_default(db, key, stored):
    """C11: a restored file with retention NaN or 1e20 reviews a day stopped every review."""
    set_setting(db, key, stored)
    assert getattr(load_preferences(db), key) == getattr(Preferences(), key)


def test_a_newer_database_is_refused_untouched(data_dir):
    path = data_dir / "studyapp.sqlite3"
    open_database(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseProblem, match="newer StudyApp"):
        open_database(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    conn.close()


def test_a_file_that_is_not_a_database_gets_a_sentence(data_dir):
    path = data_dir / "studyapp.sqlite3"
    data_dir.mkdir(parents=True)
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(DatabaseProblem, match="may be damaged or not a StudyApp database"):
        open_database(path)
    assert path.read_bytes().startswith(b"this is not sqlite")  # left as it was


def test_a_failed_migration_changes_nothing(data_dir, monkeypatch):
    def broken(db):
        db.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("migration bug")

    path = data_dir / "studyapp.sqlite3"
    open_database(path).close()
    monkeypatch.setattr(dbmod, "MIGRATIONS", [*dbmod.MIGRATIONS, broken])
    monkeypatch.setattr(dbmod, "SCHEMA_VERSION", len(dbmod.MIGRATIONS))
    with pytest.raises(RuntimeError):
        open_database(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert "half_done" not in tables
    conn.close()


def test_ingest_seeds(db):
    report = ingest(db, SEEDS)
    assert report.ok and report.changed
    summaries = list_sources(db)
    assert [s.passage_count for s in summaries] == [11, 37, 34, 12, 20]
    assert [s.source.kind.value for s in summaries] == [
        "paper-abstract",
        "news",
        "wiki",
        "blog",
        "wiki",
    ]
    wiki = get_source(db, "exercise-as-a-treatment-for-depression")
    assert wiki is not None and wiki.video_id == "1-U5OX3sbA8"
    genetic = next(p for p in wiki.passages if "400,000" in p.text)
    assert get_passage(db, genetic.id) == genetic  # round trip through the store


def test_ingest_twice_changes_nothing(db):
    ingest(db, SEEDS)
    before = dump(db)
    report = ingest(db, SEEDS)
    assert report.ok and not report.changed
    assert dump(db) == before


def test_full_text_index_finds_passages(db):
    ingest(db, SEEDS)
    hits = list(
        db.query(
            "SELECT p.source_id, p.text FROM passages_fts"
            " JOIN passages p ON p.pk = passages_fts.rowid"
            " WHERE passages_fts MATCH 'quinolinic' ORDER BY rank"
        )
    )
    assert hits[0]["source_id"] == "exercise-as-a-treatment-for-depression"
    assert "quinolinic acid" in hits[0]["text"]


def write_bad_files(seeds: Path) -> None:
    (seeds / "empty.txt").write_bytes(b"")
    (seeds / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    (seeds / "latin1.txt").write_bytes("Caf\xe9 au lait, a note.\n".encode("latin-1"))
    (seeds / "frontmatter.md").write_text("---\ntitle: Never closed\n\nBody.\n", encoding="utf-8")
    with open(seeds / "huge.txt", "wb") as huge:
        huge.truncate(50 * 1024 * 1024)


def test_bad_files_are_named_and_the_rest_loads(db, seeds_copy):
    write_bad_files(seeds_copy)
    report = ingest(db, seeds_copy)
    assert not report.ok
    reasons = {p.file_name: p.reason for p in report.problems}
    assert set(reasons) == {"empty.txt", "binary.txt", "latin1.txt", "frontmatter.md", "huge.txt"}
    assert "empty" in reasons["empty.txt"]
    assert "binary" in reasons["binary.txt"]
    assert "not UTF-8" in reasons["latin1.txt"] and "offset 3" in reasons["latin1.txt"]
    assert "closing '---'" in reasons["frontmatter.md"]
    assert (
        "50.0 MB" in reasons["huge.txt"]
        and f"{MAX_SOURCE_BYTES // 2**20} MB" in reasons["huge.txt"]
    )
    assert len(list_sources(db)) == 5
    assert "huge.txt: it is 50.0 MB" in report.summary()


def test_a_broken_file_keeps_its_earlier_version(db, seeds_copy):
    ingest(db, SEEDS)
    (seeds_copy / "003_3bbec9a6bccd6ca9.txt").write_bytes(b"\xff\xfe broken now")
    report = ingest(db, seeds_copy)
    assert report.kept == ("003_3bbec9a6bccd6ca9.txt",)
    assert "kept" in report.summary()
    assert get_source(db, "how-exercise-offers-relief-from-depression") is not None
    assert len(list_sources(db)) == 5


def test_a_content_update_rebuilds_content_and_leaves_user_tables(db, seeds_copy):
    ingest(db, seeds_copy)
    set_setting(db, "disclaimer_seen", "1")
    blog = seeds_copy / "003_3bbec9a6bccd6ca9.txt"
    blog.write_text(
        blog.read_text(encoding="utf-8") + "\nA new closing paragraph.\n", encoding="utf-8"
    )
    report = ingest(db, seeds_copy)
    assert report.changed
    assert get_setting(db, "disclaimer_seen") == "1"
    assert any(
        "A new closing paragraph." in p.text
        for p in get_source(db, "how-exercise-offers-relief-from-depression").passages
    )
    (seeds_copy / "000_663ec407a5b4b6cf.txt").unlink()
    ingest(db, seeds_copy)
    assert len(list_sources(db)) == 4
    assert (
        db.execute("SELECT count(*) FROM passages WHERE source_id LIKE 'physical-%'").fetchone()[0]
        == 0
    )


def test_a_failing_rebuild_leaves_the_old_content(db, seeds_copy, monkeypatch):
    ingest(db, seeds_copy)
    before = dump(db)
    monkeypatch.setattr("studyapp.core.ingest.PARSER_VERSION", "next")  # every file re-parsed
    original_insert_all = type(db["passages"]).insert_all
    calls = {"n": 0}

    def failing_insert_all(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise sqlite3.OperationalError("database or disk is full")
        return original_insert_all(self, *args, **kwargs)

    monkeypatch.setattr(type(db["passages"]), "insert_all", failing_insert_all)
    with pytest.raises(sqlite3.OperationalError):
        ingest(db, seeds_copy)
    assert dump(db) == before


def test_same_titles_get_distinct_ids(db, tmp_path):
    seeds = tmp_path / "twins"
    seeds.mkdir()
    for name in ("a.md", "b.md"):
        (seeds / name).write_text("# Twin\n\nSame title, other words: " + name, encoding="utf-8")
    ingest(db, seeds)
    assert [s.source.id for s in list_sources(db)] == ["twin", "twin-2"]
    assert get_source(db, "twin-2").passages[0].id.startswith("twin-2/")


def test_ui_and_worker_connections_write_at_once(tmp_path):
    """As at first start: the UI connection creates the database and saves a setting while a
    worker's connection ingests. Neither may fail with "database is locked"."""
    import threading

    empty = tmp_path / "empty-seeds"
    empty.mkdir()

    def ingest_in_worker(path: Path, seeds: Path, errors: list[Exception]) -> None:
        worker_db = open_database(path)
        try:
            ingest(worker_db, seeds)
        except Exception as error:
            errors.append(error)
        finally:
            worker_db.close()

    for attempt in range(15):
        path = tmp_path / f"run{attempt}" / "studyapp.sqlite3"
        ui_db = open_database(path)
        errors: list[Exception] = []
        seeds = empty if attempt % 2 else SEEDS
        thread = threading.Thread(target=ingest_in_worker, args=(path, seeds, errors))
        thread.start()
        for i in range(20):
            set_setting(ui_db, "counter", str(i))
        thread.join()
        assert errors == []
        assert get_setting(ui_db, "counter") == "19"
        ui_db.close()


def test_only_new_or_changed_files_are_parsed(db, seeds_copy, monkeypatch):
    import studyapp.core.ingest as ingest_module

    parsed_titles = []
    real_parse = ingest_module.parse_source_bytes

    def counting_parse(data, fallback_title):
        parsed_titles.append(fallback_title)
        return real_parse(data, fallback_title)

    monkeypatch.setattr(ingest_module, "parse_source_bytes", counting_parse)
    ingest(db, seeds_copy)
    assert len(parsed_titles) == 5
    parsed_titles.clear()
    ingest(db, seeds_copy)
    assert parsed_titles == []
    blog = seeds_copy / "003_3bbec9a6bccd6ca9.txt"
    blog.write_text(blog.read_text(encoding="utf-8") + "\nOne more line here.\n", encoding="utf-8")
    report = ingest(db, seeds_copy)
    assert parsed_titles == ["003_3bbec9a6bccd6ca9"]
    assert report.changed and len(report.loaded) == 5


def test_upgrading_an_older_database_keeps_user_data(data_dir, monkeypatch):
    path = data_dir / "studyapp.sqlite3"
    with monkeypatch.context() as older_app:
        older_app.setattr(dbmod, "MIGRATIONS", dbmod.MIGRATIONS[:1])
        older_app.setattr(dbmod, "SCHEMA_VERSION", 1)
        old = open_database(path)
        old.execute(  # what the older app stored, written as it wrote it
            "INSERT INTO sources (id, title, kind, file_name, file_sha256)"
            " VALUES ('kept', 'Kept', 'text', 'kept.txt', 'abc')"
        )
        set_setting(old, "disclaimer_seen", "1")
        old.close()
    upgraded = open_database(path)
    assert schema_version(upgraded) == SCHEMA_VERSION >= 2
    assert get_setting(upgraded, "disclaimer_seen") == "1"
    assert [s.source.id for s in list_sources(upgraded)] == ["kept"]  # not recreated either
    assert "facts" in upgraded.table_names()
    upgraded.close()
