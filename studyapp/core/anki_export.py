"""Export the quiz items as an Anki package (.apkg) with genanki.

One note per memory, as in the app: a blank is one cloze note (Anki asks it as recall; the
app's first multiple-choice showing has no Anki form), a misconception one basic note that
asks it as true or false, a chain item one basic note. Every back shows the source's exact
words and the citation. Note GUIDs come from the item ids, so importing a newer export
updates the notes instead of duplicating them. Detail items carry the tag studyapp::detail.
"""

from __future__ import annotations

import html
from pathlib import Path

import genanki
from sqlite_utils import Database

from studyapp.core.atomic import write_atomically
from studyapp.core.items import list_items
from studyapp.core.knowledge import get_fact, list_mechanisms
from studyapp.core.models import ItemKind, QuizItem
from studyapp.core.quizgen import BLANK
from studyapp.core.review import citation

# Fixed ids: Anki recognises the same note types and deck on every import.
DECK_ID = 1_769_200_301
CLOZE_MODEL_ID = 1_769_200_302
BASIC_MODEL_ID = 1_769_200_303
DECK_NAME = "StudyApp: exercise and depression"
CSS = (
    ".card { font-family: sans-serif; font-size: 20px; text-align: left; }"
    " .source { font-size: 15px; color: #666; margin-top: 1em; }"
)

CLOZE_MODEL = genanki.Model(
    CLOZE_MODEL_ID,
    "StudyApp Cloze",
    fields=[{"name": "Text"}, {"name": "Source"}],
    templates=[
        {
            "name": "Cloze",
            "qfmt": "{{cloze:Text}}",
            "afmt": "{{cloze:Text}}<div class=source>{{Source}}</div>",
        }
    ],
    css=CSS,
    model_type=genanki.Model.CLOZE,
)
BASIC_MODEL = genanki.Model(
    BASIC_MODEL_ID,
    "StudyApp Basic",
    fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Source"}],
    templates=[
        {
            "name": "Card 1",
            "qfmt": "{{Front}}",
            "afmt": "{{FrontSide}}<hr id=answer>{{Back}}<div class=source>{{Source}}</div>",
        }
    ],
    css=CSS,
)


def _source_html(db: Database, item: QuizItem, titles: dict[str, str]) -> str:
    if item.fact_id:
        fact = get_fact(db, item.fact_id)
        if fact:
            return f"“{html.escape(fact.shown_quote)}”<br>{html.escape(citation(db, fact))}"
    return html.escape(", ".join(titles.get(m, m) for m in item.mechanism_ids))


def _front(item: QuizItem) -> str:
    prompt = html.escape(item.prompt).replace("\n", "<br>")
    if item.kind in (ItemKind.CHOICE, ItemKind.MISSING_STEP, ItemKind.ORDER):
        options = "".join(f"<li>{html.escape(c)}</li>" for c in item.choices)
        return f"{prompt}<ol>{options}</ol>"
    if item.kind is ItemKind.TRUE_FALSE:  # the misconception is what the memory is about
        return f"True or false?<br>{html.escape(item.false_statement or item.prompt)}"
    return prompt


def _back(item: QuizItem) -> str:
    if item.kind is ItemKind.ORDER:
        return "<ol>" + "".join(f"<li>{html.escape(s)}</li>" for s in item.steps) + "</ol>"
    if item.kind is ItemKind.TRUE_FALSE:
        verdict = "False" if item.false_statement else "True"
        return f"<b>{verdict}.</b> The sources say: {html.escape(item.prompt)}"
    return f"<b>{html.escape(item.answer)}</b>"


def _cloze_text(item: QuizItem) -> str:
    """The prompt with its blanks turned into Anki's {{c1::...}} deletions."""
    parts = [html.escape(part).replace("\n", "<br>") for part in item.prompt.split(BLANK)]
    return f"{{{{c1::{html.escape(item.answer)}}}}}".join(parts)


def build_package(db: Database) -> genanki.Package:
    deck = genanki.Deck(DECK_ID, DECK_NAME)
    titles = {m.id: m.title for m in list_mechanisms(db)}
    for item in list_items(db):
        source = _source_html(db, item, titles)
        tags = [f"studyapp::{m}" for m in item.mechanism_ids] + [f"studyapp::{item.kind}"]
        if item.detail:
            tags.append("studyapp::detail")
        guid = genanki.guid_for("studyapp", item.id)
        if item.kind is ItemKind.CLOZE:
            note = genanki.Note(CLOZE_MODEL, [_cloze_text(item), source], tags=tags, guid=guid)
        else:
            note = genanki.Note(
                BASIC_MODEL, [_front(item), _back(item), source], tags=tags, guid=guid
            )
        deck.add_note(note)
    return genanki.Package(deck)


def write_apkg(db: Database, path: Path) -> int:
    """Write the package to ``path`` (never half a file); return the number of notes."""
    package = build_package(db)
    write_atomically(path, lambda temporary: package.write_to_file(str(temporary)))
    return len(package.decks[0].notes)
