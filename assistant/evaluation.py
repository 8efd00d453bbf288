"""The evaluation every measurement of this project uses (definitions: ../shared/eval/README.md)."""

from __future__ import annotations

import re
import unicodedata

APOSTROPHES_AND_DASHES = re.compile(r"['’‘`´\-‐‑‒–—―]")
SPACE_BETWEEN_DIGITS = re.compile(r"(?<=\d)\s+(?=\d)")


def normalize(text: str) -> str:
    """NFKD, no accents, casefold, apostrophes/hyphens/dashes to spaces, `25 000` → `25000`."""
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    text = APOSTROPHES_AND_DASHES.sub(" ", text)
    text = SPACE_BETWEEN_DIGITS.sub("", text)
    return " ".join(text.split())
