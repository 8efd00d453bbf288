"""The CLS catalogue: one record per contract mentioned in the indexed documents, every value
cited (file, page, verbatim quote of a stored chunk).

For an app page: `catalogue_records(settings)` returns the records ready to display (statuses
relative to today, `record.to_dict()` for plain data); `load_catalogue` the records with the
counts the documents state; `timeline` and `aggregates` derive views; `find_precedents` searches
actions. Modules: patterns (French wordings), extraction (chunks → facts per document), merging
(facts of the documents a reader may see → records), status, storage (SQLite beside the store,
kept current), questions and answers (the chat), precedents, views.
"""

from __future__ import annotations

from datetime import date

from assistant.catalogue.model import Catalogue, Cited, ContractRecord, DocumentFacts, Extraction, Source, StatedCount
from assistant.catalogue.precedents import find_precedents
from assistant.catalogue.storage import CatalogueSource, build_catalogue, refresh_catalogue
from assistant.catalogue.views import TimelineEvent, aggregates, timeline
from assistant.core.config import Settings

__all__ = [
    "Catalogue", "CatalogueSource", "Cited", "ContractRecord", "DocumentFacts", "Extraction", "Source",
    "StatedCount", "TimelineEvent",
    "aggregates", "build_catalogue", "catalogue_records", "find_precedents", "load_catalogue",
    "refresh_catalogue", "timeline",
]


def load_catalogue(settings: Settings, today: date | None = None, role: str = "public") -> Catalogue:
    """The store's catalogue (rebuilt first if the store changed), statuses as of `today`, with
    only what `role` may see (assistant/access.py: public documents by default)."""
    from assistant.access import restrict
    from assistant.core.store import StoreError, chroma_client

    allowed = restrict(None, role)
    client = chroma_client(settings)
    if settings.collection not in {c.name for c in client.list_collections()}:
        raise StoreError(
            f"Aucune collection « {settings.collection} » dans la base : indexez d'abord des documents "
            "(cls-assistant ingest DOSSIER)."
        )
    collection = client.get_collection(settings.collection, embedding_function=None)
    return CatalogueSource(settings, collection, (lambda: today) if today else None).current(allowed)


def catalogue_records(settings: Settings, today: date | None = None, role: str = "public") -> list[ContractRecord]:
    """The records, sorted by territory, ready to display (`record.to_dict()` for plain data)."""
    return load_catalogue(settings, today, role).records
