"""The curated knowledge base: mechanism cards and key facts, read from TOML and validated.

Layout of ``resources/content/``::

    mechanisms.toml        [[mechanism]] id, title, summary, steps, related, key_facts,
                           ordered, quiz_order, hypothesis, wrong_steps
    facts/<any>.toml       source = "<source id>", then [[fact]] id, statement, answers,
                           quote, evidence, mechanisms, importance, false_statement, also,
                           replaces, defines, evidence_prompt
    terms.toml             answer types (distractor candidates) and synonyms
    course.toml            the order a learner meets the mechanisms, and what comes first

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

from studyapp.core.dbfiles import regular_file_problem
from studyapp.core.models import (
    AnswerRule,
    Citation,
    Evidence,
    Fact,
    Importance,
    Mechanism,
    Passage,
    Source,
)

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MECHANISMS_FILE = "mechanisms.toml"
TERMS_FILE = "terms.toml"
COURSE_FILE = "course.toml"
FACTS_DIR = "facts"
_FACT_KEYS = {
    "id",
    "statement",
    "answers",
    "quote",
    "evidence",
    "mechanisms",
    "importance",
    "false_statement",
    "also",
    "replaces",
    "defines",
    "evidence_prompt",
}
_ANSWER_KEYS = {"text", "accept", "cue", "distractors", "choice"}
_MECHANISM_KEYS = {
    "id",
    "title",
    "summary",
    "steps",
    "related",
    "key_facts",
    "ordered",
    "quiz_order",
    "hypothesis",
    "wrong_steps",
}


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
    """Answer types for quiz distractors, and groups of synonyms (terms.toml)."""

    types: dict[str, tuple[str, ...]] = field(default_factory=dict)  # type -> its terms
    synonyms: tuple[tuple[str, ...], ...] = ()  # groups of words that mean the same

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

    def synonyms_of(self, term: str) -> tuple[str, ...]:
        """The other words of ``term``'s synonym group (case does not matter)."""
        key = term.casefold()
        for group in self.synonyms:
            if key in (g.casefold() for g in group):
                return tuple(g for g in group if g.casefold() != key)
        return ()


@dataclass(frozen=True)
class CourseUnit:
    """One unit of the course: a mechanism, and the facts to teach before its others."""

    mechanism_id: str
    first: tuple[str, ...] = ()


@dataclass(frozen=True)
class Content:
    mechanisms: tuple[Mechanism, ...]
    facts: tuple[Fact, ...]
    digest: str  # SHA-256 over the content files
    terms: Terms = field(default_factory=Terms)
    course: tuple[CourseUnit, ...] = ()  # empty: the mechanisms in their order
    source_titles: dict[str, str] = field(default_factory=dict, compare=False)  # id -> title

    def units(self) -> tuple[CourseUnit, ...]:
        """The course, with every mechanism the course does not name appended."""
        named = {u.mechanism_id for u in self.course}
        return (*self.course, *(CourseUnit(m.id) for m in self.mechanisms if m.id not in named))

    def facts_of(self, mechanism_id: str) -> list[Fact]:
        """The card's facts: its key facts first, then the rest in content order."""
        mechanism = next(m for m in self.mechanisms if m.id == mechanism_id)
        linked = [f for f in self.facts if mechanism_id in f.mechanism_ids]
        order = {fact_id: i for i, fact_id in enumerate(mechanism.key_facts)}
        return sorted(linked, key=lambda f: order.get(f.id, len(order)))


# A content file is a few kilobytes; one far larger is not content (a link to /dev/zero was
# read forever).
MAX_CONTENT_BYTES = 2 * 1024 * 1024


def facts_files(content_dir: Path) -> list[Path]:
    return sorted((content_dir / FACTS_DIR).glob("*.toml"))


def _readable_problem(path: Path) -> str | None:
    """Why ``path`` is not a content file to read, or None."""
    if problem := regular_file_problem(path):
        return problem
    if path.exists() and path.stat().st_size > MAX_CONTENT_BYTES:
        return f"it is larger than {MAX_CONTENT_BYTES // 1024 // 1024} MB, too large for content"
    return None


def content_files(content_dir: Path) -> list[Path]:
    """mechanisms.toml, the facts files, terms.toml and course.toml (the last two optional)."""
    return [
        content_dir / MECHANISMS_FILE,
        *facts_files(content_dir),
        content_dir / TERMS_FILE,
        content_dir / COURSE_FILE,
    ]


