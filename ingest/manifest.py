"""Read the optional manifest.csv sidecar: per-file metadata a user declares, checked line by line.

A bad manifest must fail loudly with its line number rather than silently mislabel documents.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path, PurePosixPath

from ingest.documents import IngestError
from ingest.metadata import DOC_TYPES, to_iso_date

COLUMNS = ("file", "title", "publisher", "date", "doc_type", "territory", "url")

# French spellings a user may type in the doc_type column.
DOC_TYPE_ALIASES = {
    "contrat": "contract",
    "communique": "press_release",
    "communiqué": "press_release",
    "communiqué de presse": "press_release",
    "communique de presse": "press_release",
    "page web": "web_page",
    "autre": "other",
}


def read_manifest(path: Path) -> dict[str, dict[str, str]]:
    """Rows keyed by the `file` column as written, plus the basename when it differs and is unique.

    Empty cells are left out, so `row.get("date")` means "declared". Extra columns are kept.
    """
    name = Path(path).name
    text = _read_text(Path(path))
    reader = csv.DictReader(io.StringIO(text), delimiter=_delimiter(text))
    try:
        header = [_clean_header(column) for column in (reader.fieldnames or [])]
    except csv.Error as error:
        raise IngestError(f"Manifeste {name}, ligne 1 : en-tête illisible ({error}).") from error
    if "file" not in header:
        raise IngestError(f"Manifeste {name}, ligne 1 : colonne « file » absente de l'en-tête.")
    reader.fieldnames = header

    rows: dict[str, dict[str, str]] = {}
    try:
        for record in reader:
            line = reader.line_num
            row = _clean_row(record, name, line)
            if not row:
                continue
            file_name = row.get("file")
            if not file_name:
                raise IngestError(f"Manifeste {name}, ligne {line} : colonne « file » vide.")
            if file_name in rows:
                raise IngestError(
                    f"Manifeste {name}, ligne {line} : fichier « {file_name} » déjà décrit."
                )
            rows[file_name] = row
    except csv.Error as error:
        raise IngestError(f"Manifeste {name}, ligne {reader.line_num} : CSV illisible ({error}).") from error
    return _with_basenames(rows)


def find_row(manifest: dict[str, dict[str, str]], path: Path | str) -> dict[str, str] | None:
    """The row describing `path`: by the path as given, then by its basename."""
    as_text = str(path).replace("\\", "/")
    return manifest.get(as_text) or manifest.get(PurePosixPath(as_text).name)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise IngestError(
            f"Manifeste {path.name} illisible : encodage non UTF-8 (octet {error.start})."
        ) from error
    except OSError as error:
        raise IngestError(f"Manifeste {path.name} illisible : {error.strerror or error}.") from error


def _delimiter(text: str) -> str:
    """A spreadsheet saved in a French locale separates with ';'."""
    first_line = text.split("\n", 1)[0]
    return ";" if first_line.count(";") > first_line.count(",") else ","


def _clean_header(column: str | None) -> str:
    return (column or "").strip().lower()


def _clean_row(record: dict, name: str, line: int) -> dict[str, str]:
    if record.get(None):  # more cells than columns
        raise IngestError(f"Manifeste {name}, ligne {line} : plus de cellules que de colonnes.")
    row = {key: value.strip() for key, value in record.items() if key and value and value.strip()}
    if "date" in row:
        iso = to_iso_date(row["date"])
        if iso is None:
            raise IngestError(
                f"Manifeste {name}, ligne {line} : date invalide « {row['date']} » (attendu AAAA-MM-JJ)."
            )
        row["date"] = iso
    if "doc_type" in row:
        doc_type = row["doc_type"].lower()
        doc_type = DOC_TYPE_ALIASES.get(doc_type, doc_type)
        if doc_type not in DOC_TYPES:
            raise IngestError(
                f"Manifeste {name}, ligne {line} : type de document inconnu « {row['doc_type']} » "
                f"(valeurs possibles : {', '.join(DOC_TYPES)})."
            )
        row["doc_type"] = doc_type
    return row


def _with_basenames(rows: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """Let `manifest.get(path.name)` work when the file column holds a relative path."""
    by_basename: dict[str, list[str]] = {}
    for key in rows:
        by_basename.setdefault(PurePosixPath(key.replace("\\", "/")).name, []).append(key)
    aliased = dict(rows)
    for basename, keys in by_basename.items():
        if len(keys) == 1 and basename not in rows:
            aliased[basename] = rows[keys[0]]
    return aliased
