"""Counts of CLS the documents state themselves (« la région compte 21 CLS signés et actifs »),
noted whatever the focus."""

from __future__ import annotations

from assistant.catalogue import patterns as P
from assistant.catalogue.model import StatedCount
from assistant.catalogue.reading import Reading, StoredChunk
from assistant.core.french import NUMBER_WORDS, fold
from assistant.core.sentences import Sentence

STATED = ((P.REGION_COUNT, "active"), (P.WITH_COUNT, "active"), (P.SIGNED_IN_YEAR, "signed_in_year"))


def stated_counts(r: Reading, chunk: StoredChunk, sentences: list[Sentence], i: int) -> None:
    text = sentences[i].text
    for pattern, kind in STATED:
        match = pattern.search(text)
        if not match:
            continue
        if pattern is P.WITH_COUNT and not (r.regional or "normand" in fold(text)):
            continue
        written = match.group(1)
        count = int(written) if written.isdigit() else int(NUMBER_WORDS.get(fold(written), int(fold(written) == "un")))
        if not count:
            continue
        year = None
        if kind == "signed_in_year":
            year = int(match.group(2))
        elif (match.group(2) or "").lower() == "signés":
            kind = "signed"
        as_of = P.AS_OF.search(text)
        day = P.parse_date(as_of, None) if as_of else None
        r.counts.append(StatedCount(
            count=count, value=written, kind=kind, as_of=(day.isoformat() if day else r.doc_date_iso),
            source=r.source(chunk, text), year=year, explicit_date=bool(day),
        ))
