"""When a CLS runs and which one it is: its period (« 2023-2028 », a title line of years), its
duration (« pour une durée de cinq ans »), its generation (« 2e génération », « avenant »,
« renouvelé ») and whether it is still being prepared."""

from __future__ import annotations

import re

from assistant.catalogue import patterns as P
from assistant.catalogue.phrases import generation_of, plausible_period
from assistant.catalogue.reading import Reading, StoredChunk
from assistant.core.french import NUMBER_WORDS, fold
from assistant.core.sentences import Sentence


def _contractual(r: Reading, text: str) -> bool:
    """The sentence speaks of a contract, or the document is the territory's own."""
    return bool(P.CONTRACT.search(text)) or r.doc_key == r.focus.key


def period(r: Reading, chunk: StoredChunk, sentences: list[Sentence], i: int) -> None:
    sentence = sentences[i]
    text = sentence.text
    found = (P.PERIOD_AFTER_CONTRACT.search(text) or P.PERIOD_AFTER_NAME.search(text)
             or P.PERIOD_AFTER_WORD.search(text) or P.LABEL_PERIOD.match(text))
    if not found and i < 6 and P.PERIOD_LINE.match(text) and any(P.CLS_NAME.search(s.text) for s in sentences[:i]):
        found = P.PERIOD_LINE.match(text)  # the years under the contract's title
    if found and _regional_plan_years(text, found.start(1)):
        return
    if found and plausible_period(int(found.group(1)), int(found.group(2))):
        start, end = found.span(1)[0], found.span(2)[1]
        normalized = f"{found.group(1)}-{found.group(2)}"
        r.focus.set("period", r.cite(chunk, sentence, text[start:end], start, end, normalized))


def _regional_plan_years(text: str, years: int) -> bool:
    """« le Projet régional de santé 2023-2028 », « le schéma régional couvre 2023-2028 »: the
    years of a regional or national plan, not of the CLS."""
    before = text[max(0, years - 60):years]
    last = max((m.end() for m in P.CLS_NAME.finditer(before)), default=0)
    return bool(REGIONAL_SCOPE.search(before, last))


REGIONAL_SCOPE = re.compile(r"\b(?:régional|national|nationale|PRS|SRS|PRSE|PRAPS)\b", re.IGNORECASE)


def duration(r: Reading, chunk: StoredChunk, sentences: list[Sentence], i: int) -> None:
    sentence = sentences[i]
    found = P.DURATION.search(sentence.text)
    if found and _contractual(r, sentence.text):
        years = NUMBER_WORDS.get(fold(found.group(1)), found.group(1))
        r.focus.set("duration", r.cite(chunk, sentence, found.group(0), *found.span(), years))


def generation(r: Reading, chunk: StoredChunk, sentences: list[Sentence], i: int) -> None:
    sentence = sentences[i]
    found = P.GENERATION.search(sentence.text)
    if found and (_contractual(r, sentence.text) or P.CLS_NAME.search(sentence.text)):
        cited = r.cite(chunk, sentence, found.group(0), *found.span(), generation_of(found))
        known = r.focus.generation
        if known is None or (not known.normalized.isdigit() and cited.normalized.isdigit()):
            r.focus.generation = cited  # « 2e génération » says more than « renouvelle »


def preparation(r: Reading, chunk: StoredChunk, sentences: list[Sentence], i: int) -> None:
    sentence = sentences[i]
    found = P.PREPARATION.search(sentence.text)
    if found:
        r.focus.set("preparation", r.cite(chunk, sentence, found.group(0), *found.span()))


def horizon(r: Reading, chunk: StoredChunk, sentences: list[Sentence], i: int) -> None:
    """« Le contrat court jusqu'en 2028 », « à l'horizon 2030 »: the last year of the contract,
    which gives the period with the signature's year (merging.py)."""
    sentence = sentences[i]
    found = P.HORIZON.search(sentence.text)
    if found and P.CONTRACT.search(sentence.text) and not sentence.is_heading:
        r.focus.set("horizon", r.cite(chunk, sentence, found.group(0), *found.span(), found.group(1)))
