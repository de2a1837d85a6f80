"""Facts and causal chains -> quiz items (pure and deterministic: same content, same items),
and the form an item takes at each showing.

One memory, one item. A blank is one item: it is shown as multiple choice the first time (when
three safe wrong options exist) and typed from then on, so recognition leads into recall
instead of being a second card answered a minute later. A true/false item exists only where
the content gives a misconception to tell apart from the statement; each showing presents one
of the two. Chains give order and missing-step items only when the sources give their order.

Wrong options must be safe: of the answer's type and grammatical number (an "a"/"an" before
a blank reads "a(n)", so it tells nothing), not in the stem, not an accepted answer, not true
by another fact, never a number under a bound ("fewer than") or in a comparison ("more ...
than"). Fewer than three safe options means no multiple choice.

New items come in the course's order (course.toml), interleaved across the facts of a unit:
the first item of every fact, then the second, then the unit's chain items.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache

from studyapp.core.content import Content, Terms
from studyapp.core.grading import normalize
from studyapp.core.models import Fact, Importance, ItemKind, Mechanism, QuizItem
from studyapp.core.slugs import slugify

QUIZGEN_VERSION = "2"  # bump when generation changes, so stored items are brought up to date
BLANK = "_____"
CHAIN_SEPARATOR = " → "
OPTIONS = 4  # the right option and three wrong ones

_DURATION = re.compile(r"^(\d+)([ -])(minutes?|hours?|days?|weeks?|months?|years?)$", re.I)
_PERCENT = re.compile(r"^(\d+(?:\.\d+)?)%$")
_PERCENT_RANGE = re.compile(r"^(\d+)-(\d+)%$")
_RANGE = re.compile(r"^(\d+) to (\d+)$")
_COUNT = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+$")
# A number after one of these is a bound, and another value can still be true under it
# ("fewer than 75%" when fewer than 50% is true); so is a number in a comparison ("40 minutes
# produces more than 20"). Neither gets numeric options.
_BOUND = re.compile(
    r"\b(fewer|less|more|greater|over|under|at least|at most|up to|above|below)"
    r"( than)?\s*$",
    re.I,
)
_COMPARISON = re.compile(r"\bthan\b", re.I)
_ARTICLE_BEFORE_BLANK = re.compile(rf"\b([Aa]n?) {re.escape(BLANK)}")
_STOPWORDS = frozenset(
    re.findall(
        r"\w+",
        "a an the of in on at to for and or but with by from as is are was were be been it its "
        "that this which who whose their them they can may might could also more most such "
        "than into after before during while not no",
    )
)
# Plurals without an "s", and singulars that end in one.
_PLURALS = frozenset({"microglia", "mice", "data", "criteria", "bacteria", "people", "nuclei"})
_SINGULARS = frozenset({"accumbens", "diabetes", "series", "species", "news"})
_SINGULAR_S = re.compile(r"(ss|us|is|ics|sis|ous)$")


def _rng(key: str) -> random.Random:
    return random.Random(int(hashlib.sha256(key.encode()).hexdigest()[:16], 16))


# The text helpers below are pure and see the same answers again and again: cached.
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


_PLURAL_S = re.compile(r"(?<=\w\w)s$")


@lru_cache(maxsize=65536)
def _key(text: str) -> str:
    """What makes two options the same for a learner: their normalized, singular words."""
    return " ".join(_PLURAL_S.sub("", word) for word in normalize(text).split())


_NOT_WORD = re.compile(r"[^\w\s%]|[\u2010-\u2015-]")


@lru_cache(maxsize=65536)
def _words(text: str) -> str:
    """A sentence's words, lower case and singular, without punctuation: cheaper than
    grading's normalize, and enough to find a phrase in a sentence."""
    return " ".join(_PLURAL_S.sub("", w) for w in _NOT_WORD.sub(" ", text.casefold()).split())


def _contains(text: str, phrase: str) -> bool:
    """Whether ``phrase`` occurs in ``text`` as whole words (case, punctuation and a plural
    "s" aside)."""
    return f" {_words(phrase)} " in f" {_words(text)} "


def is_plural(term: str) -> bool:
    """Grammatical number of a term, from its last word."""
    last = term.split()[-1].casefold() if term.split() else ""
    if last in _PLURALS:
        return True
    if last in _SINGULARS:
        return False
    return (
        len(last) > 3 and last.endswith("s") and not _SINGULAR_S.search(last) and not last.isupper()
    )


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


def _bare_numbers(text: str) -> set[str]:
    return {n.replace(",", "").rstrip(".") for n in _DIGITS.findall(text)}


def _content_words(text: str) -> set[str]:
    return {w for w in _words(text).split() if w not in _STOPWORDS and len(w) > 2}


