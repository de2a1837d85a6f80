"""Facts and causal chains -> quiz items (pure and deterministic: same content, same items),
and the form an item takes at each showing.

One memory, one item. A blank is one item: it is shown as multiple choice the first time (when
three safe wrong options exist) and typed from then on, so recognition leads into recall
instead of being a second card answered a minute later. A true/false item exists only where
the content gives a misconception to tell apart from the statement; each showing presents one
of the two. A fact may also ask what kind of evidence stands behind it (a mouse study, a
trial...), from a description that does not give it away. Chains give order and missing-step
items only when the content says their order is worth asking (given by the sources and not
something a learner could work out from the steps) and they have five steps or more.

Wrong options must be safe (options.py); fewer than three safe ones means no multiple choice.
An "a"/"an" before a blank reads "a(n)", so it tells nothing.

New items come in the course's order (course.toml), interleaved across the facts of a unit:
the first item of every fact, then the second, then the unit's chain items.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Iterable
from dataclasses import replace

from studyapp.core.content import ASKED_EVIDENCE, Content, Terms
from studyapp.core.models import Evidence, Fact, Importance, ItemKind, Mechanism, QuizItem
from studyapp.core.options import (
    BLANK,
    OptionChecker,
    candidates,
    contains,
    option_key,
)
from studyapp.core.slugs import slugify

QUIZGEN_VERSION = "4"  # bump when generation changes, so stored items are brought up to date
CHAIN_SEPARATOR = " → "
OPTIONS = 4  # the right option and three wrong ones

_ARTICLE_BEFORE_BLANK = re.compile(rf"\b([Aa]n?) {re.escape(BLANK)}")


def _rng(key: str) -> random.Random:
    return random.Random(int(hashlib.sha256(key.encode()).hexdigest()[:16], 16))


def article_for(word: str) -> str:
    """ "a" or "an" before ``word``, by its first sound (good enough for this content)."""
    if not word:
        return "a"
    if word[:2].isupper() or (len(word) == 1 and word.isupper()):  # read letter by letter
        return "an" if word[0] in "AEFHILMNORSX" else "a"
    if word[0].isdigit():
        return "an" if re.match(r"(8|11|18)(\D|$)", word) else "a"
    lower = word.casefold()
    if lower.startswith(("hour", "honest", "honour", "honor", "heir")):
        return "an"
    if lower.startswith(("uni", "use", "usu", "euro", "one", "once")):
        return "a"
    return "an" if lower[0] in "aeiou" else "a"


def articles_agree(text: str) -> bool:
    """Whether every "a"/"an" in ``text`` fits the word after it."""
    for match in re.finditer(r"\b([Aa]n?)\s+([\w'’-]+)", text):
        article, word = match.group(1).casefold(), match.group(2)
        if word == BLANK.strip("_") or word.startswith("_"):
            continue
        if article_for(word) != article:
            return False
    return True


def blank(statement: str, answer: str, synonyms: Iterable[str] = ()) -> str:
    """The statement with every occurrence of the answer blanked. An abbreviation or synonym
    of the answer in brackets right after a blank ("the _____ (NAc)") would give it away, so
    it goes too; and "a"/"an" before a blank becomes "a(n)", which gives nothing away."""
    pattern = re.compile(rf"(?<!\w){re.escape(answer)}(?!\w)", re.I)
    blanked = pattern.sub(BLANK, statement)
    if blanked == statement:
        blanked = re.compile(re.escape(answer), re.I).sub(BLANK, statement)
    for synonym in synonyms:
        blanked = blanked.replace(f"{BLANK} ({synonym})", BLANK)
    return _ARTICLE_BEFORE_BLANK.sub(lambda m: f"{m.group(1)[0]}(n) {BLANK}", blanked)


_ABBREVIATION = re.compile(r"^(?=(?:[^A-Z]*[A-Z]){2})[A-Za-z0-9-]{2,6}$")


def is_abbreviation(text: str) -> bool:
    """ "NAc", "PVN", "2-AG": one short token with two capitals or more."""
    return bool(_ABBREVIATION.match(text))


def _visible_text(content: Content) -> str:
    """What a learner reads around the quizzes: every statement and every source's title."""
    return "\n".join((*(f.statement for f in content.facts), *content.source_titles.values()))


def _wordings(fact: Fact, answer: str, terms: Terms) -> list[str]:
    """Other wordings of the answer: the content's, and the answer with a synonym swapped in."""
    found = list(fact.rule(answer).accept)
    for group in terms.synonyms:
        for word in group:
            if contains(answer, word):
                pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.I)
                found += [pattern.sub(other, answer) for other in group if other != word]
    return [a for a in dict.fromkeys(found) if option_key(a) != option_key(answer)]


def _refused(wording: str, statement: str, visible: str) -> bool:
    """A bare abbreviation the learner reads elsewhere (in a statement, in a citation's title:
    "PVN-NAc" in the oxytocin paper's) is not a right answer: typing it proves nothing."""
    return is_abbreviation(wording) and _read_elsewhere(wording, statement, visible)


