"""A kept sentence with the ones that carry it on, for explanations and how-to answers.

« Comment s'organise la gouvernance ? » is answered by a sentence and the one or two after it
(« En premier lieu… Puis… », « Toute l'intelligence du système tient dans ces avenants… »): the
best sentence alone drops the steps, roles or conditions its neighbours give. A following
sentence joins the quote when it comes right after (nothing unquotable in between) and is on the
subject: some of the part's words, a meaning not clearly below the passages' typical
sentence, or a word of the quote so far (the thread of a paragraph). The quote
stays one verbatim span of the passage.
"""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.engines.units import Unit
from assistant.understanding import DOMAIN_TERMS

WINDOW_SENTENCES = 3
"""At most this many sentences follow the kept one…"""
WINDOW_WORDS = 150
"""…and the whole quote stays under this many words."""
BACK_REFERENCE = re.compile(
    r"(?:De cette (?:façon|manière)|Ainsi|Pour cela|Pour ce faire|Dans ce cadre|À ce titre|A ce titre|"
    r"C['’]est pourquoi|Cela|Ceci|Celui-ci|Celle-ci|Ces (?:actions|acteurs|axes|dispositifs|instances)|"
    r"Cette (?:démarche|instance|articulation|organisation))\b"
)
"""Openings that point back to the sentence before."""
WINDOW_MEANING = -0.5
"""A following sentence without the part's words joins unless its meaning is clearly below the
typical sentence's (in spreads, engines/extractive.py `_meaning`): « L'objectif étant… »
carries on the thought it follows."""
MAX_GAP_LINES = 2
"""A blank line may separate them (a paragraph that announces the next), not a page of layout."""


def widen(unit: Unit, units: list[Unit]) -> Unit:
    """The unit with the on-topic sentences that directly follow it in its passage."""
    following = sorted(
        (u for u in units if u.passage.id == unit.passage.id and u.start >= unit.end), key=lambda u: u.start
    )
    text = unit.passage.text
    end, words, added, terms = unit.end, len(unit.quote.split()), 0, set(unit.terms)
    for nxt in following:
        gap = text[end : nxt.start]
        if gap.strip() or gap.count("\n") > MAX_GAP_LINES:
            break  # a heading, a question or a cut sentence stands between: the thread is broken
        chained = (nxt.terms & terms) - DOMAIN_TERMS  # « deux instances. Le comité… Le comité… »
        if nxt.coverage <= 0 and nxt.meaning <= WINDOW_MEANING and not chained:
            break
        words += len(nxt.quote.split())
        if words > WINDOW_WORDS:
            break
        end, added = nxt.end, added + 1
        terms |= nxt.terms
        if added == WINDOW_SENTENCES:
            break
    return replace(unit, end=end, terms=frozenset(terms)) if end != unit.end else unit


def with_antecedent(unit: Unit, units: list[Unit]) -> Unit:
    """A sentence that points back (« De cette façon, … », « Ainsi, … ») with the one before it,
    which says what it points to."""
    if not BACK_REFERENCE.match(unit.quote):
        return unit
    before = [u for u in units if u.passage.id == unit.passage.id and u.end <= unit.start]
    if not before:
        return unit
    previous = max(before, key=lambda u: u.end)
    gap = unit.passage.text[previous.end : unit.start]
    if gap.strip() or gap.count("\n") > MAX_GAP_LINES:
        return unit
    return replace(unit, start=previous.start, terms=unit.terms | previous.terms)


def widen_all(units: list[Unit], all_units: list[Unit]) -> list[Unit]:
    """Each kept unit widened; one that another's window now holds is dropped."""
    widened = [widen(with_antecedent(u, all_units), all_units) for u in units]
    kept: list[Unit] = []
    for unit in widened:
        if any(_within(unit, other) for other in widened if other is not unit and not _within(other, unit)):
            continue
        if any(_within(unit, other) for other in kept):
            continue
        kept.append(unit)
    return kept


def _within(a: Unit, b: Unit) -> bool:
    return a.quote in b.quote


def explains(part) -> bool:
    """Parts answered by prose (an explanation, steps, a list), not by one value or one
    sentence per document."""
    return part.kind is None and not part.wants_documents