def content_digest(content_dir: Path) -> str:
    digest = hashlib.sha256()
    for path in content_files(content_dir):
        if path.exists() and _readable_problem(path) is None:
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        elif path.exists() or path.is_symlink():
            digest.update(path.name.encode() + b"\0unreadable\0")
    return digest.hexdigest()


class _Reader:
    """Collects problems while turning TOML tables into domain objects."""

    def __init__(self) -> None:
        self.problems: list[ContentProblem] = []

    def problem(self, file: str, entry: str, field: str, message: str) -> None:
        self.problems.append(ContentProblem(file, entry, field, message))

    def load_toml(self, path: Path, label: str) -> dict | None:
        if path.exists() and (problem := _readable_problem(path)):
            self.problem(label, "", "", f"{problem}; remove it or put the content file there")
            return None
        try:
            return tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            self.problem(label, "", "", "the file is missing")
        except OSError as error:
            self.problem(label, "", "", f"it cannot be read ({error.strerror})")
        except UnicodeDecodeError:
            self.problem(label, "", "", "the file is not UTF-8 text; save it again as UTF-8")
        except tomllib.TOMLDecodeError as error:
            self.problem(label, "", "", f"not valid TOML ({error})")
        return None

    def tables(self, data: dict, key: str, file: str) -> list[dict]:
        """The ``[[key]]`` tables of a file; a problem (and none) if they have another shape,
        such as ``[key]`` (one table) or ``key = "x"``."""
        value = data.get(key, [])
        if isinstance(value, list) and all(isinstance(v, dict) for v in value):
            return value
        self.problem(file, "", key, f"must be a list of [[{key}]] tables")
        return []

    def table(self, data: dict, key: str, file: str) -> dict:
        """The ``[key]`` table of a file ({} if absent); a problem if it is something else."""
        value = data.get(key, {})
        if isinstance(value, dict):
            return value
        self.problem(file, "", key, f"must be a [{key}] table")
        return {}

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

    def flag(self, table: dict, key: str, file: str, entry: str) -> bool:
        value = table.get(key, False)
        if not isinstance(value, bool):
            self.problem(file, entry, key, "must be true or false")
            return False
        return value

    def optional_text(self, table: dict, key: str, file: str, entry: str) -> str:
        value = table.get(key, "")
        if not isinstance(value, str):
            self.problem(file, entry, key, "must be text")
            return ""
        return value.strip()

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


def _steps(reader: _Reader, table: dict, label: str, entry: str) -> tuple[tuple, tuple]:
    """A chain's steps: each "text" (this guide's synthesis) or { text, facts = [...] }."""
    value = table.get("steps", [])
    texts: list[str] = []
    facts: list[tuple[str, ...]] = []
    if not isinstance(value, list):
        value = [value]
    for step in value:
        if isinstance(step, str) and step.strip():
            texts.append(step.strip())
            facts.append(())
        elif isinstance(step, dict) and isinstance(step.get("text"), str) and step["text"].strip():
            texts.append(step["text"].strip())
            facts.append(reader.strings(step, "facts", label, entry, required=False))
        else:
            reader.problem(
                label, entry, "steps", "each step is text, or { text = ..., facts = [...] }"
            )
    if not texts:
        reader.problem(label, entry, "steps", "must name at least one")
    elif len(texts) < 3:
        reader.problem(label, entry, "steps", "a causal chain needs at least three steps")
    return tuple(texts), tuple(facts)


def _mechanisms(reader: _Reader, content_dir: Path) -> list[tuple[str, Mechanism]]:
    label = MECHANISMS_FILE
    data = reader.load_toml(content_dir / MECHANISMS_FILE, label)
    if data is None:
        return []
    found = []
    for index, table in enumerate(reader.tables(data, "mechanism", label)):
        ident = reader.entry_id(table, label, index, "mechanism")
        entry = ident or f"mechanism #{index + 1}"
        reader.unknown_keys(table, _MECHANISM_KEYS, label, entry)
        steps, step_facts = _steps(reader, table, label, entry)
        wrong_steps = reader.strings(table, "wrong_steps", label, entry, required=False)
        for wrong in wrong_steps:
            if wrong in steps:
                reader.problem(label, entry, "wrong_steps", f"{wrong!r} is a step of the chain")
        mechanism = Mechanism(
            id=ident,
            title=reader.text(table, "title", label, entry),
            summary=reader.text(table, "summary", label, entry),
            steps=steps,
            related=reader.strings(table, "related", label, entry, required=False),
            key_facts=reader.strings(table, "key_facts", label, entry, required=False),
            step_facts=step_facts if any(step_facts) else (),
            ordered=reader.flag(table, "ordered", label, entry),
            quiz_order=reader.flag(table, "quiz_order", label, entry),
            hypothesis=reader.flag(table, "hypothesis", label, entry),
            wrong_steps=wrong_steps,
        )
        if mechanism.quiz_order and not mechanism.ordered:
            reader.problem(label, entry, "quiz_order", "only a chain whose order is given")
        if ident:
            found.append((label, mechanism))
    return found


