"""Who signs or partners a CLS: the parties of a signing sentence, institutions however they are
named, « signataires (a, b) » / « Partenaires : a, b » lists, and prose about the contract's
signatories or carriers (« le CLS est porté par … »)."""

from __future__ import annotations

import re

from assistant.catalogue import patterns as P
from assistant.catalogue.model import Cited
from assistant.catalogue.names import (
    clean_item,
    closing_parenthesis,
    is_collectivity,
    is_name,
    same_territory,
    split_parties,
    strip_article,
    territory_key,
)
from assistant.catalogue.phrases import (
    MAX_PROSE_SIGNATORIES,
    PRONOUN_WORDS,
    institution_of,
)
from assistant.catalogue.reading import Reading, StoredChunk
from assistant.core.french import fold
from assistant.core.geography import is_regional_name
from assistant.core.sentences import Sentence

PLURAL_AUTHORITY = re.compile(r"(?:les )?(?:communautés|communes|villes|intercommunalités)\b", re.IGNORECASE)
CALENDAR = re.compile(rf"^(?:{'|'.join(P.MONTH_SPELLINGS)}|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)$", re.IGNORECASE)
"""« ce 9 Juillet 2021 »: a capitalised month is not a signatory."""
MAYOR = re.compile(r"\bmaire\b", re.IGNORECASE)
ACRONYM_ITEM = re.compile(r"(?:(?<=, )|(?<=\()|(?<=\bla )|(?<=\ble )|(?<=\bl['’]))([A-Z]{3,6})(?=\s*(?:,|\)|\(|\s+et\b|\.?$))")
"""« la CPAM, la MRSI (…) et la CPTS »: an organisation's acronym as an item of the parties' roll."""
NOT_AN_ORGANISATION = {"CLS", "CLSM", "PRS", "CPOM", "COPIL", "COTECH", "HPST", "PTSM", "CRTE", "QPV", "EPCI", "PETR",
                       "DLS", "ASV", "SRS", "PRSE", "PRAPS", "ORS"}
ACRONYM_AFTER = re.compile(r"\s*\([A-Z]{2,6}\)")
TOWNS_BEFORE = re.compile(r"\b(?:villes|communes) (?:de |d['’])(?:[\w’'-]+(?:,\s*|\s+))*$", re.IGNORECASE)
BACK_REFERENCE = re.compile(r"^(?:Il|Elle|Celui-ci|Ce(?:tte)?\s+(?:\w+\s+)?(?:démarche|contrat|dispositif|projet|plan))\b")
"""« Cette démarche partenariale est portée par … »: the sentence speaks of the CLS just named."""
PERSON_BEFORE_OFFICE = re.compile(
    r",\s*(?:le |la )?(?:maire|président|présidente|directeur|directrice|préfet|préfète|ministre|adjoint|adjointe|"
    r"vice|conseill|délégu|élu|responsable|coordinat)", re.IGNORECASE)


def parties(r: Reading, chunk: StoredChunk, sentence: Sentence, spans: list[tuple[int, int]]) -> None:
    """The local authority among the parties takes the focus; the others are signatories."""
    text = sentence.text
    communes = set()  # « Mme X, maire de Y »: Y is a commune, whatever its name looks like
    mapped = []
    for span in spans:
        cleaned = clean_item(text, *span)
        office = institution_of(text, *cleaned)  # « M. X, président de la CC Y » → the CC Y
        if MAYOR.search(text[cleaned[0]:office[0]]):
            communes.add(office)
        mapped.append(office)
    named = [(s, e) for s, e in mapped if is_name(text[s:e]) and not P.CONTRACT.match(strip_article(text[s:e]))]
    authority = next(
        ((s, e) for s, e in named if r.is_doc_territory(text[s:e])),
        next(((s, e) for s, e in named if is_collectivity(strip_article(text[s:e])) or (s, e) in communes), None),
    )
    if authority:
        start, end = clean_item(text, *authority)
        partial = r.focus_on(text[start:end])
        if partial:
            cited = r.cite(chunk, sentence, text[start:end], start, end)
            partial.set("collectivite", cited)
            partial.add("names", cited)
    if r.focus is None:
        return
    plural = bool(authority and PLURAL_AUTHORITY.match(text[authority[0]:authority[1]]))
    for span in named:
        if span == authority or own_acronym(r, text[span[0]:span[1]]):
            continue
        if plural and not P.INSTITUTION.search(text[span[0]:span[1]]):
            continue  # « les communautés de communes A, B et C »: B and C share the plural authority
        start, end = span
        inside = P.INSTITUTION_NAME.search(text, start, end)
        if inside and len(text[start:end].split()) > 4:  # « l'État représenté par le Préfet »
            start, end = clean_item(text, *inside.span())
        if end - start >= 2:
            r.focus.add("signatories", r.cite(chunk, sentence, text[start:end], start, end))


