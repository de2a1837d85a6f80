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

from benchmarks import anki_peer, build, ingest, large_source, review_loop, search, startup
from benchmarks.timing import RESULTS


def print_scaling() -> None:
    """Cost per card and per search as the library grows: flat is the target."""
    for prefix, label in (("session:", "review step"), ("search, the slowest", "search")):
        figures = [
            f"{r['section'].split(', ')[-1]}: {r['median_ms']:.2f} ms"
            for r in RESULTS
            if r["what"].startswith(prefix) and "median_ms" in r
        ]
        print(f"{label} by size: " + "; ".join(figures))


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
    quick = args.quick
    answers = "100" if quick else "300"
    sections = [
        ("Start-up and memory", lambda: startup.main(["--runs", "3" if quick else "10"])),
        ("Loading the seeds", ingest.main),
        ("Large and hostile sources", large_source.main),
    ]
    for items in (1_000, 10_000) if quick else (1_000, 10_000, 100_000):
        sections.append(
            (
                f"Review loop, {items:,} items",
                lambda n=items: review_loop.main(["--items", str(n), "--answers", answers]),
            )
        )
    for sources in (100, 1_000) if quick else (100, 1_000, 10_000):
        sections.append(
            (
                f"Search, {sources:,} sources",
                lambda n=sources: search.main(["--sources", str(n)]),
            )
        )
    sections += [
        # Each side in a process of its own, so each peak memory is its own.
        (
            "Building quiz items vs Anki's add_notes",
            lambda: build.main(["--items", "20000" if quick else "100000"]),
        ),
        # Peers last: a process's peak memory only grows, and Anki's would colour ours.
        (
            "Anki's scheduler, 10,000 items (peer)",
            lambda: anki_peer.main(["--items", "10000", "--answers", answers]),
        ),
    ]
    if not quick:
        sections.append(
            (
                "Anki's scheduler, 100,000 items (peer)",
                lambda: anki_peer.main(["--items", "100000"]),
            )
        )
    for title, run in sections:
        print(f"\n## {title}")
        section_start = len(RESULTS)
        run()
        for result in RESULTS[section_start:]:
            result["section"] = title
    seconds = time.perf_counter() - started
    print_scaling()
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
