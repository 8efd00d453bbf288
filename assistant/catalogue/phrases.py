"""Pure helpers over one sentence's text: who signs (the subject of « … ont signé », the parties
after « avec » or « entre »), an institution behind a person's office, the date nearest a verb.

They hold no state, so the focus tracker and every detector can share them.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from assistant.catalogue import patterns as P
from assistant.catalogue.names import (
    clean_item,
    is_collectivity,
    is_name,
    split_parties,
    strip_article,
)
from assistant.core.french import fold
from assistant.core.sentences import Sentence


def signature_parties(text: str) -> list[tuple[int, int]]:
    """The subject of an active « X a signé … » and the parties after « avec »."""
    signed = P.SIGNED.search(text)
    if not signed:
        return []
    parties = []
    if not P.PASSIVE.match(text, signed.start()) and not signed.group(0).startswith("de "):
        subject = subject_span(text, signed.start())
        if subject:  # « le PETR du Pays X et l'ARS Grand Est ont signé »: two parties
            parties += split_parties(text[subject[0] : subject[1]], subject[0]) or [subject]
    with_ = P.WITH.search(text, signed.end())
    if with_:
        parties += split_parties(text[with_.end() : list_end(text, with_.end())], with_.end())
    by = P.BY.match(text, signed.end()) if P.PASSIVE.match(text, signed.start()) else None
    if by:
        parties += split_parties(text[by.end() : list_end(text, by.end())], by.end())
    return parties


def between_parties(text: str) -> list[tuple[int, int]]:
    """« conclu entre A, B et C » or « Entre A, B et C, il est convenu … »."""
    between = P.CONCLUDED_BETWEEN.search(text) or re.match(r"^\s*Entre\s+(?=\S)", text)
    if not between or not re.search(r"\bconclu|\bconvenu|\bsign", text, re.IGNORECASE):
        return []
    end = re.search(r",\s*il est convenu|\.\s*$|\s+pour\s|\s+(?:qui|que|dont|est|sera|a|ont)\s", text[between.end():])
    stop = between.end() + end.start() if end else len(text)
    return split_parties(text[between.end() : stop], between.end())


MAX_PROSE_SIGNATORIES = 10
"""More names than this in one sentence about signatories is a roll of partners."""
PRONOUN_WORDS = re.compile(r"^(?:Il|Elle|Ils|Elles|Le|La|Les|L['’]|Ce|Cette|Ces|Son|Sa|Ses|Leur|Leurs|Un|Une|Des|Parmi|Au|Aux|En|On|Pour|Avec|Dans|Depuis|Signataires?|Contrat|Partenaires?)$")


PERSON = re.compile(r"^(?:M\.|Mme|Madame|Monsieur|Dr)?\s*[A-ZÉÈ][\w-]+(?:\s+[A-ZÉÈ][\w-]+){0,3},\s+(?=[a-zéèàâ])")
"""« Simon Babre, préfet du Var »: a person named before the office held."""


def institution_of(text: str, start: int, end: int) -> tuple[int, int]:
    """A signatory as an institution: « Simon Babre, préfet du Var » → « préfet du Var »,
    « directeur de l'Agence régionale de santé » → « Agence régionale de santé »."""
    item = text[start:end]
    person = PERSON.match(item)
    if person:
        start += person.end()
        item = text[start:end]
    office = re.match(r"^(?:(?:le |la )?(?:directeur|directrice|président|présidente|maire|délégué|déléguée)"
                      r"(?: général| générale| départemental| départementale| territorial| territoriale)?)\s+"
                      r"(?:de la |de l['’]|du |des |de |d['’])", item, re.IGNORECASE)
    mayor = office and re.match(r"(?:le |la )?maire\b", item, re.IGNORECASE)
    if office and (P.INSTITUTION.search(item[office.end():]) or is_collectivity(item[office.end():]) or mayor):
        start += office.end()  # « maire de Toulon »: the commune
    return start, end


def subject_span(text: str, verb: int) -> tuple[int, int] | None:
    """The subject of the verb at `verb`: the names before it, back to the adverbial or the date
    that opens the sentence; None when it is a pronoun or a common noun."""
    end = verb
    gathered = GATHERED.search(text, 0, verb)
    if gathered:  # « X et Y se sont réunis le 4 mars à Z pour signer »: the subject is before the verb
        end = gathered.start()
    relative = RELATIVE.search(text, 0, end)
    if relative:  # « la CC X, qui a signé son CLS le … »: X
        end = relative.start()
    while end > 0 and text[end - 1] == " ":
        end -= 1
    while end > 0 and text[end - 1] == ")":  # « la CC des Villes sœurs (Eu, le Tréport) a signé »
        depth, i = 0, end - 1
        while i >= 0:
            depth += {")": 1, "(": -1}.get(text[i], 0)
            if depth == 0:
                break
            i -= 1
        end = max(i, 0)
        while end > 0 and text[end - 1] == " ":
            end -= 1
    if end > 0 and text[end - 1] == ",":  # « M. X, maire de Y, a signé »: the apposition closes
        end -= 1
    start = text.rfind(", ", 0, end)
    start = start + 2 if start >= 0 else 0
    start = listed_subject_start(text, start)
    speakers = re.match(r"\s*(?:les |des )?(?:représentant(?:e)?s|élu(?:e)?s|maires et présidents|présidents?|maires)"
                        r"(?: (?:et \w+ )?)?\s+(?:de la |de l['’]|du |des |de |d['’])", text[start:end], re.IGNORECASE)
    if speakers:  # « les représentants de la CC X se sont réunis pour signer »: the CC
        start += speakers.end()
    start, end = clean_item(text, start, end) if end > start else (start, end)
    if end - start < 3 or not is_name(text[start:end]) or P.CONTRACT.search(text[start:end]):
        return None
    return start, end


