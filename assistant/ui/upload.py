"""Uploaded files: saved under `<data_dir>/uploads` and ingested by the same `Ingestor` as the CLI.

Keeping the files there lets the sources panel offer the original for download later. A refused
file is not kept (or the version already indexed under that name is put back), so it is not
reported again by the next upload. A file over CLS_MAX_FILE_MB is refused before being written
(the uploader already refuses it in the browser; this is the check that cannot be bypassed).
"""

from __future__ import annotations

import csv
import threading
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from assistant.access import PUBLIC
from assistant.core.config import Settings
from assistant.core.embeddings import get_embeddings
from assistant.ui.markdown import escape
from ingest.discovery import MANIFEST_NAME
from ingest.documents import IngestError
from ingest.loaders import SUPPORTED_SUFFIXES
from ingest.manifest import read_manifest
from ingest.pipeline import KEPT_NOTE, Ingestor, check_file_size
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


def ingest_uploads(
    settings: Settings, files: list[tuple[str, bytes]], progress: ProgressListener, visibility: str = PUBLIC
) -> IngestReport:
    """Save the files, ingest the uploads folder, and return the report of these files only.

    `visibility` (`public` or `internal`) goes to the folder's manifest, as a manifest column
    would for the command line: changing it later re-indexes the file with the new one."""
    folder = uploads_folder(settings)
    folder.mkdir(parents=True, exist_ok=True)
    saved: dict[str, Saved] = {}
    too_large: list[dict[str, str]] = []
    with ingest_lock():
        for name, data in files:
            name = clean_name(name)
            path = folder / name
            try:
                check_file_size(len(data), settings.max_file_mb)
            except IngestError as error:
                kept = KEPT_NOTE if path.exists() else ""  # only accepted files stay in the folder
                too_large.append({"file": name, "reason": f"{error}{kept}"})
                continue
            previous = None
            if path.exists() and name not in saved:
                previous = path.with_name(f".{name}.previous")
                path.replace(previous)
            path.write_bytes(data)
            saved[name] = Saved(name, path, previous or (saved[name].previous if name in saved else None))
        if not saved:
            return IngestReport(failed=too_large)
        before = read_visibilities(folder)
        chosen = before | dict.fromkeys(saved, visibility)
        write_visibilities(folder, chosen)
        try:
            ingestor = Ingestor(settings, get_embeddings(settings.embeddings), progress)
            report = ingestor.run([folder])
        except BaseException:
            for item in saved.values():  # nothing was decided: put every file back as it was
                if item.previous:
                    item.previous.replace(item.path)
            write_visibilities(folder, before)
            raise
        refused = {failure["file"] for failure in report.failed}
        kept = {name: value for name, value in chosen.items() if name not in refused}
        write_visibilities(folder, kept | {name: before[name] for name in refused if name in before})
        for item in saved.values():
            if item.name in refused:
                if item.previous:
                    item.previous.replace(item.path)
                else:
                    item.path.unlink(missing_ok=True)
            elif item.previous:
                item.previous.unlink(missing_ok=True)
    report = only(report, set(saved))
    report.failed = too_large + report.failed
    return report


def read_visibilities(folder: Path) -> dict[str, str]:
    """The visibility of each uploaded file, from the folder's manifest."""
    path = folder / MANIFEST_NAME
    if not path.is_file():
        return {}
    return {name: row.get("visibility", PUBLIC) for name, row in read_manifest(path).items()}


def write_visibilities(folder: Path, visibilities: dict[str, str]) -> None:
    path = folder / MANIFEST_NAME
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["file", "visibility"])
        writer.writerows(sorted(visibilities.items()))


def only(report: IngestReport, names: set[str]) -> IngestReport:
    return IngestReport(
        added=[n for n in report.added if n in names],
        updated=[n for n in report.updated if n in names],
        unchanged=[n for n in report.unchanged if n in names],
        removed=[],
        duplicates=[d for d in report.duplicates if d["file"] in names],
        failed=[f for f in report.failed if f["file"] in names],
        chunks=report.chunks,
        quarantined=[q for q in report.quarantined if q["file"] in names],
    )