FULL_NAME_CUE = "the full name, not an abbreviation"
HINT = "\nHint: "  # a prompt's hint follows its question after this


def split_hint(prompt: str) -> tuple[str, str]:
    """A prompt's question and its hint ("" if it has none)."""
    question, _, hint = prompt.partition(HINT)
    return question, hint


def _read_elsewhere(word: str, statement: str, visible: str) -> bool:
    pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)")
    return len(pattern.findall(visible)) > len(pattern.findall(statement))


def _cloze(
    fact: Fact, answer: str, content: Content, checker: OptionChecker, unit: str, visible: str
) -> QuizItem:
    rule = fact.rule(answer)
    wordings = _wordings(fact, answer, content.terms)
    accepted = tuple(a for a in wordings if not _refused(a, fact.statement, visible))
    prompt = blank(fact.statement, answer, (*accepted, *content.terms.synonyms_of(answer)))
    # an abbreviation was refused: say what is asked, or the learner's right answer fails
    cues = (rule.cue, FULL_NAME_CUE if len(accepted) < len(wordings) else "")
    if any(cues):
        prompt += HINT + "; ".join(c for c in cues if c)
    distractors: tuple[str, ...] = ()
    if rule.choice:
        safe = checker.safe_options(
            candidates(fact, answer, content.terms), fact, answer, prompt, accepted
        )
        if len(safe) >= OPTIONS - 1:
            distractors = tuple(safe)
    slug = slugify(answer, max_length=40)
    older = (fact.id, *fact.replaces)
    return QuizItem(
        f"{fact.id}/cloze/{slug}",
        ItemKind.CLOZE,
        prompt,
        answer,
        fact_id=fact.id,
        mechanism_ids=fact.mechanism_ids,
        explanation=fact.statement,
        accepted=accepted,
        distractors=distractors,
        sibling_group=fact.id,
        unit=unit,
        detail=fact.importance is Importance.DETAIL,
        supersedes=tuple(
            f"{old}/{kind}/{slug}"
            for old in older
            for kind in ("cloze", "choice")
            if (old, kind) != (fact.id, "cloze")
        ),
    )


def _true_false(fact: Fact, unit: str) -> QuizItem:
    return QuizItem(
        f"{fact.id}/true-false",
        ItemKind.TRUE_FALSE,
        fact.statement,
        "True",
        choices=("True", "False"),
        fact_id=fact.id,
        mechanism_ids=fact.mechanism_ids,
        explanation=fact.statement,
        false_statement=fact.false_statement,
        sibling_group=fact.id,
        unit=unit,
        detail=fact.importance is Importance.DETAIL,
        supersedes=tuple(f"{old}/true-false" for old in fact.replaces),
    )


EVIDENCE_QUESTION = "What kind of evidence stands behind this claim?"


_NEVER_AGAINST = {Evidence.HYPOTHESIS: Evidence.ANIMAL, Evidence.ANIMAL: Evidence.HYPOTHESIS}


def _evidence_options(evidence: Evidence) -> tuple[Evidence, ...]:
    """The kinds a learner must tell apart (a mouse study is not a meta-analysis). A
    hypothesis is often drawn from animal work, and an animal finding read as a claim about
    people is a hypothesis: the two are never offered against each other."""
    return tuple(e for e in ASKED_EVIDENCE if e is not _NEVER_AGAINST.get(evidence))


def _evidence(fact: Fact, unit: str) -> QuizItem:
    """Which kind of evidence backs the claim."""
    kinds = _evidence_options(fact.evidence)
    return QuizItem(
        f"{fact.id}/evidence",
        ItemKind.CHOICE,
        f"{EVIDENCE_QUESTION}\n“{fact.evidence_prompt}”",
        fact.evidence.label,
        choices=tuple(e.label for e in kinds),
        fact_id=fact.id,
        mechanism_ids=fact.mechanism_ids,
        explanation=f"{fact.evidence.label}: {fact.statement}",
        distractors=tuple(e.label for e in kinds if e is not fact.evidence),
        sibling_group=fact.id,
        unit=unit,
        detail=fact.importance is Importance.DETAIL,
    )


def _fact_items(
    fact: Fact, content: Content, checker: OptionChecker, unit: str, visible: str
) -> list[QuizItem]:
    items = [_cloze(fact, answer, content, checker, unit, visible) for answer in fact.answers]
    if fact.false_statement:
        items.append(_true_false(fact, unit))
    if fact.evidence_prompt:
        items.append(_evidence(fact, unit))
    return items


def _chain_title(mechanism: Mechanism) -> str:
    return f"“{mechanism.title}”" + (" (a hypothesis)" if mechanism.hypothesis else "")


