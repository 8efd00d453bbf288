"""The offline answer engine: it answers with the sources' own sentences, each cited.

It scores every sentence of the retrieved passages against the question (weighted term overlap,
the heading and title it sits under, what kind of answer the question wants), keeps the best few,
takes a list along with the sentence that announces it, and puts the newest source first when the
question is about the present, quoting an older differing figure with its date. A passage that
gives orders to an AI model (engines/injection.py) is never quoted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from assistant.dates import french_date
from assistant.engines.injection import trusted
from assistant.french import expanded_terms
from assistant.passages import Citation, Draft, Passage
from assistant.question import QuestionProfile, counts_in, profile
from assistant.sentences import Sentence, split_sentences

MAX_UNITS = {"elu": 2, "coordinateur": 4, "ars": 4}
DEFAULT_MAX_UNITS = 3
RELATIVE_FLOOR = 0.6
ABSOLUTE_FLOOR = 0.3
MAX_LIST_ITEMS = 12
SAME_DOCUMENT_PENALTY = 0.1
"""Each further sentence from an already quoted document scores this much less: answers about
several territories should quote several documents."""
DEFINES = re.compile(r"\b(?:est|sont) (?:un|une|des|le|la|les) (?:outil|dispositif|contrat|démarche)|\bdésigne\b|\bse définit\b")


@dataclass
class Unit:
    """A sentence, or a sentence with the list it announces, scored for the question."""

    passage: Passage
    rank: int
    start: int
    end: int
    score: float
    coverage: float
    terms: frozenset[str]

    @property
    def quote(self) -> str:
        return self.passage.text[self.start : self.end]


class ExtractiveEngine:
    name = "extractive"

    def __init__(self, idf: Callable[[str], float] | None = None) -> None:
        self._idf = idf or (lambda term: 1.0)

    def stream(self, question: str, passages: list[Passage], audience: str = "") -> Iterator[str]:
        text = self.draft(question, passages, audience).text
        for piece in text.split(" "):
            yield piece + " "

    def draft(self, question: str, passages: list[Passage], audience: str = "") -> Draft:
        return self.draft_for(profile(question), passages, audience)

    def finish(self, question: str, passages: list[Passage], audience: str = "") -> Draft:
        return self.draft(question, passages, audience)  # deterministic and cheap: no state kept

    def draft_for(self, question: QuestionProfile, passages: list[Passage], audience: str = "") -> Draft:
        units = self.score_units(question, passages)
        chosen = _select(units, MAX_UNITS.get(audience, DEFAULT_MAX_UNITS))
        if not chosen:
            return Draft("")
        if question.wants_current:
            chosen.sort(key=lambda u: u.passage.date, reverse=True)
        older = _older_differing_figure(chosen[0], units) if question.wants_number or question.wants_current else None
        contradiction = _contradiction_within(chosen[0], units)
        return _compose(chosen, older, contradiction, audience)

    def score_units(self, question: QuestionProfile, passages: list[Passage]) -> list[Unit]:
        """Every sentence of the passages, scored; passages addressing an AI model are left out
        (engines/injection.py), so they are neither quoted nor counted as support."""
        passages = trusted(passages)
        weights = {term: self._idf(term) for term in question.terms}
        total = sum(weights.values()) or 1.0
        units = []
        for rank, passage in enumerate(passages):
            context = expanded_terms(f"{passage.metadata.get('title', '')} {passage.metadata.get('section', '')}")
            sentences = split_sentences(passage.text)
            for i, sentence in enumerate(sentences):
                if sentence.is_heading:
                    continue
                end = _list_end(sentences, i)
                found = expanded_terms(passage.text[sentence.start : end])
                matched = sum(w for t, w in weights.items() if t in found)
                matched += 0.5 * sum(w for t, w in weights.items() if t not in found and t in context)
                coverage = matched / total
                score = coverage + _answer_type_bonus(question, sentence) + 0.05 / (rank + 1)
                units.append(Unit(passage, rank, sentence.start, end, score, coverage, frozenset(found)))
        return units


def _list_end(sentences: list[Sentence], i: int) -> int:
    """End of the list a sentence announces (it ends with ':' or is followed by items), or of
    the sentence itself."""
    sentence = sentences[i]
    announces = sentence.text.rstrip(" -–").endswith(":")
    followed_by_items = i + 1 < len(sentences) and sentences[i + 1].is_item
    if sentence.is_item or not (announces or followed_by_items):
        return sentence.end
    end = sentence.end
    for following in sentences[i + 1 : i + 1 + MAX_LIST_ITEMS]:
        if not following.is_item:
            break
        end = following.end
    return end


def _answer_type_bonus(question: QuestionProfile, sentence: Sentence) -> float:
    bonus = 0.0
    counts = counts_in(sentence.text)
    if question.wants_number and counts - {float(y) for y in question.years}:
        bonus += 0.15
    if question.wants_date and any(1900 <= c <= 2100 for c in counts):
        bonus += 0.1
    if question.years and any(year in sentence.text for year in question.years):
        bonus += 0.2
    if question.wants_definition and DEFINES.search(sentence.text):
        bonus += 0.2
    words = len(sentence.text.split())
    if words < 4:
        bonus -= 0.2
    return bonus


def _select(units: list[Unit], limit: int) -> list[Unit]:
    ranked = sorted(units, key=lambda u: u.score, reverse=True)
    if not ranked:
        return []
    floor = max(RELATIVE_FLOOR * ranked[0].score, ABSOLUTE_FLOOR)
    chosen: list[Unit] = []
    candidates = [u for u in ranked if u.score >= floor]
    while candidates and len(chosen) < limit:
        def adjusted(unit: Unit) -> float:
            same_doc = sum(other.passage.doc_id == unit.passage.doc_id for other in chosen)
            return unit.score - SAME_DOCUMENT_PENALTY * same_doc

        best = max(candidates, key=adjusted)
        candidates.remove(best)
        if not any(_same_content(best, other) for other in chosen):
            chosen.append(best)
    return chosen


def _same_content(a: Unit, b: Unit) -> bool:
    """Overlapping chunks repeat sentences; a list unit also contains its own items."""
    if a.quote in b.quote or b.quote in a.quote:
        return True
    union = a.terms | b.terms
    return bool(union) and len(a.terms & b.terms) / len(union) > 0.7


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


def _compose(chosen: list[Unit], older: Unit | None, contradiction: Unit | None, audience: str) -> Draft:
    citations: list[Citation] = []
    parts: list[str] = []
    for unit in chosen:
        citations.append(Citation.from_passage(len(citations) + 1, unit.passage, unit.quote))
        prefix = "- " if audience == "coordinateur" and len(chosen) > 1 else ""
        if audience == "ars":
            prefix = f"{unit.passage.metadata.get('title', unit.passage.file)} : "
        parts.append(f"{prefix}{unit.quote} [{len(citations)}]")
    if older:
        citations.append(Citation.from_passage(len(citations) + 1, older.passage, older.quote))
        when = french_date(older.passage.date)
        parts.append(f"Une source plus ancienne ({when}) indiquait : « {older.quote} » [{len(citations)}]")
    if contradiction in chosen:
        parts.append(
            f"Attention : les passages [1] et [{chosen.index(contradiction) + 1}] du même document "
            "se contredisent."
        )
    elif contradiction:
        citations.append(Citation.from_passage(len(citations) + 1, contradiction.passage, contradiction.quote))
        parts.append(
            f"Attention, le même document indique aussi : « {contradiction.quote} » [{len(citations)}] "
            "— ces deux informations se contredisent."
        )
    separator = "\n\n" if any("\n" in part for part in parts) or audience == "coordinateur" else " "
    return Draft(separator.join(parts), citations)
