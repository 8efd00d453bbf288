"""What a question asks for: its terms, the names and numbers it hinges on, and its time frame."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.core.french import NUMBER_WORDS, STOPWORDS, expanded_terms, fold, stem, words
from assistant.core.glossary import GLOSSARY

YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
NUMBER = re.compile(r"\b\d+(?:[  ]\d{3})*(?:[.,]\d+)?\b")
TOKEN = re.compile(r"[\w’'-]+")
CURRENT = re.compile(
    r"\b(?:actuellement|aujourd.hui|en ce moment|actuel(?:le)?s?|actifs?|actives?|en cours|"
    r"à ce jour|désormais|dernier|dernière|récent|récente|combien)\b",
    re.IGNORECASE,
)
WANTS_NUMBER = re.compile(
    r"\b(?:combien|quel(?:le)?s? (?:montant|part|pourcentage|budget|nombre|somme|taux))\b", re.IGNORECASE
)
WANTS_DATE = re.compile(
    r"\b(?:quand|quelle date|quelle période|quelle année|depuis quand|en quelle année|durée)\b",
    re.IGNORECASE,
)
DEFINITION = re.compile(r"\b(?:qu.est.ce qu|c.est quoi|définition|que signifie|que veut dire)", re.IGNORECASE)


@dataclass
class QuestionProfile:
    text: str
    terms: set[str]
    specific: list[str] = field(default_factory=list)
    """Names, acronyms and numbers the answer must be about (folded words)."""
    years: list[str] = field(default_factory=list)
    wants_number: bool = False
    wants_date: bool = False
    wants_current: bool = False
    """Asks about the present state: the newest source should lead."""
    wants_definition: bool = False


def profile(question: str) -> QuestionProfile:
    years = YEAR.findall(question)
    return QuestionProfile(
        text=question,
        terms=expanded_terms(question),
        specific=_specific_words(question),
        years=years,
        wants_number=bool(WANTS_NUMBER.search(question)),
        wants_date=bool(WANTS_DATE.search(question)),
        wants_current=bool(CURRENT.search(question)) and not years,
        wants_definition=bool(DEFINITION.search(question)),
    )


def _specific_words(question: str) -> list[str]:
    """Capitalised words (but the first), acronyms and numbers: what a document must mention
    to be about the same thing as the question."""
    specific = []
    for position, token in enumerate(TOKEN.findall(question)):
        for part in re.split(r"[’'-]", token):
            folded = fold(part)
            if not part or folded in STOPWORDS or len(part) < 2:
                continue
            is_name = part[0].isupper() and position > 0
            if is_name or part.isdigit():
                specific.append(folded)
    return list(dict.fromkeys(specific))


def mentions(specific_word: str, text_words: set[str], text_terms: set[str]) -> bool:
    """Whether a text mentions a specific word (as is, by stem, or through its acronym)."""
    if specific_word in text_words or stem(specific_word) in text_terms:
        return True
    expansion = GLOSSARY.get(specific_word.upper())
    return bool(expansion) and expanded_terms(expansion) <= text_terms


def counts_in(text: str) -> set[float]:
    """The numbers a sentence states, in digits or in French words (« douze »)."""
    found = {float(n.replace(" ", "").replace(" ", "").replace(",", ".")) for n in NUMBER.findall(text)}
    found |= {float(NUMBER_WORDS[w]) for w in words(text) if w in NUMBER_WORDS}
    return found
