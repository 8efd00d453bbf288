"""The assistant: a question in, a cited answer or an honest « je n'ai pas trouvé » out.

Steps: rewrite a follow-up into a standalone question; a count, list or precedent question about
the CLS themselves is answered from the catalogue when it can (assistant/catalogue/questions.py
says which); otherwise retrieve, decide whether the passages hold the answer (abstention), let the
configured engine write it, and keep only checked citations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Protocol

from assistant.abstention import Support, assess_support
from assistant.access import PUBLIC, restrict
from assistant.catalogue.answers import catalogue_answer
from assistant.catalogue.questions import catalogue_question
from assistant.catalogue.storage import CatalogueSource
from assistant.conversation import standalone_question
from assistant.core.dates import french_date
from assistant.core.errors import AssistantError
from assistant.core.filters import Filters
from assistant.engines.base import AnswerEngine
from assistant.engines.extractive import ExtractiveEngine
from assistant.neighbours import neighbour_reader
from assistant.passages import Answer, Draft, Passage
from assistant.understanding import understand

History = list[tuple[str, str]]
"""The conversation so far: (question, answer) turns, oldest first."""
EXTRA_PASSAGES = 4
"""Passages added by the search of each part of a several-part question, or of each territory."""
WIDE_SEARCH = 16
"""Passages retrieved for a question whose answer lists documents (« quels CLS ont… »)."""


class QuestionError(AssistantError, ValueError):
    """A question that cannot be asked as is; the message tells the user why, in French."""


class PassageSearch(Protocol):
    def search(self, query: str, filters: Filters | None = None, k: int | None = None) -> list[Passage]: ...

    def idf(self, term: str) -> float: ...


class Assistant:
    def __init__(
        self,
        retriever: PassageSearch,
        engine_factory: Callable[[ExtractiveEngine], AnswerEngine] | None = None,
        catalogue: CatalogueSource | None = None,
        extractive: ExtractiveEngine | None = None,
        new_question: Callable[[], None] = lambda: None,
        max_question_chars: int = 2000,
    ) -> None:
        """`catalogue`: without one every question goes through retrieval. `extractive`: the
        engine with the store's sentence vectors; `new_question`: called as each question starts
        (assistant/service.py: the query vectors of the last one dropped)."""
        self.max_question_chars = max_question_chars
        self.retriever = retriever
        self._new_question = new_question
        self.extractive = extractive or ExtractiveEngine(idf=retriever.idf)
        self.engine = engine_factory(self.extractive) if engine_factory else self.extractive
        self.catalogue = catalogue

    def ask(self, question: str, filters: Filters | None = None, history: History | None = None,
            audience: str = "", role: str = PUBLIC) -> Answer:
        """`role` (assistant/access.py) decides which documents may be retrieved: public by default."""
        return AnswerStream(self, question, filters, history, audience, role, pieces=False).result()

    def stream(self, question: str, filters: Filters | None = None, history: History | None = None,
               audience: str = "", role: str = PUBLIC) -> AnswerStream:
        """Like `ask`, but the text comes in pieces as the engine writes it (for the chat).

        Iterate over the returned object to get the pieces; then its `answer` holds the checked
        final answer, whose text may differ from the pieces (invalid citations removed).
        """
        return AnswerStream(self, question, filters, history, audience, role)

    def finalize(
        self, standalone: str, passages: list[Passage], support: Support, filters: Filters | None, draft: Draft
    ) -> Answer:
        if not draft.citations:
            return self.not_found(standalone, passages, support, filters)
        return Answer(standalone, draft.text, True, draft.citations, passages, self.engine.name)

    def from_catalogue(
        self,
        question: str,
        filters: Filters | None,
        history: History | None,
        role: str = PUBLIC,
        audience: str = "",
    ) -> Answer | None:
        """The catalogue's answer to a count, list or precedent question about the CLS; None for
        any other question (or one `prepare` refuses), or when the catalogue has nothing on it."""
        question = " ".join(question.split())
        if self.catalogue is None or not question or len(question) > self.max_question_chars:
            return None
        allowed = restrict(filters, role)
        standalone = standalone_question(question, history or [])
        asked = catalogue_question(standalone)
        if asked is None:
            return None
        return catalogue_answer(standalone, asked, self.catalogue, allowed, self.retriever.idf, audience)

    def prepare(
        self,
        question: str,
        filters: Filters | None,
        history: History | None,
        role: str = PUBLIC,
    ) -> tuple[str, list[Passage], Support]:
        """Everything before the answer is written: for a chat that streams the writing itself."""
        question = " ".join(question.split())
        if not question:
            raise QuestionError("Posez une question (le message est vide).")
        if len(question) > self.max_question_chars:
            raise QuestionError(
                f"Question trop longue ({len(question)} caractères, {self.max_question_chars} au plus) : "
                "reformulez-la plus brièvement."
            )
        allowed = restrict(filters, role)  # before anything is searched: an unknown role fails here
        standalone = standalone_question(question, history or [])
        understanding = understand(standalone)
        self._new_question()
        k = WIDE_SEARCH if understanding.lists_documents else None
        passages = self.retriever.search(standalone, allowed, k=k)
        understanding.complete_names([p.text for p in passages])
        for extra in understanding.search_texts:  # each part of a several-part question
            passages = _merged(passages, self.retriever.search(extra, allowed, k=EXTRA_PASSAGES))
        more = neighbour_reader(self.retriever, allowed)
        return standalone, passages, assess_support(understanding, passages, self.extractive, more)

    def not_found(
        self, question: str, passages: list[Passage], support: Support, filters: Filters | None
    ) -> Answer:
        lines = ["Je n'ai pas trouvé la réponse à cette question dans les documents indexés."]
        if support.missing:
            listed = ", ".join(f"« {word} »" for word in support.missing)
            lines.append(f"Aucun des documents trouvés ne mentionne {listed}.")
        elif support.uncovered:
            lines.append(_why_not_covered(support))
        searched = f"Recherche effectuée : « {question} »"
        if filters and filters.describe():
            searched += f" (filtres : {filters.describe()})"
        lines.append(searched + ".")
        closest = _closest_documents(passages)
        if closest:
            lines.append("Documents les plus proches :\n" + "\n".join(f"- {doc}" for doc in closest))
        return Answer(question, "\n\n".join(lines), False, [], passages, self.engine.name)


class AnswerStream:
    """One question's way to its answer, shared by `ask` (read whole, `result`) and the chat (read
    piece by piece as the engine writes: iterate, then `answer` is set)."""

    def __init__(
        self,
        assistant: Assistant,
        question: str,
        filters: Filters | None,
        history: History | None,
        audience: str,
        role: str = PUBLIC,
        pieces: bool = True,
    ) -> None:
        """`pieces`: ask the engine for its text as it writes (`stream`), or whole (`draft`)."""
        self.answer: Answer | None = None
        self._assistant, self._filters, self._audience = assistant, filters, audience
        # Validation and retrieval happen now, so a bad question fails before any streaming.
        self._direct = assistant.from_catalogue(question, filters, history, role, audience)
        if self._direct:
            self.standalone, self.passages, self._support = self._direct.question, self._direct.sources, None
        else:
            self.standalone, self.passages, self._support = assistant.prepare(question, filters, history, role)
        self._pieces = self._write(pieces)

    def __iter__(self) -> Iterator[str]:
        return self._pieces

    def result(self) -> Answer:
        """The checked final answer, once whatever was not read yet is written."""
        for _ in self._pieces:
            pass
        assert self.answer is not None
        return self.answer

    def _write(self, pieces: bool) -> Iterator[str]:
        if self._direct:  # from the catalogue: already complete and checked
            self.answer = self._direct
            if pieces:
                for piece in self._direct.answer.split(" "):
                    yield piece + " "
            return
        assistant, support = self._assistant, self._support
        if not support.found:
            self.answer = assistant.not_found(self.standalone, self.passages, support, self._filters)
            yield self.answer.answer
            return
        engine, question, passages = assistant.engine, self.standalone, support.passages
        if pieces:
            yield from engine.stream(question, passages, self._audience)
            draft = engine.finish(question, passages, self._audience)
        else:
            draft = engine.draft(question, passages, self._audience)
        self.answer = assistant.finalize(question, self.passages, support, self._filters, draft)


def _merged(passages: list[Passage], more: list[Passage]) -> list[Passage]:
    """The first list, then what the second adds (the first keeps its ranks)."""
    seen = {p.id for p in passages}
    return passages + [p for p in more if p.id not in seen]


def _why_not_covered(support: Support) -> str:
    """The parts left unanswered and why: « les passages trouvés ne donnent aucun montant »."""
    reasons = [part.missing for part in support.uncovered if part.missing]
    if reasons and all(r == reasons[0] for r in reasons) and reasons[0] != "aucun passage sur ce point":
        return f"Les passages trouvés traitent du sujet mais n'indiquent {reasons[0]}."
    return "Les passages trouvés ne répondent pas à la question posée."


def _closest_documents(passages: list[Passage], limit: int = 3) -> list[str]:
    seen: dict[str, str] = {}
    for passage in passages:
        meta = passage.metadata
        if passage.doc_id not in seen:
            details = ", ".join(x for x in (meta.get("publisher"), french_date(meta.get("date", ""))) if x)
            seen[passage.doc_id] = f"{meta.get('title') or passage.file} ({details})" if details else meta.get("title", passage.file)
    return list(seen.values())[:limit]
