"""Killing the process at any instant loses at most the answer in flight, never the database."""

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from studyapp.core.db import open_database
from studyapp.core.ingest import ingest

REPO = Path(__file__).resolve().parents[2]
LOOP = REPO / "tests" / "helpers" / "answer_forever.py"


@pytest.mark.slow
def test_sigkill_twenty_times_loses_at_most_the_answer_in_flight(tmp_path):
    path = tmp_path / "studyapp.sqlite3"
    db = open_database(path)
    ingest(db, REPO / "seeds", REPO / "resources" / "content")
    db.close()
    rng = random.Random(20)
    for kill in range(20):
        process = subprocess.Popen(
            [sys.executable, str(LOOP), str(path)], stdout=subprocess.PIPE, text=True
        )
        reported = 0
        wanted = rng.randint(1, 15)
        deadline = time.monotonic() + 60
        while reported < wanted and time.monotonic() < deadline:
            line = process.stdout.readline()
            if line:
                reported = int(line)
        time.sleep(rng.random() * 0.02)  # kill at an arbitrary instant, mid-transaction or not
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        for line in process.stdout.read().split():  # answers committed before the kill
            reported = int(line)
        check = sqlite3.connect(path)
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok", kill
        saved = check.execute("SELECT count(*) FROM review_log").fetchone()[0]
        states = check.execute("SELECT count(*) FROM item_states").fetchone()[0]
        check.close()
        assert reported <= saved <= reported + 1, (kill, reported, saved)
        assert states > 0


def test_answers_reach_the_database_file_not_only_its_wal(library, tmp_path):
    """DL6: after a crash, a deleted (or damaged) -wal took every answer since the last
    checkpoint with it. Each answer is now copied into the file itself once it is saved."""
    from datetime import UTC, datetime

    from studyapp.terminal import run_review
    from tests.helpers.library import answers_in

    db = open_database(library)  # kept open: the session "crashes" with it open
    keys = iter(["1", "3"] * 5 + ["q"])
    run_review(db, lambda _: next(keys), lambda _: None, lambda: datetime(2026, 11, 22, tzinfo=UTC))
    file_alone = tmp_path / "file-alone.sqlite3"
    file_alone.write_bytes(library.read_bytes())  # what is left if the -wal is lost
    db.close()
    assert answers_in(file_alone) == 20