class _Checker:
    """Decides which candidate wrong options are safe for one blank of one fact. Indexed by
    word, so that a large library is checked in time linear in its size."""

    def __init__(self, content: Content):
        self.keys = {f.id: _words(f.statement) for f in content.facts}
        self.by_key = {key: fact_id for fact_id, key in self.keys.items()}
        self.words = {f.id: _content_words(f.statement) for f in content.facts}
        self.by_word: dict[str, set[str]] = {}
        for fact_id, key in self.keys.items():
            for word in set(key.split()):
                self.by_word.setdefault(word, set()).add(fact_id)
        self.numbers_by_mechanism: dict[str, set[str]] = {}
        for fact in content.facts:
            for mechanism_id in fact.mechanism_ids:
                found = self.numbers_by_mechanism.setdefault(mechanism_id, set())
                found.update(_bare_numbers(fact.statement))

    def true_elsewhere(self, option: str, fact: Fact, prompt: str) -> bool:
        """Whether another fact makes the option right: it names the option in a sentence
        that shares most of the prompt's words, or the filled-in sentence is that fact."""
        sentence = prompt.split("\n")[0]
        if self.by_key.get(_words(sentence.replace(BLANK, option)), fact.id) != fact.id:
            return True
        asked = _content_words(sentence.replace(BLANK, " "))
        words = _words(option).split()
        if not asked or not words:
            return False
        naming = set.intersection(*(self.by_word.get(w, set()) for w in words)) - {fact.id}
        phrase = f" {_words(option)} "
        return any(
            phrase in f" {self.keys[other_id]} "
            and len(asked & self.words[other_id]) / len(asked) >= 0.5
            for other_id in naming
        )

    def safe_options(
        self, candidates: Iterable[str], fact: Fact, answer: str, prompt: str, accepted
    ) -> list[str]:
        """The candidates that are safe wrong options for this blank, in their order."""
        right = {_key(answer), *(_key(a) for a in accepted)}
        plural = is_plural(answer)
        kind = number_type(answer)
        card = [self.numbers_by_mechanism[m] for m in fact.mechanism_ids]
        safe = []
        for option in dict.fromkeys(candidates):
            if _key(option) in right or _contains(prompt, option) or is_plural(option) != plural:
                continue
            if kind:
                if number_type(option) != kind or _shape(option) != _shape(answer):
                    continue
                # Another number of the same card is interference, not a test (and no other
                # fact can make right a number that no fact of the card states).
                if any(_bare_numbers(option) & numbers for numbers in card):
                    continue
            elif self.true_elsewhere(option, fact, prompt):
                continue
            safe.append(option)
        return safe


def _numbers_are_askable(fact: Fact, answer: str) -> bool:
    before = fact.statement[: fact.statement.find(answer)]
    return not _BOUND.search(before) and not _COMPARISON.search(fact.statement)


def _candidates(fact: Fact, answer: str, terms: Terms) -> list[str]:
    rule = fact.rule(answer)
    if rule.distractors:
        return list(rule.distractors)
    if number_type(answer):
        return list(_number_variants(answer)) if _numbers_are_askable(fact, answer) else []
    kind = terms.type_of(answer)
    return list(terms.types.get(kind, ())) if kind else []


def _accepted(fact: Fact, answer: str, terms: Terms) -> tuple[str, ...]:
    """Other right answers: the content's, and the answer with a synonym swapped in."""
    found = list(fact.rule(answer).accept)
    for group in terms.synonyms:
        for word in group:
            if _contains(answer, word):
                pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.I)
                found += [pattern.sub(other, answer) for other in group if other != word]
    unique = dict.fromkeys(a for a in found if _key(a) != _key(answer))
    return tuple(unique)


def _cloze(fact: Fact, answer: str, content: Content, checker: _Checker, unit: str) -> QuizItem:
    rule = fact.rule(answer)
    accepted = _accepted(fact, answer, content.terms)
    prompt = blank(fact.statement, answer, (*accepted, *content.terms.synonyms_of(answer)))
    if rule.cue:
        prompt += f"\nHint: {rule.cue}"
    distractors: tuple[str, ...] = ()
    if rule.choice:
        safe = checker.safe_options(
            _candidates(fact, answer, content.terms), fact, answer, prompt, accepted
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


def _fact_items(fact: Fact, content: Content, checker: _Checker, unit: str) -> list[QuizItem]:
    items = [_cloze(fact, answer, content, checker, unit) for answer in fact.answers]
    if fact.false_statement:
        items.append(_true_false(fact, unit))
    return items


def _chain_title(mechanism: Mechanism) -> str:
    return f"“{mechanism.title}”" + (" (a hypothesis)" if mechanism.hypothesis else "")


def _chain_items(mechanism: Mechanism) -> list[QuizItem]:
    """Only for chains whose order the sources give, with three middle steps or more (a
    shorter chain is its facts, and asking it again would ask the same thing twice): order
    the middle steps (the first and last give nothing away, so they are shown), and name a
    missing step that a source states, against the card's own wrong steps."""
    if not mechanism.ordered or len(mechanism.steps) < 5:
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
    checker = _Checker(content)
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
                groups.append(_fact_items(fact, content, checker, unit.mechanism_id))
        items += _interleaved(groups)
        if unit.mechanism_id in mechanisms:
            items += _chain_items(mechanisms[unit.mechanism_id])
    rest = [f for f in content.facts if f.id not in placed]  # facts of no card
    items += _interleaved([_fact_items(f, content, checker, "") for f in rest])
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
        return replace(item, kind=ItemKind.CHOICE, choices=tuple(options))
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