def _terms(reader: _Reader, content_dir: Path) -> Terms:
    path = content_dir / TERMS_FILE
    if not path.exists():
        return Terms()
    data = reader.load_toml(path, TERMS_FILE) or {}
    types: dict[str, tuple[str, ...]] = {}
    for name, members in reader.table(data, "types", TERMS_FILE).items():
        if not isinstance(members, list) or not all(isinstance(m, str) and m for m in members):
            reader.problem(TERMS_FILE, name, "types", "must be a list of non-empty strings")
            continue
        types[name] = tuple(members)
    synonyms: list[tuple[str, ...]] = []
    groups = reader.table(data, "synonyms", TERMS_FILE).get("groups", [])
    if not isinstance(groups, list):
        reader.problem(TERMS_FILE, "", "synonyms", "groups must be a list of lists")
        groups = []
    for group in groups:
        if not (
            isinstance(group, list)
            and len(group) >= 2
            and all(isinstance(g, str) and g for g in group)
        ):
            reader.problem(TERMS_FILE, "", "synonyms", f"{group!r} is not a group of two or more")
            continue
        synonyms.append(tuple(group))
    return Terms(types, tuple(synonyms))


def _course(reader: _Reader, content_dir: Path) -> tuple[CourseUnit, ...]:
    path = content_dir / COURSE_FILE
    if not path.exists():
        return ()
    data = reader.load_toml(path, COURSE_FILE) or {}
    units = []
    for index, table in enumerate(reader.tables(data, "unit", COURSE_FILE)):
        mechanism_id = table.get("mechanism")
        entry = mechanism_id if isinstance(mechanism_id, str) else f"unit #{index + 1}"
        reader.unknown_keys(table, {"mechanism", "first", "why"}, COURSE_FILE, entry)
        if not isinstance(mechanism_id, str) or not mechanism_id:
            reader.problem(COURSE_FILE, entry, "mechanism", "is missing")
            continue
        first = reader.strings(table, "first", COURSE_FILE, entry, required=False)
        units.append(CourseUnit(mechanism_id, first))
    return tuple(units)


_CHOICES = re.compile(r"\{([^{}]*)\}")


def expand_choices(pattern: str) -> list[str]:
    """Every wording an accepted answer's pattern stands for: "{brief|short-term} {mood
    boost|mood lift}" is four wordings; an empty choice ("{|brief} boost") leaves its word out."""
    match = _CHOICES.search(pattern)
    if not match:
        return [" ".join(pattern.split())]
    head, tail = pattern[: match.start()], pattern[match.end() :]
    return [
        wording
        for choice in match.group(1).split("|")
        for wording in expand_choices(head + choice + tail)
    ]


def _answer_rules(reader: _Reader, table: dict, label: str, entry: str) -> tuple[tuple, tuple]:
    """A fact's answers: each "text", or { text, accept, cue, distractors, choice }."""
    value = table.get("answers", [])
    texts: list[str] = []
    rules: list[AnswerRule] = []
    if not isinstance(value, list):
        reader.problem(label, entry, "answers", "must be a list")
        return (), ()
    for answer in value:
        if isinstance(answer, str) and answer:
            texts.append(answer)
        elif isinstance(answer, dict) and isinstance(answer.get("text"), str) and answer["text"]:
            reader.unknown_keys(answer, _ANSWER_KEYS, label, entry)
            patterns = reader.strings(answer, "accept", label, entry, required=False)
            for pattern in patterns:
                if pattern.count("{") != pattern.count("}") or re.search(r"\{[^}]*\{", pattern):
                    reader.problem(
                        label, entry, "answers", f"{pattern!r}: each {{choice|choice}} must close"
                    )
            rule = AnswerRule(
                text=answer["text"],
                accept=tuple(wording for p in patterns for wording in expand_choices(p)),
                cue=reader.optional_text(answer, "cue", label, entry),
                distractors=reader.strings(answer, "distractors", label, entry, required=False),
                choice=answer.get("choice", True) is not False,
            )
            texts.append(rule.text)
            rules.append(rule)
        else:
            reader.problem(
                label, entry, "answers", "each answer is text, or { text = ..., accept = [...] }"
            )
    return tuple(texts), tuple(rules)


