"""One ingestion run: files → loaded → cleaned → described → chunked → embedded → stored.

Idempotent and interruption-safe:
- a file is known by its absolute path; its `doc_id` is the hash of its bytes, and its chunks have
  the stable ids `<doc_id>:<chunk index>`, so writing a document twice writes the same records;
- an unchanged file (same fingerprint: bytes, declared metadata, pipeline and model) is skipped
  without being parsed or embedded;
- a new version is written completely before the old one is deleted and the record committed; the
  record notes the version being written first, so a run killed half-way is undone by the next;
- a file that can no longer be read keeps its previously stored version;
- a chunk that gives orders to an AI model (assistant/core/safety.py) is stored with the
  mark `addresses_model: True` and reported: retrieval never returns it, so it changes no answer;
- limits bite before the cost: a file over CLS_MAX_FILE_MB is refused from its size, before its
  bytes are read; a PDF over CLS_MAX_PAGES from its page tree, before any text is extracted;
- one run at a time per data folder (ingest/lock.py).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path

from assistant.core.config import Settings
from assistant.core.dates import first_day
from assistant.core.embeddings import TokenizingEmbeddings
from assistant.core.safety import QUARANTINE_KEY, addresses_a_model
from assistant.core.sentence_index import SentenceIndex, drop_sentence_index
from assistant.core.store import (
    chroma_client,
    drop_collection,
    mark_changed,
    open_collection,
    store_key,
    store_revision,
)
from ingest.chunking import Chunk, chunk_pages
from ingest.cleaning import clean_document
from ingest.discovery import SourceFile, default_manifest, discover, within
from ingest.documents import IngestError
from ingest.events import DocumentsChanged, announce
from ingest.loaders import load
from ingest.lock import ingest_lock
from ingest.manifest import ManifestWarning, read_manifest
from ingest.metadata import infer_metadata
from ingest.quality import check_informative
from ingest.records import FileRecord, Records
from ingest.report import IngestReport, ProgressListener

PIPELINE_VERSION = "3"
"""Bump when loading, cleaning or chunking changes what is stored: every file is then re-ingested
and re-embedded. Not bumped for the quarantine mark (cheap to add, costly to force on every store):
chunks stored before it get it at their file's next change or the store's next `--rebuild`."""
MB = 1024 * 1024
TOKEN_COUNTS_KEPT = 65536
"""Token counts remembered while one document is chunked."""
KEPT_NOTE = " (la version déjà indexée est conservée)"


class Ingestor:
    def __init__(
        self,
        settings: Settings,
        embeddings: TokenizingEmbeddings,
        progress: ProgressListener | None = None,
        rebuild: bool = False,
    ) -> None:
        self.settings = settings
        self.embeddings = embeddings
        self.progress = progress or ProgressListener()
        client = chroma_client(settings)
        if rebuild:
            with ingest_lock(settings.data_dir):  # never drop what another run is writing
                drop_collection(client, settings)
                drop_sentence_index(client, settings.collection)
                self.collection = open_collection(client, settings, embeddings)
                self.records = _open_records(settings, reset=True)
        else:
            self.collection = open_collection(client, settings, embeddings)
            self.records = _open_records(settings, reset=False)
        self.sentences = SentenceIndex.open(client, settings.collection, embeddings.model_id)

    def run(
        self, roots: list[Path], manifest: Path | None = None, sync: bool = False
    ) -> IngestReport:
        with ingest_lock(self.settings.data_dir):
            return self._run(roots, manifest, sync)

    def _run(self, roots: list[Path], manifest: Path | None, sync: bool) -> IngestReport:
        report = IngestReport()
        self._undo_interrupted_writes()
        manifest = manifest or default_manifest(roots)
        warnings: list[ManifestWarning] = []
        declared_by_name = read_manifest(manifest, warnings) if manifest else {}
        report.warnings = [warning.to_dict() for warning in warnings]
        sources = discover(roots)
        self.progress.files_found(len(sources))
        claimed: dict[str, str] = {}  # doc_id -> name of the file that stores it in this run
        for source in sources:
            self.progress.file_started(source.name)
            declared = declared_by_name.get(source.name) or declared_by_name.get(source.path.name)
            outcome = self._ingest_file(source, declared or {}, claimed, report)
            self.progress.file_done(source.name, outcome)
        if sync:
            seen = {str(source.path) for source in sources}
            for record in self.records.all():
                if record.path not in seen and within(Path(record.path), roots):
                    self._remove(record)
                    report.removed.append(record.file)
                    self._changed()
        self._announce(changed=bool(report.added or report.updated or report.removed))
        return report

    def _announce(self, changed: bool) -> None:
        """Tells the store's derived indexes (ingest/events.py) how this run leaves the store."""
        docs = {r.doc_id: [r.fingerprint, r.file, r.chunks] for r in self.records.all() if r.doc_id and r.chunks}
        revision = store_revision(chroma_client(self.settings), self.settings)
        announce(DocumentsChanged(self.settings, self.collection, changed, docs, revision))

    def _ingest_file(
        self,
        source: SourceFile,
        declared: dict[str, str],
        claimed: dict[str, str],
        report: IngestReport,
    ) -> str:
        record = self.records.get(str(source.path))
        try:
            data = _read_bytes(source.path, self.settings.max_file_mb)
        except IngestError as error:
            report.fail(source.name, _kept_note(str(error), record))
            return "failed"
        doc_id = hashlib.sha256(data).hexdigest()[:24]
        fingerprint = self._fingerprint(doc_id, declared)

        original = claimed.get(doc_id) or self._stored_elsewhere(doc_id, source)
        if original:
            self.records.commit(str(source.path), source.name, doc_id, fingerprint, chunks=0)
            report.duplicates.append({"file": source.name, "duplicate_of": original})
            return "duplicate"
        claimed[doc_id] = source.name

        if record and record.fingerprint == fingerprint and self._fully_stored(record):
            report.unchanged.append(source.name)
            return "unchanged"
        try:
            written, quarantined = self._write_document(source, data, doc_id, fingerprint, declared, record)
        except IngestError as error:
            report.fail(source.name, _kept_note(str(error), record))
            return "failed"
        self._changed()
        report.chunks += written
        if quarantined:
            report.quarantine(source.name, quarantined)
        (report.updated if record and record.doc_id else report.added).append(source.name)
        return "updated" if record and record.doc_id else "added"

    def _write_document(
        self,
        source: SourceFile,
        data: bytes,
        doc_id: str,
        fingerprint: str,
        declared: dict[str, str],
        record: FileRecord | None,
    ) -> tuple[int, int]:
        """Chunks written, and how many of them are quarantined."""
        if source.path.suffix.lower() == ".pdf":  # the one paged format
            # Imported here: a format's library loads only when one of its files comes.
            from ingest.loaders import pdf

            check_page_count(pdf.page_count(data), self.settings.max_pages)
        document = clean_document(load(source.path, data, self.settings.ocr))
        check_informative(document.text)
        metadata = document_metadata(document, source.name, declared)
        chunks = chunk_pages(
            document.pages,
            # The splitter measures each piece more than once (splitting, then merging): each once.
            lru_cache(maxsize=TOKEN_COUNTS_KEPT)(self.embeddings.count_tokens),
            self.settings.chunk_tokens,
            self.settings.chunk_overlap_tokens,
        )
        metadatas = {chunk.index: chunk_metadata(chunk, doc_id, metadata) for chunk in chunks}
        self.progress.chunks_planned(source.name, len(chunks))
        self.records.mark_pending(str(source.path), source.name, doc_id)
        for batch in _batches(chunks, self.settings.embed_batch_size):
            if self.settings.sentence_vectors:  # first: a chunk in the store has its sentence vectors
                self.sentences.add([chunk.text for chunk in batch], self.embeddings.embed_documents)
            vectors = self.embeddings.embed_documents(
                [embedding_text(chunk, metadata) for chunk in batch]
            )
            self.collection.upsert(
                ids=[chunk_id(doc_id, chunk.index) for chunk in batch],
                embeddings=vectors,
                documents=[chunk.text for chunk in batch],
                metadatas=[metadatas[chunk.index] for chunk in batch],
            )
            self.progress.chunks_written(source.name, len(batch))
        # A shorter new version of the same bytes (new chunk settings) leaves no tail behind.
        self.collection.delete(
            where={"$and": [{"doc_id": doc_id}, {"chunk_index": {"$gte": len(chunks)}}]}
        )
        if record and record.doc_id and record.doc_id != doc_id:
            self._delete_unless_used(record.doc_id, record.path)
        self.records.commit(str(source.path), source.name, doc_id, fingerprint, len(chunks))
        return len(chunks), sum(QUARANTINE_KEY in values for values in metadatas.values())

    def _changed(self) -> None:
        """Tells readers (the app, maybe in another process) to rebuild what they hold."""
        mark_changed(self.collection, self.embeddings.model_id)

    def _fingerprint(self, doc_id: str, declared: dict[str, str]) -> str:
        parts = [
            doc_id,
            json.dumps(declared, sort_keys=True, ensure_ascii=False),
            PIPELINE_VERSION,
            self.embeddings.model_id,
            str(self.settings.chunk_tokens),
            str(self.settings.chunk_overlap_tokens),
        ]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:24]

    def _fully_stored(self, record: FileRecord) -> bool:
        """The record's last chunk is in the store (it may have been wiped or rebuilt meanwhile)."""
        if not record.doc_id or record.chunks == 0:
            return False
        last = chunk_id(record.doc_id, record.chunks - 1)
        return bool(self.collection.get(ids=[last], include=[])["ids"])

    def _stored_elsewhere(self, doc_id: str, source: SourceFile) -> str | None:
        """Name of another, still existing, file whose identical bytes are already stored."""
        for other in self.records.with_doc_id(doc_id):
            if other.chunks > 0 and other.path != str(source.path) and Path(other.path).exists():
                return other.file
        return None

    def _remove(self, record: FileRecord) -> None:
        self.records.remove(record.path)
        if not record.doc_id or record.chunks == 0:
            return
        heir = next(iter(self.records.with_doc_id(record.doc_id)), None)
        if heir is None:
            self.collection.delete(where={"doc_id": record.doc_id})
            return
        # A duplicate of the removed file survives: its chunks now speak in its name.
        stored = self.collection.get(where={"doc_id": record.doc_id}, include=["metadatas"])
        for metadata in stored["metadatas"]:
            metadata["file"] = heir.file
        self.collection.update(ids=stored["ids"], metadatas=stored["metadatas"])
        self.records.commit(heir.path, heir.file, record.doc_id, heir.fingerprint, record.chunks)

    def _delete_unless_used(self, doc_id: str, by_path: str) -> None:
        if not any(r.path != by_path for r in self.records.with_doc_id(doc_id)):
            self.collection.delete(where={"doc_id": doc_id})

    def _undo_interrupted_writes(self) -> None:
        """Delete what a killed run had started writing; the file is then ingested afresh."""
        committed = {r.doc_id for r in self.records.all() if r.doc_id}
        for record in self.records.all():
            if record.pending_doc_id and record.pending_doc_id not in committed:
                self.collection.delete(where={"doc_id": record.pending_doc_id})
                self._changed()
            if record.pending_doc_id:
                if record.doc_id:
                    self.records.commit(
                        record.path, record.file, record.doc_id, "", record.chunks
                    )
                else:
                    self.records.remove(record.path)


