"""Builds the assistant from the settings: the one place that picks the store and the engine."""

from __future__ import annotations

from assistant.answering import Assistant
from assistant.config import ConfigError, Settings
from assistant.embeddings import get_embeddings
from assistant.engines.base import AnswerEngine
from assistant.engines.extractive import ExtractiveEngine
from assistant.retrieval import Retriever
from assistant.store import chroma_client, open_collection

GENERATIVE_BACKENDS = ("openai", "ollama", "llamacpp")


def load_assistant(settings: Settings) -> Assistant:
    embeddings = get_embeddings(settings.embeddings)
    collection = open_collection(chroma_client(settings), settings, embeddings)
    retriever = Retriever(collection, embeddings, k=settings.retrieval_k)
    return Assistant(retriever, lambda extractive: answer_engine(settings, extractive))


def answer_engine(settings: Settings, extractive: ExtractiveEngine) -> AnswerEngine:
    if settings.llm == "extractive":
        return extractive
    if settings.llm in GENERATIVE_BACKENDS:
        from assistant.engines.generative import GenerativeEngine
        from assistant.llm import chat_model

        return GenerativeEngine(chat_model(settings), extractive, settings.llm_max_passages, settings.llm)
    raise ConfigError(
        f"CLS_LLM={settings.llm!r} inconnu : choisissez extractive, {', '.join(GENERATIVE_BACKENDS)}."
    )
