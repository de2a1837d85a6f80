"""Command line: `studyapp` opens the app; sub-commands work in the terminal.

Qt is imported only when the window opens, so terminal commands start fast and work on a
machine without a display.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from studyapp import __version__, paths
from studyapp.core.db import DatabaseProblem, open_database
from studyapp.core.export import to_csv, to_json, write_text_atomically
from studyapp.core.ingest import ingest
from studyapp.core.library import list_sources


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="studyapp",
        description="An offline study guide to how physical exercise relieves depression. "
        "Without a command, the app's window opens.",
    )
    parser.add_argument("--version", action="version", version=f"StudyApp {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=f"where your reviews, bookmarks and settings live (default: ${paths.DATA_DIR_ENV}, "
        "else your platform's user data folder)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("gui", help="open the app's window (the default)")
    commands.add_parser("ingest", help="(re)load the source documents and say what was loaded")
    commands.add_parser("sources", help="list the sources in the library")
    export = commands.add_parser(
        "export", help="export sources, mechanisms and facts (json) or the facts (csv)"
    )
    export.add_argument("--format", choices=["json", "csv"], default="json")
    export.add_argument("path", metavar="PATH", help="file to write, or - for standard output")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    data_dir = paths.data_dir(args.data_dir)
    try:
        shipped = paths.shipped_dirs()
    except FileNotFoundError as error:
        print(error, file=sys.stderr)
        return 2
    if args.command in (None, "gui"):
        from studyapp.app import run_gui  # Qt only from here on

        return run_gui(data_dir, shipped)
    try:
        db = open_database(paths.database_path(data_dir))
    except DatabaseProblem as error:
        print(error, file=sys.stderr)
        return 2
    try:
        if args.command == "ingest":
            return _ingest(db, shipped)
        _bring_up_to_date(db, shipped)
        if args.command == "export":
            return _export(db, args.format, args.path)
        return _sources(db)
    finally:
        db.close()


def _bring_up_to_date(db, shipped: paths.ShippedDirs) -> None:
    """What the window does at start: load what changed, and say what could not be loaded."""
    report = ingest(db, shipped.seeds, shipped.content)
    for problem in (*report.problems, *report.content_problems):
        print(f"warning: {problem}", file=sys.stderr)


def _ingest(db, shipped: paths.ShippedDirs) -> int:
    report = ingest(db, shipped.seeds, shipped.content)
    print(report.summary())
    return 0 if report.ok else 1


def _export(db, export_format: str, target: str) -> int:
    text = to_json(db) if export_format == "json" else to_csv(db)
    if target == "-":
        sys.stdout.write(text)
        return 0
    path = Path(target)
    try:
        write_text_atomically(path, text)
    except OSError as error:
        print(
            f"StudyApp could not write {path} ({error.strerror}); nothing was written. "
            "Check the folder exists, is writable and has free space.",
            file=sys.stderr,
        )
        return 2
    print(f"Wrote {path}")
    return 0


def _sources(db) -> int:
    summaries = list_sources(db)
    if not summaries:
        print("No sources could be loaded; see `studyapp ingest`.")
        return 0
    width = max(len(s.source.id) for s in summaries)
    for s in summaries:
        print(
            f"{s.source.id:<{width}}  {s.source.kind:<14}  {s.passage_count:>3} passages  "
            f"{s.source.title}"
        )
    return 0
