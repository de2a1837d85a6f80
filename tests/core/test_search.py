"""Search: ranked, grouped, snippets marked, and no input can raise."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studyapp.core import search as search_module
from studyapp.core.db import open_database
from studyapp.core.ingest import ingest
from studyapp.core.search import (
    MARK_END,
    MARK_START,
    count_text,
    fts_query,
    match_counts,
    search,
)

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    db = open_database(tmp_path_factory.mktemp("search") / "studyapp.sqlite3")
    ingest(db, REPO / "seeds", REPO / "resources" / "content")
    yield db
    db.close()


def test_quinolinic_finds_its_card_then_the_kynurenine_passage(library):
    hits = search(library, "quinolinic")
    assert (hits[0].kind, hits[0].id) == ("mechanism", "kynurenine-pathway")  # in its title
    first = next(h for h in hits if h.kind == "passage")
    assert first.source_id == "exercise-as-a-treatment-for-depression"
    assert first.title.endswith("Tryptophan and Kynurenine Metabolism")
    assert f"{MARK_START}quinolinic{MARK_END}" in first.snippet
    kinds = [h.kind for h in hits]
    assert kinds == sorted(kinds, key=["mechanism", "source", "passage", "fact"].index)
    assert any(h.kind == "fact" and h.id == "wt-quinolinic-acid-depression" for h in hits)


@pytest.mark.parametrize(
    ("words", "card"),
    [
        ("bdnf", "bdnf-neuroplasticity"),
        ("endocannabinoids", "endocannabinoids"),
        ("endorphins", "endorphins"),
        ("oxytocin", "oxytocin-circuit"),
    ],
)
def test_a_card_whose_title_matches_comes_first(library, words, card):
    assert (search(library, words)[0].kind, search(library, words)[0].id) == ("mechanism", card)


def test_a_source_whose_title_matches_comes_before_its_passages(library):
    kinds = [h.kind for h in search(library, "neurotrophic")]
    assert kinds.index("source") < kinds.index("passage")


def test_the_last_word_is_a_prefix(library):
    assert any("quinolinic" in h.snippet.lower() for h in search(library, "quin"))


def test_source_titles_match_word_starts(library):
    titles = [h.id for h in search(library, "neurotroph") if h.kind == "source"]
    assert titles == ["impact-of-exercise-on-neurotrophic-factors-and-neuroplasticity"]
    assert not [h for h in search(library, "euro") if h.kind == "source"]  # mid-word


def test_source_titles_match_any_case_underscores_and_accents(tmp_path):
    db = open_database(tmp_path / "studyapp.sqlite3")
    for source_id, title in (("a", "Über Sport_und Gehirn"), ("b", "Sport, BDNF and MOOD")):
        db.execute(
            "INSERT INTO sources (id, title, kind, file_name, file_sha256)"
            " VALUES (?, ?, 'text', ?, 'x')",
            [source_id, title, f"{source_id}.txt"],
        )

    def titles(text: str) -> list[str]:
        return [h.id for h in search(db, text) if h.kind == "source"]

    assert titles("über") == ["a"]  # case folded beyond ASCII, which LIKE does not do
    assert titles("sport_und") == ["a"]  # an underscore is a letter here, not a wildcard
    assert titles("sport") == ["a", "b"]
    assert titles("mood bdnf") == ["b"]
    assert titles("port") == []  # mid-word
    db.close()


@pytest.fixture
def runners(tmp_path, monkeypatch):
    """Six passages say "run", three only "runner"; ranking stops past four matches."""
    monkeypatch.setattr(search_module, "RANK_LIMIT", 4)
    db = open_database(tmp_path / "studyapp.sqlite3")
    db.execute(
        "INSERT INTO sources (id, title, kind, file_name, file_sha256)"
        " VALUES ('s', 'Sport', 'text', 's.txt', 'x')"
    )
    texts = [f"We run lap {n}." for n in range(6)] + [f"A runner, lap {n}." for n in range(3)]
    for ordinal, text in enumerate(texts):
        db.execute(
            "INSERT INTO passages (id, source_id, ordinal, kind, markdown, text)"
            " VALUES (?, 's', ?, 'paragraph', '', ?)",
            [f"s/{ordinal}", ordinal, text],
        )
    yield db
    db.close()


def test_too_many_to_rank_shows_the_whole_word_as_typed(runners):
    texts = [h.snippet for h in search(runners, "run") if h.kind == "passage"]
    assert len(texts) == 6  # "run" matches more than RANK_LIMIT: those first, not "runner"
    assert all(f"{MARK_START}run{MARK_END}" in text for text in texts)
    assert match_counts(runners, "run")["passage"] == 9  # the count still includes "runner"


def test_a_prefix_that_is_not_a_word_is_ranked_over_its_matches(runners):
    texts = [h.snippet for h in search(runners, "runn") if h.kind == "passage"]
    assert len(texts) == 3
    assert all(f"{MARK_START}runner{MARK_END}" in text for text in texts)


def test_counting_stops_past_the_count_limit(runners, monkeypatch):
    monkeypatch.setattr(search_module, "COUNT_LIMIT", 5)
    assert match_counts(runners, "lap")["passage"] == 6
    assert count_text(6) == "5+"
    assert count_text(5) == "5"
    monkeypatch.undo()
    assert count_text(12_345) == "10,000+"
    assert count_text(2_345) == "2,345"


def test_fts_query_is_plain_words():
    assert fts_query('bdnf "32%') == '"bdnf" "32"*'
    assert fts_query('bdnf "32%', prefix=False) == '"bdnf" "32"'
    assert fts_query("*-:()") is None


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("\"*-:()^+{}[]NEARORANDnot ab\\'")), max_size=30))
def test_no_query_raises(library, text):
    search(library, text)


def test_a_card_found_by_its_chain_reads_as_a_chain(library):
    """A card's steps are stored as a JSON list; a snippet from them reads as a chain."""
    from studyapp.core.search import _as_chain

    assert _as_chain('["Exercise", "Cortisol levels \x02fall\x03", "Less…') == (
        "Exercise → Cortisol levels \x02fall\x03 → Less…"
    )
    assert _as_chain('…may fall", "Mood lifts"]') == "…may fall → Mood lifts"
    for word in ("exercise", "bdnf", "mood", "dopamine", "brain", "step"):
        for hit in search(library, word):
            if hit.kind == "mechanism":
                assert '["' not in hit.snippet and '", "' not in hit.snippet, hit
