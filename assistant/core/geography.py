"""French regions, their departments, abbreviations and ARS: the one table the catalogue and the
question reader share.

Why one module: a CLS is local, a region is not. An ARS page (« ARS Bretagne ») is a publisher, a
region name is a scope (« combien de CLS en Corse ? »), a department in a sentence places a
territory. Matching is accent- and case-insensitive, except for department names that are also
common French words (« Nord », « Var », « Lot », « Manche »…): those count only capitalised.

API:
- `region_of(text)`: the region a text names (by name, former name, abbreviation, department, or
  its ARS), the most named one first; None if none.
- `regions_in(text)`: every mention, as `Mention(region, department, start, end, text)`.
- `find_region(name)`: a region from its exact name, alias or abbreviation (« BFC », « Corse »).
- `department_named(text)`: the first department a text names.
- `is_regional_name(text)`: the text is only a region, department or ARS name (« Centre-Val de
  Loire », « ARS Martinique », « le Gard »): a publisher or a scope, never a CLS territory.
- `REGIONS`: every region with `name`, `aliases`, `abbreviations`, `departments`, `ars`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.core.french import fold_in_place as fold


@dataclass(frozen=True)
class Department:
    code: str
    name: str


@dataclass(frozen=True)
class Region:
    name: str
    aliases: tuple[str, ...]
    """Other names: former regions merged in 2016, usual short forms."""
    abbreviations: tuple[str, ...]
    departments: tuple[Department, ...]

    @property
    def ars(self) -> str:
        return f"ARS {self.name}"

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases, *self.abbreviations)


def _departments(spec: str) -> tuple[Department, ...]:
    return tuple(Department(*item.split(":", 1)) for item in spec.split("|"))


REGIONS: tuple[Region, ...] = (
    Region("Auvergne-Rhône-Alpes", ("Auvergne", "Rhône-Alpes", "AuRA"), ("ARA", "AURA"), _departments(
        "01:Ain|03:Allier|07:Ardèche|15:Cantal|26:Drôme|38:Isère|42:Loire|43:Haute-Loire|63:Puy-de-Dôme|"
        "69:Rhône|73:Savoie|74:Haute-Savoie")),
    Region("Bourgogne-Franche-Comté", ("Bourgogne", "Franche-Comté"), ("BFC",), _departments(
        "21:Côte-d'Or|25:Doubs|39:Jura|58:Nièvre|70:Haute-Saône|71:Saône-et-Loire|89:Yonne|90:Territoire de Belfort")),
    Region("Bretagne", (), (), _departments("22:Côtes-d'Armor|29:Finistère|35:Ille-et-Vilaine|56:Morbihan")),
    Region("Centre-Val de Loire", ("région Centre",), ("CVL",), _departments(
        "18:Cher|28:Eure-et-Loir|36:Indre|37:Indre-et-Loire|41:Loir-et-Cher|45:Loiret")),
    Region("Corse", ("Corsica",), (), _departments("2A:Corse-du-Sud|2B:Haute-Corse")),
    Region("Grand Est", ("Alsace", "Lorraine", "Champagne-Ardenne"), ("GE",), _departments(
        "08:Ardennes|10:Aube|51:Marne|52:Haute-Marne|54:Meurthe-et-Moselle|55:Meuse|57:Moselle|67:Bas-Rhin|"
        "68:Haut-Rhin|88:Vosges")),
    Region("Hauts-de-France", ("Nord-Pas-de-Calais", "Picardie"), ("HDF",), _departments(
        "02:Aisne|59:Nord|60:Oise|62:Pas-de-Calais|80:Somme")),
    Region("Île-de-France", (), ("IDF",), _departments(
        "75:Paris|77:Seine-et-Marne|78:Yvelines|91:Essonne|92:Hauts-de-Seine|93:Seine-Saint-Denis|"
        "94:Val-de-Marne|95:Val-d'Oise")),
    Region("Normandie", ("Basse-Normandie", "Haute-Normandie"), (), _departments(
        "14:Calvados|27:Eure|50:Manche|61:Orne|76:Seine-Maritime")),
    Region("Nouvelle-Aquitaine", ("Aquitaine", "Limousin", "Poitou-Charentes"), ("NA", "NAQ"), _departments(
        "16:Charente|17:Charente-Maritime|19:Corrèze|23:Creuse|24:Dordogne|33:Gironde|40:Landes|"
        "47:Lot-et-Garonne|64:Pyrénées-Atlantiques|79:Deux-Sèvres|86:Vienne|87:Haute-Vienne")),
    Region("Occitanie", ("Languedoc-Roussillon", "Midi-Pyrénées"), ("OCC",), _departments(
        "09:Ariège|11:Aude|12:Aveyron|30:Gard|31:Haute-Garonne|32:Gers|34:Hérault|46:Lot|48:Lozère|"
        "65:Hautes-Pyrénées|66:Pyrénées-Orientales|81:Tarn|82:Tarn-et-Garonne")),
    Region("Pays de la Loire", (), ("PDL",), _departments(
        "44:Loire-Atlantique|49:Maine-et-Loire|53:Mayenne|72:Sarthe|85:Vendée")),
    Region("Provence-Alpes-Côte d'Azur", ("Région Sud",), ("PACA",), _departments(
        "04:Alpes-de-Haute-Provence|05:Hautes-Alpes|06:Alpes-Maritimes|13:Bouches-du-Rhône|83:Var|84:Vaucluse")),
    Region("Guadeloupe", ("Guadeloupe, Saint-Martin et Saint-Barthélemy", "Guadeloupe, Saint-Martin, Saint-Barthélemy"), (),
           _departments("971:Guadeloupe")),
    Region("Martinique", (), (), _departments("972:Martinique")),
    Region("Guyane", ("Guyane française",), (), _departments("973:Guyane")),
    Region("La Réunion", ("Réunion", "île de La Réunion"), (), _departments("974:La Réunion")),
    Region("Mayotte", (), (), _departments("976:Mayotte")),
)

COMMON_WORDS = {"ain", "aube", "aude", "cher", "eure", "gard", "gers", "indre", "jura", "loire", "lot", "manche",
                "marne", "meuse", "nord", "oise", "orne", "paris", "rhone", "somme", "tarn", "var", "vienne",
                "creuse", "landes", "vosges", "allier", "doubs", "yonne", "savoie", "sarthe", "mayenne", "isere"}
"""Department names that are also words or rivers: they name a department only capitalised,
and never inside a longer place name (« Portes du Haut-Doubs », « Val de Sambre »)."""
PLACE_HEADS = {"departement", "conseil", "prefecture", "prefet", "ars", "cpam", "caf", "msa", "region", "dans",
               "en", "le", "la", "du", "dont", "pour", "avec", "et", "collectivite", "territoire", "udaf", "ddets",
               "dsden", "education", "mdph", "ccas", "sdis", "caisse", "agence", "maison", "centre", "hopital"}
"""Capitalised words after which a department name still names the department (« Département du
Nord », « CPAM de la Manche »), unlike a place name (« Val de Sambre »)."""
SHORT_ABBREVIATIONS = {"GE", "NA"}
"""Two-letter abbreviations: matched only in capitals, as a whole word."""
ARS_PREFIX = r"(?:ARS|Agence r[ée]gionale de sant[ée])\s+(?:de\s+|d['’]\s*|du\s+|des\s+)?(?:la\s+|l['’])?"


@dataclass(frozen=True)
class Mention:
    region: Region
    department: Department | None
    start: int
    end: int
    text: str


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[re.Pattern, bool, Region, Department | None]]:
    """(pattern, case-sensitive, region, department), longest names first so that « Haute-Loire »
    wins over « Loire » and « Centre-Val de Loire » over both."""
    entries: list[tuple[str, bool, Region, Department | None]] = []
    for region in REGIONS:
        for name in (region.name, *region.aliases):
            entries.append((name, False, region, None))
        for abbreviation in region.abbreviations:
            entries.append((abbreviation, abbreviation in SHORT_ABBREVIATIONS, region, None))
        for department in region.departments:
            common = fold(department.name) in COMMON_WORDS
            entries.append((department.name, common, region, department))
    entries.sort(key=lambda e: len(e[0]), reverse=True)
    compiled = []
    for name, case_sensitive, region, department in entries:
        words = re.split(r"[\s'’-]+", fold(name) if not case_sensitive else name)
        body = r"[\s'’-]+".join(re.escape(w) for w in words if w)
        if case_sensitive and department is not None:
            # a common word names the department only alone: not « Haut-Doubs », « Val-de-Loire »
            body = rf"(?<![\w'’-]){body}(?![\w'’-])(?! (?:de|du|des)\b)"
        else:
            body = rf"(?<![\w]){body}(?![\w])"
        compiled.append((re.compile(body), case_sensitive, region, department))
    return compiled


def regions_in(text: str) -> list[Mention]:
    """Every region or department named in `text`, in text order; overlapping names keep the longest."""
    folded = fold(text)
    taken: list[tuple[int, int]] = []
    found: list[Mention] = []
    for pattern, case_sensitive, region, department in _patterns():
        haystack = text if case_sensitive else folded
        for match in pattern.finditer(haystack):
            start, end = match.span()
            if case_sensitive and department is not None and _inside_a_name(text, start, end):
                continue
            if any(a < end and start < b for a, b in taken):
                continue
            taken.append((start, end))
            found.append(Mention(region, department, start, end, text[start:end]))
    return sorted(found, key=lambda m: m.start)


def _inside_a_name(text: str, start: int, end: int) -> bool:
    """« Val de Sambre », « Portes du Haut-Doubs », « Pays de la Loire »: a common word that is part
    of a longer capitalised name is a river or a place, not the department."""
    before = text[max(0, start - 30) : start]
    match = re.search(r"([A-ZÉ][\w'’-]*)[\s-](?:de la |de l['’]|du |des |de |d['’]|en |sur )?$", before)
    return bool(match) and fold(match.group(1)).split()[0] not in PLACE_HEADS



def region_of(text: str) -> Region | None:
    """The region `text` names most (its first mention on ties); an ARS named counts double."""
    mentions = regions_in(text)
    if not mentions:
        return None
    scores: dict[str, float] = {}
    first: dict[str, int] = {}
    for mention in mentions:
        weight = 2.0 if _after_ars(text, mention.start) else 1.0
        scores[mention.region.name] = scores.get(mention.region.name, 0) + weight
        first.setdefault(mention.region.name, mention.start)
    best = max(scores, key=lambda name: (scores[name], -first[name]))
    return next(region for region in REGIONS if region.name == best)


def _after_ars(text: str, start: int) -> bool:
    return bool(re.search(ARS_PREFIX + r"$", text[max(0, start - 40) : start], re.IGNORECASE))


def find_region(name: str) -> Region | None:
    """The region whose name, alias or abbreviation is exactly `name` (accents and case aside)."""
    wanted = " ".join(fold(name).split())
    for region in REGIONS:
        if any(" ".join(fold(n).split()) == wanted for n in region.names):
            return region
    return None


def department_named(text: str) -> Department | None:
    return next((m.department for m in regions_in(text) if m.department), None)


def is_regional_name(text: str) -> bool:
    """Only a region, a department or an ARS (with articles, « région », « département »)."""
    bare = re.sub(rf"^\s*(?:{ARS_PREFIX})?", "", text.strip(), flags=re.IGNORECASE)
    bare = re.sub(r"^(?:la |le |les |l['’])?(?:r[ée]gion |d[ée]partement )?(?:de la |de l['’]|du |des |de |d['’])?",
                  "", bare, flags=re.IGNORECASE).strip(" ,.;:()")
    if not bare:
        return bool(re.match(ARS_PREFIX.split(r"\s+")[0], text.strip(), re.IGNORECASE))
    mentions = regions_in(bare)
    return len(mentions) == 1 and mentions[0].start == 0 and mentions[0].end == len(bare)
