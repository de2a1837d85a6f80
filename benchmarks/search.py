"""Search latency over a synthetic library of 1,000 sources (30,000 passages): top-20 ranked
hits per group with snippets, median and p95.

    python -m benchmarks.search [--sources 1000] [--passages 30]
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import tempfile
import time
from pathlib import Path

from benchmarks.timing import HEADER, measure, row
from studyapp import paths
from studyapp.core.db import open_database, write_transaction
from studyapp.core.search import search

QUERIES = [
    "exercise",
    "quinolinic",
    "serum bdnf",
    "neuroplast",
    "exerc",  # a prefix past the prefix indexes, of the commonest word
    "serum b",  # one letter typed
    "depression exercise brain",
    "kynurenine aminotransferase",
    "zebra",
]


def vocabulary() -> list[str]:
    text = " ".join(p.read_text(encoding="utf-8") for p in paths.shipped_dirs().seeds.iterdir())
    return re.findall(r"[A-Za-z][a-z]{2,}", text)


def build(path: Path, sources: int, passages: int) -> float:
    started = time.perf_counter()
    words = vocabulary()
    rng = random.Random(3)
    db = open_database(path)
    with write_transaction(db):
        for s in range(sources):
            source_id = f"synthetic-{s}"
            title = " ".join(rng.choices(words, k=6)).capitalize()
            db.execute(
                "INSERT INTO sources (id, title, kind, file_name, file_sha256)"
                " VALUES (?, ?, 'text', ?, 'x')",
                [source_id, title, f"{source_id}.txt"],
            )
            db.conn.executemany(
                """INSERT INTO passages (id, source_id, ordinal, kind, markdown, text, section)
                   VALUES (?, ?, ?, 'paragraph', '', ?, ?)""",
                [
                    (
                        f"{source_id}/{p}",
                        source_id,
                        p,
                        " ".join(rng.choices(words, k=rng.randint(30, 120))) + ".",
                        " ".join(rng.choices(words, k=3)).capitalize(),
                    )
                    for p in range(passages)
                ],
            )
    db.close()
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sources", type=int, default=1000)
    parser.add_argument("--passages", type=int, default=30)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="studyapp-bench-"))
    try:
        path = work / "studyapp.sqlite3"
        seconds = build(path, args.sources, args.passages)
        print(
            f"built {args.sources:,} sources, {args.sources * args.passages:,} passages "
            f"in {seconds:.1f} s ({path.stat().st_size / 2**20:.0f} MiB)"
        )
        db = open_database(path)
        print(HEADER)
        all_queries = []
        for query in QUERIES:
            hits = len(search(db, query))
            figures = measure(lambda q=query: search(db, q), 50)
            all_queries.append(figures)
            print(row(f"search “{query}” ({hits} hits)", 50, *figures))
        worst = (max(m for m, _ in all_queries), max(p for _, p in all_queries))
        passages = args.sources * args.passages
        print(row(f"search, the slowest query, {passages:,} passages", 50, *worst))
        db.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
