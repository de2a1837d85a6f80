"""Answer quiz items as fast as possible until killed, printing the count after each commit.

python tests/helpers/answer_forever.py DATABASE
"""

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from fsrs import Rating

from studyapp.core.db import open_database
from studyapp.core.srs import make_scheduler, new_card, preview
from studyapp.core.study import Answer, Limits, next_item, record_answer

db = open_database(Path(sys.argv[1]))
scheduler = make_scheduler()
limits = Limits(new_per_day=10**6, reviews_per_day=10**6)
saved = db.execute("SELECT count(*) FROM review_log").fetchone()[0]
now = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=saved)
while True:
    now += timedelta(minutes=30)
    found = next_item(db, "all", now, now - timedelta(hours=1), limits)
    if found is None:
        now += timedelta(days=30)
        continue
    card = found.card or new_card(now)
    rating = Rating.Good if saved % 3 else Rating.Again
    outcome = preview(scheduler, card, now)[rating]
    record_answer(db, Answer(found.item.id, rating, found.card, outcome.card, now))
    saved += 1
    print(saved, flush=True)
