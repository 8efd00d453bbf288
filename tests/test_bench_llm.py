"""bench/llm.py without the real model: which questions it asks, and a clear refusal without llama.cpp."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.evaluation import load_questions
from bench.llm import SETS, subset

ROOT = Path(__file__).resolve().parents[1]


def test_every_third_development_question_is_asked():
    questions = load_questions(SETS["dev"].questions)

    picked = subset(questions, 3, None)

    assert len(questions) == 90 and len(picked) == 30
    assert [q.id for q in picked[:3]] == [questions[0].id, questions[3].id, questions[6].id]
    assert [q.id for q in subset(questions, 3, 4)] == [q.id for q in picked[:4]]
    assert any(not q.answerable for q in picked) and any(q.answerable for q in picked)


@pytest.mark.skipif(importlib.util.find_spec("llama_cpp") is not None, reason="llama-cpp-python is installed")
def test_without_llama_cpp_the_bench_says_how_to_install_it(tmp_path):
    out = tmp_path / "llm.json"
    completed = subprocess.run(
        [sys.executable, "-m", "bench.llm", "--limit", "1", "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert completed.returncode == 2, completed.stderr[-2000:]
    assert "pip install llama-cpp-python==0.3.36" in completed.stderr
    assert not out.exists()
