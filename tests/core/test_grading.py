"""Lenient grading of typed answers: what a fair teacher accepts as the same words, and
what it still rejects."""

import pytest

from studyapp.core.grading import match_answer


@pytest.mark.parametrize(
    ("given", "expected", "accepted"),
    [
        ("Forty minutes", "40 minutes", ()),
        ("32 percent", "32%", ()),
        ("70–80%", "70-80%", ()),
        ("five thousand", "5,000", ()),
        ("eighteen to sixty", "18 to 60", ()),
        ("Kynurenine Aminotransferase.", "kynurenine aminotransferase", ()),
        ("the microglia", "microglia", ()),
        ("blood brain barrier", "blood-brain barrier", ()),
        ("myokine", "myokines", ()),
        ("Parkinsons disease", "Parkinson's disease", ()),
        ("fibre photometry", "fiber photometry", ()),  # British spelling
        ("reward centres", "reward center", ()),
        ("randomised", "randomized", ()),
        ("signalling", "signaling", ()),
        ("survival and growth", "growth and survival", ()),  # a set, in any order
        ("exercise, stress and inflammation", "stress, inflammation and exercise", ()),
        ("necessary", "required", ("necessary", "essential")),  # the content's alternatives
        ("NAc", "nucleus accumbens", ("NAc",)),
    ],
)
def test_lenient_grading_accepts(given, expected, accepted):
    assert match_answer(given, expected, accepted)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("serotonin", "dopamine"),
        ("33", "32"),
        ("", "BDNF"),
        ("kynurenic acid", "quinolinic acid"),
        ("20 minutes", "40 minutes"),
        ("growth", "growth and survival"),  # half a set is not the set
        ("myokine", "cytokine"),
    ],
)
def test_lenient_grading_still_rejects(given, expected):
    assert not match_answer(given, expected)


def test_a_one_letter_slip_in_a_long_word_is_right_with_the_spelling_shown():
    slip = match_answer("paraventricular nucelus", "paraventricular nucleus")
    assert slip and slip.spelling == "paraventricular nucleus"
    assert match_answer("neurogensis", "neurogenesis").spelling == "neurogenesis"
    assert not match_answer("BDNG", "BDNF")  # a short word: no slip forgiven
    assert not match_answer("33%", "32%")  # a number is never a slip
    assert not match_answer("kynurenic acid", "kynurenine acid", wrong=("kynurenic acid",))
