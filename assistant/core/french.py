"""French text analysis for lexical search and sentence matching.

Accent folding, elision (l', d', qu'…), Snowball French stemming and stop words, so that
« l'installation des médecins » matches « installés » and « Médecin ».
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer
from bm25s.stopwords import STOPWORDS_FRENCH

ELISION = re.compile(r"\b(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu)['’](?=\w)", re.IGNORECASE)
WORD = re.compile(r"\w+")
QUESTION_WORDS = {
    "quel", "quelle", "quels", "quelles", "combien", "comment", "pourquoi", "quand", "qui", "que",
    "quoi", "ou", "est", "ce", "cela", "ceci", "fait", "faire", "font", "peut", "peuvent", "elle",
    "il", "ils", "elles", "leur", "leurs", "dont", "sont", "ete", "etre", "avoir", "a", "y",
    "plus", "aussi", "tres", "entre", "apres", "avant", "selon", "pour", "par", "sur", "sous",
}
STOPWORDS = {unicodedata.normalize("NFKD", w).encode("ascii", "ignore").decode() for w in STOPWORDS_FRENCH}
STOPWORDS |= QUESTION_WORDS
_stemmer = Stemmer.Stemmer("french")


_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
APOSTROPHES_AND_DASHES = re.compile(r"['’‘`´ʼ\-‐‑‒–—―]")


def strip_accents(text: str, ligatures: bool = True) -> str:
    """« Œuvre économique » → « Oeuvre economique »: accents dropped, ligatures spelled out
    unless `ligatures` is False (Unicode's NFKD alone keeps « œ »)."""
    if ligatures:
        text = text.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae").replace("Æ", "Ae")
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))


def fold(text: str) -> str:
    """Lower-case, accent-free text with typographic apostrophes made plain."""
    return strip_accents(text.replace("’", "'")).casefold()


def fold_spaced(text: str) -> str:
    """`fold`, then apostrophes and dashes as spaces and runs of spaces as one (line breaks kept):
    « Pont-l’Évêque » and « pont l eveque » are the same."""
    text = APOSTROPHES_AND_DASHES.sub(" ", fold(text))
    text = re.sub(r"[^\S\n]+", " ", text)
    return re.sub(r" ?\n ?", "\n", text).strip()


def fold_in_place(text: str) -> str:
    """Like `fold_spaced` but of the same length as `text`, so that a match's offsets are the
    original's: one character for one (« œ » → « o »), apostrophes and dashes as spaces."""
    out = []
    for char in text:
        base = _COMBINING.sub("", unicodedata.normalize("NFKD", char))[:1] or char
        out.append(" " if base == "_" or APOSTROPHES_AND_DASHES.fullmatch(base) else base.casefold()[:1] or base)
    return "".join(out)


def words(text: str) -> list[str]:
    """Folded words, elided articles removed."""
    return WORD.findall(ELISION.sub(" ", fold(text)))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


NUMBER_WORDS = {
    "deux": "2", "trois": "3", "quatre": "4", "cinq": "5", "six": "6", "sept": "7", "huit": "8",
    "neuf": "9", "dix": "10", "onze": "11", "douze": "12", "treize": "13", "quatorze": "14",
    "quinze": "15", "seize": "16", "vingt": "20", "trente": "30",
}


ORDINAL = re.compile(r"^(\d+)(?:e|eme|er|ere|nd|nde)$")
ORDINAL_WORDS = {
    "premier": "1e", "premiere": "1e", "deuxieme": "2e", "second": "2e", "seconde": "2e",
    "troisieme": "3e", "quatrieme": "4e", "cinquieme": "5e",
}
"""« 2ème », « 2e », « deuxième » and « second » are one term."""


def _term(word: str) -> str:
    ordinal = ORDINAL.match(word)
    if ordinal:
        return ordinal.group(1) + "e"
    return NUMBER_WORDS.get(word) or ORDINAL_WORDS.get(word) or stem(word)


def terms(text: str) -> list[str]:
    """Stemmed content words, numbers in words written as digits: the unit of lexical search."""
    return [_term(w) for w in words(text) if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]


def _glossary_terms() -> list[tuple[str, list[str]]]:
    from assistant.core.glossary import GLOSSARY

    return [(stem(acronym.casefold()), terms(expansion)) for acronym, expansion in GLOSSARY.items()]


@lru_cache(maxsize=1)
def _glossary() -> list[tuple[str, frozenset[str]]]:
    return [(acronym, frozenset(expansion)) for acronym, expansion in _glossary_terms()]


def expanded_terms(text: str) -> set[str]:
    """Terms of `text` plus, for every acronym of the glossary, its expansion and vice versa:
    « CLS » matches « contrat local de santé »."""
    found = set(terms(text))
    for acronym, expansion in _glossary():
        if acronym in found:
            found |= expansion
        elif expansion <= found:
            found.add(acronym)
    return found
