"""Load the seed documents into the store: every readable file, in one transaction.

A file that cannot be read is reported by name and reason; the others still load, and the
version of that file loaded earlier (if any) is kept rather than dropped. Running the ingest
again over unchanged files writes nothing.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from studyapp.core.db import write_transaction
from studyapp.core.models import Source
from studyapp.core.sources import SourceError, parse_source

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
    loaded: tuple[Source, ...]  # sources parsed from the files now on disk
    problems: tuple[FileProblem, ...]
    kept: tuple[str, ...]  # files that failed now; their earlier version stays loaded
    changed: bool  # whether the stored content was rewritten

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        lines = [f"Loaded {len(self.loaded)} source(s)" + ("" if self.changed else " (unchanged)")]
        lines += [f"  {s.title} [{s.kind.label}], {len(s.passages)} passages" for s in self.loaded]
        if self.problems:
            lines.append(f"Skipped {len(self.problems)} file(s):")
            for problem in self.problems:
                kept = (
                    " The version loaded earlier is kept." if problem.file_name in self.kept else ""
                )
                lines.append(f"  {problem}{kept}")
        return "\n".join(lines)


def read_source_file(path: Path) -> tuple[str, Source]:
    """The file's SHA-256 and its parsed Source; SourceError says why a file is unreadable."""
    size = path.stat().st_size
    if size > MAX_SOURCE_BYTES:
        raise SourceError(
            f"it is {size / 1024 / 1024:.1f} MB, larger than the "
            f"{MAX_SOURCE_BYTES // 1024 // 1024} MB a source may be; split or shorten it"
        )
    data = path.read_bytes()
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
    return hashlib.sha256(data).hexdigest(), parse_source(text, fallback_title=path.stem)


def source_files(seeds_dir: Path) -> list[Path]:
    return sorted(
        p
        for p in seeds_dir.iterdir()
        if p.is_file() and p.suffix.lower() in SOURCE_SUFFIXES and not p.name.startswith(".")
    )


def parse_files(seeds_dir: Path) -> tuple[list[ParsedFile], list[FileProblem]]:
    parsed: list[ParsedFile] = []
    problems: list[FileProblem] = []
    for path in source_files(seeds_dir):
        try:
            sha, source = read_source_file(path)
        except SourceError as error:
            problems.append(FileProblem(path.name, str(error)))
        except OSError as error:
            problems.append(FileProblem(path.name, f"it cannot be read ({error.strerror})"))
        else:
            parsed.append(ParsedFile(path.name, sha, source))
    return parsed, problems


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


def ingest(db: Database, seeds_dir: Path) -> IngestReport:
    """Parse every source file in ``seeds_dir`` and store what changed in one transaction."""
    parsed, problems = parse_files(seeds_dir)
    stored = {row["file_name"]: row for row in db.query("SELECT * FROM sources")}
    failed_names = {p.file_name for p in problems}
    kept = sorted(name for name in failed_names if name in stored)
    parsed = _unique_ids(parsed, {stored[name]["id"] for name in kept})

    wanted = {(f.file_name, f.sha256) for f in parsed} | {
        (n, stored[n]["file_sha256"]) for n in kept
    }
    have = {(name, row["file_sha256"]) for name, row in stored.items()}
    parser_row = db.execute(
        "SELECT value FROM content_meta WHERE key = 'parser_version'"
    ).fetchone()
    unchanged = wanted == have and parser_row is not None and parser_row[0] == PARSER_VERSION

    if not unchanged:
        with write_transaction(db):
            keep_list = ",".join("?" * len(kept))
            db.execute(f"DELETE FROM sources WHERE file_name NOT IN ({keep_list})", kept)
            for item in parsed:
                row = item.source.to_row() | {
                    "file_name": item.file_name,
                    "file_sha256": item.sha256,
                }
                db["sources"].insert(row)
                db["passages"].insert_all(p.to_row() for p in item.source.passages)
            db["content_meta"].upsert({"key": "parser_version", "value": PARSER_VERSION}, pk="key")
    return IngestReport(
        loaded=tuple(f.source for f in parsed),
        problems=tuple(problems),
        kept=tuple(kept),
        changed=not unchanged,
    )
