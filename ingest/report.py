"""What one ingestion run did, for the terminal, `--json` and the app."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    duplicates: list[dict[str, str]] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)
    chunks: int = 0
    """Chunks embedded and written by this run (0 when nothing changed)."""
    quarantined: list[dict] = field(default_factory=list)
    """Files written by this run with chunks that address an AI model: {"file", "chunks"}. Those
    chunks are stored but never retrieved (assistant/core/safety.py)."""
    warnings: list[dict] = field(default_factory=list)
    """Manifest cells or rows that could not be used as written: {"manifest", "line", "column",
    "value", "action", "message"} (ingest/manifest.py). The files are ingested all the same."""

    def fail(self, file: str, reason: str) -> None:
        self.failed.append({"file": file, "reason": reason})

    def quarantine(self, file: str, chunks: int) -> None:
        self.quarantined.append({"file": file, "chunks": chunks})

    def to_dict(self) -> dict:
        return {
            "added": len(self.added),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "removed": len(self.removed),
            "chunks": self.chunks,
            "failed": self.failed,
            "duplicates": self.duplicates,
            "quarantined": self.quarantined,
            "warnings": self.warnings,
        }


def quarantine_note(chunks: int) -> str:
    """« 3 extraits écartés : consignes adressées à une IA », for the terminal and the app."""
    words = "extrait écarté" if chunks == 1 else "extraits écartés"
    return f"{chunks} {words} : consignes adressées à une IA"


class ProgressListener:
    """Told what ingestion is doing; the CLI draws bars from it, the app a progress widget."""

    def files_found(self, total: int) -> None: ...

    def file_started(self, file: str) -> None: ...

    def chunks_planned(self, file: str, total: int) -> None: ...

    def chunks_written(self, file: str, count: int) -> None: ...

    def file_done(self, file: str, outcome: str) -> None: ...
