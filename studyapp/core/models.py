"""Value objects of the domain: frozen dataclasses with plain-dict round trips."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum


class SourceKind(StrEnum):
    """What sort of document a source is; decides how it was parsed and how it reads."""

    PAPER_ABSTRACT = "paper-abstract"  # a PubMed abstract page
    NEWS = "news"
    BLOG = "blog"
    WIKI = "wiki"  # Obsidian-style wiki page with front matter
    MARKDOWN = "markdown"  # fallback for anything with Markdown structure
    TEXT = "text"  # fallback for plain text

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    SourceKind.PAPER_ABSTRACT: "Journal abstract",
    SourceKind.NEWS: "News article",
    SourceKind.BLOG: "Blog post",
    SourceKind.WIKI: "Wiki page (podcast notes)",
    SourceKind.MARKDOWN: "Document",
    SourceKind.TEXT: "Text",
}


class PassageKind(StrEnum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list-item"
    CALLOUT = "callout"  # Obsidian callout or block quote
    REFERENCE = "reference"  # an entry of a reference list


def format_seconds(seconds: int) -> str:
    """ "12:43", or "1:02:03" past the hour."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@dataclass(frozen=True)
class Timestamp:
    """A moment in the source's video, cited at ``offset`` characters into the passage text."""

    seconds: int
    offset: int

    @property
    def label(self) -> str:
        return format_seconds(self.seconds)


@dataclass(frozen=True)
class Passage:
    """One addressable block of a source: a heading, paragraph, list item, callout or reference.

    ``markdown`` is the block's inline Markdown (plus ``[[target|label]]`` wiki links and
    ``{t=SECONDS}`` timestamp marks) and is what the viewer renders; ``text`` is the same words
    as plain text, which quotes, search and highlighting use.
    """

    id: str
    source_id: str
    ordinal: int
    kind: PassageKind
    markdown: str
    text: str
    level: int = 0  # heading level (1-6) or list depth (0 = top level)
    section: str = ""  # the headings above this passage, joined with " › "
    label: str = ""  # a callout's title ("Disclaimer"), a reference's number
    callout: str = ""  # a callout's type ("caution", "note", ...)
    timestamps: tuple[Timestamp, ...] = ()

    def to_row(self) -> dict:
        return {
            "id": self.id,
            "source_id": self.source_id,
            "ordinal": self.ordinal,
            "kind": str(self.kind),
            "markdown": self.markdown,
            "text": self.text,
            "level": self.level,
            "section": self.section,
            "label": self.label,
            "callout": self.callout,
            "timestamps": json.dumps([[t.seconds, t.offset] for t in self.timestamps]),
        }

    @classmethod
    def from_row(cls, row: dict) -> Passage:
        return cls(
            id=row["id"],
            source_id=row["source_id"],
            ordinal=row["ordinal"],
            kind=PassageKind(row["kind"]),
            markdown=row["markdown"],
            text=row["text"],
            level=row["level"],
            section=row["section"],
            label=row["label"],
            callout=row["callout"],
            timestamps=(
                tuple(Timestamp(s, o) for s, o in json.loads(row["timestamps"]))
                if row["timestamps"] != "[]"
                else ()
            ),
        )


