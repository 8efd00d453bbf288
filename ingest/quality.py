"""Refuses text that would only add noise to the index (e.g. one word repeated for megabytes)."""

from __future__ import annotations

import re

from ingest.documents import IngestError

WORD = re.compile(r"\w+")
MIN_WORDS_FOR_DIVERSITY_CHECK = 500
MIN_DISTINCT_WORD_SHARE = 0.02


def check_informative(text: str) -> None:
    words = WORD.findall(text.casefold())
    if not words:
        raise IngestError("aucun texte exploitable après nettoyage")
    distinct = len(set(words))
    if len(words) >= MIN_WORDS_FOR_DIVERSITY_CHECK and distinct / len(words) < MIN_DISTINCT_WORD_SHARE:
        raise IngestError(
            f"contenu répétitif sans information ({len(words):,} mots dont {distinct} distincts)"
            .replace(",", " ")
        )
