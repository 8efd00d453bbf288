"""What a CLS contains: its axes (« Axe 2 : … » lines, a list announced by a sentence or by the
plan's heading, an inline list « autour de 4 axes : a, b, c, d »), their announced number and its
fiches actions."""

from __future__ import annotations

import re

from assistant.catalogue import patterns as P
from assistant.catalogue.model import Cited, DocumentFacts
from assistant.catalogue.names import clean_item
from assistant.catalogue.reading import Reading, StoredChunk
from assistant.core.french import NUMBER_WORDS, fold
from assistant.core.sentences import Sentence


def list_intro(r: Reading, sentences: list[Sentence], i: int) -> tuple[str, DocumentFacts] | None:
    """A sentence or heading that announces axes or actions, followed by list items."""
    sentence = sentences[i]
    announces = sentence.text.rstrip(" -–").endswith(":")
    followed = i + 1 < len(sentences) and sentences[i + 1].is_item
    if sentence.is_item or not (announces or followed):
        return None
    if P.ONE_YEAR.search(sentence.text) and not P.PLAN_PERIOD.search(sentence.text):
        return None  # « nos priorités d'action pour 2021 »: one year's priorities
    if P.BARE_AXIS.match(sentence.text):
        return ("actions", r.focus)
    if P.AXES_WORD.search(sentence.text) and not P.AXIS_LINE.match(sentence.text):
        return ("axes", r.focus)
    if P.PLAN_PERIOD.search(sentence.text) and len(sentence.text.split()) <= 8 and followed:
        return ("axes", r.focus)  # « Le plan pour 2022-2025 » over its list of axes
    if P.ACTIONS_INTRO.search(sentence.text):
        return ("actions", r.focus)
    return None


def list_item(r: Reading, chunk: StoredChunk, sentence: Sentence, kind: str, partial: DocumentFacts) -> None:
    start, end = clean_item(sentence.text, 0, len(sentence.text))
    if end - start >= 4:
        partial.add(kind, r.cite(chunk, sentence, sentence.text[start:end], start, end))


def axis_line(r: Reading, chunk: StoredChunk, sentences: list[Sentence], i: int) -> None:
    """« Axe 2 : Promouvoir la santé mentale »."""
    sentence = sentences[i]
    axis = P.AXIS_LINE.match(sentence.text)
    if axis and len(axis.group(2).split()) >= 2:
        start, end = clean_item(sentence.text, *axis.span(2))
        r.focus.add("axes", r.cite(chunk, sentence, sentence.text[start:end], start, end, axis.group(1)))


def action_sheet(r: Reading, chunk: StoredChunk, sentences: list[Sentence], i: int) -> None:
    """« Fiche action n°3 : label »: the label, quoted with the sheet's first sentence."""
    sentence = sentences[i]
    match = P.ACTION_LINE.match(sentence.text)
    if not match:
        return
    start, end = clean_item(sentence.text, *match.span(2))
    quote_start = sentence.start + len(sentence.text) - len(sentence.text.lstrip("# "))
    quote_end = sentence.end
    following = sentences[i + 1] if i + 1 < len(sentences) else None
    body = following and not following.is_heading and not P.ACTION_LINE.match(following.text)
    if body and len(following.text.split()) >= 6:
        quote_end = following.end
    source = r.source(chunk, chunk.text[quote_start:quote_end])
    r.focus.add("actions", Cited(sentence.text[start:end], source, f"n°{match.group(1)}"))


def axes_count(r: Reading, chunk: StoredChunk, sentences: list[Sentence], i: int) -> None:
    """« Il comporte 6 axes stratégiques »: the number of axes the contract is said to have; a
    regional plan's axes (« le PRS … 3 axes ») are not the CLS's."""
    sentence = sentences[i]
    match = P.AXES_COUNT.search(sentence.text)
    if not match or P.REGIONAL_PLAN.search(sentence.text[: match.start()]) or sentence.is_item:
        return
    written = match.group("n")
    count = int(written) if written.isdigit() else int(NUMBER_WORDS.get(fold(written), 0))
    if 2 <= count <= 15:
        end = match.end()
        r.focus.set("axes_count", r.cite(chunk, sentence, sentence.text[match.start():end], match.start(), end, str(count)))


def inline_axes(r: Reading, chunk: StoredChunk, sentences: list[Sentence], i: int) -> None:
    """« autour de 5 axes majeurs : a, b, c, ainsi qu'un axe transversal »: split at commas and
    semicolons (« et » may sit inside an axis), kept when the count matches the one stated."""
    sentence = sentences[i]
    if r.focus.axes:
        return
    match = P.INLINE_AXES.search(sentence.text)
    free = None if match else P.INLINE_AXES_FREE.search(sentence.text)
    if not (match or free):
        return
    if match:
        stated = match.group("n")
        wanted = int(stated) if stated.isdigit() else int(NUMBER_WORDS.get(fold(stated), 0))
        spans = [(m.start(), m.end()) for m in re.finditer(r"[^,;]+", match.group("items"))]
        if wanted < 2 or len(spans) != wanted:
            return
    else:
        match = free  # no count: commas, semicolons and the last « et »
        spans = [(m.start(), m.end()) for m in re.finditer(r"[^,;]+", match.group("items"))]
        last = re.search(r"\s+et\s+(?=\S)", match.group("items")[spans[-1][0]:]) if spans else None
        if last and len(spans) >= 2:
            split = spans[-1][0] + last.start()
            spans[-1:] = [(spans[-1][0], split), (split, spans[-1][1])]
        if not 2 <= len(spans) <= 10:
            return
    items = match.group("items")
    items_start = match.start("items")
    for start, end in spans:
        start += len(items[start:end]) - len(items[start:end].lstrip())
        start, end = clean_item(sentence.text, items_start + start, items_start + end)
        lead = re.match(r"(?:et |ainsi qu(?:e\s+|['’])|puis )", sentence.text[start:end])
        if lead:
            start += lead.end()
        if end - start >= 4:
            r.focus.add("axes", r.cite(chunk, sentence, sentence.text[start:end], start, end))
