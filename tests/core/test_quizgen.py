"""Quiz generation over the real content: every rule of a fair item that a machine can check,
each shown to catch a bad item too; and lenient grading."""

import re
from collections import Counter
from dataclasses import replace
from itertools import combinations, pairwise
from pathlib import Path

import pytest

from studyapp.core.content import Content, Terms, evidence_prompt_problem
from studyapp.core.grading import match_answer
from studyapp.core.ingest import ingest
from studyapp.core.library import get_source, list_sources
from studyapp.core.models import AnswerRule, Evidence, Fact, Importance, ItemKind, Mechanism
from studyapp.core.options import content_words, is_plural
from studyapp.core.quizgen import BLANK, articles_agree, generate_items, present, split_hint
from studyapp.core.review import grade

REPO = Path(__file__).resolve().parents[2]
SEEDS, CONTENT = REPO / "seeds", REPO / "resources" / "content"
SHOWINGS = range(12)  # how many showings of each item the form checks look at


@pytest.fixture(scope="module")
def content(tmp_path_factory):
    from studyapp.core.content import load_content
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


@pytest.fixture(scope="module")
def chain_items(content):
    """The items if every chain whose order the sources give asked its order too (the shipped
    chains do not: their order follows from their steps)."""
    asking = tuple(replace(m, quiz_order=m.ordered) for m in content.mechanisms)
    return generate_items(replace(content, mechanisms=asking))


def shown_forms(item):
    """Every form the item takes over a dozen showings, first showing first."""
    return [present(item, n == 0, n) for n in SHOWINGS]


def all_shown(items):
    return [shown for item in items for shown in shown_forms(item)]


def contains_words(text: str, words: str) -> bool:
    def norm(t):
        return " ".join(re.sub(r"(?<=\w\w)s\b", "", t.casefold().replace("-", " ")).split())

    return f" {norm(words)} " in f" {re.sub(r'[^a-z0-9% ]', ' ', norm(text))} "


def a_fact(statement: str, answer: str, **rule) -> Fact:
    return Fact(
        id="made-up",
        statement=statement,
        answers=(answer,),
        source_id="s",
        quote="q",
        evidence=Evidence.REVIEW,
        mechanism_ids=("m",),
        answer_rules=(AnswerRule(answer, **rule),) if rule else (),
    )


def items_of(*facts: Fact, terms: Terms | None = None) -> list:
    mechanism = Mechanism("m", "M", "A card.", ("a", "b", "c"))
    return generate_items(Content((mechanism,), facts, "digest", terms or Terms()))


# What is generated


def test_one_item_per_blank_misconception_and_evidence_and_chains_only_when_asked(
    content, items, chain_items
):
    kinds = Counter(i.kind for i in items)
    assert kinds[ItemKind.CLOZE] == sum(len(f.answers) for f in content.facts)
    assert kinds[ItemKind.TRUE_FALSE] == sum(1 for f in content.facts if f.false_statement)
    # multiple choice is a blank's first form, or the question of a finding's evidence
    assert kinds[ItemKind.CHOICE] == sum(1 for f in content.facts if f.evidence_prompt) >= 5
    assert kinds[ItemKind.ORDER] == kinds[ItemKind.MISSING_STEP] == 0  # none says quiz_order
    asked = {m.id for m in content.mechanisms if m.ordered and len(m.steps) >= 5}
    for item in chain_items:
        if item.kind in (ItemKind.ORDER, ItemKind.MISSING_STEP):
            assert item.mechanism_ids[0] in asked, item.id
    kinds = Counter(i.kind for i in chain_items)
    assert kinds[ItemKind.ORDER] == len(asked) >= 3
    assert kinds[ItemKind.MISSING_STEP] >= 9


def test_generation_is_deterministic_with_unique_ids(content, items):
    assert generate_items(content) == items
    ids = [i.id for i in items]
    assert len(ids) == len(set(ids))


