"""Command line: `studyapp` opens the app; sub-commands work in the terminal.

Qt is imported only when the window opens, so terminal commands start fast and work on a
machine without a display.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path

from studyapp import __version__, paths
from studyapp.core.anki_export import write_apkg
from studyapp.core.atomic import NotARegularFile, write_text_atomically
from studyapp.core.backup import BackupProblem, back_up, backups_dir, restore
from studyapp.core.bookmarks import export_csv, export_markdown
from studyapp.core.db import DatabaseProblem, open_database
from studyapp.core.dbfiles import trouble_text
from studyapp.core.export import to_csv, to_json
from studyapp.core.ingest import ingest
from studyapp.core.item_sheet import item_sheet
from studyapp.core.knowledge import list_mechanisms
from studyapp.core.library import list_sources
from studyapp.core.lock import FolderBusy, FolderLock, FolderUnusable
from studyapp.core.recovery import open_or_recover
from studyapp.core.search import (
    GROUP_TITLES,
    MARK_END,
    MARK_START,
    count_text,
    match_counts,
    search,
)
from studyapp.core.settings import day_start_hour, study_settings
from studyapp.core.stats import study_stats
from studyapp.core.study import ALL_DECKS, study_day_start
from studyapp.terminal import run_review


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
    parser.add_argument(
        "--theme",
        choices=["system", "light", "dark"],
        default="system",
        help="the window's colours (default: follow the system)",
    )
    parser.add_argument(
        "--screenshots",
        metavar="DIR",
        help="save a PNG of each main view into DIR (offscreen) and exit",
    )
    parser.add_argument(
        "--self-check",
        action="store_true",
        help="check that this install works (offscreen, your data untouched)",
    )
    parser.add_argument(
        "--size",
        default=(1280, 800),
        type=_size,
        metavar="WxH",
        help="window size for --screenshots (default 1280x800)",
    )
    parser.add_argument(
        "--font-size",
        type=float,
        default=0,
        metavar="PT",
        help="font size in points for --screenshots (default: the system's)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("gui", help="open the app's window (the default)")
    commands.add_parser("ingest", help="(re)load the source documents and say what was loaded")
    commands.add_parser("sources", help="list the sources in the library")
    export = commands.add_parser(
        "export",
        help="export sources, mechanisms and facts (json), the facts (csv), the quiz items "
        "for Anki (apkg) or to read as Markdown (review)",
    )
    export.add_argument("--format", choices=["json", "csv", "apkg", "review"], default="json")
    export.add_argument("path", metavar="PATH", help="file to write, or - for standard output")
    review = commands.add_parser("review", help="study due and new quiz items in the terminal")
    review.add_argument("--deck", default=ALL_DECKS, help="a mechanism id, or all (the default)")
    review.add_argument("--limit", type=_at_least_one, metavar="N", help="stop after N answers")
    commands.add_parser("stats", help="due counts, reviews today and retention")
    simulate = commands.add_parser(
        "simulate",
        help="a simulated learner studies the library for N days (on a copy of your data) "
        "and prints the daily workload",
    )
    simulate.add_argument("--days", type=int, required=True, metavar="N", help="days to study")
    simulate.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (0)")
    simulate.add_argument(
        "--log", required=True, metavar="FILE", help="write one JSON line per showing here"
    )
    search = commands.add_parser("search", help="search sources, facts and mechanisms")
    search.add_argument("query", nargs="+", metavar="WORD")
    bookmarks = commands.add_parser("bookmarks", help="your bookmarks")
    bookmark_commands = bookmarks.add_subparsers(
        dest="bookmarks_command", metavar="ACTION", required=True
    )
    bookmark_export = bookmark_commands.add_parser("export", help="write them as Markdown or CSV")
    bookmark_export.add_argument("--format", choices=["md", "csv"], default="md")
    bookmark_export.add_argument("path", metavar="PATH", help="file to write, or - for stdout")
    commands.add_parser("backup", help="back up your reviews, bookmarks and settings now")
    restore = commands.add_parser("restore", help="replace your data with a backup")
    restore.add_argument("file", metavar="FILE", help="a backup made by StudyApp")
    return parser


def _size(text: str) -> tuple[int, int]:
    width, _, height = text.partition("x")
    if not (width.isdigit() and height.isdigit()) or not (
        200 <= int(width) <= 10_000 and 200 <= int(height) <= 10_000
    ):
        raise argparse.ArgumentTypeError(f"{text!r} is not a size; use WIDTHxHEIGHT, e.g. 1280x800")
    return int(width), int(height)


def _at_least_one(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of answers (1 or more)")
    return number


def main(argv: list[str] | None = None) -> int:
    """Run a command; every failure a learner can cause ends in a sentence, not a traceback."""
    try:
        return _main(argv)
    except KeyboardInterrupt:
        print("\nStopped. Every answer you rated is saved.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `studyapp search x | head -1`: the reader has had enough
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except (sqlite3.Error, OSError) as error:
        print(f"StudyApp stopped: {trouble_text(error)}.", file=sys.stderr)
        return 2


# Commands that write to the learner's database; they take the data folder's lock, so they
# never run beside an open window or another such command.
WRITERS = {"ingest", "review", "restore"}


def _main(argv: list[str] | None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    data_dir = paths.data_dir(args.data_dir)
    try:
        shipped = paths.shipped_dirs()
    except FileNotFoundError as error:
        print(error, file=sys.stderr)
        return 2
    if args.self_check:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from studyapp.selfcheck import run_self_check

        return run_self_check(shipped)
    if args.screenshots:
        target = Path(args.screenshots)
        if target.exists() and not target.is_dir():
            parser.error(f"--screenshots needs a folder, and {target} is a file")
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before Qt loads
        from studyapp.app import take_screenshots

        return take_screenshots(target, shipped, args.theme, args.size, args.font_size)
    if args.command in (None, "gui"):
        from studyapp.app import run_gui  # Qt only from here on

        return run_gui(data_dir, shipped, args.theme)
    if args.command == "simulate":  # before the learner's database is opened: never touched
        return _simulate(data_dir, shipped, args.days, args.seed, Path(args.log))
    lock = FolderLock(data_dir)
    try:
        lock.acquire()
    except FolderUnusable as error:
        print(f"{error}.", file=sys.stderr)
        return 2
    except FolderBusy as error:
        if args.command in WRITERS:
            extra = (
                " (or use File → Restore from backup there)" if args.command == "restore" else ""
            )
            print(f"Nothing was changed: {error}{extra}.", file=sys.stderr)
            return 2
    try:
        return _run(args, data_dir, shipped, exclusive=lock.held)
    finally:
        lock.release()


def _run(args, data_dir: Path, shipped: paths.ShippedDirs, exclusive: bool) -> int:
    """A terminal command; without ``exclusive`` (a window has the folder) it only reads."""
    if args.command == "restore":
        return _restore(data_dir, Path(args.file))
    try:
        if exclusive:
            db, recovered = open_or_recover(
                paths.database_path(data_dir), backups_dir(data_dir), datetime.now()
            )
            if recovered:
                print(recovered, file=sys.stderr)
        else:
            db = open_database(paths.database_path(data_dir))  # the window keeps it current
    except DatabaseProblem as error:
        print(error, file=sys.stderr)
        return 2
    try:
        if args.command == "backup":
            return _backup(data_dir)
        if args.command == "ingest":
            return _ingest(db, shipped)
        if exclusive:
            _bring_up_to_date(db, shipped)
        if args.command == "export":
            return _export(db, args.format, args.path)
        if args.command == "review":
            return _review(db, args.deck, args.limit)
        if args.command == "stats":
            return _stats(db)
        if args.command == "bookmarks":
            text = export_markdown(db) if args.format == "md" else export_csv(db)
            return _write_text(text, args.path)
        if args.command == "search":
            return _search(db, " ".join(args.query))
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
    if export_format == "apkg":
        return _export_apkg(db, target)
    writers = {"json": to_json, "csv": to_csv, "review": item_sheet}
    return _write_text(writers[export_format](db), target)


def _write_text(text: str, target: str) -> int:
    if target == "-":
        sys.stdout.write(text)
        return 0
    path = Path(target)
    try:
        write_text_atomically(path, text)
    except OSError as error:
        print(_not_written(path, error), file=sys.stderr)
        return 2
    print(f"Wrote {path}")
    return 0


def _not_written(path: Path, error: OSError) -> str:
    if isinstance(error, NotARegularFile):
        return f"StudyApp did not write to {path}: {error.strerror}; give the name of a file."
    return (
        f"StudyApp could not write {path} ({error.strerror}); nothing was written. "
        "Check the folder exists, is writable and has free space."
    )


def _search(db, query: str) -> int:
    hits = search(db, query)
    if not hits:
        print(f"Nothing found for “{query}”.")
        return 0
    bold, plain = ("\x1b[1m", "\x1b[0m") if sys.stdout.isatty() else ("**", "**")
    counts = match_counts(db, query)
    shown = {kind: sum(h.kind == kind for h in hits) for kind in counts}
    group = None
    for hit in hits:
        if hit.kind != group:
            group = hit.kind
            more = counts.get(group, 0) - shown.get(group, 0)
            extra = (
                f" (first {shown[group]} of {count_text(counts[group])}; add a word to narrow)"
                if more > 0
                else ""
            )
            print(GROUP_TITLES[group] + extra)
        snippet = hit.snippet.replace(MARK_START, bold).replace(MARK_END, plain)
        print(f"  {hit.title}\n    {' '.join(snippet.split())}")
    return 0


def _backup(data_dir: Path) -> int:
    try:
        path = back_up(paths.database_path(data_dir), backups_dir(data_dir), datetime.now())
    except BackupProblem as error:
        print(error, file=sys.stderr)
        return 2
    print(f"Backed up to {path}")
    return 0


def _restore(data_dir: Path, backup: Path) -> int:
    db_path = paths.database_path(data_dir)
    try:
        safety = restore(backup, db_path, backups_dir(data_dir), datetime.now())
    except BackupProblem as error:
        print(f"Nothing was changed: {error}.", file=sys.stderr)
        return 2
    kept = f" Your data from before is kept in {safety}." if safety else ""
    print(f"Restored {backup}.{kept}")
    return 0


def _now() -> datetime:
    return datetime.now(UTC)


def _review(db, deck: str, limit: int | None) -> int:
    decks = [m.id for m in list_mechanisms(db)]
    if deck != ALL_DECKS and deck not in decks:
        print(
            f"There is no deck {deck!r}; choose all or one of: {', '.join(decks)}.", file=sys.stderr
        )
        return 2
    limits, retention = study_settings(db)
    run_review(
        db, input, print, _now, deck=deck, limit=limit, limits=limits, desired_retention=retention
    )
    return 0


def _stats(db) -> int:
    now = _now()
    stats = study_stats(db, now, study_day_start(now.astimezone(), day_start_hour(db)))
    retention = (
        f"{stats.retention:.0%} of {stats.retention_reviews} reviews in 30 days"
        if stats.retention is not None
        else "no reviews in the last 30 days yet"
    )
    print(f"Quiz items: {stats.items} ({stats.introduced} seen, {stats.new_left} new)")
    print(f"Due now: {stats.due_now}; due by the end of today: {stats.due_today}")
    print(f"Answered today: {stats.answered_today}")
    print(f"Retention: {retention}")
    return 0


def _simulate(data_dir: Path, shipped: paths.ShippedDirs, days: int, seed: int, log: Path) -> int:
    """Copy the learner's database (read-only) into a temporary folder, bring the copy's
    library up to date and let a simulated learner study it; the learner's data is never
    opened for writing."""
    import sqlite3
    import tempfile

    from studyapp.core.db import open_database
    from studyapp.core.settings import load_preferences
    from studyapp.core.simulate import same_day_siblings, simulate
    from studyapp.core.study import Limits

    if days < 1:
        print("--days must be 1 or more.", file=sys.stderr)
        return 2
    source = paths.database_path(data_dir)
    with tempfile.TemporaryDirectory(prefix="studyapp-simulation-") as folder:
        copy = Path(folder) / "simulation.sqlite3"
        if source.exists():
            try:
                # Read-only; and with no write-ahead log beside it (everything is in the main
                # file), immutable, so that not even an empty log file is left behind.
                wal = source.with_name(source.name + "-wal")
                flags = "mode=ro" if wal.exists() else "mode=ro&immutable=1"
                original = sqlite3.connect(f"{source.resolve().as_uri()}?{flags}", uri=True)
                target = sqlite3.connect(copy)
                original.backup(target)
                original.close()
                target.close()
            except sqlite3.Error as error:
                print(
                    f"StudyApp could not read {source} to copy it ({error}); nothing was "
                    "simulated and nothing was changed.",
                    file=sys.stderr,
                )
                return 2
        try:
            db = open_database(copy)
        except DatabaseProblem as error:
            print(error, file=sys.stderr)
            return 2
        db.execute("PRAGMA synchronous = OFF")  # a throwaway copy: speed over durability
        ingest(db, shipped.seeds, shipped.content)
        chosen = load_preferences(db)
        print(
            f"Simulating {days} day(s) of study (seed {seed}) on a copy of your data; "
            "your own data is not changed."
        )
        print(f"{'Day':>4}  {'New':>4}  {'Learning':>8}  {'Reviews':>7}  {'Minutes':>7}")

        def print_day(load) -> None:
            print(
                f"{load.day:>4}  {load.new:>4}  {load.learning:>8}  {load.reviews:>7}  "
                f"{load.minutes:>7.1f}"
            )

        try:
            with log.open("w", encoding="utf-8") as out:
                loads = simulate(
                    db,
                    days,
                    out,
                    seed=seed,
                    start=datetime.now().astimezone(),
                    zone=datetime.now().astimezone().tzinfo,
                    limits=Limits(chosen.new_per_day, chosen.reviews_per_day),
                    desired_retention=chosen.desired_retention,
                    day_start_hour=chosen.day_start_hour,
                    details=chosen.quiz_details,
                    on_day=print_day,
                )
        except OSError as error:
            print(f"StudyApp could not write {log} ({error.strerror}).", file=sys.stderr)
            return 2
        finally:
            db.close()
    lines = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    total = sum(load.minutes for load in loads)
    print(
        f"Total: {len(lines)} answers ({sum(x.new for x in loads)} new, "
        f"{sum(x.reviews for x in loads)} reviews), {total:.0f} minutes; "
        f"{same_day_siblings(lines)} showings met a sibling on the same day."
    )
    print(f"Log: {log} (one JSON line per showing)")
    return 0


def _export_apkg(db, target: str) -> int:
    if target == "-":
        print("An Anki package is a file; give a PATH ending in .apkg.", file=sys.stderr)
        return 2
    path = Path(target)
    try:
        notes = write_apkg(db, path)
    except OSError as error:
        print(_not_written(path, error), file=sys.stderr)
        return 2
    print(f"Wrote {path}: {notes} notes for Anki (File → Import)")
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
