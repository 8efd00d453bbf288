"""bench/query.py end to end on a tiny store, in both store modes: one JSON entry per case."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.model  # runs the benchmark, model included

ROOT = Path(__file__).resolve().parents[1]

KEYS = {
    "mode", "chunks", "insert_seconds", "lexical_build_seconds", "lexical_rebuild_seconds", "timings",
    "first_answer_s", "ours_p50_ms", "ours_p95_ms", "filtered_p50_ms", "filtered_p95_ms",
    "naive_p50_ms", "naive_p95_ms", "ratio_p50", "embed_query_p50_ms", "rss_mb", "peak_rss_mb",
}


def test_query_benchmark_runs_and_writes_json(tmp_path):
    out = tmp_path / "query.json"
    completed = subprocess.run(
        [sys.executable, "-m", "bench.query", "--sizes", "300", "--questions-per-size", "5", "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert "| chunks |" in completed.stdout

    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["benchmark"] == "query"
    assert result["config"]["sizes"] == [300]
    assert [entry["mode"] for entry in result["sizes"]] == ["embedded", "server"]
    for entry in result["sizes"]:
        assert KEYS <= entry.keys()
        assert entry["chunks"] == 300 + 40  # and the one document ingested before the rebuild
        assert entry["timings"] >= 40
        for key in ("ours_p50_ms", "ours_p95_ms", "filtered_p95_ms", "naive_p50_ms", "naive_p95_ms",
                    "embed_query_p50_ms", "first_answer_s", "lexical_build_seconds", "lexical_rebuild_seconds"):
            assert entry[key] > 0, key
        assert entry["ours_p95_ms"] >= entry["ours_p50_ms"]
        assert entry["filtered_p95_ms"] >= entry["filtered_p50_ms"]
        assert entry["insert_seconds"] > 0
        assert entry["ratio_p50"] > 0 and entry["peak_rss_mb"] >= entry["rss_mb"] > 0
