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
        ("70%-80%", "70-80%", ()),  # a "%" on either end of a range, or on both
        ("70% to 80", "70-80%", ()),
        ("between 70 and 80 percent", "70-80%", ()),
        ("70–80", "70-80%", ()),  # or on neither: the answer is a percentage
        ("45", "45%", ()),
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
        ("around a third", "32%", ("a third",)),  # an approximation word changes nothing
        ("approximately one third", "32%", ("one third",)),
        ("1/3", "32%", ("a third",)),
        ("one-third", "32%", ("one third",)),  # a hyphen between number words
        ("forty-five", "45%", ()),
        ("nucleus of hypothalamus", "nucleus of the hypothalamus", ()),  # "the" anywhere
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
        ("71-80", "70-80%"),
        ("70%", "70-80%"),  # one end of a range is not the range
        ("myokine", "cytokine"),
        ("about 30%", "32%"),  # an approximation of another number is another number
        ("2/3", "a third"),
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


def test_words_the_sentence_has_around_the_blank_may_be_typed_along():
    context = ("Much research suggests that ", " exercise in particular boosts dopamine.")
    assert match_answer("aerobic exercise", "aerobic", (), (), context)
    assert match_answer("Aerobic exercise.", "aerobic", (), (), context)
    around = ("stress can shunt tryptophan towards ", " production.")
    assert match_answer("kynurenine production", "kynurenine", (), (), around)
    before = ("Exercise kept activity in the ", " normal.")
    assert match_answer("in the nucleus accumbens", "nucleus accumbens", (), (), before)
    after = ("", " the PVN-NAc oxytocin circuit prevented it.")
    assert match_answer("Activating the", "Activating", (), (), after)
    # only the sentence's own words go: the rest must still be right
    assert not match_answer("stretching exercise", "aerobic", (), (), context)
    assert not match_answer("exercise", "aerobic", (), (), context)
    assert not match_answer("aerobic exercise", "aerobic")  # without the sentence, as before
