"""Killing the process at any instant loses at most the answer in flight, never the database."""

import os
import random
import shutil
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
    from tests.helpers.library import answers_in, terminal_learner

    db = open_database(library)  # kept open: the session "crashes" with it open
    read, write = terminal_learner(["1", "3"] * 5 + ["q"])
    run_review(db, read, write, lambda: datetime(2026, 11, 22, tzinfo=UTC))
    file_alone = tmp_path / "file-alone.sqlite3"
    file_alone.write_bytes(library.read_bytes())  # what is left if the -wal is lost
    db.close()
    assert answers_in(file_alone) == 20


HELPER = REPO / "tests" / "helpers" / "recover_or_restore.py"


def _big_library(template: Path, target: Path, answers: int) -> None:
    """The template with ``answers`` answers in all: large enough (tens of MB) that a copy
    takes long enough for kills to land inside it."""
    target.write_bytes(template.read_bytes())
    conn = sqlite3.connect(target)
    have = conn.execute("SELECT count(*) FROM review_log").fetchone()[0]
    conn.execute(
        """WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
           INSERT INTO review_log (item_id, rating, queue, reviewed_at, state_after, response)
           SELECT item_id, rating, queue, reviewed_at, state_after, printf('%.200c', 'x')
           FROM n, (SELECT * FROM review_log LIMIT 1)""",
        [answers - have],
    )
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def _run_killed(args: list[str], after: float) -> bool:
    """Run the helper, SIGKILL it ``after`` seconds in; whether it finished first."""
    process = subprocess.Popen([sys.executable, str(HELPER), *args], stdout=subprocess.PIPE)
    time.sleep(after)
    finished = process.poll() is not None
    if not finished:
        os.kill(process.pid, signal.SIGKILL)
    process.wait()
    return finished


def _timed(args: list[str]) -> float:
    started = time.monotonic()
    subprocess.run([sys.executable, str(HELPER), *args], check=True, capture_output=True)
    return time.monotonic() - started


def _count(path: Path) -> int:
    from tests.helpers.library import answers_in

    check = sqlite3.connect(path)
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    check.close()
    return answers_in(path)


@pytest.mark.slow
def test_killing_the_recovery_twenty_times_never_starts_afresh(library_template, tmp_path):
    """DL2: a kill between moving the damaged file aside and writing the restored one left no
    database, and the next start was silently fresh."""
    template = tmp_path / "big.sqlite3"
    _big_library(library_template, template, answers=60_000)
    rng = random.Random(13)
    data = tmp_path / "data"
    duration = None
    killed = 0
    for kill in range(21):
        shutil.rmtree(data, ignore_errors=True)
        (data / "backups").mkdir(parents=True)
        shutil.copy(template, data / "backups" / "studyapp-20261121-120000.sqlite3")
        live = data / "studyapp.sqlite3"
        live.write_bytes(template.read_bytes())
        with open(live, "r+b") as file:  # page 1 overwritten: the file is damaged
            file.write(os.urandom(4096))
        if duration is None:
            duration = _timed(["open", str(data)])  # the first round runs uncut
            continue
        killed += not _run_killed(["open", str(data)], rng.uniform(0.05, duration))
        result = subprocess.run(
            [sys.executable, str(HELPER), "open", str(data)], capture_output=True, text=True
        )  # the next start
        assert result.returncode == 0, (kill, result.stderr)
        assert _count(live) == 60_000, kill  # restored, never a fresh database
        assert any(data.glob("studyapp-damaged-*.sqlite3")), kill  # and the damaged file kept
        assert not list(data.glob("*.restoring")), kill
    assert killed >= 5  # kills landed while it ran


@pytest.mark.slow
def test_killing_a_restore_twenty_times_leaves_one_whole_database(library_template, tmp_path):
    """A restore killed at any instant leaves the old database or the restored one, whole."""
    old = tmp_path / "old.sqlite3"
    _big_library(library_template, old, answers=60_000)
    chosen = tmp_path / "chosen.sqlite3"
    _big_library(library_template, chosen, answers=40_000)
    rng = random.Random(17)
    data = tmp_path / "data"
    duration = None
    killed = 0
    for kill in range(21):
        shutil.rmtree(data, ignore_errors=True)
        data.mkdir()
        live = data / "studyapp.sqlite3"
        live.write_bytes(old.read_bytes())
        if duration is None:
            duration = _timed(["restore", str(data), str(chosen)])
            continue
        # Up to half as long again as an uncut run: a busy machine may be slower this time.
        when = rng.uniform(0.05, duration * 1.5)
        finished = _run_killed(["restore", str(data), str(chosen)], when)
        result = subprocess.run(
            [sys.executable, str(HELPER), "open", str(data)], capture_output=True, text=True
        )  # the next start after the kill
        assert result.returncode == 0, (kill, result.stderr)
        assert result.stdout.strip() == "opened", (kill, result.stdout)  # nothing to recover
        answers = _count(live)
        assert answers in (60_000, 40_000), (kill, answers)
        if answers == 40_000:
            (safety,) = (data / "backups").glob("*before-restore*.sqlite3")
            assert _count(safety) == 60_000
        killed += not finished
    assert killed >= 5  # kills landed while it ran
