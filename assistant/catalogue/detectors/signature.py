"""The signature of a CLS: its date and parties, from a signing sentence (« X, Y et Z ont
signé … le 3 mars 2024 »), a dated lead of a signature announcement, an attendance list, or a
preamble « Entre les soussignés : » with one party per line."""

from __future__ import annotations

import re

from assistant.catalogue import patterns as P
from assistant.catalogue.detectors.parties import ACRONYM_AFTER, institutions, parties
from assistant.catalogue.names import (
    clean_item,
    is_collectivity,
    is_name,
    same_territory,
    split_parties,
    strip_article,
    territory_key,
)
from assistant.catalogue.phrases import (
    between_parties,
    nearest_date,
    signature_parties,
    subject_span,
)
from assistant.catalogue.reading import Reading, StoredChunk
from assistant.core.sentences import Sentence


def signing_sentence(r: Reading, chunk: StoredChunk, sentences: list[Sentence], i: int) -> None:
    """A sentence that signs a contract: its local authority takes the focus, the other parties
    are signatories, the date nearest the verb is the signature's."""
    sentence = sentences[i]
    text = sentence.text
    if sentence.is_heading:
        return
    between = between_parties(text)
    if between:
        parties(r, chunk, sentence, between)
    signed = P.SIGNED.search(text)
    done_at = P.DONE_AT.match(text)
    if not (signed or done_at) or about_another_device(text):
        return
    pronoun = re.match(r"^(?:Il|Elle)\b", text)
    noun = signed and re.search(r"\bsignature\b", signed.group(0), re.IGNORECASE)
    own = r.about_cls and r.focus is not None and bool(r.doc_key) and r.focus.key == r.doc_key
    if not (P.CONTRACT.search(text) or (r.about_cls and (pronoun or done_at or noun)) or own):
        return
    if signed and P.OTHER_INSTRUMENT.match(text, signed.end()):
        return  # an implementing convention or an avenant was signed, not the contract
    if not between:
        parties(r, chunk, sentence, signature_parties(text))
    focus = r.focus
    if focus is None:
        return
    institutions(r, chunk, sentence, acronyms=True)
    after = signed.end() if signed else done_at.end()
    when = nearest_date(text, after, r.doc_date)
    if when:
        match, day = when
        focus.set("signed_on", r.cite(chunk, sentence, match.group(0), *match.span(), day.isoformat()))
    else:
        month = P.MONTH_YEAR.search(text)
        if month:
            normalized = f"{month.group(2)}-{P.MONTH_SPELLINGS[month.group(1).lower()]:02d}"
            start, end = month.span(1)[0], month.span(2)[1]
            focus.set("signed_on", r.cite(chunk, sentence, text[start:end], start, end, normalized))
    horizon = P.HORIZON.search(text)
    if horizon:
        focus.set("horizon", r.cite(chunk, sentence, horizon.group(0), *horizon.span(), horizon.group(1)))


def dated_lead(r: Reading, chunk: StoredChunk, sentences: list[Sentence], i: int) -> None:
    """« Le 23 juin 2025, la ville de X a… » in a document that announces a signature: the date
    of the focused territory's signature, even when the sentence is cut before its verb."""
    sentence, focus = sentences[i], r.focus
    if focus is None or focus.signed_on or sentence.is_heading or not r.announces_signature:
        return
    lead = P.DATE_LED.match(sentence.text)
    day = P.parse_date(lead, r.doc_date) if lead and lead.group(2).lower() in P.MONTH_SPELLINGS else None
    name = P.NAME_RUN.search(sentence.text[lead.end():lead.end() + 80]) if day else None
    if name and same_territory(territory_key(name.group(0)), focus.key):
        start, end = lead.span(1)[0], lead.span(3)[1]
        focus.set("signed_on", r.cite(chunk, sentence, sentence.text[start:end], start, end, day.isoformat()))
        name_start, name_end = lead.end() + name.start(), lead.end() + name.end()
        focus.add("names", r.cite(chunk, sentence, sentence.text[name_start:name_end], name_start, name_end))


