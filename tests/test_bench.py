"""The benchmark tools: the synthetic corpus generator, and bench/ingest.py end to end (tiny corpus)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from bench.synthetic import generate_corpus, synthetic_chunk_texts

pytestmark = pytest.mark.model  # runs the benchmark, model included


ROOT = Path(__file__).resolve().parents[1]


def pdf_texts(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def test_generator_writes_valid_pdfs_with_the_requested_pages(tmp_path):
    paths = generate_corpus(tmp_path, contracts=3, pages=4, seed=1)
    assert len(paths) == 3 and len({p.name for p in paths}) == 3
    for path in paths:
        assert path.suffix == ".pdf" and path.read_bytes().startswith(b"%PDF-")
        pages = pdf_texts(path)
        assert len(pages) == 4
        text = "\n".join(pages)
        assert "Contrat Local de Santé" in text
        assert "Préambule" in text and "Axe stratégique 1 :" in text
        assert re.search(r"Fiche action n°\d+ : \w", text)
        assert "ARS" in text and "€" in text
        assert "lorem" not in text.lower()
        for number, page in enumerate(pages, start=1):
            assert f"{number} / 4" in page  # page counter
        # The same header line on every page, for cleaning to remove.
        headers = {page.splitlines()[0] for page in pages}
        assert len(headers) == 1


def test_generator_is_deterministic_for_a_seed(tmp_path):
    first = generate_corpus(tmp_path / "a", contracts=2, pages=2, seed=7)
    again = generate_corpus(tmp_path / "b", contracts=2, pages=2, seed=7)
    other = generate_corpus(tmp_path / "c", contracts=2, pages=2, seed=8)
    assert [p.name for p in first] == [p.name for p in again]
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in again]
    assert [pdf_texts(p) for p in first] != [pdf_texts(p) for p in other]


def test_generator_cli(tmp_path):
    out = tmp_path / "out"
    subprocess.run(
        [sys.executable, "-m", "bench.synthetic", str(out), "--contracts", "2", "--pages", "3"],
        check=True, capture_output=True, cwd=ROOT,
    )
    paths = sorted(out.glob("*.pdf"))
    assert len(paths) == 2 and all(len(PdfReader(p).pages) == 3 for p in paths)


def test_synthetic_chunk_texts():
    texts = synthetic_chunk_texts(20, seed=3)
    assert len(texts) == 20 and len(set(texts)) == 20
    assert all(800 <= len(text) <= 1400 for text in texts)
    assert texts == synthetic_chunk_texts(20, seed=3)
    assert texts != synthetic_chunk_texts(20, seed=4)


@pytest.mark.slow
def test_ingest_benchmark_runs_end_to_end(tmp_path):
    out = tmp_path / "ingest.json"
    completed = subprocess.run(
        [sys.executable, "-m", "bench.ingest", "--contracts", "1", "--pages", "2", "--out", str(out)],
        capture_output=True, text=True, cwd=ROOT, timeout=600,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert "| 1re ingestion |" in completed.stdout

    result = json.loads(out.read_text(encoding="utf-8"))
    for key in ("machine", "config", "corpus", "model_load_seconds", "bare_embedding",
                "first_ingest", "sentence_vectors", "reingest", "memory", "store_bytes"):
        assert key in result, key
    assert result["config"]["contracts"] == 1 and result["config"]["pages"] == 2
    assert result["corpus"]["pages"] == 2 and result["corpus"]["chunks"] > 0
    sentences = result["sentence_vectors"]
    assert sentences["chunks"] == result["corpus"]["chunks"] and sentences["sentences"] > sentences["chunks"]
    assert result["bare_embedding"]["texts"] == sentences["chunks"] + sentences["sentences"]
    assert sentences["cost_ratio"] > 0 and sentences["seconds_without"] > 0
    for key in ("texts_per_s", "seconds", "cpu_seconds"):
        assert result["bare_embedding"][key] > 0, key
    first = result["first_ingest"]
    for key in ("seconds", "pages_per_s", "chunks_per_s", "ratio_to_bare_embedding",
                "embed_seconds", "count_tokens_seconds", "other_seconds", "cpu_seconds"):
        assert key in first, key
    assert first["report"]["added"] == 1 and first["report"]["failed"] == []
    again = result["reingest"]
    assert again["report"]["unchanged"] == 1 and again["chunks_embedded"] == 0
    assert again["ratio_to_first_ingest"] is not None
    assert result["memory"]["peak_rss_mb"] > 0
