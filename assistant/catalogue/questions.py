"""Which questions the catalogue answers, recognised by explicit French patterns.

Four kinds: counts (« Combien de CLS sont en vigueur ? »), lists (« Quels contrats comptent un axe
sur la santé mentale ? », « Liste des CLS signés en 2025 », « Quels territoires ont signé un CLS ? »), the
newest (« quel est le dernier contrat signé ? ») and precedents (« Trouve des actions similaires à
l'interprétariat dans d'autres CLS »). A question about one named CLS (« les axes du CLS du
Havre ») is none of them: the documents answer it.

A count or a list may be scoped to a region (by name or abbreviation: « combien de CLS en
Corse ? », « les CLS de Bretagne », « CLS en PACA »), a department (« dans le Gard »: the CLS its
documents place there, not its region's), a territory (« les CLS de Toulon »), a year or a
theme: it is then answered, or declined, for that scope only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.core.french import fold
from assistant.core.geography import regions_in
from assistant.core.glossary import GLOSSARY

_CLS = r"(?:cls|contrats?(?: locaux de sante)?)"
PRECEDENT = re.compile(
    r"\b(?:actions?|initiatives?|projets?|fiches? actions?|experiences?|dispositifs?)\s+"
    r"(?:similaires?|semblables?|comparables?|analogues?|proches|equivalent(?:e|s|es)?|du meme type|comme)\b"
)
PRECEDENT_QUERY_END = re.compile(
    r"\s+(?:dans|chez|parmi|ailleurs|en normandie|d'autres|sur d'autres|menees?|deja)\b|\s*[?.!]|$"
)
NEWEST = re.compile(
    rf"\b{_CLS}\s+(?:\w+\s+){{0,3}}?(?:le |la )?plus rec(?:ent|ente|emment)\b|"
    rf"\b(?:le |la )?plus recente?\s+(?:des |de nos |parmi les )?{_CLS}\b|"
    rf"\b(?:dernier|derniere) {_CLS}\s+(?:a avoir ete |a etre |qui a ete )?signe"
)
"""« le contrat signé le plus récemment en Bretagne », « le plus récent des CLS », « le dernier CLS signé »."""
COUNT = re.compile(rf"\bcombien (?:de |d')\s*(?:nouveaux |autres )?{_CLS}\b")
LIST = re.compile(
    rf"\b(?:quel(?:le)?s|lesquel(?:le)?s)\s+(?:sont\s+(?:les\s+)?)?(?:autres\s+)?"
    rf"(?:{_CLS}|territoires|collectivites|intercommunalites|epci)\b|"
    rf"\b(?:liste[rz]?|enumere[rz]?|citez|cite|donne(?:z|-moi)? la liste)\s+(?:moi\s+)?(?:des|les|tous les|de tous les)\s+"
    rf"(?:{_CLS}|territoires|collectivites)\b|^(?:la )?liste des {_CLS}\b|"
    rf"^(?:et )?(?:les|tous les|quels sont les) {_CLS}\s+(?:signes\s+)?(?:de|d'|du|des|en|dans)\b"
)
PLACE = re.compile(
    r"\b(?:de|du|des|d['’]|à|a|en|dans|sur)\s+(?:la |le |les |l['’])?((?:Communauté|Métropole|Agglo|Pays|Ville|PETR)?"
    r"[\w\s'’-]*?[A-ZÉÈÎÔ][\w'’-]+(?:[\s-]+(?:de la |de l['’]|du |des |de |d['’]|la |le |sur |en )?[A-ZÉÈÎÔ][\w'’-]+)*)"
)
"""« les CLS de Saint-Lô Agglo », « combien de CLS à Toulon » (as written, capitals kept)."""
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
    """count, list, newest or precedents."""
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
    region: str = ""
    """A region the question is restricted to (assistant/core/geography.py name)."""
    department: str = ""
    """A department the question names (« dans la Manche »): its region's counts do not answer it."""
    place: str = ""
    """A territory the question is restricted to, as written (« Toulon »)."""
    scope_label: str = ""
    """The scope as the question writes it (« en Corse », « de Bretagne »), for the answer."""

    @property
    def scoped(self) -> bool:
        return bool(self.region or self.place or self.year or self.theme or self.status)


def catalogue_question(question: str) -> CatalogueQuestion | None:
    folded = " ".join(fold(question).split())
    precedent = PRECEDENT.search(folded)
    if precedent:
        query = _precedent_query(folded, precedent.end())
        return CatalogueQuestion("precedents", query=query, theme_label=_as_written(question, query))
    region, department, place, label = _scope(question)
    if NEWEST.search(folded):
        kind = "newest"
    elif COUNT.search(folded):
        kind = "count"
    elif LIST.search(folded) and (region or place or not _names_a_territory(question)):
        kind = "list"
    else:
        return None
    year = SIGNED_IN.search(folded)
    theme, fields = _theme(folded)
    if region or place:
        theme = _trim_theme(re.sub(rf"\b(?:en|de|du|des|d'|a|dans)\s+(?:la |le |l')?{re.escape(fold(label.split(' ', 1)[-1]))}.*$", "", theme)) if theme else theme
    return CatalogueQuestion(
        kind,
        region=region,
        department=department,
        place=place,
        scope_label=label,
        status=_status(folded),
        year=int(year.group(1) or year.group(2)) if year else None,
        theme=theme,
        theme_label=_as_written(question, theme),
        theme_fields=fields,
        signed=bool(re.search(r"\bsign", folded)),
    )


def _scope(question: str) -> tuple[str, str, str, str]:
    """(region, department, place, as written): the region a question names (« en Corse »,
    « PACA », « dans le Gard », its department then named too), else a capitalised place after a
    preposition that is not an acronym of the glossary."""
    for mention in regions_in(question):
        before = re.search(r"(?:\b(?:en|de|du|des|d['’]|à|a|dans|sur)\s+(?:la |le |les |l['’])?)$", question[: mention.start])
        label = (before.group(0) if before else "") + mention.text
        department = mention.department.name if mention.department else ""
        return mention.region.name, department, "", label.strip()
    for match in PLACE.finditer(question):
        name = match.group(1).strip()
        if all(fold(w) in ALLOWED_NAMES or not w[:1].isupper() for w in re.findall(r"[\w'’-]+", name)):
            continue
        return "", "", name, match.group(0).strip()
    return "", "", "", ""


def _status(folded: str) -> str | None:
    if PREPARATION.search(folded):
        return "in_preparation"
    if ENDED.search(folded):
        return "ended"
    if ACTIVE.search(folded):
        return "active"
    return None


LEADING_RELATION = re.compile(
    r"^(?:(?:dedie|consacre|relatif|lie|destine|oriente)e?s?\s+(?:a|aux?)|portant sur|concernant|autour de|sur)"
    r"\s+(?:la |le |l'|les )?"
)


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
    theme = LEADING_RELATION.sub("", theme)  # « (une action) consacrée à la nutrition » → « nutrition »
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