def _also(reader: _Reader, table: dict, label: str, entry: str) -> tuple[Citation, ...]:
    value = table.get("also", [])
    citations = []
    for other in value if isinstance(value, list) else [value]:
        if (
            isinstance(other, dict)
            and isinstance(other.get("source"), str)
            and isinstance(other.get("quote"), str)
            and other["quote"].strip()
        ):
            citations.append(Citation(other["source"], other["quote"].strip()))
        else:
            reader.problem(label, entry, "also", 'each is { source = "...", quote = "..." }')
    return tuple(citations)


def _quote(reader: _Reader, table: dict, label: str, entry: str) -> tuple[str, tuple[str, ...]]:
    """The quote: one string, or a list (a lead-in and the list items that follow it)."""
    value = table.get("quote")
    if isinstance(value, list) and value and all(isinstance(v, str) and v for v in value):
        return value[0].strip(), tuple(v.strip() for v in value[1:])
    return reader.text(table, "quote", label, entry), ()


def _facts(reader: _Reader, content_dir: Path) -> list[tuple[str, Fact]]:
    found = []
    for path in facts_files(content_dir):
        label = f"{FACTS_DIR}/{path.name}"
        data = reader.load_toml(path, label)
        if data is None:
            continue
        source_id = data.get("source")
        if not isinstance(source_id, str) or not source_id:
            reader.problem(label, "", "source", "the file must say which source its facts quote")
            source_id = ""
        for index, table in enumerate(reader.tables(data, "fact", label)):
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
            importance_value = table.get("importance", Importance.KEY.value)
            try:
                importance = Importance(importance_value)
            except ValueError:
                reader.problem(
                    label, entry, "importance", f"{importance_value!r} is not key or detail"
                )
                importance = Importance.KEY
            answers, rules = _answer_rules(reader, table, label, entry)
            quote, quote_more = _quote(reader, table, label, entry)
            fact = Fact(
                id=ident,
                statement=reader.text(table, "statement", label, entry),
                answers=answers,
                source_id=source_id,
                quote=quote,
                evidence=evidence,
                mechanism_ids=reader.strings(table, "mechanisms", label, entry, required=True),
                importance=importance,
                answer_rules=rules,
                false_statement=reader.optional_text(table, "false_statement", label, entry),
                quote_more=quote_more,
                also=_also(reader, table, label, entry),
                replaces=reader.strings(table, "replaces", label, entry, required=False),
                defines=reader.strings(table, "defines", label, entry, required=False),
                evidence_prompt=reader.optional_text(table, "evidence_prompt", label, entry),
            )
            if fact.false_statement and fact.false_statement == fact.statement:
                reader.problem(label, entry, "false_statement", "is the statement itself")
            if fact.evidence_prompt:
                problem = evidence_prompt_problem(fact)
                if problem:
                    reader.problem(label, entry, "evidence_prompt", problem)
            if ident:
                found.append((label, fact))
    return found


# The kinds of evidence a learner is asked to tell apart, and words that would name them.
ASKED_EVIDENCE = (
    Evidence.ANIMAL,
    Evidence.HUMAN_TRIAL,
    Evidence.GENETIC,
    Evidence.OBSERVATIONAL,
    Evidence.HYPOTHESIS,
)
_EVIDENCE_WORDS = re.compile(
    r"\b(mice|mouse|rats?|rodents?|animals?|trials?|randomi[sz]ed|meta-analys[ie]s|cochrane"
    r"|genes?|genetic|mendelian|observational|cohort|hypothes[ie]s|propos\w*|framework)\b",
    re.IGNORECASE,
)


def evidence_prompt_problem(fact: Fact) -> str:
    """Why the fact cannot ask for its kind of evidence, or "" if it can."""
    if fact.evidence not in ASKED_EVIDENCE:
        kinds = ", ".join(e.value for e in ASKED_EVIDENCE)
        return f"only a fact whose evidence is {kinds} is asked for it"
    telltale = _EVIDENCE_WORDS.search(fact.evidence_prompt)
    if telltale:
        return f"{telltale.group(0)!r} gives the kind of evidence away"
    return ""


def locate_quote(source: Source, quote: str) -> tuple[Passage, int | None] | None:
    """The passage holding ``quote`` verbatim, and the video second first cited at or after it."""
    for passage in source.passages:
        start = passage.text.find(quote)
        if start != -1:
            cited = [t.seconds for t in passage.timestamps if t.offset >= start]
            return passage, (cited[0] if cited else None)
    return None


