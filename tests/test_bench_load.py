"""bench/load.py end to end on tiny stores, embedded and server: well-formed JSON, sane figures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.query import synthetic_metadatas
from bench.synthetic import synthetic_chunk_texts

pytestmark = pytest.mark.model  # runs the benchmark, model included

ROOT = Path(__file__).resolve().parents[1]
SIZES = [200, 400]
THREADS = [1, 2]
QUESTIONS = 8


def test_load_benchmark_runs_both_modes_and_writes_json(tmp_path):
    out = tmp_path / "load.json"
    env = dict(os.environ)
    env.pop("CLS_CHROMA_URL", None)
    completed = subprocess.run(
        [sys.executable, "-m", "bench.load", "--sizes", ",".join(map(str, SIZES)),
         "--threads", ",".join(map(str, THREADS)), "--questions", str(QUESTIONS), "--internal-share", "0.25", "--baseline",
         "--out", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert "| chunks | store | threads | questions/s |" in completed.stdout
    assert "Chroma filters every question" in completed.stdout

    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["benchmark"] == "load"
    assert result["config"]["sizes"] == SIZES and result["config"]["internal_share"] == 0.25
    assert result["machine"]["loadavg_start"] is not None
    cases = {(case["mode"], case["chunks"]): case for case in result["cases"]}
    assert set(cases) == {(mode, size) for mode in ("embedded", "server") for size in SIZES}

    for (mode, size), case in cases.items():
        assert case["insert_seconds"] > 0 and case["first_question_seconds"] > 0
        assert [run["threads"] for run in case["runs"]] == THREADS
        assert [run["threads"] for run in case["baseline_runs"]] == THREADS
        for run in case["runs"] + case["baseline_runs"]:
            assert run["questions"] == QUESTIONS
            assert run["questions_per_s"] > 0
            assert run["p95_ms"] >= run["p50_ms"] > 0
            assert run["client_peak_mb"] >= run["client_rss_mb"] > 0
            if mode == "server":
                assert run["server_peak_mb"] >= run["server_rss_mb"] > 0
                assert run["server_cpu_seconds"] is not None
            else:
                assert "server_peak_mb" not in run
        for run in case["runs"]:
            growth = run["growth"]["questions_per_s"]
            assert growth > 0 and (size != SIZES[0] or growth == 1.0)


def test_the_internal_share_marks_whole_documents():
    texts = synthetic_chunk_texts(4000, seed=1)
    metadatas = synthetic_metadatas(texts, seed=1, internal_share=0.3)
    internal = {m["doc_id"] for m in metadatas if m["visibility"] == "internal"}
    public = {m["doc_id"] for m in metadatas if m["visibility"] == "public"}
    assert not internal & public
    assert 0.15 < len(internal) / len(internal | public) < 0.45
    assert {m["visibility"] for m in synthetic_metadatas(texts, seed=1)} == {"public"}
