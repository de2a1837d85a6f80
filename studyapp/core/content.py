"""The curated knowledge base: mechanism cards and key facts, read from TOML and validated.

Layout of ``resources/content/``::

    mechanisms.toml        [[mechanism]] id, title, summary, steps, related, key_facts
    facts/<any>.toml       source = "<source id>", then [[fact]] id, statement, answers,
                           quote, evidence, mechanisms

Validation reports every problem at once (file, entry, field, what is wrong). A fact's passage
and video timestamp are found from its quote, never typed by hand.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from studyapp.core.models import Evidence, Fact, Mechanism, Passage, Source

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MECHANISMS_FILE = "mechanisms.toml"
TERMS_FILE = "terms.toml"
FACTS_DIR = "facts"
_FACT_KEYS = {"id", "statement", "answers", "quote", "evidence", "mechanisms"}
_MECHANISM_KEYS = {"id", "title", "summary", "steps", "related", "key_facts"}


@dataclass(frozen=True)
class ContentProblem:
    file: str  # relative to the content folder
    entry: str  # the entry's id, or "" for the file as a whole
    field: str
    message: str

    def __str__(self) -> str:
        where = " · ".join(part for part in (self.file, self.entry, self.field) if part)
        return f"{where}: {self.message}"


class ContentError(Exception):
    def __init__(self, problems: list[ContentProblem]):
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{len(problems)} problem(s) in the content:\n{lines}")


@dataclass(frozen=True)
class Terms:
    """Answer types for quiz distractors, and opposites for false statements (terms.toml)."""

    types: dict[str, tuple[str, ...]] = field(default_factory=dict)  # type -> its terms
    opposites: dict[str, str] = field(default_factory=dict)  # casefolded term -> its opposite

    def type_of(self, term: str) -> str | None:
        return self._type_by_term.get(term.casefold())

    @cached_property
    def _type_by_term(self) -> dict[str, str]:
        """Casefolded term -> its type; a term listed under two types keeps the first."""
        found: dict[str, str] = {}
        for name, members in self.types.items():
            for member in members:
                found.setdefault(member.casefold(), name)
        return found

    def opposite_of(self, term: str) -> str | None:
        return self.opposites.get(term.casefold())


@dataclass(frozen=True)
class Content:
    mechanisms: tuple[Mechanism, ...]
    facts: tuple[Fact, ...]
    digest: str  # SHA-256 over the content files
    terms: Terms = field(default_factory=Terms)

    def facts_of(self, mechanism_id: str) -> list[Fact]:
        """The card's facts: its key facts first, then the rest in content order."""
        mechanism = next(m for m in self.mechanisms if m.id == mechanism_id)
        linked = [f for f in self.facts if mechanism_id in f.mechanism_ids]
        order = {fact_id: i for i, fact_id in enumerate(mechanism.key_facts)}
        return sorted(linked, key=lambda f: order.get(f.id, len(order)))


def content_files(content_dir: Path) -> list[Path]:
    """mechanisms.toml, then the facts files, then terms.toml (which may be absent)."""
    facts = sorted((content_dir / FACTS_DIR).glob("*.toml"))
    return [content_dir / MECHANISMS_FILE, *facts, content_dir / TERMS_FILE]


def content_digest(content_dir: Path) -> str:
    digest = hashlib.sha256()
    for path in content_files(content_dir):
        if path.exists():
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


class _Reader:
    """Collects problems while turning TOML tables into domain objects."""

    def __init__(self) -> None:
        self.problems: list[ContentProblem] = []

    def problem(self, file: str, entry: str, field: str, message: str) -> None:
        self.problems.append(ContentProblem(file, entry, field, message))

    def load_toml(self, path: Path, label: str) -> dict | None:
        try:
            return tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            self.problem(label, "", "", "the file is missing")
        except UnicodeDecodeError:
            self.problem(label, "", "", "the file is not UTF-8 text; save it again as UTF-8")
        except tomllib.TOMLDecodeError as error:
            self.problem(label, "", "", f"not valid TOML ({error})")
        return None

    def text(self, table: dict, key: str, file: str, entry: str) -> str:
        value = table.get(key)
        if not isinstance(value, str) or not value.strip():
            self.problem(file, entry, key, "is missing or empty")
            return ""
        return value.strip()

    def strings(self, table: dict, key: str, file: str, entry: str, required: bool) -> tuple:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.problem(file, entry, key, "must be a list of non-empty strings")
            return ()
        if required and not value:
            self.problem(file, entry, key, "must name at least one")
        return tuple(value)

    def entry_id(self, table: dict, file: str, index: int, kind: str) -> str:
        value = table.get("id")
        if not isinstance(value, str) or not SLUG.match(value):
            self.problem(
                file,
                f"{kind} #{index + 1}",
                "id",
                "must be a slug of lower-case letters, digits and hyphens",
            )
            return ""
        return value

    def unknown_keys(self, table: dict, allowed: set[str], file: str, entry: str) -> None:
        for key in sorted(set(table) - allowed):
            known = ", ".join(sorted(allowed))
            self.problem(file, entry, key, f"is not a known field (known: {known})")


def _mechanisms(reader: _Reader, content_dir: Path) -> list[tuple[str, Mechanism]]:
    label = MECHANISMS_FILE
    data = reader.load_toml(content_dir / MECHANISMS_FILE, label)
    if data is None:
        return []
    found = []
    for index, table in enumerate(data.get("mechanism", [])):
        ident = reader.entry_id(table, label, index, "mechanism")
        entry = ident or f"mechanism #{index + 1}"
        reader.unknown_keys(table, _MECHANISM_KEYS, label, entry)
        steps = reader.strings(table, "steps", label, entry, required=True)
        if 0 < len(steps) < 3:
            reader.problem(label, entry, "steps", "a causal chain needs at least three steps")
        mechanism = Mechanism(
            id=ident,
            title=reader.text(table, "title", label, entry),
            summary=reader.text(table, "summary", label, entry),
            steps=steps,
            related=reader.strings(table, "related", label, entry, required=False),
            key_facts=reader.strings(table, "key_facts", label, entry, required=False),
        )
        if ident:
            found.append((label, mechanism))
    return found


