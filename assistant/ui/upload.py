"""Uploaded files: saved under `<data_dir>/uploads` and ingested by the same `Ingestor` as the CLI.

Keeping the files there lets the sources panel offer the original for download later. A refused
file is not kept (or the version already indexed under that name is put back), so it is not
reported again by the next upload.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from assistant.config import Settings
from assistant.embeddings import get_embeddings
from assistant.ui.markdown import escape
from ingest.loaders import SUPPORTED_SUFFIXES
from ingest.pipeline import Ingestor
from ingest.report import IngestReport, ProgressListener

ACCEPTED = sorted(suffix.lstrip(".") for suffix in SUPPORTED_SUFFIXES)


@st.cache_resource
def ingest_lock() -> threading.Lock:
    """One ingestion at a time in this process, whichever browser session asks."""
    return threading.Lock()


def uploads_folder(settings: Settings) -> Path:
    return settings.data_dir / "uploads"


def clean_name(name: str) -> str:
    """The file name alone: no folder, no hidden-file dot, nothing that climbs out of the folder."""
    base = Path(name.replace("\\", "/")).name.strip().lstrip(".").strip()
    return base or "document"


class BarProgress(ProgressListener):
    """Draws ingestion progress on an `st.progress` bar: files done plus the current file's chunks."""

    def __init__(self, bar) -> None:
        self.bar = bar
        self.total = self.done = self.planned = self.written = 0
        self.current = ""

    def files_found(self, total: int) -> None:
        self.total = total
        self._draw()

    def file_started(self, file: str) -> None:
        self.current, self.planned, self.written = file, 0, 0
        self._draw()

    def chunks_planned(self, file: str, total: int) -> None:
        self.planned = total

    def chunks_written(self, file: str, count: int) -> None:
        self.written += count
        self._draw()

    def file_done(self, file: str, outcome: str) -> None:
        self.done += 1
        self.planned = self.written = 0
        self._draw()

    def _draw(self) -> None:
        within = self.written / self.planned if self.planned else 0.0
        fraction = min(1.0, (self.done + within) / self.total) if self.total else 0.0
        step = f"{escape(self.current)} — " if self.current and self.done < self.total else ""
        self.bar.progress(fraction, text=f"Indexation : {step}{self.done}/{self.total} fichiers")


@dataclass
class Saved:
    name: str
    path: Path
    previous: Path | None
    """The file of the same name that was there before (put back if the new one is refused)."""


def ingest_uploads(settings: Settings, files: list[tuple[str, bytes]], progress: ProgressListener) -> IngestReport:
    """Save the files, ingest the uploads folder, and return the report of these files only."""
    folder = uploads_folder(settings)
    folder.mkdir(parents=True, exist_ok=True)
    saved: dict[str, Saved] = {}
    with ingest_lock():
        for name, data in files:
            name = clean_name(name)
            path = folder / name
            previous = None
            if path.exists() and name not in saved:
                previous = path.with_name(f".{name}.previous")
                path.replace(previous)
            path.write_bytes(data)
            saved[name] = Saved(name, path, previous or (saved[name].previous if name in saved else None))
        try:
            ingestor = Ingestor(settings, get_embeddings(settings.embeddings), progress)
            report = ingestor.run([folder])
        except BaseException:
            for item in saved.values():  # nothing was decided: put every file back as it was
                if item.previous:
                    item.previous.replace(item.path)
            raise
        refused = {failure["file"] for failure in report.failed}
        for item in saved.values():
            if item.name in refused:
                if item.previous:
                    item.previous.replace(item.path)
                else:
                    item.path.unlink(missing_ok=True)
            elif item.previous:
                item.previous.unlink(missing_ok=True)
    return only(report, set(saved))


def only(report: IngestReport, names: set[str]) -> IngestReport:
    return IngestReport(
        added=[n for n in report.added if n in names],
        updated=[n for n in report.updated if n in names],
        unchanged=[n for n in report.unchanged if n in names],
        removed=[],
        duplicates=[d for d in report.duplicates if d["file"] in names],
        failed=[f for f in report.failed if f["file"] in names],
        chunks=report.chunks,
    )
