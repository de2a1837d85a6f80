"""Every benchmark in one run: `python -m benchmarks [--quick] [--json PATH]`.

Prints each benchmark's table as it goes, then writes every row (median and p95 in ms,
resident memory in MiB) to PATH as JSON. --quick uses smaller sizes for a first look.
Not part of the test run.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

from benchmarks import anki_peer, ingest, review_loop, search, startup
from benchmarks.timing import RESULTS


def print_ratios() -> None:
    """Our review step against Anki's, measured in this same run."""
    ours = {r["section"]: r for r in RESULTS if r["what"].startswith("session:")}
    for size in ("10,000", "100,000"):
        anki = next(
            (r for r in RESULTS if r["what"].startswith("Anki:") and f"{size} items" in r["what"]),
            None,
        )
        mine = ours.get(f"Review loop, {size} items")
        if anki and mine:
            ratio = mine["median_ms"] / anki["median_ms"]
            print(f"review step at {size} items: {ratio:.2f}x Anki's time per card (target 0.5x)")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, fewer runs")
    args = parser.parse_args()
    started = time.perf_counter()
    sections = [
        ("Start-up and memory", lambda: startup.main(["--runs", "3" if args.quick else "10"])),
        ("Loading the seeds", ingest.main),
        (
            "Review loop, 10,000 items",
            lambda: review_loop.main(
                ["--items", "10000", "--answers", "100" if args.quick else "300"]
            ),
        ),
        (
            "Search, 1,000 sources",
            lambda: search.main(["--sources", "200" if args.quick else "1000"]),
        ),
    ]
    answers = "100" if args.quick else "300"
    sections.insert(
        3,
        (
            "Anki's scheduler, 10,000 items (peer)",
            lambda: anki_peer.main(["--items", "10000", "--answers", answers]),
        ),
    )
    if not args.quick:
        sections.insert(4, ("Review loop, 100,000 items", lambda: review_loop.main([])))
        sections.insert(
            5,
            (
                "Anki's scheduler, 100,000 items (peer)",
                lambda: anki_peer.main(["--items", "100000"]),
            ),
        )
    for title, run in sections:
        print(f"\n## {title}")
        section_start = len(RESULTS)
        run()
        for result in RESULTS[section_start:]:
            result["section"] = title
    seconds = time.perf_counter() - started
    print_ratios()
    print(f"\nAll benchmarks done in {seconds:.0f} s.")
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "machine": {
                        "python": platform.python_version(),
                        "system": platform.platform(),
                        "processor": platform.processor() or platform.machine(),
                    },
                    "seconds": round(seconds, 1),
                    "results": RESULTS,
                },
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )
        print(f"Wrote {args.json}")


if __name__ == "__main__":
    main()
