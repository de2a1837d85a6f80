"""Lenient grading of typed answers: what a fair teacher would accept as the same words.

Case, punctuation, dashes, a leading article, "%" vs "percent", "to" vs "-" in a range,
a "%" on either end of a range or on neither (a percent answer typed without its sign),
thousands separators, number words ("forty" for 40, via text2num), British and American
spellings ("centre", "fibre", "behaviour", "signalling", "randomised"), a plural "s", "the"
anywhere, a leading "about" or "around", "between 70 and 80" for a range, and "1/3" for
"a third" do not matter. The members of a set ("growth and survival") may come in any
order. Besides the answer, the content may list other wordings that are just as right
(synonyms, abbreviations). A one-letter slip in a long word counts as right; the learner is
shown the spelling. Words the sentence already has around the blank may be typed with the
answer ("aerobic exercise" for "particularly _____ exercise").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from text_to_num import alpha2digit

_DASHES = re.compile(r"[\u2010-\u2015\u2212-]")
_RANGE = re.compile(r"(\d)\s*(?:-|to)\s*(\d)")
# "70%-80%", "70% to 80" and "70-80%" are one range: the sign goes to its end.
_PERCENT_RANGE = re.compile(r"(\d[\d.]*)\s*(%?)\s*(-|to)\s*(\d[\d.]*)\s*(%?)")
_PERCENT_VALUE = re.compile(r"^\d[\d.]*( \d[\d.]*)?%$")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")
_BETWEEN = re.compile(r"\bbetween (\d[\d.]*\s*%?) and (?=\d)")  # "between 70 and 80%" is 70-80%
_PUNCTUATION = re.compile(r"[^\w\s%]")
# Leading words that change nothing: an article, or an approximation ("about a third").
_LEADING = re.compile(r"^(?:(?:the|a|an|about|around|approximately|roughly|circa)\s+)+")
_FRACTIONS = {"1/2": "a half", "1/3": "a third", "2/3": "two thirds", "1/4": "a quarter"}
_FRACTION = re.compile(r"(?<![\d/])[12]\s*/\s*[234](?![\d/])")
# British -> American, word by word: both sides are spelled the same way before comparing.
_SPELLINGS = (
    (re.compile(r"(?<=\w\w[bt])re(s?)$"), r"er\1"),  # centre, fibre
    (re.compile(r"(?<=\w\w)our(s?)$"), r"or\1"),  # behaviour, tumour
    (re.compile(r"(?<=\w\w)is(e|es|ed|ing|ation|ations)$"), r"iz\1"),  # randomise(d)
    (re.compile(r"(?<=\w\w)ys(e|es|ed|ing)$"), r"yz\1"),  # analyse
    (re.compile(r"(?<=\w\w[aeiou])ll(ing|ed|er)$"), r"l\1"),  # signalling, modelled
)
_SET_SPLIT = re.compile(r"\s*(?:,|\band\b|\bor\b|&)\s*")
LONG_WORD = 6  # a slip is forgiven in words at least this long


_SPELLING_ENDINGS = tuple(
    f"{stem}{end}"
    for stem, ends in (
        ("bre", ("", "s")),
        ("tre", ("", "s")),
        ("our", ("", "s")),
        ("is", ("e", "es", "ed", "ing", "ation", "ations")),
        ("ys", ("e", "es", "ed", "ing")),
        ("ll", ("ing", "ed", "er")),
    )
    for end in ends
)


def _spelled(word: str) -> str:
    if not word.endswith(_SPELLING_ENDINGS):  # most words: no pattern can apply
        return word
    for pattern, replacement in _SPELLINGS:
        word = pattern.sub(replacement, word)
    return word


def _percent_range(match: re.Match) -> str:
    low, low_sign, separator, high, high_sign = match.groups()
    sign = "%" if low_sign or high_sign else ""
    return f"{low}{separator if separator == '-' else ' to '}{high}{sign}"


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().strip()
    text = _DASHES.sub("-", text)
    text = text.replace("percent", "%").replace("per cent", "%")
    text = re.sub(r"['’]", "", text)  # Parkinson's = Parkinsons
    text = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", text)  # "one-third" is "one third"
    text = _FRACTION.sub(lambda m: _FRACTIONS.get(re.sub(r"\s", "", m.group(0)), m.group(0)), text)
    text = alpha2digit(text, "en", threshold=0)
    text = _THOUSANDS.sub("", text)
    text = _BETWEEN.sub(r"\1 to ", text)
    text = _PERCENT_RANGE.sub(_percent_range, text)
    text = _RANGE.sub(r"\1-\2", text)
    text = re.sub(r"(?<=\d)\s*-\s*(?=\d)", "-", text)
    text = text.replace("-", " ")
    text = _PUNCTUATION.sub(" ", text)
    text = re.sub(r"\s*%", "%", text)
    text = _LEADING.sub("", " ".join(_spelled(word) for word in text.split()))
    return " ".join(word for word in text.split() if word != "the")


def _singular(text: str) -> str:
    return " ".join(re.sub(r"(?<=\w\w)s$", "", word) for word in text.split())


def _members(text: str) -> frozenset[str] | None:
    """The members of a set answer ("a, b and c"), or None if it is not a set."""
    parts = [_singular(normalize(p)) for p in _SET_SPLIT.split(text.casefold()) if p.strip()]
    return frozenset(parts) if len(parts) > 1 else None


def _same(given: str, expected: str) -> bool:
    """Whether two answers are the same words (normalized), or the same set in any order."""
    a, b = normalize(given), normalize(expected)
    if not a or not b:
        return False
    if a == b or _singular(a) == _singular(b):
        return True
    if _PERCENT_VALUE.match(b) and a == b[:-1]:  # "70-80" for "70-80%": the sign is implied
        return True
    members = _members(expected)
    return members is not None and _members(given) == members


def _one_slip(a: str, b: str) -> bool:
    """Whether ``a`` is ``b`` with one letter added, dropped, changed or two swapped."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end_a, end_b = len(a), len(b)
    while end_a > start and end_b > start and a[end_a - 1] == b[end_b - 1]:
        end_a, end_b = end_a - 1, end_b - 1
    middle_a, middle_b = a[start:end_a], b[start:end_b]
    if len(middle_a) <= 1 and len(middle_b) <= 1:
        changed = middle_a + middle_b
        return not any(c.isdigit() or c.isspace() for c in changed)
    swapped = len(middle_a) == len(middle_b) == 2 and middle_a == middle_b[::-1]
    return swapped and not any(c.isdigit() for c in middle_a)


