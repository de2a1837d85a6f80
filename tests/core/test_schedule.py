"""The schedule a learner meets, as Anki keeps it: reviews due by study day from a day start
they can set, siblings never on one day, new items interleaved, counts that do not climb,
options reshuffled at every showing; a 30-day simulation; and an upgrade from the previous
schema with reviews in it."""

import io
import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fsrs import Card, Rating, State

from studyapp.core.ingest import ingest
from studyapp.core.review import ReviewSession
from studyapp.core.simulate import same_day_siblings, simulate
from studyapp.core.srs import card_to_json, make_scheduler, preview
from studyapp.core.study import Limits, study_day_start
from tests.core.test_review import Clock, FakeView, right_answer

REPO = Path(__file__).resolve().parents[2]
SEEDS, CONTENT = REPO / "seeds", REPO / "resources" / "content"
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def steady_fuzz():
    random.seed(7)


@pytest.fixture
def loaded(db):
    assert ingest(db, SEEDS, CONTENT).ok
    return db


def session(db, clock, **options):
    view = FakeView()
    options.setdefault("day_start_hour", 4)
    options.setdefault("details", False)
    review = ReviewSession(db, view, clock, local_zone=UTC, **options)
    view.session = review
    review.start()
    return review, view


def study_all(review, view, rating=Rating.Good, wrong_every=0):
    """Answer everything the session offers; every ``wrong_every``-th answer wrong."""
    shown = []
    while review.current is not None:
        scheduled = view.items[-1][0]
        shown.append(scheduled)
        wrong = wrong_every and len(shown) % wrong_every == 0
        review.answer("" if wrong else right_answer(scheduled.item))
        review.rate(Rating.Again if wrong else rating)
    return shown


def make_review_due(db, item_id: str, last_review: datetime, days: int) -> None:
    """Give an item a review-state schedule: last answered at ``last_review``, interval ``days``."""
    card = Card(
        card_id=0,
        state=State.Review,
        step=None,
        stability=float(days),
        difficulty=5.0,
        due=last_review + timedelta(days=days),
        last_review=last_review,
    )
    db.execute(
        "INSERT INTO item_states VALUES (?, ?, ?, ?, ?)",
        [item_id, card_to_json(card), card.due.isoformat(timespec="microseconds"), 2, ""],
    )
    db.execute("UPDATE quiz_items SET introduced = 1 WHERE id = ?", [item_id])


# Days


def test_a_one_day_review_learned_at_night_is_due_the_next_morning(loaded):
    item_id = "wt-tryptophan-precursor/cloze/tryptophan"
    make_review_due(loaded, item_id, datetime(2026, 3, 1, 21, 11, tzinfo=UTC), days=1)
    review, view = session(loaded, Clock(MONDAY), limits=Limits(new_per_day=0))
    assert view.items and view.items[0][0].item.id == item_id  # 9:00, not 21:11
    assert view.items[0][1].review == 1
    feedback = review.answer(right_answer(view.items[0][0].item))
    # one study day has passed, as fsrs is told: not a same-day review
    by_day = preview(make_scheduler(), view.items[0][0].card, MONDAY, days_elapsed=1)
    assert feedback.outcomes[Rating.Good].card.stability == by_day[Rating.Good].card.stability
    by_hours = preview(make_scheduler(), view.items[0][0].card, MONDAY)
    assert by_hours[Rating.Good].card.stability != by_day[Rating.Good].card.stability


def test_the_day_starts_at_4_am_unless_the_learner_chooses_another_hour(loaded):
    item_id = "wt-tryptophan-precursor/cloze/tryptophan"
    make_review_due(loaded, item_id, datetime(2026, 3, 1, 12, 0, tzinfo=UTC), days=1)
    three_am, four_am = datetime(2026, 3, 2, 3, tzinfo=UTC), datetime(2026, 3, 2, 4, tzinfo=UTC)
    limits = Limits(new_per_day=0)
    _r, at_three = session(loaded, Clock(three_am), limits=limits)
    assert not at_three.items  # 3 am still belongs to Sunday's study day
    _r, at_four = session(loaded, Clock(four_am), limits=limits)
    assert at_four.items
    _r, later_start = session(loaded, Clock(four_am), limits=limits, day_start_hour=6)
    assert not later_start.items  # a learner whose day starts at 6 am
    assert study_day_start(datetime(2026, 3, 2, 5, tzinfo=UTC), 6).day == 1


