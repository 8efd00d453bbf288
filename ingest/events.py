"""« Documents changed »: what an ingestion run announces when it ends, so that the indexes derived
from the store (the catalogue, the lexical index) bring themselves up to date.

Ingestion knows none of them: a subscriber is an entry point of the group `cls_assistant.documents_changed`
(pyproject.toml), a function taking a `DocumentsChanged`. Subscribers run in the order of their
names, under the run's lock, after every file was written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import entry_points

from chromadb.api.models.Collection import Collection

from assistant.core.config import Settings

GROUP = "cls_assistant.documents_changed"


@dataclass(frozen=True)
class DocumentsChanged:
    settings: Settings
    collection: Collection
    changed: bool
    """Whether the run added, updated or removed a document (False: the store is as it was)."""
    documents: dict[str, list]
    """doc_id → [fingerprint, file name, chunk count] of every stored document, from the records."""
    revision: str | None
    """The store's revision after the run (assistant/core/store.py), None when it has none."""


Subscriber = Callable[[DocumentsChanged], None]


def subscribers() -> list[Subscriber]:
    return [point.load() for point in sorted(entry_points(group=GROUP), key=lambda point: point.name)]


def announce(event: DocumentsChanged) -> None:
    for subscriber in subscribers():
        subscriber(event)
