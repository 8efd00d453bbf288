"""The evaluation every measurement of this project uses (definitions: ../shared/eval/README.md)."""

from __future__ import annotations

import json
import math
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from assistant.core.french import APOSTROPHES_AND_DASHES, strip_accents
from assistant.passages import Answer

SPACE_BETWEEN_DIGITS = re.compile(r"(?<=\d)\s+(?=\d)")


def normalize(text: str) -> str:
    """The metrics' comparison form (../shared/eval/README.md): NFKD without accents (« œ » stays),
    casefolded, apostrophes and dashes as spaces, `25 000` → `25000`, spaces collapsed."""
    text = APOSTROPHES_AND_DASHES.sub(" ", strip_accents(text, ligatures=False).casefold())
    return " ".join(SPACE_BETWEEN_DIGITS.sub("", text).split())


@dataclass
class Question:
    id: str
    question: str
    answerable: bool
    expected_docs: list[str]
    expected_facts: list[str]


def load_questions(path: Path) -> list[Question]:
    questions = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            questions.append(Question(row["id"], row["question"], bool(row["answerable"]),
                                      row.get("expected_docs", []), row.get("expected_facts", [])))
    return questions


def evaluate(
    ask: Callable[[str], Answer],
    questions: list[Question],
    document_text: Callable[[str], str],
    k: int = 5,
) -> dict:
    """Runs every question once through `ask` and scores the answers.

    `document_text(file)` returns a cited document's extracted text, for citation validity.
    """
    hits, reciprocal_ranks, facts_found, facts_total = [], [], 0, 0
    abstention_right, citations_valid, citations_total, latencies = 0, 0, 0, []
    details = []
    for question in questions:
        started = time.perf_counter()
        answer = ask(question.question)
        latencies.append((time.perf_counter() - started) * 1000)
        abstention_right += answer.found == question.answerable
        valid, total = _citation_check(answer, document_text)
        citations_valid += valid
        citations_total += total
        rank = _first_expected_rank(answer, question.expected_docs)
        missing_facts = []
        if question.answerable:
            hits.append(rank is not None and rank <= k)
            reciprocal_ranks.append(1 / rank if rank and rank <= 10 else 0.0)
            normalized_answer = normalize(answer.answer)
            for fact in question.expected_facts:
                facts_total += 1
                if any(normalize(option) in normalized_answer for option in fact.split("|")):
                    facts_found += 1
                else:
                    missing_facts.append(fact)
        details.append({
            "id": question.id, "question": question.question, "answerable": question.answerable,
            "found": answer.found, "rank": rank, "missing_facts": missing_facts,
            "invalid_citations": total - valid, "answer": answer.answer,
        })
    return {
        "n": len(questions),
        "hit_at_k": _mean(hits),
        "mrr": _mean(reciprocal_ranks),
        "fact_coverage": facts_found / facts_total if facts_total else 1.0,
        "abstention_accuracy": abstention_right / len(questions) if questions else 0.0,
        "citation_validity": citations_valid / citations_total if citations_total else 1.0,
        "latency_p50_ms": _percentile(latencies, 50),
        "latency_p95_ms": _percentile(latencies, 95),
        "details": details,
    }


def _first_expected_rank(answer: Answer, expected_docs: list[str]) -> int | None:
    expected = {Path(name).name for name in expected_docs}
    for rank, source in enumerate(answer.sources, start=1):
        if Path(source.file).name in expected:
            return rank
    return None


def _citation_check(answer: Answer, document_text: Callable[[str], str]) -> tuple[int, int]:
    """(valid, total): a citation is valid when its quote is in its document and its marker in
    the answer; a marker with no citation counts as one more invalid citation."""
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)}
    numbers = {citation.n for citation in answer.citations}
    valid = sum(
        1
        for citation in answer.citations
        if citation.n in markers and normalize(citation.quote) in normalize(document_text(citation.file))
    )
    return valid, len(answer.citations) + len(markers - numbers)


def _mean(values: list[float]) -> float:
    return statistics.fmean(values) if values else 0.0


def _percentile(values: list[float], percent: int) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)  # nearest-rank percentile
    index = max(0, math.ceil(percent / 100 * len(ordered)) - 1)
    return round(ordered[index], 1)


METRICS = ("n", "hit_at_k", "mrr", "fact_coverage", "abstention_accuracy", "citation_validity",
           "latency_p50_ms", "latency_p95_ms")


def run_evaluation(settings, questions_file: Path, corpus: Path | None, with_naive: bool, k: int = 5) -> dict:
    """Ours (and the naive baseline) on the same questions, in the same run.

    With `corpus`, the folder is first ingested into a throw-away store; otherwise the configured
    store is evaluated, and the baseline reads the files that store was built from.
    """
    import tempfile

    from assistant.core.embeddings import get_embeddings
    from assistant.core.store import store_key
    from assistant.naive import NaiveRetriever
    from assistant.service import load_assistant
    from ingest.pipeline import Ingestor
    from ingest.records import Records

    questions = load_questions(questions_file)
    with tempfile.TemporaryDirectory(prefix="cls-eval-") as scratch:
        if corpus:
            settings = settings.model_copy(update={"data_dir": Path(scratch), "chroma_url": None})
            Ingestor(settings, get_embeddings(settings.embeddings)).run([corpus])
        assistant = load_assistant(settings)
        results = {"ours": _scored(assistant, questions, k)}
        if with_naive:
            files = [corpus] if corpus else [
                Path(r.path) for r in Records(settings.records_path, store_key(settings)).all()
                if Path(r.path).exists()
            ]
            naive = type(assistant)(NaiveRetriever(files))
            results["naive"] = _scored(naive, questions, k)
    return results


def _scored(assistant, questions: list[Question], k: int) -> dict:
    assistant.ask("Qu'est-ce qu'un contrat local de santé ?")  # warm-up: models and indexes loaded
    return evaluate(assistant.ask, questions, assistant.retriever.document_text, k)
