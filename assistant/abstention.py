"""Whether the retrieved passages hold the answer, decided before anything is written.

Three tests, each explainable to the user:
- every name of the question (« Cornouaille », « AQTA », « ARS ARA ») is mentioned by a retrieved
  document, in its text or its metadata, spelled out or by initials (assistant/naming.py); the
  passages kept are those of documents naming them all, or, for a question about several
  territories, of each territory's documents;
- each part of the question (assistant/understanding.py) has a sentence that shares enough of
  its words, or fewer but clearly the closest meaning (the stored sentence vectors);
- a part asking for a kind of value (a phone number, an amount, a duration) has a sentence that
  states one: a sentence on the subject without the value does not answer.
The answer is found when at least one part is; the parts not covered are named in the answer.
Thresholds are in engines/extractive.py, calibrated on the development questions of half the
development set and checked on the other half (README, « Answers »).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from assistant.core.french import WORD, fold, stem
from assistant.engines.extractive import ExtractiveEngine, PartAnswer, comparison_groups
from assistant.naming import capitalised_words, document_text, lowercase_words, mentions
from assistant.passages import Passage
from assistant.understanding import Understanding, without_common_opening


@dataclass
class Support:
    found: bool
    passages: list[Passage] = field(default_factory=list)
    """The passages of the documents that mention everything specific in the question."""
    missing: list[str] = field(default_factory=list)
    """Names no retrieved document mentions."""
    parts: list[PartAnswer] = field(default_factory=list)

    @property
    def uncovered(self) -> list[PartAnswer]:
        return [part for part in self.parts if not part.covered]


def typed_small(question: str, capitalised: set[str]) -> set[str]:
    """« challans gois »: a name typed in lower case is two or more words in a row that the
    documents only write capitalised; one such word alone (« quelle université ») is a common
    noun the documents capitalise in a name (« Université de Rouen »), still a word to match."""
    stems = [stem(fold(w)) for w in WORD.findall(question)]
    found: set[str] = set()
    for i in range(len(stems) - 1):
        if stems[i] in capitalised and stems[i + 1] in capitalised:
            found |= {stems[i], stems[i + 1]}
    return found


def assess_support(
    understanding: Understanding,
    passages: list[Passage],
    engine: ExtractiveEngine,
    neighbours: Callable[[list[Passage]], list[Passage]] | None = None,
) -> Support:
    """`neighbours` reads the chunks around the kept passages (assistant/neighbours.py): the
    answer is looked for in them too, once the documents are chosen by the names."""
    if not passages:
        return Support(False)
    by_doc: dict[str, list[Passage]] = {}
    for passage in passages:
        by_doc.setdefault(passage.doc_id, []).append(passage)
    texts = {doc: document_text([p.text for p in group], group[0].metadata) for doc, group in by_doc.items()}

    common = lowercase_words(p.text for p in passages)
    names = [n for n in (without_common_opening(n, common) for n in understanding.required_names) if n]
    understanding.names = names + [n for n in understanding.names if not n.required]
    typed_names = typed_small(understanding.text, capitalised_words(p.text for p in passages) - common)
    for part in understanding.parts:
        part.focus -= typed_names
    missing = [n.surface for n in names if not any(mentions(n, text) for text in texts.values())]
    if missing:
        return Support(False, missing=missing)
    supporting = [
        p for doc, group in by_doc.items() if all(mentions(n, texts[doc]) for n in names) for p in group
    ]
    around: list[Passage] = []
    if not supporting and neighbours and len(names) > 1:
        # No retrieved chunk names everything (« en 2024 » with « Terres des Confluences »): the
        # documents' chunks around them may (« 2023/2027 » one chunk up).
        around = neighbours(passages)
        wider = {
            doc: document_text([p.text for p in [*group, *around] if p.doc_id == doc], group[0].metadata)
            for doc, group in by_doc.items()
        }
        supporting = [
            p for doc, group in by_doc.items() if all(mentions(n, wider[doc]) for n in names) for p in group
        ]
    if not supporting:
        supporting = [p for _, group in comparison_groups(understanding, passages) for p in group]
    supporting.sort(key=lambda p: p.score, reverse=True)
    if neighbours:
        supporting += neighbours(supporting)
    parts = engine.plan(understanding, supporting)
    return Support(any(part.covered for part in parts), supporting, parts=parts)
