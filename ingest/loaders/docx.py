"""Word documents through python-docx: paragraphs in order, headings as '#' lines, tables as rows.

Properties set: `title`, `author`, `created` (ISO 8601), each only when meaningful.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph

from ingest.documents import IngestError, LoadedDocument, Page
from ingest.loaders.properties import meaningful

HEADING_STYLE = re.compile(r"^(?:heading|titre)\s*(\d)$", re.IGNORECASE)
LIST_STYLE = re.compile(r"^list", re.IGNORECASE)
UNREADABLE = "document Word illisible ou corrompu"


def load(path: Path, data: bytes) -> LoadedDocument:
    try:
        document = Document(io.BytesIO(data))
        blocks = [_render(item) for item in document.iter_inner_content()]
        core = document.core_properties
        fields = {"title": core.title, "author": core.author,
                  "created": core.created.isoformat() if core.created else None}
    except Exception as error:  # python-docx raises zip, XML and key errors on damaged files
        raise IngestError(UNREADABLE) from error
    text = "\n\n".join(block for block in blocks if block)
    properties = {key: clean for key, value in fields.items() if (clean := meaningful(value))}
    return LoadedDocument(path=path, pages=[Page(None, text)],
                          title=properties.get("title") or _first_heading(text), properties=properties)


def _render(item: Paragraph | Table) -> str:
    if isinstance(item, Table):
        return "\n".join(_row(row) for row in item.rows)
    text = item.text.strip()
    style = item.style.name if item.style is not None else ""
    if not text:
        return ""
    if style == "Title":
        return f"# {text}"
    if heading := HEADING_STYLE.match(style):
        return f"{'#' * min(int(heading.group(1)), 6)} {text}"
    if LIST_STYLE.match(style):
        return f"- {text}"
    return text


def _row(row) -> str:
    """Cells joined with ' | '; a merged cell, which python-docx repeats, is written once."""
    cells, previous = [], None
    for cell in row.cells:
        if cell._tc is previous:  # a horizontally merged cell, listed once per grid column
            continue
        previous = cell._tc
        cells.append(" ".join(cell.text.split()))
    return " | ".join(cells)


def _first_heading(text: str) -> str | None:
    match = re.search(r"^#{1,6}\s+(.+)$", text, re.MULTILINE)
    return match.group(1).strip() if match else None
