"""Which questions the catalogue answers, recognised by explicit French patterns.

Three kinds: counts (« Combien de CLS sont actifs ? »), lists (« Quels CLS ont un axe santé
mentale ? », « Liste des CLS signés en 2025 », « Quels territoires ont signé un CLS ? ») and
precedents (« Trouve des actions similaires à l'interprétariat dans d'autres CLS »). A question
about one named CLS (« les axes du CLS du Havre ») is none of them: the documents answer it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.french import fold
from assistant.glossary import GLOSSARY

_CLS = r"(?:cls|contrats?(?: locaux de sante)?)"
PRECEDENT = re.compile(
    r"\b(?:actions?|initiatives?|projets?|fiches? actions?|experiences?|dispositifs?)\s+"
    r"(?:similaires?|semblables?|comparables?|analogues?|proches|equivalent(?:e|s|es)?|du meme type|comme)\b"
)
PRECEDENT_QUERY_END = re.compile(
    r"\s+(?:dans|chez|parmi|ailleurs|en normandie|d'autres|sur d'autres|menees?|deja)\b|\s*[?.!]|$"
)
COUNT = re.compile(rf"\bcombien (?:de |d')\s*(?:nouveaux |autres )?{_CLS}\b")
LIST = re.compile(
    rf"\b(?:quel(?:le)?s|lesquel(?:le)?s)\s+(?:sont\s+(?:les\s+)?)?(?:autres\s+)?"
    rf"(?:{_CLS}|territoires|collectivites|intercommunalites|epci)\b|"
    rf"\b(?:liste[rz]?|enumere[rz]?|citez|cite|donne(?:z|-moi)? la liste)\s+(?:moi\s+)?(?:des|les|tous les|de tous les)\s+"
    rf"(?:{_CLS}|territoires|collectivites)\b|^(?:la )?liste des {_CLS}\b"
)
PREPARATION = re.compile(r"\ben (?:cours d'elaboration|preparation|projet|construction)\b|\ba venir\b|\bprepar")
ENDED = re.compile(r"\b(?:termines?|echus?|expires?|arrives? a (?:echeance|terme)|clos|acheves?)\b")
ACTIVE = re.compile(r"\b(?:actifs?|actives?|en cours|en vigueur|actuels?)\b")
SIGNED_IN = re.compile(r"\b(?:signes?|conclus?)\s+en\s+((?:19|20)\d{2})\b|\ben ((?:19|20)\d{2})\b")
THEME = re.compile(
    r"\b(?:un |une |des |d'un |d'une |les |leur |leurs )?(axes?|actions?|fiches? actions?|themes?|priorites?)\s+"
    r"(?:(?:sur|de|du|des|en|pour|portant sur|consacrees? a|dediees? a|liees? a|relati(?:f|ve|fs|ves) a)\s+)?"
    r"(?:la |le |l'|les )?(.+?)\s*(?:en normandie)?\s*\??$"
)
ABOUT = re.compile(r"\b(?:qui (?:traitent|portent|agissent) (?:de|sur)|sur le theme de|consacres? a)\s+(?:la |le |l'|les )?(.+?)\s*\??$")
ALLOWED_NAMES = {"cls", "ars", "normandie", "normands", "normandes", "normand", "normande", "trouve", "liste"}
ALLOWED_NAMES |= {acronym.casefold() for acronym in GLOSSARY}


@dataclass(frozen=True)
class CatalogueQuestion:
    kind: str
    """count, list or precedents."""
    status: str | None = None
    """active, ended or in_preparation when the question asks for one."""
    year: int | None = None
    """« signés en 2025 »."""
    theme: str = ""
    """Words an axis or an action must contain (folded: « sante mentale »)."""
    theme_label: str = ""
    """The same words as the question writes them (« santé mentale »)."""
    theme_fields: tuple[str, ...] = ("axes", "actions")
    query: str = ""
    """For precedents: the action to find similar ones to."""
    signed: bool = False
    """The question is about signed contracts (« ont signé », « signés »)."""


def catalogue_question(question: str) -> CatalogueQuestion | None:
    folded = " ".join(fold(question).split())
    precedent = PRECEDENT.search(folded)
    if precedent:
        query = _precedent_query(folded, precedent.end())
        return CatalogueQuestion("precedents", query=query, theme_label=_as_written(question, query))
    if COUNT.search(folded):
        kind = "count"
    elif LIST.search(folded) and not _names_a_territory(question):
        kind = "list"
    else:
        return None
    year = SIGNED_IN.search(folded)
    theme, fields = _theme(folded)
    return CatalogueQuestion(
        kind,
        status=_status(folded),
        year=int(year.group(1) or year.group(2)) if year else None,
        theme=theme,
        theme_label=_as_written(question, theme),
        theme_fields=fields,
        signed=bool(re.search(r"\bsign", folded)),
    )


def _status(folded: str) -> str | None:
    if PREPARATION.search(folded):
        return "in_preparation"
    if ENDED.search(folded):
        return "ended"
    if ACTIVE.search(folded):
        return "active"
    return None


def _theme(folded: str) -> tuple[str, tuple[str, ...]]:
    match = THEME.search(folded)
    if match:
        word = match.group(1)
        fields = ("axes",) if word.startswith("axe") else ("actions",) if "action" in word else ("axes", "actions")
        return _trim_theme(match.group(2)), fields
    about = ABOUT.search(folded)
    if about:
        return _trim_theme(about.group(1)), ("axes", "actions")
    return "", ("axes", "actions")


def _trim_theme(theme: str) -> str:
    theme = re.sub(r"\s+(?:dans|en|parmi)\s+(?:les\s+)?(?:cls|normandie|territoires).*$", "", theme)
    return theme.strip(" ?.!")


def _as_written(question: str, folded_words: str) -> str:
    """The words of `question` that fold to `folded_words`."""
    wanted = folded_words.split()
    tokens = question.split()
    folded = [re.sub(r"^(?:l|d|qu)'", "", fold(t).strip("?!.,;:")) for t in tokens]
    for start in range(len(tokens) - len(wanted), -1, -1):
        if folded[start : start + len(wanted)] == wanted:
            return " ".join(tokens[start : start + len(wanted)]).strip("?!.,;: ")
    return folded_words


def _precedent_query(folded: str, start: int) -> str:
    rest = re.sub(r"^\s*(?:a|au|aux|de|du|des|que|a la|a l')\s+", "", folded[start:])
    rest = re.sub(r"^(?:la |le |l'|les )", "", rest)
    end = PRECEDENT_QUERY_END.search(rest)
    return rest[: end.start()].strip() if end else rest.strip()


def _names_a_territory(question: str) -> bool:
    """A capitalised word after the first that is not an allowed acronym or the region."""
    tokens = re.findall(r"[\w’'-]+", question)
    for position, token in enumerate(tokens):
        for part in re.split(r"[’'-]", token):
            if position > 0 and part[:1].isupper() and fold(part) not in ALLOWED_NAMES:
                return True
    return False
