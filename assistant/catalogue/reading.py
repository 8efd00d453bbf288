"""One document being read: its declared context, the focus tracker and the citing of values.

Detectors (assistant/catalogue/detectors/) receive a `Reading` and note facts on its focus; every
value they note is cited here by the sentence (or list item) it was read in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from assistant.catalogue import patterns as P
from assistant.catalogue.focus import FocusTracker
from assistant.catalogue.model import (
    FILTER_KEYS,
    Cited,
    DocumentFacts,
    Source,
    StatedCount,
)
from assistant.catalogue.names import is_regional, split_parties, territory_key
from assistant.catalogue.phrases import iso_last_day
from assistant.core.geography import is_regional_name
from assistant.core.sentences import Sentence, split_sentences
from assistant.passages import Passage, quote_page


@dataclass
class StoredChunk:
    id: str
    text: str
    metadata: dict


class Reading:
    def __init__(self, chunks: list[StoredChunk]) -> None:
        self.chunks = chunks
        meta = chunks[0].metadata
        self.file = meta.get("file", "")
        self.doc_date_iso = meta.get("date", "")
        self.doc_date = iso_last_day(self.doc_date_iso)
        self.doc_type = meta.get("doc_type", "")
        territory = meta.get("territory", "") or ""
        self.regional = is_regional(territory) or is_regional_name(territory)
        doc_territory = "" if self.regional else territory
        parts = [doc_territory[a:b] for a, b in split_parties(doc_territory)] if doc_territory else []
        doc_parts = {territory_key(part): part for part in parts if territory_key(part)} if len(parts) > 1 else {}
        """« Sainte-Marie et Saint-Joseph »: a document about several CLS, one per part."""
        title = meta.get("title", "") or ""
        other_device = bool(P.NOT_A_CLS.search(title)) and not P.CLS_NAME.search(P.NOT_A_CLS.sub(" ", title))
        self.about_cls = not other_device and any(P.CLS_NAME.search(c.text) for c in chunks)
        lead = " ".join(s.text for s in split_sentences(chunks[0].text)[:3])
        self.announces_signature = self.about_cls and bool(re.search(r"\bsign", title, re.IGNORECASE) or P.SIGNED.search(lead))
        """The title or the lead speaks of a signature: dated leads and attendance lists are about it."""
        self.tracker = FocusTracker(self.file, self.doc_date_iso, doc_territory, doc_parts, self.about_cls)
        self.counts: list[StatedCount] = []
        self.dateline: Cited | None = None
        """« jeudi 27 novembre 2025 » alone atop a page announcing a signature: the day of the
        signature when the text gives no other."""

    # --- focus, as the tracker keeps it -------------------------------------------------------

    @property
    def focus(self) -> DocumentFacts | None:
        return self.tracker.focus

    @property
    def doc_key(self) -> str:
        return self.tracker.doc_key

    def focus_on(self, name: str) -> DocumentFacts | None:
        return self.tracker.focus_on(name)

    def is_doc_territory(self, name: str) -> bool:
        return self.tracker.is_doc_territory(name)

    # --- citations ----------------------------------------------------------------------------

    def cite(self, chunk: StoredChunk, sentence: Sentence, value: str, start: int, end: int, normalized: str = "") -> Cited:
        """`value` (text[start:end] of the sentence) cited by the whole sentence."""
        assert sentence.text[start:end] == value
        return Cited(value.strip(), self.source(chunk, sentence.text), normalized)

    def declared(self, field: str) -> Cited:
        """The value of a metadata field the text never writes, cited as declared by the document."""
        chunk = self.chunks[0]
        value = chunk.metadata[field]
        return Cited(value, replace(self.source(chunk, value), page=None, declared=field))

    def source(self, chunk: StoredChunk, quote: str) -> Source:
        meta = chunk.metadata
        return Source(
            chunk_id=chunk.id,
            file=meta.get("file", ""),
            title=meta.get("title", ""),
            publisher=meta.get("publisher", ""),
            date=meta.get("date", ""),
            page=quote_page(Passage(chunk.id, chunk.text, meta), quote.strip()),
            quote=quote.strip(),
            metadata={k: meta[k] for k in FILTER_KEYS if k in meta},
        )
