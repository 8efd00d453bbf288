"""An answer engine backed by a chat model, checked after the fact, with a fallback engine.

A model may be down, slow, or cite what it likes: every answer goes through `check_draft`, and any
model error or an answer left without a valid citation yields the fallback engine's draft instead.
`engine.fallbacks` counts those cases by reason, so that a run can say how often the model answered.

Streaming and the final draft share one generation. `stream()` returns a `Generation`: an iterator
of text pieces that keeps the full text. Once a chat has shown the pieces, `generation.draft()` (or
`engine.finish(question, passages, audience)`, which finds the latest generation for those inputs)
checks that same text without calling the model again.

Passages that give orders to an AI model (core/safety.py) are dropped before anything else:
the model never reads them, and neither the checker nor the fallback can cite them.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter, OrderedDict
from collections.abc import Iterator

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from assistant.core.safety import trusted
from assistant.engines.base import AnswerEngine
from assistant.engines.checking import check_draft
from assistant.passages import Draft, Passage
from assistant.prompts import system_prompt, user_prompt

log = logging.getLogger(__name__)

KEPT_GENERATIONS = 32
"""Streamed generations remembered for `finish` (one per recent question; bounded memory)."""

NO_PASSAGE, MODEL_ERROR, NO_VALID_CITATION = "no_passage", "model_error", "no_valid_citation"
"""Why the fallback answered (keys of `GenerativeEngine.fallbacks`)."""


class Generation(Iterator[str]):
    """One streamed answer: iterate for the pieces, then `draft()` for the checked result.

    Model errors never escape: they are logged and the fallback takes over (its pieces are
    streamed instead if the model failed before its first piece).
    """

    def __init__(self, engine: GenerativeEngine, question: str, passages: list[Passage], audience: str):
        self.engine, self.question, self.passages, self.audience = engine, question, passages, audience
        self.text = ""
        self.fell_back = False
        """The model failed (or had no passage to read): the fallback answers."""
        self._pieces = self._produce()
        self._draft: Draft | None = None

    def __next__(self) -> str:
        return next(self._pieces)

    def draft(self) -> Draft:
        """The checked draft of this generation; reads whatever the caller left unread first."""
        if self._draft is None:
            for _ in self:
                pass
            self._draft = self.engine.check_or_fallback(
                self.text, self.question, self.passages, self.audience, fell_back=self.fell_back
            )
        return self._draft

    def _produce(self) -> Iterator[str]:
        engine = self.engine
        try:
            if not self.passages:
                self.fell_back = True
                engine.fell_back(NO_PASSAGE)
            else:
                messages = engine.messages(self.question, self.passages, self.audience)
                for chunk in engine.chat_model.stream(messages):
                    if piece := chunk.text:
                        self.text += piece
                        yield piece
        except Exception as error:  # noqa: BLE001 - any model failure means: use the fallback
            log.warning("Modèle %s indisponible (%s) : moteur de secours utilisé.", engine.name, error)
            self.fell_back = True
            engine.fell_back(MODEL_ERROR)
        if self.fell_back and not self.text:
            yield from engine.fallback.stream(self.question, self.passages, self.audience)


class GenerativeEngine:
    """`AnswerEngine` over any LangChain chat model, given the first `max_passages` passages."""

    def __init__(self, chat_model: BaseChatModel, fallback: AnswerEngine, max_passages: int, name: str):
        self.chat_model = chat_model
        self.fallback = fallback
        self.max_passages = max_passages
        self.name = name
        self._recent: OrderedDict[tuple, Generation] = OrderedDict()
        self._lock = threading.Lock()
        self.fallbacks: Counter[str] = Counter()
        """Answers left to the fallback since this engine was made, by reason (NO_PASSAGE, …)."""

    def fell_back(self, reason: str) -> None:
        with self._lock:
            self.fallbacks[reason] += 1

    def messages(self, question: str, passages: list[Passage], audience: str = "") -> list[BaseMessage]:
        """System rules, then the fenced passages (the first `max_passages`; `stream` and `draft`
        have already dropped those that address a model) and the question."""
        return [
            SystemMessage(system_prompt()),
            HumanMessage(user_prompt(question, passages[: self.max_passages], audience)),
        ]

    def stream(self, question: str, passages: list[Passage], audience: str = "") -> Generation:
        passages = trusted(passages)
        generation = Generation(self, question, passages, audience)
        with self._lock:
            self._recent[_key(question, passages, audience)] = generation
            while len(self._recent) > KEPT_GENERATIONS:
                self._recent.popitem(last=False)
        return generation

    def finish(self, question: str, passages: list[Passage], audience: str = "") -> Draft:
        """The checked draft of the latest `stream()` for these inputs; a fresh `draft()` if none."""
        passages = trusted(passages)
        with self._lock:
            generation = self._recent.pop(_key(question, passages, audience), None)
        return generation.draft() if generation else self.draft(question, passages, audience)

    def draft(self, question: str, passages: list[Passage], audience: str = "") -> Draft:
        passages = trusted(passages)
        if not passages:
            self.fell_back(NO_PASSAGE)
            return self.fallback.draft(question, passages, audience)
        try:
            message = self.chat_model.invoke(self.messages(question, passages, audience))
        except Exception as error:  # noqa: BLE001 - any model failure means: use the fallback
            log.warning("Modèle %s indisponible (%s) : moteur de secours utilisé.", self.name, error)
            self.fell_back(MODEL_ERROR)
            return self.fallback.draft(question, passages, audience)
        return self.check_or_fallback(message.text, question, passages, audience)

    def check_or_fallback(
        self, text: str, question: str, passages: list[Passage], audience: str, fell_back: bool = False
    ) -> Draft:
        """`check_draft` of the model's text, or the fallback's draft when the model failed or
        its answer kept no valid citation."""
        checked = None if fell_back else check_draft(text, passages[: self.max_passages])
        if checked is None:
            if not fell_back:
                log.warning("Réponse de %s sans citation valide : moteur de secours utilisé.", self.name)
                self.fell_back(NO_VALID_CITATION)
            return self.fallback.draft(question, passages, audience)
        return checked


def _key(question: str, passages: list[Passage], audience: str) -> tuple:
    return (question, tuple(p.id for p in passages), audience)
