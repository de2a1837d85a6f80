"""What to mark once a question is answered: the option chosen and the right one, each step
of an ordered chain, and where a typed answer differs from the expected words.

Pure functions of the item as it was shown and the learner's response (as the review
session grades it: an option's number, "t"/"f", or the shown steps' numbers in order)."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from studyapp.core.models import ItemKind, QuizItem

TRUE_FALSE = ("True", "False")


@dataclass(frozen=True)
class OptionMark:
    text: str
    chosen: bool
    right: bool


@dataclass(frozen=True)
class StepMark:
    text: str
    in_place: bool
    right_position: int  # 1-based place in the right order


@dataclass(frozen=True)
class Piece:
    text: str
    same: bool  # as in the other answer; False where they differ


def chosen_option(item: QuizItem, response: str) -> str | None:
    """The option the learner picked, as text (None for a blank or unknown response)."""
    text = response.strip()
    if item.kind is ItemKind.TRUE_FALSE:
        return {"t": "True", "true": "True", "f": "False", "false": "False"}.get(text.lower())
    if text.isdigit() and 1 <= int(text) <= len(item.choices):
        return item.choices[int(text) - 1]
    return text if text in item.choices else None


def option_marks(item: QuizItem, response: str) -> list[OptionMark]:
    """Each option as shown (True and False for a true/false item), chosen and/or right."""
    options = TRUE_FALSE if item.kind is ItemKind.TRUE_FALSE else item.choices
    chosen = chosen_option(item, response)
    return [OptionMark(option, option == chosen, option == item.answer) for option in options]


def chosen_order(item: QuizItem, response: str) -> list[str]:
    """The steps of an order item in the order the learner put them."""
    digits = [int(c) for c in response if c.isdigit()]
    if sorted(digits) != list(range(1, len(item.choices) + 1)):
        return list(item.choices)  # not a full order: as shown
    return [item.choices[d - 1] for d in digits]


def step_marks(item: QuizItem, response: str) -> list[StepMark]:
    """The learner's order, each step marked in place or not, with where it belongs."""
    right = list(item.steps)
    return [
        StepMark(step, i < len(right) and right[i] == step, right.index(step) + 1)
        for i, step in enumerate(chosen_order(item, response))
        if step in right
    ]


SLIP = 0.6  # as alike as a slip of a few letters; less alike is another answer altogether


def typed_comparison(typed: str, expected: str) -> tuple[list[Piece], list[Piece]]:
    """The typed answer and the expected one cut into pieces, each the same as in the other
    or not, letter by letter ignoring case: "recepter" against "receptor" marks "e" and "o".
    Another answer altogether is marked whole: letters that happen to match mean nothing."""
    typed, expected = typed.strip(), expected.strip()
    matcher = SequenceMatcher(None, typed.casefold(), expected.casefold(), autojunk=False)
    if len(typed.casefold()) != len(typed) or len(expected.casefold()) != len(expected):
        matcher = SequenceMatcher(None, typed, expected, autojunk=False)  # offsets must hold
    if matcher.ratio() < SLIP:
        return ([Piece(typed, False)] if typed else []), [Piece(expected, False)]
    mine: list[Piece] = []
    theirs: list[Piece] = []
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        same = tag == "equal"
        if a2 > a1:
            mine.append(Piece(typed[a1:a2], same))
        if b2 > b1:
            theirs.append(Piece(expected[b1:b2], same))
    return mine, theirs
