"""Hybrid retrieval: dense search in Chroma + French BM25, fused by reciprocal rank fusion.

The BM25 side (bm25s) and the metadata filters read the lexical index (assistant/lexical_index.py):
saved by ingestion for the store's exact state and opened memory-mapped, else built from the store
and saved. A filter is a numpy mask over its columns. Metadata filters apply inside both searches,
never after answering, and the final list is diversified so that one long document cannot take
every place. The chosen chunks' texts and metadata are read from the store, and checked again.

Chunks a user may not see weigh on nothing they get: BM25 statistics are computed per set of
visible visibilities, and the term weights of the answer engine on public chunks only, so a public
answer is the same as if internal documents were not in the store.

Chunks that ingestion quarantined (they give orders to an AI model, assistant/core/safety.py)
are left out the same way, for every role: never returned by either search, in no BM25 statistic
and no term weight, so an answer is the same as if their documents were not in the store. Stores
ingested before the mark have no such chunk (`$ne` matches chunks without the key).

Chroma checks a `where` against the metadata of every chunk, which dominates a question at 100k
chunks (bench/load.py --baseline: ×9 questions/s without it). So unless a question's filters hide
most of the store, the dense search asks Chroma for more neighbours, unfiltered, and drops the
hidden ones itself, from the index's mask: as many more as there are hidden chunks when they
are few (the result is then sure to be complete), else twice what the visible share should need.
When that is too many or fell short, Chroma searches among the visible chunks' ids (no metadata
read), or with its `where` when they are very many. Either way the nearest visible chunks. An id
the index does not know is dropped too: no chunk is returned on metadata that was not checked.
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np
from chromadb.api.models.Collection import Collection
from chromadb.errors import ChromaError

from assistant.core.embeddings import TokenizingEmbeddings
from assistant.core.filters import Filters, date_number
from assistant.core.french import terms
from assistant.core.safety import QUARANTINE_KEY, quarantined
from assistant.lexical_index import LexicalIndex, build_from_store, open_saved, state_folder
from assistant.passages import Passage

RRF_K = 60
CANDIDATES = 40
MAX_PER_DOCUMENT = 3
WEIGHTS_VISIBILITY = ("public",)
"""Term weights (idf) for the answer engine come from public chunks only (see module docstring)."""
NOT_QUARANTINED = {QUARANTINE_KEY: {"$ne": True}}
OVERFETCH_MAX = 1000
"""The most neighbours the dense search asks for unfiltered before it lets Chroma filter (see above)."""
OVERFETCH_FACTOR = 2.0
"""How many times the neighbours the visible share should need, when the dense search guesses."""
MASKS_KEPT = 256
"""Filters whose mask of searchable chunks the retriever remembers (bounded: date ranges are many)."""
IDS_MAX = 20000
"""Up to this many visible chunks, a filtered dense search names them to Chroma (`ids`), which then
reads no metadata; beyond, Chroma's own `where` (a scan, but the overfetch rarely falls short there)."""


def searchable(metadata: dict, filters: Filters) -> bool:
    """Whether a search with these filters may return this chunk (`searchable_where`, in Python)."""
    return not quarantined(metadata) and filters.accepts(metadata)


def searchable_where(filters: Filters) -> dict:
    """`filters.where()` and not quarantined: the dense search's Chroma filter. (`where()` itself
    stays the user's filters, which document lists and counts also use.)"""
    where = filters.where()
    if where is None:
        return NOT_QUARANTINED
    return {"$and": [*where.get("$and", [where]), NOT_QUARANTINED]}


def visible_mask(index: LexicalIndex, filters: Filters) -> np.ndarray:
    """`searchable` for every chunk of the index at once: a numpy mask, no metadata dict read."""
    mask = index.visible(filters.visibility)
    rows = index.rows
    for key in ("territory", "doc_type", "publisher"):
        wanted = getattr(filters, key)
        if wanted:
            mask &= rows.codes[key] == index.code(key, wanted)
    if filters.date_from:
        mask &= rows.date_num >= date_number(filters.date_from)
    if filters.date_to:
        mask &= (rows.date_num >= 0) & (rows.date_num <= date_number(filters.date_to))
    return mask


