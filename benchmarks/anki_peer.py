"""The same review workload on Anki's own scheduler (the `anki` package, FSRS on).

N notes added with add_notes; every card put in review with 10 rows of history, half of
them due now, as in benchmarks/review_loop.py; then cards fetched with get_queued_cards
and answered with answer_card. Needs `pip install .[bench]`; without it, nothing is run.

    python -m benchmarks.anki_peer [--items 10000] [--answers 300]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import tempfile
import time

from benchmarks.timing import HEADER, measure, peak_rss_mib, row


def available() -> bool:
    try:
        import anki.collection  # noqa: F401
    except ImportError:
        return False
    return True


def add_synthetic_notes(col, deck: int, items: int, front: str, back: str) -> float:
    """Add ``items`` Basic notes in one add_notes call; return the seconds it took.
    ``front`` and ``back`` are formats with {i}."""
    from anki.collection import AddNoteRequest

    model = col.models.by_name("Basic")
    started = time.perf_counter()
    requests = []
    for i in range(items):
        note = col.new_note(model)
        note["Front"] = front.format(i=i)
        note["Back"] = back.format(i=i)
        requests.append(AddNoteRequest(note=note, deck_id=deck))
    col.add_notes(requests)
    return time.perf_counter() - started


def build(items: int, reviews_per_item: int, folder: str):
    from anki.collection import Collection

    col = Collection(os.path.join(folder, "collection.anki2"))
    col.set_config("fsrs", True)
    deck = col.decks.id("bench")
    config = col.decks.config_dict_for_deck_id(deck)
    config["new"]["perDay"] = 9999
    config["rev"]["perDay"] = 9999
    col.decks.save(config)
    add_seconds = add_synthetic_notes(
        col, deck, items, "Synthetic statement {i} with a _____.", "answer {i}"
    )
    # Every card in review, with history, half due today or earlier (as in review_loop.py).
    rng = random.Random(1)
    today = col.sched.today
    card_ids = col.db.list("select id from cards")
    col.db.executemany(
        "update cards set type = 2, queue = 2, ivl = ?, due = ?, reps = ? where id = ?",
        [
            (rng.randint(2, 200), today + rng.randint(-30, 30), reviews_per_item, cid)
            for cid in card_ids
        ],
    )
    now_ms = int(time.time() * 1000)
    col.db.executemany(
        "insert into revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type)"
        " values (?, ?, -1, 3, 10, 5, 2500, 4000, 1)",
        [
            (
                now_ms - 86_400_000 * 40 - n * 1000,
                cid,
            )
            for n, cid in enumerate(c for c in card_ids for _ in range(reviews_per_item))
        ],
    )
    col.decks.select(deck)
    return col, add_seconds


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--reviews-per-item", type=int, default=10)
    parser.add_argument("--answers", type=int, default=300)
    args = parser.parse_args(argv)
    if not available():
        print("Anki peer skipped: install the bench extra (pip install .[bench]).")
        return
    from anki.scheduler.v3 import CardAnswer

    folder = tempfile.mkdtemp(prefix="studyapp-anki-")
    try:
        col, add_seconds = build(args.items, args.reviews_per_item, folder)
        print(
            f"Anki: add_notes of {args.items:,} notes in {add_seconds * 1000:.0f} ms; "
            f"{args.items * args.reviews_per_item:,} review-log rows"
        )

        def answer_one() -> None:
            queued = col.sched.get_queued_cards(fetch_limit=1)
            card = col.get_card(queued.cards[0].card.id)
            card.start_timer()
            answer = col.sched.build_answer(
                card=card, states=queued.cards[0].states, rating=CardAnswer.GOOD
            )
            col.sched.answer_card(answer)

        print(HEADER)
        figures = measure(answer_one, args.answers)
        print(
            row(
                f"Anki: get_queued_cards + answer_card, {args.items:,} items",
                args.answers,
                *figures,
            )
        )
        col.close()
        peak = peak_rss_mib()
        print(f"peak resident memory: {peak:.0f} MiB")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
