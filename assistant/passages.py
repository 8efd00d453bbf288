"""The shapes retrieval and answering exchange: passages found, citations given, answers returned."""

from __future__ import annotations

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
            page=passage.page,
            quote=quote,
        )


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
