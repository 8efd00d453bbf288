"""Document metadata: what the manifest or the file declares wins; the rest is inferred by simple rules.

Citations and filters need a title, a date, a type, a publisher and a territory for every document,
whether or not the user wrote a manifest. The rules are tables below, so a reader can see why a
document got its labels and extend them without touching the code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import PurePath

from assistant.core.dates import MONTH_NUMBERS as MONTHS
from assistant.core.doc_types import DOC_TYPES
from assistant.core.french import fold_spaced, strip_accents
from ingest.documents import LoadedDocument

FIELDS = ("title", "publisher", "date", "doc_type", "territory", "url", "region")

# ---------------------------------------------------------------------------------------------
# Tables. Patterns apply to folded text: no accents, casefolded, apostrophes and dashes as spaces.
# ---------------------------------------------------------------------------------------------

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
OLDEST_YEAR = 1990  # before the first French local health contracts: a number, not a date

# Text just before a date that marks it as the document's own date (publication, update, signature
# place). Matched against the start of the line up to the date, accents stripped and casefolded
# (apostrophes and dashes kept).
DATE_MARKERS = (
    r"(modifie|publie|mis a jour|mise a jour|actualise|poste|date)e?s?\s*(le)?\s*:?",
    r"[a-z][a-z' -]{1,30},\s*le",  # "Caen, le"
    r"fait a [a-z][a-z' -]{1,30},?\s*le",  # "Fait à Rouen le"
)
TOP_LINES = 5  # a date alone on one of the first lines is the document's date


@dataclass(frozen=True)
class Actor:
    """A known CLS actor of Normandy: how file names and texts name it, and the territory it covers."""

    name: str
    territory: str
    slugs: tuple[str, ...]  # file-name prefixes, hyphenated and unaccented
    patterns: tuple[str, ...]  # regexes on folded text
    domain: str = ""  # web site, to recognise its own pages' URLs


ACTORS = (
    Actor("ARS Normandie", "Normandie", ("ars-normandie", "ars"),
          (r"\bars( normandie)?\b", r"\bagence regionale de sante (de )?normandie\b"), "ars.sante.fr"),
    Actor("Métropole Rouen Normandie", "Métropole Rouen Normandie",
          ("rouen-metropole", "metropole-rouen-normandie", "metropole-rouen", "mrn"),
          (r"\bmetropole rouen normandie\b",), "metropole-rouen-normandie.fr"),
    Actor("Le Havre Seine Métropole", "Le Havre Seine Métropole",
          ("le-havre-seine-metropole", "lhsm", "le-havre"),
          (r"\ble havre seine metropole\b", r"\bcommunaute urbaine (du )?havre\b"),
          "lehavreseinemetropole.fr"),
    Actor("Communauté urbaine Caen la mer", "Caen la mer", ("caen-la-mer", "caen"),
          (r"\bcaen la mer\b",), "caenlamer.fr"),
    Actor("Communauté d'agglomération du Cotentin", "Cotentin", ("cotentin", "cherbourg"),
          (r"\bagglomeration du cotentin\b", r"\bcherbourg en cotentin\b"), "lecotentin.fr"),
    Actor("Communauté de communes des Villes Sœurs", "CC des Villes Sœurs", ("villes-soeurs",),
          (r"\bvilles soeurs\b",)),
    Actor("Pays d'Argentan, d'Auge et d'Ouche", "Pays d'Argentan d'Auge et d'Ouche",
          ("pays-argentan", "argentan"), (r"\bpays d argentan\b",)),
    Actor("Évreux Portes de Normandie", "Évreux Portes de Normandie", ("evreux",),
          (r"\bevreux portes de normandie\b",)),
    Actor("Agglomération Seine-Eure", "Seine-Eure", ("seine-eure",), (r"\bagglo(meration)? seine eure\b",)),
    Actor("Dieppe-Maritime", "Dieppe-Maritime", ("dieppe",), (r"\bdieppe maritime\b",)),
    Actor("Saint-Lô Agglo", "Saint-Lô Agglo", ("saint-lo",), (r"\bsaint lo agglo\b",)),
    Actor("Lisieux Normandie", "Lisieux Normandie", ("lisieux",), (r"\blisieux normandie\b",)),
    Actor("Flers Agglo", "Flers Agglo", ("flers",), (r"\bflers agglo\b",)),
    Actor("Communauté urbaine d'Alençon", "Alençon", ("alencon",), (r"\bcommunaute urbaine d alencon\b",)),
    Actor("Région Normandie", "Normandie", ("region-normandie",), (r"\bregion normandie\b",)),
    Actor("Département du Calvados", "Calvados", ("calvados",), (r"\bdepartement du calvados\b",)),
    Actor("Département de l'Eure", "Eure", ("eure", "departement-eure"), (r"\bdepartement de l eure\b",)),
    Actor("Département de la Manche", "Manche", ("manche",), (r"\bdepartement de la manche\b",)),
    Actor("Département de l'Orne", "Orne", ("orne",), (r"\bdepartement de l orne\b",)),
    Actor("Département de la Seine-Maritime", "Seine-Maritime", ("seine-maritime",),
          (r"\bdepartement de (la )?seine maritime\b",)),
    Actor("CPAM", "", ("cpam", "assurance-maladie"),
          (r"\bcpam\b", r"\bcaisse primaire d assurance maladie\b")),
)

# Local authorities missing from ACTORS, named in a title or a first line ("... de la Communauté
# de communes du Pays de Falaise"): the name runs over capitalised words and French particles.
_PARTICLE = r"(?:de la |de l['’]|du |des |de |d['’]|la |le |les |sur |en )"
_NAME_WORD = r"[A-ZÉÈÊÀÂÎÔÛÇŒ][\w’'-]*"
GENERIC_AUTHORITY = re.compile(
    rf"\b(Communauté (?:de communes|d['’]agglomération|urbaine)|Agglomération|Métropole) "
    rf"((?:{_PARTICLE})?{_NAME_WORD}(?: (?:{_PARTICLE})?{_NAME_WORD})*)"
)


@dataclass(frozen=True)
class TypeRule:
    """One clue for a document type: where to look, what to find, how much it counts."""

    doc_type: str
    where: str  # "text", "head" (title + file name) or "suffix"
    pattern: str
    weight: int


# The type with the highest total wins if it reaches MIN_TYPE_SCORE; ties go to the earlier type in
# DOC_TYPE_PRIORITY (a press release announcing a contract quotes the contract's words).
DOC_TYPE_RULES = (
    TypeRule("press_release", "text", r"\bcommunique de presse\b", 3),
    TypeRule("press_release", "text", r"\b(contacts? presse|dossier de presse)\b", 3),
    TypeRule("press_release", "head", r"\b(communique|cp)\b", 2),
    TypeRule("press_release", "head", r"\bsignature\b", 1),
    TypeRule("press_release", "text", r"\ba signe\b", 1),
    TypeRule("press_release", "text",
             r"\bpour [a-z]+ [a-z ]{2,40}, (maire|president|presidente|vice presidente?|directeur|"
             r"directrice|prefete?|ministre)\b", 1),
    TypeRule("contract", "text", r"\bfiches? actions?\b", 3),
    TypeRule("contract", "text", r"\bil est convenu\b", 3),
    TypeRule("contract", "text", r"\barticle (1|1er|premier)\b", 3),
    TypeRule("contract", "text", r"\bentre les soussignes\b", 3),
    TypeRule("contract", "text", r"(^|\n)entre\s*:?\s*\n", 2),
    TypeRule("contract", "text", r"\bles (parties )?signataires\b", 1),
    TypeRule("contract", "text", r"\b(conclu|signe|passe) entre\b", 1),
    TypeRule("contract", "text", r"\bcontrat local de sante\b[^.]{0,200}\bentre\b[^.]{0,200}\bet\b", 1),
    TypeRule("contract", "head", r"\b(contrat|convention|avenant)\b", 1),
    TypeRule("contract", "head", r"\bcls \d{4}\b", 1),
    TypeRule("guide", "head", r"\b(guide|vademecum|boite a outils|mode d emploi)\b", 3),
    TypeRule("guide", "text", r"\b(fiches? pratiques?|kit de communication|mode d emploi)\b", 1),
    TypeRule("web_page", "suffix", r"^\.html?$", 2),
    TypeRule("web_page", "suffix", r"^\.md$", 1),
    TypeRule("web_page", "text", r"(^|\n)(modifie|publie|mis a jour|mise a jour) le\b", 2),
    TypeRule("web_page", "text", r"(^|\n)corps de texte\n", 2),
    TypeRule("web_page", "text",
             r"(^|\n)(accueil|article|fil d ariane|table des matieres|partager( sur)?|imprimer|"
             r"plus d infos|nous contacter)\n", 1),
)
DOC_TYPE_PRIORITY = ("press_release", "contract", "guide", "web_page")
MIN_TYPE_SCORE = 2

# Lines that are labels, navigation or boilerplate, never a title.
NOT_A_TITLE = re.compile(
    r"^(communique de presse|dossier de presse|contacts? presse|accueil|article|corps de texte|"
    r"table des matieres|sommaire|menu|actualites|partager.*|imprimer|page \d+.*|\d+ / \d+)$"
)
PLACEHOLDER_TITLES = re.compile(
    r"^(untitled.*|sans titre.*|titre|document\d*|microsoft (word|powerpoint).*|diapositive \d+|"
    r"page \d+|anonymous|unknown|none|\(?sans objet\)?)$"
)
MAX_TITLE_WORDS = 15
MAX_HEAD_LINES = 10  # title candidates are searched in this many first non-empty lines

# Words that file names spell without accents, restored for a title made from a file name.
ACCENTED_WORDS = {
    "sante": "santé", "metropole": "métropole", "communique": "communiqué", "regional": "régional",
    "regionale": "régionale", "prevention": "prévention", "strategie": "stratégie",
    "evaluation": "évaluation", "diagnostic": "diagnostic", "elus": "élus", "activite": "activité",
    "annee": "année", "bilan": "bilan", "deploiement": "déploiement",
}

# Keys a front matter or a caller may use for our fields.
FIELD_ALIASES = {
    "titre": "title", "editeur": "publisher", "éditeur": "publisher", "type": "doc_type",
    "territoire": "territory", "source": "url", "lien": "url", "canonical": "url", "og:url": "url",
    "date_publication": "date", "published": "date",
}

_AUTOLINK = re.compile(r"<(https://[^>\s]+)>")
_LABELLED_URL = re.compile(r"\b(?:source|url|lien|adresse)\s*:\s*(https://\S+)", re.IGNORECASE)
_ANY_URL = re.compile(r"https://[^\s<>()\[\]\"']+")


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentMetadata:
    """The labels every chunk of a document carries. `date` is ISO at the precision known
    (YYYY-MM-DD, YYYY-MM or YYYY) or None."""

    title: str
    publisher: str
    date: str | None
    doc_type: str
    territory: str
    url: str = ""
    region: str = ""
    """As declared (front matter, manifest): « Vendée, Pays de la Loire » names what the text may not."""


def infer_metadata(
    doc: LoadedDocument,
    file_name: str,
    declared: dict[str, str] | None,
    *,
    today: date | None = None,
) -> DocumentMetadata:
    """Declared values win field by field (`declared`, then `doc.properties`); the rest is inferred."""
    given = {**_declared_fields(doc.properties), **_declared_fields(declared or {})}
    text = doc.text
    today = today or date.today()

    publisher_actor = _find_publisher(text, file_name, doc.title)
    publisher = given.get("publisher") or (publisher_actor or "")
    title = given.get("title") or infer_title(doc, file_name, publisher)
    doc_type = given.get("doc_type") or classify_doc_type(text, file_name, title)[0]
    territory = given.get("territory") or infer_territory(text, title, publisher)
    return DocumentMetadata(
        title=title,
        publisher=publisher,
        date=given.get("date") or infer_date(text, file_name, today=today),
        doc_type=doc_type,
        territory=territory,
        url=given.get("url") or infer_url(text, publisher),
        region=given.get("region", ""),
    )


# ----- dates -----------------------------------------------------------------------------------

_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY_ALT = "|".join(WEEKDAYS)
_DATE_FORMS = (
    # "jeudi 27 novembre 2025", "1er janvier 2024", "3 sept. 2024"
    re.compile(
        rf"\b(?:(?:{_WEEKDAY_ALT}),?\s+)?(?P<d>\d{{1,2}})(?:er)?\s+(?P<m>{_MONTH_ALT})\.?\s+(?P<y>\d{{4}})\b"
    ),
    # 03/07/2023, 20/03/25
    re.compile(r"(?<![\d/])(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4}|\d{2})(?![\d/])"),
    # 03.07.2023, 03-07-2023
    re.compile(r"(?<![\d.-])(?P<d>\d{1,2})[.-](?P<m>\d{1,2})[.-](?P<y>\d{4})(?![\d.-])"),
    re.compile(r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?!\d)"),  # 2023-07-03
)
_DATE_MARKER_RES = tuple(re.compile(rf"^\s*{marker}\s*$") for marker in DATE_MARKERS)


@dataclass(frozen=True)
class FoundDate:
    """A date written in the text, with where it sits (line index, span in the folded line)."""

    value: date
    line: int
    start: int
    end: int


def find_dates(text: str) -> list[FoundDate]:
    """Every full date (day, month, year) written in French or numeric form, in text order."""
    found = []
    for index, line in enumerate(text.splitlines()):
        folded = strip_accents(line).casefold()
        for form in _DATE_FORMS:
            for match in form.finditer(folded):
                value = _make_date(match["y"], match["m"], match["d"])
                if value:
                    found.append(FoundDate(value, index, match.start(), match.end()))
    return sorted(found, key=lambda f: (f.line, f.start))


def parse_french_date(text: str) -> date | None:
    """The first date written in `text` ("27 mars 2025", "03/07/2023", "20/03/25"...), else None."""
    found = find_dates(text)
    return found[0].value if found else None


def to_iso_date(value: object) -> str | None:
    """A declared date (ISO, French, or a date object) as ISO, or None when it is not one date."""
    if isinstance(value, date):
        return value.isoformat()
    text = str(value or "").strip()
    found = find_dates(text)
    if len(found) != 1:
        return None
    only = found[0]
    rest = strip_accents(text).casefold()[: only.start] + strip_accents(text).casefold()[only.end :]
    return only.value.isoformat() if not rest.strip(" ,.") else None


_MONTH_YEAR = re.compile(rf"^(?:(?:en|de|mois de|d)\s+)?(?P<m>{_MONTH_ALT})\.?\s+(?P<y>\d{{4}})$")
_NUMERIC_MONTH_YEAR = re.compile(r"^(?:(?P<y>\d{4})[-/.](?P<m>\d{1,2})|(?P<m2>\d{1,2})[-/.](?P<y2>\d{4}))$")
_YEAR_ONLY = re.compile(r"^(?:(?:en|annee)\s+)?(?P<y>\d{4})$")


def to_partial_date(value: object) -> str | None:
    """A declared date at the precision it is written: « 2025 » → "2025", « février 2025 » or
    « 2025-02 » → "2025-02", « 3 juillet 2023 » → "2023-07-03"; None when it is not one date.
    Manifests and front matter often give only a year or a month: that is kept, not refused."""
    full = to_iso_date(value)
    if full:
        return full
    if isinstance(value, int) and OLDEST_YEAR <= value <= 2100:
        return str(value)
    folded = re.sub(r"\s+", " ", strip_accents(str(value or "")).casefold()).strip(" ,.")
    for pattern in (_MONTH_YEAR, _NUMERIC_MONTH_YEAR):
        match = pattern.match(folded)
        if match:
            groups = match.groupdict()
            year, month = groups.get("y") or groups.get("y2"), groups.get("m") or groups.get("m2")
            month_number = MONTHS[month] if month in MONTHS else int(month)
            if OLDEST_YEAR <= int(year) <= 2100 and 1 <= month_number <= 12:
                return f"{year}-{month_number:02d}"
            return None
    match = _YEAR_ONLY.match(folded)
    if match and OLDEST_YEAR <= int(match["y"]) <= 2100:
        return match["y"]
    return None


def infer_date(text: str, file_name: str = "", *, today: date | None = None) -> str | None:
    """The document's date: from the file name, else a marked date, else one alone at the top,
    else the latest date of the body (a text is written after the events it reports). Never future."""
    today = today or date.today()

    def plausible(value: date) -> bool:
        return OLDEST_YEAR <= value.year and value <= today

    from_name = [f.value for f in find_dates(PurePath(file_name).stem) if plausible(f.value)]
    if from_name:
        return from_name[0].isoformat()

    lines = text.splitlines()
    found = [f for f in find_dates(text) if plausible(f.value)]
    if not found:
        return None
    for item in found:
        before = strip_accents(lines[item.line]).casefold()[: item.start]
        if any(marker.match(before) for marker in _DATE_MARKER_RES):
            return item.value.isoformat()
    top = _top_line_indexes(lines, TOP_LINES)
    for item in found:
        folded = strip_accents(lines[item.line]).casefold()
        alone = not (folded[: item.start] + folded[item.end :]).strip(" ,.;:-–—|()[]")
        if item.line in top and alone:
            return item.value.isoformat()
    return max(f.value for f in found).isoformat()


def _is_date_line(line: str) -> bool:
    """A line that is only a date, possibly after a publication marker."""
    folded = strip_accents(line).casefold()
    for item in find_dates(line):
        before, after = folded[: item.start], folded[item.end :]
        if not after.strip(" ,.;:-–—|()[]") and (
            not before.strip() or any(marker.match(before) for marker in _DATE_MARKER_RES)
        ):
            return True
    return False


def _make_date(year: str, month: str, day: str) -> date | None:
    y = int(year) + (2000 if len(year) == 2 else 0)  # CLS exist since 2009: "25" is 2025
    m = MONTHS[month] if month in MONTHS else int(month)
    try:
        return date(y, m, int(day))
    except ValueError:
        return None


def _top_line_indexes(lines: list[str], count: int) -> set[int]:
    non_empty = [i for i, line in enumerate(lines) if line.strip()]
    return set(non_empty[:count])


# ----- document type ---------------------------------------------------------------------------


def classify_doc_type(text: str, file_name: str, title: str = "") -> tuple[str, list[str]]:
    """The document type and the patterns that decided it, from DOC_TYPE_RULES."""
    places = {
        "text": fold(text),
        "head": fold(f"{title}\n{PurePath(file_name).stem}"),
        "suffix": PurePath(file_name).suffix.lower(),
    }
    scores = {doc_type: 0 for doc_type in DOC_TYPE_PRIORITY}
    reasons: dict[str, list[str]] = {doc_type: [] for doc_type in DOC_TYPE_PRIORITY}
    for rule in DOC_TYPE_RULES:
        if re.search(rule.pattern, places[rule.where]):
            scores[rule.doc_type] += rule.weight
            reasons[rule.doc_type].append(f"{rule.where}: {rule.pattern}")
    best = max(DOC_TYPE_PRIORITY, key=lambda t: (scores[t], -DOC_TYPE_PRIORITY.index(t)))
    if scores[best] < MIN_TYPE_SCORE:
        return "other", []
    return best, reasons[best]


# ----- publisher and territory -----------------------------------------------------------------


def _find_publisher(text: str, file_name: str, title: str | None) -> str | None:
    """Another region's ARS named by the file name, the title or the top; else known actor of the
    file name, else of the title, else a local authority named at the top, else the known actor the
    text names most often."""
    other = regional_ars(f"{PurePath(file_name).stem.replace('-', ' ').replace('_', ' ')}\n{title or ''}\n{_head(text)}")
    if other:
        return other
    actor = actor_in_file_name(file_name)
    if actor:
        return actor.name
    if title:
        in_title = _actors_in(fold(title))
        if in_title:
            return in_title[0][0].name
    generic = _generic_authority(f"{title or ''}\n{_head(text)}")
    if generic:
        return generic
    mentions = _actors_in(fold(text))
    return mentions[0][0].name if mentions else None


_ARS = re.compile(r"\b(?:ARS|Agence r[ée]gionale de sant[ée])\s+(?:de |d['’]|du )?(?:la |l['’])?", re.IGNORECASE)


def regional_ars(text: str) -> str | None:
    """« ARS Occitanie » when `text` names the ARS of a region other than Normandy (whose actors
    the tables above know): the publisher is that ARS, its territory the region."""
    from assistant.core.geography import regions_in

    for match in _ARS.finditer(text):
        following = regions_in(text[match.end() : match.end() + 40])
        if following and following[0].start == 0 and following[0].department is None:
            region = following[0].region
            if region.name != "Normandie":
                return region.ars
    return None


def actor_in_file_name(file_name: str) -> Actor | None:
    """The actor whose slug is the file name's prefix, else whose slug appears earliest in it."""
    stem = _slug(PurePath(file_name).stem)
    prefix = stem.split("_", 1)[0]
    for actor in ACTORS:
        if prefix in actor.slugs:
            return actor
    tokens = re.split(r"[_\-]+", stem)
    best: tuple[int, int, Actor] | None = None
    for actor in ACTORS:
        for slug in actor.slugs:
            position = _token_position(tokens, slug.split("-"))
            if position is not None:
                key = (position, -len(slug), actor)
                if best is None or key[:2] < best[:2]:
                    best = key
    return best[2] if best else None


