"""What a search may return: territory, type, publisher, date range and the reader's visibilities.

One object for every reader of the store (retrieval, the catalogue, statistics, the app), in
Chroma's filter language (`where`) and in Python (`accepts`), described in French (`describe`).
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.core.dates import french_date
from assistant.core.doc_types import doc_type_label


@dataclass(frozen=True)
class Filters:
    territory: str | None = None
    doc_type: str | None = None
    publisher: str | None = None
    date_from: str | None = None
    """ISO date, inclusive."""
    date_to: str | None = None
    visibility: tuple[str, ...] | None = None
    """Visibilities the user may see (None: all)."""

    def where(self) -> dict | None:
        """The same conditions as `accepts`, in Chroma's filter language."""
        clauses: list[dict] = [
            {key: value}
            for key, value in (
                ("territory", self.territory),
                ("doc_type", self.doc_type),
                ("publisher", self.publisher),
            )
            if value
        ]
        if self.date_from:
            clauses.append({"date_num": {"$gte": date_number(self.date_from)}})
        if self.date_to:
            clauses.append({"date_num": {"$lte": date_number(self.date_to)}})
        if self.visibility is not None:
            clauses.append({"visibility": {"$in": list(self.visibility)}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def accepts(self, metadata: dict) -> bool:
        for key in ("territory", "doc_type", "publisher"):
            wanted = getattr(self, key)
            if wanted and metadata.get(key) != wanted:
                return False
        date_num = metadata.get("date_num")
        if self.date_from and (date_num is None or date_num < date_number(self.date_from)):
            return False
        if self.date_to and (date_num is None or date_num > date_number(self.date_to)):
            return False
        if self.visibility is not None and metadata.get("visibility", "public") not in self.visibility:
            return False
        return True

    def describe(self) -> str:
        """« territoire : Le Havre · type : Contrat » — empty when nothing is filtered."""
        parts = []
        if self.territory:
            parts.append(f"territoire : {self.territory}")
        if self.doc_type:
            parts.append(f"type : {doc_type_label(self.doc_type)}")
        if self.publisher:
            parts.append(f"éditeur : {self.publisher}")
        if self.date_from:
            parts.append(f"depuis le {french_date(self.date_from)}")
        if self.date_to:
            parts.append(f"jusqu'au {french_date(self.date_to)}")
        return " · ".join(parts)


def date_number(iso: str) -> int:
    """« 2025-02-01 » → 20250201, as chunks store their date (`date_num`) for range filters."""
    return int(iso[:10].replace("-", ""))
