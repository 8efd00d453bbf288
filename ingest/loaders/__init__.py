"""One loader per file format, chosen here from the file suffix.

Each loader module has `load(path, data) -> LoadedDocument` and is imported only when a file of
its format comes, so a format's library loads only when used. Whatever goes wrong inside a
loader reaches the caller as an IngestError with a short French reason, never as a crash; an
unexpected failure (a library's bug, a file shape nobody foresaw) is also logged with its trace.
"""

from __future__ import annotations

import importlib
import logging
from pathlib import Path

from assistant.core.config import OcrMode
from ingest.documents import IngestError, LoadedDocument

LOADERS = {
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".docx": "docx",
}
SUPPORTED_SUFFIXES = frozenset(LOADERS)
log = logging.getLogger(__name__)


def load(path: Path, data: bytes, ocr_mode: OcrMode = "auto") -> LoadedDocument:
    """`ocr_mode` (CLS_OCR) only matters to PDF, the one format that can hold scanned pages."""
    suffix = path.suffix.lower()
    if suffix not in LOADERS:
        raise IngestError(f"format non pris en charge ({suffix or 'sans extension'})")
    if not data:
        raise IngestError("fichier vide")
    try:
        loader = importlib.import_module(f"{__name__}.{LOADERS[suffix]}")
        if suffix == ".pdf":
            return loader.load(path, data, ocr_mode)
        return loader.load(path, data)
    except IngestError:
        raise
    except MemoryError as error:
        raise IngestError("fichier trop volumineux pour être lu") from error
    except Exception as error:
        log.warning("%s : lecture impossible (%s: %s)", path.name, type(error).__name__, error, exc_info=True)
        raise IngestError(f"fichier illisible ({type(error).__name__})") from error