def document_metadata(document, file_name: str, declared: dict[str, str]) -> dict[str, str]:
    """Manifest row > the file's own declarations (front matter) > inference."""
    merged = {**document.properties, **declared}
    described = asdict(infer_metadata(document, file_name, merged))
    described["visibility"] = merged.get("visibility", "public")
    described["file"] = file_name
    return {key: value for key, value in described.items() if value is not None}


def chunk_metadata(chunk: Chunk, doc_id: str, metadata: dict[str, str]) -> dict:
    values = {
        **metadata,
        "doc_id": doc_id,
        "chunk_index": chunk.index,
        "section": chunk.section,
    }
    if chunk.page is not None:
        values["page"] = chunk.page
        values["page_end"] = chunk.page_end
    if chunk.page_breaks:
        values["page_breaks"] = encode_page_breaks(chunk.page_breaks)
    if addresses_a_model(chunk.text):
        values[QUARANTINE_KEY] = True  # only then: the other chunks' metadata stays as it was
    if metadata.get("date"):
        # Chroma compares numbers only: the date as YYYYMMDD makes date ranges filterable; a year or
        # a month alone counts as its first day, so « 2025 » is in a filter on 2025.
        values["date_num"] = int(first_day(metadata["date"]).strftime("%Y%m%d"))
    return values


