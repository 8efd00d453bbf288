"""The layers point one way: `assistant.core` stands alone, `ingest` stands on the core only.

The graph of imports is built by grimp (the engine of import-linter) from the source, so a new
module is checked the day it is written.
"""

from __future__ import annotations

import re
from pathlib import Path

import grimp
import pytest

CORE = "assistant.core"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("assistant", "ingest")


def _imports_outside(graph: grimp.ImportGraph, package: str, allowed: tuple[str, ...]) -> set[str]:
    """'a -> b' for every import of a module of `package` that is not under one of `allowed`."""
    found = set()
    for module in graph.find_descendants(package) | {package}:
        for imported in graph.find_modules_directly_imported_by(module):
            if not any(imported == root or imported.startswith(root + ".") for root in allowed):
                found.add(f"{module} -> {imported}")
    return found


def test_ingestion_imports_only_the_core(graph):
    assert _imports_outside(graph, "ingest", ("ingest", CORE)) == set()


def test_the_core_imports_nothing_above_it(graph):
    assert _imports_outside(graph, CORE, (CORE,)) == set()


def test_the_check_sees_an_import_across_layers(graph):
    """The check itself can fail: the answering side does import the core and ingestion."""
    crossing = _imports_outside(graph, "assistant.cli", (CORE,))
    assert "assistant.cli -> ingest.pipeline" in crossing


def test_ingestion_tells_the_derived_indexes_through_its_hook():
    """The catalogue and the lexical index are subscribers (pyproject.toml), not imports of ingest/."""
    from assistant import lexical_index
    from assistant.catalogue import storage
    from ingest.events import subscribers

    assert subscribers() == [storage.on_documents_changed, lexical_index.on_documents_changed]


def _modules_named_in_readme() -> set[str]:
    """Names in the first cell of README's table rows: `x.py`, `folder/x.py` or a whole `folder/`."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    cells = [line.split("|")[1] for line in readme.splitlines() if line.startswith("| `")]
    return {name for cell in cells for name in re.findall(r"`([\w./]+)`", cell)}


def test_readme_module_tables_match_the_tree():
    """Every module is in a README table, and every module a table names exists."""
    named = _modules_named_in_readme()
    modules = [p for root in ("assistant", "ingest") for p in (ROOT / root).rglob("*.py") if p.name != "__init__.py"]
    unnamed = []
    for module in modules:
        parts = module.relative_to(ROOT).parts
        spellings = {"/".join(parts[i:]) for i in range(len(parts))} | {"/".join(parts[i:-1]) + "/" for i in range(1, len(parts) - 1)}
        if not spellings & named:
            unnamed.append("/".join(parts))
    assert unnamed == []
    tree = {"/".join(p.relative_to(ROOT).parts[i:]) for p in modules for i in range(len(p.relative_to(ROOT).parts))}
    elsewhere = ("", "tests", "bench", "assistant", "assistant/ui", "assistant/core", "assistant/catalogue")
    stale = {name for name in named if name.endswith(".py") and name not in tree
             and not any((ROOT / folder / name).exists() for folder in elsewhere)}
    assert stale == set()
