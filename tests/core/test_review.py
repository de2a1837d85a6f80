"""Reviews: FSRS scheduling, limits, undo, content updates and bad input, through the
Qt-free session controller driven by a fake view, against the real database."""

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fsrs import Rating, State

from studyapp.core.ingest import ingest
from studyapp.core.items import list_items
from studyapp.core.review import ReviewSession
from studyapp.core.srs import card_from_json, format_interval
from studyapp.core.study import Limits, StudyError, queue_counts, review_history

REPO = Path(__file__).resolve().parents[2]
SEEDS, CONTENT = REPO / "seeds", REPO / "resources" / "content"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime = START):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


class FakeView:
    """Records what it is shown; a learner who reads a new unit's card and begins at once
    (``session`` is the session to begin), unless ``begins`` is False."""

    def __init__(self, begins: bool = True):
        self.items, self.feedback, self.summaries, self.problems = [], [], [], []
        self.intros, self.begins, self.session = [], begins, None

    def show_intro(self, intro, counts):
        self.intros.append((intro, counts))
        if self.begins and self.session is not None:
            self.session.begin()

    def show_item(self, scheduled, counts):
        self.items.append((scheduled, counts))

    def show_feedback(self, feedback):
        self.feedback.append(feedback)

    def show_summary(self, summary):
        self.summaries.append(summary)

    def show_problem(self, message):
        self.problems.append(message)


@pytest.fixture(autouse=True)
def steady_fuzz():
    random.seed(7)  # fsrs fuzzes long intervals with the global generator


@pytest.fixture
def loaded(db):
    assert ingest(db, SEEDS, CONTENT).ok
    return db


def session(db, clock, **options):
    view = FakeView()
    review = ReviewSession(db, view, clock, local_zone=UTC, **options)
    view.session = review
    review.start()
    return review, view


def right_answer(item) -> str:
    if item.kind.value == "order":
        return "".join(str(item.choices.index(step) + 1) for step in item.steps)
    return item.answer


def log_count(db) -> int:
    return db.execute("SELECT count(*) FROM review_log").fetchone()[0]


def test_first_item_is_new_from_the_first_unit_introduced_by_its_card(loaded):
    review, view = session(loaded, Clock())
    (intro, _), (scheduled, counts) = view.intros[0], view.items[0]
    assert scheduled.card is None and scheduled.queue == "new"
    assert scheduled.item.unit == "evidence-base"  # does exercise help, and how do we know?
    assert intro.id == "evidence-base"
    assert counts.new == 20 and counts.review == 0
    review.answer(right_answer(scheduled.item))
    review.rate(Rating.Good)
    assert len(view.intros) == 1  # the card introduces its unit once


def test_a_new_units_card_is_a_step_of_its_own_before_its_first_item(loaded):
    """The card's summary holds the first item's answer: it is never on screen with it."""
    clock = Clock()
    view = FakeView(begins=False)
    review = ReviewSession(loaded, view, clock, local_zone=UTC)
    review.start()
    assert [i.id for i, _ in view.intros] == ["evidence-base"] and view.items == []
    with pytest.raises(StudyError, match="read the new topic first"):
        review.answer("anything")
    assert log_count(loaded) == 0
    clock.advance(seconds=40)  # reading the card is not time spent on the question
    review.begin()
    ((scheduled, _),) = view.items
    assert scheduled.item.unit == "evidence-base" and review.intro is None
    with pytest.raises(StudyError):
        review.begin()  # nothing left to begin
    clock.advance(seconds=5)
    review.answer(right_answer(scheduled.item))
    review.rate(Rating.Good)
    duration = loaded.execute("SELECT duration_ms FROM review_log").fetchone()[0]
    assert duration == 5000
    assert len(view.intros) == 1 and len(view.items) == 2  # the next item: no card again
    review.undo()  # the item taken back comes straight back, its card already read
    assert len(view.intros) == 1 and view.items[-1][0].item.id == scheduled.item.id


def test_every_unit_is_introduced_once_by_its_card_before_its_items(loaded):
    review, view = session(loaded, Clock(), limits=Limits(new_per_day=200))
    while review.current is not None:
        review.answer(right_answer(view.items[-1][0].item))
        review.rate(Rating.Easy)
    units = list(dict.fromkeys(s.item.unit for s, _ in view.items if s.queue == "new"))
    assert [i.id for i, _ in view.intros] == units


def test_intervals_are_known_before_rating_and_match_what_is_saved(loaded):
    clock = Clock()
    review, view = session(loaded, clock)
    item = view.items[-1][0].item
    feedback = review.answer(right_answer(item))
    assert feedback.correct and feedback.proposed is Rating.Good
    labels = {r: o.label for r, o in feedback.outcomes.items()}
    assert labels[Rating.Again] == "1m" and labels[Rating.Good] == "10m"
    review.rate(Rating.Easy)
    state = loaded.execute("SELECT card FROM item_states WHERE item_id = ?", [item.id]).fetchone()
    saved = card_from_json(state[0])
    assert saved.due == feedback.outcomes[Rating.Easy].card.due


