"""The kind of value a question asks for, and whether a sentence states one.

« Quel numéro appeler pour joindre l'animateur du contrat ? » is answered only by a sentence holding
a phone number, « pour combien de temps ? » only by a duration: a sentence on the right subject
without the value is no answer, and the documents « ne le disent pas ». The cue words themselves
(« téléphone », « durée ») are not expected in the answer.
"""

from __future__ import annotations

import re

from assistant.core.dates import MONTH_ALTERNATION

NUMBER_WORD = r"(?:un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|quinze|vingt|trente)"
YEAR = r"(?:19|20)\d{2}"
MONTH = rf"(?:{MONTH_ALTERNATION})\.?"
"""A month as written, its abbreviation too (« 3 juil. 2025 »)."""

_ROLE = (r"(?:coordinat|coordonnat|référent|chargée? de (?:mission|prévention)|animat|responsable|direct|président|"
         r"maire|élue?s?\b|adjoint|préfet|contact)")
_OFFICE = (r"(?:[Mm]aire|[Pp]résident|[Vv]ice-[Pp]résident|[Dd]irect|[Cc]oordinat|[Cc]oordonnat|[Cc]hargée?|[Rr]esponsable|"
           r"[Pp]réfet|[Dd]éputé|[Ss]énat|[Aa]djoint|[Cc]onseill|[Éé]lue?|[Dd]élégu|[Aa]nimat)")
_GIVEN = r"[A-ZÉÈ][a-zéèëïîç]{2,}(?:-[A-ZÉÈ][a-zéèëïîç]+)?"
_NOT_GIVEN = r"(?!(?:Les|Ces|Des|Pays|Ville|Commune|Communauté|Métropole|Agglo|Chaque|Signature|Contrat|Projet|Pôle)\b)"

CUES: list[tuple[str, re.Pattern]] = [
    # « Qui est la coordinatrice … ? »: a person's name; the role stays a word to match (lookahead).
    ("person", re.compile(
        rf"\b(?:comment s['’]appellen?t?|(?:quel est |quels sont )?(?:le |les )?noms? (?:du|de la|de l['’]|des)\s+(?={_ROLE})|"
        rf"qui (?:est|était|sont|étaient) (?:le |la |l['’]|les )\s*(?={_ROLE})|qui a (?:\w+ )?été (?=recrutée?|nommée?|désignée?)|"
        rf"quel(?:le)?s? (?=élue?s?))", re.I)),
    ("phone", re.compile(r"\b(?:num[ée]ro(?: de t[ée]l[ée]phone)?|t[ée]l[ée]phone|joindre|appeler)\b", re.I)),
    ("email", re.compile(r"\b(?:e-?mail|courriel|adresse (?:e-?mail|électronique|mail))\b", re.I)),
    ("amount", re.compile(
        r"\b(?:montant|budget|co[uû]t(?:e|ent)?|enveloppe|combien (?:d['’]argent|d['’]euros)|"
        r"combien\b(?=[^?]*\b(?:met|mis|mettent|finance|financ\w+|verse|vers\w+|allou\w+|apport\w+|investi\w*|"
        r"donn\w+|subventionn\w+|accord\w+)\b))", re.I)),
    ("duration", re.compile(
        r"\b(?:(?:pour|pendant|sur) combien de temps|combien de temps|(?:quelle|sa|leur|la même) dur[ée]e|"
        r"combien d['’]ann[ée]es|pour combien d['’]ann[ée]es)\b", re.I)),
    ("period", re.compile(
        r"\b(?:quelles? p[ée]riodes?|les p[ée]riodes|jusqu['’](?:à|a) quand|de quand à quand|"
        r"(?:sur|pour|de) quelles ann[ée]es)\b", re.I)),
    ("place", re.compile(r"(?:^|\b(?:et|,)\s+)o[uù]\b(?!\s+(?:bien|alors))|\b(?:quel lieu|à quel endroit|dans quelle ville|en quel lieu)\b", re.I)),
    ("day", re.compile(r"\b(?:quel jour|(?:à |a )?quelle date (?:exacte|précise)|date (?:exacte|précise))\b", re.I)),
    ("date", re.compile(
        r"\b(?:quand|quelle date|(?:en|de|à) quelle ann[ée]e|quelle ann[ée]e|depuis quand|date de signature|"
        r"en premier|en dernier|le plus r[ée]cent|la plus r[ée]cente|le plus r[ée]cemment|le plus ancien|"
        r"la plus ancienne)\b", re.I)),
    ("count", re.compile(
        r"\bcombien\b(?:[- ]+y[- ]+a[- ]+t[- ]+il)?\s+(?:de |d['’])(?!temps|argent|euros)|\bnombre (?:de |d['’])", re.I)),
]

