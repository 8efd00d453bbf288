"""Sentence vectors kept beside the chunks, so that answering scores sentences by meaning for free.

The answer engine picks sentences of the retrieved passages; shared words alone miss paraphrases
(« qui fait le diagnostic ? » / « le diagnostic a été réalisé par… »). Ingestion embeds every
sentence once into a companion Chroma collection (`<collection>_sentences`), and answering reads
the vectors of the sentences it considers by id, with no model call.

Ids are a hash of the model and the sentence text: the collection is a content-addressed cache.
A sentence repeated by overlapping chunks or by another document is embedded once, a re-ingested
file costs nothing, and no write order between the two collections can leave them inconsistent
(a sentence whose vector is missing is simply scored by its words). `--rebuild` drops it with the
chunks. A reader whose embedded store another process wrote to reopens it when a read fails.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

import numpy as np
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.errors import ChromaError

from assistant.core.sentences import split_sentences

SUFFIX = "_sentences"
LOOKUP_BATCH = 500


def sentences_to_embed(text: str) -> list[str]:
    """The sentences of a chunk that the answer engine may quote (headings are not quoted)."""
    return [s.text for s in split_sentences(text) if not s.is_heading]


def sentence_id(model_id: str, sentence: str) -> str:
    return hashlib.sha256(f"{model_id}\x1f{sentence}".encode()).hexdigest()[:32]


class SentenceIndex:
    def __init__(self, collection: Collection, model_id: str, reopen: Callable[[], Collection] | None = None) -> None:
        """`reopen` gives a fresh handle, for when another process has written to the store."""
        self.collection = collection
        self.model_id = model_id
        self._reopen = reopen

    @classmethod
    def open(
        cls, client: ClientAPI, chunk_collection: str, model_id: str, reopen: Callable[[], ClientAPI] | None = None
    ) -> SentenceIndex:
        """`reopen` gives a fresh client (assistant/core/store.py, fresh_client)."""
        fresh = (lambda: _companion(reopen(), chunk_collection)) if reopen else None
        return cls(_companion(client, chunk_collection), model_id, fresh)

    def add(self, chunk_texts: Iterable[str], embed) -> int:
        """Embeds the sentences of these chunks not stored yet; returns how many were embedded.

        `embed(texts) -> vectors` is the passage side of the store's own model."""
        wanted = {sentence_id(self.model_id, s): s for text in chunk_texts for s in sentences_to_embed(text)}
        missing = [i for i in wanted if i not in self._present(list(wanted))]
        if not missing:
            return 0
        vectors = embed([wanted[i] for i in missing])
        self.collection.upsert(ids=missing, embeddings=vectors, documents=[wanted[i] for i in missing])
        return len(missing)

    def vectors(self, sentences: Iterable[str]) -> dict[str, np.ndarray]:
        """Sentence text → unit vector, for the sentences the index holds. An embedded store that
        another process wrote to can fail a read: once more on a fresh handle, else no vectors
        (the sentences are then scored by their words)."""
        sentences = list(sentences)
        try:
            return self._vectors(sentences)
        except ChromaError:
            if not self._reopen:
                return {}
            self.collection = self._reopen()
            try:
                return self._vectors(sentences)
            except ChromaError:
                return {}

    def _vectors(self, sentences: list[str]) -> dict[str, np.ndarray]:
        by_id = {sentence_id(self.model_id, s): s for s in sentences}
        found: dict[str, np.ndarray] = {}
        ids = list(by_id)
        for start in range(0, len(ids), LOOKUP_BATCH):
            page = self.collection.get(ids=ids[start : start + LOOKUP_BATCH], include=["embeddings"])
            for i, vector in zip(page["ids"], page["embeddings"]):
                found[by_id[i]] = np.asarray(vector, dtype=np.float32)
        return found

    def _present(self, ids: list[str]) -> set[str]:
        present: set[str] = set()
        for start in range(0, len(ids), LOOKUP_BATCH):
            present |= set(self.collection.get(ids=ids[start : start + LOOKUP_BATCH], include=[])["ids"])
        return present


def _companion(client: ClientAPI, chunk_collection: str) -> Collection:
    return client.get_or_create_collection(
        chunk_collection + SUFFIX, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
    )


def drop_sentence_index(client: ClientAPI, chunk_collection: str) -> None:
    name = chunk_collection + SUFFIX
    if name in {c.name for c in client.list_collections()}:
        client.delete_collection(name)
