"""Load the seed documents into the store: every readable file, in one transaction.

Files whose bytes (SHA-256) and parser version match what is stored are not parsed again, so
the check at every start costs a read of each file. A file that cannot be read is reported by
name and reason; the others still load, and the version of that file loaded earlier (if any)
is kept rather than dropped.
"""

from __future__ import annotations

import dataclasses
import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from studyapp.core.bookmarks import reanchor
from studyapp.core.content import ContentError, ContentProblem, content_digest, load_content
from studyapp.core.db import write_transaction
from studyapp.core.items import ItemSync, stored_items_key, sync_items
from studyapp.core.knowledge import store_content, stored_digest
from studyapp.core.library import SourceSummary, get_source, list_sources
from studyapp.core.models import Source
from studyapp.core.quizgen import QUIZGEN_VERSION, generate_items
from studyapp.core.sources.budget import Cancelled, budget, seconds_for
from studyapp.core.sources.errors import SourceError

# Bump when parsing changes what passages come out, so stored passages get rebuilt.
PARSER_VERSION = "1"
MAX_SOURCE_BYTES = 5 * 1024 * 1024
SOURCE_SUFFIXES = {".txt", ".md", ".markdown", ".text"}


@dataclass(frozen=True)
class FileProblem:
    file_name: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file_name}: {self.reason}"


@dataclass(frozen=True)
class ParsedFile:
    file_name: str
    sha256: str
    source: Source


@dataclass(frozen=True)
class IngestReport:
    loaded: tuple[SourceSummary, ...]  # the library after the ingest
    problems: tuple[FileProblem, ...]
    kept: tuple[str, ...]  # files that failed now; their earlier version stays loaded
    changed: bool  # whether the stored sources were rewritten
    content_problems: tuple[ContentProblem, ...] = ()  # the previous good content was kept
    content_changed: bool = False  # whether mechanisms and facts were rewritten
    mechanism_count: int = 0
    fact_count: int = 0
    item_count: int = 0
    item_sync: ItemSync | None = None  # what the content update did to the quiz items
    bookmarks_moved: int = 0  # re-anchored to where their words now are
    bookmarks_orphaned: int = 0  # whose words are gone; kept and shown as orphaned

    @property
    def ok(self) -> bool:
        return not self.problems and not self.content_problems

    def summary(self) -> str:
        lines = [f"Loaded {len(self.loaded)} source(s)" + ("" if self.changed else " (unchanged)")]
        lines += [
            f"  {s.source.title} [{s.source.kind.label}], {s.passage_count} passages"
            for s in self.loaded
        ]
        if self.problems:
            lines.append(f"Skipped {len(self.problems)} file(s):")
            for problem in self.problems:
                kept = problem.file_name in self.kept
                lines.append(
                    f"  {problem}" + (" The version loaded earlier is kept." if kept else "")
                )
        lines.append(
            f"Knowledge base: {self.mechanism_count} mechanisms, {self.fact_count} facts, "
            f"{self.item_count} quiz items" + ("" if self.content_changed else " (unchanged)")
        )
        if self.bookmarks_moved or self.bookmarks_orphaned:
            lines.append(
                f"Bookmarks: {self.bookmarks_moved} found again where their words moved, "
                f"{self.bookmarks_orphaned} orphaned (their words are gone; kept and listed)"
            )
        if self.item_sync and (self.item_sync.changed or self.item_sync.retired):
            lines.append(
                f"  {self.item_sync.added} new, {self.item_sync.changed} changed (history kept), "
                f"{self.item_sync.retired} retired (history kept)"
            )
        if self.content_problems:
            lines.append(
                f"The content has {len(self.content_problems)} problem(s); "
                "the previous good content is kept:"
            )
            lines += [f"  {problem}" for problem in self.content_problems]
        return "\n".join(lines)


def read_source_bytes(path: Path) -> bytes:
    """The file's bytes; SourceError if it is too large to be a source."""
    size = path.stat().st_size
    if size > MAX_SOURCE_BYTES:
        raise SourceError(
            f"it is {size / 1024 / 1024:.1f} MB, larger than the "
            f"{MAX_SOURCE_BYTES // 1024 // 1024} MB a source may be; split or shorten it"
        )
    return path.read_bytes()


def parse_source_bytes(data: bytes, fallback_title: str) -> Source:
    """Decode and parse a source file; SourceError says why it cannot be read."""
    if not data.strip():
        raise SourceError("it is empty; add the document's text or remove the file")
    if b"\x00" in data[:8192]:
        raise SourceError("it is a binary file, not text; save the document as UTF-8 text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SourceError(
            f"it is not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start}); "
            "save it again as UTF-8"
        ) from None
    # Imported here: the parsers and their libraries (ftfy, PyYAML, Markdown) cost about a
    # hundred milliseconds to import, and a warm start finds every file unchanged.
    from studyapp.core.sources.parse import parse_source

    return parse_source(text, fallback_title=fallback_title)