def _terms(reader: _Reader, content_dir: Path) -> Terms:
    path = content_dir / TERMS_FILE
    if not path.exists():
        return Terms()
    data = reader.load_toml(path, TERMS_FILE) or {}
    types: dict[str, tuple[str, ...]] = {}
    for name, members in data.get("types", {}).items():
        if not isinstance(members, list) or not all(isinstance(m, str) and m for m in members):
            reader.problem(TERMS_FILE, name, "types", "must be a list of non-empty strings")
            continue
        types[name] = tuple(members)
    opposites: dict[str, str] = {}
    for pair in data.get("opposites", {}).get("pairs", []):
        if not (
            isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair)
        ):
            reader.problem(TERMS_FILE, "", "opposites", f"{pair!r} is not a pair of two terms")
            continue
        opposites[pair[0].casefold()] = pair[1]
        opposites[pair[1].casefold()] = pair[0]
    return Terms(types, opposites)


def _facts(reader: _Reader, content_dir: Path) -> list[tuple[str, Fact]]:
    found = []
    for path in content_files(content_dir)[1:-1]:
        label = f"{FACTS_DIR}/{path.name}"
        data = reader.load_toml(path, label)
        if data is None:
            continue
        source_id = data.get("source")
        if not isinstance(source_id, str) or not source_id:
            reader.problem(label, "", "source", "the file must say which source its facts quote")
            source_id = ""
        for index, table in enumerate(data.get("fact", [])):
            ident = reader.entry_id(table, label, index, "fact")
            entry = ident or f"fact #{index + 1}"
            reader.unknown_keys(table, _FACT_KEYS, label, entry)
            evidence_value = table.get("evidence")
            try:
                evidence = Evidence(evidence_value)
            except ValueError:
                choices = ", ".join(e.value for e in Evidence)
                message = f"{evidence_value!r} is not one of {choices}"
                reader.problem(label, entry, "evidence", message)
                evidence = Evidence.REVIEW
            fact = Fact(
                id=ident,
                statement=reader.text(table, "statement", label, entry),
                answers=reader.strings(table, "answers", label, entry, required=True),
                source_id=source_id,
                quote=reader.text(table, "quote", label, entry),
                evidence=evidence,
                mechanism_ids=reader.strings(table, "mechanisms", label, entry, required=True),
            )
            if ident:
                found.append((label, fact))
    return found


def locate_quote(source: Source, quote: str) -> tuple[Passage, int | None] | None:
    """The passage holding ``quote`` verbatim, and the video second first cited at or after it."""
    for passage in source.passages:
        start = passage.text.find(quote)
        if start != -1:
            cited = [t.seconds for t in passage.timestamps if t.offset >= start]
            return passage, (cited[0] if cited else None)
    return None


def load_content(content_dir: Path, sources: dict[str, Source]) -> Content:
    """Read, validate and link the content; ContentError lists every problem found."""
    reader = _Reader()
    mechanisms = _mechanisms(reader, content_dir)
    facts = _facts(reader, content_dir)
    terms = _terms(reader, content_dir)

    for kind, entries in (("mechanism", mechanisms), ("fact", facts)):
        seen: dict[str, str] = {}
        for file, item in entries:
            if item.id in seen:
                message = f"the same {kind} id is also in {seen[item.id]}"
                reader.problem(file, item.id, "id", message)
            seen.setdefault(item.id, file)
    mechanism_ids = {m.id for _, m in mechanisms}
    fact_ids = {f.id: f for _, f in facts}

    linked: list[Fact] = []
    for file, fact in facts:
        for answer in fact.answers:
            if answer not in fact.statement:
                message = f"{answer!r} does not occur in the statement"
                reader.problem(file, fact.id, "answers", message)
        for mechanism_id in fact.mechanism_ids:
            if mechanism_id not in mechanism_ids:
                message = f"no mechanism has the id {mechanism_id!r}"
                reader.problem(file, fact.id, "mechanisms", message)
        source = sources.get(fact.source_id)
        if source is None:
            if fact.source_id:
                reader.problem(file, fact.id, "source", f"no source has the id {fact.source_id!r}")
            continue
        if not fact.quote:
            continue
        found = locate_quote(source, fact.quote)
        if found is None:
            reader.problem(
                file, fact.id, "quote", f"not found word for word in the source {source.id!r}"
            )
            continue
        passage, timestamp = found
        linked.append(replace(fact, passage_id=passage.id, timestamp=timestamp))

    for file, mechanism in mechanisms:
        for other in mechanism.related:
            if other == mechanism.id or other not in mechanism_ids:
                reader.problem(file, mechanism.id, "related", f"{other!r} is not another mechanism")
        for fact_id in mechanism.key_facts:
            fact = fact_ids.get(fact_id)
            if fact is None:
                reader.problem(file, mechanism.id, "key_facts", f"no fact has the id {fact_id!r}")
            elif mechanism.id not in fact.mechanism_ids:
                reader.problem(
                    file,
                    mechanism.id,
                    "key_facts",
                    f"the fact {fact_id!r} does not list this mechanism",
                )

    if reader.problems:
        raise ContentError(reader.problems)
    return Content(
        mechanisms=tuple(m for _, m in mechanisms),
        facts=tuple(linked),
        digest=content_digest(content_dir),
        terms=terms,
    )
