"""Large and hostile sources: parse time against its budget, and opening one in the viewer.

python -m benchmarks.large_source

The largest legal source is 5 MB. A real one (plain paragraphs, Markdown prose) must load
within its budget and open in the viewer well under a second; a hostile one (inputs that made
Python-Markdown or a regular expression quadratic) must be cut short by its budget, not hang.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks.timing import HEADER, measure, row
from studyapp.core.db import open_database
from studyapp.core.ingest import ingest, parse_source_bytes
from studyapp.core.sources.budget import seconds_for
from studyapp.core.sources.errors import SourceError

REAL = {
    "plain text, 50,000 paragraphs (4.7 MB)": (
        "paragraphs.txt",
        "\n\n".join(
            f"Paragraph number {i} says a few words about exercise and mood, in people "
            "who are depressed."
            for i in range(50_000)
        ),
    ),
    "Markdown prose with links, 30,000 paragraphs (4.2 MB)": (
        "prose.md",
        "# A long document\n\n"
        + "\n\n".join(
            f"Paragraph {i} says **a few** words about [exercise](https://example.org/{i}) and "
            "mood in people who are depressed, as the trials found."
            for i in range(30_000)
        ),
    ),
    "one paragraph of 100,000 one-word lines": ("oneword.txt", "word\n" * 100_000),
}
HOSTILE = {
    '"[[" x 50,000 (100 KB)': "[[" * 50_000,
    '"[a](" x 25,000 (100 KB)': "[a](" * 25_000,
    '"<a " in a wiki page, 100 KB': "---\ntitle: T\n---\n" + "<a " * 33_000,
    '"- " nested 5,000 deep': "- " * 5_000 + "deep",
}


def main() -> None:
    from PySide6.QtWidgets import QApplication

    from studyapp.ui.views.sources_view import SourcesView

    app = QApplication.instance() or QApplication([])
    print(HEADER)
    for label, text in HOSTILE.items():
        data = text.encode()
        started = time.perf_counter()
        try:
            parse_source_bytes(data, "hostile")
            outcome = "loaded"
        except SourceError as error:
            outcome = f"skipped: {str(error)[:40]}"
        seconds = time.perf_counter() - started
        print(row(f"parse {label}", 1, seconds * 1000, seconds * 1000) + f"  {outcome}")
    for label, (name, text) in REAL.items():
        work = Path(tempfile.mkdtemp(prefix="studyapp-bench-large-"))
        seeds = work / "seeds"
        seeds.mkdir()
        (seeds / name).write_text(text, encoding="utf-8")
        db = open_database(work / "studyapp.sqlite3")
        started = time.perf_counter()
        report = ingest(db, seeds)
        seconds = time.perf_counter() - started
        budget = seconds_for(len(text.encode()))
        print(
            row(f"ingest {label}", 1, seconds * 1000, seconds * 1000)
            + f"  budget {budget:.0f} s, {'ok' if report.ok else report.problems}"
        )
        if not report.loaded:
            continue
        view = SourcesView(db)
        view.resize(1280, 800)
        view.show()
        view.refresh()
        source_id = report.loaded[0].source.id
        last = view.viewer.source.passages[-1]

        def open_it(view=view, source_id=source_id) -> None:
            view.open_source(source_id, force=True)
            app.processEvents()

        def jump(view=view, source_id=source_id, last=last) -> None:
            view.open_source(source_id, last.id, last.text[:30])
            app.processEvents()

        parts = view.viewer.part_count
        print(row(f"  open it in the viewer ({parts} parts)", 5, *measure(open_it, 5)))
        print(row("  jump to its last passage, quote highlighted", 5, *measure(jump, 5, open_it)))
        view.close()
        db.close()


if __name__ == "__main__":
    main()