def encode_page_breaks(breaks: tuple[tuple[int, int], ...]) -> str:
    """Chroma metadata holds scalars only: « offset:page » pairs, comma-separated."""
    return ",".join(f"{offset}:{page}" for offset, page in breaks)


def embedding_text(chunk: Chunk, metadata: dict[str, str]) -> str:
    """The chunk as embedded: its document title and section give the model the context."""
    header = " — ".join(part for part in (metadata.get("title"), chunk.section) if part)
    return f"{header}\n\n{chunk.text}" if header else chunk.text


def chunk_id(doc_id: str, index: int) -> str:
    return f"{doc_id}:{index}"


def check_file_size(size: int, max_mb: float) -> None:
    """Refuses a file over CLS_MAX_FILE_MB from its size alone, so its bytes are never held."""
    if size > max_mb * MB:
        raise IngestError(
            f"fichier trop volumineux ({_megabytes(size / MB)} Mo pour {_megabytes(max_mb)} Mo au plus, "
            "réglage CLS_MAX_FILE_MB)"
        )


def check_page_count(pages: int | None, max_pages: int) -> None:
    """Refuses a document over CLS_MAX_PAGES; None (pages not counted) is left to the loader."""
    if pages is not None and pages > max_pages:
        raise IngestError(f"trop de pages ({pages} pour {max_pages} au plus, réglage CLS_MAX_PAGES)")


