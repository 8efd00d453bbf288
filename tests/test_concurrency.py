"""Questions from 20 threads at once while another process ingests into the same store.

Embedded, this is `make run` with an ingest launched from the command line meanwhile: the app's
Chroma client must not be left with a stale index (answers fail or miss the new documents).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from assistant.evaluation import load_questions
from assistant.service import load_assistant
from bench.synthetic import generate_corpus
from ingest.documents import IngestError
from ingest.pipeline import Ingestor
from tests.chroma_server import chroma_server  # noqa: F401 (fixture)
from tests.conftest import CORPUS, ROOT, SHARED, make_settings

THREADS = 20
MAX_ROUNDS = 6
QUESTIONS = [q.question for q in load_questions(SHARED / "eval" / "questions.jsonl")][:THREADS]
NEW_DOCUMENT_QUESTION = "Quand ouvrira le centre de santé de Fécamp ?"  # tests/data/other-corpus


def pending(records) -> bool:
    if not records.exists():
        return False
    with sqlite3.connect(f"file:{records}?mode=ro", uri=True, timeout=1) as db:
        return db.execute("SELECT count(*) FROM files WHERE pending_doc_id IS NOT NULL").fetchone()[0] > 0


def percentile_95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]


@pytest.mark.parametrize("mode", ["embedded", "server"])
def test_questions_are_answered_while_another_process_ingests(mode, request, small_corpus, tmp_path, embeddings):
    settings = make_settings(tmp_path / "data")
    env = {**os.environ, "CLS_DATA_DIR": str(settings.data_dir)}
    env.pop("CLS_CHROMA_URL", None)
    if mode == "server":
        url = request.getfixturevalue("chroma_server").url
        settings = settings.model_copy(update={"chroma_url": url, "collection": "concurrency"})
        env |= {"CLS_CHROMA_URL": url, "CLS_COLLECTION": "concurrency"}
    Ingestor(settings, embeddings).run([small_corpus])
    assistant = load_assistant(settings)
    assistant.ask(QUESTIONS[0])  # warm-up: mirror and model loaded

    more = tmp_path / "more"
    generate_corpus(more, contracts=2, pages=4, seed=6)
    for source in (CORPUS, ROOT / "tests" / "data" / "other-corpus"):
        shutil.copytree(source, more / source.name)
    ingest = subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", "ingest", str(more), "--json"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 120
    while not pending(settings.records_path) and ingest.poll() is None:
        assert time.monotonic() < deadline, "the ingest never started writing"
        time.sleep(0.05)
    assert ingest.poll() is None

    # A second writer on the same data folder is refused, not interleaved.
    with pytest.raises(IngestError, match="une autre ingestion est en cours"):
        Ingestor(settings, embeddings).run([small_corpus])

    latencies, errors, rounds_during = [], [], 0

    def timed_ask(question: str) -> None:
        started = time.perf_counter()
        try:
            answer = assistant.ask(question)
            assert answer.answer
        except Exception as error:  # noqa: BLE001 - every failure is reported, none may happen
            errors.append(f"{question}: {type(error).__name__}: {error}")
        latencies.append((time.perf_counter() - started) * 1000)

    with ThreadPoolExecutor(THREADS) as pool:
        for _ in range(MAX_ROUNDS):
            if ingest.poll() is not None:
                break
            list(pool.map(timed_ask, QUESTIONS))
            rounds_during += ingest.poll() is None
    out, err = ingest.communicate(timeout=600)
    assert ingest.returncode == 0, err
    assert json.loads(out)["failed"] == []

    after = assistant.ask(NEW_DOCUMENT_QUESTION)  # the same assistant sees what the other process wrote
    p95 = percentile_95(latencies)
    print(f"\nconcurrency ({mode}): {len(latencies)} questions in {rounds_during} rounds of {THREADS} threads "
          f"during the ingest, {len(errors)} errors, p95 {p95:.0f} ms")
    assert errors == []
    assert rounds_during >= 1
    assert after.found and any(c.file.startswith("other-corpus/") for c in after.citations)


def test_a_document_replaced_by_another_process_is_answered_in_its_new_version(tmp_path, embeddings):
    """Same number of chunks before and after: only the revision stamped by ingestion tells."""
    docs = tmp_path / "docs"
    docs.mkdir()
    note = docs / "note-bayeux.md"
    note.write_text("# Note\n\nLe CLS de Bayeux dispose d'un budget de 1000 euros pour la prévention.\n", encoding="utf-8")
    settings = make_settings(tmp_path / "data")
    Ingestor(settings, embeddings).run([docs])
    assistant = load_assistant(settings)
    question = "Quel est le budget du CLS de Bayeux ?"
    assert "1000 euros" in assistant.ask(question, role="ars").answer

    note.write_text(note.read_text(encoding="utf-8").replace("1000", "2000"), encoding="utf-8")
    env = {**os.environ, "CLS_DATA_DIR": str(settings.data_dir)}
    env.pop("CLS_CHROMA_URL", None)
    result = subprocess.run([sys.executable, "-m", "assistant.cli", "ingest", str(docs), "--json"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert json.loads(result.stdout)["updated"] == 1, result.stderr

    for role in ("ars", "public"):  # without and with a filter inside Chroma
        answer = assistant.ask(question, role=role).answer
        assert "2000 euros" in answer and "1000 euros" not in answer
