"""The study queue and the answer record: what comes next, and saving each answer at once.

Order, as in Anki: learning items that are due, then reviews due today (up to the daily
review limit), then new items in the course's order (up to the daily new limit); when nothing
else is left, learning items due within the next twenty minutes. Each answer is one
transaction on a synchronous=FULL connection.

Days, as in Anki: a study day starts at the learner's day start (4 am unless they chose
another hour), and a review (an interval of a day or more) is due on its day, from the day's
start, not at the minute it was answered plus the interval. Learning steps are due to the
minute.

Siblings, the items of one fact or one chain, never meet on the same study day: once one of
them is answered today, the others wait for another day, new or review (an item's own
learning steps are the same item, so they go on). Detail items are left out unless the
learner asked for them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from fsrs import Card, Rating, State
from sqlite_utils import Database

from studyapp.core.db import fetch_rows, utc_text, write_transaction
from studyapp.core.items import load_item
from studyapp.core.knowledge import get_mechanism
from studyapp.core.models import Mechanism, QuizItem
from studyapp.core.quizgen import present
from studyapp.core.srs import card_from_json, card_to_json

ALL_DECKS = "all"
LEARN_AHEAD = timedelta(minutes=20)
LEARNING_CAP = 999  # learning items have no daily limit; the count stops here
ROLLOVER_HOUR = 4  # a study day starts at 4 am local time by default, as in Anki
QUEUE_NAMES = {
    None: "new",
    State.Learning: "learning",
    State.Review: "review",
    State.Relearning: "relearning",
}


class StudyError(ValueError):
    """An answer that cannot be saved as asked; the message says why."""


class DamagedState(ValueError):
    """An item's stored schedule cannot be read; the item is skipped, nothing is lost."""

    def __init__(self, item_id: str, reason: str):
        super().__init__(f"the item {item_id!r} has a {reason}; it is skipped for now")
        self.item_id = item_id


@dataclass(frozen=True)
class Limits:
    new_per_day: int = 20
    reviews_per_day: int = 200


@dataclass(frozen=True)
class Scheduled:
    """An item to show, in the form chosen for this showing, with its scheduling state
    (None when it is new)."""

    item: QuizItem  # as shown this time (quizgen.present)
    card: Card | None
    changed: bool  # its fact changed since the learner last answered it
    queue: str = "new"  # new, learning, review or relearning
    intro: Mechanism | None = None  # the first item of a unit: the card that introduces it


@dataclass(frozen=True)
class QueueCounts:
    learning: int  # in learning, due before the day ends
    review: int  # due today and shown today: within the review limit, one per fact or chain
    new: int  # available today: within the new limit, one per fact or chain

    @property
    def total(self) -> int:
        return self.learning + self.review + self.new


def study_day_start(now_local: datetime, hour: int = ROLLOVER_HOUR) -> datetime:
    """When the study day that contains ``now_local`` (an aware local time) began."""
    start = now_local.replace(hour=hour, minute=0, second=0, microsecond=0)
    return start if now_local >= start else start - timedelta(days=1)


def study_date(moment: datetime, zone: tzinfo | None, hour: int = ROLLOVER_HOUR) -> date:
    """The study day a moment belongs to (the calendar date on which that day starts)."""
    return study_day_start(moment.astimezone(zone), hour).date()


def _deck_filter(deck: str, column: str) -> str:
    """A WHERE condition for deck membership (the :deck parameter). As EXISTS, not a join, so
    SQLite walks the due (or introduction) order and stops at the first item of the deck."""
    if deck == ALL_DECKS:
        return ""
    return (
        f"AND EXISTS (SELECT 1 FROM item_decks d WHERE d.item_id = {column}"
        " AND d.mechanism_id = :deck)"
    )