def test_key_findings_are_asked_and_details_are_flagged(content, items):
    by_fact = Counter(i.fact_id for i in items)
    assert by_fact["blog-cochrane-73-trials"]  # what the Cochrane review concluded
    assert by_fact["wt-genetic-study-400000"]  # what the genetic study found
    cochrane = next(i for i in items if i.fact_id == "blog-cochrane-73-trials")
    assert cochrane.answer == "as beneficial as"
    assert cochrane.prompt.startswith("According to a blog")  # second-hand, and it says so
    assert not by_fact["blog-read-second-hand"]  # how the blogger came to it: on the card only
    details = {f.id for f in content.facts if f.importance is Importance.DETAIL}
    assert {"news-trial-size", "news-ucl-framework"} <= details  # participants, university
    for item in items:
        assert item.detail == (item.fact_id in details), item.id
    quizzed = [i for i in items if not i.detail]
    assert len(quizzed) >= 60


# One right answer, not given away by the wording


def test_the_prompt_never_contains_the_answer_or_an_accepted_one(items):
    for item in items:
        if item.kind is not ItemKind.CLOZE:
            continue
        assert item.prompt.count(BLANK) >= 1, item.id
        for right in (item.answer, *item.accepted):
            assert not contains_words(item.prompt, right), (item.id, right)


def test_an_abbreviation_after_the_blank_is_left_out():
    fact = a_fact(
        "Exercise kept activity in the nucleus accumbens (NAc) normal.", "nucleus accumbens"
    )
    terms = Terms(synonyms=(("nucleus accumbens", "NAc"),))
    (item,) = items_of(fact, terms=terms)
    assert item.prompt == "Exercise kept activity in the _____ normal."
    assert "NAc" in item.accepted


def test_an_abbreviation_the_learner_reads_elsewhere_is_not_an_answer_on_its_own():
    """ "PVN-NAc" is in the oxytocin paper's title, shown with every citation of it: typing
    "NAc" proves nothing, and the learner is told the full name is asked. An abbreviation
    read nowhere else is still accepted, with no hint."""
    fact = a_fact(
        "Exercise kept activity in the nucleus accumbens (NAc) normal.",
        "nucleus accumbens",
        accept=("accumbens nucleus",),
    )
    terms = Terms(synonyms=(("nucleus accumbens", "NAc"),))
    mechanism = Mechanism("m", "M", "A card.", ("a", "b", "c"))
    titled = Content((mechanism,), (fact,), "d", terms, source_titles={"s": "A PVN-NAc circuit"})
    (item,) = generate_items(titled)
    assert item.prompt == (
        "Exercise kept activity in the _____ normal.\nHint: the full name, not an abbreviation"
    )
    assert item.accepted == ("accumbens nucleus",)
    (untitled,) = generate_items(replace(titled, source_titles={"s": "A circuit"}))
    assert "NAc" in untitled.accepted
    assert untitled.prompt == "Exercise kept activity in the _____ normal."
    options = ("nucleus accumbens", "amygdala", "hippocampus", "prefrontal cortex")
    with_options = replace(item, distractors=options[1:])
    assert present(with_options, True, 0).prompt == "Exercise kept activity in the _____ normal."
    assert split_hint(present(with_options, False, 1).prompt) == (
        "Exercise kept activity in the _____ normal.",
        "the full name, not an abbreviation",
    )  # the options are all full names: the hint tells only the typed form anything
    both = replace(with_options, prompt=f"{item.prompt.replace('Hint: ', 'Hint: where; ')}")
    assert split_hint(present(both, True, 0).prompt)[1] == "where"  # the content's cue stays


def test_an_article_before_a_blank_tells_nothing():
    (item,) = items_of(a_fact("IL-6 functions as a myokine.", "myokine"))
    assert item.prompt == "IL-6 functions as a(n) _____."


# Multiple choice: safe distractors, or none


def test_options_are_four_unique_with_the_answer_and_change_every_showing(chain_items):
    reshuffled = 0
    for item in chain_items:
        forms = [s for s in shown_forms(item) if s.kind in (ItemKind.CHOICE, ItemKind.MISSING_STEP)]
        for shown in forms:
            assert len(shown.choices) == 4, item.id
            assert len({c.casefold() for c in shown.choices}) == 4, item.id
            assert shown.answer in shown.choices, item.id
        orders = {s.choices for s in forms}
        reshuffled += len(orders) > 1
        assert forms == [s for s in shown_forms(item) if s in forms]  # seeded: same again
    assert reshuffled >= 8


def test_a_blank_is_multiple_choice_only_the_first_time(items):
    for item in items:
        if item.kind is ItemKind.CLOZE:
            first, *later = shown_forms(item)
            assert first.kind is (ItemKind.CHOICE if item.distractors else ItemKind.CLOZE)
            assert all(s.kind is ItemKind.CLOZE for s in later), item.id


