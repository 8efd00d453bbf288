"""Names of territories and organisations: splitting lists of parties, and the key that makes two
writings of one territory (« la CC des Villes sœurs », « Communauté de communes des Villes sœurs »)
the same catalogue record.
"""

from __future__ import annotations

import re

from assistant.catalogue.patterns import ARTICLE, COLLECTIVITY, INSTITUTION, PRONOUN
from assistant.core.french import STOPWORDS, words

KIND_WORDS = {
    "communaute", "communes", "commune", "cc", "ca", "cu", "urbaine", "agglomeration", "agglo",
    "metropole", "pays", "petr", "pole", "equilibre", "territorial", "rural", "ville", "territoire",
    "intercommunalite", "syndicat", "normandie", "normands", "normand",
}
"""Words that say what kind of authority a name is, not which one: left out of keys."""
REGIONAL = {"", "normandie", "france", "region normandie", "national", "nationale", "france entiere"}
LIST_SEPARATOR = re.compile(r"\s*(?:,|;|\bet\b|\bainsi que\b)\s+", re.IGNORECASE)
STARTS_A_NAME = re.compile(r"^(?:la |le |les |l['’]|un |une |des )|^[A-ZÉÈÀÂÎÔÛÇ0-9]")
ONE_NAME = re.compile(r"P[ôo]le d['’][ée]quilibre territorial et rural|Provence-Alpes|Auvergne-Rh[ôo]ne", re.IGNORECASE)
"""Names with « et » inside, never split."""
DASHED_ASIDE = re.compile(r"\s-\S[^()]*?-(?=[,);]|$)")


def territory_key(name: str) -> str:
    """Folded words of a name without articles and kind-of-authority words, sorted; '' when
    nothing is left (« la Métropole », « la Communauté urbaine » name no territory)."""
    kept = [w for w in words(name) if w not in STOPWORDS and w not in KIND_WORDS and len(w) > 1]
    return " ".join(sorted(set(kept)))


def same_territory(a: str, b: str) -> bool:
    """Keys equal, or one's words all among the other's (« havre » and « havre seine »)."""
    if not a or not b:
        return False
    wa, wb = set(a.split()), set(b.split())
    return wa <= wb or wb <= wa


def is_regional(territory: str) -> bool:
    return " ".join(words(territory)) in REGIONAL


def is_collectivity(name: str) -> bool:
    return bool(COLLECTIVITY.search(name)) and not INSTITUTION.search(name)


def is_name(text: str) -> bool:
    """A named organisation (« la Métropole Rouen Normandie »), not a pronoun or a common noun."""
    bare = strip_article(text)
    return bool(bare) and not PRONOUN.match(bare) and (bare[0].isupper() or bool(COLLECTIVITY.search(bare)))


def strip_article(text: str) -> str:
    return ARTICLE.sub("", text.strip(), count=1).strip()


def split_parties(text: str, offset: int = 0, loose: bool = False) -> list[tuple[int, int]]:
    """Spans of the items of « la Région, le Département de X et Sextant76 », relative to `text`
    plus `offset`. Commas and « et » inside parentheses or inside a dashed aside (« -Alcéane,
    Logéo- ») do not split, nor before a word that cannot start a name (« d'Auge et d'Ouche »);
    in a `loose` list (« Partenaires : CPAM, centre hospitalier… ») every comma splits."""
    protected = _protected(text)
    cuts = [(0, 0)]
    for match in LIST_SEPARATOR.finditer(text):
        if any(a <= match.start() < b for a, b in protected):
            continue
        if not _splits(text, match, loose):
            continue
        cuts.append((match.start(), match.end()))
    cuts.append((len(text), len(text)))
    spans = []
    for (_, start), (end, _) in zip(cuts, cuts[1:]):
        start, end = _trim(text, start, end)
        if end - start >= 2:
            spans.append((offset + start, offset + end))
    return spans


def clean_item(text: str, start: int, end: int) -> tuple[int, int]:
    """An item's span without its article, bullet, closing punctuation or trailing details."""
    item = text[start:end]
    bullet = re.match(r"^\s*(?:[-•*▪–]|\d{1,2}[.)])\s*", item)
    if bullet:
        start += bullet.end()
    article = ARTICLE.match(text[start:end])
    if article and len(text[start + article.end():end].strip()) > 2:
        start += article.end()
    while end > start and text[end - 1] in " ,;.:!?":
        end -= 1
    details = re.search(r"\s\([^()]*\)$", text[start:end])
    if details and details.start() > 10:  # « les parcours de santé (améliorer …) » → the label
        end = start + details.start()
    return start, end


def _splits(text: str, match: re.Match, loose: bool) -> bool:
    comma = match.group(0).strip() in (",", ";")
    after = text[match.end():]
    if not loose:
        return bool(STARTS_A_NAME.match(after))
    # « a, b et c »: in a loose list « et » ends the list unless an article follows it
    return comma or bool(re.match(r"(?:la |le |les |l['’]|un |une |des )", after)) or "," not in after


def party_key(name: str) -> str:
    """Folded words without stop words: « ARS de Normandie » and « ARS Normandie » are one party,
    and so are « Agence régionale de santé (ARS) » and « Agence régionale de santé »."""
    name = re.sub(r"\s*\([A-Z]{2,6}\)", " ", name)
    key = " ".join(w for w in words(name) if w not in STOPWORDS)
    for long, short in SHORT_FORMS:
        key = re.sub(long, short, key)
    return key


SHORT_FORMS = (
    (r"\bagence regionale (?:la )?sante\b", "ars"),
    (r"\bcaisse primaire assurance maladie\b", "cpam"),
    (r"\bcaisse allocations familiales\b", "caf"),
    (r"\bmutualite sociale agricole\b", "msa"),
)
"""« Agence régionale de santé de Guyane » and « ARS de Guyane » are one party."""


def _protected(text: str) -> list[tuple[int, int]]:
    spans, depth, opened = [], 0, 0
    for i, char in enumerate(text):
        if char == "(":
            if depth == 0:
                opened = i
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            if depth == 0:
                spans.append((opened, i + 1))
    spans += [(m.start() + 1, m.end()) for m in DASHED_ASIDE.finditer(text)]
    spans += [(m.start(), m.end()) for m in ONE_NAME.finditer(text)]
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " ,;:":
        start += 1
    while end > start and text[end - 1] in " ,;:.":
        end -= 1
    return start, end


def closing_parenthesis(text: str, start: int) -> int:
    """Index of the parenthesis closing the one opened just before `start` (or len(text))."""
    depth = 1
    for i in range(start, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i
    return len(text)