@dataclass(frozen=True)
class Source:
    """A parsed source document and its passages, in reading order."""

    id: str
    title: str
    kind: SourceKind
    authors: tuple[str, ...] = ()
    outlet: str = ""  # journal, newspaper, site or podcast
    date: str = ""  # ISO date when the source gives a full date, else as printed ("Jan 13")
    doi: str = ""
    url: str = ""
    video_id: str = ""  # YouTube id of the talk a wiki page transcribes
    keywords: tuple[str, ...] = ()
    passages: tuple[Passage, ...] = field(default=(), repr=False)

    @property
    def video_url(self) -> str:
        return f"https://www.youtube.com/watch?v={self.video_id}" if self.video_id else ""

    @property
    def text(self) -> str:
        """The cleaned text of the whole source, passage by passage."""
        return "\n\n".join(p.text for p in self.passages)

    @property
    def byline(self) -> str:
        """Authors and outlet as one line: "Jie Xia et al. · Proc Natl Acad Sci U S A"."""
        return " · ".join(part for part in (", ".join(self.authors), self.outlet) if part)

    def to_row(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "kind": str(self.kind),
            "authors": json.dumps(list(self.authors)),
            "outlet": self.outlet,
            "date": self.date,
            "doi": self.doi,
            "url": self.url,
            "video_id": self.video_id,
            "keywords": json.dumps(list(self.keywords)),
        }

    @classmethod
    def from_row(cls, row: dict, passages: tuple[Passage, ...] = ()) -> Source:
        return cls(
            id=row["id"],
            title=row["title"],
            kind=SourceKind(row["kind"]),
            authors=tuple(json.loads(row["authors"])),
            outlet=row["outlet"],
            date=row["date"],
            doi=row["doi"],
            url=row["url"],
            video_id=row["video_id"],
            keywords=tuple(json.loads(row["keywords"])),
            passages=passages,
        )


class Evidence(StrEnum):
    """What kind of evidence backs a fact: a mouse study is not a meta-analysis."""

    ANIMAL = "animal"
    HUMAN_TRIAL = "human-trial"
    GENETIC = "genetic"
    OBSERVATIONAL = "observational"
    REVIEW = "review"
    HYPOTHESIS = "hypothesis"  # proposed by its authors, not yet tested
    PRESS = "press"

    @property
    def label(self) -> str:
        return _EVIDENCE_LABELS[self]


_EVIDENCE_LABELS = {
    Evidence.ANIMAL: "Animal study",
    Evidence.HUMAN_TRIAL: "Human trial (RCT or meta-analysis of RCTs)",
    Evidence.GENETIC: "Genetic (Mendelian randomization)",
    Evidence.OBSERVATIONAL: "Observational",
    Evidence.REVIEW: "Expert review",
    Evidence.HYPOTHESIS: "Hypothesis, not yet tested",
    Evidence.PRESS: "Popular-press claim",
}


class Importance(StrEnum):
    """Whether a fact is quizzed: key findings are; details (citation data, asides) stay on
    the cards and in search, and are quizzed only when the learner asks for them."""

    KEY = "key"
    DETAIL = "detail"


@dataclass(frozen=True)
class AnswerRule:
    """How one blankable answer of a fact is asked and graded.

    ``accept``: other wordings that are just as right (synonyms, spellings, abbreviations).
    ``cue``: a hint shown with the blank where the sentence alone allows other answers.
    ``distractors``: wrong options for the recognition form, chosen by the author; without
    them the answer's type in terms.toml supplies candidates, checked by the generator.
    ``choice``: False when no safe multiple choice exists for this blank.
    """

    text: str
    accept: tuple[str, ...] = ()
    cue: str = ""
    distractors: tuple[str, ...] = ()
    choice: bool = True


@dataclass(frozen=True)
class Citation:
    """The same claim in another source: its exact words there."""

    source_id: str
    quote: str
    passage_id: str = ""
    timestamp: int | None = None


@dataclass(frozen=True)
class Fact:
    """One checkable claim, tied to the exact words of its source.

    ``passage_id`` and ``timestamp`` are not written by hand: the ingest finds the passage
    that contains ``quote`` and the first video timestamp cited at or after the quote.
    ``quote_more`` continues the quote in later passages (the items of a list after its
    lead-in); ``also`` cites the same claim in other sources.
    """

    id: str
    statement: str
    answers: tuple[str, ...]  # spans of the statement a quiz may ask for
    source_id: str
    quote: str  # verbatim from the source's cleaned text
    evidence: Evidence
    mechanism_ids: tuple[str, ...]
    passage_id: str = ""
    timestamp: int | None = None  # seconds into the source's video
    importance: Importance = Importance.KEY
    answer_rules: tuple[AnswerRule, ...] = ()  # for answers that need more than their text
    false_statement: str = ""  # a plausible misconception the sources contradict
    quote_more: tuple[str, ...] = ()
    also: tuple[Citation, ...] = ()
    replaces: tuple[str, ...] = ()  # ids of facts merged into this one
    defines: tuple[str, ...] = ()  # terms this fact defines (taught before items using them)
    # The finding in words that do not give its evidence away: the quiz asks what kind of
    # evidence stands behind it (a mouse study, a trial, a genetic study...).
    evidence_prompt: str = ""

    def rule(self, answer: str) -> AnswerRule:
        """The answer's rule, or a plain one if the content gives none."""
        return next((r for r in self.answer_rules if r.text == answer), AnswerRule(answer))

    @property
    def shown_quote(self) -> str:
        """The quote as a learner reads it: a lead-in and its list items joined by " … "."""
        return " … ".join((self.quote, *self.quote_more))

    @property
    def source_count(self) -> int:
        return 1 + len({c.source_id for c in self.also} - {self.source_id})


