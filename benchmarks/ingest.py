"""Loading the seeds: parse, first ingest, the unchanged check every start runs, rendering.

python -m benchmarks.ingest
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from benchmarks.timing import HEADER, measure, peak_rss_mib, row
from studyapp import paths
from studyapp.core.content import load_content
from studyapp.core.db import open_database
from studyapp.core.document import source_html
from studyapp.core.ingest import ingest, parse_source_bytes, source_files
from studyapp.core.library import get_source, list_sources
from studyapp.core.render import RenderContext


def main() -> None:
    shipped = paths.shipped_dirs()
    seeds, content_dir = shipped.seeds, shipped.content
    work_dir = Path(tempfile.mkdtemp(prefix="studyapp-bench-"))
    print(HEADER)
    try:
        runs = 50
        files = [(path.read_bytes(), path.stem) for path in source_files(seeds)]

        def parse_all() -> None:
            for data, stem in files:
                parse_source_bytes(data, stem)

        print(row("parse the 5 seeds", runs, *measure(parse_all, runs)))

        counter = iter(range(10**6))
        fresh: dict[str, Path] = {}

        def new_database() -> None:
            fresh["path"] = work_dir / f"fresh{next(counter)}" / "studyapp.sqlite3"

        def first_ingest() -> None:
            db = open_database(fresh["path"])
            ingest(db, seeds, content_dir)
            db.close()

        runs = 20
        figures = measure(first_ingest, runs, setup=new_database)
        print(row("first run: create database + ingest sources and content", runs, *figures))

        db = open_database(work_dir / "warm" / "studyapp.sqlite3")
        ingest(db, seeds, content_dir)
        runs = 50
        figures = measure(lambda: ingest(db, seeds, content_dir), runs)
        print(row("every start: ingest with nothing changed", runs, *figures))

        sources = {s.source.id: get_source(db, s.source.id) for s in list_sources(db)}
        runs = 20
        figures = measure(lambda: load_content(content_dir, sources), runs)
        facts = len(load_content(content_dir, sources).facts)
        print(row(f"validate and link the content ({facts} facts)", runs, *figures))

        largest = max(list_sources(db), key=lambda s: s.passage_count).source
        source = get_source(db, largest.id)
        context = RenderContext(video_url=source.video_url)
        runs = 100
        figures = measure(lambda: source_html(source, context), runs)
        print(
            row(f"render largest source to HTML ({len(source.passages)} passages)", runs, *figures)
        )
        db.close()

        os.environ["QT_QPA_PLATFORM"] = os.environ.get("QT_QPA_PLATFORM", "offscreen")
        from studyapp.app import create_app, create_main_window

        app = create_app()
        windows = []

        def open_window() -> None:
            window = create_main_window(work_dir / "warm", paths.shipped_dirs())
            window.show()
            window.sources_view.refresh()  # what start() shows before the background check
            app.processEvents()
            windows.append(window)

        runs = 10
        figures = measure(open_window, runs)
        print(row("window built and shown, sources listed (warm)", runs, *figures))
        for window in windows:
            window.close()
        peak = peak_rss_mib()
        print(f"peak resident memory of this process: {peak:.0f} MiB")
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