def infer_territory(text: str, title: str, publisher: str) -> str:
    """The publisher's territory; else a known territory the title names; else a local authority
    named at the top; else the known territory the text names most."""
    for actor in ACTORS:
        if actor.name == publisher and actor.territory:
            return actor.territory
    if publisher.startswith("ARS ") and publisher == regional_ars(publisher):
        return publisher[4:]
    in_title = [actor for actor, _ in _actors_in(fold(title)) if actor.territory]
    if in_title:
        return in_title[0].territory
    generic = _generic_authority(f"{title}\n{_head(text)}")
    if generic:
        return generic
    in_text = [actor for actor, _ in _actors_in(fold(text)) if actor.territory]
    return in_text[0].territory if in_text else ""


_ACTOR_RES = tuple((actor, re.compile("|".join(f"(?:{p})" for p in actor.patterns))) for actor in ACTORS)


@lru_cache(maxsize=8)  # publisher and territory both look at the same text
def _actors_in(folded: str) -> tuple[tuple[Actor, int], ...]:
    """Known actors named in the folded text, most mentioned first, ties by first mention."""
    counts = []
    for actor, pattern in _ACTOR_RES:
        positions = [m.start() for m in pattern.finditer(folded)]
        if positions:
            counts.append((actor, len(positions), min(positions)))
    counts.sort(key=lambda item: (-item[1], item[2]))
    return tuple((actor, count) for actor, count, _ in counts)


