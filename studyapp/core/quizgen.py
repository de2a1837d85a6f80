"""Facts and causal chains -> quiz items. Pure and deterministic: same content, same items.

Every random choice (distractors, option order, true or false) is drawn from a generator seeded
by the item's id, so ids, prompts and options never change while the content does not.
New items are ordered mechanism by mechanism, the order in which they are introduced.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Iterable
from functools import lru_cache

from studyapp.core.content import Content, Terms
from studyapp.core.models import Fact, ItemKind, Mechanism, QuizItem
from studyapp.core.slugs import slugify

QUIZGEN_VERSION = "1"  # bump when generation changes, so stored items are brought up to date
BLANK = "_____"
CANDIDATE_SAMPLE = 12  # other answers considered per distractor search in a large library
CHAIN_SEPARATOR = " → "

_DURATION = re.compile(r"^(\d+)([ -])(minutes?|hours?|days?|weeks?|months?|years?)$", re.I)
_PERCENT = re.compile(r"^(\d+(?:\.\d+)?)%$")
_PERCENT_RANGE = re.compile(r"^(\d+)-(\d+)%$")
_RANGE = re.compile(r"^(\d+) to (\d+)$")
_COUNT = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+$")
# A number after one of these is a bound, and a swapped bound can still be true
# ("fewer than 100%"), so such numbers are not swapped to make a false statement.
_BOUND = re.compile(
    r"\b(fewer|less|more|greater|over|under|at least|at most|up to|above|below)"
    r"( than)?\s*$",
    re.I,
)


def _rng(key: str) -> random.Random:
    return random.Random(int(hashlib.sha256(key.encode()).hexdigest()[:16], 16))


# The text helpers below are pure and see the same answers again and again (every fact's
# answer is a candidate for the others): cached, a 100,000-item build takes a third less.
@lru_cache(maxsize=65536)
def number_type(answer: str) -> str | None:
    """The type of a numeric answer: percent, percent-range, range, count or duration-<unit>."""
    if _PERCENT_RANGE.match(answer):
        return "percent-range"
    if _PERCENT.match(answer):
        return "percent"
    if _RANGE.match(answer):
        return "range"
    if match := _DURATION.match(answer):
        return f"duration-{match.group(3).lower().rstrip('s')}"
    if _COUNT.match(answer):
        return "count"
    return None


def answer_type(answer: str, terms: Terms) -> str | None:
    return number_type(answer) or terms.type_of(answer)


def _nice(value: float) -> int:
    """Round to two significant figures, as a plausible value would be quoted."""
    if value < 100:
        return max(1, round(value))
    digits = len(str(int(value))) - 2
    return int(round(value, -digits))


@lru_cache(maxsize=65536)
def _number_variants(answer: str) -> tuple[str, ...]:
    """Plausible wrong values of the same kind and format as a numeric answer."""
    factors = (0.5, 0.75, 1.5, 2, 3)
    if match := _PERCENT_RANGE.match(answer):
        low, high = int(match.group(1)), int(match.group(2))
        shifts = (-40, -20, -10, 10, 20)
        return tuple(f"{low + s}-{high + s}%" for s in shifts if low + s > 0 and high + s <= 100)
    if match := _PERCENT.match(answer):
        value = float(match.group(1))
        return tuple(f"{v}%" for v in (_nice(value * f) for f in factors) if 0 < v <= 100)
    if match := _RANGE.match(answer):
        low, high = int(match.group(1)), int(match.group(2))
        pairs = [(low, high - 15), (low + 7, high + 5), (low - 2, high - 30), (low + 12, high)]
        return tuple(f"{a} to {b}" for a, b in pairs if 0 < a < b)
    if match := _DURATION.match(answer):
        value, gap, unit = int(match.group(1)), match.group(2), match.group(3)
        return tuple(f"{_nice(value * f)}{gap}{unit}" for f in factors)
    if _COUNT.match(answer):
        value = int(answer.replace(",", ""))
        with_commas = "," in answer
        return tuple(
            f"{v:,}" if with_commas else str(v) for v in (_nice(value * f) for f in factors)
        )
    return ()


_DIGITS = re.compile(r"\d[\d,.]*")


@lru_cache(maxsize=65536)
def _shape(text: str) -> str:
    """ "40 minutes" -> "# minutes": numeric options must look alike."""
    return _DIGITS.sub("#", text)


@lru_cache(maxsize=65536)
def _key(text: str) -> str:
    """What makes two options the same for a learner: not case, a plural "s" or commas."""
    key = text.casefold().replace(",", "").strip()
    return key[:-1] if key.endswith("s") else key


def _same(a: str, b: str) -> bool:
    return _key(a) == _key(b)


def _distractors(
    answer: str,
    kind: str,
    pool: dict[str, list[str]],
    terms: Terms,
    key: str,
    count: int = 3,
    avoid: str = "",
) -> list[str]:
    """``count`` wrong options of the answer's type: other facts' answers, the type's terms,
    and for numbers generated variants; none that occurs in ``avoid``. Fewer if the type
    has too few."""
    others = pool.get(kind, [])
    if len(others) > CANDIDATE_SAMPLE:  # a large library: a seeded sample is plenty
        others = _rng(key + "/sample").sample(others, CANDIDATE_SAMPLE)
    candidates = [*terms.types.get(kind, ()), *others]
    numeric = number_type(answer) is not None
    if numeric:
        candidates += _number_variants(answer)
    unique: list[str] = []
    seen = {_key(answer)}
    shape = _shape(answer)
    avoid = avoid.casefold()
    for candidate in candidates:
        candidate_key = _key(candidate)
        if candidate_key in seen:
            continue
        if numeric and _shape(candidate) != shape:
            continue
        if avoid and candidate.casefold() in avoid:
            continue
        seen.add(candidate_key)
        unique.append(candidate)
    _rng(key).shuffle(unique)
    return unique[:count]


def blank(statement: str, answer: str) -> str:
    """The statement with every occurrence of the answer replaced by a blank."""
    pattern = re.compile(rf"(?<!\w){re.escape(answer)}(?!\w)", re.I)
    blanked = pattern.sub(BLANK, statement)
    if blanked == statement:
        blanked = re.compile(re.escape(answer), re.I).sub(BLANK, statement)
    return blanked


def _options(answer: str, wrong: list[str], key: str, prompt: str = "") -> tuple[str, ...]:
    if prompt.startswith(BLANK):  # the options start the sentence
        wrong = [w[:1].upper() + w[1:] for w in wrong]
    options = [answer, *wrong]
    _rng(key + "/order").shuffle(options)
    return tuple(options)


def _fact_items(fact: Fact, pool: dict[str, list[str]], terms: Terms) -> Iterable[QuizItem]:
    decks = fact.mechanism_ids
    for answer in fact.answers:
        prompt = blank(fact.statement, answer)
        slug = slugify(answer, max_length=40)
        yield QuizItem(
            f"{fact.id}/cloze/{slug}",
            ItemKind.CLOZE,
            prompt,
            answer,
            fact_id=fact.id,
            mechanism_ids=decks,
        )
        kind = answer_type(answer, terms)
        item_id = f"{fact.id}/choice/{slug}"
        wrong = _distractors(answer, kind, pool, terms, item_id) if kind else []
        if len(wrong) == 3:
            yield QuizItem(
                item_id,
                ItemKind.CHOICE,
                prompt,
                answer,
                choices=_options(answer, wrong, item_id, prompt),
                fact_id=fact.id,
                mechanism_ids=decks,
            )
    yield _true_false(fact, pool, terms)


def _true_false(fact: Fact, pool: dict[str, list[str]], terms: Terms) -> QuizItem:
    """The fact as stated, or, for about half the facts, made false by swapping one answer."""
    item_id = f"{fact.id}/true-false"
    swap = None
    if _rng(item_id).random() < 0.5:
        for answer in fact.answers:
            kind = answer_type(answer, terms)
            before = fact.statement[: fact.statement.find(answer)]
            if number_type(answer) and _BOUND.search(before):
                continue
            wrong = (
                terms.opposite_of(answer)
                or next(
                    iter(_distractors(answer, kind, pool, terms, item_id, 1, fact.statement)), None
                )
                if kind or terms.opposite_of(answer)
                else None
            )
            if wrong:
                swap = (answer, wrong)
                break
    if swap is None:
        return QuizItem(
            item_id,
            ItemKind.TRUE_FALSE,
            fact.statement,
            "True",
            choices=("True", "False"),
            fact_id=fact.id,
            mechanism_ids=fact.mechanism_ids,
            explanation=fact.statement,
        )
    answer, wrong = swap
    pattern = re.compile(rf"(?<!\w){re.escape(answer)}(?!\w)", re.I)
    false_statement = pattern.sub(wrong, fact.statement, count=1)
    explanation = f"False: it is “{answer}”, not “{wrong}”. {fact.statement}"
    return QuizItem(
        item_id,
        ItemKind.TRUE_FALSE,
        false_statement,
        "False",
        choices=("True", "False"),
        fact_id=fact.id,
        mechanism_ids=fact.mechanism_ids,
        explanation=explanation,
    )


def _chain_items(mechanism: Mechanism, other_steps: list[str]) -> Iterable[QuizItem]:
    steps = mechanism.steps
    decks = (mechanism.id,)
    order_id = f"{mechanism.id}/order"
    shuffled = list(steps)
    rng = _rng(order_id)
    while tuple(shuffled) == steps and len(steps) > 1:
        rng.shuffle(shuffled)
    yield QuizItem(
        order_id,
        ItemKind.ORDER,
        f"Put the steps of “{mechanism.title}” in order, first to last.",
        CHAIN_SEPARATOR.join(steps),
        choices=tuple(shuffled),
        mechanism_ids=decks,
        steps=steps,
    )
    for index in range(1, len(steps) - 1):
        missing = steps[index]
        item_id = f"{mechanism.id}/missing/{slugify(missing, max_length=40)}"
        shown = [BLANK if i == index else step for i, step in enumerate(steps)]
        wrong = [s for s in other_steps if not _same(s, missing)]
        _rng(item_id).shuffle(wrong)
        yield QuizItem(
            item_id,
            ItemKind.MISSING_STEP,
            f"Which step is missing from “{mechanism.title}”?\n" + CHAIN_SEPARATOR.join(shown),
            missing,
            choices=_options(missing, wrong[:3], item_id),
            mechanism_ids=decks,
            steps=steps,
        )


def generate_items(content: Content) -> list[QuizItem]:
    """Every quiz item, in the order they are introduced: mechanism by mechanism."""
    terms = content.terms
    distinct: dict[str, dict[str, None]] = {}  # answer type -> answers, first seen first
    for fact in content.facts:
        for answer in fact.answers:
            if kind := answer_type(answer, terms):
                distinct.setdefault(kind, {})[answer] = None
    pool = {kind: list(answers) for kind, answers in distinct.items()}
    middle_steps = {m.id: list(m.steps[1:-1]) for m in content.mechanisms}

    items: list[QuizItem] = []
    done: set[str] = set()
    for mechanism in content.mechanisms:
        for fact in content.facts_of(mechanism.id):
            if fact.id not in done:
                done.add(fact.id)
                items.extend(_fact_items(fact, pool, terms))
        others = [s for m, steps in middle_steps.items() if m != mechanism.id for s in steps]
        items.extend(_chain_items(mechanism, others))
    for fact in content.facts:  # facts of no card, should there be any
        if fact.id not in done:
            items.extend(_fact_items(fact, pool, terms))
    return items
