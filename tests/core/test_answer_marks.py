"""What is marked after an answer: options, chain steps, typed words against the expected."""

from studyapp.core.answer_marks import (
    OptionMark,
    Piece,
    chosen_option,
    option_marks,
    step_marks,
    typed_comparison,
)
from studyapp.core.models import ItemKind, QuizItem

CHOICE = QuizItem(
    id="c",
    kind=ItemKind.CHOICE,
    prompt="Exercise raises _____ in muscle.",
    answer="kynurenine aminotransferase",
    choices=("tryptophan hydroxylase", "kynurenine aminotransferase", "MAO", "IDO"),
)
TRUE_FALSE = QuizItem(id="t", kind=ItemKind.TRUE_FALSE, prompt="…", answer="False")
ORDER = QuizItem(
    id="o",
    kind=ItemKind.ORDER,
    prompt="Put the chain in order.",
    answer="A → B → C → D",
    choices=("C", "A", "D", "B"),
    steps=("A", "B", "C", "D"),
)


def test_the_chosen_and_the_right_option():
    marks = option_marks(CHOICE, "3")
    assert marks[1] == OptionMark("kynurenine aminotransferase", chosen=False, right=True)
    assert marks[2] == OptionMark("MAO", chosen=True, right=False)
    assert sum(m.chosen for m in marks) == 1 and sum(m.right for m in marks) == 1
    assert [m.chosen and m.right for m in option_marks(CHOICE, "2")] == [0, 1, 0, 0]
    assert chosen_option(CHOICE, "kynurenine aminotransferase") == CHOICE.answer
    assert chosen_option(CHOICE, "") is None and chosen_option(CHOICE, "9") is None


def test_true_or_false_as_two_options():
    assert option_marks(TRUE_FALSE, "t") == [
        OptionMark("True", chosen=True, right=False),
        OptionMark("False", chosen=False, right=True),
    ]


def test_each_step_of_the_order_given():
    marks = step_marks(ORDER, "2143")  # A C B D
    assert [(m.text, m.in_place, m.right_position) for m in marks] == [
        ("A", True, 1),
        ("C", False, 3),
        ("B", False, 2),
        ("D", True, 4),
    ]
    assert all(m.in_place for m in step_marks(ORDER, "2413"))
    assert [m.text for m in step_marks(ORDER, "")] == ["C", "A", "D", "B"]  # as shown


def test_a_typed_slip_is_marked_letter_by_letter():
    mine, theirs = typed_comparison("Oxytocin recepter", "oxytocin receptor")
    assert "".join(p.text for p in mine) == "Oxytocin recepter"
    assert "".join(p.text for p in theirs) == "oxytocin receptor"
    assert [p.text for p in mine if not p.same] == ["e"]
    assert [p.text for p in theirs if not p.same] == ["o"]
    assert typed_comparison("", "BDNF") == ([], [Piece("BDNF", False)])


def test_another_answer_altogether_is_marked_whole():
    assert typed_comparison("no idea", "required") == (
        [Piece("no idea", False)],
        [Piece("required", False)],
    )
