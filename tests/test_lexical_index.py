"""The lexical index saved by ingestion: exact, reused, opened without reading the store.

A real ingest of sample documents (real model, real Chroma). The saved index must hold what an
index built from every chunk of the store holds, score like a plain bm25s index of the same
chunks (the retriever's index before it was saved), be rebuilt from the reused rows exactly as
from scratch after a file changes, be opened by a new process's retriever without one chunk read
from the store, and never be used for a store state it was not built from.
"""

from __future__ import annotations

import shutil

import pytest

from assistant.core.filters import Filters
from assistant.core.store import chroma_client, mark_changed, store_key, store_revision
from assistant.lexical_index import INDEX_FILE, build_from_store, open_saved, state_folder, store_folder
from assistant.retrieval import Retriever, searchable, visible_mask
from assistant.service import load_assistant
from ingest.pipeline import Ingestor
from tests.lexical_checks import content, same_scores_as_plain_bm25s

QUERIES = [
    "Quel est le budget du contrat local de santé ?",
    "santé mentale des jeunes",
    "Qui signe le CLS du Havre ?",
    "accès aux soins et démographie médicale",
]


def saved_for_store(settings, collection):
    revision = store_revision(chroma_client(settings), settings)
    return open_saved(settings.lexical_path, store_key(settings), revision, collection.count())


def stored(collection) -> tuple[dict, dict]:
    got = collection.get(include=["documents", "metadatas"])
    return dict(zip(got["ids"], got["documents"])), dict(zip(got["ids"], got["metadatas"]))


def test_ingestion_saves_the_index_of_the_store(sample_store):
    settings, _, collection = sample_store
    saved = saved_for_store(settings, collection)
    assert saved is not None and saved.count == collection.count()
    assert content(saved) == content(build_from_store(collection))
    same_scores_as_plain_bm25s(saved, *stored(collection), QUERIES)


def test_a_rebuild_after_a_change_equals_a_build_from_scratch(small_corpus, settings, embeddings):
    ingestor = Ingestor(settings, embeddings)
    ingestor.run([small_corpus])
    first = saved_for_store(settings, ingestor.collection)
    text_file = small_corpus / "ars-normandie_2017-12-08_contrats-locaux-de-sante.txt"
    text_file.write_text(text_file.read_text(encoding="utf-8") + "\n\nLa télémédecine arrive à Dieppe.\n",
                         encoding="utf-8")
    assert ingestor.run([small_corpus]).updated == [text_file.name]
    second = saved_for_store(settings, ingestor.collection)
    assert second is not None and content(second) != content(first)
    assert content(second) == content(build_from_store(ingestor.collection))
    same_scores_as_plain_bm25s(second, *stored(ingestor.collection), QUERIES)
    current = f"{store_revision(chroma_client(settings), settings)}-{ingestor.collection.count()}"
    assert [p.name for p in store_folder(settings.lexical_path, store_key(settings)).iterdir()] == [current]

    text_file.unlink()
    Ingestor(settings, embeddings).run([small_corpus], sync=True)
    third = saved_for_store(settings, ingestor.collection)
    assert content(third) == content(build_from_store(ingestor.collection))
    assert third.of_file(text_file.name).size == 0


class CountingCollection:
    """A collection that counts the chunks it is asked to read in bulk."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.pages = 0

    def get(self, *args, **kwargs):
        if "ids" not in kwargs and "documents" in kwargs.get("include", []):
            self.pages += 1
        return self.inner.get(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.inner, name)


def test_a_new_process_opens_the_saved_index_without_reading_the_store(sample_store):
    settings = sample_store[0]
    assistant = load_assistant(settings)
    counting = CountingCollection(assistant.retriever.collection)
    assistant.retriever.collection = counting
    answer = assistant.ask(QUERIES[0])
    assert answer.sources and counting.pages == 0


def test_a_reader_builds_the_missing_index_once_and_never_uses_a_stale_one(small_corpus, settings, embeddings):
    """As beside a Chroma server, on a machine that does not ingest: no index there at first."""
    ingestor = Ingestor(settings, embeddings)
    ingestor.run([small_corpus])
    shutil.rmtree(settings.lexical_path)
    first = CountingCollection(ingestor.collection)

    def revision():
        return store_revision(chroma_client(settings), settings)

    reader = Retriever(first, embeddings, revision=revision, index_root=settings.lexical_path,
                       store=store_key(settings))
    assert reader.search(QUERIES[1]) and first.pages > 0
    assert (state_folder(settings.lexical_path, store_key(settings), revision(), first.count()) / INDEX_FILE).exists()

    second = CountingCollection(ingestor.collection)
    again = Retriever(second, embeddings, revision=revision, index_root=settings.lexical_path,
                      store=store_key(settings))
    assert again.search(QUERIES[1]) and second.pages == 0

    # The store changes (a chunk written and a revision stamped) with no index saved for it.
    ingestor.collection.upsert(ids=["extra:0"], embeddings=[embeddings.embed_query("Dieppe")],
                               documents=["Le CLS de Dieppe finance un bus santé itinérant."],
                               metadatas=[{"doc_id": "extra", "file": "extra.txt", "chunk_index": 0}])
    mark_changed(ingestor.collection, embeddings.model_id)
    found = again.search("bus santé itinérant Dieppe")
    assert "extra:0" in [p.id for p in found]


@pytest.mark.parametrize("role", [("public",), None])
def test_filters_are_masks_equal_to_the_metadata_checks(sample_store, role):
    """Every filter's mask is `searchable` on each chunk's stored metadata."""
    settings, _, collection = sample_store
    index = saved_for_store(settings, collection)
    _, metadatas = stored(collection)
    values = {key: sorted({m.get(key) for m in metadatas.values() if m.get(key)}) for key in
              ("territory", "doc_type", "publisher")}
    filters = [Filters(visibility=role), Filters(territory="Nulle part", visibility=role),
               Filters(date_from="2020-01-01", visibility=role), Filters(date_to="2019-12-31", visibility=role)]
    filters += [Filters(**{key: value, "visibility": role}) for key, vals in values.items() for value in vals]
    for f in filters:
        mask = visible_mask(index, f)
        assert [str(i) for i in index.ids[mask]] == sorted(i for i, m in metadatas.items() if searchable(m, f)), f