def source_files(seeds_dir: Path) -> list[Path]:
    return sorted(
        p
        for p in seeds_dir.iterdir()
        if p.is_file() and p.suffix.lower() in SOURCE_SUFFIXES and not p.name.startswith(".")
    )


def _with_source_id(source: Source, new_id: str) -> Source:
    passages = tuple(
        dataclasses.replace(p, id=new_id + p.id[len(source.id) :], source_id=new_id)
        for p in source.passages
    )
    return dataclasses.replace(source, id=new_id, passages=passages)


def _unique_ids(parsed: list[ParsedFile], taken: set[str]) -> list[ParsedFile]:
    """Two documents with the same title get "-2", "-3" in file order."""
    result = []
    for item in parsed:
        source_id, n = item.source.id, 1
        while source_id in taken:
            n += 1
            source_id = f"{item.source.id}-{n}"
        taken.add(source_id)
        if source_id != item.source.id:
            item = dataclasses.replace(item, source=_with_source_id(item.source, source_id))
        result.append(item)
    return result


def _parse_file(data: bytes, path: Path, cancel: threading.Event | None) -> Source:
    """One file's parse under its own time budget; SourceError says why it was skipped."""
    with budget(seconds_for(len(data)), cancel):
        try:
            return parse_source_bytes(data, path.stem)
        except (SourceError, Cancelled):
            raise
        except Exception as error:  # a parser's bug must not stop the other files loading
            raise SourceError(f"it could not be read ({type(error).__name__}: {error})") from None


def ingest(
    db: Database,
    seeds_dir: Path,
    content_dir: Path | None = None,
    cancel: threading.Event | None = None,
) -> IngestReport:
    """Bring the stored sources in line with ``seeds_dir`` (one transaction), then the
    mechanisms and facts in line with ``content_dir`` (another), when either changed.

    Setting ``cancel`` stops it (Cancelled) before its next passage; nothing is half-written."""
    stored = {row["file_name"]: row for row in db.query("SELECT * FROM sources")}
    parser = db.execute("SELECT value FROM content_meta WHERE key = 'parser_version'").fetchone()
    parser_current = parser is not None and parser[0] == PARSER_VERSION

    unchanged: set[str] = set()  # files stored exactly as they are on disk
    parsed: list[ParsedFile] = []
    problems: list[FileProblem] = []
    for path in source_files(seeds_dir):
        try:
            data = read_source_bytes(path)
            sha = hashlib.sha256(data).hexdigest()
            row = stored.get(path.name)
            if parser_current and row is not None and row["file_sha256"] == sha:
                unchanged.add(path.name)
                continue
            parsed.append(ParsedFile(path.name, sha, _parse_file(data, path, cancel)))
        except SourceError as error:
            problems.append(FileProblem(path.name, str(error)))
        except OSError as error:
            problems.append(FileProblem(path.name, f"it cannot be read ({error.strerror})"))

    if cancel is not None and cancel.is_set():
        raise Cancelled
    kept = sorted(p.file_name for p in problems if p.file_name in stored)
    staying = unchanged | set(kept)
    changed = bool(parsed) or set(stored) != staying
    if changed:
        parsed = _unique_ids(parsed, {stored[name]["id"] for name in staying})
        with write_transaction(db):
            for name in set(stored) - staying:  # changed on disk, or gone from it
                db.execute("DELETE FROM sources WHERE file_name = ?", [name])
            for item in parsed:
                file_columns = {"file_name": item.file_name, "file_sha256": item.sha256}
                db["sources"].insert(item.source.to_row() | file_columns)
                db["passages"].insert_all(p.to_row() for p in item.source.passages)
            db["content_meta"].upsert({"key": "parser_version", "value": PARSER_VERSION}, pk="key")
    loaded = tuple(list_sources(db))
    content_problems: tuple[ContentProblem, ...] = ()
    content_changed = False
    item_sync = None
    if content_dir is not None:
        digest = content_digest(content_dir)
        items_key = f"{digest}/{QUIZGEN_VERSION}"
        if changed or digest != stored_digest(db) or items_key != stored_items_key(db):
            sources = {s.source.id: get_source(db, s.source.id) for s in loaded}
            try:
                content = load_content(content_dir, sources)
            except ContentError as error:
                content_problems = tuple(error.problems)
            else:
                store_content(db, content)
                item_sync = sync_items(db, generate_items(content), content, items_key)
                content_changed = True
    if changed or content_changed:
        bookmarks_moved, bookmarks_orphaned = reanchor(db)
    else:
        bookmarks_moved = bookmarks_orphaned = 0
    return IngestReport(
        loaded=loaded,
        bookmarks_moved=bookmarks_moved,
        bookmarks_orphaned=bookmarks_orphaned,
        problems=tuple(problems),
        kept=tuple(kept),
        changed=changed,
        content_problems=content_problems,
        content_changed=content_changed,
        mechanism_count=db["mechanisms"].count,
        fact_count=db["facts"].count,
        item_count=db.execute("SELECT count(*) FROM quiz_items WHERE retired = 0").fetchone()[0],
        item_sync=item_sync,
    )
