"""Builds the assistant from the settings: the one place that picks the store and the engine."""

from __future__ import annotations

from datetime import date

import numpy as np

from assistant.answering import Assistant
from assistant.catalogue.storage import CatalogueSource
from assistant.core.config import Settings
from assistant.core.embeddings import QueryCache, get_embeddings
from assistant.core.sentence_index import SentenceIndex
from assistant.core.store import (
    chroma_client,
    fresh_client,
    open_collection,
    reopen_collection,
    store_key,
    store_revision,
)
from assistant.engines.base import AnswerEngine
from assistant.engines.extractive import ExtractiveEngine
from assistant.retrieval import Retriever


def load_assistant(settings: Settings, today: date | None = None) -> Assistant:
    """`today` fixes the date CLS statuses are relative to (tests); the real date otherwise."""
    embeddings = QueryCache(get_embeddings(settings.embeddings))
    client = chroma_client(settings)
    collection = open_collection(client, settings, embeddings)
    retriever = Retriever(
        collection, embeddings, k=settings.retrieval_k,
        reopen=lambda: reopen_collection(settings, embeddings),
        revision=lambda: store_revision(client, settings),
        index_root=settings.lexical_path, store=store_key(settings),
    )

    def current_collection():
        _ = retriever.index  # reopens the store first if another process has changed it
        return retriever.collection

    catalogue = CatalogueSource(settings, current_collection, (lambda: today) if today else None)
    sentences = SentenceIndex.open(client, settings.collection, embeddings.model_id, lambda: fresh_client(settings))
    extractive = ExtractiveEngine(
        idf=retriever.idf,
        sentence_vectors=sentences.vectors,
        query_vector=lambda text: np.asarray(embeddings.embed_query(text), dtype=np.float32),
    )
    return Assistant(
        retriever, lambda engine: answer_engine(settings, engine), catalogue, extractive, embeddings.forget,
        settings.max_question_chars,
    )


def answer_engine(settings: Settings, extractive: ExtractiveEngine) -> AnswerEngine:
    if settings.llm == "extractive":
        return extractive
    from assistant.engines.generative import GenerativeEngine
    from assistant.llm import chat_model

    return GenerativeEngine(chat_model(settings), extractive, settings.llm_max_passages, settings.llm)
