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

from assistant.answering import QuestionError
from assistant.config import ConfigError, get_settings
from assistant.evaluation import METRICS, run_evaluation
from assistant.retrieval import Filters
from assistant.service import load_assistant
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


def _filters(territory, doc_type, publisher, since, until) -> Filters:
    return Filters(territory=territory, doc_type=doc_type, publisher=publisher, date_from=since, date_to=until)


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="La question, en français.")],
    territory: Annotated[str | None, typer.Option(help="Limiter à un territoire.")] = None,
    doc_type: Annotated[str | None, typer.Option(help="contract, guide, press_release, web_page, other.")] = None,
    publisher: Annotated[str | None, typer.Option(help="Limiter à un éditeur.")] = None,
    since: Annotated[str | None, typer.Option(help="Documents publiés depuis (AAAA-MM-JJ).")] = None,
    until: Annotated[str | None, typer.Option(help="Documents publiés jusqu'au (AAAA-MM-JJ).")] = None,
    audience: Annotated[str, typer.Option(help="coordinateur, elu ou ars : le style de réponse.")] = "",
    as_json: Annotated[bool, typer.Option("--json", help="Réponse en JSON.")] = False,
) -> None:
    """Poser une question : réponse citée, ou « je n'ai pas trouvé »."""
    try:
        answer = load_assistant(get_settings()).ask(
            question, _filters(territory, doc_type, publisher, since, until), audience=audience
        )
    except (StoreError, ConfigError, QuestionError) as error:
        _fail(str(error))
    if as_json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return
    out.print(Text(answer.answer))
    for citation in answer.citations:
        where = f", p. {citation.page}" if citation.page else ""
        out.print(Text(f"\n[{citation.n}] {citation.title} — {citation.publisher}, {citation.date}{where}", style="bold"))
        out.print(Text(f"    « {citation.quote} »", style="dim"))


@app.command(name="eval")
def evaluate_command(
    questions: Annotated[Path, typer.Argument(help="Fichier questions.jsonl.", exists=True, dir_okay=False)],
    corpus: Annotated[Path | None, typer.Option(help="Indexer d'abord ce dossier dans une base jetable.", exists=True, file_okay=False)] = None,
    baseline: Annotated[str | None, typer.Option(help="« naive » : mesurer aussi la chaîne LangChain naïve.")] = None,
    k: Annotated[int, typer.Option(help="k de hit@k.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Métriques en JSON.")] = False,
) -> None:
    """Évaluer l'assistant sur des questions (métriques de ../shared/eval/README.md)."""
    if baseline not in (None, "naive"):
        _fail("--baseline n'accepte que « naive ».")
    try:
        results = run_evaluation(get_settings(), questions, corpus, baseline == "naive", k)
    except (StoreError, ConfigError, IngestError) as error:
        _fail(str(error))
    if as_json:
        print(json.dumps(results["ours"] if not baseline else results, ensure_ascii=False, indent=2))
        return
    table = Table("Métrique", "Notre assistant", *(["Naïf", "Rapport"] if baseline else []))
    for metric in METRICS:
        ours = results["ours"][metric]
        row = [metric, f"{ours:.3f}"]
        if baseline:
            naive = results["naive"][metric]
            row += [f"{naive:.3f}", f"{ours / naive:.2f}" if naive else "—"]
        table.add_row(*row)
    out.print(table)


def main() -> None:  # pragma: no cover - console entry point
    sys.exit(app())

if __name__ == "__main__":
    main()