def test_no_distractor_is_in_the_stem_right_or_of_another_number(items):
    for item in items:
        if item.kind is not ItemKind.CLOZE:
            continue
        stem = item.prompt.split("\n")[0]
        for option in item.distractors:
            assert not contains_words(stem, option), (item.id, option)
            assert not match_answer(option, item.answer, item.accepted), (item.id, option)
            assert is_plural(option) == is_plural(item.answer), (item.id, option)


def test_the_stem_check_catches_a_distractor_already_in_the_sentence():
    fact = a_fact(
        "Kynurenine can produce the neurotoxin quinolinic acid, not kynurenic acid.",
        "quinolinic acid",
        distractors=("kynurenic acid", "xanthurenic acid", "picolinic acid"),
    )
    (item,) = items_of(fact)
    assert item.distractors == ()  # only two safe options are left: no multiple choice


def test_the_number_check_catches_another_number_of_the_same_card():
    rise = a_fact("Exercise raises BDNF by 32% on average.", "32%")
    other = replace(a_fact("Another study found 48% more.", "48%"), id="other")
    item = next(i for i in items_of(rise, other) if i.fact_id == "made-up")
    assert "48%" not in item.distractors and len(item.distractors) >= 3


def test_no_numeric_options_under_a_bound_or_in_a_comparison():
    bounded = a_fact("Fewer than 50% of people who take SSRIs respond to treatment.", "50%")
    compared = a_fact("Exercising for 40 minutes produces more BDNF than 20 minutes.", "40 minutes")
    plain = a_fact("Exercise raises serum BDNF by 32% on average.", "32%")
    assert items_of(bounded)[0].distractors == ()  # "fewer than 75%" would also be true
    assert items_of(compared)[0].distractors == ()  # 60 minutes would also produce more
    assert len(items_of(plain)[0].distractors) >= 3


def test_a_distractor_that_another_fact_makes_true_is_dropped():
    key = a_fact(
        "Because BDNF is critical for neuroplasticity, exercise may ease depression.",
        "neuroplasticity",
        distractors=("neurogenesis", "myelination", "apoptosis", "homeostasis"),
    )
    other = replace(
        a_fact("Because BDNF is critical for neurogenesis, exercise may ease depression.", "x"),
        id="other",
        answers=(),
    )
    item = items_of(key, other)[0]
    assert "neurogenesis" not in item.distractors and len(item.distractors) == 3


# True or false


def test_every_prompt_and_false_version_reads_right(items):
    """Capitalised, and "a"/"an" agreeing with the word after it, filled in with every option."""
    for shown in all_shown(items):
        first_line = shown.prompt.split("\n")[0]
        assert first_line[0].isupper() or first_line.startswith(BLANK), shown.id
        fills = shown.choices if shown.kind is ItemKind.CHOICE else (shown.answer,)
        for fill in fills if BLANK in first_line else ("",):
            assert articles_agree(first_line.replace(BLANK, fill)), (shown.id, fill)
        if shown.false_statement:
            assert shown.false_statement[0].isupper(), shown.id
            assert articles_agree(shown.false_statement), shown.id


def test_the_article_check_can_fail():
    assert not articles_agree("Exercise has an pro-inflammatory effect.")
    assert not articles_agree("IL-6 acts as an myokine.")
    assert articles_agree("An RCT of an hour a day; a university, an SSRI and a 45% drop.")


def test_a_false_version_is_never_a_taught_statement(content, items):
    def norm(text):
        return " ".join(re.sub(r"[^a-z0-9% ]", " ", text.casefold()).split())

    taught = {norm(f.statement) for f in content.facts}
    for item in items:
        if item.false_statement:
            assert norm(item.false_statement) not in taught, item.id
            assert norm(item.false_statement) != norm(item.prompt), item.id


def test_true_or_false_shows_both_versions_over_its_showings(items):
    for item in items:
        if item.kind is ItemKind.TRUE_FALSE:
            answers = {s.answer for s in shown_forms(item)}
            assert answers == {"True", "False"}, item.id
            false_form = next(s for s in shown_forms(item) if s.answer == "False")
            assert false_form.prompt == item.false_statement
            assert item.prompt in false_form.explanation


# Evidence


