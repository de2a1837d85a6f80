"""Bookmarks: saved, filtered, deleted with undo, exported; they survive content updates."""

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from studyapp.core.bookmarks import (
    add_bookmark,
    all_tags,
    clean_tags,
    delete_bookmark,
    edit_bookmark,
    export_csv,
    export_markdown,
    list_bookmarks,
    undo_delete,
)
from studyapp.core.ingest import ingest
from studyapp.core.library import get_source
from studyapp.core.search import search

REPO = Path(__file__).resolve().parents[2]
CONTENT = REPO / "resources" / "content"
NOW = datetime(2026, 4, 1, tzinfo=UTC)
BLOG = "how-exercise-offers-relief-from-depression"
BLOG_FILE = "003_3bbec9a6bccd6ca9.txt"


@pytest.fixture
def library(db, seeds_copy):
    assert ingest(db, seeds_copy, CONTENT).ok
    return db


def blog_passage(db, words: str):
    return next(p for p in get_source(db, BLOG).passages if words in p.text)


def test_add_filter_edit_delete_and_undo(library):
    passage = blog_passage(library, "Only 10% of serotonin")
    first = add_bookmark(
        library,
        "selection",
        passage.id,
        NOW,
        source_id=BLOG,
        quote="90% of serotonin is released in our intestines",
        note="gut, not brain",
        tags=clean_tags("Serotonin, exam serotonin"),
    )
    add_bookmark(
        library, "mechanism", "kynurenine-pathway", NOW, note="revise before exam", tags=("exam",)
    )
    assert clean_tags("Serotonin, exam serotonin") == ("exam", "serotonin")
    assert all_tags(library) == ["exam", "serotonin"]
    assert [b.id for b in list_bookmarks(library, tag="serotonin")] == [first]
    assert len(list_bookmarks(library, text="revise")) == 1
    edit_bookmark(library, first, "the gut makes most of it", ("serotonin",), NOW)
    assert list_bookmarks(library, tag="serotonin")[0].note == "the gut makes most of it"
    delete_bookmark(library, first, NOW)
    assert [b.kind for b in list_bookmarks(library)] == ["mechanism"]
    undo_delete(library, first)
    assert len(list_bookmarks(library)) == 2


def test_a_moved_passage_is_found_again(library, seeds_copy):
    passage = blog_passage(library, "Endorphins are secreted by the hypothalamus")
    selection = add_bookmark(
        library,
        "selection",
        passage.id,
        NOW,
        source_id=BLOG,
        quote="They elicit a stronger effect on the body than morphine.",
    )
    whole = add_bookmark(library, "passage", passage.id, NOW, source_id=BLOG, quote=passage.text)
    path = seeds_copy / BLOG_FILE
    text = path.read_text(encoding="utf-8")
    # The paragraph is edited (its id changes) and moved to the end of the post.
    old = next(line for line in text.splitlines() if line.startswith("Endorphins are secreted"))
    edited = old.replace("Endorphins are secreted", "Endorphins, it seems, are secreted")
    path.write_text(
        text.replace(old + "\n", "") + "\nEndorphins\n" + edited + "\n", encoding="utf-8"
    )
    report = ingest(library, seeds_copy, CONTENT)
    assert report.bookmarks_moved == 2 and report.bookmarks_orphaned == 0
    marks = {b.id: b for b in list_bookmarks(library)}
    new_passage = blog_passage(library, "Endorphins, it seems, are secreted")
    assert new_passage.id != passage.id
    assert marks[selection].target_id == new_passage.id and not marks[selection].orphaned
    assert marks[whole].target_id == new_passage.id and not marks[whole].orphaned


def test_a_deleted_passage_leaves_an_orphan_still_listed(library, seeds_copy):
    passage = blog_passage(library, "Dopamine is known as another feel-good chemical")
    bookmark = add_bookmark(
        library,
        "selection",
        passage.id,
        NOW,
        source_id=BLOG,
        quote="another feel-good chemical",
        note="compare with serotonin",
    )
    path = seeds_copy / BLOG_FILE
    text = path.read_text(encoding="utf-8")
    gone = next(line for line in text.splitlines() if line.startswith("Dopamine is known"))
    path.write_text(text.replace(gone + "\n", ""), encoding="utf-8")
    report = ingest(library, seeds_copy, CONTENT)
    assert report.bookmarks_orphaned == 1
    assert "1 orphaned" in report.summary()
    (kept,) = [b for b in list_bookmarks(library) if b.id == bookmark]
    assert kept.orphaned and kept.note == "compare with serotonin"
    path.write_text(text, encoding="utf-8")  # the paragraph comes back
    ingest(library, seeds_copy, CONTENT)
    (back,) = [b for b in list_bookmarks(library) if b.id == bookmark]
    assert not back.orphaned


def test_exports(library):
    passage = blog_passage(library, "Only 10% of serotonin")
    add_bookmark(
        library,
        "selection",
        passage.id,
        NOW,
        source_id=BLOG,
        quote="90% of serotonin",
        note="surprising",
        tags=("gut",),
    )
    markdown = export_markdown(library)
    assert "## How Exercise Offers Relief from Depression" in markdown
    assert "- > 90% of serotonin" in markdown and "Note: surprising" in markdown
    rows = list(csv.DictReader(io.StringIO(export_csv(library))))
    assert rows[0]["quote"] == "90% of serotonin" and rows[0]["tags"] == "gut"


def test_notes_are_searchable(library):
    add_bookmark(library, "mechanism", "endorphins", NOW, note="runner's high question")
    hits = [h for h in search(library, "runner") if h.kind == "bookmark"]
    assert hits and "runner" in hits[0].snippet.lower()


def test_a_bookmark_on_a_merged_fact_follows_it_to_the_fact_it_joined(library):
    from studyapp.core.bookmarks import reanchor

    old = add_bookmark(library, "fact", "wt-bdnf-32-percent", NOW, note="the 32% figure")
    gone = add_bookmark(library, "fact", "no-such-fact", NOW, note="lost")
    moved, lost = reanchor(library)
    assert (moved, lost) == (1, 1)
    marks = {b.id: b for b in list_bookmarks(library)}
    assert marks[old].target_id == "wn-bdnf-32-percent" and not marks[old].orphaned
    assert marks[old].note == "the 32% figure"
    assert marks[gone].orphaned  # kept, and listed as orphaned
