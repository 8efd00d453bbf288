"""Words of the field that say the same thing, so that a sentence answers in its own words.

« Le contrat a-t-il été reconduit ? » is answered by « … a renouvelé son CLS », « en préparation
depuis quand ? » by « dont l'élaboration a été lancée le… »: shared stems miss them, and the
sentence vectors only rank them. Each group below is one notion of how CLS are made and run
(words people use for it in questions and pages alike); a sentence holding any word of a group
holds them all for the lexical coverage. Not a thesaurus: only notions the documents of this
field name in several ways.
"""

from __future__ import annotations

from functools import lru_cache

from assistant.core.french import expanded_terms

GROUPS = [
    "renouveler renouvelé renouvellement reconduire reconduit reconduction prolonger prolongé",
    "préparer préparation élaborer élaboration élaboré construire construction co-construction",
    "signer signé signature",
    "commencer début démarrer démarrage lancer lancé lancement",
    "évaluation évaluer bilan",
    "gouvernance pilotage piloter copil",
    "coordinateur coordinatrice coordo coordos",
    "jeunes jeunesse adolescents ados",
    "seniors aînés âgées vieillissement",
    "habitants population",
    "financer financement financé subvention",
]


@lru_cache(maxsize=1)
def _groups() -> list[frozenset[str]]:
    return [frozenset(expanded_terms(group)) for group in GROUPS]


def with_synonyms(terms: set[str]) -> set[str]:
    """The terms and the other terms of every group one of them belongs to."""
    extra: set[str] = set()
    for group in _groups():
        if terms & group:
            extra |= group
    return terms | extra