def institutions(r: Reading, chunk: StoredChunk, sentence: Sentence, names: bool = False, acronyms: bool = False) -> None:
    """Institutions a signing sentence names, however it names them (« en présence de X,
    directeur général de l'ARS Normandie »); with `names`, any other name too (« les villes de
    Strasbourg, Schiltigheim et Illkirch »), but never a person (« Josée Massi, maire »); with
    `acronyms`, the bare acronyms of the roll too (« la CARSAT, la MRSI et la CPTS »)."""
    text = sentence.text
    taken: list[tuple[int, int]] = []
    for match in P.INSTITUTION_NAME.finditer(text):
        taken.append(match.span())
        start, end = clean_item(text, *match.span())
        acronym = ACRONYM_AFTER.match(text, end, match.end())
        end = acronym.end() if acronym else end  # « Agence régionale de santé (ARS) »: the short form stays
        r.focus.add("signatories", r.cite(chunk, sentence, text[start:end], start, end))
    for match in ACRONYM_ITEM.finditer(text) if acronyms else ():
        if match.group(1) not in NOT_AN_ORGANISATION and not own_acronym(r, match.group(1)) and not any(
                a <= match.start() < b for a, b in taken):
            r.focus.add("signatories", r.cite(chunk, sentence, match.group(1), *match.span(1)))
    if not names:
        return
    runs = [span for m in P.NAME_RUN.finditer(text) for span in split_parties(m.group(0), m.start()) or [m.span()]]
    if len(runs) > MAX_PROSE_SIGNATORIES:
        return  # a long roll of partners, not the parties
    for start, end in runs:
        name = text[start:end]
        if any(a < end and start < b for a, b in taken) or len(name) < 3:
            continue
        if re.match(r"\s+(?!et\b|ainsi\b)[a-zàâçéèêîôû]", text[end:]):
            continue  # the start of a longer name (« Ligue » of « Ligue contre le cancer »)
        if PRONOUN_WORDS.match(name) or P.CLS_NAME.search(name) or is_regional_name(name) or CALENDAR.match(name):
            continue
        if PERSON_BEFORE_OFFICE.match(text[end:end + 30]):
            continue  # a person, named before the office
        own = r.is_doc_territory(name) or (r.focus and same_territory(territory_key(name), r.focus.key))
        if own and not _member_town(r, text, start):
            continue
        r.focus.add("signatories", r.cite(chunk, sentence, name, start, end))


def own_acronym(r: Reading, name: str) -> bool:
    """« la CCHVO » in the Communauté de communes du Haut Val d'Oise's text: the authority itself."""
    bare = strip_article(name)
    if not re.fullmatch(r"[A-Z]{2,8}", bare):
        return False
    names = [r.tracker.doc_territory, *(c.value for c in (r.focus.names if r.focus else []))]
    return any(bare == _initials(n) for n in names if n)


def _initials(name: str) -> str:
    return "".join(w[0] for w in re.findall(r"[\w’'-]+", re.sub(r"\b[dl]['’]", " ", name))
                   if w.lower() not in {"de", "du", "des", "la", "le", "les", "et", "en", "sur", "aux"}).upper()


def _member_town(r: Reading, text: str, start: int) -> bool:
    """« la présence des villes de Strasbourg, Schiltigheim et … » in the Eurométropole de
    Strasbourg's document: the city, a party of its own beside the intercommunal authority."""
    territory = r.tracker.doc_territory
    intercommunal = re.match(r"(?:la |l['’])?(?:Communauté|Eurométropole|Métropole|Agglo|Pays|PETR|Pôle)", territory, re.IGNORECASE)
    return bool(intercommunal) and bool(TOWNS_BEFORE.search(text[max(0, start - 60):start]))


def lists_of_parties(r: Reading, chunk: StoredChunk, sentences: list[Sentence], i: int) -> None:
    """« les signataires (a, b et c) », « Partenaires : a, b, c », or a « Partenaires » label
    followed by its list."""
    text = sentences[i].text
    for match in P.LIST_OF.finditer(text):
        field_name = "signatories" if fold(match.group("kind")).startswith("signataires") else "partners"
        if match.group("open") == "(":
            end = closing_parenthesis(text, match.end())
        else:
            stop = re.search(r"\.\s*$", text[match.end():])
            end = match.end() + stop.start() if stop else len(text)
        quote_end = min(end + 1, len(text)) if match.group("open") == "(" else end
        source = r.source(chunk, text[match.start():quote_end])
        for item_start, item_end in split_parties(text[match.end():end], match.end(), loose=True):
            start, stop = clean_item(text, item_start, item_end)
            if stop - start >= 2:
                r.focus.add(field_name, Cited(text[start:stop], source))
    if P.LABEL_PARTNERS.match(text) and i + 1 < len(sentences):
        following = sentences[i + 1]
        for item_start, item_end in split_parties(following.text, loose=True):
            start, stop = clean_item(following.text, item_start, item_end)
            if stop - start >= 2:
                r.focus.add("partners", r.cite(chunk, following, following.text[start:stop], start, stop))


def preamble_line(r: Reading, chunk: StoredChunk, sentences: list[Sentence], i: int) -> None:
    """A preamble on one line: « Entre : la Préfecture …, l'ARS … »."""
    sentence = sentences[i]
    if re.match(r"^\s*(?:ENTRE|Entre)\b\s*:?", sentence.text) and r.about_cls and not sentence.is_heading:
        institutions(r, chunk, sentence)


def prose_signatories(r: Reading, chunk: StoredChunk, sentences: list[Sentence], i: int) -> None:
    """« … les cosignataires sont … », « en partenariat avec … », « le CLS est porté par … »."""
    sentence = sentences[i]
    text = sentence.text
    if sentence.is_heading:
        return
    contractual = bool(P.CONTRACT.search(text)) or r.doc_key == r.focus.key
    carried = P.CARRIED_BY.search(text)
    if P.SIGNATORIES_WORD.search(text):
        # a structured list (« signataires (a, b) ») is read by lists_of_parties; prose gets names too
        institutions(r, chunk, sentence, names=not P.LIST_OF.search(text))
    elif (P.PARTNERSHIP.search(text) and contractual) or (
        carried and (P.CLS_NAME.search(text) or BACK_REFERENCE.match(text))
        and not P.REGIONAL_PLAN.search(text[: carried.start()])  # « le PRS porté par l'ARS »: not the CLS
    ):
        institutions(r, chunk, sentence)