def test_the_day_start_setting_is_read_by_the_session(loaded):
    from studyapp.core.settings import Preferences, save_preferences

    save_preferences(loaded, Preferences(day_start_hour=6))
    review = ReviewSession(loaded, FakeView(), Clock(MONDAY), local_zone=UTC)
    assert review.day_start_hour == 6 and review.details is False


# Siblings, interleaving, counts


def test_siblings_never_meet_on_one_day_new_or_review(loaded):
    clock = Clock(MONDAY)
    days = {}
    for day in range(8):
        review, view = session(loaded, clock, limits=Limits(new_per_day=30))
        shown = study_all(review, view, wrong_every=7)
        days[day] = shown
        clock.advance(days=1)
    for day, shown in days.items():
        groups = {}
        for scheduled in shown:
            groups.setdefault(scheduled.item.sibling_group, set()).add(scheduled.item.id)
        twins = {g: ids for g, ids in groups.items() if len(ids) > 1}
        assert twins == {}, (day, twins)
    assert any(s.queue == "review" for shown in days.values() for s in shown)
    assert any(s.queue == "relearning" for shown in days.values() for s in shown)


def test_the_first_new_items_come_from_different_facts(loaded):
    review, view = session(loaded, Clock(MONDAY))
    new = [s for s in study_all(review, view, rating=Rating.Easy) if s.queue == "new"]
    assert len(new) == 20
    assert len({s.item.sibling_group for s in new}) == 20


def test_counts_never_climb_during_a_session(loaded):
    clock = Clock(MONDAY)
    for _day in range(3):
        review, view = session(loaded, clock)
        while review.current is not None:
            before = view.items[-1][1]
            scheduled = view.items[-1][0]
            review.answer(right_answer(scheduled.item))
            clock.advance(minutes=2)  # time passes; due learning steps do not add to the counts
            review.rate(Rating.Good)
            if review.current is None:
                break
            after = view.items[-1][1]
            assert after.review <= before.review
            assert after.new <= before.new
            assert after.total <= before.total
        clock.advance(days=1)


def test_detail_items_only_when_the_learner_asks(loaded):
    details = {r[0] for r in loaded.execute("SELECT id FROM quiz_items WHERE detail = 1")}
    assert details
    review, view = session(loaded, Clock(MONDAY), limits=Limits(new_per_day=999))
    assert not {s.item.id for s in study_all(review, view)} & details
    review, view = session(
        loaded, Clock(MONDAY + timedelta(days=1)), limits=Limits(new_per_day=999), details=True
    )
    assert {s.item.id for s in study_all(review, view)} & details


# A month of study


def simulated(db, days=30, seed=3) -> tuple[list, list[dict]]:
    log = io.StringIO()
    loads = simulate(db, days, log, seed=seed, start=MONDAY, zone=UTC)
    return loads, [json.loads(line) for line in log.getvalue().splitlines()]


def test_thirty_simulated_days_no_siblings_on_one_day_and_options_reshuffled(loaded, tmp_path):
    from studyapp.core.db import open_database

    sql = "SELECT count(*) FROM quiz_items WHERE NOT detail AND NOT retired"
    (quizzed,) = loaded.execute(sql).fetchone()
    loads, lines = simulated(loaded)
    assert len(loads) == 30 and sum(d.new for d in loads) == quizzed >= 60  # every one met
    assert sum(d.reviews for d in loads) > 100
    assert set(lines[0]) == {
        "day", "at", "item_id", "fact_id", "mechanism_id", "kind", "choices", "rating"
    }  # fmt: skip
    assert same_day_siblings(lines) == 0
    assert lines[0]["mechanism_id"] == "evidence-base"
    assert {line["kind"] for line in lines} >= {"choice", "cloze", "true-false"}
    shows = {}
    for line in lines:
        if line["item_id"].endswith("/evidence"):  # multiple choice at every showing
            shows.setdefault(line["item_id"], []).append(tuple(line["choices"]))
    repeated = [orders for orders in shows.values() if len(orders) >= 3]
    assert repeated and all(len(set(orders)) > 1 for orders in repeated)
    other = open_database(tmp_path / "again.sqlite3")
    assert ingest(other, SEEDS, CONTENT).ok
    assert simulated(other)[1] == lines  # the same seed studies the same way
    other.close()


