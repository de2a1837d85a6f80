"""Start-up: process start to main window shown and idle, and resident memory then.

Four cases measured in the same run, each a fresh process: StudyApp with a warm database,
StudyApp's first run (a fresh data folder: the window and the first ingest), a bare PySide6
window (QApplication + QMainWindow + QTextBrowser), the physical floor, and that window with
the libraries the design fixes (sqlite-utils, Python-Markdown, nh3) imported, the floor for
any app built on them. StudyApp's modules are byte-compiled first, as a pip install or the
bundle has them (this machine sets PYTHONDONTWRITEBYTECODE, which would otherwise charge each
start the compiling of every module).

    python -m benchmarks.startup [--runs 10]
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.timing import HEADER, RESULTS, row

REPO = Path(__file__).resolve().parent.parent

# Each child prints its resident memory (KiB) once the event loop is idle, then quits.
BARE = """
import os
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTextBrowser
app = QApplication([])
window = QMainWindow(); window.setCentralWidget(QTextBrowser()); window.resize(1280, 800)
window.show()
QTimer.singleShot(0, lambda: (print(rss_kib(), flush=True), app.quit()))
app.exec()
"""
STACK = "import sqlite_utils, markdown, nh3\n" + BARE
STUDYAPP = """
from pathlib import Path
from PySide6.QtCore import QTimer
from studyapp import paths
from studyapp.app import create_app, create_main_window
app = create_app()
window = create_main_window(Path(DATA), paths.shipped_dirs())
window.inform = window.warn = lambda *_: None
window.resize(1280, 800)
window.show()
def idle():
    print(rss_kib(), flush=True)
    app.quit()
if FIRST_RUN:
    window.ingest_finished.connect(lambda _: QTimer.singleShot(0, idle))
    window.start()
else:
    window.start()
    QTimer.singleShot(0, idle)
app.exec()
"""
RSS = """
def rss_kib():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
"""


def measure_start(code: str, runs: int, prepare=None) -> tuple[list[float], list[int]]:
    """Wall time from spawning the process to its 'idle' line, and the RSS it reported."""
    times, memory = [], []
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    for _ in range(runs):
        if prepare:
            prepare()
        started = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-c", RSS + code], stdout=subprocess.PIPE, text=True, env=env, cwd=REPO
        )
        line = child.stdout.readline()
        times.append((time.perf_counter() - started) * 1000)
        child.wait()
        memory.append(int(line))
    return times, memory


def summary(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    median = (
        ordered[len(ordered) // 2]
        if len(ordered) % 2
        else (ordered[len(ordered) // 2 - 1] + ordered[len(ordered) // 2]) / 2
    )
    return median, ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def startup_figures(runs: int) -> dict:
    compileall.compile_dir(REPO / "studyapp", quiet=1)
    work = Path(tempfile.mkdtemp(prefix="studyapp-startup-"))
    try:
        warm_dir, fresh_dir = work / "warm", work / "fresh"
        warm = STUDYAPP.replace("DATA", repr(str(warm_dir))).replace("FIRST_RUN", "False")
        first = STUDYAPP.replace("DATA", repr(str(fresh_dir))).replace("FIRST_RUN", "True")
        measure_start(first.replace(repr(str(fresh_dir)), repr(str(warm_dir))), 1)  # warm up
        figures = {}
        for name, code, prepare in (
            ("bare PySide6 window", BARE, None),
            ("bare window + sqlite-utils, Markdown, nh3", STACK, None),
            ("StudyApp, warm database", warm, None),
            (
                "StudyApp, first run (fresh data folder + ingest)",
                first,
                lambda: shutil.rmtree(fresh_dir, ignore_errors=True),
            ),
        ):
            times, memory = measure_start(code, runs, prepare)
            figures[name] = {"ms": summary(times), "rss_mib": summary([m / 1024 for m in memory])}
        return figures
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args(argv)
    figures = startup_figures(args.runs)
    print(HEADER)
    for name, values in figures.items():
        print(row(f"start to idle: {name}", args.runs, *values["ms"]))
        RESULTS.append(
            {
                "what": f"resident memory after start: {name}",
                "median_mib": round(values["rss_mib"][0], 1),
            }
        )
    bare = figures["bare PySide6 window"]["ms"][0]
    for name, values in figures.items():
        print(
            f"{name}: {values['ms'][0] / bare:.2f}x the bare window; "
            f"resident memory {values['rss_mib'][0]:.0f} MiB"
        )


if __name__ == "__main__":
    main()
