"""Lenient grading of typed answers: what a fair teacher would accept as the same words.

Case, punctuation, dashes, a leading article, "%" vs "percent", "to" vs "-" in a range,
thousands separators and number words ("forty" for 40, via text2num) do not matter.
"""

from __future__ import annotations

import re
import unicodedata

from text_to_num import alpha2digit

_DASHES = re.compile(r"[\u2010-\u2015\u2212-]")
_RANGE = re.compile(r"(\d)\s*(?:-|to)\s*(\d)")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")
_PUNCTUATION = re.compile(r"[^\w\s%]")
_ARTICLE = re.compile(r"^(the|a|an)\s+")


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().strip()
    text = _DASHES.sub("-", text)
    text = text.replace("percent", "%").replace("per cent", "%")
    text = re.sub(r"['’]", "", text)  # Parkinson's = Parkinsons
    text = alpha2digit(text, "en", threshold=0)
    text = _THOUSANDS.sub("", text)
    text = _RANGE.sub(r"\1-\2", text)
    text = re.sub(r"(?<=\d)\s*-\s*(?=\d)", "-", text)
    text = text.replace("-", " ")
    text = _PUNCTUATION.sub(" ", text)
    text = re.sub(r"\s*%", "%", text)
    text = " ".join(text.split())
    return _ARTICLE.sub("", text)


def _singular(text: str) -> str:
    return " ".join(re.sub(r"(?<=\w\w)s$", "", word) for word in text.split())


def is_correct(given: str, expected: str) -> bool:
    """Whether a typed answer matches, leniently; a plural "s" is forgiven too."""
    a, b = normalize(given), normalize(expected)
    return bool(a) and (a == b or _singular(a) == _singular(b))
