"""What is loaded once per process (the model, the store, the assistant) and what is cached briefly.

`st.cache_resource` keeps one assistant per store configuration, so a question costs only
retrieval and answering; tests that point `CLS_DATA_DIR` elsewhere get their own. The document
table is cached by chunk count (plus a short time limit, for ingestions made by the command line).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from assistant.answering import Assistant
from assistant.core.config import Settings, get_settings
from assistant.core.store import store_key
from assistant.service import load_assistant
from assistant.stats import document_table
from ingest.records import Records


def settings() -> Settings:
    return get_settings()


def config_key(settings: Settings) -> str:
    """Everything that makes two assistants different."""
    return "|".join(
        str(value)
        for value in (
            settings.data_dir.resolve(), settings.chroma_url, settings.collection, settings.embeddings,
            settings.llm, settings.llm_model, settings.openai_base_url, settings.ollama_url,
            settings.retrieval_k,
        )
    )


@st.cache_resource(show_spinner="Chargement du modèle et de la base documentaire…")
def _assistant(key: str, _settings: Settings) -> Assistant:
    loaded = load_assistant(_settings)
    # Build the lexical index and run the model once now, so the first question costs no more.
    loaded.retriever.search("contrat local de santé")
    return loaded


def assistant() -> Assistant:
    current = settings()
    return _assistant(config_key(current), current)


@st.cache_data(ttl=60, show_spinner=False)
def _documents(key: str, count: int, generation: int, role: str, _assistant: Assistant) -> list[dict]:
    return document_table(_assistant.retriever.collection, role)


def documents(role: str) -> list[dict]:
    """One row per stored document the role may see: metadata and chunk count."""
    current = assistant()
    count = current.retriever.collection.count()
    generation = st.session_state.get("ingest_generation", 0)
    return _documents(config_key(settings()), count, generation, role, current)


def store_changed() -> None:
    """After an ingestion: the retriever rebuilds its index and the tables are read again."""
    assistant().retriever.refresh()
    st.session_state["ingest_generation"] = st.session_state.get("ingest_generation", 0) + 1


@st.cache_data(ttl=30, show_spinner=False)
def _originals(records_path: str, store: str, generation: int) -> dict[str, str]:
    if not Path(records_path).exists():
        return {}
    records = Records(Path(records_path), store)
    try:
        rows = [r for r in records.all() if r.doc_id]
    finally:
        records.close()
    found: dict[str, str] = {}
    for record in rows:
        if record.file not in found and Path(record.path).is_file():
            found[record.file] = record.path
    return found


def original_path(file: str) -> Path | None:
    """Where the original of a stored document lies, from the ingestion records (if still there)."""
    current = settings()
    generation = st.session_state.get("ingest_generation", 0)
    path = _originals(str(current.records_path), store_key(current), generation).get(file)
    return Path(path) if path and Path(path).is_file() else None
