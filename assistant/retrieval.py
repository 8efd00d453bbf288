"""Hybrid retrieval: dense search in Chroma + French BM25, fused by reciprocal rank fusion.

The BM25 side (bm25s) indexes an in-memory mirror of the collection, rebuilt when the number of
chunks or the revision stamped by ingestion changes. Metadata filters apply inside both searches,
never after answering, and the final list is diversified so that one long document cannot take every place.

Chunks a user may not see weigh on nothing they get: BM25 statistics are computed per set of
visible visibilities, and the term weights of the answer engine on public chunks only, so a public
answer is the same as if internal documents were not in the store.

Chunks that ingestion quarantined (they give orders to an AI model, assistant/engines/injection.py)
are left out the same way, for every role: never returned by either search, in no BM25 statistic
and no term weight, so an answer is the same as if their documents were not in the store. Stores
ingested before the mark have no such chunk (`$ne` matches chunks without the key).

Chroma checks a `where` against the metadata of every chunk, which dominates a question at 100k
chunks (bench/load.py --baseline: ×9 questions/s without it). So unless a question's filters hide
most of the store, the dense search asks Chroma for more neighbours, unfiltered, and drops the
hidden ones itself, from the mirror's metadata: as many more as there are hidden chunks when they
are few (the result is then sure to be complete), else twice what the visible share should need,
and the filtered query only if that fell short. Either way the nearest visible chunks. An id the
mirror does not know is dropped too: no chunk is returned on metadata that was not checked.
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import bm25s
import numpy as np
from chromadb.api.models.Collection import Collection
from chromadb.errors import ChromaError

from assistant.embeddings import TokenizingEmbeddings
from assistant.engines.injection import QUARANTINE_KEY, quarantined
from assistant.french import terms
from assistant.passages import Passage

RRF_K = 60
CANDIDATES = 40
MAX_PER_DOCUMENT = 3
PAGE_SIZE = 5000
WEIGHTS_VISIBILITY = ("public",)
"""Term weights (idf) for the answer engine come from public chunks only (see module docstring)."""
NOT_QUARANTINED = {QUARANTINE_KEY: {"$ne": True}}
OVERFETCH_MAX = 1000
"""The most neighbours the dense search asks for unfiltered before it lets Chroma filter (see above)."""
OVERFETCH_FACTOR = 2.0
"""How many times the neighbours the visible share should need, when the dense search guesses."""
HIDDEN_COUNTS_KEPT = 256
"""Filters whose hidden-chunk count the mirror remembers (bounded: date ranges are many)."""


@dataclass(frozen=True)
class Filters:
    territory: str | None = None
    doc_type: str | None = None
    publisher: str | None = None
    date_from: str | None = None
    """ISO date, inclusive."""
    date_to: str | None = None
    visibility: tuple[str, ...] | None = None
    """Visibilities the user may see (None: all)."""

    def where(self) -> dict | None:
        """The same conditions as `accepts`, in Chroma's filter language."""
        clauses: list[dict] = [
            {key: value}
            for key, value in (
                ("territory", self.territory),
                ("doc_type", self.doc_type),
                ("publisher", self.publisher),
            )
            if value
        ]
        if self.date_from:
            clauses.append({"date_num": {"$gte": _date_num(self.date_from)}})
        if self.date_to:
            clauses.append({"date_num": {"$lte": _date_num(self.date_to)}})
        if self.visibility is not None:
            clauses.append({"visibility": {"$in": list(self.visibility)}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def accepts(self, metadata: dict) -> bool:
        for key in ("territory", "doc_type", "publisher"):
            wanted = getattr(self, key)
            if wanted and metadata.get(key) != wanted:
                return False
        date_num = metadata.get("date_num")
        if self.date_from and (date_num is None or date_num < _date_num(self.date_from)):
            return False
        if self.date_to and (date_num is None or date_num > _date_num(self.date_to)):
            return False
        if self.visibility is not None and metadata.get("visibility", "public") not in self.visibility:
            return False
        return True


def _date_num(iso: str) -> int:
    return int(iso[:10].replace("-", ""))


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


class LexicalView:
    """BM25 over the chunks of some visibilities only: the others change no score or weight."""

    def __init__(self, positions: list[int], corpus: list[list[str]]) -> None:
        self.positions = positions
        """Mirror position of each chunk of the view."""
        self.count = len(positions)
        self.document_frequency = Counter(term for tokens in corpus for term in set(tokens))
        self.bm25 = bm25s.BM25()
        if corpus:
            self.bm25.index(corpus, show_progress=False)

    def idf(self, term: str) -> float:
        """Smoothed inverse document frequency of a stemmed term among the view's chunks."""
        return float(np.log(1 + (self.count + 1) / (self.document_frequency.get(term, 0) + 0.5)))


class ChunkMirror:
    """Every chunk of the collection in memory, with a BM25 view per set of visibilities (views
    leave quarantined chunks out)."""

    def __init__(self, collection: Collection) -> None:
        self.ids: list[str] = []
        self.texts: list[str] = []
        self.metadatas: list[dict] = []
        total = collection.count()
        for offset in range(0, total, PAGE_SIZE):
            page = collection.get(include=["documents", "metadatas"], limit=PAGE_SIZE, offset=offset)
            self.ids += page["ids"]
            self.texts += page["documents"]
            self.metadatas += page["metadatas"]
        self.count = total
        self.position = {chunk_id: i for i, chunk_id in enumerate(self.ids)}
        self._corpus = [terms(_searchable(t, m)) for t, m in zip(self.texts, self.metadatas)]
        self._views: dict[tuple[str, ...] | None, LexicalView] = {}
        self._hidden: dict[Filters, int] = {}
        self._lock = threading.Lock()
        self.view(WEIGHTS_VISIBILITY)  # the public view, the default role's: built with the mirror

    def hidden(self, filters: Filters) -> int:
        """How many chunks a search with these filters may not return (counted once per filters)."""
        with self._lock:
            if filters not in self._hidden:
                if len(self._hidden) >= HIDDEN_COUNTS_KEPT:
                    self._hidden.clear()
                self._hidden[filters] = sum(not searchable(m, filters) for m in self.metadatas)
            return self._hidden[filters]

    def view(self, visibility: tuple[str, ...] | None) -> LexicalView:
        """The BM25 view of the unquarantined chunks with these visibilities (None: all), built on
        first use."""
        key = tuple(sorted(visibility)) if visibility is not None else None
        with self._lock:
            if key not in self._views:
                positions = [
                    i for i, m in enumerate(self.metadatas)
                    if not quarantined(m) and (key is None or m.get("visibility", "public") in key)
                ]
                same = next((v for v in self._views.values() if v.positions == positions), None)
                self._views[key] = same or LexicalView(positions, [self._corpus[i] for i in positions])
            return self._views[key]

    def passage(self, i: int, **scores: float) -> Passage:
        return Passage(self.ids[i], self.texts[i], self.metadatas[i], **scores)


def _searchable(text: str, metadata: dict) -> str:
    return " ".join((metadata.get("title", ""), metadata.get("section", ""), text))


class Retriever:
    def __init__(
        self,
        collection: Collection,
        embeddings: TokenizingEmbeddings,
        k: int = 8,
        reopen: Callable[[], Collection] | None = None,
        revision: Callable[[], object] | None = None,
    ) -> None:
        """`reopen` gives a fresh handle on the store, for when another process has written to it;
        `revision` reads the store's current revision (assistant/store.py)."""
        self.collection = collection
        self.embeddings = embeddings
        self.k = k
        self._reopen = reopen
        self._revision = revision
        self._mirror: ChunkMirror | None = None
        self._built_for: tuple | None = None
        self._lock = threading.Lock()

    @property
    def mirror(self) -> ChunkMirror:
        """The in-memory mirror, rebuilt (on a reopened store) when the store has changed."""
        version = (self.collection.count(), self._revision() if self._revision else None)
        mirror = self._mirror
        if mirror is not None and self._built_for == version:
            return mirror
        with self._lock:  # one rebuild for all the threads that noticed the change
            if self._mirror is mirror:
                if mirror is not None and self._reopen:
                    self.collection = self._reopen()
                self._mirror = ChunkMirror(self.collection)
                self._built_for = version
            return self._mirror

    def refresh(self) -> None:
        with self._lock:
            self._mirror = None

    def _reopen_after_error(self, failed: Collection) -> None:
        with self._lock:
            if self.collection is failed:  # not yet reopened by another thread
                self.collection = self._reopen()
                self._mirror = None

    def idf(self, term: str) -> float:
        # The mirror checked by this question's search: no store round trip per term.
        mirror = self._mirror or self.mirror
        return mirror.view(WEIGHTS_VISIBILITY).idf(term)

    def document_text(self, file: str) -> str:
        """A stored document's text, as its chunks hold it (for checking quotes)."""
        mirror = self.mirror
        chunks = sorted(
            (m.get("chunk_index", 0), t) for t, m in zip(mirror.texts, mirror.metadatas) if m.get("file") == file
        )
        return "\n\n".join(text for _, text in chunks)

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
        mirror = self.mirror
        if not mirror.count or filters.visibility == ():
            return []
        dense = self._dense(query, filters, mirror)
        lexical = self._lexical(query, filters, mirror)
        fused: dict[int, float] = {}
        for ranking in (dense, lexical):
            for rank, i in enumerate(ranking):
                fused[i] = fused.get(i, 0.0) + 1.0 / (RRF_K + rank + 1)
        order = sorted(fused, key=fused.get, reverse=True)
        chosen = _diversify(order, mirror, k or self.k)
        return [
            mirror.passage(i, score=fused[i], dense=dense.get(i, 0.0), lexical=lexical.get(i, 0.0))
            for i in chosen
        ]

    def _dense(self, query: str, filters: Filters, mirror: ChunkMirror) -> dict[int, float]:
        """Chunk position → cosine similarity, best first."""
        hidden = mirror.hidden(filters)
        visible = mirror.count - hidden
        wanted = min(CANDIDATES, visible)
        if wanted <= 0:
            return {}
        vector = self.embeddings.embed_query(query)
        complete = min(wanted + hidden, mirror.count)  # sure to hold `wanted` visible chunks
        fetched = min(complete, math.ceil(OVERFETCH_FACTOR * wanted * mirror.count / visible))
        if fetched <= OVERFETCH_MAX:
            ranking = self._nearest(vector, fetched, None, wanted, filters, mirror)
            if len(ranking) == wanted or fetched == complete:
                return ranking
        return self._nearest(vector, wanted, searchable_where(filters), wanted, filters, mirror)

    def _nearest(
        self, vector: list[float], fetched: int, where: dict | None, wanted: int, filters: Filters, mirror: ChunkMirror
    ) -> dict[int, float]:
        """The `wanted` nearest searchable chunks among the `fetched` nearest that pass `where`."""
        found = self.collection.query(query_embeddings=[vector], n_results=fetched, where=where, include=["distances"])
        ranking: dict[int, float] = {}
        for chunk_id, distance in zip(found["ids"][0], found["distances"][0]):
            i = mirror.position.get(chunk_id)
            if i is not None and searchable(mirror.metadatas[i], filters):
                ranking[i] = 1.0 - distance
                if len(ranking) == wanted:
                    break
        return ranking

    def _lexical(self, query: str, filters: Filters, mirror: ChunkMirror) -> dict[int, float]:
        """Chunk position → BM25 score, best first (only chunks sharing a term with the query)."""
        view = mirror.view(filters.visibility)
        query_terms = [t for t in terms(query) if t in view.document_frequency]
        if not query_terms:
            return {}
        scores = view.bm25.get_scores(query_terms)
        best = np.argsort(-scores, kind="stable")
        ranking: dict[int, float] = {}
        for j in best:
            if scores[j] <= 0 or len(ranking) >= CANDIDATES:
                break
            i = view.positions[j]
            if filters.accepts(mirror.metadatas[i]):
                ranking[i] = float(scores[j])
        return ranking


def _diversify(order: list[int], mirror: ChunkMirror, k: int) -> list[int]:
    """The best k, with at most MAX_PER_DOCUMENT chunks of one document while others remain."""
    chosen, overflow, per_doc = [], [], Counter()
    for i in order:
        doc = mirror.metadatas[i].get("doc_id")
        if per_doc[doc] < MAX_PER_DOCUMENT:
            chosen.append(i)
            per_doc[doc] += 1
        else:
            overflow.append(i)
        if len(chosen) == k:
            return chosen
    return (chosen + overflow)[:k]