def _generic_authority(text: str) -> str | None:
    match = GENERIC_AUTHORITY.search(text)
    return f"{match[1]} {match[2]}" if match else None


def _token_position(tokens: list[str], wanted: list[str]) -> int | None:
    for i in range(len(tokens) - len(wanted) + 1):
        if tokens[i : i + len(wanted)] == wanted:
            return i
    return None


# ----- title -----------------------------------------------------------------------------------


def infer_title(doc: LoadedDocument, file_name: str, publisher: str = "") -> str:
    """Among the loader's title and the title-like first lines, the one closest to the file name's
    words (authors name files after their documents; ties keep the loader's title, then the first
    line); else a title made from the file name."""
    candidates = []
    if doc.title and is_meaningful_title(doc.title, file_name):
        candidates.append(_clean_title(doc.title))
    candidates += _title_lines(doc.text)
    name_words = set(_title_words(_file_name_words(file_name)))
    if candidates:
        return max(candidates, key=lambda c: (len(name_words & set(_title_words(c))), -candidates.index(c)))
    if len("".join(name_words)) >= 4:
        return title_from_file_name(file_name, publisher)
    anywhere = _title_lines(doc.text, max_lines=None)
    return anywhere[0] if anywhere else title_from_file_name(file_name, publisher)


def is_meaningful_title(title: str, file_name: str = "") -> bool:
    """False for empty, placeholder ("Untitled", "Microsoft Word - x.docx") or file-name titles."""
    cleaned = _clean_title(title)
    folded = fold(cleaned)
    if len(folded) < 4 or PLACEHOLDER_TITLES.match(folded) or not re.search(r"[a-z]", folded):
        return False
    if re.search(r"\.(pdf|docx?|odt|html?|txt|md)$", cleaned, re.IGNORECASE):
        return False
    if " " not in cleaned and re.search(r"[_-]", cleaned):
        return False
    if _is_date_line(cleaned):  # "Modifié le 20/03/25" is a first line, not a title
        return False
    return not file_name or folded != fold(PurePath(file_name).stem)


