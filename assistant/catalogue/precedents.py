"""Precedents: the actions of other CLS that resemble a described one, and the records whose axes
or actions deal with a theme.

Matching is lexical, on French stems with the glossary's acronyms expanded, weighted by how rare
each word is in the store (idf): « interprétariat pour les allophones » finds « prise en charge du
public allophone via … une solution d'interprétariat ». Both the action's label and its quoted
sentence are searched.
"""

from __future__ import annotations

from collections.abc import Callable

from assistant.catalogue.model import Cited, ContractRecord
from assistant.core.french import expanded_terms, terms

MIN_SHARE = 0.5
"""Share of the query's (idf-weighted) terms an action must contain."""
GENERIC = set(terms(
    "action actions fiche fiches similaire similaires semblable comparable CLS contrat contrats autre "
    "autres territoire territoires trouve trouver cherche projet projets dispositif initiative mener"
))


def find_precedents(
    records: list[ContractRecord],
    query: str,
    idf: Callable[[str], float] | None = None,
    fields: tuple[str, ...] = ("actions",),
    limit: int = 12,
    min_share: float = MIN_SHARE,
) -> list[tuple[ContractRecord, Cited, float]]:
    """(record, matching value, score) best first, the score being the matched share of the query
    (`min_share` 1.0: every word of a theme must be there)."""
    idf = idf or (lambda term: 1.0)
    wanted = {t for t in expanded_terms(query) if t not in GENERIC}
    weights = {t: idf(t) for t in wanted}
    total = sum(weights.values())
    if not total:
        return []
    found = []
    for record in records:
        for name in fields:
            for cited in getattr(record, name):
                present = expanded_terms(f"{cited.value} {cited.source.quote}")
                share = sum(w for t, w in weights.items() if t in present) / total
                if share >= min_share - 1e-9:
                    found.append((record, cited, share))
    found.sort(key=lambda f: f[2], reverse=True)
    return found[:limit]
