"""A sentence that names a CLS by its territory moves the focus to it; one that names several
(« les CLS de A, de B et de C ont été signés … ») makes them a group that shares its facts."""

from __future__ import annotations

from assistant.catalogue import patterns as P
from assistant.catalogue.names import territory_key
from assistant.catalogue.reading import Reading, StoredChunk
from assistant.core.geography import is_regional_name
from assistant.core.sentences import Sentence


def mention(r: Reading, chunk: StoredChunk, sentences: list[Sentence], i: int) -> None:
    """« Le CLS du Pays Y, porté par… » names a CLS."""
    sentence = sentences[i]
    if sentence.is_heading:
        return
    text = sentence.text
    match = P.MENTION.search(text) or P.MENTION_BARE.search(text)
    if not match:
        return
    spans = [match.span(1)]
    more = P.MENTION_MORE.match(text, match.end()) if match.re is P.MENTION else None
    while more:
        spans.append(more.span(1))
        more = P.MENTION_MORE.match(text, more.end())
    group = []
    for start, end in spans:
        name = text[start:end]
        if not territory_key(name) or is_regional_name(name) or (group and P.INSTITUTION.search(name)):
            continue  # « le CLS de la Ville de X et du Département »: the Département is a party, not a CLS
        partial = r.focus_on(name)
        if partial:
            partial.add("names", r.cite(chunk, sentence, name, start, end))
            group.append(partial)
    if len(group) > 1:
        r.tracker.group_on(group)