def test_evidence_items_ask_the_kind_of_evidence_without_giving_it_away(content, items):
    by_id = {f.id: f for f in content.facts}
    asked = [i for i in items if i.id.endswith("/evidence")]
    assert {by_id[i.fact_id].evidence for i in asked} >= {Evidence.ANIMAL, Evidence.HYPOTHESIS}
    for item in asked:
        fact = by_id[item.fact_id]
        assert item.answer == fact.evidence.label and item.sibling_group == fact.id
        assert not evidence_prompt_problem(fact), item.id
        forms = shown_forms(item)
        for shown in forms:
            assert len(set(shown.choices)) == 4 and shown.answer in shown.choices, item.id
            assert grade(shown, str(shown.choices.index(shown.answer) + 1))
        assert len({s.choices for s in forms}) > 1  # reshuffled, another set of wrong kinds
        if fact.evidence is Evidence.HYPOTHESIS:  # drawn from animal work: not a wrong answer
            assert Evidence.ANIMAL.label not in item.choices, item.id
        if fact.evidence is Evidence.ANIMAL:  # read as a claim about people, it is one
            assert Evidence.HYPOTHESIS.label not in item.choices, item.id


def test_an_evidence_prompt_that_names_its_evidence_is_refused():
    mouse = replace(a_fact("In mice, X.", "X"), evidence=Evidence.ANIMAL)
    assert evidence_prompt_problem(replace(mouse, evidence_prompt="Exercise does X.")) == ""
    for telltale in ("In stressed mice, X.", "A trial found X.", "Researchers propose X."):
        assert "gives the kind of evidence away" in evidence_prompt_problem(
            replace(mouse, evidence_prompt=telltale)
        )
    blog = replace(mouse, evidence=Evidence.PRESS, evidence_prompt="Exercise does X.")
    assert "only a fact whose evidence is" in evidence_prompt_problem(blog)


# Chains


def test_order_items_ask_the_middle_steps_shuffled_at_every_showing(content, chain_items):
    for mechanism in content.mechanisms:
        order = next((i for i in chain_items if i.id == f"{mechanism.id}/order"), None)
        if order is None:
            continue
        assert mechanism.ordered
        assert order.steps == mechanism.steps[1:-1] and len(order.steps) >= 3
        assert mechanism.steps[0] in order.prompt and mechanism.steps[-1] in order.prompt
        forms = shown_forms(order)
        assert all(s.choices != order.steps for s in forms)
        assert len({s.choices for s in forms}) > 1


def test_missing_step_options_are_the_cards_own_wrong_steps(content, chain_items):
    every_step = {s for m in content.mechanisms for s in m.steps}
    by_id = {m.id: m for m in content.mechanisms}
    for item in chain_items:
        if item.kind is not ItemKind.MISSING_STEP:
            continue
        mechanism = by_id[item.mechanism_ids[0]]
        index = mechanism.steps.index(item.answer)
        assert mechanism.facts_of_step(index), item.id  # never a step of this guide's making
        assert set(item.distractors) == set(mechanism.wrong_steps), item.id
        assert not set(item.distractors) & every_step, item.id
        for shown in shown_forms(item):
            wrong = [c for c in shown.choices if c != item.answer]
            assert set(wrong) <= set(mechanism.wrong_steps), item.id


def test_hypotheses_are_labelled_in_chain_items(content, chain_items):
    hypotheses = {m.id for m in content.mechanisms if m.hypothesis}
    assert "inflammation-dopamine" in hypotheses
    for item in chain_items:
        if item.kind in (ItemKind.ORDER, ItemKind.MISSING_STEP):
            assert ("(a hypothesis)" in item.prompt) == (item.mechanism_ids[0] in hypotheses)


# The content behind the items


NUMBER = re.compile(r"(?<![\w-])\d[\d,.]*%?(?![\w-])")


def same_claim(a: str, b: str) -> bool:
    """Two statements that teach the same claim: most of their words shared, or the same
    quantity with half their words."""
    words_a, words_b = content_words(a), content_words(b)
    shared = words_a & words_b
    jaccard = len(shared) / len(words_a | words_b)
    overlap = len(shared) / min(len(words_a), len(words_b))
    numbers = {n for n in NUMBER.findall(a) if not re.fullmatch(r"(19|20)\d\d", n)}
    same_number = bool(numbers & set(NUMBER.findall(b)))
    return jaccard >= 0.6 or (jaccard >= 0.5 and overlap >= 0.8) or (same_number and overlap >= 0.5)