def test_intervals_grow_on_good_and_fall_back_on_again(loaded):
    clock = Clock()
    review, view = session(loaded, clock, deck="endocannabinoids")
    item_id = view.items[-1][0].item.id
    intervals = []
    for _ in range(5):  # answer Good each time the item comes back
        while view.items[-1][0].item.id != item_id:
            review.answer("x")
            review.rate(Rating.Good)
        feedback = review.answer(right_answer(view.items[-1][0].item))
        intervals.append(feedback.outcomes[Rating.Good].interval)
        review.rate(Rating.Good)
        clock.now = card_from_json(
            loaded.execute("SELECT card FROM item_states WHERE item_id = ?", [item_id]).fetchone()[
                0
            ]
        ).due
        review = ReviewSession(
            loaded,
            view,
            clock,
            local_zone=UTC,
            deck="endocannabinoids",
            limits=Limits(new_per_day=0),
        )
        view.session = review
        review.start()
    assert intervals == sorted(intervals) and intervals[-1] > timedelta(days=5)
    feedback = review.answer("wrong on purpose")
    assert not feedback.correct and feedback.proposed is Rating.Again
    assert feedback.outcomes[Rating.Again].interval < timedelta(hours=1)
    review.rate()
    history = review_history(loaded, item_id)
    assert history[-1]["rating"] == 1 and history[-1]["queue"] == "review"
    assert State(history[-1]["state_after"]["state"]) is State.Relearning


def test_daily_new_limit(loaded):
    clock = Clock()
    review, view = session(loaded, clock, limits=Limits(new_per_day=3, reviews_per_day=100))
    for _ in range(3):
        review.answer(right_answer(view.items[-1][0].item))
        review.rate(Rating.Easy)  # graduates at once, so no learning step comes back today
    assert view.summaries and view.summaries[-1].answered == 3
    clock.advance(days=1)
    _again, view2 = session(loaded, clock, limits=Limits(new_per_day=3, reviews_per_day=100))
    assert view2.items and view2.items[0][1].new == 3


def test_daily_review_limit(loaded):
    clock = Clock()
    review, view = session(loaded, clock, limits=Limits(new_per_day=6, reviews_per_day=2))
    for _ in range(6):
        review.answer(right_answer(view.items[-1][0].item))
        review.rate(Rating.Easy)
    clock.advance(days=60)  # all six are due now
    later, view2 = session(loaded, clock, limits=Limits(new_per_day=0, reviews_per_day=2))
    assert view2.items[0][1].review == 2
    for _ in range(2):
        later.answer(right_answer(view2.items[-1][0].item))
        later.rate(Rating.Good)
    assert view2.summaries[-1].answered == 2


def test_decks_hold_only_their_mechanism(loaded):
    review, view = session(loaded, Clock(), deck="kynurenine-pathway")
    for _ in range(5):
        item = view.items[-1][0].item
        assert "kynurenine-pathway" in item.mechanism_ids
        review.answer(right_answer(item))
        review.rate(Rating.Easy)


def test_undo_restores_state_and_removes_the_log_row(loaded):
    clock = Clock()
    review, view = session(loaded, clock)
    first = view.items[-1][0].item
    review.answer(right_answer(first))
    review.rate(Rating.Good)
    second = view.items[-1][0].item
    clock.advance(seconds=30)
    review.answer("nonsense")
    review.rate(Rating.Again)
    before_undo = loaded.execute(
        "SELECT card FROM item_states WHERE item_id = ?", [second.id]
    ).fetchone()
    assert before_undo is not None and log_count(loaded) == 2
    assert review.undo()
    assert log_count(loaded) == 1
    assert (
        loaded.execute("SELECT card FROM item_states WHERE item_id = ?", [second.id]).fetchone()
        is None
    )  # it was new before
    assert view.items[-1][0].item.id == second.id  # shown again
    assert review.undo()
    assert log_count(loaded) == 0
    assert not review.undo()


def test_undo_steps_back_across_the_sessions_that_share_a_history(loaded):
    clock = Clock()
    history: list = []
    first_session, first_view = session(loaded, clock, undo_history=history)
    first = first_view.items[-1][0].item
    first_session.answer(right_answer(first))
    first_session.rate(Rating.Good)
    second_session, second_view = session(loaded, clock, undo_history=history)
    second = second_view.items[-1][0].item
    second_session.answer(right_answer(second))
    second_session.rate(Rating.Good)
    assert second_session.undo() and second_session.undo()  # the second, then the first
    assert log_count(loaded) == 0
    assert second_view.items[-1][0].item.id == first.id  # shown again, in this session
    assert second_session.summary.answered == 0  # it counts only its own answers
    assert not second_session.undo()


