"""Splits a passage into verbatim sentences and list items, with their character spans."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A sentence ends at . ! ? … followed by a space and a capital, a digit, a quote or a bullet.
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[«\"A-ZÀ-ÖØ-Ý0-9•(\-])")
LIST_ITEM = re.compile(r"^\s*(?:[-•*▪–]|\d{1,2}[.)])\s+")
INLINE_BULLET = re.compile(r"\s+(?=•\s)")
# Pieces that end with a period without ending a sentence: "1.", "M.", "Mme.", "art."
NOT_AN_END = re.compile(r"(?:^|\s)(?:\d{1,3}|[A-ZÀ-Ý]|M|Mme|Dr|St|art|cf|p|n°\s?\d+)\.$")
# …nor does an abbreviated month before its year: « signé le 3 juil. 2025 ».
ABBREVIATED_MONTH = re.compile(r"\b(?:janv|f[ée]vr?|avr|juil|sept|oct|nov|d[ée]c)\.$", re.IGNORECASE)


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    end: int
    is_item: bool
    """A list item (bullet or numbered line)."""
    is_heading: bool


def split_sentences(text: str) -> list[Sentence]:
    sentences: list[Sentence] = []
    offset = 0
    for line in text.split("\n"):
        line_start = offset
        offset += len(line) + 1
        if not line.strip():
            continue
        if line.lstrip().startswith("#"):
            sentences.append(_make(text, line_start, line_start + len(line), False, True))
            continue
        is_item = bool(LIST_ITEM.match(line))
        for start, end in _spans(line, (SENTENCE_END, INLINE_BULLET)):
            piece_is_item = is_item or line[start:end].lstrip().startswith("•")
            sentences.append(_make(text, line_start + start, line_start + end, piece_is_item, False))
    return [s for s in sentences if s.text]


def _spans(line: str, patterns) -> list[tuple[int, int]]:
    cuts = sorted({m.end() for pattern in patterns for m in pattern.finditer(line)})
    cuts = [cut for cut in cuts if not NOT_AN_END.search(line[:cut].rstrip())
            and not (ABBREVIATED_MONTH.search(line[:cut].rstrip()) and line[cut:cut + 1].isdigit())]
    bounds = [0, *cuts, len(line)]
    return [(a, b) for a, b in zip(bounds, bounds[1:]) if line[a:b].strip()]


def _make(text: str, start: int, end: int, is_item: bool, is_heading: bool) -> Sentence:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Sentence(text[start:end], start, end, is_item, is_heading)
