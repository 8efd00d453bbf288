"""Reads the stored chunks of each document and notes, sentence by sentence, the facts of the CLS
it describes, each with the verbatim sentence (or list item) it was read in.

A document is read in order by a focus tracker (assistant/catalogue/focus.py: which CLS the
sentences are about) and a list of small detectors (assistant/catalogue/detectors/: one per field
or phrasing family). Facts read without a focus are dropped; counts of CLS stated by the
documents are noted whatever the focus. The record names are settled once the document is read
(assistant/catalogue/record_names.py).

Chunks that give orders to an AI model are not read at all (quarantined at ingestion, or caught
by the detector in a store ingested before the mark): a fake chat turn must not become a record.
"""

from __future__ import annotations

from collections.abc import Iterable

from assistant.catalogue.detectors import ANY_FOCUS, ON_FOCUS
from assistant.catalogue.detectors.contents import list_intro, list_item
from assistant.catalogue.model import DocumentFacts, Extraction, StatedCount
from assistant.catalogue.phrases import bare_line
from assistant.catalogue.reading import Reading, StoredChunk
from assistant.catalogue.record_names import finished
from assistant.core.safety import addresses_a_model, quarantined
from assistant.core.sentences import split_sentences

__all__ = ["StoredChunk", "extract"]


def extract(chunks: Iterable[StoredChunk]) -> Extraction:
    by_document: dict[str, list[StoredChunk]] = {}
    for chunk in chunks:
        if quarantined(chunk.metadata) or addresses_a_model(chunk.text):
            continue
        by_document.setdefault(chunk.metadata.get("doc_id") or chunk.id.rsplit(":", 1)[0], []).append(chunk)
    facts: list[DocumentFacts] = []
    counts: list[StatedCount] = []
    for doc_chunks in by_document.values():
        doc_chunks.sort(key=lambda c: c.metadata.get("chunk_index", 0))
        reading = Reading(doc_chunks)
        read(reading)
        facts += finished(reading)
        counts += reading.counts
    return Extraction(facts, counts)


def read(r: Reading) -> None:
    """Every sentence in order: the focus follows sections, then the detectors note facts; the
    items of a list announced by a sentence (axes, actions) go to the CLS it was announced for."""
    open_list: tuple[str, DocumentFacts] | None = None
    bare_items = False
    for chunk in r.chunks:
        sentences = split_sentences(chunk.text)
        if open_list and not (sentences and sentences[0].is_item):
            open_list = None
        for i, sentence in enumerate(sentences):
            r.tracker.follow(sentences, i)
            for detect in ANY_FOCUS:
                detect(r, chunk, sentences, i)
            if r.focus is None:
                open_list = None
            elif open_list and (sentence.is_item or (bare_items and bare_line(chunk.text, sentence))):
                kind, partial = open_list
                list_item(r, chunk, sentence, kind, partial)
            else:
                open_list = list_intro(r, sentences, i)
                # « Les axes du CLS : » then one axis a line, without bullets
                bare_items = bool(open_list) and sentence.text.rstrip().endswith(":") and not (
                    i + 1 < len(sentences) and sentences[i + 1].is_item)
                for detect in ON_FOCUS:
                    detect(r, chunk, sentences, i)
            r.tracker.share(sentence.text)
