"""Plain-text files: guess the encoding, refuse binary data, keep the text as one page."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from charset_normalizer import from_bytes

from ingest.documents import IngestError, LoadedDocument, Page

# French files that are not UTF-8 are nearly always Windows-1252 or Latin-1/-9. On short texts
# charset-normalizer alone may pick a Baltic code page (cp775 for "comité"), so these go first.
WESTERN_ENCODINGS = ["cp1252", "iso8859_15", "latin_1"]
MAX_WESTERN_CHAOS = 0.1
# Control characters (except tab, newlines, form feed), C1 controls and the replacement character:
# real text has almost none of them, decoded random bytes have about one in eight.
UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")
MAX_UNPRINTABLE_SHARE = 0.01
BINARY = "fichier binaire, pas du texte"
TITLE_MAX_CHARS = 120


def load(path: Path, data: bytes) -> LoadedDocument:
    text = decode_text(data)
    return LoadedDocument(path=path, pages=[Page(None, text)], title=_title(text))


def decode_text(data: bytes) -> str:
    """The text of `data`, or IngestError when it is not text. Shared with the Markdown loader."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return _checked(data.decode(encoding, errors="replace"))
    if b"\x00" in data:
        raise IngestError(BINARY)
    try:
        return _checked(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    match = from_bytes(data, cp_isolation=WESTERN_ENCODINGS).best()
    if match is None or match.chaos > MAX_WESTERN_CHAOS:
        match = from_bytes(data).best()
    if match is None:
        raise IngestError(BINARY)
    return _checked(str(match))


def _checked(text: str) -> str:
    if text and len(UNPRINTABLE.findall(text)) / len(text) > MAX_UNPRINTABLE_SHARE:
        raise IngestError(BINARY)
    return text


def _title(text: str) -> str | None:
    """The first line, when it stands alone and reads like a title rather than a sentence."""
    lines = [line.strip() for line in text[:2000].splitlines()]
    start = next((i for i, line in enumerate(lines) if line), None)
    if start is None:
        return None
    first = lines[start]
    alone = start + 1 >= len(lines) or not lines[start + 1]
    if not alone or len(first) > TITLE_MAX_CHARS or first[-1] in ".,;:" or not first[0].isupper():
        return None
    return first
