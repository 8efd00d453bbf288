"""Fact sheets of ARS and intercommunal sites: one « Label : value » line per fact."""

from __future__ import annotations

from assistant.catalogue import patterns as P
from assistant.catalogue.names import territory_key
from assistant.catalogue.phrases import nearest_date
from assistant.catalogue.reading import Reading, StoredChunk
from assistant.core.geography import is_regional_name
from assistant.core.sentences import Sentence


def fact_sheet(r: Reading, chunk: StoredChunk, sentences: list[Sentence], i: int) -> None:
    """« Territoire : Pays de X » then « Date de signature : 14 mars 2024 »: a fact sheet's lines."""
    sentence = sentences[i]
    text = sentence.text
    territory = P.LABEL_TERRITORY.match(text)
    if territory and territory_key(territory.group(1)) and not is_regional_name(territory.group(1)):
        partial = r.focus_on(territory.group(1))
        if partial:
            partial.add("names", r.cite(chunk, sentence, territory.group(1), *territory.span(1)))
    label = P.LABEL_SIGNED.match(text)
    if label and r.focus is not None:
        when = nearest_date(text, label.end(), r.doc_date)
        if when and when[0].start() == label.end():
            match, day = when
            r.focus.set("signed_on", r.cite(chunk, sentence, match.group(0), *match.span(), day.isoformat()))
