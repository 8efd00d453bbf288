"""Load benchmark: questions/s, latency and memory under concurrent questions, embedded store vs
Chroma server, as the store grows.

    python -m bench.load [--sizes 1000,10000,100000] [--threads 1,8] [--questions 200]
                         [--internal-share 0.1] [--baseline] [--out FILE]

Every (store mode, size) case runs in a child process of its own (`python -m bench.load --case`),
so its memory figures are its own, not what an earlier and larger case left in the allocator. A case:
1. fills a throw-away collection with bench/query.py's synthetic chunks (synthetic vectors: nothing
   is embedded, that would take hours at 100k), either in an embedded store (PersistentClient in a
   temporary folder) or in a Chroma server the case starts itself (`chroma run`, as
   tests/chroma_server.py does) and points the settings at (`chroma_url`, i.e. CLS_CHROMA_URL);
2. builds the app's assistant (`load_assistant`: hybrid retrieval, real query encoder, extractive
   engine) and asks a first question, which builds the in-memory BM25 mirror (timed apart), then a
   few more to warm up;
3. for each number of threads, asks `--questions` questions (bench/query.py's twenty, in turn) from
   that many threads at once, each asking its next question as soon as it has its answer: questions
   per second over the wall time, p50/p95 of one question's latency, CPU seconds of both processes;
4. reads the RSS of the client process and, in server mode, of the server process from
   /proc/<pid>/status: VmRSS (now) and VmHWM (peak), the peak being reset before each measurement
   (/proc/<pid>/clear_refs) so that it is the questions' peak, not the insertion's.
Questions are asked in the public role; `--internal-share` marks that share of the synthetic
documents internal, so that the role hides more chunks than the retriever filters itself
(assistant/retrieval.py, OVERFETCH_MAX) and Chroma applies the filter. `--baseline` measures each
case a second time with Chroma filtering every question (OVERFETCH_MAX = -1, what the retriever did
before it filtered itself), on the same store in the same process.
Growth is each figure divided by the same figure at the smallest size, measured in the same run.
Prints a Markdown table and writes JSON (default bench/results/load.json, git-ignored).
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from assistant import retrieval
from assistant.core.config import Settings
from assistant.core.embeddings import get_embeddings
from assistant.core.store import chroma_client, open_collection
from assistant.service import load_assistant
from bench.measure import cpu_seconds, loadavg, log, machine, memory_mb, reset_peak, temporary_store
from bench.query import QUESTIONS, fill_collection, milliseconds, percentile

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "bench" / "results" / "load.json"
DEFAULT_SIZES = "1000,10000,100000"
DEFAULT_THREADS = "1,8"
DEFAULT_QUESTIONS = 200
MODES = ("embedded", "server")
WARM_UP = 3


@dataclasses.dataclass(frozen=True)
class Workload:
    """What every case measures: the same for all (mode, size) cases of a run."""

    threads: list[int]
    questions: int
    seed: int = 0
    internal_share: float = 0.0
    baseline: bool = False

    def as_args(self) -> list[str]:
        """The command-line options that give this workload to a child process."""
        return ["--threads", ",".join(map(str, self.threads)), "--questions", str(self.questions),
                "--seed", str(self.seed), "--internal-share", str(self.internal_share),
                *(["--baseline"] if self.baseline else [])]


@contextmanager
def chroma_filters_every_question() -> Iterator[None]:
    """The retriever as it was before it filtered itself: a `where` sent with every question."""
    kept = retrieval.OVERFETCH_MAX, retrieval.IDS_MAX
    retrieval.OVERFETCH_MAX, retrieval.IDS_MAX = -1, 0
    try:
        yield
    finally:
        retrieval.OVERFETCH_MAX, retrieval.IDS_MAX = kept
# --- One case, in a child process -------------------------------------------------------------


def ask_concurrently(assistant, questions: list[str], threads: int, total: int) -> dict:
    """`total` questions from `threads` threads at once (closed loop); throughput and latencies."""
    work = [questions[i % len(questions)] for i in range(total)]

    def timed_ask(question: str) -> tuple[float, bool]:
        start = time.perf_counter()
        answer = assistant.ask(question)
        return time.perf_counter() - start, answer.found

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        results = list(pool.map(timed_ask, work))
    wall = time.perf_counter() - start
    latencies = [seconds for seconds, _ in results]
    return {
        "threads": threads,
        "questions": total,
        "wall_seconds": round(wall, 3),
        "questions_per_s": round(total / wall, 2),
        "p50_ms": milliseconds(percentile(latencies, 50)),
        "p95_ms": milliseconds(percentile(latencies, 95)),
        "max_ms": milliseconds(max(latencies)),
        "found_rate": round(sum(found for _, found in results) / total, 3),
    }


def measure(assistant, questions: list[str], threads: int, total: int, server_pid: int | None) -> dict:
    """One load run, with the CPU time and the RSS (peak of this run, and now) of both processes."""
    gc.collect()
    pids = {"client": "self"} | ({"server": server_pid} if server_pid else {})
    resets = [reset_peak(pid) for pid in pids.values()]  # every one, not up to the first failure
    cpu_before = {role: cpu_seconds(pid) for role, pid in pids.items()}
    run = ask_concurrently(assistant, questions, threads, total)
    for role, pid in pids.items():
        before, after = cpu_before[role], cpu_seconds(pid)
        run[f"{role}_cpu_seconds"] = round(after - before, 2) if None not in (before, after) else None
        memory = memory_mb(pid)
        run[f"{role}_rss_mb"], run[f"{role}_peak_mb"] = memory.get("rss_mb"), memory.get("peak_mb")
    run["peaks_reset"] = all(resets)
    log(f"  {threads} thread(s): {run['questions_per_s']} q/s, p50 {run['p50_ms']} ms, p95 {run['p95_ms']} ms, "
         f"client {run['client_peak_mb']} MB" + (f", server {run.get('server_peak_mb')} MB" if server_pid else ""))
    return run


def run_case(mode: str, size: int, workload: Workload) -> dict:
    """Fills one store of `size` chunks in `mode`, then measures every number of threads on it."""
    loadavg_start = loadavg()
    start = time.perf_counter()
    embeddings = get_embeddings(Settings().embeddings)
    dim = len(embeddings.embed_query("question de mise en route du modèle"))
    model_load_seconds = time.perf_counter() - start
    with temporary_store(mode, "cls-bench-load-") as (settings, server):
        collection = open_collection(chroma_client(settings), settings, embeddings)
        generate_seconds, insert_seconds = fill_collection(collection, size, dim, workload.seed, workload.internal_share)
        chunks = collection.count()
        del collection
        gc.collect()
        server_pid = server.process.pid if server else None
        after_fill = {"client": memory_mb(), "server": memory_mb(server_pid) if server else None}

        assistant = load_assistant(settings)
        start = time.perf_counter()
        assistant.ask(QUESTIONS[0])  # builds the BM25 mirror: every chunk read from the store
        first_question_seconds = time.perf_counter() - start
        log(f"{mode}, {size} chunks: first question (BM25 mirror) in {first_question_seconds:.2f} s")
        for question in QUESTIONS[1:1 + WARM_UP]:
            assistant.ask(question)
        runs = [measure(assistant, QUESTIONS, n, workload.questions, server_pid) for n in workload.threads]
        baseline_runs = []
        if workload.baseline:
            log("  baseline: Chroma filters every question")
            with chroma_filters_every_question():
                baseline_runs = [measure(assistant, QUESTIONS, n, workload.questions, server_pid)
                                 for n in workload.threads]
    return {
        "mode": mode,
        "chunks": chunks,
        "model": embeddings.model_id,
        "dim": dim,
        "model_load_seconds": round(model_load_seconds, 3),
        "generate_seconds": round(generate_seconds, 3),
        "insert_seconds": round(insert_seconds, 3),
        "first_question_seconds": round(first_question_seconds, 3),
        "after_fill": after_fill,
        "runs": runs,
        "baseline_runs": baseline_runs,
        "loadavg_start": loadavg_start,
        "loadavg_end": loadavg(),
    }


# --- The whole benchmark ----------------------------------------------------------------------


def case_in_child(mode: str, size: int, workload: Workload) -> dict:
    """`run_case` in a fresh process (see module docstring); its log goes to our stderr."""
    with tempfile.TemporaryDirectory(prefix="cls-bench-load-case-") as tmp:
        out = Path(tmp) / "case.json"
        subprocess.run(
            [sys.executable, "-m", "bench.load", "--case", f"{mode}:{size}", *workload.as_args(), "--out", str(out)],
            cwd=ROOT, check=True, stdout=sys.stderr,
        )
        return json.loads(out.read_text(encoding="utf-8"))


def add_growth(cases: list[dict]) -> None:
    """Each run's figures divided by those of the same mode and threads at the smallest size."""
    keys = ("questions_per_s", "p50_ms", "p95_ms", "client_peak_mb", "server_peak_mb")
    for case in cases:
        base = min((c for c in cases if c["mode"] == case["mode"]), key=lambda c: c["chunks"])
        for run in case["runs"]:
            base_run = next(r for r in base["runs"] if r["threads"] == run["threads"])
            run["growth"] = {
                key: round(run[key] / base_run[key], 2) if run.get(key) and base_run.get(key) else None
                for key in keys
            }


