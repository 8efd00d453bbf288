"""What a briefing note says, whatever its format: the turns in order, each with its sources."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from assistant.core.dates import french_date
from assistant.passages import Citation

TITLE = "Note de synthèse — Contrats locaux de santé de Normandie"
DISCLAIMER = "Réponse établie uniquement à partir des documents cités ; vérifiez-les avant diffusion."
NOT_FOUND = "Aucune source ne répond à cette question dans les documents indexés."
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


@dataclass(frozen=True)
class NoteTurn:
    question: str
    answer: str
    """With its `[n]` markers, as shown in the chat."""
    citations: list[Citation]
    asked_at: datetime
    understood: str = ""
    """The question as searched, when it differs from the one typed (a follow-up)."""
    filters: str = ""


@dataclass(frozen=True)
class Note:
    turns: list[NoteTurn]
    audience: str
    engine: str
    prepared_at: datetime = field(default_factory=datetime.now)
    title: str = TITLE

    @property
    def prepared(self) -> str:
        """« 27 mars 2025 à 14:05 »"""
        return f"{french_date(self.prepared_at.date().isoformat())} à {self.prepared_at:%H:%M}"

    @property
    def context(self) -> str:
        parts = ([f"profil : {self.audience}"] if self.audience else []) + [f"moteur : {self.engine}"]
        return ", ".join(parts)


def source_line(citation: Citation) -> str:
    """« ARS Normandie, 27 mars 2025, page 2, fichier x.pdf »"""
    details = [citation.publisher or "éditeur inconnu",
               french_date(citation.date) if citation.date else "date inconnue"]
    if citation.page:
        details.append(f"page {citation.page}")
    details.append(f"fichier {citation.file}")
    return ", ".join(details)


def plain(text: str) -> str:
    """Document text made safe to write into any file format: control characters (which XML
    refuses and some readers act on) removed, white space kept."""
    return _CONTROL.sub("", unicodedata.normalize("NFC", text))
