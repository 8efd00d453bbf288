"""Scanned PDFs: read by tesseract when it is installed with French, else refused saying how."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from assistant.core.config import ConfigError
from assistant.service import load_assistant
from ingest import ocr
from ingest.pipeline import Ingestor
from tests.conftest import CORPUS_BAD, ROOT, make_settings

needs_tesseract = pytest.mark.skipif(ocr.tesseract() is None, reason="tesseract (fra) absent")


@pytest.fixture
def scanned_folder(tmp_path):
    folder = tmp_path / "scans"
    folder.mkdir()
    shutil.copy(CORPUS_BAD / "scanned.pdf", folder / "cls-numerise.pdf")
    return folder


@needs_tesseract
def test_scanned_pdf_is_searchable_and_cited(scanned_folder, tmp_path, embeddings):
    settings = make_settings(tmp_path / "data")
    ingestor = Ingestor(settings, embeddings)
    report = ingestor.run([scanned_folder])
    assert report.added == ["cls-numerise.pdf"] and report.failed == []
    text = " ".join(ingestor.collection.get(include=["documents"])["documents"])
    assert "santé mentale" in text and "12 mai 2024" in text

    answer = load_assistant(settings).ask("Qui a signé le contrat local de santé le 12 mai 2024 ?")
    assert answer.found
    cited = answer.citations[0]
    assert (cited.file, cited.page) == ("cls-numerise.pdf", 1)
    assert "12 mai 2024" in cited.quote


def test_ocr_off_refuses_the_scan_with_the_setting_to_change(scanned_folder, tmp_path):
    env = {**os.environ, "CLS_DATA_DIR": str(tmp_path / "data"), "CLS_OCR": "off"}
    env.pop("CLS_CHROMA_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "ingest", str(scanned_folder), "--json"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["added"] == 0
    assert report["failed"] == [{
        "file": "cls-numerise.pdf",
        "reason": "aucune couche texte (document numérisé ?) : l'OCR est désactivé "
                  "(CLS_OCR=off ; mettez CLS_OCR=auto pour l'activer)",
    }]


def test_without_tesseract_the_reason_says_how_to_install_it(scanned_folder, monkeypatch):
    from ingest.loaders import load

    monkeypatch.setenv("PATH", "")
    ocr.tesseract.cache_clear()
    try:
        scan = scanned_folder / "cls-numerise.pdf"
        with pytest.raises(Exception, match="tesseract-ocr-fra") as raised:
            load(scan, scan.read_bytes())
        assert str(raised.value).startswith("aucune couche texte (document numérisé ?) : installez")
    finally:
        monkeypatch.undo()
        ocr.tesseract.cache_clear()


def test_unknown_ocr_mode_is_a_config_error(tmp_path, embeddings):
    with pytest.raises(ConfigError, match="CLS_OCR"):
        Ingestor(make_settings(tmp_path / "data", ocr="toujours"), embeddings)
