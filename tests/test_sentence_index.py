"""Sentence vectors stored at ingestion beside the chunks (assistant/core/sentence_index.py)."""

from __future__ import annotations

import shutil

import numpy as np

from assistant.core.sentence_index import SentenceIndex, sentences_to_embed
from assistant.core.store import chroma_client
from ingest.pipeline import Ingestor
from tests.conftest import ROOT, make_settings

ANSWERS_CORPUS = ROOT / "tests" / "data" / "answers-corpus"


def test_every_quotable_sentence_has_its_vector_once_and_rebuild_starts_afresh(embeddings, tmp_path):
    folder = tmp_path / "docs"
    shutil.copytree(ANSWERS_CORPUS, folder)
    settings = make_settings(tmp_path / "data")
    ingestor = Ingestor(settings, embeddings)
    ingestor.run([folder])

    chunks = ingestor.collection.get(include=["documents"])["documents"]
    sentences = {s for text in chunks for s in sentences_to_embed(text)}
    index = SentenceIndex.open(chroma_client(settings), settings.collection, embeddings.model_id)
    vectors = index.vectors(sentences)
    assert set(vectors) == sentences and index.collection.count() == len(sentences)
    some = next(iter(sentences))
    assert np.allclose(vectors[some], embeddings.embed_documents([some])[0], atol=1e-4)

    (folder / "copy.md").write_text((folder / "cc-val-de-brume_2022-05-10_cls.md").read_text() + "\nUne phrase de plus.\n")
    Ingestor(settings, embeddings).run([folder])
    assert index.collection.count() == len(sentences) + 1  # shared sentences are not embedded twice

    Ingestor(settings, embeddings, rebuild=True).run([folder])
    rebuilt = SentenceIndex.open(chroma_client(settings), settings.collection, embeddings.model_id)
    assert rebuilt.collection.count() == len(sentences) + 1
