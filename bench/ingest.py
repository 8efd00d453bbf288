"""Ingestion benchmark on a synthetic corpus of CLS contracts (PDF), all measured in one run.

    python -m bench.ingest [--contracts 4] [--pages 8] [--seed 0] [--out bench/results/ingest.json]

1. generates the corpus (bench/synthetic.py) in a throw-away folder, with a throw-away store;
2. first ingestion with the real pipeline (`Ingestor.run`): wall time, pages/s, chunks/s, and how
   that time splits between the model's `embed_documents`, its tokenizer (chunk sizing) and the rest
   (PDF parsing, cleaning, metadata, Chroma writes, records);
3. an unchanged re-ingest (a new `Ingestor`, as a second CLI run would be): wall time, ratio to 2;
4. bare embedding throughput: the very texts the pipeline embedded in 2 (chunks and their sentences),
   embedded again directly with `embed_documents` in batches of `embed_batch_size` — the physical
   limit of ingestion here;
5. what the sentence vectors cost (assistant/core/sentence_index.py): a first ingestion into another
   store with `sentence_vectors` off, its wall time and the ratio of 2 to it;
6. peak RSS of the process (getrusage ru_maxrss, plus VmHWM/VmRSS from /proc when available).

Prints a Markdown table and writes JSON (default bench/results/ingest.json, git-ignored). The
model is loaded and warmed up once before anything is timed; its load time is reported apart.
Settings come from `Settings` (so `CLS_*` variables apply), except the data dir and the Chroma URL.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from assistant.core.config import Settings
from assistant.core.embeddings import TokenizingEmbeddings, get_embeddings
from bench.measure import loadavg, log, machine, memory_mb, peak_rss_mb
from bench.synthetic import generate_corpus
from ingest.pipeline import Ingestor

DEFAULT_OUT = Path(__file__).resolve().parent / "results" / "ingest.json"


class TimedEmbeddings(TokenizingEmbeddings):
    """The model, unchanged, but recording what the pipeline asks of it and the time it takes."""

    def __init__(self, inner: TokenizingEmbeddings) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.max_tokens = inner.max_tokens
        self.reset()

    def reset(self) -> None:
        self.texts: list[str] = []
        self.embed_seconds = 0.0
        self.token_seconds = 0.0
        self.token_calls = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        start = time.perf_counter()
        vectors = self.inner.embed_documents(texts)
        self.embed_seconds += time.perf_counter() - start
        self.texts.extend(texts)
        return vectors

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)

    def count_tokens(self, text: str) -> int:
        start = time.perf_counter()
        count = self.inner.count_tokens(text)
        self.token_seconds += time.perf_counter() - start
        self.token_calls += 1
        return count


def folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def _rate(count: float, seconds: float) -> float | None:
    return round(count / seconds, 3) if seconds > 0 else None


def _ratio(a: float | None, b: float | None) -> float | None:
    """a / b to 4 significant digits (a re-ingest can be 1/5000 of a first ingest)."""
    return float(f"{a / b:.4g}") if a is not None and b else None


class Clock:
    """Wall time and CPU time (all threads of this process) of one phase.

    CPU time barely depends on what else runs on the machine; wall time does. On a busy machine
    the wall figures are noisy while the CPU ones stay comparable.
    """

    def __enter__(self) -> Clock:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


def run(contracts: int, pages: int, seed: int = 0) -> dict:
    loadavg_start = loadavg()
    with tempfile.TemporaryDirectory(prefix="cls-bench-", ignore_cleanup_errors=True) as tmp:
        tmp = Path(tmp)
        settings = Settings(data_dir=tmp / "data", chroma_url=None)

        start = time.perf_counter()
        files = generate_corpus(tmp / "corpus", contracts=contracts, pages=pages, seed=seed)
        generate_seconds = time.perf_counter() - start
        total_pages = contracts * pages
        log(f"corpus: {len(files)} PDF × {pages} pages in {generate_seconds:.2f} s")

        start = time.perf_counter()
        model = get_embeddings(settings.embeddings)
        model.embed_documents(["passage de mise en route du modèle"])  # warm-up, not timed below
        model_load_seconds = time.perf_counter() - start
        rss_after_load = peak_rss_mb()
        timed = TimedEmbeddings(model)
        log(f"model {model.model_id} loaded and warmed up in {model_load_seconds:.2f} s")

        # 1. First ingestion, into an empty store.
        with Clock() as first_clock:
            start = time.perf_counter()
            ingestor = Ingestor(settings, timed)
            open_seconds = time.perf_counter() - start
            report = ingestor.run([tmp / "corpus"])
        first_seconds = first_clock.wall
        texts = list(timed.texts)
        embed_seconds, token_seconds, token_calls = timed.embed_seconds, timed.token_seconds, timed.token_calls
        rss_after_first = peak_rss_mb()
        chunks = report.chunks
        log(f"first ingestion: {chunks} chunks in {first_seconds:.2f} s")

        # 2. Unchanged re-ingest: a fresh Ingestor on the same store, as a second CLI run.
        timed.reset()
        with Clock() as reingest_clock:
            second = Ingestor(settings, timed).run([tmp / "corpus"])
        reingest_seconds = reingest_clock.wall
        reingest_embedded = len(timed.texts)
        rss_after_reingest = peak_rss_mb()
        log(f"unchanged re-ingest in {reingest_seconds:.3f} s")

        # 3. Bare embedding of the same texts, same batch size, no pipeline around it.
        batch = settings.embed_batch_size
        with Clock() as bare_clock:
            for offset in range(0, len(texts), batch):
                model.embed_documents(texts[offset : offset + batch])
        bare_seconds = bare_clock.wall
        rss_after_bare = peak_rss_mb()
        log(f"bare embedding: {len(texts)} chunks in {bare_seconds:.2f} s")

        # 4. The same first ingestion without sentence vectors, into a store of its own.
        plain = settings.model_copy(update={"data_dir": tmp / "data-without-sentences", "sentence_vectors": False})
        timed.reset()
        with Clock() as plain_clock:
            Ingestor(plain, timed).run([tmp / "corpus"])
        chunk_texts = list(timed.texts)
        log(f"first ingestion without sentence vectors in {plain_clock.wall:.2f} s")

        tokens = [model.count_tokens(text) for text in chunk_texts]
        store_bytes = folder_bytes(settings.data_dir)
        corpus_bytes = sum(path.stat().st_size for path in files)

    bare_rate = _rate(len(texts), bare_seconds)
    ingest_rate = _rate(chunks, first_seconds)
    same_work_ratio = _ratio(bare_seconds, first_seconds)  # the same texts embedded, with and without the pipeline
    return {
        "benchmark": "ingest",
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": machine(loadavg_start),
        "config": {
            "contracts": contracts,
            "pages": pages,
            "seed": seed,
            "model": model.model_id,
            "chunk_tokens": settings.chunk_tokens,
            "chunk_overlap_tokens": settings.chunk_overlap_tokens,
            "embed_batch_size": batch,
        },
        "corpus": {
            "files": len(files),
            "pages": total_pages,
            "bytes": corpus_bytes,
            "chunks": chunks,
            "mean_chunk_chars": round(sum(map(len, chunk_texts)) / len(chunk_texts), 1) if chunk_texts else None,
            "mean_chunk_tokens": round(sum(tokens) / len(tokens), 1) if tokens else None,
            "generate_seconds": round(generate_seconds, 3),
        },
        "model_load_seconds": round(model_load_seconds, 3),
        "bare_embedding": {
            "texts": len(texts),
            "seconds": round(bare_seconds, 3),
            "texts_per_s": bare_rate,
            "cpu_seconds": round(bare_clock.cpu, 3),
        },
        "first_ingest": {
            "seconds": round(first_seconds, 3),
            "open_store_seconds": round(open_seconds, 3),
            "pages_per_s": _rate(total_pages, first_seconds),
            "chunks_per_s": ingest_rate,
            "ratio_to_bare_embedding": same_work_ratio,
            "cpu_seconds": round(first_clock.cpu, 3),
            "cpu_ratio_to_bare_embedding": _ratio(bare_clock.cpu, first_clock.cpu),
            "embed_seconds": round(embed_seconds, 3),
            "count_tokens_seconds": round(token_seconds, 3),
            "count_tokens_calls": token_calls,
            "other_seconds": round(first_seconds - embed_seconds - token_seconds, 3),
            "report": report.to_dict(),
        },
        "sentence_vectors": {
            "texts_embedded": len(texts),
            "chunks": len(chunk_texts),
            "sentences": len(texts) - len(chunk_texts),
            "seconds_without": round(plain_clock.wall, 3),
            "cpu_seconds_without": round(plain_clock.cpu, 3),
            "cost_ratio": _ratio(first_seconds, plain_clock.wall),
            "cpu_cost_ratio": _ratio(first_clock.cpu, plain_clock.cpu),
        },
        "reingest": {
            "seconds": round(reingest_seconds, 3),
            "ratio_to_first_ingest": _ratio(reingest_seconds, first_seconds),
            "cpu_seconds": round(reingest_clock.cpu, 3),
            "chunks_embedded": reingest_embedded,
            "report": second.to_dict(),
        },
        "memory": {
            "peak_rss_mb": peak_rss_mb(),
            "peak_rss_mb_after_model_load": rss_after_load,
            "peak_rss_mb_after_first_ingest": rss_after_first,
            "peak_rss_mb_after_reingest": rss_after_reingest,
            "peak_rss_mb_after_bare_embedding": rss_after_bare,
            "proc_status_mb": memory_mb(),
            "source": "resource.getrusage(RUSAGE_SELF).ru_maxrss",
        },
        "store_bytes": store_bytes,
    }


def markdown(result: dict) -> str:
    c, corpus, m = result["config"], result["corpus"], result["machine"]
    bare, first, again, memory = (result["bare_embedding"], result["first_ingest"],
                                  result["reingest"], result["memory"])
    sv = result["sentence_vectors"]

    def pct(part: float) -> str:
        return f"{100 * part / first['seconds']:.0f} %" if first["seconds"] else "–"

    rows = [
        ("corpus", f"{corpus['files']} contrats × {c['pages']} pages = {corpus['pages']} pages, "
                   f"{corpus['chunks']} chunks (moy. {corpus['mean_chunk_tokens']} tokens, "
                   f"{corpus['mean_chunk_chars']} car.)"),
        ("modèle", f"{c['model']}, lots de {c['embed_batch_size']}, chargement "
                   f"{result['model_load_seconds']:.2f} s (non compté)"),
        ("embedding nu (mêmes textes)", f"{bare['texts_per_s']} textes/s ({bare['seconds']:.2f} s, "
                                        f"CPU {bare['cpu_seconds']:.2f} s)"),
        ("1re ingestion", f"{first['seconds']:.2f} s — {first['pages_per_s']} pages/s, "
                          f"{first['chunks_per_s']} chunks/s (CPU {first['cpu_seconds']:.2f} s)"),
        ("ingestion ÷ embedding nu (mêmes textes, en temps)", f"{first['ratio_to_bare_embedding']} "
                                                f"(en temps CPU : {first['cpu_ratio_to_bare_embedding']})"),
        ("dont embed_documents", f"{first['embed_seconds']:.2f} s ({pct(first['embed_seconds'])})"),
        ("dont count_tokens (découpage)", f"{first['count_tokens_seconds']:.2f} s "
                                          f"({pct(first['count_tokens_seconds'])}, "
                                          f"{first['count_tokens_calls']} appels)"),
        ("dont le reste (PDF, nettoyage, Chroma…)", f"{first['other_seconds']:.2f} s "
                                                    f"({pct(first['other_seconds'])})"),
        ("vecteurs de phrases", f"{sv['sentences']} phrases pour {sv['chunks']} chunks ; 1re ingestion "
                                f"÷ sans eux : ×{sv['cost_ratio']} (CPU ×{sv['cpu_cost_ratio']}, "
                                f"sans eux {sv['seconds_without']:.2f} s)"),
        ("ré-ingestion inchangée", f"{again['seconds']:.3f} s, {again['chunks_embedded']} chunks "
                                   f"ré-embeddés"),
        ("ré-ingestion ÷ 1re ingestion", f"{again['ratio_to_first_ingest']}"),
        ("pic RSS du processus", f"{memory['peak_rss_mb']} Mo (après chargement du modèle : "
                                 f"{memory['peak_rss_mb_after_model_load']} Mo)"),
        ("taille du store", f"{result['store_bytes'] / 1024 / 1024:.1f} Mo"),
        ("charge machine (loadavg 1 min)", f"{(m['loadavg_start'] or ['?'])[0]} au début, "
                                           f"{(m['loadavg_end'] or ['?'])[0]} à la fin"),
    ]
    lines = ["| mesure | valeur |", "|---|---|"]
    lines += [f"| {name} | {value} |" for name, value in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark d'ingestion sur un corpus synthétique de CLS.")
    parser.add_argument("--contracts", type=int, default=4, help="nombre de contrats PDF (4)")
    parser.add_argument("--pages", type=int, default=8, help="pages par contrat (8)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"fichier JSON ({DEFAULT_OUT})")
    args = parser.parse_args(argv)

    result = run(args.contracts, args.pages, args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(markdown(result))
    print(f"\nJSON : {args.out}")

    first = result["first_ingest"]["report"]
    problems = []
    if first["failed"]:
        problems.append(f"échecs à la 1re ingestion : {first['failed']}")
    if result["corpus"]["chunks"] == 0:
        problems.append("aucun chunk écrit")
    if result["reingest"]["chunks_embedded"]:
        problems.append("la ré-ingestion inchangée a ré-embeddé des chunks")
    load = result["machine"]["loadavg_start"]
    if load and load[0] > 0.5:
        print(f"ATTENTION : machine déjà chargée au départ (loadavg {load[0]}) : les temps réels "
              "sont bruités, comparez plutôt les temps CPU.", file=sys.stderr)
    for problem in problems:
        print(f"ATTENTION : {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
