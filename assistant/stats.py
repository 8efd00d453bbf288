"""What the store holds: documents and chunks, by type, publisher and territory.

Counts and lists obey the same roles as answers (assistant/access.py): a public user never learns
that an internal document exists, not even from a count.
"""

from __future__ import annotations

from collections import Counter

from chromadb.api.models.Collection import Collection

from assistant.access import PUBLIC, restrict
from assistant.core.store import stored_pages


def document_table(collection: Collection, role: str = PUBLIC) -> list[dict]:
    """One row per stored document the role may see, with its metadata and chunk count."""
    where = restrict(None, role).where()
    documents: dict[str, dict] = {}
    for page in stored_pages(collection, ["metadatas"], where):
        for metadata in page["metadatas"]:
            row = documents.setdefault(
                metadata["doc_id"],
                {key: metadata.get(key, "") for key in DOCUMENT_FIELDS} | {"chunks": 0},
            )
            row["chunks"] += 1
    return sorted(documents.values(), key=lambda row: (row["date"] or "", row["file"]), reverse=True)


DOCUMENT_FIELDS = ("file", "title", "publisher", "date", "doc_type", "territory", "url", "visibility")


def store_stats(collection: Collection, role: str = PUBLIC) -> dict:
    documents = document_table(collection, role)
    return {
        "documents": len(documents),
        "chunks": sum(row["chunks"] for row in documents),
        "by_doc_type": dict(Counter(row["doc_type"] for row in documents).most_common()),
        "by_publisher": dict(Counter(row["publisher"] for row in documents).most_common()),
        "by_territory": dict(Counter(row["territory"] for row in documents).most_common()),
    }
