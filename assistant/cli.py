"""The `cls-assistant` command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from assistant.config import ConfigError, get_settings
from assistant.embeddings import get_embeddings
from assistant.progress import RichProgress
from assistant.stats import store_stats
from assistant.store import StoreError, chroma_client, open_collection
from ingest.documents import IngestError
from ingest.pipeline import Ingestor

app = typer.Typer(help="Assistant des Contrats Locaux de Santé (CLS) de Normandie.", no_args_is_help=True)
out = Console(soft_wrap=True)
err = Console(stderr=True)


def _fail(message: str, code: int = 2) -> None:
    err.print(f"[bold red]Erreur :[/] {message}")
    raise typer.Exit(code)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Fichiers ou dossiers à indexer.", exists=True)],
    manifest: Annotated[Path | None, typer.Option(help="Fichier manifest.csv des métadonnées.", exists=True, dir_okay=False)] = None,
    sync: Annotated[bool, typer.Option("--sync", help="Retirer les documents qui ne sont plus dans ces dossiers.")] = False,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Tout réindexer depuis zéro.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Rapport en JSON.")] = False,
) -> None:
    """Indexer des documents (PDF, HTML, Markdown, texte, Word) dans la base."""
    settings = get_settings()
    try:
        with RichProgress(err, enabled=not as_json and err.is_terminal) as progress:
            ingestor = Ingestor(settings, get_embeddings(settings.embeddings), progress, rebuild)
            report = ingestor.run(paths, manifest=manifest, sync=sync)
    except (IngestError, StoreError, ConfigError) as error:
        _fail(str(error))
    except KeyboardInterrupt:
        _fail("ingestion interrompue : relancez la même commande pour la terminer.", 130)
    if as_json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return
    summary = report.to_dict()
    out.print(
        f"Ajoutés : {summary['added']} · mis à jour : {summary['updated']} · inchangés : "
        f"{summary['unchanged']} · retirés : {summary['removed']} · doublons : "
        f"{len(report.duplicates)} · échecs : {len(report.failed)} · extraits indexés : {report.chunks}"
    )
    for duplicate in report.duplicates:
        out.print(Text.assemble(("  doublon ", "yellow"), f"{duplicate['file']} : même contenu que {duplicate['duplicate_of']}"))
    for failure in report.failed:
        out.print(Text.assemble(("  échec ", "red"), f"{failure['file']} : {failure['reason']}"))


@app.command()
def stats(as_json: Annotated[bool, typer.Option("--json", help="Sortie JSON.")] = False) -> None:
    """Documents et extraits indexés, par type, éditeur et territoire."""
    settings = get_settings()
    try:
        collection = open_collection(chroma_client(settings), settings, get_embeddings(settings.embeddings))
    except (StoreError, ConfigError) as error:
        _fail(str(error))
    figures = store_stats(collection)
    if as_json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
        return
    out.print(f"Documents : {figures['documents']} · extraits : {figures['chunks']}")
    for key, label in (("by_doc_type", "Type"), ("by_publisher", "Éditeur"), ("by_territory", "Territoire")):
        table = Table(label, "Documents")
        for value, count in figures[key].items():
            table.add_row(value or "—", str(count))
        out.print(table)


def main() -> None:  # pragma: no cover - console entry point
    sys.exit(app())

if __name__ == "__main__":
    main()
