"""`cls-assistant ingest` killed with SIGKILL at random points, then re-run: the store is exact.

Kills are seeded; most wait for a document to be half-written (a pending row in the records) so
they land mid-embedding. After the last kill the same command runs to completion, and the store
must equal a clean ingest of the same folder: same ids, texts and metadata, no orphan chunk, no
duplicate, and the lexical index saved for the store's state must hold what one built from every
chunk of the store holds (after every kill too, if one is saved for that state: a kill never leaves
an index that disagrees with the store). Some half-written files are edited before the next run, so the chunks a kill left
behind belong to a version that no longer exists: they must not survive as orphans. Both with the
embedded store and with a Chroma server (which outlives the killed client).
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.core.config import Settings
from assistant.core.store import chroma_client, store_key, store_revision
from assistant.lexical_index import build_from_store, open_saved
from ingest.pipeline import Ingestor
from tests.chroma_server import chroma_server  # noqa: F401 (fixture)
from tests.conftest import CORPUS, ROOT, make_settings
from tests.lexical_checks import content

SEED = 20240512
KILLS = 5
TOWNS = ["Bayeux", "Falaise", "Vire", "Granville", "Fécamp", "Évreux", "Alençon", "Dieppe"]
THEMES = ["la santé mentale des jeunes", "l'accès aux soins de premier recours", "la prévention des addictions",
          "le parcours des personnes âgées", "la nutrition et l'activité physique", "la santé environnementale"]


def generated_contract(rng: random.Random, town: str) -> str:
    """A contract long enough (~10 chunks) for a kill to land inside it."""
    lines = [f"# Contrat local de santé de {town} 2026-2030", ""]
    for axis in range(1, 5):
        theme = rng.choice(THEMES)
        lines += [f"## Axe {axis} : {theme}", ""]
        for action in range(1, 5):
            amount = rng.randrange(5, 90) * 1000
            lines.append(
                f"La fiche action {axis}.{action} du CLS de {town} porte sur {theme}. Elle est pilotée "
                f"par le centre communal d'action sociale avec un budget de {amount} euros par an, "
                f"financé par l'ARS Normandie et la collectivité. Les partenaires se réunissent chaque "
                f"trimestre et un bilan est présenté au comité de pilotage de {town}."
            )
            lines.append("")
    return "\n".join(lines)


def corpus(folder: Path) -> Path:
    folder.mkdir()
    for path in CORPUS.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    rng = random.Random(SEED)
    for town in ("Bayeux", "Granville", "Vire"):
        (folder / f"cls-{town.lower()}_2026.md").write_text(generated_contract(rng, town), encoding="utf-8")
    return folder


def ingest_process(folder: Path, settings: Settings) -> subprocess.Popen:
    env = {**os.environ, "CLS_DATA_DIR": str(settings.data_dir), "CLS_EMBED_BATCH_SIZE": "4",
           "CLS_COLLECTION": settings.collection}
    env.pop("CLS_CHROMA_URL", None)
    if settings.chroma_url:
        env["CLS_CHROMA_URL"] = settings.chroma_url
    return subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", "ingest", str(folder), "--json"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def count_rows(records: Path, condition: str) -> int:
    """Rows of the ingestion records, read without disturbing the writer."""
    if not records.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{records}?mode=ro", uri=True, timeout=1) as db:
            return db.execute(f"SELECT count(*) FROM files WHERE {condition}").fetchone()[0]
    except sqlite3.Error:  # table not created yet
        return 0


def pending_rows(records: Path) -> int:
    """Documents half-written right now."""
    return count_rows(records, "pending_doc_id IS NOT NULL")


def done_rows(records: Path) -> int:
    """Documents completely written."""
    return count_rows(records, "doc_id IS NOT NULL AND pending_doc_id IS NULL")


def kill_at_random(folder: Path, settings: Settings, rng: random.Random, kill: int) -> str:
    """Runs an ingest and SIGKILLs it; returns where the kill landed ('finished' if it did not).

    Kill 1 lands during start-up (model loading, repair of the previous kill). The others wait
    for a document being written: on the first run any; later, once the run has completed one or
    two more documents, because a pending row left by the previous kill is not a sign of progress.
    """
    records = settings.records_path
    process = ingest_process(folder, settings)
    deadline = time.monotonic() + 120
    if kill == 1:
        time.sleep(rng.uniform(0.5, 3.0))
    else:
        target = done_rows(records) + (rng.randint(1, 2) if kill else 0)
        while (done_rows(records) < target or not pending_rows(records)) and process.poll() is None:
            assert time.monotonic() < deadline, "the ingest made no progress"
            time.sleep(0.02)
        time.sleep(rng.uniform(0.0, 0.5))
    if process.poll() is not None:
        process.communicate()
        return "finished"
    landed = "early" if kill == 1 else "mid-embedding" if pending_rows(records) else "between documents"
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL
    return f"{landed} ({done_rows(records)} documents done)"


def edit_half_written(records: Path, kill: int) -> str | None:
    """Appends a paragraph to the text file a kill interrupted; its half-written version is now obsolete."""
    with sqlite3.connect(records) as db:
        row = db.execute("SELECT path FROM files WHERE pending_doc_id IS NOT NULL").fetchone()
    if row is None or Path(row[0]).suffix not in (".md", ".txt", ".html"):
        return None
    path = Path(row[0])
    path.write_text(path.read_text(encoding="utf-8") + f"\n\nMise à jour n° {kill} du document.\n", encoding="utf-8")
    return path.name


def saved_index_agrees(settings: Settings) -> bool | None:
    """Whether the lexical index saved for the store's current state holds what the store does
    (None: no index saved for this state, readers build one)."""
    client = chroma_client(settings)
    collection = client.get_collection(settings.collection)
    saved = open_saved(settings.lexical_path, store_key(settings), store_revision(client, settings), collection.count())
    if saved is None:
        return None
    return content(saved) == content(build_from_store(collection))


def store_content(settings: Settings) -> dict[str, tuple[str, dict]]:
    stored = chroma_client(settings).get_collection(settings.collection).get(include=["documents", "metadatas"])
    assert len(stored["ids"]) == len(set(stored["ids"])), "duplicate ids"
    return {i: (text, meta) for i, text, meta in zip(stored["ids"], stored["documents"], stored["metadatas"])}


@pytest.mark.parametrize("mode", ["embedded", "server"])
def test_sigkilled_ingest_is_repaired_by_a_rerun(mode, request, tmp_path, embeddings):
    folder = corpus(tmp_path / "docs")
    killed = make_settings(tmp_path / "killed")
    if mode == "server":
        killed = killed.model_copy(update={"chroma_url": request.getfixturevalue("chroma_server").url})
    rng, landings, edited = random.Random(SEED), [], []
    for kill in range(KILLS):
        landings.append(kill_at_random(folder, killed, rng, kill))
        assert saved_index_agrees(killed) is not False, landings[-1]
        if landings[-1].startswith("mid-embedding") and len(edited) < 2:
            edited += filter(None, [edit_half_written(killed.records_path, kill)])
    survived = sum(not landing.startswith("finished") for landing in landings)
    print(f"\ncrash safety ({mode}): {survived} SIGKILLs survived ({', '.join(landings)}); "
          f"edited after a kill: {edited}")
    assert survived >= KILLS - 1 and sum(landing.startswith("mid-embedding") for landing in landings) >= 2
    assert edited

    final = ingest_process(folder, killed)
    out, err = final.communicate(timeout=600)
    assert final.returncode == 0, err
    assert json.loads(out)["failed"] == []

    clean = make_settings(tmp_path / "clean")
    Ingestor(clean, embeddings).run([folder])
    expected = store_content(clean)
    actual = store_content(killed)
    assert set(actual) == set(expected)
    assert actual == expected  # same chunk texts and metadata
    assert saved_index_agrees(killed) is True

    with sqlite3.connect(killed.records_path) as db:
        records = db.execute("SELECT doc_id, pending_doc_id, chunks FROM files").fetchall()
    assert all(pending is None for _, pending, _ in records)
    recorded = {doc_id for doc_id, _, _ in records}
    assert {meta["doc_id"] for _, meta in actual.values()} == recorded  # no orphan chunk
    assert sum(chunks for _, _, chunks in records) == len(actual)  # each chunk stored once

    again = Ingestor(killed, embeddings).run([folder])
    assert (len(again.unchanged), again.chunks) == (8, 0)
