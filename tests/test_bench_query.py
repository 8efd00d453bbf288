"""bench/query.py end to end on a tiny store: one JSON entry per size, positive latencies."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

KEYS = {
    "chunks", "insert_seconds", "mirror_build_seconds", "timings",
    "ours_p50_ms", "ours_p95_ms", "naive_p50_ms", "naive_p95_ms", "ratio_p50",
    "embed_query_p50_ms", "peak_rss_mb",
}


def test_query_benchmark_runs_and_writes_json(tmp_path):
    out = tmp_path / "query.json"
    completed = subprocess.run(
        [sys.executable, "-m", "bench.query", "--sizes", "300", "--questions-per-size", "5", "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert "| chunks |" in completed.stdout

    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["benchmark"] == "query"
    assert result["config"]["sizes"] == [300]
    assert len(result["sizes"]) == 1
    entry = result["sizes"][0]
    assert KEYS <= entry.keys()
    assert entry["chunks"] == 300
    assert entry["timings"] >= 40
    for key in ("ours_p50_ms", "ours_p95_ms", "naive_p50_ms", "naive_p95_ms", "embed_query_p50_ms"):
        assert entry[key] > 0, key
    assert entry["ours_p95_ms"] >= entry["ours_p50_ms"]
    assert entry["insert_seconds"] > 0 and entry["mirror_build_seconds"] > 0
    assert entry["ratio_p50"] > 0 and entry["peak_rss_mb"] > 0
