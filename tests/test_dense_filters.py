"""The dense search filters itself or lets Chroma filter: the same chunks either way.

assistant/retrieval.py asks Chroma for more neighbours, unfiltered, and drops the hidden chunks
itself unless the filters hide most of the store, and else (or when its guess fetched too few)
lets Chroma search among the visible chunks' ids, or with its `where` when they are very many. A store of 3,000 synthetic chunks (bench/query.py: pipeline metadata,
synthetic vectors, a third of the documents internal) and the real query encoder, searched with
every role and filter. Chroma's search is approximate (HNSW), so each path, forced by tightening the
limits, is held to the exact nearest visible chunks (brute force over the stored vectors): it must
find them as well as Chroma's own filter does, and never return a hidden chunk.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from assistant import retrieval
from assistant.core.filters import Filters
from assistant.core.store import chroma_client, open_collection
from assistant.retrieval import Retriever, searchable
from bench.query import QUESTIONS, fill_collection
from tests.conftest import make_settings

CHUNKS = 3000
FILTERS = [
    Filters(),
    Filters(territory="Territoire 07"),
    Filters(doc_type="avenant"),
    Filters(publisher="CPAM", date_from="2021-01-01"),
]
ROLES = {"public": ("public",), "ars": None, "internal only": ("internal",)}


@pytest.fixture(scope="module")
def retriever(tmp_path_factory, embeddings) -> Retriever:
    settings = make_settings(tmp_path_factory.mktemp("dense-filters") / "data")
    collection = open_collection(chroma_client(settings), settings, embeddings)
    dim = len(embeddings.embed_query("dimension"))
    fill_collection(collection, CHUNKS, dim, seed=3, internal_share=1 / 3)
    return Retriever(collection, embeddings)


def searches() -> list[tuple[str, Filters]]:
    return [
        (question, Filters(**{**vars(base), "visibility": visibility}))
        for question in QUESTIONS[:8]
        for base in FILTERS
        for visibility in ROLES.values()
    ]


PATHS = {"Chroma's filter only": (-1, 2.0, 0), "Chroma among ids only": (-1, 2.0, 20000),
         "default": (1000, 2.0, 20000), "tight guesses": (1000, 1.0, 20000)}
"""OVERFETCH_MAX, OVERFETCH_FACTOR, IDS_MAX"""


def exact_nearest(retriever: Retriever, embeddings) -> dict[tuple[str, Filters], list[int]]:
    """Index positions of the visible chunks, nearest first, by brute force, for every search."""
    index = retriever.index
    stored = retriever.collection.get(include=["embeddings", "metadatas"])
    vectors = np.zeros((index.count, len(stored["embeddings"][0])), dtype=np.float32)
    positions = index.positions_of(stored["ids"])
    vectors[positions] = stored["embeddings"]
    metadatas = [{}] * index.count
    for i, metadata in zip(positions.tolist(), stored["metadatas"]):
        metadatas[i] = metadata
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    nearest = {}
    for question, filters in searches():
        order = np.argsort(-(vectors @ np.asarray(embeddings.embed_query(question), dtype=np.float32)))
        nearest[question, filters] = [int(i) for i in order if searchable(metadatas[i], filters)]
    return nearest


def dense_with(retriever: Retriever, monkeypatch, path: str) -> tuple[dict, Counter]:
    """Every search's dense candidates along one path, and the queries Chroma was sent."""
    overfetch_max, factor, ids_max = PATHS[path]
    monkeypatch.setattr(retrieval, "OVERFETCH_MAX", overfetch_max)
    monkeypatch.setattr(retrieval, "OVERFETCH_FACTOR", factor)
    monkeypatch.setattr(retrieval, "IDS_MAX", ids_max)
    sent: Counter = Counter()
    nearest = Retriever._nearest

    def counted(self, vector, fetched, among, wanted, mask, index):
        ranking = nearest(self, vector, fetched, among, wanted, mask, index)
        sent["filtered by Chroma" if among else "filtered here", len(ranking) == wanted] += 1
        return ranking

    monkeypatch.setattr(Retriever, "_nearest", counted)
    found = {search: retriever._dense(*search, retriever.index) for search in searches()}
    monkeypatch.setattr(Retriever, "_nearest", nearest)
    return found, sent


def mean_recall(found: dict, exact: dict) -> float:
    return float(np.mean([len(set(dense) & set(exact[s][:len(dense)])) / len(dense) for s, dense in found.items()]))


def test_every_path_finds_the_nearest_visible_chunks_as_well_as_chromas_filter(retriever, embeddings, monkeypatch):
    exact = exact_nearest(retriever, embeddings)
    found, sent = {}, {}
    for path in PATHS:
        found[path], sent[path] = dense_with(retriever, monkeypatch, path)
        assert all(found[path].values()), path
        assert all(set(dense) <= set(exact[s]) for s, dense in found[path].items()), path  # nothing hidden

    assert set(sent["Chroma's filter only"]) == {("filtered by Chroma", True)}
    assert set(sent["Chroma among ids only"]) == {("filtered by Chroma", True)}
    assert sent["default"]["filtered here", True] > len(searches()) / 2  # mostly without a `where`
    assert sent["tight guesses"]["filtered here", False] > 0  # a guess fell short…
    assert sent["tight guesses"]["filtered by Chroma", True] >= sent["tight guesses"]["filtered here", False]  # …redone
    recall = {path: mean_recall(found[path], exact) for path in PATHS}
    print(f"\ndense recall against brute force: {recall}")
    assert min(recall.values()) >= 0.95, recall
    assert recall["default"] >= recall["Chroma's filter only"] - 0.02, recall
    assert recall["tight guesses"] >= recall["Chroma's filter only"] - 0.02, recall


def test_no_hidden_chunk_is_ever_returned(retriever, monkeypatch):
    for overfetch_max, factor, ids_max in PATHS.values():
        monkeypatch.setattr(retrieval, "OVERFETCH_MAX", overfetch_max)
        monkeypatch.setattr(retrieval, "OVERFETCH_FACTOR", factor)
        monkeypatch.setattr(retrieval, "IDS_MAX", ids_max)
        for question, filters in searches():
            for passage in retriever.search(question, filters):
                assert filters.accepts(passage.metadata), (question, filters, passage.metadata)
