"""Progress bars for ingestion in a terminal: one for the files, one for the current file's chunks."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ingest.report import ProgressListener


class RichProgress(ProgressListener):
    def __init__(self, console: Console, enabled: bool = True) -> None:
        self._bars = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            disable=not enabled,
        )
        self._files = self._bars.add_task("Fichiers", total=None)
        self._chunks = self._bars.add_task("Extraits", total=None, visible=False)

    def __enter__(self) -> RichProgress:
        self._bars.__enter__()
        return self

    def __exit__(self, *exc_info) -> None:
        self._bars.__exit__(*exc_info)

    def files_found(self, total: int) -> None:
        self._bars.update(self._files, total=total)

    def file_started(self, file: str) -> None:
        self._bars.update(self._files, description=f"Fichiers ({file})")

    def chunks_planned(self, file: str, total: int) -> None:
        self._bars.reset(self._chunks, total=total, visible=True, description="  extraits intégrés")

    def chunks_written(self, file: str, count: int) -> None:
        self._bars.advance(self._chunks, count)

    def file_done(self, file: str, outcome: str) -> None:
        self._bars.advance(self._files)
        self._bars.update(self._chunks, visible=False)
