"""Building 100,000 quiz items: generation from synthetic facts and storing them, time and
peak memory, in a process of its own; and Anki's add_notes of as many notes, likewise.

    python -m benchmarks.build [--items 100000]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.timing import RESULTS, peak_rss_mib
from studyapp.core.content import Content, Terms
from studyapp.core.db import open_database
from studyapp.core.items import sync_items
from studyapp.core.models import Evidence, Fact, Mechanism
from studyapp.core.quizgen import generate_items

ITEMS_PER_FACT = 2  # two blanks, one item each (multiple choice is their first form)


def synthetic_content(items: int) -> Content:
    facts_count = items // ITEMS_PER_FACT
    mechanisms = tuple(
        Mechanism(
            f"mechanism-{m}",
            f"Mechanism {m}",
            "A synthetic card.",
            (f"Step {m}.1", f"Step {m}.2", f"Step {m}.3"),
        )
        for m in range(20)
    )
    facts = tuple(
        Fact(
            id=f"fact-{i}",
            statement=f"Synthetic finding {i} raised marker {i} by {10 + i % 80}% in "
            f"{100 + i % 900} people.",
            answers=(f"{10 + i % 80}%", f"{100 + i % 900}"),
            source_id="synthetic",
            quote=f"finding {i}",
            evidence=Evidence.REVIEW,
            mechanism_ids=(f"mechanism-{i % 20}",),
            passage_id="synthetic/p",
        )
        for i in range(facts_count)
    )
    return Content(mechanisms, facts, digest="synthetic", terms=Terms())


def run_ours(items: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="studyapp-build-"))
    try:
        content = synthetic_content(items)
        started = time.perf_counter()
        generated = generate_items(content)
        generated_at = time.perf_counter()
        db = open_database(folder / "studyapp.sqlite3")
        sync_items(db, generated, content, "bench")
        stored_at = time.perf_counter()
        db.close()
        peak = peak_rss_mib()
        print(
            f"ours: {len(generated)} items; generate {1000 * (generated_at - started):.0f} "
            f"ms; store {1000 * (stored_at - generated_at):.0f} ms; "
            f"total {1000 * (stored_at - started):.0f} ms; peak {peak:.0f} MiB"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run_anki(items: int) -> None:
    import os

    from anki.collection import Collection

    from benchmarks.anki_peer import add_synthetic_notes

    folder = tempfile.mkdtemp(prefix="studyapp-anki-build-")
    try:
        col = Collection(os.path.join(folder, "collection.anki2"))
        deck = col.decks.id("bench")
        total = add_synthetic_notes(
            col, deck, items, "Synthetic finding {i} raised marker {i} by _____.", "marker {i}"
        )
        col.close()
        peak = peak_rss_mib()
        print(f"anki: {items} notes; total {1000 * total:.0f} ms; peak {peak:.0f} MiB")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def child(which: str, items: int) -> dict | None:
    """Run one side in a fresh process, so its peak memory is its own."""
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.build", "--side", which, "--items", str(items)],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        return None
    line = result.stdout.strip().splitlines()[-1]
    total = float(re.search(r"total (\d+) ms", line).group(1))
    peak = float(re.search(r"peak (\d+) MiB", line).group(1))
    print(line)
    return {"total_ms": total, "peak_mib": peak}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--side", choices=["ours", "anki"])
    args = parser.parse_args(argv)
    if args.side == "ours":
        run_ours(args.items)
        return
    if args.side == "anki":
        run_anki(args.items)
        return
    ours = child("ours", args.items)
    from benchmarks.anki_peer import available

    anki = child("anki", args.items) if available() else None
    RESULTS.append({"what": f"build {args.items:,} items: generate + store", **(ours or {})})
    if anki:
        RESULTS.append({"what": f"Anki: add_notes of {args.items:,} notes", **anki})
        print(
            f"build: {ours['total_ms'] / anki['total_ms']:.2f}x Anki's time (target 1x); "
            f"peak {ours['peak_mib']:.0f} MiB (target 150 MiB)"
        )
    else:
        print("Anki peer skipped: install the bench extra (pip install .[bench]).")


if __name__ == "__main__":
    main()
