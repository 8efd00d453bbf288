"""When a document is read: the name each CLS it described is cited by, and its region.

The declared territory (manifest, front matter) is a hint, not a key: a record is cited by a name
the text writes, the declared one where it is written, else the closest written name.
"""

from __future__ import annotations

import re

from assistant.catalogue import patterns as P
from assistant.catalogue.model import LIST_FIELDS, SINGLE_FIELDS, Cited, DocumentFacts
from assistant.catalogue.names import clean_item, territory_key
from assistant.catalogue.reading import Reading
from assistant.core.geography import is_regional_name, region_of
from assistant.core.sentences import split_sentences

FACT_FIELDS = tuple(name for name in (*SINGLE_FIELDS, *LIST_FIELDS) if name not in ("horizon", "generation"))
"""A CLS the document says nothing of but its name (or a horizon, a generation) is not a record."""


def finished(r: Reading) -> list[DocumentFacts]:
    """The document's facts that can be cited by a territory name read in the text."""
    done = []
    region = document_region(r)
    _adopt_written_name(r)
    for partial in r.tracker.facts.values():
        partial.territory = _territory_of(r, partial)
        partial.region = region
        if partial.key == r.doc_key and r.dateline and not partial.signed_on and not partial.preparation:
            partial.signed_on = r.dateline
        _agency_signs(partial)
        if partial.territory and any(getattr(partial, name) for name in FACT_FIELDS):
            done.append(partial)
    return done


AGENCY = re.compile(r"^(?:l['’])?(?:ARS\b|Agence régionale de (?:la )?santé)", re.IGNORECASE)


def _agency_signs(partial: DocumentFacts) -> None:
    """The ARS is a party to every CLS: of a signed one, an ARS read as partner (« la Ville et
    l'ARS ont uni leurs forces ») is a signatory."""
    if partial.preparation or not (partial.signed_on or partial.signatories):
        return
    for cited in [c for c in partial.partners if AGENCY.match(c.value)]:
        partial.partners.remove(cited)
        partial.add("signatories", cited)


def document_region(r: Reading) -> str:
    """The one its publisher, territory and title name, else the one its text names most."""
    meta = r.chunks[0].metadata
    head = " ; ".join(meta.get(k, "") or "" for k in ("publisher", "territory", "title"))
    found = region_of(head) or region_of("\n".join(c.text for c in r.chunks))
    return found.name if found else ""


def _adopt_written_name(r: Reading) -> None:
    """The manifest's territory is not written in the text (a long official name) but the text
    names one CLS by its short name (« le CLS Pays X »): they are the same CLS, cited by the name
    the text writes."""
    tracker = r.tracker
    own = tracker.facts.get(tracker.doc_key)
    if own is None or tracker.doc_parts or _find_in_text(r, tracker.doc_territory):
        return
    named = [p for key, p in tracker.facts.items() if key != tracker.doc_key and p.names]
    if len(named) != 1:
        return
    other = named[0]
    for name in SINGLE_FIELDS:
        if getattr(other, name) is None and getattr(own, name) is not None:
            setattr(other, name, getattr(own, name))
    for name in LIST_FIELDS:
        for cited in getattr(own, name):
            other.add(name, cited)
    del tracker.facts[tracker.doc_key]


def _territory_of(r: Reading, partial: DocumentFacts) -> Cited | None:
    """The document's own territory name where the text writes it, else a name read in the
    text (the signing authority first)."""
    tracker = r.tracker
    if partial.key == tracker.doc_key and tracker.doc_territory:
        found = _find_in_text(r, tracker.doc_territory) or _closest_name(r, tracker.doc_key)
        if found:
            return found
        if not partial.collectivite and not partial.names:
            return r.declared("territory")
    if partial.collectivite:
        return partial.collectivite
    return partial.names[0] if partial.names else None


def _closest_name(r: Reading, key: str) -> Cited | None:
    """The name written in the text that shares most words with the manifest's territory (« Agglo
    X (Manche) » is written « la Communauté d'agglomération X »)."""
    wanted = set(key.split())
    best: tuple[tuple, Cited] | None = None
    for chunk in r.chunks:
        for sentence in split_sentences(chunk.text):
            for match in P.NAME_RUN.finditer(sentence.text):
                name = match.group(0)
                if is_regional_name(name) or P.INSTITUTION.search(name):
                    continue
                shared = wanted & set(territory_key(name).split())
                if not shared:
                    continue
                extra = len(set(territory_key(name).split()) - wanted)
                about = bool(P.CLS_NAME.search(sentence.text) or P.SIGNED.search(sentence.text))
                score = (len(shared), -extra, about, not sentence.is_heading)
                if best is None or score > best[0]:
                    start, end = clean_item(sentence.text, *match.span())
                    best = (score, r.cite(chunk, sentence, sentence.text[start:end], start, end))
    return best[1] if best else None


def _find_in_text(r: Reading, name: str) -> Cited | None:
    words = [re.escape(w) for w in re.split(r"[\s'’-]+", name) if w]
    pattern = re.compile(r"\b" + r"[\s'’-]+".join(words) + r"\b", re.IGNORECASE)
    best = None
    for chunk in r.chunks:
        for sentence in split_sentences(chunk.text):
            match = pattern.search(sentence.text)
            if not match or sentence.is_heading:
                continue
            cited = r.cite(chunk, sentence, match.group(0), *match.span())
            if P.CLS_NAME.search(sentence.text) or P.SIGNED.search(sentence.text):
                return cited
            best = best or cited
    return best or _find_over_lines(r, pattern)


def _find_over_lines(r: Reading, pattern: re.Pattern) -> Cited | None:
    """A title broken over lines (« du Pays des Collines » / « et du Plateau »): the lines it
    spans are the quote, the name with its spaces collapsed the value."""
    for chunk in r.chunks:
        match = pattern.search(chunk.text)
        if match and "\n" in match.group(0):
            start = chunk.text.rfind("\n", 0, match.start()) + 1
            end = chunk.text.find("\n", match.end())
            quote = chunk.text[start : end if end >= 0 else len(chunk.text)]
            return Cited(" ".join(match.group(0).split()), r.source(chunk, quote))
    return None
