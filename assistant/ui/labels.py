"""French words for the values the store holds (document types, engines, filters)."""

from __future__ import annotations

from urllib.parse import urlparse

from assistant.config import Settings
from assistant.dates import french_date
from assistant.retrieval import Filters

DOC_TYPES = {
    "contract": "Contrat",
    "guide": "Guide",
    "press_release": "Communiqué de presse",
    "web_page": "Page web",
    "other": "Autre document",
}


def doc_type_label(doc_type: str) -> str:
    return DOC_TYPES.get(doc_type, doc_type or "Non précisé")


def engine_label(settings: Settings) -> str:
    if settings.llm == "extractive":
        return "extractif, hors ligne (phrases citées des documents)"
    model = f" · {settings.llm_model}" if settings.llm_model else ""
    return f"génératif ({settings.llm}{model}), vérifié par citations"


def date_label(iso: str) -> str:
    return french_date(iso) if iso else "date inconnue"


def describe_filters(filters: Filters | None) -> str:
    """« territoire : Le Havre · type : Contrat » — empty when nothing is filtered."""
    if filters is None:
        return ""
    parts = []
    if filters.territory:
        parts.append(f"territoire : {filters.territory}")
    if filters.doc_type:
        parts.append(f"type : {doc_type_label(filters.doc_type)}")
    if filters.publisher:
        parts.append(f"éditeur : {filters.publisher}")
    if filters.date_from:
        parts.append(f"depuis le {french_date(filters.date_from)}")
    if filters.date_to:
        parts.append(f"jusqu'au {french_date(filters.date_to)}")
    return " · ".join(parts)


def safe_url(url: str | None) -> str | None:
    """A web address from document metadata, only if it is a plain http(s) link."""
    if not url:
        return None
    parsed = urlparse(url.strip())
    return url.strip() if parsed.scheme in ("http", "https") and parsed.netloc else None
