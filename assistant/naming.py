"""Whether a document is about a name of the question, however the question spells it.

A name counts as mentioned when its words are in the document's text or in its metadata (title,
publisher, territory: « Béthune-Bruay » may be only in the front matter), accents and case aside;
an acronym also when the document spells out words whose initials make it (« AQTA » for « Auray
Quiberon Terre Atlantique », « ARA » for « Auvergne-Rhône-Alpes », « CPAM » through the
glossary), small words such as « de » counted or not (« HDF », « CVL »).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from assistant.core.french import STOPWORDS, expanded_terms, fold, stem
from assistant.core.glossary import GLOSSARY
from assistant.understanding import Name

WORD = re.compile(r"[^\W_]+")
MID_SENTENCE = re.compile(r"[\w,'’(-] ?$")
METADATA_FIELDS = ("title", "publisher", "territory", "region")


@dataclass
class DocumentText:
    """A document as the name check reads it: its retrieved text and its metadata."""

    text: str

    @cached_property
    def words(self) -> list[str]:
        return WORD.findall(fold(self.text))

    @cached_property
    def stems(self) -> set[str]:
        return {stem(w) for w in self.words}

    @cached_property
    def terms(self) -> set[str]:
        return expanded_terms(self.text)

    @cached_property
    def capitalised(self) -> list[bool] | None:
        """For each of `words`, whether the text writes it with a capital; None if the two
        readings of the text do not align."""
        flags = [w[:1].isupper() for w in WORD.findall(self.text)]
        return flags if len(flags) == len(self.words) else None

    @cached_property
    def joined_pairs(self) -> set[str]:
        """« cap atlantique » as « capatlantique », for names typed with or without the space."""
        return {a + b for a, b in zip(self.words, self.words[1:])}


def document_text(texts: list[str], metadata: dict) -> DocumentText:
    fields = [str(metadata.get(key, "")) for key in METADATA_FIELDS]
    return DocumentText("\n".join([*fields, *texts]))


def lowercase_words(texts) -> set[str]:
    """Stems of the words the documents write in lower case: common words, not names."""
    return {stem(fold(w)) for text in texts for w in WORD.findall(text) if w.islower()}


def capitalised_words(texts) -> set[str]:
    """Stems of the words the documents capitalise inside a sentence (« … de Challans Gois »):
    names. A capital after a full stop, a colon or a line break proves nothing."""
    return {
        stem(fold(match.group(0)))
        for text in texts
        for match in WORD.finditer(text)
        if match.group(0)[:1].isupper() and MID_SENTENCE.search(text[max(0, match.start() - 3) : match.start()])
    }


YEAR_RANGE = re.compile(r"\b((?:19|20)\d{2})\s*(?:[-–/]|à|au)\s*((?:19|20)\d{2})\b")


def covers_year(year: str, text: str) -> bool:
    """« en vigueur en 2024 »: a contract 2023-2027 (or « de 2023 à 2027 ») covers 2024."""
    return any(int(a) <= int(year) <= int(b) for a, b in YEAR_RANGE.findall(text))


def mentions(name: Name, document: DocumentText) -> bool:
    words = WORD.findall(fold(name.surface))
    if not words:
        return True
    if name.is_year and covers_year(name.surface, document.text):
        return True
    if all(stem(w) in document.stems or w in STOPWORDS for w in words):
        return True
    joined = "".join(words)
    if len(words) > 1 and joined in document.words or joined in document.joined_pairs:
        return True
    if name.is_acronym:
        expansion = GLOSSARY.get(name.surface)
        if expansion and expanded_terms(expansion) <= document.terms:
            return True
        return spelled_out(words[0], document.words, document.capitalised)
    return False


def spelled_out(acronym: str, words: list[str], capitalised: list[bool] | None = None) -> bool:
    """Whether consecutive words have the acronym's letters as initials; small words (« de »,
    « la ») may give a letter or be skipped. With `capitalised`, the words must read as a name:
    the first and nearly all the others capitalised (« Eurométropole de Strasbourg », not
    « Équipe mobile de soins » nor « Épernay se mobilise avec son… »)."""
    letters = acronym.casefold()
    for start, word in enumerate(words):
        if word[0] != letters[0] or (word in STOPWORDS and not (capitalised and capitalised[start])):
            continue  # « Le Havre Seine Métropole » gives the L of LHSM; « le » in a sentence does not
        for end in _matches(letters, words, start):
            if capitalised is None or _reads_as_name(words, capitalised, start, end):
                return True
    return False


def _reads_as_name(words: list[str], capitalised: list[bool], start: int, end: int) -> bool:
    spelled = [i for i in range(start, end) if words[i] not in STOPWORDS]
    small = sum(not capitalised[i] for i in spelled)
    return capitalised[start] and small <= len(spelled) // 4  # « Communauté d'agglomération de Béthune… »


COMPOUND_PREFIXES = ("euro", "inter", "agglo", "intra", "trans", "pluri", "multi")
"""Prefixes of compound names whose second part gives a letter of their initials too."""


def _compound_letter(word: str, letters: str, matched: int) -> bool:
    if matched >= len(letters):
        return False
    return any(
        word.startswith(prefix) and len(word) > len(prefix) + 2 and word[len(prefix)] == letters[matched]
        for prefix in COMPOUND_PREFIXES
    )


def _matches(letters: str, words: list[str], start: int) -> set[int]:
    """Where the words spelling the acronym from `start` can end (exclusive)."""
    ends: set[int] = set()
    states = {(0, start)}  # (letters matched, next word)
    while states:
        matched, position = states.pop()
        if matched == len(letters):
            ends.add(position)
            continue
        if position >= len(words):
            continue
        word = words[position]
        if word[0] == letters[matched]:
            states.add((matched + 1, position + 1))
            if _compound_letter(word, letters, matched + 1):  # « Eurométropole » gives E and M
                states.add((matched + 2, position + 1))
        if word in STOPWORDS and matched:
            states.add((matched, position + 1))
    return ends
