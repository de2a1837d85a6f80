"""The pause between cards: fetch the next item + schedule + commit (synchronous=FULL),
at 100,000 items with 1,000,000 review-log rows (synthetic), and peak memory.

    python -m benchmarks.review_loop [--items 100000] [--reviews-per-item 10] [--answers 300]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sqlite3
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fsrs import Card, Rating, State

from benchmarks.timing import HEADER, measure, peak_rss_mib, row
from studyapp.core.db import open_database, utc_text, write_transaction
from studyapp.core.review import ReviewSession
from studyapp.core.srs import card_to_json, make_scheduler, preview
from studyapp.core.study import Answer, Limits, next_item, queue_counts, record_answer

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
DECKS = [f"mechanism-{i}" for i in range(12)]


def build(path: Path, items: int, reviews_per_item: int) -> float:
    """A database as a heavy user would have it: every item seen, half of them due now."""
    started = time.perf_counter()
    db = open_database(path)
    rng = random.Random(1)
    with write_transaction(db):
        db.conn.executemany(
            """INSERT INTO quiz_items (id, kind, prompt, answer, origin_digest, ordinal,
                                       introduced, sibling_group)
               VALUES (?, 'cloze', ?, ?, 'x', ?, 1, ?)""",
            (  # two items a fact, siblings, as a fact with two blanks has
                (
                    f"synthetic-{i}/cloze",
                    f"Synthetic statement {i} with a _____.",
                    f"answer {i}",
                    i,
                    f"fact-{i // 2}",
                )
                for i in range(items)
            ),
        )
        db.conn.executemany(
            "INSERT INTO item_decks VALUES (?, ?)",
            ((f"synthetic-{i}/cloze", DECKS[i % len(DECKS)]) for i in range(items)),
        )

        def state(i: int) -> tuple:
            due = NOW + timedelta(days=rng.uniform(-30, 30))
            card = Card(
                card_id=0,
                state=State.Review,
                stability=rng.uniform(2, 200),
                difficulty=rng.uniform(2, 8),
                due=due,
                last_review=due - timedelta(days=10),
            )
            return (
                f"synthetic-{i}/cloze",
                card_to_json(card),
                utc_text(due),
                State.Review.value,
                utc_text(NOW - timedelta(days=400)),
            )

        db.conn.executemany(
            "INSERT INTO item_states VALUES (?, ?, ?, ?, ?)", (state(i) for i in range(items))
        )
        after = json.dumps({"state": 2})
        db.conn.executemany(
            """INSERT INTO review_log (item_id, rating, queue, reviewed_at, state_after)
               VALUES (?, ?, 'review', ?, ?)""",
            (
                (f"synthetic-{i % items}/cloze", 3, utc_text(NOW - timedelta(minutes=i)), after)
                for i in range(items * reviews_per_item)
            ),
        )
    db.close()
    return time.perf_counter() - started


def commit_floor(folder: Path, runs: int) -> tuple[float, float]:
    """One small row inserted and committed, WAL with synchronous=FULL: the disk's floor for
    any step that saves an answer durably (Anki's answer_card also syncs once per card)."""
    conn = sqlite3.connect(folder / "floor.sqlite3", isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE answers (id INTEGER PRIMARY KEY, item TEXT, at TEXT)")

    def one() -> None:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO answers (item, at) VALUES ('x', 'now')")
        conn.execute("COMMIT")

    try:
        return measure(one, runs)
    finally:
        conn.close()


class QuietView:
    def show_intro(self, intro, counts):
        pass

    def show_item(self, scheduled, counts):
        pass

    def show_feedback(self, feedback):
        pass

    def show_summary(self, summary):
        pass

    def show_problem(self, message):
        pass


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--reviews-per-item", type=int, default=10)
    parser.add_argument("--answers", type=int, default=300)
    args = parser.parse_args(argv)
    # Half the items are due; two rounds of answers must not run out of them.
    answers = min(args.answers, args.items // 5)
    work = Path(tempfile.mkdtemp(prefix="studyapp-bench-"))
    try:
        path = work / "studyapp.sqlite3"
        seconds = build(path, args.items, args.reviews_per_item)
        logs = args.items * args.reviews_per_item
        print(
            f"built {args.items:,} items and {logs:,} review-log rows in {seconds:.1f} s "
            f"({path.stat().st_size / 2**20:.0f} MiB)"
        )
        db = open_database(path)
        scheduler = make_scheduler()
        limits = Limits(new_per_day=20, reviews_per_day=1000)  # a heavy learner's settings
        day_start = NOW - timedelta(hours=8)
        clock = {"now": NOW}

        def answer_one() -> None:
            clock["now"] += timedelta(seconds=5)
            found = next_item(db, "all", clock["now"], day_start, limits)
            outcome = preview(scheduler, found.card, clock["now"])[Rating.Good]
            record_answer(
                db,
                Answer(
                    found.item.id,
                    Rating.Good,
                    found.card,
                    outcome.card,
                    clock["now"],
                    duration_ms=4000,
                    response="x",
                    correct=True,
                ),
            )

        print(HEADER)
        figures = commit_floor(work, answers)
        print(row("floor: one-row INSERT + COMMIT (WAL, synchronous=FULL)", answers, *figures))
        figures = measure(answer_one, answers)
        print(row("fetch next + schedule + commit (synchronous=FULL)", answers, *figures))
        figures = measure(lambda: queue_counts(db, "all", clock["now"], day_start, limits), 50)
        print(row("count what is left, capped at the daily limit (1000)", 50, *figures))

        clock["now"] += timedelta(days=1)  # a new study day, with its own review limit
        session = ReviewSession(
            db, QuietView(), lambda: clock["now"], limits=limits, local_zone=UTC
        )
        session.start()

        def session_step() -> None:
            clock["now"] += timedelta(seconds=5)
            if session.intro is not None:
                session.begin()
            session.answer("x")
            session.rate(Rating.Good)

        figures = measure(session_step, answers)
        print(row("session: answer + rate + show next (all of the above)", answers, *figures))
        clock["now"] += timedelta(days=1)
        deck_session = ReviewSession(
            db, QuietView(), lambda: clock["now"], deck=DECKS[3], limits=limits, local_zone=UTC
        )
        deck_session.start()

        def deck_step() -> None:
            clock["now"] += timedelta(seconds=5)
            if deck_session.intro is not None:
                deck_session.begin()
            deck_session.answer("x")
            deck_session.rate(Rating.Good)

        # A deck holds a twelfth of the items: stay within what it has left due.
        left = queue_counts(db, DECKS[3], clock["now"], clock["now"] - timedelta(hours=8), limits)
        deck_answers = min(answers // 2, left.total - 1)
        figures = measure(deck_step, deck_answers)
        print(row("the same in one mechanism's deck", deck_answers, *figures))
        db.close()
        peak = peak_rss_mib()
        print(f"peak resident memory: {peak:.0f} MiB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