def dateline(r: Reading, chunk: StoredChunk, sentences: list[Sentence], i: int) -> None:
    """A date alone on the first line (under the title) of a page whose title and lead announce
    a signature."""
    sentence = sentences[i]
    if r.dateline or not r.announces_signature or chunk is not r.chunks[0] or sentence.is_heading:
        return
    if any(not earlier.is_heading for earlier in sentences[:i]):
        return
    match = P.DAY_MONTH_YEAR.fullmatch(sentence.text.strip(" #"))
    day = P.parse_date(match, None) if match and match.group(3) else None
    if day:
        start = sentence.text.index(match.group(0))
        end = start + len(match.group(0))
        r.dateline = r.cite(chunk, sentence, sentence.text[start:end], start, end, day.isoformat())


def attendance(r: Reading, chunk: StoredChunk, sentences: list[Sentence], i: int) -> None:
    """« En présence de M. X, président du PETR Y, et de Mme Z, directrice de l'ARS W »: the
    institutions whose heads attend a signature."""
    sentence = sentences[i]
    if r.focus is None or not r.announces_signature or not P.PRESENCE.search(sentence.text):
        return
    institutions(r, chunk, sentence)
    for match in P.OFFICE_OF.finditer(sentence.text):
        name = match.group("name")
        if is_collectivity(name) and not same_territory(territory_key(name), r.focus.key):
            r.focus.add("signatories", r.cite(chunk, sentence, name, *match.span("name")))


def between_block(r: Reading, chunk: StoredChunk, sentences: list[Sentence], i: int) -> None:
    """« Entre les soussignés : » followed by one party per line (« X, représentée par … »)."""
    if not P.BETWEEN_HEADER.match(sentences[i].text.lstrip("# ")):
        return
    for following in sentences[i + 1 : i + 10]:
        match = P.PARTY_LINE.match(following.text)
        if P.BETWEEN_HEADER.match(following.text.lstrip("# ")):
            continue
        if not match:
            break
        parties(r, chunk, following, [match.span(1)])


def joint_commitment(r: Reading, chunk: StoredChunk, sentences: list[Sentence], i: int) -> None:
    """« La Ville de X et l'ARS Y ont uni leurs forces pour élaborer un CLS »: the local authority
    of the subject takes the focus, the others are partners (the contract may not be signed yet)."""
    sentence = sentences[i]
    text = sentence.text
    verb = P.JOINT_COMMITMENT.search(text)
    if not verb or sentence.is_heading or not P.CLS_NAME.search(text[verb.end():verb.end() + 100]):
        return
    subject = subject_span(text, verb.start())
    if not subject or PERSON_TITLE.search(text, subject[0], subject[1]):
        return
    spans = [s for s in split_parties(text[subject[0]:subject[1]], subject[0]) or [subject] if is_name(text[s[0]:s[1]])]
    authority = next((s for s in spans if is_collectivity(strip_article(text[s[0]:s[1]]))), None)
    if authority is None:
        return
    start, end = clean_item(text, *authority)
    partial = r.focus_on(text[start:end])
    if partial is None:
        return
    cited = r.cite(chunk, sentence, text[start:end], start, end)
    partial.set("collectivite", cited)
    partial.add("names", cited)
    for span in spans:
        if span != authority:
            start, end = clean_item(text, *span)
            acronym = ACRONYM_AFTER.match(text, end)
            end = acronym.end() if acronym else end  # « l'Agence régionale de santé (ARS) »: the short form stays
            partial.add("partners", r.cite(chunk, sentence, text[start:end], start, end))


PERSON_TITLE = re.compile(r"\b(?:Madame|Monsieur|M\.|Mme|[Pp]résidente?|[Mm]aire|[Dd]irect(?:eur|rice))\b")


def about_another_device(text: str) -> bool:
    """« … signent ensemble leur CLSM »: a neighbouring scheme's signature (santé mentale)."""
    return bool(P.NOT_A_CLS.search(text)) and not P.CONTRACT.search(P.NOT_A_CLS.sub(" ", text))
