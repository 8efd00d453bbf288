"""What has been ingested: one row per file, in a small SQLite table beside the store.

It makes a re-ingest cheap (an unchanged file is recognised by its fingerprint without being parsed
or embedded) and makes interruption safe: before a document's chunks are written, its new `doc_id`
is noted as pending, so a run killed half-way is finished or undone by the next one.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from ingest.documents import IngestError

SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    store TEXT NOT NULL,
    path TEXT NOT NULL,
    file TEXT NOT NULL,
    doc_id TEXT,
    pending_doc_id TEXT,
    fingerprint TEXT,
    chunks INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (store, path)
)
"""


@dataclass
class FileRecord:
    path: str
    """Absolute path of the file: identifies it across runs."""
    file: str
    """Name shown to users and stored in chunk metadata (relative to the ingested folder)."""
    doc_id: str | None
    pending_doc_id: str | None
    fingerprint: str | None
    chunks: int


class Records:
    def __init__(self, db_path: Path, store: str) -> None:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        self._store = store
        self._db_path = db_path
        try:
            self._db = sqlite3.connect(db_path)
            self._db.execute(SCHEMA)
            self._db.execute("SELECT count(*) FROM files").fetchone()
        except sqlite3.DatabaseError as error:
            raise IngestError(
                f"le registre d'ingestion {db_path} est illisible ({error}) : "
                "relancez l'ingestion avec --rebuild pour le reconstruire"
            ) from error

    def get(self, path: str) -> FileRecord | None:
        found = self._select("path = ?", path)
        return found[0] if found else None

    def all(self) -> list[FileRecord]:
        return self._select("1 = 1")

    def with_doc_id(self, doc_id: str) -> list[FileRecord]:
        return self._select("doc_id = ?", doc_id)

    def _select(self, condition: str, *values: str) -> list[FileRecord]:
        rows = self._db.execute(
            "SELECT path, file, doc_id, pending_doc_id, fingerprint, chunks FROM files"
            f" WHERE store = ? AND {condition} ORDER BY path",
            (self._store, *values),
        ).fetchall()
        return [FileRecord(*row) for row in rows]

    def mark_pending(self, path: str, file: str, doc_id: str) -> None:
        """Called before any chunk of `doc_id` is written for `path`."""
        with self._db:
            self._db.execute(
                "INSERT INTO files (store, path, file, pending_doc_id) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (store, path) DO UPDATE SET pending_doc_id = excluded.pending_doc_id",
                (self._store, path, file, doc_id),
            )

    def commit(self, path: str, file: str, doc_id: str, fingerprint: str, chunks: int) -> None:
        """Called once every chunk of `doc_id` is stored and the previous version removed."""
        with self._db:
            self._db.execute(
                "INSERT INTO files (store, path, file, doc_id, fingerprint, chunks)"
                " VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (store, path) DO UPDATE SET file = excluded.file,"
                " doc_id = excluded.doc_id, pending_doc_id = NULL,"
                " fingerprint = excluded.fingerprint, chunks = excluded.chunks",
                (self._store, path, file, doc_id, fingerprint, chunks),
            )

    def remove(self, path: str) -> None:
        with self._db:
            self._db.execute("DELETE FROM files WHERE store = ? AND path = ?", (self._store, path))

    def clear(self) -> None:
        with self._db:
            self._db.execute("DELETE FROM files WHERE store = ?", (self._store,))

    def close(self) -> None:
        self._db.close()
