"""How a CLS is run and paid for: sentences about its coordination and its funding, kept whole."""

from __future__ import annotations

from assistant.catalogue import patterns as P
from assistant.catalogue.reading import Reading, StoredChunk
from assistant.core.sentences import Sentence


def coordination(r: Reading, chunk: StoredChunk, sentences: list[Sentence], i: int) -> None:
    text = sentences[i].text
    if P.COORDINATION.search(text) and not sentences[i].is_heading:
        r.focus.add("coordination", r.cite(chunk, sentences[i], text, 0, len(text)))


def funding(r: Reading, chunk: StoredChunk, sentences: list[Sentence], i: int) -> None:
    text = sentences[i].text
    if not P.FUNDING.search(text) or sentences[i].is_heading:
        return
    section = chunk.metadata.get("section", "")
    if P.FUNDING_CONTEXT.search(text) or P.SHEET_SECTION.search(section) or r.doc_type == "contract":
        r.focus.add("funding", r.cite(chunk, sentences[i], text, 0, len(text)))