class Retriever:
    def __init__(
        self,
        collection: Collection,
        embeddings: TokenizingEmbeddings,
        k: int = 8,
        reopen: Callable[[], Collection] | None = None,
        revision: Callable[[], object] | None = None,
        index_root: Path | None = None,
        store: str = "",
    ) -> None:
        """`reopen` gives a fresh handle on the store, for when another process has written to it;
        `revision` reads the store's current revision (assistant/core/store.py); `index_root` is where
        lexical indexes are saved (assistant/lexical_index.py), `store` names the store there.
        Without both, the index is built in memory from the store."""
        self.collection = collection
        self.embeddings = embeddings
        self.k = k
        self._reopen = reopen
        self._revision = revision
        self._index_root = index_root
        self._store = store
        self._index: LexicalIndex | None = None
        self._built_for: tuple | None = None
        self._masks: dict[Filters, np.ndarray] = {}
        self._lock = threading.Lock()

    @property
    def index(self) -> LexicalIndex:
        """The lexical index of the store as it is now: the one saved for this state, else built
        (and saved) from the store, on a reopened handle when the store has changed."""
        version = (self.collection.count(), self._revision() if self._revision else None)
        index = self._index
        if index is not None and self._built_for == version:
            return index
        with self._lock:  # one rebuild for all the threads that noticed the change
            if self._index is index:
                if index is not None and self._reopen:
                    self.collection = self._reopen()
                self._index = self._open_or_build(*version)
                self._built_for = version
                self._masks = {}
            return self._index

    mirror = index
    """The name of this property before the index was saved (kept for callers)."""

    def _open_or_build(self, count: int, revision: object) -> LexicalIndex:
        persist = self._index_root is not None and isinstance(revision, str)
        if persist:
            saved = open_saved(self._index_root, self._store, revision, count)
            if saved is not None and saved.count == count:
                return saved
        built = build_from_store(self.collection)
        if persist and (self.collection.count(), self._revision()) == (count, revision) and built.count == count:
            try:  # the store did not change while it was read: keep it for every process
                built.save(state_folder(self._index_root, self._store, revision, count), revision, self._store)
            except OSError:
                pass  # a read-only data folder: the index stays in memory
        return built

    def refresh(self) -> None:
        with self._lock:
            self._index = None

    def _reopen_after_error(self, failed: Collection) -> None:
        with self._lock:
            if self.collection is failed:  # not yet reopened by another thread
                self.collection = self._reopen()
                self._index = None

    def idf(self, term: str) -> float:
        # The index checked by this question's search: no store round trip per term.
        index = self._index or self.index
        return index.view(WEIGHTS_VISIBILITY).idf(term)

    def document_text(self, file: str) -> str:
        """A stored document's text, as its chunks hold it (for checking quotes)."""
        index = self.index
        ids = [str(index.ids[i]) for i in index.of_file(file)]
        if not ids:
            return ""
        stored = self.collection.get(ids=ids, include=["documents", "metadatas"])
        chunks = sorted((m.get("chunk_index", 0), t) for t, m in zip(stored["documents"], stored["metadatas"]))
        return "\n\n".join(text for _, text in chunks)

    def mask(self, filters: Filters, index: LexicalIndex) -> np.ndarray:
        """The chunks a search with these filters may return (computed once per filters)."""
        with self._lock:
            mask = self._masks.get(filters) if self._index is index else None
            if mask is None:
                mask = visible_mask(index, filters)
                if self._index is index:
                    if len(self._masks) >= MASKS_KEPT:
                        self._masks.clear()
                    self._masks[filters] = mask
            return mask

    def search(self, query: str, filters: Filters | None = None, k: int | None = None) -> list[Passage]:
        filters = filters or Filters()
        collection = self.collection
        try:
            return self._search(query, filters, k)
        except ChromaError:
            # Same count but other chunks (a document replaced by another process): the stale
            # index names ids the store no longer maps. Once more, on a fresh handle.
            if not self._reopen:
                raise
            self._reopen_after_error(collection)
            return self._search(query, filters, k)

    def _search(self, query: str, filters: Filters, k: int | None) -> list[Passage]:
        index = self.index
        if not index.count or filters.visibility == ():
            return []
        mask = self.mask(filters, index)
        dense = self._dense(query, filters, index)
        lexical = self._lexical(query, filters, index)
        fused: dict[int, float] = {}
        for ranking in (dense, lexical):
            for rank, i in enumerate(ranking):
                fused[i] = fused.get(i, 0.0) + 1.0 / (RRF_K + rank + 1)
        order = sorted(fused, key=fused.get, reverse=True)
        chosen = _diversify(order, index, k or self.k)
        return self._passages(chosen, filters, index, mask, dense, lexical, fused)

    def _passages(self, chosen, filters, index, mask, dense, lexical, fused) -> list[Passage]:
        """The chosen chunks as the store holds them; one whose stored metadata no longer passes
        the filters (the store changed since the index was built) is dropped."""
        ids = [str(index.ids[i]) for i in chosen]
        if not ids:
            return []
        stored = self.collection.get(ids=ids, include=["documents", "metadatas"])
        found = {i: (t, m) for i, t, m in zip(stored["ids"], stored["documents"], stored["metadatas"])}
        passages = []
        for i, chunk_id in zip(chosen, ids):
            if chunk_id in found and searchable(found[chunk_id][1], filters):
                text, metadata = found[chunk_id]
                passages.append(Passage(chunk_id, text, metadata, score=fused[i],
                                        dense=dense.get(i, 0.0), lexical=lexical.get(i, 0.0)))
        return passages

    def _dense(self, query: str, filters: Filters, index: LexicalIndex) -> dict[int, float]:
        """Chunk position → cosine similarity, best first."""
        mask = self.mask(filters, index)
        visible = int(mask.sum())
        hidden = index.count - visible
        wanted = min(CANDIDATES, visible)
        if wanted <= 0:
            return {}
        vector = self.embeddings.embed_query(query)
        complete = min(wanted + hidden, index.count)  # sure to hold `wanted` visible chunks
        fetched = min(complete, math.ceil(OVERFETCH_FACTOR * wanted * index.count / visible))
        if fetched <= OVERFETCH_MAX:
            ranking = self._nearest(vector, fetched, None, wanted, mask, index)
            if len(ranking) == wanted or fetched == complete:
                return ranking
        if visible <= IDS_MAX:  # the visible chunks named: Chroma reads no metadata
            among = {"ids": [str(i) for i in index.ids[mask]]}
        else:
            among = {"where": searchable_where(filters)}
        return self._nearest(vector, wanted, among, wanted, mask, index)

    def _nearest(
        self, vector: list[float], fetched: int, among: dict | None, wanted: int, mask: np.ndarray,
        index: LexicalIndex,
    ) -> dict[int, float]:
        """The `wanted` nearest searchable chunks among the `fetched` nearest that Chroma finds
        `among` some ids or a `where` (None: all chunks)."""
        found = self.collection.query(
            query_embeddings=[vector], n_results=fetched, include=["distances"], **(among or {})
        )
        positions = index.positions_of(found["ids"][0])
        ranking: dict[int, float] = {}
        for i, distance in zip(positions.tolist(), found["distances"][0]):
            if i >= 0 and mask[i]:
                ranking[i] = 1.0 - distance
                if len(ranking) == wanted:
                    break
        return ranking

    def _lexical(self, query: str, filters: Filters, index: LexicalIndex) -> dict[int, float]:
        """Chunk position → BM25 score, best first (only chunks sharing a term with the query)."""
        view = index.view(filters.visibility)
        if not view.count:
            return {}
        scores = view.scores(terms(query))
        scores = np.where(self.mask(filters, index)[view.positions], scores, 0)
        best = _best(scores, CANDIDATES)
        return {int(view.positions[j]): float(scores[j]) for j in best}


def _best(scores: np.ndarray, n: int) -> np.ndarray:
    """Indexes of the (at most) n highest positive scores, best first, ties in index order: the
    first n of a stable descending sort, without sorting every score."""
    positive = np.flatnonzero(scores > 0)
    if len(positive) > n:
        threshold = np.partition(scores[positive], len(positive) - n)[len(positive) - n]
        positive = positive[scores[positive] >= threshold]
    order = np.argsort(-scores[positive], kind="stable")
    return positive[order][:n]


def _diversify(order: list[int], index: LexicalIndex, k: int) -> list[int]:
    """The best k, with at most MAX_PER_DOCUMENT chunks of one document while others remain."""
    chosen, overflow, per_doc = [], [], Counter()
    documents = index.rows.codes["doc_id"]
    for i in order:
        doc = int(documents[i])
        if per_doc[doc] < MAX_PER_DOCUMENT:
            chosen.append(i)
            per_doc[doc] += 1
        else:
            overflow.append(i)
        if len(chosen) == k:
            return chosen
    return (chosen + overflow)[:k]