GATHERED = re.compile(r"\s+(?:se sont|s['’]est|se sont officiellement) (?:réuni|retrouvé|rassemblé|donné rendez-vous)\w*\b[^,]*$")
RELATIVE = re.compile(r",?\s+(?:qui|laquelle|lequel)\s*$")
OPENING = re.compile(r"^(?:Depuis|Dès|En|Lors|Après|Avant|Pour|Par|Dans|Sur|Ainsi|Aujourd|Enfin|Puis|Ce|Cette|Le \d)\b")
"""Words that open an adverbial, not a name, at the head of a sentence."""


OFFICE_SEGMENT = re.compile(
    r"(?:et )?(?:le |la )?(?:maire|président|présidente|vice-présidente?|directeur|directrice|préfet|préfète|sous-préfète?)\b",
    re.IGNORECASE)
"""« M. X, président de la CC Y, et Mme Z, directrice de l'ARS W, ont signé »: a person's office,
part of the subject, and the way to its institution (see `institution_of`)."""


def listed_subject_start(text: str, start: int) -> int:
    """« La Ville de X, l'ARS Y et la Préfecture Z ont signé »: the comma-separated names before
    the last one belong to the subject too, back to a date or an adverbial that opens the sentence."""
    while start >= 2 and text[start - 2 : start] == ", ":
        before = text.rfind(", ", 0, start - 2)
        segment_start = before + 2 if before >= 0 else 0
        segment = text[segment_start : start - 2]
        office = OFFICE_SEGMENT.match(text, start) or OFFICE_SEGMENT.match(segment)
        named = len(segment.split()) <= 2 or re.search(r"\s[A-ZÉÈÎÔÂ]", segment) or P.COLLECTIVITY.search(strip_article(segment))
        if not office and (not is_name(segment) or not named):
            break
        if OPENING.match(segment) or re.search(r"\b(?:19|20)\d{2}\b", segment) or len(segment.split()) > (14 if office else 8):
            break
        start = segment_start
    return start


def list_end(text: str, start: int) -> int:
    """Where a list of parties that starts at `start` ends (outside parentheses)."""
    depth = 0
    for i in range(start, len(text)):
        char = text[i]
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and P.LIST_STOP.match(text, i):
            return i
    return len(text)


def nearest_date(text: str, after: int, fallback: date | None) -> tuple[re.Match, date] | None:
    """The full date closest after `after` (else closest before): a signature's date follows its verb."""
    found = []
    for pattern in (P.DAY_MONTH_YEAR, P.NUMERIC_DATE):
        for match in pattern.finditer(text):
            day = P.parse_date(match, fallback)
            if day:
                distance = match.start() - after if match.start() >= after else 1000 + after - match.end()
                found.append((distance, match, day))
    if not found:
        return None
    _, match, day = min(found, key=lambda f: f[0])
    return match, day


def bare_line(text: str, sentence: Sentence) -> bool:
    """A short line of its own, without a final period: a list item written without a bullet."""
    alone = (sentence.start == 0 or text[sentence.start - 1] == "\n") and (
        sentence.end == len(text) or text[sentence.end : sentence.end + 1] == "\n")
    words = len(sentence.text.split())
    return alone and not sentence.is_heading and 2 <= words <= 20 and not sentence.text.rstrip().endswith((".", ":", "!", "?"))


ROMAN = {"II": "2", "III": "3", "IV": "4"}
ORDINALS = {"deuxieme": "2", "second": "2", "seconde": "2", "troisieme": "3", "quatrieme": "4"}


def generation_of(match: re.Match) -> str:
    """« 2 », « 3 » (which contract of the territory), « avenant », or « renouvelé »."""
    if match.group("n"):
        return match.group("n")
    if match.group("w"):
        return ORDINALS[fold(match.group("w"))]
    if match.group("numbered"):  # « CLS3 », « CLS II »
        return ROMAN.get(match.group("numbered").upper(), match.group("numbered"))
    return "avenant" if match.group("avenant") else "renouvelé"


def plausible_period(start: int, end: int) -> bool:
    return 1990 <= start <= end <= start + 12


def iso_last_day(value: str) -> date | None:
    """The last day a document's date (at any precision) may be: a year-less date in its text is
    placed no later than that."""
    try:
        if len(value) == 4 and value.isdigit():
            return date(int(value), 12, 31)
        if len(value) == 7 and value[4] == "-":
            year, month = int(value[:4]), int(value[5:7])
            return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
