"""The post-check of a generated answer: only claims backed by a real passage sentence survive.

A model's `[n]` is a claim, not a proof. Here each marker is tied to the sentence of passage n that
best matches the answer sentence it follows, and that passage sentence, copied verbatim, becomes the
quote: every quote is found in its source by construction, never in the model's words.
"""

from __future__ import annotations

import re

from assistant.core.french import fold, terms
from assistant.core.sentences import split_sentences
from assistant.passages import Citation, CitationNumbers, Draft, Passage

# `[1]`, `[1, 2]`, `[1-3]`, and the `[passage 1]` / `[source 1]` small models sometimes write.
_BRACKET = r"\[\s*(?:(?:passage|source|doc)\s*n?°?\s*)?{}\s*\]"
_NUMBERS = r"\d+(?:\s*[,;–-]\s*\d+)*"
MARKER = re.compile(_BRACKET.format(f"(?P<numbers>{_NUMBERS})"), re.I)
_SPACED_MARKER = re.compile(r"(?P<space>[ \t]*)" + MARKER.pattern, re.I)
# A sentence of the answer ends after . ! ? … and the markers that may follow, before a space.
ANSWER_END = re.compile(r"[.!?…]+(?:\s*" + _BRACKET.format(_NUMBERS) + r")*(?=\s)", re.I)
MAX_RANGE = 20
BULLET = re.compile(r"^\s*(?:[-•*▪–]|\d{1,2}[.)])\s+")
NOT_FOUND_TOKEN = re.compile(r"non[\s_-]?trouve", re.I)
NOT_FOUND_PHRASES = re.compile(
    r"ne (?:contien|mentionn|precis|fourniss|indiqu|donn)\w* pas|ne permett\w* pas de repondre"
    r"|aucune information|pas d'information|je ne (?:sais|trouve) pas|pas de reponse",
)
CONNECTIVE_MAX_TERMS = 2
"""An unmarked sentence with at most this many content words and no figure is a connective…"""
INTRO_MAX_TERMS = 6
"""…and so is one introducing a list (ending with a colon) with at most this many."""


class _Sources(CitationNumbers):
    """The passages a draft may cite, and the citations its valid markers made, renumbered."""

    def __init__(self, passages: list[Passage]) -> None:
        super().__init__()
        self.passages = passages

    def renumbered(self, n: int, claim: str) -> int | None:
        """The new number of passage n's best sentence for `claim`, or None if nothing supports it."""
        if not 1 <= n <= len(self.passages):
            return None
        passage = self.passages[n - 1]
        quote = best_sentence(claim, passage)
        if quote is None:
            return None
        return self.number((passage.id, quote), lambda new: Citation.from_passage(new, passage, quote))


def check_draft(text: str, passages: list[Passage]) -> Draft | None:
    """The checked draft; `Draft("")` when the model found nothing; None when no valid marker remains.

    None means the answer cannot be trusted and the caller should use its fallback engine.
    Unmarked sentences are dropped unless they are short connectives ("Voici les étapes :").
    """
    if _says_not_found(text):
        return Draft(text="")
    sources = _Sources(passages)
    lines = [_check_line(line, sources) for line in text.strip().splitlines()]
    if not sources.citations:
        declined = NOT_FOUND_TOKEN.search(fold(text)) or NOT_FOUND_PHRASES.search(fold(text))
        return Draft(text="") if declined else None
    checked = "\n".join(line for line in lines if line is not None)
    checked = re.sub(r"\n{3,}", "\n\n", checked).strip()
    return Draft(text=checked, citations=sources.citations)


def best_sentence(claim: str, passage: Passage) -> str | None:
    """The verbatim sentence of `passage` sharing the most content words with `claim`, if any."""
    wanted = set(terms(claim))
    sentences = split_sentences(passage.text)
    candidates = [s for s in sentences if not s.is_heading] or sentences
    best, best_key = None, (0, 0.0)
    for sentence in candidates:
        have = set(terms(sentence.text))
        shared = len(wanted & have)
        key = (shared, shared / len(have) if have else 0.0)
        if shared and key > best_key:
            best, best_key = sentence.text, key
    return best


def _says_not_found(text: str) -> bool:
    """The model's `NON_TROUVÉ`, alone or starting its answer."""
    return bool(NOT_FOUND_TOKEN.match(fold(text).strip(" \t\n`*\"'«»")))


def _check_line(line: str, sources: _Sources) -> str | None:
    """The line with markers renumbered and unsupported sentences dropped; None if nothing is left."""
    if not line.strip():
        return ""
    bullet = BULLET.match(line)
    prefix = bullet.group(0) if bullet else ""
    body = line[len(prefix) :]
    kept = [piece for s in _answer_sentences(body) if (piece := _check_sentence(s, sources))]
    return prefix + " ".join(kept) if kept else None


def _answer_sentences(body: str) -> list[str]:
    cuts = [m.end() for m in ANSWER_END.finditer(body)]
    bounds = [0, *cuts, len(body)]
    return [body[a:b].strip() for a, b in zip(bounds, bounds[1:]) if body[a:b].strip()]


def _check_sentence(sentence: str, sources: _Sources) -> str:
    """The sentence with valid markers renumbered, or "" when it is an unsupported claim.

    A sentence whose markers are all invalid was a claim by the model's own account: it goes too.
    """
    claim = MARKER.sub(" ", sentence)
    cited = False

    def renumber(match: re.Match) -> str:
        nonlocal cited
        numbers = [sources.renumbered(n, claim) for n in _cited_numbers(match["numbers"])]
        unique = list(dict.fromkeys(n for n in numbers if n is not None))
        cited = cited or bool(unique)
        if not unique:
            return ""
        return match["space"] + "".join(f"[{n}]" for n in unique)

    rewritten = _SPACED_MARKER.sub(renumber, sentence).strip()
    if cited:
        return rewritten
    had_markers = MARKER.search(sentence) is not None
    if had_markers or NOT_FOUND_TOKEN.search(fold(claim)) or not _is_connective(claim):
        return ""
    return rewritten


def _cited_numbers(numbers: str) -> list[int]:
    """`1, 3` → [1, 3]; `2-4` → [2, 3, 4] (short ranges only)."""
    cited: list[int] = []
    for item in re.split(r"\s*[,;]\s*", numbers):
        bounds = [int(n) for n in re.split(r"\s*[–-]\s*", item)]
        first, last = bounds[0], bounds[-1]
        cited.extend(range(first, last + 1) if 0 <= last - first < MAX_RANGE else bounds)
    return cited


def _is_connective(claim: str) -> bool:
    content = terms(claim)
    limit = INTRO_MAX_TERMS if claim.rstrip().endswith(":") else CONNECTIVE_MAX_TERMS
    return len(content) <= limit and not any(t.isdigit() for t in content)