def title_from_file_name(file_name: str, publisher: str = "") -> str:
    """"rouen-metropole_2025-03-20_politique-sante.md" → "Politique santé (Métropole Rouen Normandie)"."""
    words = [ACCENTED_WORDS.get(w, w) for w in _file_name_words(file_name).split()]
    title = " ".join(words).strip() or PurePath(file_name).stem
    title = title[:1].upper() + title[1:]
    return f"{title} ({publisher})" if publisher and fold(publisher) not in fold(title) else title


def _file_name_words(file_name: str) -> str:
    """The file name without its publisher prefix, dates and separators."""
    stem = PurePath(file_name).stem
    parts = stem.split("_")
    if len(parts) > 1 and any(_slug(parts[0]) in actor.slugs for actor in ACTORS):
        parts = parts[1:]
    words = " ".join(parts)
    words = re.sub(r"(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)", " ", words)
    return " ".join(re.split(r"[\s_\-]+", words.lower())).strip()


def _title_lines(text: str, max_lines: int | None = MAX_HEAD_LINES) -> list[str]:
    """Title-like lines at the top, before the body starts (the first long line); with
    `max_lines=None`, every title-like line of the text."""
    lines = [line.strip() for line in text.splitlines() if line.strip()][:max_lines]
    candidates = []
    for index, line in enumerate(lines):
        cleaned = _clean_title(line)
        words = cleaned.split()
        if len(words) > 25 or len(cleaned) > 200:
            if max_lines is None:
                continue
            break  # body text
        nxt = lines[index + 1] if index + 1 < len(lines) else ""
        if nxt and nxt[0].islower() and len(words) + len(nxt.split()) <= MAX_TITLE_WORDS + 3:
            cleaned = f"{cleaned} {nxt}"  # a title wrapped on two PDF lines
            words = cleaned.split()
        if _looks_like_title(cleaned, words):
            candidates.append(cleaned)
    return candidates