VALUES: dict[str, re.Pattern] = {
    "person": re.compile(
        rf"\b(?:M\.|Mme|Monsieur|Madame|Dr\.?)(?:\s+[A-ZÉÈ][\w'-]+){{1,3}}|"
        rf"\b{_NOT_GIVEN}{_GIVEN}\s+[A-ZÉÈ][A-ZÉÈ'-]{{3,}}\b|"
        rf"\b{_NOT_GIVEN}{_GIVEN}\s+(?:de |d['’]|Le |La )?[A-ZÉÈ][a-zéèëïîç]+(?:-[A-ZÉÈ][a-zéèëïîç]+)?,\s+(?:le |la )?{_OFFICE}"),
    "phone": re.compile(r"(?:\+33\s?|\b0)[1-9](?:[\s.-]?\d{2}){4}\b"),
    "email": re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.]+\b"),
    "amount": re.compile(
        r"\d[\d\s  .,]*\s?(?:k€|m€|€|euros?\b|millions? d['’]euros|milliers? d['’]euros)", re.I),
    "duration": re.compile(
        rf"\b(?:\d+|{NUMBER_WORD})\s+(?:ans?|ann[ée]es?|mois)\b|\b{YEAR}\s*(?:[-–/]|à|au)\s*{YEAR}\b", re.I),
    "period": re.compile(
        rf"\b{YEAR}\s*(?:[-–/]|à|au|et)\s*{YEAR}\b|\bjusqu['’](?:en|à|au)\s+(?:\w+\s+)?{YEAR}\b|"
        rf"\b(?:horizon|d['’]ici(?: à)?|échéance)\s+{YEAR}\b|"
        rf"\b(?:du|de)\s+(?:\w+\s+){{0,3}}{YEAR}\s+(?:au|à)\s+(?:\w+\s+){{0,3}}{YEAR}\b", re.I),
    "day": re.compile(rf"\b\d{{1,2}}(?:er)?\s+{MONTH}\b", re.I),
    "date": re.compile(rf"\b\d{{1,2}}(?:er)?\s+{MONTH}(?:\s+{YEAR})?\b|\b{MONTH}\s+{YEAR}\b|\b{YEAR}\b", re.I),
    "count": re.compile(rf"(?<![\d.,°])(?<!axe )(?<!article )(?<!partie )(?<!action )\b(?!{YEAR}\b)\d+\b(?!(?:er)?\s+{MONTH})|\b(?!une?\b){NUMBER_WORD}\b|\bune? (?:seule?|dizaine|vingtaine|quarantaine|cinquantaine|centaine)\b", re.I),
}


COMPLETE: dict[str, re.Pattern] = {
    "date": re.compile(rf"\b\d{{1,2}}(?:er)?\s+{MONTH}\s+{YEAR}\b", re.I),
    "place": re.compile(r"\b(?:à|au|aux)\s+(?:l['’]|la\s+|les\s+)?[A-ZÉÈ][\w’'-]+"),
}
"""A value of the kind said in full: « 11 décembre 2025 » beats « ce jeudi 11 décembre », a
named place (« à Valdahon ») a sentence that names none."""


def states_completely(kind: str | None, text: str) -> bool:
    return kind in COMPLETE and bool(COMPLETE[kind].search(text))


def kind_of(question: str) -> str | None:
    """The kind of value the question asks for, or None (an explanation, a list, a how-to)."""
    return next((kind for kind, cue in CUES if cue.search(question)), None)


def cue_span(question: str, kind: str | None) -> tuple[int, int] | None:
    """Where the words announcing the kind are, to leave them out of the terms to match."""
    if kind is None:
        return None
    cue = dict(CUES)[kind].search(question)
    return cue.span() if cue else None


UNCHECKED = {"place"}
"""Kinds whose cue words are set aside but whose values are too varied to check (« à la mairie »,
« dans tous les pôles », « sur le port »)."""


def states(kind: str | None, text: str) -> bool:
    """Whether the text states a value of that kind (always true when no kind is asked)."""
    return kind is None or kind in UNCHECKED or bool(VALUES[kind].search(text))


def value_span(kind: str | None, text: str) -> str | None:
    """The first value of that kind in the text, verbatim: the direct answer put first."""
    if kind is None or kind == "count" or kind in UNCHECKED:
        return None
    found = (COMPLETE[kind].search(text) if kind in COMPLETE else None) or VALUES[kind].search(text)
    return found.group(0).strip() if found else None
