"""Markdown notes: YAML front matter becomes properties, the body stays Markdown text."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import frontmatter
import yaml

from ingest.documents import IngestError, LoadedDocument, Page
from ingest.loaders.text import decode_text

FIRST_TITLE = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)


def load(path: Path, data: bytes) -> LoadedDocument:
    text = decode_text(data)
    try:
        metadata, body = frontmatter.parse(text)
    except (yaml.YAMLError, TypeError, ValueError) as error:  # also front matter that is not a mapping
        raise IngestError("en-tête YAML invalide") from error
    properties = {str(key): text for key, value in metadata.items() if (text := _as_text(value))}
    heading = FIRST_TITLE.search(body)
    title = properties.get("title") or (heading.group(1) if heading else None)
    return LoadedDocument(path=path, pages=[Page(None, body)], title=title, properties=properties)


def _as_text(value: object) -> str | None:
    """Front-matter values as strings: dates in ISO form, lists joined with commas."""
    if value is None:
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ", ".join(text for item in value if (text := _as_text(item))) or None
    text = str(value).strip()
    return text or None
