"""Structure-aware chunking sized in the embedding model's own tokens.

LangChain's recursive splitter does the splitting: headings first, then paragraphs, lines, sentences
and words, so a chunk ends at the strongest boundary that keeps it under the size. Each chunk is
then placed back on its pages and under its nearest heading from its character offset.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass

from langchain_text_splitters import RecursiveCharacterTextSplitter

from ingest.documents import Page

PAGE_SEPARATOR = "\n\n"
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$", re.MULTILINE)
MIN_CHUNK_TOKENS = 24
"""Smaller pieces (a lone heading, a date line) carry too little meaning to be retrieved alone."""
SEPARATORS = [r"\n(?=#{1,6} )", r"\n\n", r"\n", r"(?<=[.!?;:])\s+", r" ", r""]


@dataclass(frozen=True)
class Chunk:
    text: str
    index: int
    page: int | None
    """First page the chunk is on (None for formats without pages)."""
    page_end: int | None
    """Last page the chunk is on: differs from `page` when a paragraph runs across a page break."""
    section: str
    """Nearest heading above the chunk, '' when there is none."""
    page_breaks: tuple[tuple[int, int], ...] = ()
    """(offset in `text`, page number) of each page that starts inside the chunk, so that a quote
    can cite the page it is on rather than the chunk's first page."""


def chunk_pages(
    pages: list[Page],
    count_tokens: Callable[[str], int],
    chunk_tokens: int,
    overlap_tokens: int,
) -> list[Chunk]:
    text, page_starts = _join_pages(pages)
    length = _content_tokens(count_tokens)
    splitter = RecursiveCharacterTextSplitter(
        separators=SEPARATORS,
        is_separator_regex=True,
        keep_separator="start",
        chunk_size=chunk_tokens,
        chunk_overlap=overlap_tokens,
        length_function=length,
    )
    headings = [(m.start(), m.group(2).strip()) for m in HEADING.finditer(text)]
    heading_starts = [start for start, _ in headings]
    page_numbers = [page.number for page in pages]

    spans = _merge_tiny(_spans(splitter.split_text(text), text), text, length)
    chunks = []
    for start, end in spans:
        first = page_numbers[bisect.bisect_right(page_starts, start) - 1]
        last = page_numbers[bisect.bisect_right(page_starts, max(start, end - 1)) - 1]
        heading = bisect.bisect_right(heading_starts, start) - 1
        chunks.append(
            Chunk(
                text=text[start:end],
                index=len(chunks),
                page=first,
                page_end=last,
                section=headings[heading][1] if heading >= 0 else "",
                page_breaks=tuple(
                    (page_start - start, number)
                    for page_start, number in zip(page_starts, page_numbers)
                    if start < page_start < end and number is not None
                ),
            )
        )
    return chunks


def _spans(pieces: list[str], text: str) -> list[tuple[int, int]]:
    """Where each piece lies in `text`: pieces are verbatim and in order, overlapping ones
    starting after the previous start."""
    spans, cursor = [], 0
    for piece in pieces:
        start = text.find(piece, cursor)
        spans.append((start, start + len(piece)))
        cursor = start + 1
    return spans


def _merge_tiny(
    spans: list[tuple[int, int]], text: str, length: Callable[[str], int]
) -> list[tuple[int, int]]:
    """A lone heading or a stray line is joined to the chunk after it (the last one, before it)."""
    merged: list[tuple[int, int]] = []
    carry: int | None = None
    for start, end in spans:
        start = start if carry is None else carry
        carry = None
        if length(text[start:end]) < MIN_CHUNK_TOKENS:
            carry = start
            continue
        merged.append((start, end))
    if carry is not None:
        if merged:
            merged[-1] = (merged[-1][0], spans[-1][1])
        else:
            merged.append((carry, spans[-1][1]))
    return merged


def _content_tokens(count_tokens: Callable[[str], int]) -> Callable[[str], int]:
    """Token count without the fixed prefix and special tokens the model adds to every input."""
    overhead = count_tokens("")
    return lambda text: max(count_tokens(text) - overhead, 0)


def _join_pages(pages: list[Page]) -> tuple[str, list[int]]:
    """The document as one string, and the offset where each page starts in it."""
    starts, offset = [], 0
    for page in pages:
        starts.append(offset)
        offset += len(page.text) + len(PAGE_SEPARATOR)
    return PAGE_SEPARATOR.join(page.text for page in pages), starts