def _slipped_word(given: str, expected: str) -> bool:
    """One slip in one long word, every other word right."""
    given_words, expected_words = given.split(), expected.split()
    if len(given_words) != len(expected_words):
        return False
    differing = [(g, e) for g, e in zip(given_words, expected_words, strict=True) if g != e]
    return (
        len(differing) == 1
        and len(differing[0][1]) >= LONG_WORD
        and _one_slip(_singular(differing[0][0]), _singular(differing[0][1]))
    )


@dataclass(frozen=True)
class Match:
    """How a typed answer compares: right, right with a slip (``spelling`` is the right
    form to show), or wrong."""

    right: bool
    spelling: str = ""  # set when a one-letter slip was forgiven

    def __bool__(self) -> bool:
        return self.right


def _without_context(typed: str, before: str, after: str) -> list[str]:
    """The typed answer without the words the sentence already has right before or right
    after the blank (one or two of them), in every way that applies."""
    words = typed.split()
    before_words, after_words = normalize(before).split(), normalize(after).split()
    found = []
    for count in (1, 2):
        tail = after_words[:count]
        if len(tail) == count and len(words) > count and words[-count:] == tail:
            found.append(" ".join(words[:-count]))
        head = before_words[-count:] if len(before_words) >= count else []
        if head and len(words) > count and words[:count] == head:
            found.append(" ".join(words[count:]))
    return found


def match_answer(
    given: str,
    expected: str,
    accepted: Iterable[str] = (),
    wrong: Iterable[str] = (),
    context: tuple[str, str] = ("", ""),
) -> Match:
    """Compare a typed answer with the expected one and its accepted alternatives. A slip is
    not forgiven when the typed words are one of ``wrong`` (the item's distractors).
    ``context`` is the sentence before and after the blank: its words may be typed along."""
    typed = normalize(given)
    if not typed:
        return Match(False)
    candidates = [expected, *accepted]
    if any(_same(given, candidate) for candidate in candidates):
        return Match(True)
    for shorter in _without_context(typed, *context):
        if any(_same(shorter, candidate) for candidate in candidates):
            return Match(True)
    if any(_same(given, w) for w in wrong):
        return Match(False)
    for candidate in candidates:
        if _slipped_word(typed, normalize(candidate)):
            return Match(True, spelling=candidate)
    return Match(False)


def is_correct(given: str, expected: str) -> bool:
    """Whether a typed answer matches, leniently; a plural "s" is forgiven too."""
    return match_answer(given, expected).right