def test_the_sibling_count_can_fail():
    lines = [
        {"day": 1, "item_id": "f/cloze/a", "fact_id": "f", "mechanism_id": "m"},
        {"day": 1, "item_id": "f/true-false", "fact_id": "f", "mechanism_id": "m"},
        {"day": 2, "item_id": "f/cloze/a", "fact_id": "f", "mechanism_id": "m"},
        {"day": 2, "item_id": "f/cloze/a", "fact_id": "f", "mechanism_id": "m"},  # own step
    ]
    assert same_day_siblings(lines) == 1


# Nobody loses history


OLD_ITEMS = {  # as the schema-6 generator stored them: id -> (kind, fact id, studied)
    "pnas-activation-prevents/cloze/activating": ("cloze", "pnas-activation-prevents", True),
    "pnas-activation-prevents/choice/activating": ("choice", "pnas-activation-prevents", True),
    "wn-bdnf-neurogenesis/cloze/neurogenesis": ("cloze", "wn-bdnf-neurogenesis", False),
    "wn-bdnf-neurogenesis/choice/neurogenesis": ("choice", "wn-bdnf-neurogenesis", True),
    "wn-bdnf-32-percent/cloze/32": ("cloze", "wn-bdnf-32-percent", False),
    "wt-bdnf-32-percent/cloze/32": ("cloze", "wt-bdnf-32-percent", True),
    "news-translational-psychiatry/true-false": (
        "true-false",
        "news-translational-psychiatry",
        True,
    ),
    "oxytocin-circuit/order": ("order", "", True),
}


