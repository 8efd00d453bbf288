"""Which files an ingestion run looks at, and the name each one is known by."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MANIFEST_NAME = "manifest.csv"


@dataclass(frozen=True)
class SourceFile:
    path: Path
    """Absolute path: identifies the file across runs."""
    name: str
    """Path relative to the folder given by the user: what users and citations see."""


def discover(roots: list[Path]) -> list[SourceFile]:
    """Every visible file under `roots` (folders are walked recursively), in a stable order."""
    found: dict[Path, SourceFile] = {}
    for root in roots:
        root = root.resolve()
        if root.is_file():
            found.setdefault(root, SourceFile(root, root.name))
            continue
        for path in sorted(root.rglob("*")):
            relative = path.relative_to(root)
            if path.is_file() and not _hidden(relative) and path.name != MANIFEST_NAME:
                found.setdefault(path, SourceFile(path, relative.as_posix()))
    return list(found.values())


def within(path: Path, roots: list[Path]) -> bool:
    """Whether `path` is one of `roots` or lies below one: the scope of `--sync`."""
    resolved = [root.resolve() for root in roots]
    return any(path == root or root in path.parents for root in resolved)


def default_manifest(roots: list[Path]) -> Path | None:
    """A `manifest.csv` lying in the (single) folder being ingested, if any."""
    for root in roots:
        candidate = root / MANIFEST_NAME
        if root.is_dir() and candidate.is_file():
            return candidate
    return None


def _hidden(relative: Path) -> bool:
    return any(part.startswith((".", "~$")) for part in relative.parts)