def withheld_today(db: Database, day_start: datetime, details: bool) -> str:
    """The items kept out of today's queue that the schedule itself does not keep out, as a
    JSON list the queue's queries read: new siblings of the items answered since
    ``day_start`` (siblings already studied are buried by their due date, see
    record_answer), and detail items already studied, unless the learner asked for details.
    New detail items are left out by the new-item query itself."""
    withheld = [
        item_id
        for (item_id,) in db.execute(
            # From today's answers (a range of one index) to their groups' items (another).
            """SELECT q.id FROM (
                   SELECT DISTINCT sibling_group FROM review_log
                   WHERE reviewed_at >= ? AND sibling_group IS NOT NULL) g
               CROSS JOIN quiz_items q ON q.sibling_group = g.sibling_group
               WHERE q.introduced = 0""",
            [utc_text(day_start)],
        )
    ]
    if not details:
        withheld += [
            item_id
            for (item_id,) in db.execute(
                "SELECT q.id FROM quiz_items q INDEXED BY quiz_items_details "
                "JOIN item_states s ON s.item_id = q.id WHERE q.detail = 1"
            )
        ]
    return json.dumps(withheld)


def new_siblings(db: Database, item_id: str) -> list[str]:
    """The items of ``item_id``'s fact or chain never shown yet (not the item itself)."""
    return [
        row[0]
        for row in db.execute(
            """SELECT q.id FROM quiz_items q JOIN quiz_items me ON me.id = ?
               WHERE q.sibling_group = me.sibling_group AND q.id != me.id
                 AND q.introduced = 0""",
            [item_id],
        )
    ]


_NOT_WITHHELD = "NOT IN (SELECT value FROM json_each(:withheld))"


def _withheld_condition(column: str, withheld: str) -> str:
    """The check against :withheld, or nothing when the list is empty (most of the time for
    studied items: then the due index alone answers)."""
    return "" if withheld == "[]" else f"AND {column} {_NOT_WITHHELD}"


def done_today(db: Database, day_start: datetime) -> tuple[int, int]:
    """How many new items and reviews were answered since ``day_start``."""
    row = db.execute(
        """SELECT
             (SELECT count(*) FROM review_log WHERE queue = 'new' AND reviewed_at >= :start),
             (SELECT count(*) FROM review_log WHERE queue = 'review' AND reviewed_at >= :start)""",
        {"start": utc_text(day_start)},
    ).fetchone()
    return row[0], row[1]


def _due_sql(
    deck: str,
    states: tuple[State, ...],
    withheld: str,
    deck_first: bool = False,
    columns: str = "s.item_id, s.card",
) -> str:
    """Items in ``states`` due by :until and not :withheld, walked in due order: SQLite reads
    the due index alone and stops at what it needs.

    ``deck_first`` walks the deck's items instead (CROSS JOIN fixes that order): to count
    reviews in a deck, the work is then bounded by the deck's size, not the library's."""
    marks = ",".join(str(s.value) for s in states)
    if deck_first and deck != ALL_DECKS:
        source = "item_decks d CROSS JOIN item_states s ON s.item_id = d.item_id"
        deck_condition = "AND d.mechanism_id = :deck"
    else:
        source, deck_condition = "item_states s", _deck_filter(deck, "s.item_id")
    return f"""SELECT {columns} FROM {source}
               WHERE s.state IN ({marks}) AND s.due < :until {deck_condition}
                 {_withheld_condition("s.item_id", withheld)}"""


def _count_due(
    db: Database,
    deck: str,
    states: tuple[State, ...],
    until: datetime,
    withheld: str,
    cap: int,
) -> int:
    """Due items in ``states``, counted up to ``cap``: like Anki, the count shows what can
    still be done today, and stopping there keeps it fast however large the backlog.
    Items in learning are few at any time, so in a deck they are found by walking the due
    order; reviews can be the whole library, so in a deck they are found by walking it.
    Two siblings due on one day both count, until one is answered: the other then waits
    for another day, and the count falls by two (as Anki's buried siblings do)."""
    sql = _due_sql(deck, states, withheld, deck_first=State.Review in states, columns="1")
    row = db.execute(
        f"SELECT count(*) FROM ({sql} LIMIT :cap)",
        {"until": utc_text(until), "withheld": withheld, "cap": cap, "deck": deck},
    ).fetchone()
    return row[0]


