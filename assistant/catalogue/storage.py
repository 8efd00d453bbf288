"""The catalogue in SQLite beside the store (`catalogue.sqlite3`, rows keyed by store), and the
object that keeps it current.

What is stored is the extraction: the facts each document states about each CLS, and the counts
documents state. Records are merged from them when read (merging is cheap), after leaving out
the documents the reader may not see.

When is it rebuilt? At the end of every ingestion run that added, updated or removed a document
(`on_documents_changed`, subscribed to ingestion's announcement in pyproject.toml), and lazily whenever it is read and the
set of stored chunk ids (hence of documents: ids are content hashes) or the extractor's version
differs from the one it was built from, e.g. a store filled by an older version or a deleted file.
It is derived data: an unreadable file is simply rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from dataclasses import asdict
from datetime import date, datetime, timezone
from pathlib import Path

from chromadb.api.models.Collection import Collection

from assistant.catalogue.extraction import StoredChunk, extract
from assistant.catalogue.merging import catalogue_view
from assistant.catalogue.model import Catalogue, ContractRecord, DocumentFacts, Extraction, stated_count
from assistant.core.config import Settings
from assistant.core.filters import Filters
from assistant.core.store import store_key, stored_pages
from assistant.passages import Passage
from ingest.events import DocumentsChanged

EXTRACTOR_VERSION = "5"
"""Bump when extraction or merging changes: every catalogue is then rebuilt on first read."""
SCHEMA = (
    "CREATE TABLE IF NOT EXISTS catalogue_state (store TEXT PRIMARY KEY, signature TEXT NOT NULL,"
    " built_at TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS catalogue_facts (store TEXT NOT NULL, position INTEGER NOT NULL,"
    " file TEXT NOT NULL, key TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (store, position))",
    "CREATE TABLE IF NOT EXISTS catalogue_counts (store TEXT NOT NULL, position INTEGER NOT NULL,"
    " data TEXT NOT NULL, PRIMARY KEY (store, position))",
)


class CatalogueTable:
    """The catalogue of one store in the SQLite file."""

    def __init__(self, path: Path, store: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.store = store
        try:
            self._db = _connect(path)
        except sqlite3.DatabaseError:
            path.unlink(missing_ok=True)  # derived data: start afresh
            self._db = _connect(path)

    def signature(self) -> str | None:
        row = self._db.execute("SELECT signature FROM catalogue_state WHERE store = ?", (self.store,)).fetchone()
        return row[0] if row else None

    def save(self, extraction: Extraction, signature: str) -> None:
        with self._db:
            for table in ("catalogue_state", "catalogue_facts", "catalogue_counts"):
                self._db.execute(f"DELETE FROM {table} WHERE store = ?", (self.store,))
            self._db.executemany(
                "INSERT INTO catalogue_facts (store, position, file, key, data) VALUES (?, ?, ?, ?, ?)",
                [(self.store, i, f.file, f.key, json.dumps(asdict(f), ensure_ascii=False))
                 for i, f in enumerate(extraction.facts)],
            )
            self._db.executemany(
                "INSERT INTO catalogue_counts (store, position, data) VALUES (?, ?, ?)",
                [(self.store, i, json.dumps(asdict(c), ensure_ascii=False)) for i, c in enumerate(extraction.counts)],
            )
            self._db.execute(
                "INSERT INTO catalogue_state (store, signature, built_at) VALUES (?, ?, ?)",
                (self.store, signature, datetime.now(timezone.utc).isoformat(timespec="seconds")),
            )

    def load(self) -> Extraction:
        facts = self._db.execute(
            "SELECT data FROM catalogue_facts WHERE store = ? ORDER BY position", (self.store,)
        ).fetchall()
        counts = self._db.execute(
            "SELECT data FROM catalogue_counts WHERE store = ? ORDER BY position", (self.store,)
        ).fetchall()
        return Extraction([DocumentFacts.from_dict(json.loads(row[0])) for row in facts],
                          [stated_count(json.loads(row[0])) for row in counts])

    def close(self) -> None:
        self._db.close()


def build_catalogue(collection: Collection, today: date | None = None, filters: Filters | None = None) -> Catalogue:
    """Extraction over every stored chunk, merged into records (nothing written)."""
    return catalogue_view(extract(_stored_chunks(collection)), today or date.today(), filters)


def refresh_catalogue(settings: Settings, collection: Collection, force: bool = False) -> Extraction:
    """Extracts again, and stores, if `force` or if the store changed since the last extraction."""
    table = CatalogueTable(settings.catalogue_path, store_key(settings))
    try:
        signature = store_signature(collection)
        if not force and table.signature() == signature:
            return table.load()
        extraction = extract(_stored_chunks(collection))
        table.save(extraction, signature)
        return extraction
    finally:
        table.close()


def on_documents_changed(event: DocumentsChanged) -> None:
    """Ingestion ended: extract again when it changed a document (or the store is not the one extracted)."""
    refresh_catalogue(event.settings, event.collection, force=event.changed)


def store_signature(collection: Collection) -> str:
    digest = hashlib.sha256(EXTRACTOR_VERSION.encode())
    ids: list[str] = []
    for page in stored_pages(collection, []):
        ids += page["ids"]
    for chunk_id in sorted(ids):
        digest.update(chunk_id.encode() + b"\n")
    return digest.hexdigest()[:24]


class CatalogueSource:
    """The current catalogue of a store, for the chat and the app: reloaded when another process
    (an ingestion) rebuilt it, rebuilt when the store changed; statuses relative to `today()`."""

    def __init__(
        self,
        settings: Settings,
        collection: Collection | Callable[[], Collection],
        today: Callable[[], date] | None = None,
    ) -> None:
        """`collection`, or a function returning the current handle (the retriever's, which it
        reopens when another process has written to the store)."""
        self.settings = settings
        self._collection = collection
        self.today = today or date.today
        self._cached: Extraction | None = None
        self._cached_state: tuple[int, str | None] | None = None

    @property
    def collection(self) -> Collection:
        return self._collection() if callable(self._collection) else self._collection

    def current(self, filters: Filters | None = None) -> Catalogue:
        """The records and stated counts of the documents `filters` (e.g. restricted to
        the reader's role) accept, statuses as of today."""
        collection = self.collection
        state = (collection.count(), self._stored_signature())
        if self._cached is None or state != self._cached_state:
            self._cached = refresh_catalogue(self.settings, collection)
            self._cached_state = (collection.count(), self._stored_signature())
        return catalogue_view(self._cached, self.today(), filters)

    def _stored_signature(self) -> str | None:
        table = CatalogueTable(self.settings.catalogue_path, store_key(self.settings))
        try:
            return table.signature()
        finally:
            table.close()

    def records(self, filters: Filters | None = None) -> list[ContractRecord]:
        return self.current(filters).records

    def passages(self, chunk_ids: list[str]) -> list[Passage]:
        """The cited chunks as passages (an answer's sources), in the order given."""
        unique = list(dict.fromkeys(chunk_ids))
        if not unique:
            return []
        found = self.collection.get(ids=unique, include=["documents", "metadatas"])
        by_id = {i: (t, m) for i, t, m in zip(found["ids"], found["documents"], found["metadatas"])}
        total = len(unique)
        return [
            Passage(chunk_id, by_id[chunk_id][0], by_id[chunk_id][1], score=(total - rank) / total)
            for rank, chunk_id in enumerate(unique)
            if chunk_id in by_id
        ]


def _stored_chunks(collection: Collection) -> list[StoredChunk]:
    chunks = []
    for page in stored_pages(collection, ["documents", "metadatas"]):
        chunks += [StoredChunk(i, t, m) for i, t, m in zip(page["ids"], page["documents"], page["metadatas"])]
    return chunks


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path)
    for statement in SCHEMA:
        db.execute(statement)
    db.execute("SELECT count(*) FROM catalogue_state").fetchone()
    return db
