"""French words for the values the app shows (engines, dates, links); document types and filters
are named by assistant/core/doc_types.py and `Filters.describe`."""

from __future__ import annotations

from urllib.parse import urlparse

from assistant.core.config import Settings
from assistant.core.dates import french_date


def engine_label(settings: Settings) -> str:
    if settings.llm == "extractive":
        return "extractif, hors ligne (phrases citées des documents)"
    model = f" · {settings.llm_model}" if settings.llm_model else ""
    return f"génératif ({settings.llm}{model}), vérifié par citations"


def date_label(iso: str) -> str:
    return french_date(iso) if iso else "date inconnue"


def safe_url(url: str | None) -> str | None:
    """A web address from document metadata, only if it is a plain http(s) link."""
    if not url:
        return None
    parsed = urlparse(url.strip())
    return url.strip() if parsed.scheme in ("http", "https") and parsed.netloc else None
