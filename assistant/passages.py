"""The shapes retrieval and answering exchange: passages found, citations given, answers returned."""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from dataclasses import asdict, dataclass, field


@dataclass
class Passage:
    """A retrieved chunk with its document metadata and how it ranked."""

    id: str
    text: str
    metadata: dict
    score: float = 0.0
    """Fused retrieval score (higher is better)."""
    dense: float = 0.0
    """Cosine similarity of the chunk to the question (0 when only the lexical side found it)."""
    lexical: float = 0.0
    """BM25 score of the chunk for the question (0 when only the dense side found it)."""

    @property
    def file(self) -> str:
        return self.metadata.get("file", "")

    @property
    def page(self) -> int | None:
        return self.metadata.get("page")

    @property
    def date(self) -> str:
        return self.metadata.get("date", "")

    @property
    def doc_id(self) -> str:
        return self.metadata.get("doc_id", "")


@dataclass
class Citation:
    n: int
    file: str
    title: str
    publisher: str
    date: str
    page: int | None
    quote: str
    """Verbatim sentence of the cited passage."""

    @classmethod
    def from_passage(cls, n: int, passage: Passage, quote: str) -> Citation:
        meta = passage.metadata
        return cls(
            n=n,
            file=passage.file,
            title=meta.get("title", ""),
            publisher=meta.get("publisher", ""),
            date=meta.get("date", ""),
            page=quote_page(passage, quote),
            quote=quote,
        )


class CitationNumbers:
    """Citations numbered in order of first use: what is cited again under the same key (a
    chunk and its quote) keeps its number. Every engine and the catalogue number this way."""

    def __init__(self) -> None:
        self.citations: list[Citation] = []
        self._numbers: dict[Hashable, int] = {}

    def number(self, key: Hashable, citation: Callable[[int], Citation]) -> int:
        """The number of `key`, the citation made by `citation(n)` the first time it is seen."""
        if key not in self._numbers:
            self._numbers[key] = len(self.citations) + 1
            self.citations.append(citation(self._numbers[key]))
        return self._numbers[key]


@dataclass
class Draft:
    """What an answer engine produced: text with [n] markers and the citations they point to."""

    text: str
    citations: list[Citation] = field(default_factory=list)


@dataclass
class Answer:
    question: str
    """The question as searched (a follow-up is rewritten into a standalone question)."""
    answer: str
    found: bool
    citations: list[Citation]
    sources: list[Passage]
    engine: str = "extractive"

    def to_dict(self) -> dict:
        return {
            "answer": self.answer,
            "found": self.found,
            "citations": [asdict(citation) for citation in self.citations],
            "sources": [
                {"file": p.file, "page": p.page, "score": round(p.score, 4)} for p in self.sources
            ],
        }


def quote_span(text: str, quote: str) -> tuple[int, int] | None:
    """Where `quote` lies in `text`, ignoring differences of white space."""
    quote = quote.strip()
    if not quote:
        return None
    start = text.find(quote)
    if start >= 0:
        return start, start + len(quote)
    match = re.search(r"\s+".join(re.escape(word) for word in quote.split()), text)
    return (match.start(), match.end()) if match else None


def quote_page(passage: Passage, quote: str) -> int | None:
    """The page the quote starts on, not the chunk's first page: ingestion records where each
    later page starts inside the chunk (`page_breaks`, « offset:page,… »). A store ingested before
    that, or a quote not found verbatim, falls back to the chunk's first page."""
    breaks = passage.metadata.get("page_breaks")
    span = quote_span(passage.text, quote) if breaks else None
    if span is None:
        return passage.page
    page = passage.page
    for pair in str(breaks).split(","):
        offset, _, number = pair.partition(":")
        if offset.isdigit() and number.isdigit() and span[0] >= int(offset):
            page = int(number)
    return page
