"""The terminal commands, run as a learner runs them: in a separate process."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from studyapp import __version__

REPO = Path(__file__).resolve().parent.parent


def run(*args: str, data_dir: Path, keys: str | None = None) -> subprocess.CompletedProcess:
    """The command as a learner runs it; ``keys`` is what they type."""
    env = {**os.environ, "STUDYAPP_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "studyapp", *args],
        input=keys,
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=120,
    )


def test_version(data_dir):
    result = run("--version", data_dir=data_dir)
    assert result.returncode == 0
    assert result.stdout.strip() == f"StudyApp {__version__}"


def test_ingest_then_sources(data_dir):
    first = run("ingest", data_dir=data_dir)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("Loaded 5 source(s)\n")
    assert "Exercise as a treatment for depression [Wiki page (podcast notes)], 34 passages" in (
        first.stdout
    )
    again = run("ingest", data_dir=data_dir)
    assert again.stdout.startswith("Loaded 5 source(s) (unchanged)")
    listing = run("sources", data_dir=data_dir)
    assert listing.returncode == 0
    lines = listing.stdout.splitlines()
    assert len(lines) == 5
    assert lines[0].startswith("physical-exercise-activates-a-pvn-nac-oxytocin-circuit")
    assert "paper-abstract" in lines[0] and "11 passages" in lines[0]


def test_data_dir_flag_wins(data_dir, tmp_path):
    other = tmp_path / "other"
    result = run("--data-dir", str(other), "ingest", data_dir=data_dir)
    assert result.returncode == 0
    assert (other / "studyapp.sqlite3").exists()
    assert not (data_dir / "studyapp.sqlite3").exists()


def test_a_damaged_database_is_moved_aside_and_the_command_goes_on(data_dir):
    data_dir.mkdir(parents=True)
    (data_dir / "studyapp.sqlite3").write_bytes(b"garbage" * 1000)
    result = run("sources", data_dir=data_dir)
    assert result.returncode == 0
    assert "Traceback" not in result.stderr
    assert "database was damaged (it is not an SQLite database)" in result.stderr
    assert "a fresh database was started" in result.stderr
    (damaged,) = data_dir.glob("studyapp-damaged-*.sqlite3")
    assert damaged.read_bytes() == b"garbage" * 1000  # kept, never deleted
    assert len(result.stdout.splitlines()) == 5


def test_ingest_names_a_bad_file_and_exits_non_zero(data_dir, seeds_copy, monkeypatch, capsys):
    from studyapp import cli, paths

    (seeds_copy / "notes.md").write_text("---\ntitle: Unclosed\n\nBody.\n", encoding="utf-8")
    shipped = paths.ShippedDirs(resources=REPO / "resources", seeds=seeds_copy)
    monkeypatch.setattr(paths, "shipped_dirs", lambda: shipped)
    assert cli.main(["ingest"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("Loaded 5 source(s)\n")
    assert "Skipped 1 file(s):\n  notes.md: its front matter opens with '---' but has no" in out


def test_export_json_and_csv(data_dir, tmp_path):
    import csv
    import json

    target = tmp_path / "library.json"
    result = run("export", "--format", "json", str(target), data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["format"] == "studyapp-export"
    assert len(data["sources"]) == 5 and len(data["facts"]) >= 80
    to_stdout = run("export", "--format", "csv", "-", data_dir=data_dir)
    rows = list(csv.DictReader(to_stdout.stdout.splitlines()))
    assert len(rows) == len(data["facts"])


def test_export_review_lists_every_item_as_a_learner_meets_it(data_dir, tmp_path):
    import json
    import re

    target = tmp_path / "library.json"
    assert run("export", str(target), data_dir=data_dir).returncode == 0
    items = json.loads(target.read_text(encoding="utf-8"))["quiz_items"]
    items = [i for i in items if not i["detail"]] + [i for i in items if i["detail"]]
    sheet = run("export", "--format", "review", "-", data_dir=data_dir)
    assert sheet.returncode == 0, sheet.stderr
    listed = re.findall(r"^\*\*(\d+)\. `([^`]+)`\*\*$", sheet.stdout, re.M)
    assert [item_id for _, item_id in listed] == [i["id"] for i in items]  # quizzed, details
    assert [int(n) for n, _ in listed] == list(range(1, len(items) + 1))
    quizzed, _details = sheet.stdout.split("\n## Details\n")
    assert quizzed.count("### Does exercise help? The evidence") == 1  # each unit once, first
    assert quizzed.index("### Does exercise help?") < quizzed.index("### BDNF")
    assert sheet.stdout.count("- Citation: ") == sum(1 for i in items if i["fact_id"])


def test_export_to_a_missing_folder_says_so(data_dir, tmp_path):
    result = run("export", "--format", "csv", str(tmp_path / "no" / "x.csv"), data_dir=data_dir)
    assert result.returncode == 2
    assert "could not write" in result.stderr and "nothing was written" in result.stderr
    assert "Traceback" not in result.stderr


def test_review_in_the_terminal_saves_answers_and_undoes(data_dir):
    import sqlite3

    # Begin the first unit; answer, take the proposed rating; answer, rate Easy; undo; quit.
    result = run(
        "review", "--limit", "5", data_dir=data_dir, keys="\nwrong\n\nwrong again\n4\nu\nq\n"
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Fill in the blank (new)" in out
    assert "Rate: 1 Again (1m) · 2 Hard" in out and "Enter = Again" in out
    assert "New topic: Does exercise help? The evidence" in out
    card, question = out.index("New topic: "), out.index("Press Enter to begin.")
    assert card < question < out.index("── ")  # the card on its own, then the first question
    words = " ".join(out.split())  # the terminal wraps lines
    assert "Source says: “" in words and "Human trial (RCT or meta-analysis of RCTs)" in words
    conn = sqlite3.connect(data_dir / "studyapp.sqlite3")
    ratings = [r[0] for r in conn.execute("SELECT rating FROM review_log ORDER BY id")]
    conn.close()
    assert ratings == [1]  # the second answer was undone


def test_review_refuses_an_unknown_deck(data_dir):
    result = run("review", "--deck", "nope", data_dir=data_dir, keys="q\n")
    assert result.returncode == 2
    assert "There is no deck 'nope'; choose all or one of: evidence-base" in result.stderr


def test_stats(data_dir):
    run("review", data_dir=data_dir, keys="\nx\n4\nq\n")
    result = run("stats", data_dir=data_dir)
    assert result.returncode == 0
    assert "(1 seen, " in result.stdout
    assert "Answered today: 1" in result.stdout


def test_apkg_export_is_an_anki_collection(data_dir, tmp_path):
    import sqlite3
    import zipfile

    target = tmp_path / "studyapp.apkg"
    result = run("export", "--format", "apkg", str(target), data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(target) as package:
        package.extract("collection.anki2", tmp_path)
    collection = sqlite3.connect(tmp_path / "collection.anki2")
    notes = [r[0] for r in collection.execute("SELECT flds FROM notes")]
    cards = collection.execute("SELECT count(*) FROM cards").fetchone()[0]
    collection.close()
    assert len(notes) == cards >= 60  # one note per memory
    cloze = [n for n in notes if "{{c1::" in n]
    library = sqlite3.connect(data_dir / "studyapp.sqlite3")
    sql = "SELECT count(*) FROM quiz_items WHERE kind = 'cloze' AND NOT retired"
    (blanks,) = library.execute(sql).fetchone()
    library.close()
    assert len(cloze) == blanks >= 30  # every blank is one cloze note
    assert all("“" in n.split("\x1f")[-1] for n in cloze)  # the quote is on the back


def test_backup_and_restore_in_the_terminal(data_dir, tmp_path):
    made = run("backup", data_dir=data_dir)
    assert made.returncode == 0 and made.stdout.startswith("Backed up to ")
    backup = Path(made.stdout.removeprefix("Backed up to ").strip())
    restored = run("restore", str(backup), data_dir=data_dir)
    assert restored.returncode == 0, restored.stderr
    assert "Your data from before is kept in" in restored.stdout
    foreign = tmp_path / "notes.txt"
    foreign.write_text("not a backup")
    refused = run("restore", str(foreign), data_dir=data_dir)
    assert refused.returncode == 2
    assert refused.stderr.startswith("Nothing was changed:")


@pytest.mark.slow
def test_self_check_passes(data_dir):
    result = run("--self-check", data_dir=data_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert all(line.startswith("ok   ") for line in lines[:-1])
    assert lines[-1].startswith("Self-check passed")
    assert not (data_dir / "studyapp.sqlite3").exists()  # the learner's data untouched


def test_simulate_prints_the_daily_workload_and_never_touches_the_learners_data(data_dir, tmp_path):
    import hashlib
    import json
    import sqlite3

    run("review", data_dir=data_dir, keys="\nx\n4\nq\n")  # the learner has studied once
    database = data_dir / "studyapp.sqlite3"

    def fingerprint() -> dict:
        return {
            p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(data_dir.glob("studyapp.sqlite3*"))
            if not p.name.endswith("-shm")  # a reader's index of the log, not data
        }

    before = fingerprint()
    log = tmp_path / "showings.jsonl"
    result = run("simulate", "--days", "3", "--seed", "5", "--log", str(log), data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "on a copy of your data" in out
    assert " Day   New  Learning  Reviews  Minutes" in out
    rows = [line.split() for line in out.splitlines() if line[:4].strip().isdigit()]
    assert [int(r[0]) for r in rows] == [1, 2, 3]
    assert "0 showings met a sibling on the same day" in out
    lines = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == sum(int(r[1]) + int(r[2]) + int(r[3]) for r in rows)
    assert set(lines[0]) == {
        "day", "at", "item_id", "fact_id", "mechanism_id", "kind", "choices", "rating"
    }  # fmt: skip
    assert fingerprint() == before
    conn = sqlite3.connect(database)
    assert conn.execute("SELECT count(*) FROM review_log").fetchone()[0] == 1
    conn.close()
    again = run("simulate", "--days", "3", "--seed", "5", "--log", str(log), data_dir=data_dir)
    assert again.stdout == out  # the seed makes it repeatable


def test_simulate_on_a_fresh_install_creates_no_data(data_dir, tmp_path):
    result = run("simulate", "--days", "1", "--log", str(tmp_path / "l.jsonl"), data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert not data_dir.exists()