def test_an_upgrade_from_schema_6_keeps_every_review_and_carries_schedules_forward(
    data_dir, monkeypatch
):
    from studyapp.core import db as dbmod
    from studyapp.core.db import SCHEMA_VERSION, open_database, schema_version

    path = data_dir / "studyapp.sqlite3"
    with monkeypatch.context() as older_app:
        older_app.setattr(dbmod, "MIGRATIONS", dbmod.MIGRATIONS[:6])
        older_app.setattr(dbmod, "SCHEMA_VERSION", 6)
        old = open_database(path)
    ingest(old, SEEDS)  # the sources; the old items are written as the old app wrote them
    scheduler, when = make_scheduler(), datetime(2026, 2, 20, 9, tzinfo=UTC)
    cards = {}
    for ordinal, (item_id, (kind, fact_id, studied)) in enumerate(OLD_ITEMS.items()):
        old.execute(
            """INSERT INTO quiz_items (id, kind, fact_id, prompt, answer, origin_digest, ordinal,
                                       introduced)
               VALUES (?, ?, ?, 'an old prompt', 'an old answer', 'old', ?, ?)""",
            [item_id, kind, fact_id, ordinal, int(studied)],
        )
        if not studied:
            continue
        card, _ = scheduler.review_card(Card(card_id=0, due=when), Rating.Good, when)
        card, _ = scheduler.review_card(card, Rating.Good, when + timedelta(minutes=ordinal + 10))
        cards[item_id] = card_to_json(card)
        old.execute(
            "INSERT INTO item_states VALUES (?, ?, ?, ?, ?)",
            [item_id, cards[item_id], card.due.isoformat(), card.state.value, when.isoformat()],
        )
        for rating in (3, 3):
            old.execute(
                """INSERT INTO review_log (item_id, rating, queue, reviewed_at, state_after)
                   VALUES (?, ?, 'new', ?, ?)""",
                [item_id, rating, when.isoformat(), cards[item_id]],
            )
    logs_before = list(old.execute("SELECT id, item_id, rating FROM review_log ORDER BY id"))
    old.close()

    upgraded = open_database(path)
    assert schema_version(upgraded) == SCHEMA_VERSION
    report = ingest(upgraded, SEEDS, CONTENT)
    assert report.ok, report.summary()
    # every review is still there, under the id it was given
    after = list(upgraded.execute("SELECT id, item_id, rating FROM review_log ORDER BY id"))
    assert after == logs_before and len(after) == 12
    forms = {r[0] for r in upgraded.execute("SELECT DISTINCT form FROM review_log")}
    assert forms == {"cloze", "choice", "true-false", "order"}

    def card_of(item_id):
        row = upgraded.execute("SELECT card FROM item_states WHERE item_id = ?", [item_id])
        return row.fetchone()[0]

    def row_of(item_id):
        return upgraded.execute(
            "SELECT introduced, retired FROM quiz_items WHERE id = ?", [item_id]
        ).fetchone()

    # one memory: the recall form keeps its own schedule, or takes its recognition copy's
    assert (
        card_of("pnas-activation-prevents/cloze/activating")
        == cards["pnas-activation-prevents/cloze/activating"]
    )
    assert (
        card_of("wn-bdnf-neurogenesis/cloze/neurogenesis")
        == cards["wn-bdnf-neurogenesis/choice/neurogenesis"]
    )
    # a merged fact: the surviving fact's blank continues the merged one's schedule
    assert card_of("wn-bdnf-32-percent/cloze/32") == cards["wt-bdnf-32-percent/cloze/32"]
    assert report.item_sync.carried >= 1
    for item_id in ("wn-bdnf-neurogenesis/cloze/neurogenesis", "wn-bdnf-32-percent/cloze/32"):
        assert row_of(item_id) == (1, 0)  # studied, not new again
    # items no longer generated are retired, their schedules parked and kept
    for item_id in (
        "pnas-activation-prevents/choice/activating",
        "wt-bdnf-32-percent/cloze/32",
        "news-translational-psychiatry/true-false",
        "oxytocin-circuit/order",
    ):
        assert row_of(item_id)[1] == 1, item_id
        assert card_of(item_id) == cards[item_id]
        parked = upgraded.execute("SELECT state FROM item_states WHERE item_id = ?", [item_id])
        assert parked.fetchone()[0] == 0
    # and the carried items come back as reviews, not as new items
    review, view = session(upgraded, Clock(datetime(2026, 3, 20, 9, tzinfo=UTC)))
    shown = {s.item.id: s.queue for s in study_all(review, view)}
    assert shown.get("wn-bdnf-32-percent/cloze/32") in (None, "review")
    assert shown.get("wn-bdnf-neurogenesis/cloze/neurogenesis") in (None, "review")
    assert "review" in shown.values()
    upgraded.close()


def test_undo_brings_a_buried_sibling_back_to_today(loaded):
    """Answering an item buries its studied siblings until tomorrow (their due date moves, their
    card does not); taking the answer back brings them back."""
    group = next(
        g
        for (g,) in loaded.execute(
            "SELECT sibling_group FROM quiz_items WHERE sibling_group IS NOT NULL "
            "GROUP BY sibling_group HAVING count(*) >= 2"
        )
    )
    first, second = [
        r[0]
        for r in loaded.execute(
            "SELECT id FROM quiz_items WHERE sibling_group = ? ORDER BY ordinal LIMIT 2", [group]
        )
    ]
    for item_id in (first, second):
        make_review_due(loaded, item_id, MONDAY - timedelta(days=5), 5)
    review, view = session(loaded, Clock(MONDAY), limits=Limits(new_per_day=0))
    shown = view.items[-1][0].item.id
    other = second if shown == first else first
    before = loaded.execute("SELECT card FROM item_states WHERE item_id = ?", [other]).fetchone()
    review.answer(right_answer(view.items[-1][0].item))
    review.rate(Rating.Good)
    assert review.current is None or review.current.item.id != other  # buried for today
    due = loaded.execute("SELECT due, card FROM item_states WHERE item_id = ?", [other]).fetchone()
    assert due[0] >= "2026-03-03T04:00" and due[1] == before[0]  # the card itself unchanged
    review.undo()
    due_after = loaded.execute("SELECT due FROM item_states WHERE item_id = ?", [other]).fetchone()
    assert due_after[0] < "2026-03-03"  # the sibling is due today again
