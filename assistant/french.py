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


def fold(text: str) -> str:
    """Lower-case, accent-free text with typographic apostrophes made plain."""
    text = text.replace("’", "'").replace("œ", "oe").replace("Œ", "oe")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


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
    from assistant.glossary import GLOSSARY

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