def _megabytes(value: float) -> str:
    """« 200 », « 1,5 » (French decimal comma, no trailing zero)."""
    return f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",")


def _read_bytes(path: Path, max_mb: float) -> bytes:
    try:
        with path.open("rb") as file:
            size = os.fstat(file.fileno()).st_size
            check_file_size(size, max_mb)
            data = file.read(size + 1)
            if len(data) > size:  # the file grew since: read on, never past the limit
                data += file.read(int(max_mb * MB) + 1 - len(data))
        check_file_size(len(data), max_mb)
        return data
    except OSError as error:
        raise IngestError(f"fichier illisible ({error.strerror or error})") from error


def _kept_note(reason: str, record: FileRecord | None) -> str:
    if record and record.doc_id and record.chunks:
        return reason + KEPT_NOTE
    return reason


def _batches(chunks: list[Chunk], size: int) -> Iterator[list[Chunk]]:
    for start in range(0, len(chunks), size):
        yield chunks[start : start + size]


def _open_records(settings: Settings, reset: bool) -> Records:
    key = store_key(settings)
    if reset:
        try:
            records = Records(settings.records_path, key)
        except IngestError:
            settings.records_path.unlink()  # unreadable: --rebuild starts it afresh
            records = Records(settings.records_path, key)
        records.clear()
        return records
    return Records(settings.records_path, key)