def _new_sql(deck: str, withheld: str, details: bool) -> str:
    """Items never shown, not retired, not :withheld, details only if asked for, in the
    course's order."""
    detail = "" if details else "AND q.detail = 0"
    return f"""SELECT q.id FROM quiz_items q
               WHERE q.introduced = 0 AND q.retired = 0 {detail} {_deck_filter(deck, "q.id")}
                 {_withheld_condition("q.id", withheld)}
               ORDER BY q.ordinal"""


def queue_counts(
    db: Database,
    deck: str,
    now: datetime,
    day_start: datetime,
    limits: Limits,
    ahead: timedelta = timedelta(0),
    details: bool = False,
    withheld: str | None = None,
) -> QueueCounts:
    """What is left today. The counts only fall as the learner answers, except that an
    answered new item moves into learning: nothing climbs as the clock moves on.
    ``withheld`` is withheld_today(...) if the caller has it already."""
    new_done, reviews_done = done_today(db, day_start)
    day_end = day_start + timedelta(days=1)
    if withheld is None:
        withheld = withheld_today(db, day_start, details)
    new_available = db.execute(
        f"SELECT count(*) FROM ({_new_sql(deck, withheld, details)} LIMIT :cap)",
        {"withheld": withheld, "cap": max(0, limits.new_per_day - new_done), "deck": deck},
    ).fetchone()[0]
    reviews_left = max(0, limits.reviews_per_day - reviews_done)
    learning = (State.Learning, State.Relearning)
    return QueueCounts(
        learning=_count_due(db, deck, learning, day_end, withheld, LEARNING_CAP),
        review=_count_due(db, deck, (State.Review,), day_end + ahead, withheld, reviews_left),
        new=new_available,
    )


def _changed(db: Database, item_id: str) -> bool:
    """Whether the item's fact changed since the learner last answered it."""
    row = db.execute("SELECT changed FROM quiz_items WHERE id = ?", [item_id]).fetchone()
    return bool(row and row[0])


def _showings(db: Database, item_id: str) -> int:
    """How many times the item was answered: seeds the shuffle of its next showing."""
    return db.execute("SELECT count(*) FROM review_log WHERE item_id = ?", [item_id]).fetchone()[0]


def _scheduled(db: Database, item_id: str, card: Card | None, changed: bool) -> Scheduled:
    stored = load_item(db, item_id)
    shown = present(stored, card is None, _showings(db, item_id))
    queue = QUEUE_NAMES[card.state if card else None]
    intro = None
    if card is None and stored.unit:
        begun = db.execute(
            "SELECT 1 FROM quiz_items WHERE unit = ? AND introduced = 1 LIMIT 1", [stored.unit]
        ).fetchone()
        intro = None if begun else get_mechanism(db, stored.unit)
    return Scheduled(shown, card, changed, queue, intro)


def _due_item(
    db: Database,
    deck: str,
    states: tuple[State, ...],
    until: datetime,
    withheld: str,
    skip: frozenset[str],
) -> Scheduled | None:
    for row in fetch_rows(
        db,
        f"{_due_sql(deck, states, withheld)} ORDER BY s.due LIMIT :limit",
        {"until": utc_text(until), "withheld": withheld, "limit": len(skip) + 1, "deck": deck},
    ):
        if row["item_id"] in skip:
            continue
        try:
            card = card_from_json(row["card"])
        except ValueError as error:
            raise DamagedState(row["item_id"], str(error)) from None
        return _scheduled(db, row["item_id"], card, _changed(db, row["item_id"]))
    return None


def _new_item(
    db: Database, deck: str, withheld: str, details: bool, skip: frozenset[str]
) -> Scheduled | None:
    for row in fetch_rows(
        db,
        f"{_new_sql(deck, withheld, details)} LIMIT :limit",
        {"withheld": withheld, "limit": len(skip) + 1, "deck": deck},
    ):
        if row["id"] not in skip:
            return _scheduled(db, row["id"], None, False)
    return None


