"""Read the optional manifest.csv sidecar: per-file metadata a user declares, checked line by line.

Manifests are written by people: a year alone, a month, a date in words, a type of their own. A
cell that cannot be used is reported (line, column, what was done) and left to inference; one bad
row never stops a run. Only a manifest that cannot be read at all (encoding, no `file` column) is
refused, with its line number.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ingest.documents import IngestError
from ingest.metadata import DOC_TYPES, to_partial_date

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


@dataclass(frozen=True)
class ManifestWarning:
    """One cell or row the reader could not use as written, and what it did instead."""

    manifest: str
    line: int
    column: str
    value: str
    action: str
    """French: « date ignorée, déduite du document », « type remplacé par « other » »…"""

    def message(self) -> str:
        cell = f", colonne « {self.column} »" if self.column else ""
        value = f" « {self.value} »" if self.value else ""
        return f"Manifeste {self.manifest}, ligne {self.line}{cell}{value} : {self.action}."

    def to_dict(self) -> dict:
        return {"manifest": self.manifest, "line": self.line, "column": self.column, "value": self.value,
                "action": self.action, "message": self.message()}


def read_manifest(path: Path, warnings: list[ManifestWarning] | None = None) -> dict[str, dict[str, str]]:
    """Rows keyed by the `file` column as written, plus the basename when it differs and is unique.

    Empty cells are left out, so `row.get("date")` means "declared". Extra columns are kept. Cells
    and rows that cannot be used are appended to `warnings` (dropped when it is None).
    """
    warnings = [] if warnings is None else warnings
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
            row = _clean_row(record, name, line, warnings)
            if not row:
                continue
            file_name = row.get("file")
            if not file_name:
                warnings.append(ManifestWarning(name, line, "file", "", "colonne vide, ligne ignorée"))
                continue
            if file_name in rows:
                warnings.append(ManifestWarning(
                    name, line, "file", file_name, "fichier déjà décrit plus haut, ligne ignorée"))
                continue
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


def _clean_row(record: dict, name: str, line: int, warnings: list[ManifestWarning]) -> dict[str, str]:
    extra = record.pop(None, None)
    if extra:  # more cells than columns: the named ones are still read
        cells = ", ".join(str(c) for c in extra if c)
        warnings.append(ManifestWarning(name, line, "", cells, "plus de cellules que de colonnes, cellules en trop ignorées"))
    row = {key: value.strip() for key, value in record.items() if key and value and value.strip()}
    if "date" in row:
        partial = to_partial_date(row["date"])
        if partial is None:
            warnings.append(ManifestWarning(name, line, "date", row["date"], "date illisible, déduite du document"))
            del row["date"]
        else:
            row["date"] = partial
    if "doc_type" in row:
        doc_type = row["doc_type"].lower()
        doc_type = DOC_TYPE_ALIASES.get(doc_type, doc_type)
        if doc_type not in DOC_TYPES:
            warnings.append(ManifestWarning(
                name, line, "doc_type", row["doc_type"],
                f"type inconnu, remplacé par « other » (valeurs possibles : {', '.join(DOC_TYPES)})"))
            doc_type = "other"
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
