"""Whether the retrieved passages hold the answer, decided before anything is written.

Two tests, both explainable to the user:
- the names, acronyms and numbers of the question (« Cherbourg », « 2024 ») must all appear in one
  retrieved document: a passage about another place or year does not answer;
- some sentence of those documents must cover enough of the question's weighted terms.
The threshold was calibrated on the development questions and checked on other documents
(tests/test_answers.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.engines.extractive import ExtractiveEngine
from assistant.french import expanded_terms, words
from assistant.passages import Passage
from assistant.question import QuestionProfile, mentions

MIN_COVERAGE = 0.4


@dataclass
class Support:
    found: bool
    passages: list[Passage] = field(default_factory=list)
    """The passages of the documents that mention everything specific in the question."""
    missing: list[str] = field(default_factory=list)
    """Specific words no retrieved document mentions."""
    coverage: float = 0.0


def assess_support(question: QuestionProfile, passages: list[Passage], scorer: ExtractiveEngine) -> Support:
    if not passages:
        return Support(False)
    documents: dict[str, list[Passage]] = {}
    for passage in passages:
        documents.setdefault(passage.doc_id, []).append(passage)

    supporting, missing_everywhere = [], set(question.specific)
    for doc_passages in documents.values():
        text = " ".join([doc_passages[0].metadata.get("title", "")] + [p.text for p in doc_passages])
        text_words, text_terms = set(words(text)), expanded_terms(text)
        missing = {w for w in question.specific if not mentions(w, text_words, text_terms)}
        missing_everywhere &= missing
        if not missing:
            supporting += doc_passages
    if not supporting:
        absent = [w for w in question.specific if w in missing_everywhere]
        return Support(False, missing=absent or list(question.specific))

    supporting.sort(key=lambda p: p.score, reverse=True)
    units = scorer.score_units(question, supporting)
    coverage = max((unit.coverage for unit in units), default=0.0)
    return Support(coverage >= MIN_COVERAGE, supporting, coverage=coverage)
