"""Every quiz item as a learner meets it, as one Markdown document: for a tutor's read of the
whole set (`studyapp export --format review PATH`).

Items come in the course's order, unit by unit, each unit after the card that introduces
it. For each item: its form, the prompt and options of its first showing (options are
reshuffled at every showing), the answer and the answers also accepted, the false version
of a true/false item, and the feedback shown after answering: statement, quote and citation
with its evidence label.
"""

from __future__ import annotations

from collections import Counter

from sqlite_utils import Database

from studyapp.core.items import list_items
from studyapp.core.knowledge import get_fact, list_mechanisms
from studyapp.core.models import ItemKind, QuizItem
from studyapp.core.quizgen import present
from studyapp.core.review import citation, other_citation


def _form(item: QuizItem) -> str:
    if item.kind is ItemKind.CLOZE:
        return "multiple choice the first time, typed afterwards" if item.distractors else "typed"
    if item.kind is ItemKind.TRUE_FALSE:
        if item.false_statement:
            return "true or false: the statement or its false version, one per showing"
        return "true or false"
    return item.kind.label.lower()


def _lines(db: Database, number: int, item: QuizItem) -> list[str]:
    shown = present(item, True, 0)
    lines = [f"**{number}. `{item.id}`**", f"- Form: {_form(item)}"]
    lines.append("- Prompt: " + item.prompt.replace("\n", " / "))
    if shown.choices:
        options = " · ".join(f"{n}. {c}" for n, c in enumerate(shown.choices, 1))
        lines.append(f"- Options (first showing): {options}")
    if item.false_statement:
        lines.append(f"- False version: {item.false_statement}")
    answer = f"- Answer: **{item.answer}**"
    if item.accepted:
        answer += "; also accepted: " + ", ".join(item.accepted)
    lines.append(answer)
    fact = get_fact(db, item.fact_id) if item.fact_id else None
    if fact is not None:
        lines.append(f"- After answering: {item.explanation}")
        lines.append(f"- Quote: “{fact.shown_quote}”")
        lines.append(f"- Citation: {citation(db, fact)}")
        lines += [f"- Also: “{c.quote}” ({other_citation(db, c)})" for c in fact.also]
    return [*lines, ""]


def item_sheet(db: Database) -> str:
    items = list_items(db)
    cards = {m.id: m for m in list_mechanisms(db)}
    quizzed = [i for i in items if not i.detail]
    kinds = Counter(i.kind.label for i in quizzed)
    out = [
        "# Every quiz item as a learner meets it",
        "",
        f"{len(items)} items: {len(quizzed)} quizzed, {len(items) - len(quizzed)} details "
        "(quizzed only when the learner turns details on in Settings).",
        "",
        *(f"- {kind}: {count}" for kind, count in sorted(kinds.items())),
        "",
    ]
    number = 0
    for title, chosen in (("Quizzed items", quizzed), ("Details", [i for i in items if i.detail])):
        out += [f"## {title}", ""]
        unit = None
        for item in chosen:
            number += 1
            if item.unit != unit:
                unit = item.unit
                card = cards.get(unit)
                if card is not None:
                    summary = " ".join(card.summary.split())
                    out += [f"### {card.title}", "", f"*The card shown first:* {summary}", ""]
            out += _lines(db, number, item)
    return "\n".join(out)
