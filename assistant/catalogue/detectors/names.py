"""A sentence that names a CLS by its territory moves the focus to it."""

from __future__ import annotations

from assistant.catalogue import patterns as P
from assistant.catalogue.names import territory_key
from assistant.catalogue.reading import Reading, StoredChunk
from assistant.geography import is_regional_name
from assistant.sentences import Sentence


def mention(r: Reading, chunk: StoredChunk, sentences: list[Sentence], i: int) -> None:
    """« Le contrat local de santé de la Communauté d'agglomération X est… » names a CLS."""
    sentence = sentences[i]
    if sentence.is_heading:
        return
    match = P.MENTION.search(sentence.text) or P.MENTION_BARE.search(sentence.text)
    if not match or not territory_key(match.group(1)) or is_regional_name(match.group(1)):
        return
    partial = r.focus_on(match.group(1))
    if partial:
        partial.add("names", r.cite(chunk, sentence, match.group(1), *match.span(1)))
