"""PDF files through pypdf: text kept page by page so answers can cite page numbers.

Properties set: `title`, `author`, `created` (ISO 8601), each only when meaningful.
Pages without a text layer (scans) are read by OCR when tesseract is available (ingest/ocr.py).
A page that cannot be read refuses the whole file: a silently partial document would answer
questions as if the missing pages did not exist. `page_count` lets the pipeline refuse a file
over CLS_MAX_PAGES before any text is extracted.
"""

from __future__ import annotations

import codecs
import io
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import DependencyError, PyPdfError

from assistant.core.config import OcrMode
from ingest import ocr
from ingest.documents import IngestError, LoadedDocument, Page
from ingest.loaders.properties import meaningful

CORRUPT = "PDF tronqué ou corrompu"
NO_TEXT = "aucune couche texte (document numérisé ?)"
# What a file named .pdf often is instead, recognised from its first bytes.
SIGNATURES = [
    (b"\x89PNG", "image PNG"),
    (b"\xff\xd8\xff", "image JPEG"),
    (b"GIF8", "image GIF"),
    (b"II*\x00", "image TIFF"),
    (b"MM\x00*", "image TIFF"),
    (b"PK\x03\x04", "archive ZIP ou document Office"),
    (b"{\\rtf", "document RTF"),
    (b"\xd0\xcf\x11\xe0", "document Office ancien format"),
]
HEADER_WINDOW = 1024  # the PDF specification tolerates a little junk before '%PDF-'


def load(path: Path, data: bytes, ocr_mode: OcrMode = "auto") -> LoadedDocument:
    if b"%PDF-" not in data[:HEADER_WINDOW]:
        raise IngestError(f"n'est pas un PDF ({_what_is(data)})")
    reader = _open(data)
    pages = [Page(number, _page_text(reader, number)) for number in range(1, _page_count(reader) + 1)]
    if not pages:
        raise IngestError("PDF sans aucune page")
    if any(not page.text.strip() for page in pages):
        pages = _with_ocr(reader, pages, ocr_mode)
    if not any(page.text.strip() for page in pages):
        raise IngestError(f"{NO_TEXT} et l'OCR n'y a lu aucun texte")
    properties = _properties(reader)
    return LoadedDocument(path=path, pages=pages, title=properties.get("title"), properties=properties)


def page_count(data: bytes) -> int | None:
    """Pages of the PDF, counted from its page tree alone: no content stream is parsed, no text
    extracted (5,000 pages: about half a second). None when the file cannot be opened: `load`
    then gives the reason."""
    if b"%PDF-" not in data[:HEADER_WINDOW]:
        return None
    try:
        return _page_count(_open(data))
    except Exception:  # whatever the damage, `load` meets it again and names it
        return None


def _open(data: bytes) -> PdfReader:
    try:
        # strict=False lets pypdf repair small damage (bad xref offsets) instead of giving up.
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError("protégé par mot de passe")
    except (DependencyError, NotImplementedError) as error:
        raise IngestError("protégé par un chiffrement non pris en charge") from error
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError) as error:
        raise IngestError(CORRUPT) from error
    return reader


def _page_count(reader: PdfReader) -> int:
    try:
        return len(reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError) as error:
        raise IngestError(CORRUPT) from error


def _page_text(reader: PdfReader, number: int) -> str:
    try:
        return reader.pages[number - 1].extract_text() or ""
    except Exception as error:  # pypdf raises many kinds of errors on damaged content streams
        raise IngestError(f"{CORRUPT} (page {number} illisible)") from error


def _with_ocr(reader: PdfReader, pages: list[Page], mode: OcrMode) -> list[Page]:
    """Pages without text read by OCR; a scanned file without OCR is refused, saying how to get it."""
    unavailable = ocr.why_unavailable(mode)
    if unavailable:
        if any(page.text.strip() for page in pages):
            return pages  # a blank or pictorial page in a text PDF is not worth refusing the file
        raise IngestError(f"{NO_TEXT} : {unavailable}")
    return [
        page if page.text.strip() else Page(page.number, ocr.page_text(reader.pages[page.number - 1], page.number))
        for page in pages
    ]


def _properties(reader: PdfReader) -> dict[str, str]:
    try:
        info = reader.metadata
        if info is None:
            return {}
        fields = {"title": info.title, "author": info.author}
        created = info.creation_date
    except Exception:  # damaged document info is not worth refusing the text for
        return {}
    if created is not None:
        fields["created"] = created.isoformat()
    return {key: clean for key, value in fields.items() if (clean := meaningful(value))}


def _what_is(data: bytes) -> str:
    for signature, name in SIGNATURES:
        if data.startswith(signature):
            return name
    head = data[:HEADER_WINDOW].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return "page HTML"
    try:
        # final=False: a multi-byte character cut by the window is not a decoding error.
        head_text = codecs.getincrementaldecoder("utf-8")().decode(data[:HEADER_WINDOW], final=False)
    except UnicodeDecodeError:
        return "format inconnu"
    return "format inconnu" if "\x00" in head_text else "texte"
