"""Soak: answer 3,000 items in one window, as a learner would, and stay alive.

python -m benchmarks.soak [--answers 3000]

PySide6 6.12.0 on Python 3.11 dropped a reference to None on every call of a void Qt method;
about 750 answers in, Python aborted ("none_dealloc"). This drives the real window (keys sent
to the review panel, a search and a source opened now and then) and prints the reference count
of None before and after, and the process's memory. Not part of the test run: it takes minutes.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.soak")
    parser.add_argument("--answers", type=int, default=3000)
    args = parser.parse_args(argv)

    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtTest import QTest

    from benchmarks.timing import peak_rss_mib
    from studyapp import paths
    from studyapp.app import create_app, create_main_window
    from studyapp.core.settings import NEW_PER_DAY, REVIEWS_PER_DAY, set_setting

    app = create_app()
    data = Path(tempfile.mkdtemp(prefix="studyapp-soak-"))
    window = create_main_window(data, paths.shipped_dirs())
    window.inform = window.warn = lambda *_: None
    window.show()
    loop = QEventLoop()
    window.ingest_finished.connect(lambda _: loop.quit())
    QTimer.singleShot(60_000, loop.quit)
    window.start()
    loop.exec()
    set_setting(window.db, NEW_PER_DAY, "9999")
    set_setting(window.db, REVIEWS_PER_DAY, "9999")
    window.study("all")
    panel = window.review_panel
    none_before = sys.getrefcount(None)
    started = time.perf_counter()
    answered = 0
    while answered < args.answers:
        session = panel.session
        if session.current is None:  # all done for now: study ahead, as "Learn more" does
            panel.start(panel.deck)
            if panel.session.current is None:
                window.db.execute("UPDATE item_states SET due = '2000-01-01T00:00:00+00:00'")
                panel.start(panel.deck)
            continue
        item = session.current.item
        if item.kind.value == "cloze":
            QTest.keyClicks(panel.typed, "something")
            QTest.keyClick(panel.typed, Qt.Key_Return)
        else:
            session.answer("1")
        QTest.keyClick(panel, Qt.Key_3)
        answered += 1
        if answered % 250 == 0:  # browse a little, as a learner does between answers
            window.go(("sources", "", "", ""))
            window.go(("mechanisms", "kynurenine-pathway"))
            window.go(("review", "all"))
            print(f"{answered} answers, None has {sys.getrefcount(None)} references", flush=True)
        app.processEvents()
    seconds = time.perf_counter() - started
    print(f"PySide6 {pyside_version}, Python {sys.version.split()[0]}")
    print(f"{answered} answers in one window in {seconds:.0f} s; the process is alive")
    print(f"references to None: {none_before} before, {sys.getrefcount(None)} after")
    print(f"peak memory: {peak_rss_mib():.0f} MiB")
    window.close()


if __name__ == "__main__":
    main()