def _looks_like_title(line: str, words: list[str]) -> bool:
    folded = fold(line)
    return (
        2 <= len(words) <= MAX_TITLE_WORDS
        and not line.endswith((".", ":", ";", ","))
        and line[0].isupper()
        and not line.startswith(("-", "•", "*", "["))
        and not NOT_A_TITLE.match(folded)
        and not find_dates(line)
        and "http" not in folded
        and "@" not in line
    )


def _clean_title(title: str) -> str:
    title = re.sub(r"^#+\s*", "", title.strip())
    title = re.sub(r"\s+", " ", title).strip(" ?")
    return title[:200]


# Words that do not tell one title from another when comparing a title with the file name.
_TITLE_STOPWORDS = {
    "de", "du", "des", "la", "le", "les", "l", "d", "et", "a", "au", "aux", "en", "un", "une", "pour", "sur",
}


def _title_words(text: str) -> list[str]:
    return [w for w in fold(text).split() if w not in _TITLE_STOPWORDS]


def _head(text: str) -> str:
    return "\n".join([line for line in text.splitlines() if line.strip()][:MAX_HEAD_LINES])


# ----- url -------------------------------------------------------------------------------------


def infer_url(text: str, publisher: str = "") -> str:
    """A link given as the source (`<https://...>`, "Source : https://..."), else the first link to
    the publisher's own site; other links are references, not the source."""
    for pattern in (_AUTOLINK, _LABELLED_URL):
        match = pattern.search(text)
        if match:
            return match[1].rstrip(".,;")
    domain = next((a.domain for a in ACTORS if a.name == publisher and a.domain), "")
    if domain:
        for match in _ANY_URL.finditer(text):
            if domain in match[0].split("/")[2]:
                return match[0].rstrip(".,;")
    return ""


