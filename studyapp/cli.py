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
            return _ingest(db, shipped.seeds)
        return _sources(db)
    finally:
        db.close()


def _ingest(db, seeds_dir: Path) -> int:
    report = ingest(db, seeds_dir)
    print(report.summary())
    return 0 if report.ok else 1


def _sources(db) -> int:
    summaries = list_sources(db)
    if not summaries:
        print("No sources loaded yet; run `studyapp ingest`.")
        return 0
    width = max(len(s.source.id) for s in summaries)
    for s in summaries:
        print(
            f"{s.source.id:<{width}}  {s.source.kind:<14}  {s.passage_count:>3} passages  "
            f"{s.source.title}"
        )
    return 0
