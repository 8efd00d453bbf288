"""The answer text of the extractive engine, from the sentences kept for each part.

One part reads as before: the value asked first (« 12 juillet 2023 — … »), then the sentences,
each followed by its `[n]`; the newest source first for the present, with an older differing
figure and its date, and a warning when the lead document contradicts itself. Several parts, or a
comparison of territories, get one line each, a part the documents do not cover said so. Plain
text: the chat escapes every answer, so no markup of ours could be told from a source's.
"""

from __future__ import annotations

import re

from assistant.answer_kinds import value_span
from assistant.core.dates import french_date
from assistant.engines.units import (
    DOCUMENTS_LISTED,
    VALUE_PART_UNITS,
    PartAnswer,
    Unit,
    answers,
    quotable,
    select,
)
from assistant.engines.windows import explains, widen_all
from assistant.passages import Citation, CitationNumbers, Draft, Passage
from assistant.question import counts_in
from assistant.understanding import Part, Understanding

MAX_UNITS = {"elu": 2, "coordinateur": 4, "ars": 4}
LATEST = re.compile(r"\b(?:le|la) plus r[ée]cente?\b|\b(?:le|la) derni(?:er|ère)\b", re.IGNORECASE)
DEFAULT_MAX_UNITS = 3


def _older_differing_figure(lead: Unit, units: list[Unit]) -> Unit | None:
    """A sentence of an older document that states another figure about the same thing."""
    lead_counts = counts_in(lead.quote)
    if not lead_counts or not lead.passage.date:
        return None
    for unit in sorted(units, key=lambda u: u.score, reverse=True):
        older = unit.passage.date and unit.passage.date < lead.passage.date
        if not older or unit.passage.doc_id == lead.passage.doc_id:
            continue
        if unit.coverage < 0.6 * lead.coverage:
            continue
        counts = counts_in(unit.quote) - {float(unit.passage.date[:4])}
        if counts and not counts & lead_counts:
            return unit
    return None


def _contradiction_within(lead: Unit, units: list[Unit]) -> Unit | None:
    """Another sentence of the lead's own document about the same thing with another year
    (« ouvrira en 2027 » … « est désormais prévue en 2028 »)."""
    lead_years = _years(lead.quote)
    if not lead_years:
        return None
    lead_terms = {t for t in lead.terms if not t.isdigit()}
    for unit in units:
        if unit.passage.doc_id != lead.passage.doc_id or unit.quote in lead.quote or lead.quote in unit.quote:
            continue
        years = _years(unit.quote)
        if not years or years & lead_years:
            continue
        shared = lead_terms & unit.terms
        if len(shared) >= 3 and len(shared) >= 0.4 * min(len(lead_terms), len(unit.terms)):
            return unit
    return None


def _years(text: str) -> set[str]:
    return set(re.findall(r"\b(?:19|20)\d{2}\b", text))


class _Citations(CitationNumbers):
    """Citations numbered in order of first use, one per quoted unit."""

    def cite(self, unit: Unit) -> int:
        return self.number((unit.passage.id, unit.start, unit.end),
                           lambda n: Citation.from_passage(n, unit.passage, unit.quote))


def compose(understanding: Understanding, answers: list[PartAnswer], audience: str = "") -> Draft:
    """The answer text: one part as flowing quotes, several parts (or territories) one by one."""
    if not any(a.covered for a in answers):
        return Draft("")
    if len(answers) == 1:
        return _single(answers[0], audience)
    citations = _Citations()
    blocks = []
    for answer in answers:
        heading = answer.label or part_label(answer.part, understanding)
        heading += " " if heading.endswith("?") else " : "
        if not answer.covered:
            blocks.append(f"{heading}les documents ne le précisent pas ({answer.missing}).")
            continue
        lead = _direct_value(answer)
        quotes = " ".join(f"{unit.shown} [{citations.cite(unit)}]" for unit in answer.units)
        blocks.append(f"{heading}{lead}{quotes}")
    prefix = "- " if audience == "coordinateur" or any(a.label for a in answers) else ""
    separator = "\n\n" if any("\n" in b for b in blocks) else "\n"
    return Draft(separator.join(prefix + b for b in blocks), citations.citations)


def _single(answer: PartAnswer, audience: str) -> Draft:
    """One part: the value first, then its sentences, as the answer has always read."""
    part = answer.part
    limit = VALUE_PART_UNITS + 1 if part.kind else MAX_UNITS.get(audience, DEFAULT_MAX_UNITS)
    if part.wants_documents:
        limit = DOCUMENTS_LISTED
    answering = [u for u in answer.all_units if u.states_kind]
    relevant = quotable(part, answering, [u for u in answering if answers(part, u)])
    # « Le plus récent de Bretagne ? » compares documents: one sentence each, the newest first.
    latest = bool(LATEST.search(part.text))
    chosen = select(relevant or answer.units, limit, part.wants_documents or latest)
    if explains(part):
        chosen = widen_all(chosen, answer.all_units)
    question = answer.part.profile
    if question.wants_current or latest:
        chosen.sort(key=lambda u: u.passage.date, reverse=True)
    units = answer.all_units
    older = _older_differing_figure(chosen[0], units) if question.wants_number or question.wants_current else None
    contradiction = _contradiction_within(chosen[0], units)
    citations = _Citations()
    parts: list[str] = []
    several_documents = len({unit.passage.doc_id for unit in chosen}) > 1
    for unit in chosen:
        prefix = "- " if (audience == "coordinateur" or several_documents) and len(chosen) > 1 else ""
        if audience == "ars":
            prefix = f"{unit.passage.metadata.get('title', unit.passage.file)} : "
        elif several_documents:
            prefix += f"{_document_label(unit.passage)} : "
        parts.append(f"{prefix}{unit.shown} [{citations.cite(unit)}]")
    lead = _direct_value(PartAnswer(answer.part, chosen, True))
    if lead:
        parts[0] = lead + parts[0]
    if older:
        when = french_date(older.passage.date)
        parts.append(f"Une source plus ancienne ({when}) indiquait : « {older.shown} » [{citations.cite(older)}]")
    if contradiction in chosen:
        parts.append(
            f"Attention : les passages [1] et [{chosen.index(contradiction) + 1}] du même document "
            "se contredisent."
        )
    elif contradiction:
        parts.append(
            f"Attention, le même document indique aussi : « {contradiction.shown} » "
            f"[{citations.cite(contradiction)}] — ces deux informations se contredisent."
        )
    separator = "\n\n" if any("\n" in part for part in parts) or audience == "coordinateur" else " "
    if several_documents and separator == " ":
        separator = "\n"
    return Draft(separator.join(parts), citations.citations)


def _document_label(passage: Passage) -> str:
    """Who a sentence speaks for, in a list drawn from several documents."""
    meta = passage.metadata
    return meta.get("territory") or meta.get("title") or passage.file


def _direct_value(answer: PartAnswer) -> str:
    """« 35 000 euros — » before the sentence that states it (a verbatim span of it). Plain
    text: the chat escapes every answer, so no markup of ours could be told from a source's."""
    if not answer.units:
        return ""
    value = value_span(answer.part.kind, answer.units[0].quote)
    return f"{value} — " if value else ""


def part_label(part: Part, understanding: Understanding) -> str:
    text = part.text[len(understanding.topic) :].strip(" ,;:") if understanding.topic else part.text
    text = re.sub(r"^(?:et|puis|mais|ou)\s+", "", text, flags=re.IGNORECASE)
    return (text[:1].upper() + text[1:]).rstrip(" ?") + " ?"