def next_item(
    db: Database,
    deck: str,
    now: datetime,
    day_start: datetime,
    limits: Limits,
    skip: frozenset[str] = frozenset(),
    ahead: timedelta = timedelta(0),
    details: bool = False,
    withheld: str | None = None,
) -> Scheduled | None:
    """The next item to study, or None when nothing is left for today. ``ahead`` also
    takes reviews due that much later (studying ahead). ``withheld`` is
    withheld_today(...) if the caller has it already."""
    learning = (State.Learning, State.Relearning)
    if withheld is None:
        withheld = withheld_today(db, day_start, details)
    if found := _due_item(db, deck, learning, now, withheld, skip):
        return found
    new_done, reviews_done = done_today(db, day_start)
    day_end = day_start + timedelta(days=1)
    if reviews_done < limits.reviews_per_day and (
        found := _due_item(db, deck, (State.Review,), day_end + ahead, withheld, skip)
    ):
        return found
    if new_done < limits.new_per_day and (found := _new_item(db, deck, withheld, details, skip)):
        return found
    return _due_item(db, deck, learning, now + LEARN_AHEAD, withheld, skip)


def scheduled_item(db: Database, item_id: str) -> Scheduled | None:
    """One item with its current schedule (None for the card when it is new)."""
    if load_item(db, item_id) is None:
        return None
    state = db.execute("SELECT card FROM item_states WHERE item_id = ?", [item_id]).fetchone()
    try:
        card = card_from_json(state[0]) if state else None
    except ValueError as error:
        raise DamagedState(item_id, str(error)) from None
    return _scheduled(db, item_id, card, _changed(db, item_id))


def next_available(
    db: Database, now: datetime, day_start: datetime, details: bool = False
) -> datetime | None:
    """When something will next be there to study: a learning step at its minute, a review
    at the start of its study day (and not before tomorrow: what is due today and not shown
    waits on a sibling or the limit)."""
    detail = (
        ""
        if details
        else "AND item_id NOT IN (SELECT id FROM quiz_items INDEXED BY quiz_items_details "
        "WHERE detail = 1)"
    )
    learning = db.execute(
        f"SELECT min(due) FROM item_states WHERE state IN (1, 3) AND due > ? {detail}",
        [utc_text(now)],
    ).fetchone()[0]
    review = db.execute(
        f"SELECT due FROM item_states WHERE state = 2 {detail} ORDER BY due LIMIT 1"
    ).fetchone()
    review = review[0] if review else None
    hour = day_start.hour
    found = []
    if learning:
        found.append(datetime.fromisoformat(learning))
    if review:
        due = datetime.fromisoformat(review).astimezone(day_start.tzinfo)
        found.append(max(study_day_start(due, hour), day_start + timedelta(days=1)))
    return min(found) if found else None


@dataclass(frozen=True)
class Answer:
    """One answer, as the review log records it."""

    item_id: str
    rating: Rating
    before: Card | None
    after: Card
    reviewed_at: datetime
    duration_ms: int = 0
    response: str = ""
    correct: bool | None = None
    form: str = ""  # the kind of item as shown (multiple choice or typed, for one memory)