@dataclass(frozen=True)
class Mechanism:
    """A mechanism card: how exercise gets from movement to mood along one pathway.

    ``step_facts`` names, for each step, the facts that state it; a step with none is this
    guide's synthesis and is labelled so. ``ordered`` says the sources give the chain's order
    (the diagram shows it as a sequence); ``quiz_order`` says the order is also worth asking,
    because a learner could not work it out from the steps themselves: only then are order and
    missing-step items asked. ``wrong_steps`` are plausible wrong steps on the card's own
    topic, the missing-step items' distractors. ``hypothesis`` marks a chain its sources
    propose but have not tested.
    """

    id: str
    title: str
    summary: str
    steps: tuple[str, ...]  # the causal chain, Exercise -> ... -> mood
    related: tuple[str, ...] = ()  # ids of related cards
    key_facts: tuple[str, ...] = ()  # facts to show first on the card
    step_facts: tuple[tuple[str, ...], ...] = ()
    ordered: bool = False
    hypothesis: bool = False
    quiz_order: bool = False
    wrong_steps: tuple[str, ...] = ()

    def facts_of_step(self, index: int) -> tuple[str, ...]:
        return self.step_facts[index] if index < len(self.step_facts) else ()


class ItemKind(StrEnum):
    CLOZE = "cloze"  # type the blanked words
    CHOICE = "choice"  # pick one of four
    TRUE_FALSE = "true-false"
    ORDER = "order"  # put a causal chain's steps in order
    MISSING_STEP = "missing-step"  # pick the step missing from a causal chain

    @property
    def label(self) -> str:
        return _ITEM_KIND_LABELS[self]


_ITEM_KIND_LABELS = {
    ItemKind.CLOZE: "Fill in the blank",
    ItemKind.CHOICE: "Multiple choice",
    ItemKind.TRUE_FALSE: "True or false",
    ItemKind.ORDER: "Order the chain",
    ItemKind.MISSING_STEP: "Missing step",
}


@dataclass(frozen=True)
class QuizItem:
    """One memory to schedule, generated from a fact or a mechanism's causal chain.

    ``answer`` is what counts as right: the blanked words, the right option, "True" or
    "False", or for an order item the steps joined by " → ". ``explanation`` is shown after
    answering (for a false statement: the true one and what was swapped).

    A stored item is shown in a form chosen at each showing (quizgen.present): a cloze is
    shown as multiple choice (from ``distractors``) the first time, typed afterwards; a
    true/false item shows its statement or its ``false_statement``; options and steps are
    shuffled anew. ``sibling_group`` is shared by the items of one fact or one chain, which
    never meet on the same day.
    """

    id: str
    kind: ItemKind
    prompt: str
    answer: str
    choices: tuple[str, ...] = ()
    fact_id: str = ""
    mechanism_ids: tuple[str, ...] = ()  # the decks it belongs to
    explanation: str = ""
    steps: tuple[str, ...] = ()  # order items: the steps to order, in their right order
    accepted: tuple[str, ...] = ()  # other right answers to a typed blank
    distractors: tuple[str, ...] = ()  # wrong options for a recognition form
    false_statement: str = ""
    sibling_group: str = ""
    unit: str = ""  # the course unit (a mechanism id) that introduces it
    detail: bool = False  # from a detail fact: quizzed only when the learner asks
    supersedes: tuple[str, ...] = ()  # older item ids whose schedule it continues
