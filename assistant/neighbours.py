"""The chunks next to the retrieved ones in their documents, read once the documents are chosen.

Retrieval ranks chunks, but an answer is often spread over a chunk's neighbours: a sentence cut at
the chunk's edge ends in the next one, a period (« 2025-2030 ») or a list of steps sits one chunk
further than the sentence that matched. Once the answer layer knows which documents answer (they
name everything the question names), it reads their chunks just before and after the retrieved
ones, so that every sentence it considers is whole and its neighbours are at hand. Chunk ids are
`<doc_id>:<chunk_index>` (ingest/pipeline.py); a neighbour is kept only if the question's
filters and the reader's role would let retrieval return it (never a quarantined chunk).
"""

from __future__ import annotations

from collections.abc import Callable

from chromadb.errors import ChromaError

from assistant.core.filters import Filters
from assistant.passages import Passage
from assistant.retrieval import Retriever, searchable

REACH = 2
"""How many chunks on each side of a retrieved one."""
SCORE_SHARE = 0.99
"""A neighbour ranks just below the chunk that brought it."""


def neighbour_reader(retriever: Retriever, filters: Filters) -> Callable[[list[Passage]], list[Passage]]:
    """For `assess_support`: the neighbours of the passages it keeps, as retrieval would show them."""

    def read(passages: list[Passage]) -> list[Passage]:
        have = {p.id for p in passages}
        wanted: dict[str, float] = {}
        for passage in passages:
            index, doc = passage.metadata.get("chunk_index"), passage.doc_id
            if not isinstance(index, int) or not doc:
                continue
            for step in range(-REACH, REACH + 1):
                chunk = f"{doc}:{index + step}"
                if step and index + step >= 0 and chunk not in have:
                    wanted[chunk] = max(wanted.get(chunk, 0.0), passage.score * SCORE_SHARE)
        collection = getattr(retriever, "collection", None)  # a test's stand-in may have none
        if not wanted or collection is None:
            return []
        try:
            stored = collection.get(ids=list(wanted), include=["documents", "metadatas"])
        except ChromaError:  # another process rewrote the store: the retrieved chunks suffice
            return []
        found = [
            Passage(chunk, text, metadata, score=wanted[chunk])
            for chunk, text, metadata in zip(stored["ids"], stored["documents"], stored["metadatas"])
            if metadata and searchable(metadata, filters)
        ]
        return sorted(found, key=lambda p: p.score, reverse=True)

    return read
