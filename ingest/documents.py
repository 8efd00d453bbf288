"""The shapes that flow through ingestion: what a loader returns and how it fails."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from assistant.core.errors import AssistantError


class IngestError(AssistantError):
    """A file that cannot be ingested. The message is the one-line French reason shown to users."""


@dataclass(frozen=True)
class Page:
    """Text of one page. `number` is 1-based for paged formats (PDF), None otherwise.

    Paragraphs are separated by a blank line; headings are lines starting with '#' marks
    (Markdown style), so the chunker can find sections whatever the source format.
    """

    number: int | None
    text: str


@dataclass
class LoadedDocument:
    """A file as read by its loader, before cleaning and metadata inference."""

    path: Path
    pages: list[Page]
    title: str | None = None
    # Metadata the file declares itself: YAML front matter, PDF document info, HTML <meta>.
    properties: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "\n\n".join(page.text for page in self.pages)
