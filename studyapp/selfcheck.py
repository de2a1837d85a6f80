"""`studyapp --self-check`: prove this install works, offscreen, without touching your data.

Ingests into a temporary folder, opens every view, answers a few questions, searches,
exports and checks the database's integrity; prints one line per step and exits 0 only
when every step passed. Works the same from a checkout, a wheel and the bundle.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from studyapp import paths


def run_self_check(shipped: paths.ShippedDirs, write: Callable[[str], None] = print) -> int:
    from PySide6.QtCore import QEventLoop, QTimer

    from studyapp.app import create_app, create_main_window
    from studyapp.core.export import to_json
    from studyapp.core.search import search

    started = time.perf_counter()
    failures = 0
    app = create_app()
    with tempfile.TemporaryDirectory(prefix="studyapp-self-check-") as data:
        state: dict = {}

        def step(name: str, check: Callable[[], str]) -> None:
            nonlocal failures
            began = time.perf_counter()
            try:
                detail = check()
            except Exception as error:  # report every failure, then go on to the next step
                failures += 1
                write(f"FAIL {name}: {type(error).__name__}: {error}")
                return
            write(f"ok   {name}: {detail} ({(time.perf_counter() - began) * 1000:.0f} ms)")

        def start_window() -> str:
            window = create_main_window(Path(data), shipped)
            window.inform = window.warn = lambda *_: None
            window.resize(1280, 800)
            window.show()
            loop = QEventLoop()
            window.ingest_finished.connect(
                lambda report: (state.update(report=report), loop.quit())
            )
            QTimer.singleShot(60_000, loop.quit)
            window.start()
            loop.exec()
            state["window"] = window
            report = state.get("report")
            if report is None or not report.ok:
                raise RuntimeError(report.summary() if report else "the ingest did not finish")
            return (
                f"{len(report.loaded)} sources, {report.mechanism_count} mechanisms, "
                f"{report.fact_count} facts, {report.item_count} quiz items"
            )

        def every_view() -> str:
            window = state["window"]
            for place in (
                ("home",),
                ("sources", "", "", ""),
                ("mechanisms", ""),
                ("mechanisms", "kynurenine-pathway"),
                ("review", "all"),
                ("stats",),
                ("bookmarks",),
            ):
                window.go(place)
                app.processEvents()
                if window.grab().isNull():
                    raise RuntimeError(f"the {place[0]} view did not render")
            window.open_fact("wn-bdnf-32-percent")
            if len(window.sources_view.viewer.highlighted_text()) != 2:
                raise RuntimeError("a fact's quote was not highlighted in its source")
            return (
                "home, sources, mechanisms, a card, review, statistics, bookmarks, a fact's quote"
            )

        def reviews() -> str:
            window = state["window"]
            window.study("all")
            session = window.review_panel.session
            for _ in range(5):
                if session.intro is not None:
                    session.begin()
                session.answer(session.current.item.answer)
                session.rate(3)
            saved = window.db.execute("SELECT count(*) FROM review_log").fetchone()[0]
            if saved != 5:
                raise RuntimeError(f"{saved} of 5 answers were saved")
            return "5 answered and saved"

        def search_and_export() -> str:
            db = state["window"].db
            hits = search(db, "quinolinic")
            if not any(hit.kind == "passage" for hit in hits):
                raise RuntimeError("searching for 'quinolinic' found no passage")
            data_out = json.loads(to_json(db))
            return f"{len(hits)} hits; JSON export of {len(data_out['facts'])} facts"

        def integrity() -> str:
            db = state["window"].db
            result = db.execute("PRAGMA integrity_check").fetchone()[0]
            if result != "ok":
                raise RuntimeError(result)
            return "integrity_check ok"

        for name, check in (
            ("open and load", start_window),
            ("views", every_view),
            ("reviews", reviews),
            ("search and export", search_and_export),
            ("database", integrity),
        ):
            if "window" in state or name == "open and load":
                step(name, check)
        if "window" in state:
            state["window"].close()
    seconds = time.perf_counter() - started
    if failures:
        write(f"Self-check FAILED: {failures} step(s) failed ({seconds:.1f} s).")
        return 1
    write(f"Self-check passed ({seconds:.1f} s).")
    return 0