def _link_quotes(reader: _Reader, file: str, fact: Fact, sources: dict[str, Source]) -> Fact | None:
    """The fact with its passage and timestamp found from its quote (and its other sources'
    quotes found likewise); None, with the problem reported, if a quote is not found."""
    source = sources.get(fact.source_id)
    if source is None:
        if fact.source_id:
            reader.problem(file, fact.id, "source", f"no source has the id {fact.source_id!r}")
        return None
    if not fact.quote:
        return None
    located = [locate_quote(source, part) for part in (fact.quote, *fact.quote_more)]
    if any(found is None for found in located):
        reader.problem(
            file, fact.id, "quote", f"not found word for word in the source {source.id!r}"
        )
        return None
    passage = located[0][0]
    timestamp = next((t for _, t in located if t is not None), None)
    also = []
    for citation in fact.also:
        other = sources.get(citation.source_id)
        found = locate_quote(other, citation.quote) if other else None
        if found is None:
            reader.problem(
                file,
                fact.id,
                "also",
                f"the quote is not found word for word in the source {citation.source_id!r}",
            )
            continue
        also.append(replace(citation, passage_id=found[0].id, timestamp=found[1]))
    return replace(fact, passage_id=passage.id, timestamp=timestamp, also=tuple(also))


def _check_fact(reader: _Reader, file: str, fact: Fact, mechanism_ids: set[str]) -> None:
    for answer in fact.answers:
        if answer not in fact.statement:
            message = f"{answer!r} does not occur in the statement"
            reader.problem(file, fact.id, "answers", message)
    for rule in fact.answer_rules:
        if rule.text in rule.distractors or set(rule.accept) & set(rule.distractors):
            message = f"a distractor of {rule.text!r} is also an accepted answer"
            reader.problem(file, fact.id, "answers", message)
    for mechanism_id in fact.mechanism_ids:
        if mechanism_id not in mechanism_ids:
            message = f"no mechanism has the id {mechanism_id!r}"
            reader.problem(file, fact.id, "mechanisms", message)


def _check_mechanism(
    reader: _Reader, file: str, mechanism: Mechanism, mechanism_ids: set[str], fact_ids: dict
) -> None:
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
    for step_facts in mechanism.step_facts:
        for fact_id in step_facts:
            if fact_id not in fact_ids:
                reader.problem(file, mechanism.id, "steps", f"no fact has the id {fact_id!r}")


def _check_course(
    reader: _Reader, course: tuple[CourseUnit, ...], mechanism_ids: set[str], fact_ids: dict
) -> None:
    seen: set[str] = set()
    for unit in course:
        if unit.mechanism_id not in mechanism_ids:
            message = f"no mechanism has the id {unit.mechanism_id!r}"
            reader.problem(COURSE_FILE, unit.mechanism_id, "mechanism", message)
        elif unit.mechanism_id in seen:
            reader.problem(COURSE_FILE, unit.mechanism_id, "mechanism", "is named twice")
        seen.add(unit.mechanism_id)
        for fact_id in unit.first:
            fact = fact_ids.get(fact_id)
            if fact is None or unit.mechanism_id not in fact.mechanism_ids:
                message = f"{fact_id!r} is not a fact of this mechanism"
                reader.problem(COURSE_FILE, unit.mechanism_id, "first", message)


def load_content(content_dir: Path, sources: dict[str, Source]) -> Content:
    """Read, validate and link the content; ContentError lists every problem found."""
    reader = _Reader()
    mechanisms = _mechanisms(reader, content_dir)
    facts = _facts(reader, content_dir)
    terms = _terms(reader, content_dir)
    course = _course(reader, content_dir)

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
        _check_fact(reader, file, fact, mechanism_ids)
        for old in fact.replaces:
            if old in fact_ids:
                reader.problem(file, fact.id, "replaces", f"{old!r} is still a fact of its own")
        found = _link_quotes(reader, file, fact, sources)
        if found is not None:
            linked.append(found)
    for file, mechanism in mechanisms:
        _check_mechanism(reader, file, mechanism, mechanism_ids, fact_ids)
    _check_course(reader, course, mechanism_ids, fact_ids)

    if reader.problems:
        raise ContentError(reader.problems)
    return Content(
        mechanisms=tuple(m for _, m in mechanisms),
        facts=tuple(linked),
        digest=content_digest(content_dir),
        terms=terms,
        course=course,
        source_titles={source_id: source.title for source_id, source in sources.items()},
    )