def chain_items(mechanism: Mechanism) -> list[QuizItem]:
    """Only for chains whose order is worth asking (the sources give it, and the steps alone
    do not), with three middle steps or more (a shorter chain is its facts, and asking it
    again would ask the same thing twice): order the middle steps (the first and last give
    nothing away, so they are shown), and name a missing step that a source states, against
    the card's own wrong steps."""
    if not mechanism.quiz_order or len(mechanism.steps) < 5:
        return []
    steps, middle = mechanism.steps, mechanism.steps[1:-1]
    common = {
        "mechanism_ids": (mechanism.id,),
        "sibling_group": f"chain:{mechanism.id}",
        "unit": mechanism.id,
    }
    items = [
        QuizItem(
            f"{mechanism.id}/order",
            ItemKind.ORDER,
            f"Put the middle steps of {_chain_title(mechanism)} in order."
            f"\nIt starts: {steps[0]}\nIt ends: {steps[-1]}",
            CHAIN_SEPARATOR.join(middle),
            choices=tuple(_rng(f"{mechanism.id}/order").sample(middle, len(middle))),
            steps=middle,
            **common,
        )
    ]
    if len(mechanism.wrong_steps) < OPTIONS - 1:
        return items
    for index in range(1, len(steps) - 1):
        if not mechanism.facts_of_step(index):
            continue  # never ask for a step that is this guide's synthesis
        missing = steps[index]
        item_id = f"{mechanism.id}/missing/{slugify(missing, max_length=40)}"
        shown = [BLANK if i == index else step for i, step in enumerate(steps)]
        items.append(
            QuizItem(
                item_id,
                ItemKind.MISSING_STEP,
                f"Which step is missing from {_chain_title(mechanism)}?\n"
                + CHAIN_SEPARATOR.join(shown),
                missing,
                choices=(missing, *mechanism.wrong_steps[: OPTIONS - 1]),
                distractors=mechanism.wrong_steps,
                **common,
            )
        )
    return items


def _interleaved(groups: list[list[QuizItem]]) -> list[QuizItem]:
    """The first item of every group, then the second of every group, and so on."""
    rounds = max((len(g) for g in groups), default=0)
    return [g[r] for r in range(rounds) for g in groups if r < len(g)]


def generate_items(content: Content) -> list[QuizItem]:
    """Every quiz item, in the order they are introduced: unit by unit as the course says,
    the facts of a unit interleaved, its chain last."""
    checker = OptionChecker(content)
    visible = _visible_text(content)
    by_id = {f.id: f for f in content.facts}
    mechanisms = {m.id: m for m in content.mechanisms}
    placed: set[str] = set()
    items: list[QuizItem] = []
    for unit in content.units():
        listed = [by_id[i] for i in unit.first if i in by_id]
        listed += [f for f in content.facts if unit.mechanism_id in f.mechanism_ids]
        groups = []
        for fact in listed:
            if fact.id not in placed:
                placed.add(fact.id)
                groups.append(_fact_items(fact, content, checker, unit.mechanism_id, visible))
        items += _interleaved(groups)
        if unit.mechanism_id in mechanisms:
            items += chain_items(mechanisms[unit.mechanism_id])
    rest = [f for f in content.facts if f.id not in placed]  # facts of no card
    items += _interleaved([_fact_items(f, content, checker, "", visible) for f in rest])
    return items


def present(item: QuizItem, first_showing: bool, showing: int) -> QuizItem:
    """The item as shown this time: the form, and options or steps shuffled anew, seeded by
    the item and how many times it was answered before (so an undo shows it the same)."""
    rng = _rng(f"{item.id}#{showing}")
    if item.kind is ItemKind.CLOZE:
        if not (first_showing and len(item.distractors) >= OPTIONS - 1):
            return item
        wrong = rng.sample(item.distractors, OPTIONS - 1)
        if item.prompt.startswith(BLANK):  # the options start the sentence
            wrong = [w[:1].upper() + w[1:] for w in wrong]
        options = [item.answer, *wrong]
        rng.shuffle(options)
        question, hint = split_hint(item.prompt)
        if hint.endswith(FULL_NAME_CUE):  # every option is a full name: it tells nothing here
            hint = hint.removesuffix(FULL_NAME_CUE).removesuffix("; ")
            item = replace(item, prompt=question + (HINT + hint if hint else ""))
        return replace(item, kind=ItemKind.CHOICE, choices=tuple(options))
    if item.kind is ItemKind.CHOICE:
        options = [item.answer, *rng.sample(item.distractors, OPTIONS - 1)]
        rng.shuffle(options)
        return replace(item, choices=tuple(options))
    if item.kind is ItemKind.TRUE_FALSE:
        if item.false_statement and rng.random() < 0.5:
            return replace(
                item,
                prompt=item.false_statement,
                answer="False",
                explanation=f"False. The sources say: {item.explanation}",
            )
        return replace(item, answer="True")
    if item.kind is ItemKind.ORDER:
        shuffled = list(item.steps)
        while tuple(shuffled) == item.steps and len(shuffled) > 1:
            rng.shuffle(shuffled)
        return replace(item, choices=tuple(shuffled))
    if item.kind is ItemKind.MISSING_STEP:
        wrong = rng.sample(item.distractors, min(OPTIONS - 1, len(item.distractors)))
        options = [item.answer, *wrong]
        rng.shuffle(options)
        return replace(item, choices=tuple(options))
    return item