def record_answer(db: Database, answer: Answer, bury_until: datetime | None = None) -> int:
    """Save an answer and the item's new schedule in one transaction; return the log id.

    With ``bury_until`` (the start of the next study day), the item's studied siblings due
    before then wait until then, as Anki buries siblings: their due date in the schedule
    moves, their FSRS card does not, so the queue's queries need no list of siblings."""
    with write_transaction(db):
        row = db.execute(
            "SELECT retired, sibling_group FROM quiz_items WHERE id = ?", [answer.item_id]
        ).fetchone()
        if row is None:
            raise StudyError(f"there is no quiz item {answer.item_id!r}")
        if row[0]:
            raise StudyError(
                f"the item {answer.item_id!r} was retired by a content update; it is no longer "
                "studied, and its history is kept"
            )
        log_id = db.execute(
            """INSERT INTO review_log (item_id, rating, queue, reviewed_at, duration_ms,
                   state_before, state_after, response, correct, form, sibling_group)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                answer.item_id,
                answer.rating.value,
                QUEUE_NAMES[answer.before.state if answer.before else None],
                utc_text(answer.reviewed_at),
                max(0, answer.duration_ms),
                card_to_json(answer.before) if answer.before else None,
                card_to_json(answer.after),
                answer.response,
                None if answer.correct is None else int(answer.correct),
                answer.form,
                row[1],
            ],
        ).lastrowid
        db.execute(
            """INSERT INTO item_states (item_id, card, due, state, introduced_at)
               VALUES (?, ?, ?, ?, ?)
               ON CONFLICT(item_id) DO UPDATE SET
                   card = excluded.card, due = excluded.due, state = excluded.state""",
            [
                answer.item_id,
                card_to_json(answer.after),
                utc_text(answer.after.due),
                answer.after.state.value,
                utc_text(answer.reviewed_at),
            ],
        )
        db.execute(
            "UPDATE quiz_items SET introduced = 1, changed = 0 WHERE id = ?", [answer.item_id]
        )
        if bury_until is not None and row[1] is not None:
            db.execute(
                """UPDATE item_states SET due = :until
                   WHERE due < :until AND item_id IN (
                       SELECT id FROM quiz_items WHERE sibling_group = :group AND id != :item)""",
                {"until": utc_text(bury_until), "group": row[1], "item": answer.item_id},
            )
    return log_id


def undo_answer(db: Database, log_id: int, day_start: datetime | None = None) -> str:
    """Take an answer back: the item's state before it returns and its log row goes. Its
    siblings come back to today (their due date in their card) unless another item of their
    group was answered since ``day_start``."""
    with write_transaction(db):
        row = db.execute(
            "SELECT item_id, state_before, sibling_group FROM review_log WHERE id = ?", [log_id]
        ).fetchone()
        if row is None:
            raise StudyError("that answer is no longer in the review log")
        item_id, before, group = row
        if day_start is not None and group is not None:
            _unbury(db, group, item_id, log_id, day_start)
        if before is None:
            db.execute("DELETE FROM item_states WHERE item_id = ?", [item_id])
            db.execute("UPDATE quiz_items SET introduced = 0 WHERE id = ?", [item_id])
        else:
            card = card_from_json(before)
            db.execute(
                "UPDATE item_states SET card = ?, due = ?, state = ? WHERE item_id = ?",
                [before, utc_text(card.due), card.state.value, item_id],
            )
        db.execute("DELETE FROM review_log WHERE id = ?", [log_id])
    return item_id


def _unbury(db: Database, group: str, item_id: str, log_id: int, day_start: datetime) -> None:
    still = db.execute(
        """SELECT 1 FROM review_log WHERE sibling_group = ? AND id != ? AND reviewed_at >= ?
           LIMIT 1""",
        [group, log_id, utc_text(day_start)],
    ).fetchone()
    if still:
        return
    siblings = db.execute(
        """SELECT s.item_id, s.card FROM item_states s JOIN quiz_items q ON q.id = s.item_id
           WHERE q.sibling_group = ? AND q.id != ?""",
        [group, item_id],
    ).fetchall()
    for sibling_id, card_json in siblings:
        due = utc_text(card_from_json(card_json).due)
        db.execute("UPDATE item_states SET due = ? WHERE item_id = ?", [due, sibling_id])


def review_history(db: Database, item_id: str) -> list[dict]:
    """The item's log rows, oldest first, with the card states decoded."""
    rows = list(db.query("SELECT * FROM review_log WHERE item_id = ? ORDER BY id", [item_id]))
    for row in rows:
        row["state_after"] = json.loads(row["state_after"])
        row["state_before"] = json.loads(row["state_before"]) if row["state_before"] else None
    return rows


def counts_now(db: Database, deck: str, now: datetime) -> QueueCounts:
    """What is left to study today in ``deck``, under the learner's settings (daily limits,
    the hour a study day starts, details or not): what Home, Review and the sidebar show."""
    from studyapp.core.settings import load_preferences  # settings reads study lazily too

    chosen = load_preferences(db)
    day_start = study_day_start(now.astimezone(), chosen.day_start_hour)
    limits = Limits(chosen.new_per_day, chosen.reviews_per_day)
    return queue_counts(db, deck, now, day_start, limits, details=chosen.quiz_details)
