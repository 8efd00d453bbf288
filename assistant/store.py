"""The Chroma collection: embedded by default, a Chroma server when `CLS_CHROMA_URL` is set.

Chroma never embeds anything itself here (its default embedding function downloads a model): every
vector comes from our own model, whose identity is recorded in the collection's metadata and checked
on every open, so a store filled by one model is never searched with another.
"""

from __future__ import annotations

from urllib.parse import urlparse

import chromadb
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.config import Settings as ChromaSettings

from assistant.config import Settings
from assistant.embeddings import TokenizingEmbeddings

MODEL_KEY = "embedding_model"


class StoreError(Exception):
    """The store cannot be used as asked; the message is a French sentence saying what to do."""


def chroma_client(settings: Settings) -> ClientAPI:
    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        return chromadb.HttpClient(
            host=url.hostname or "127.0.0.1",
            port=url.port or (443 if url.scheme == "https" else 8000),
            ssl=url.scheme == "https",
            settings=chroma_settings,
        )
    settings.chroma_path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_path), settings=chroma_settings)


def store_key(settings: Settings) -> str:
    """Names the store + collection, so ingestion records of two stores never mix."""
    return f"{settings.chroma_url or 'local'}#{settings.collection}"


def open_collection(
    client: ClientAPI, settings: Settings, embeddings: TokenizingEmbeddings
) -> Collection:
    """The collection, created on first use; refuses one embedded by another model."""
    collection = client.get_or_create_collection(
        settings.collection,
        embedding_function=None,
        metadata={MODEL_KEY: embeddings.model_id},
        configuration={"hnsw": {"space": "cosine"}},
    )
    stored_model = (collection.metadata or {}).get(MODEL_KEY)
    if stored_model != embeddings.model_id:
        raise StoreError(
            f"La collection « {settings.collection} » a été indexée avec le modèle {stored_model} ; "
            f"le modèle configuré est {embeddings.model_id}. Relancez l'ingestion avec --rebuild "
            "pour tout réindexer avec ce modèle, ou changez CLS_EMBEDDINGS."
        )
    return collection


def drop_collection(client: ClientAPI, settings: Settings) -> None:
    if settings.collection in {c.name for c in client.list_collections()}:
        client.delete_collection(settings.collection)