def code_version() -> dict | None:
    """The commit, and the files of the query path changed since: the tree is shared and edited."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout

    try:
        changed = git("status", "--porcelain", "--", "assistant").splitlines()
        return {"commit": git("rev-parse", "HEAD").strip(), "changed": [line[3:] for line in changed]}
    except (OSError, subprocess.CalledProcessError):
        return None


def run(sizes: list[int], modes: list[str], workload: Workload) -> dict:
    loadavg_start = loadavg()
    start = time.perf_counter()
    cases = []
    for size in sorted(sizes):
        for mode in modes:
            log(f"--- {mode}, {size} chunks")
            cases.append(case_in_child(mode, size, workload))
    add_growth(cases)
    return {
        "benchmark": "load",
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": machine(loadavg_start),
        "code": code_version(),
        "config": {
            "sizes": sorted(sizes),
            "modes": modes,
            "threads": workload.threads,
            "questions_per_run": workload.questions,
            "distinct_questions": len(QUESTIONS),
            "seed": workload.seed,
            "internal_share": workload.internal_share,
            "baseline": "Chroma filters every question (OVERFETCH_MAX = -1)" if workload.baseline else None,
            "model": cases[0]["model"],
            "engine": "extractive",
            "vectors": "synthetic (bench/query.py): texts not embedded, queries embedded for real",
        },
        "total_seconds": round(time.perf_counter() - start, 1),
        "cases": cases,
    }


def _size(mb: float | None) -> str:
    if mb is None:
        return "—"
    return f"{mb / 1024:.2f} GB" if mb >= 1024 else f"{mb:.0f} MB"


def _cpu_per_question(run: dict) -> str:
    """CPU ms per question, client / server: unlike wall time, barely moved by other jobs."""
    per_question = [
        "—" if run.get(f"{role}_cpu_seconds") is None else f"{1000 * run[f'{role}_cpu_seconds'] / run['questions']:.0f}"
        for role in ("client", "server")
    ]
    return " / ".join(per_question) + " ms"


def _growth(value: float | None) -> str:
    return "—" if value is None else f"×{value:g}"


GROWTH_SHOWN = ("questions_per_s", "p95_ms", "client_peak_mb", "server_peak_mb")


def markdown(result: dict) -> str:
    lines = [
        ("| chunks | store | threads | questions/s | p50 / p95 | CPU per question client / server | "
         "client RSS peak / now | server RSS peak / now | ÷ smallest: q/s, p95, client peak, server peak |"),
        "|---:|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for case in result["cases"]:
        for r in case["runs"]:
            g = r["growth"]
            server = (f"{_size(r['server_peak_mb'])} / {_size(r['server_rss_mb'])}"
                      if case["mode"] == "server" else "—")
            lines.append(
                f"| {case['chunks']:,} | {case['mode']} | {r['threads']} | {r['questions_per_s']:.1f} | "
                f"{r['p50_ms']:.0f} / {r['p95_ms']:.0f} ms | {_cpu_per_question(r)} | "
                f"{_size(r['client_peak_mb'])} / {_size(r['client_rss_mb'])} | {server} | "
                f"{', '.join(_growth(g[key]) for key in GROWTH_SHOWN)} |"
            )
    if any(case["baseline_runs"] for case in result["cases"]):
        lines += ["", "| chunks | store | threads | questions/s: ours / Chroma filters every question | "
                      "p95: ours / baseline | ours ÷ baseline: q/s, p95 |", "|---:|---|---:|---:|---:|---|"]
        for case in result["cases"]:
            for r, b in zip(case["runs"], case["baseline_runs"]):
                lines.append(
                    f"| {case['chunks']:,} | {case['mode']} | {r['threads']} | "
                    f"{r['questions_per_s']:.1f} / {b['questions_per_s']:.1f} | "
                    f"{r['p95_ms']:.0f} / {b['p95_ms']:.0f} ms | "
                    f"×{r['questions_per_s'] / b['questions_per_s']:.2g}, ×{r['p95_ms'] / b['p95_ms']:.2g} |"
                )
    lines += [
        "",
        ("| chunks | store | insertion | first question (BM25 mirror) | client RSS after insertion | "
         "server RSS after insertion |"),
        "|---:|---|---:|---:|---:|---:|",
    ]
    for case in result["cases"]:
        fill = case["after_fill"]
        lines.append(
            f"| {case['chunks']:,} | {case['mode']} | {case['insert_seconds']:.1f} s | "
            f"{case['first_question_seconds']:.2f} s | {_size(fill['client'].get('rss_mb'))} | "
            f"{_size((fill['server'] or {}).get('rss_mb'))} |"
        )
    return "\n".join(lines)


def _int_list(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark de charge : base embarquée contre serveur Chroma.")
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help=f"tailles du store, en chunks ({DEFAULT_SIZES})")
    parser.add_argument("--threads", default=DEFAULT_THREADS,
                        help=f"nombres de threads clients posant des questions en même temps ({DEFAULT_THREADS})")
    parser.add_argument("--questions", type=int, default=DEFAULT_QUESTIONS,
                        help=f"questions mesurées par nombre de threads ({DEFAULT_QUESTIONS})")
    parser.add_argument("--modes", default=",".join(MODES), help=f"modes du store ({','.join(MODES)})")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--internal-share", type=float, default=0.0,
                        help="part des documents marqués internes, cachés au rôle public des questions (0)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"fichier JSON ({DEFAULT_OUT})")
    parser.add_argument("--baseline", action="store_true",
                        help="mesure aussi chaque cas avec le filtre appliqué par Chroma à chaque question")
    parser.add_argument("--case", help=argparse.SUPPRESS)  # MODE:SIZE, one case in this process
    args = parser.parse_args(argv)
    try:
        sizes, threads = _int_list(args.sizes), _int_list(args.threads)
    except ValueError:
        parser.error("--sizes et --threads : des entiers séparés par des virgules")
    modes = [m for m in args.modes.split(",") if m.strip()]
    if not sizes or min(sizes) < 1 or not threads or min(threads) < 1 or args.questions < 1:
        parser.error("--sizes >= 1 chunk, --threads >= 1, --questions >= 1")
    if not 0 <= args.internal_share < 1:
        parser.error("--internal-share : entre 0 et 1 (exclu)")
    if not modes or set(modes) - set(MODES):
        parser.error(f"--modes : parmi {', '.join(MODES)}")

    workload = Workload(threads, args.questions, args.seed, args.internal_share, args.baseline)
    if args.case:
        mode, size = args.case.split(":")
        result = run_case(mode, int(size), workload)
    else:
        result = run(sizes, modes, workload)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if not args.case:
        print(markdown(result))
        print(f"\nJSON : {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