# ----- declared values -------------------------------------------------------------------------


def _declared_fields(values: dict) -> dict[str, str]:
    """Known fields of a manifest row or front matter, normalised; invalid values are dropped."""
    fields: dict[str, str] = {}
    for key, value in values.items():
        name = FIELD_ALIASES.get(str(key).strip().lower(), str(key).strip().lower())
        if name not in FIELDS or value is None or name in fields and str(key).lower() != name:
            continue
        if name == "date":
            iso = to_partial_date(value)
            if iso:
                fields["date"] = iso
            continue
        text = str(value).strip()
        if name == "doc_type" and text not in DOC_TYPES:
            continue
        if name == "title" and not is_meaningful_title(text):
            continue  # PDF tools write "Untitled", "Diapositive 1"...
        if text:
            fields[name] = text
    return fields


# ----- text folding ----------------------------------------------------------------------------


@lru_cache(maxsize=8)  # the same document text is folded by several rules
def fold(text: str) -> str:
    """`fold_spaced`, slashes and underscores as spaces too: « 12/03/2024 » is read as « 12 03 2024 »."""
    return fold_spaced(re.sub(r"[/_]", " ", text))


def _slug(text: str) -> str:
    return re.sub(r"\s+", "-", strip_accents(text).casefold().strip())
