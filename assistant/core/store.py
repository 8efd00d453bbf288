"""The Chroma collection: embedded by default, a Chroma server when `CLS_CHROMA_URL` is set.

Chroma never embeds anything itself here (its default embedding function downloads a model): every
vector comes from our own model, whose identity is recorded in the collection's metadata and checked
on every open, so a store filled by one model is never searched with another.

An embedded store written by another process (an ingest run from the command line while the app
serves questions) is not seen by a client opened before: Chroma keeps one client per folder and
process, whose vector index does not follow foreign writes. `reopen_collection` opens a new one.
Every ingestion change also stamps a new revision in the collection's metadata, so readers notice
a replaced document even when the number of chunks stays the same.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from urllib.parse import urlparse

import chromadb
import httpx
from chromadb.api import ClientAPI, ServerAPI
from chromadb.api.client import Client
from chromadb.api.models.Collection import Collection
from chromadb.config import Settings as ChromaSettings
from chromadb.config import System

from assistant.core.config import Settings
from assistant.core.embeddings import TokenizingEmbeddings
from assistant.core.errors import AssistantError

MODEL_KEY = "embedding_model"
REVISION_KEY = "revision"


class StoreError(AssistantError):
    """The store cannot be used as asked; the message is a French sentence saying what to do."""


SERVER_ERRORS = (httpx.TransportError, ConnectionError)
"""What a Chroma server that is down or unreachable raises, during any call."""


def chroma_client(settings: Settings) -> ClientAPI:
    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        try:
            return chromadb.HttpClient(
                host=url.hostname or "127.0.0.1",
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
        except (ValueError, *SERVER_ERRORS) as error:  # chromadb says "Could not connect" as a ValueError
            raise server_unreachable(settings) from error
    settings.chroma_path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_path), settings=chroma_settings)


def reopen_collection(settings: Settings, embeddings: TokenizingEmbeddings) -> Collection:
    """A new handle on the collection that sees every write made since, by any process."""
    return open_collection(fresh_client(settings), settings, embeddings)


def fresh_client(settings: Settings) -> ClientAPI:
    """A client that sees every write made since, by any process (embedded: a system of its own,
    not the one cached for this folder; a server is the one reader, nothing is stale there)."""
    if settings.chroma_url:
        return chroma_client(settings)
    chroma_settings = ChromaSettings(
        anonymized_telemetry=False, is_persistent=True, persist_directory=str(settings.chroma_path)
    )
    system = System(chroma_settings)
    system.instance(ServerAPI)
    system.start()
    return Client.from_system(system)


def server_unreachable(settings: Settings) -> StoreError:
    return StoreError(
        f"Le serveur Chroma {settings.chroma_url} (CLS_CHROMA_URL) ne répond pas : vérifiez qu'il "
        "est démarré (chroma run --path <dossier> --port <port>) ou retirez CLS_CHROMA_URL pour "
        "utiliser la base locale."
    )


def store_key(settings: Settings) -> str:
    """Names the store + collection, so ingestion records of two stores never mix."""
    server = settings.chroma_url.rstrip("/") if settings.chroma_url else "local"
    return f"{server}#{settings.collection}"


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


def mark_changed(collection: Collection, model_id: str) -> None:
    """Called by ingestion after it changed the collection, for readers to rebuild what they hold."""
    collection.modify(metadata={MODEL_KEY: model_id, REVISION_KEY: uuid.uuid4().hex})


def store_revision(client: ClientAPI, settings: Settings) -> str | None:
    """The revision last stamped by an ingestion, read afresh from the store."""
    return (client.get_collection(settings.collection).metadata or {}).get(REVISION_KEY)


def drop_collection(client: ClientAPI, settings: Settings) -> None:
    if settings.collection in {c.name for c in client.list_collections()}:
        client.delete_collection(settings.collection)


PAGE_SIZE = 5000
"""Records read from Chroma per request: whole stores are read in pages of this size."""


def stored_pages(
    collection: Collection, include: list[str], where: dict | None = None, ids: list[str] | None = None
) -> Iterator[dict]:
    """The store's records (or those of `ids`) in pages, each a `collection.get` result."""
    if ids is not None:
        for start in range(0, len(ids), PAGE_SIZE):
            yield collection.get(ids=ids[start : start + PAGE_SIZE], include=include)
        return
    for offset in range(0, collection.count(), PAGE_SIZE):
        page = collection.get(include=include, where=where, limit=PAGE_SIZE, offset=offset)
        if not page["ids"]:
            return  # filtered pages run out before the unfiltered count does
        yield page