def test_no_two_quizzed_facts_teach_the_same_claim(content, items):
    quizzed = {i.fact_id for i in items if i.fact_id}
    facts = [f for f in content.facts if f.id in quizzed]
    twins = [
        (a.id, b.id) for a, b in combinations(facts, 2) if same_claim(a.statement, b.statement)
    ]
    assert twins == []


def test_the_same_claim_check_finds_the_old_podcast_twins():
    assert same_claim(
        "Exercise consistently increases serum BDNF levels, by 32% on average.",
        "Physical activity raises serum BDNF by an average of 32% compared with baseline.",
    )
    assert same_claim(
        "Animal studies consistently show exercise increases BDNF and neurogenesis in the brain.",
        "Animal studies consistently demonstrate that exercise increases BDNF and neurogenesis.",
    )
    assert not same_claim(
        "Physical activity raises serum BDNF by an average of 32% compared with baseline.",
        "Compared with control conditions, physical activity raises serum BDNF by 45%.",
    )


def test_a_merged_claim_cites_both_sources(content):
    by_id = {f.id: f for f in content.facts}
    merged = by_id["wn-bdnf-32-percent"]
    assert merged.source_count == 2
    assert "wt-bdnf-32-percent" in merged.replaces
    assert all(c.passage_id for f in content.facts for c in f.also)


def test_mouse_results_say_mice(content):
    for fact in content.facts:
        if (
            fact.source_id.startswith("physical-exercise-activates")
            and fact.evidence is Evidence.ANIMAL
        ):
            assert re.search(r"\bmice\b|\bmouse\b", fact.statement), fact.id


BANNED_FIRST_WORDS = {"it", "they", "them", "its", "their", "these", "those", "which", "and"}


def test_every_quote_shown_is_whole_sentences(content):
    for fact in content.facts:
        quotes = [fact.shown_quote, *(c.quote for c in fact.also)]
        for quote in quotes:
            first = quote.split()[0].strip('“"').casefold()
            assert quote[0].isupper() or quote[0] in '“"', (fact.id, quote)
            assert first not in BANNED_FIRST_WORDS, (fact.id, quote)
            ends = quote.rstrip('”"').rstrip()
            assert ends[-1] in ".!?" or fact.quote.endswith(":"), (fact.id, quote)


def test_definitions_come_before_the_items_that_use_them(content, items):
    position = {item.id: n for n, item in enumerate(items)}
    for fact in content.facts:
        for term in fact.defines:
            first = min(position[i.id] for i in items if i.fact_id == fact.id)
            for item in items:
                uses = contains_words(item.prompt, term) or contains_words(item.answer, term)
                if uses and item.fact_id != fact.id:
                    assert position[item.id] > first, (term, item.id)


def test_the_course_starts_with_the_evidence_and_interleaves_facts(content, items):
    assert items[0].unit == "evidence-base"
    assert items[0].fact_id == "blog-cochrane-73-trials"  # does exercise help?
    units = list(dict.fromkeys(i.unit for i in items))
    assert units[:2] == ["evidence-base", "bdnf-neuroplasticity"]
    facts = [i for i in items if i.fact_id]
    runs = sum(1 for a, b in pairwise(facts) if a.fact_id == b.fact_id)
    assert runs <= 3  # facts interleave: hardly ever two items of one fact in a row


def test_grading_each_kind(items, chain_items):
    cloze = next(i for i in items if i.kind is ItemKind.CLOZE and i.distractors)
    choice = present(cloze, True, 0)
    right = str(choice.choices.index(choice.answer) + 1)
    assert grade(choice, right) and grade(choice, choice.answer)
    assert not grade(choice, str((int(right) % 4) + 1))
    assert grade(present(cloze, False, 3), cloze.answer)
    true_false = next(i for i in items if i.kind is ItemKind.TRUE_FALSE)
    for shown in shown_forms(true_false):
        assert grade(shown, shown.answer[0].lower())
        assert not grade(shown, "f" if shown.answer == "True" else "t")
    order = present(next(i for i in chain_items if i.kind is ItemKind.ORDER), False, 1)
    digits = "".join(str(order.choices.index(step) + 1) for step in order.steps)
    assert grade(order, digits)
    assert not grade(order, digits[::-1])
    assert not grade(order, "12")
