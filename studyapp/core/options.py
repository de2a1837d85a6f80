"""Wrong options for multiple choice: where candidates come from, and the checks that keep
only safe ones. A safe wrong option is of the answer's kind and grammatical number, is not in
the question, is not an accepted answer, is not made true by another fact (a sentence that
names it and shares most of the question's words), is never a number under a bound ("fewer
than") or in a comparison ("more ... than"), and never another number of the same card.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from studyapp.core.content import Content, Terms
from studyapp.core.grading import normalize
from studyapp.core.models import Fact

BLANK = "_____"

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
def option_key(text: str) -> str:
    """What makes two options the same for a learner: their normalized, singular words."""
    return " ".join(_PLURAL_S.sub("", word) for word in normalize(text).split())


_NOT_WORD = re.compile(r"[^\w\s%]|[\u2010-\u2015-]")


@lru_cache(maxsize=65536)
def _words(text: str) -> str:
    """A sentence's words, lower case and singular, without punctuation: cheaper than
    grading's normalize, and enough to find a phrase in a sentence."""
    return " ".join(_PLURAL_S.sub("", w) for w in _NOT_WORD.sub(" ", text.casefold()).split())


def contains(text: str, phrase: str) -> bool:
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


def _bare_numbers(text: str) -> set[str]:
    return {n.replace(",", "").rstrip(".") for n in _DIGITS.findall(text)}


def content_words(text: str) -> set[str]:
    return {w for w in _words(text).split() if w not in _STOPWORDS and len(w) > 2}


class OptionChecker:
    """Decides which candidate wrong options are safe for one blank of one fact. Indexed by
    word, so that a large library is checked in time linear in its size."""

    def __init__(self, content: Content):
        self.keys = {f.id: _words(f.statement) for f in content.facts}
        self.by_key = {key: fact_id for fact_id, key in self.keys.items()}
        self.words = {f.id: content_words(f.statement) for f in content.facts}
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
        asked = content_words(sentence.replace(BLANK, " "))
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
        right = {option_key(answer), *(option_key(a) for a in accepted)}
        plural = is_plural(answer)
        kind = number_type(answer)
        card = [self.numbers_by_mechanism[m] for m in fact.mechanism_ids]
        safe = []
        for option in dict.fromkeys(candidates):
            if (
                option_key(option) in right
                or contains(prompt, option)
                or is_plural(option) != plural
            ):
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


def candidates(fact: Fact, answer: str, terms: Terms) -> list[str]:
    rule = fact.rule(answer)
    if rule.distractors:
        return list(rule.distractors)
    if number_type(answer):
        return list(_number_variants(answer)) if _numbers_are_askable(fact, answer) else []
    kind = terms.type_of(answer)
    return list(terms.types.get(kind, ())) if kind else []
