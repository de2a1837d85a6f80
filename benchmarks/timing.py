"""Repeat a function and report median and p95 wall time in milliseconds."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def measure(work: Callable[[], object], runs: int, setup: Callable[[], object] | None = None):
    """Median and p95 of ``runs`` timed calls of ``work`` (``setup`` runs untimed before each)."""
    times = []
    for _ in range(runs):
        if setup:
            setup()
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95


RESULTS: list[dict] = []  # every row printed, for `python -m benchmarks --json`


def row(name: str, runs: int, median: float, p95: float) -> str:
    RESULTS.append(
        {"what": name, "runs": runs, "median_ms": round(median, 3), "p95_ms": round(p95, 3)}
    )
    return f"{name:<58} {runs:>5} {median:>10.2f} {p95:>10.2f}"


HEADER = f"{'what':<58} {'runs':>5} {'median ms':>10} {'p95 ms':>10}"


def peak_rss_mib() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: Linux carries ru_maxrss
    over exec, so a child started by a large parent would report the parent's size."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