def test_each_answer_is_committed_before_the_next_item(loaded, data_dir):
    import sqlite3

    review, view = session(loaded, Clock())
    review.answer(right_answer(view.items[-1][0].item))
    review.rate(Rating.Good)
    other = sqlite3.connect(data_dir / "studyapp.sqlite3")  # another process's view
    assert other.execute("SELECT count(*) FROM review_log").fetchone()[0] == 1
    other.close()


def answer_all_today(review, view, rating=Rating.Easy) -> list[str]:
    answered = []
    while review.current is not None:
        item = view.items[-1][0].item
        answered.append(item.id)
        review.answer(right_answer(item))
        review.rate(rating)
    return answered


def test_content_update_keeps_unchanged_marks_changed_retires_removed(loaded, tmp_path):
    import shutil

    clock = Clock()
    answered = []
    for _day in range(4):  # one item of a fact a day: four days to meet them all
        review, view = session(
            loaded, clock, deck="oxytocin-circuit", limits=Limits(new_per_day=100), details=True
        )
        answered += answer_all_today(review, view)
        clock.advance(days=1)
    assert any(i.startswith("pnas-restraint-stress-model/") for i in answered)
    assert any(i.startswith("pnas-4-week-treadmill/") for i in answered)
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    facts = content / "facts" / "pnas-oxytocin-circuit.toml"
    text = facts.read_text(encoding="utf-8")
    text = text.replace(
        "induced depressive-like behaviors in mice with chronic restraint stress.",
        "induced depressive-like behaviors with chronic restraint stress in mice.",
    )
    start = text.index('[[fact]]\nid = "pnas-4-week-treadmill"')
    end = text.index("[[fact]]", start + 1)
    text = text[:start] + text[end:]  # the fact is removed
    facts.write_text(text, encoding="utf-8")
    mechanisms = content / "mechanisms.toml"
    mechanisms.write_text(
        mechanisms.read_text(encoding="utf-8").replace(
            'facts = ["pnas-4-week-treadmill"]', "facts = []"
        ),
        encoding="utf-8",
    )
    course = content / "course.toml"
    course.write_text(
        course.read_text(encoding="utf-8").replace('first = ["pnas-4-week-treadmill"]', ""),
        encoding="utf-8",
    )
    before = log_count(loaded)
    report = ingest(loaded, SEEDS, content)
    assert report.ok, report.summary()
    rows = {r["id"]: r for r in loaded.query("SELECT id, changed, retired FROM quiz_items")}
    for item_id in set(answered):
        row = rows[item_id]
        if item_id.startswith("pnas-4-week-treadmill/"):
            assert row["retired"] == 1
        elif item_id.startswith("pnas-restraint-stress-model/"):
            assert row["changed"] == 1 and row["retired"] == 0
        elif not item_id.startswith("oxytocin-circuit/"):  # the chain lost a step's source
            assert row["changed"] == 0 and row["retired"] == 0, item_id
    assert log_count(loaded) == before == len(answered)  # every answer is still there
    retired = next(i for i in answered if i.startswith("pnas-4-week-treadmill/"))
    assert review_history(loaded, retired)
    parked = loaded.execute("SELECT state FROM item_states WHERE item_id = ?", [retired])
    assert parked.fetchone()[0] == 0  # out of every queue, its card kept
    assert retired not in {i.id for i in list_items(loaded)}
    assert ingest(loaded, SEEDS, CONTENT).ok  # the fact comes back
    restored = loaded.execute("SELECT state FROM item_states WHERE item_id = ?", [retired])
    assert restored.fetchone()[0] in (1, 2, 3)
    assert retired in {i.id for i in list_items(loaded)}
    assert report.item_sync.retired >= 1 and report.item_sync.changed >= 1


def test_bad_input_never_crashes_or_loses_a_row(loaded):
    clock = Clock()
    review, view = session(loaded, clock)
    review.answer(right_answer(view.items[-1][0].item))
    with pytest.raises(ValueError, match="is not a rating"):
        review.rate(7)
    with pytest.raises(ValueError, match="is not a rating"):
        review.rate("good")
    assert log_count(loaded) == 0
    review.rate(Rating.Good)  # the answer can still be saved
    assert log_count(loaded) == 1
    with pytest.raises(StudyError):
        review.rate(Rating.Good)  # nothing is waiting to be rated


