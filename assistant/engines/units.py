"""What a quoted sentence is worth for one part of a question, and which ones an answer keeps.

A part is answered when one of its sentences states the value asked and holds enough of the
part's words, or fewer words but clearly the closest meaning (the thresholds below were set on
half of the development questions and checked on the other half, README « Answers »). Once it is,
the answer quotes the best scored sentences, several documents before a second sentence of one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.passages import Passage
from assistant.understanding import Part

VALUE_PART_UNITS = 2
"""A part asking for one value (a date, a figure) is answered by its best sentence…"""
PART_UNITS = 2
"""…another part of a several-part question by at most this many."""
RELATIVE_FLOOR = 0.6
ABSOLUTE_FLOOR = 0.3
DOCUMENTS_LISTED = 6
"""« Quels CLS ont… ? » is answered by one sentence of each of at most this many documents."""
SAME_DOCUMENT_PENALTY = 0.1
"""Each further sentence from an already quoted document scores this much less."""
MIN_COVERAGE = 0.4
"""Share of a part's weighted words its best sentence must hold to answer it…"""
MEANING_COVERAGE = 0.2
"""…or this share, when its meaning stands out among the sentences considered."""
MEANING_MARGIN = 1.0
"""How far above the typical sentence (in spreads, see _meaning) « stands out » is."""
MEANING_ALONE = 2.0
"""A sentence this far above the others answers by its meaning alone (« qui représentait
l'ARS ? » / « en présence de M. X, directeur de l'ARS »)."""
TOPIC_COVERAGE = 0.25
"""A part with no words of its own (« pour combien de temps ? ») is answered by a sentence stating
the value asked that holds this share of the whole question's words, or stands out by meaning."""
VALUE_COVERAGE = 0.75
"""A part asking for a value (« signé quand ? ») has few words; the sentence must hold most."""
PREFIX_MIN = 4
DERIVATIONS = {
    "at", "atur", "atair", "ation", "ateur", "atric", "ement", "ment", "eur", "euse", "ant", "ent",
    "ag", "al", "if", "iv", "ion", "ier", "ist", "is",
}
"""Suffixes the French stemmer leaves on stems of one family (signé, signature, signataire)."""
SOURCE_MARKER = re.compile(r"\[(\d+)\]")


@dataclass
class Unit:
    """A sentence, or a sentence with the list it announces, scored for one part."""

    passage: Passage
    rank: int
    start: int
    end: int
    score: float
    coverage: float
    terms: frozenset[str]
    meaning: float = 0.0
    """How far the sentence's meaning is above the typical one's, in spreads."""
    states_kind: bool = True

    @property
    def quote(self) -> str:
        return self.passage.text[self.start : self.end]

    @property
    def shown(self) -> str:
        """The quote as the answer shows it: a source's own footnote marks (« [2] », common in
        encyclopaedic text) in parentheses, so that every « [n] » of an answer is one of its
        citations. The citation keeps the verbatim quote."""
        return SOURCE_MARKER.sub(r"(\1)", self.quote)


@dataclass
class PartAnswer:
    part: Part
    units: list[Unit]
    covered: bool
    missing: str = ""
    """Why the part is not covered, in French (« aucun montant »)."""
    label: str = ""
    """The territory this answer is for, in a comparison."""
    all_units: list[Unit] = field(default_factory=list)


def answers(part: Part, unit: Unit) -> bool:
    if not unit.states_kind:
        return False
    if not part.focus:
        return unit.coverage >= TOPIC_COVERAGE or unit.meaning >= MEANING_MARGIN
    if part.kind == "person" and part.focus and unit.coverage < MEANING_COVERAGE:
        return False  # « la coordinatrice du CLS » by name: a name beside other roles is not hers
    if part.kind == "count" and part.counted:  # « 16 fiches actions »: the thing counted is there
        return unit.coverage >= MIN_COVERAGE or unit.meaning >= MEANING_MARGIN
    if part.kind:  # the value is stated: most of the few words asked, or the closest meaning
        return unit.coverage >= VALUE_COVERAGE or unit.meaning >= MEANING_MARGIN
    if unit.meaning >= MEANING_ALONE:
        return True
    return unit.coverage >= MIN_COVERAGE or (unit.coverage >= MEANING_COVERAGE and unit.meaning >= MEANING_MARGIN)


def has_term(terms: set[str] | frozenset[str], term: str) -> bool:
    """The term, or one of its family (« sign » for « signature », « signataires »): the
    stemmer keeps them apart, a reader does not."""
    if term in terms:
        return True
    return len(term) >= PREFIX_MIN - 1 and any(_family(term, other) or _family(other, term) for other in terms)


def _family(short: str, long: str) -> bool:
    """« sign » / « signatur »: the longer stem is the shorter one and a derivational suffix
    (« commun » / « communaut » are two words, not one family); « dur » / « dure » (durait,
    durée) differ by the stemmer's mute e."""
    suffix = long[len(short) :]
    if not long.startswith(short):
        return False
    return suffix == "e" or (len(short) >= PREFIX_MIN and suffix in DERIVATIONS)


def quotable(part: Part, answering: list[Unit], passing: list[Unit]) -> list[Unit]:
    """Once a part is known to be answered, what its answer may quote: for a value, sentences
    that answer on their own, and any stating the value that scores above all of them (more of
    the words asked, a little less close in meaning); otherwise the best scored ones (a list
    scoring just under the bar beats the sentence that carried the decision)."""
    if not part.kind:
        return answering
    best = max((u.score for u in passing), default=float("inf"))
    return passing + [u for u in answering if u.score > best and u not in passing]


def select(units: list[Unit], limit: int, one_per_document: bool = False) -> list[Unit]:
    ranked = sorted(units, key=lambda u: u.score, reverse=True)
    if not ranked:
        return []
    floor = max(RELATIVE_FLOOR * ranked[0].score, ABSOLUTE_FLOOR)
    chosen: list[Unit] = []
    candidates = [u for u in ranked if u.score >= floor] or ranked[:1]
    while candidates and len(chosen) < limit:
        def adjusted(unit: Unit) -> float:
            same_doc = sum(other.passage.doc_id == unit.passage.doc_id for other in chosen)
            return unit.score - (1.0 if one_per_document else SAME_DOCUMENT_PENALTY) * same_doc

        best = max(candidates, key=adjusted)
        candidates.remove(best)
        if not any(same_content(best, other) for other in chosen):
            chosen.append(best)
    return chosen


def same_content(a: Unit, b: Unit) -> bool:
    """Overlapping chunks repeat sentences; a list unit also contains its own items."""
    if a.quote in b.quote or b.quote in a.quote:
        return True
    union = a.terms | b.terms
    return bool(union) and len(a.terms & b.terms) / len(union) > 0.7
