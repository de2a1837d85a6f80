"""Quiz generation over the real content: invariants on every item, and lenient grading."""

import re
from collections import Counter
from pathlib import Path

import pytest

from studyapp.core.content import load_content
from studyapp.core.grading import is_correct
from studyapp.core.ingest import ingest
from studyapp.core.library import get_source, list_sources
from studyapp.core.models import ItemKind
from studyapp.core.quizgen import BLANK, answer_type, generate_items, number_type
from studyapp.core.review import grade

REPO = Path(__file__).resolve().parents[2]
SEEDS, CONTENT = REPO / "seeds", REPO / "resources" / "content"


@pytest.fixture(scope="module")
def content(tmp_path_factory):
    from studyapp.core.db import open_database

    db = open_database(tmp_path_factory.mktemp("quiz") / "studyapp.sqlite3")
    ingest(db, SEEDS)
    sources = {s.source.id: get_source(db, s.source.id) for s in list_sources(db)}
    loaded = load_content(CONTENT, sources)
    db.close()
    return loaded


@pytest.fixture(scope="module")
def items(content):
    return generate_items(content)


def contains_word(text: str, word: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.I) is not None


def test_every_fact_and_chain_yields_items(content, items):
    kinds = Counter(i.kind for i in items)
    assert kinds[ItemKind.TRUE_FALSE] == len(content.facts)
    assert kinds[ItemKind.CLOZE] == sum(len(f.answers) for f in content.facts)
    assert kinds[ItemKind.ORDER] == len(content.mechanisms)
    assert kinds[ItemKind.MISSING_STEP] == sum(len(m.steps) - 2 for m in content.mechanisms)
    assert kinds[ItemKind.CHOICE] >= 100


def test_generation_is_deterministic(content, items):
    assert generate_items(content) == items
    ids = [i.id for i in items]
    assert len(ids) == len(set(ids))


def test_the_prompt_never_contains_the_answer(items):
    for item in items:
        if item.kind in (ItemKind.CLOZE, ItemKind.CHOICE, ItemKind.MISSING_STEP):
            assert BLANK in item.prompt, item.id
            assert not contains_word(item.prompt, item.answer), item.id


def test_choices_are_four_unique_options_with_the_answer(items):
    for item in items:
        if item.kind in (ItemKind.CHOICE, ItemKind.MISSING_STEP):
            assert len(item.choices) == 4, item.id
            assert len({c.casefold() for c in item.choices}) == 4, item.id
            assert item.answer in item.choices, item.id


def test_distractors_have_the_answers_type(content, items):
    terms = content.terms
    for item in items:
        if item.kind is not ItemKind.CHOICE:
            continue
        kind = answer_type(item.answer, terms)
        for option in item.choices:
            if number_type(item.answer):
                assert number_type(option) == kind, (item.id, option)
            else:
                members = {m.casefold() for m in terms.types[kind]}
                assert option.casefold() in members, (item.id, option)


def test_true_false_items_are_balanced_and_explain_false_ones(items):
    true_false = [i for i in items if i.kind is ItemKind.TRUE_FALSE]
    answers = Counter(i.answer for i in true_false)
    assert answers["True"] > 20 and answers["False"] > 20
    for item in true_false:
        if item.answer == "False":
            assert item.explanation.startswith("False: it is “")
            assert item.prompt not in item.explanation  # the true statement differs


def test_a_bound_is_never_swapped_into_a_true_false_statement(items):
    ssri = next(i for i in items if i.id == "news-ssri-response-under-50/true-false")
    assert ssri.answer == "True"  # "fewer than 100%" would still be true


def test_order_items_are_shuffled_chains(content, items):
    for mechanism in content.mechanisms:
        order = next(i for i in items if i.id == f"{mechanism.id}/order")
        assert order.steps == mechanism.steps
        assert sorted(order.choices) == sorted(mechanism.steps)
        assert order.choices != mechanism.steps


def test_new_items_come_mechanism_by_mechanism(content, items):
    first_card = content.mechanisms[0].id
    leading = [i for i in items[:10]]
    assert all(first_card in i.mechanism_ids for i in leading)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Forty minutes", "40 minutes"),
        ("32 percent", "32%"),
        ("thirty-two %", "32%"),
        ("70–80%", "70-80%"),
        ("seventy to eighty percent", "70-80%"),
        ("5000", "5,000"),
        ("five thousand", "5,000"),
        ("four hundred thousand", "400,000"),
        ("eighteen to sixty", "18 to 60"),
        ("Kynurenine Aminotransferase.", "kynurenine aminotransferase"),
        ("the microglia", "microglia"),
        ("blood brain barrier", "blood-brain barrier"),
        ("myokine", "myokines"),
        ("Parkinsons disease", "Parkinson's disease"),
        ("  PVN–NAc oxytocin circuit ", "PVN-NAc oxytocin circuit"),
    ],
)
def test_lenient_grading_accepts(given, expected):
    assert is_correct(given, expected)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("serotonin", "dopamine"),
        ("33", "32"),
        ("", "BDNF"),
        ("kynurenic acid", "quinolinic acid"),
        ("20 minutes", "40 minutes"),
    ],
)
def test_lenient_grading_still_rejects(given, expected):
    assert not is_correct(given, expected)


def test_grading_each_kind(items):
    choice = next(i for i in items if i.kind is ItemKind.CHOICE)
    right = str(choice.choices.index(choice.answer) + 1)
    assert grade(choice, right) and grade(choice, choice.answer)
    assert not grade(choice, str((int(right) % 4) + 1))
    true_false = next(i for i in items if i.kind is ItemKind.TRUE_FALSE)
    assert grade(true_false, true_false.answer[0].lower())
    order = next(i for i in items if i.kind is ItemKind.ORDER)
    digits = "".join(str(order.choices.index(step) + 1) for step in order.steps)
    assert grade(order, digits)
    assert not grade(order, digits[::-1])
    assert not grade(order, "12")