def test_a_damaged_schedule_is_skipped_and_reported(loaded):
    clock = Clock()
    review, view = session(loaded, clock, limits=Limits(new_per_day=2))
    for _ in range(2):
        review.answer(right_answer(view.items[-1][0].item))
        review.rate(Rating.Again)
    damaged = loaded.execute("SELECT item_id FROM item_states ORDER BY due LIMIT 1").fetchone()[0]
    loaded.execute("UPDATE item_states SET card = '{not json' WHERE item_id = ?", [damaged])
    clock.advance(minutes=5)
    _later, view2 = session(loaded, clock, limits=Limits(new_per_day=2))
    assert any(damaged in p for p in view2.problems)
    assert view2.items and view2.items[0][0].item.id != damaged
    assert log_count(loaded) == 2


def test_a_clock_that_moved_backwards_is_safe(loaded):
    clock = Clock()
    review, view = session(loaded, clock)
    item = view.items[-1][0].item
    review.answer(right_answer(item))
    review.rate(Rating.Good)
    clock.advance(hours=-5)  # the system clock was set back
    later, _view2 = session(loaded, clock)
    later.answer("whatever")
    later.rate(Rating.Again)
    assert log_count(loaded) == 2


def test_answering_a_retired_item_is_refused(loaded):
    from studyapp.core.srs import new_card
    from studyapp.core.study import Answer, record_answer

    item_id = "pnas-activation-prevents/cloze/activating"
    loaded.execute("UPDATE quiz_items SET retired = 1 WHERE id = ?", [item_id])
    with pytest.raises(StudyError, match="retired"):
        record_answer(loaded, Answer(item_id, Rating.Good, None, new_card(START), START))
    assert log_count(loaded) == 0


def test_summary_and_empty_state(loaded):
    clock = Clock()
    review, view = session(loaded, clock, limit=3)
    for _ in range(3):
        review.answer(right_answer(view.items[-1][0].item))
        review.rate(Rating.Easy)  # Good would bring it back within the 20-minute learn-ahead
    summary = view.summaries[-1]
    assert summary.answered == 3 and summary.accuracy == 1.0
    assert summary.next_due is not None and summary.next_due > clock.now
    _empty, view2 = session(loaded, clock, limits=Limits(new_per_day=0))
    assert not view2.items  # nothing due right now
    assert view2.summaries[-1].next_due == summary.next_due


def test_interval_labels():
    assert [
        format_interval(timedelta(**d))
        for d in (
            {"seconds": 20},
            {"minutes": 10},
            {"hours": 5},
            {"days": 3},
            {"days": 45},
            {"days": 400},
        )
    ] == ["1m", "10m", "5h", "3d", "1.5mo", "1.1y"]


def test_study_ahead_brings_tomorrows_reviews_forward(loaded):
    clock = Clock()
    review, view = session(loaded, clock, limits=Limits(new_per_day=3))
    for _ in range(3):
        review.answer(right_answer(view.items[-1][0].item))
        review.rate(Rating.Easy)  # due in days
    _nothing, empty = session(loaded, clock, limits=Limits(new_per_day=0))
    assert not empty.items
    due = min(datetime.fromisoformat(r[0]) for r in loaded.execute("SELECT due FROM item_states"))
    _ahead, view2 = session(
        loaded, clock, limits=Limits(new_per_day=0), ahead=due - clock.now + timedelta(hours=1)
    )
    assert view2.items and view2.items[0][0].card is not None


def test_due_counts_in_a_deck_count_that_decks_items_only(loaded):
    """Review and learning counts per deck, checked against a count made by hand: details
    left out."""
    now = START
    rows = list(loaded.query("SELECT id, detail FROM quiz_items ORDER BY ordinal"))
    states = []
    for n, row in enumerate(rows):  # a third due for review, a few learning, the rest later
        state = State.Learning if n % 7 == 0 else State.Review
        due = now - timedelta(hours=1) if n % 3 == 0 else now + timedelta(days=9)
        states.append((row["id"], "{}", due.isoformat(timespec="microseconds"), state.value, ""))
    loaded.conn.executemany("INSERT INTO item_states VALUES (?, ?, ?, ?, ?)", states)
    due_now = {s[0]: s[3] for s in states if s[2] < now.isoformat(timespec="microseconds")}
    info = {r["id"]: r for r in rows}
    decks = {}
    for item_id, deck in loaded.execute("SELECT item_id, mechanism_id FROM item_decks"):
        decks.setdefault(deck, set()).add(item_id)
    assert len(decks) > 5
    limits = Limits(reviews_per_day=9999)
    for deck, members in decks.items():
        counts = queue_counts(loaded, deck, now, now - timedelta(hours=9), limits)
        shown = [i for i in members if i in due_now and not info[i]["detail"]]
        reviews = [i for i in shown if due_now[i] == State.Review.value]
        learning = [i for i in shown if due_now[i] == State.Learning.value]
        assert counts.review == len(reviews), deck
        assert counts.learning == len(learning), deck
    capped = queue_counts(loaded, "kynurenine-pathway", now, now, Limits(reviews_per_day=2))
    assert capped.review == 2
