"""The Anki package: one note per memory, GUIDs from the stable item ids."""

import html
from pathlib import Path

import genanki

from studyapp.core.anki_export import build_package
from studyapp.core.ingest import ingest
from studyapp.core.items import list_items

REPO = Path(__file__).resolve().parents[2]


def test_one_note_per_memory_with_guids_from_item_ids(db):
    assert ingest(db, REPO / "seeds", REPO / "resources" / "content").ok
    items = list_items(db)
    notes = build_package(db).decks[0].notes
    assert [n.guid for n in notes] == [genanki.guid_for("studyapp", i.id) for i in items]
    by_guid = {n.guid: n for n in notes}
    for item in items:
        note = by_guid[genanki.guid_for("studyapp", item.id)]
        if item.false_statement:  # the misconception is asked, the sources answer it
            assert html.escape(item.false_statement) in note.fields[0]
            assert note.fields[1].startswith("<b>False.</b>")
        if item.detail:
            assert "studyapp::detail" in note.tags
    assert not any("/choice/" in i.id for i in items)  # no second card for one blank
