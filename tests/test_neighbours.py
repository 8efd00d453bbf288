"""The chunks around the kept passages (assistant/neighbours.py), on a real store: a long page of
a fictional territory, cut into several chunks at ingestion."""

from __future__ import annotations

import pytest

from assistant.core.filters import Filters
from assistant.neighbours import neighbour_reader
from assistant.service import load_assistant
from ingest.pipeline import Ingestor
from tests.conftest import make_settings

TOPICS = ["la mobilité", "la santé mentale", "la nutrition", "le sport", "l'habitat", "le vieillissement"]


def _long_page() -> str:
    paragraphs = [
        f"La fiche action {n} du contrat des Hautes Combes porte sur {topic}. Elle prévoit des ateliers "
        f"dans les villages, un suivi par le comité technique et une évaluation à mi-parcours. Les "
        f"associations locales et les professionnels de santé y sont associés dès la première année."
        for n, topic in enumerate(TOPICS * 3, start=1)
    ]
    front = "---\ntitle: Le contrat des Hautes Combes\npublisher: Pays des Hautes Combes\ndoc_type: web_page\n---\n\n"
    return front + "\n\n".join(paragraphs) + "\n"


@pytest.fixture(scope="module")
def assistant(embeddings, tmp_path_factory):
    folder = tmp_path_factory.mktemp("long")
    (folder / "docs").mkdir()
    (folder / "docs" / "hautes-combes_cls.md").write_text(_long_page(), encoding="utf-8")
    settings = make_settings(folder / "data")
    Ingestor(settings, embeddings).run([folder / "docs"])
    return load_assistant(settings)


def test_the_chunks_next_to_a_kept_one_are_read(assistant):
    passage = assistant.retriever.search("la fiche action 9 sur la nutrition", k=1)[0]
    index = passage.metadata["chunk_index"]
    found = neighbour_reader(assistant.retriever, Filters())([passage])
    indexes = {p.metadata["chunk_index"] for p in found}
    assert indexes and index not in indexes
    assert indexes <= {index - 2, index - 1, index + 1, index + 2}
    assert all(p.doc_id == passage.doc_id and p.score < passage.score for p in found)


def test_neighbours_obey_the_filters_of_the_search(assistant):
    passage = assistant.retriever.search("la fiche action 9 sur la nutrition", k=1)[0]
    assert neighbour_reader(assistant.retriever, Filters(doc_type="contract"))([passage]) == []
    assert neighbour_reader(assistant.retriever, Filters(visibility=("internal",)))([passage]) == []
