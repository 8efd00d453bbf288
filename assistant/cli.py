"""The `cls-assistant` command line."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from assistant.access import PUBLIC, ROLES
from assistant.accounts import hash_password
from assistant.core.config import get_settings
from assistant.core.embeddings import get_embeddings
from assistant.core.errors import AssistantError
from assistant.core.filters import Filters
from assistant.core.store import SERVER_ERRORS, chroma_client, open_collection, server_unreachable
from assistant.evaluation import METRICS, run_evaluation
from assistant.progress import RichProgress
from assistant.service import load_assistant
from assistant.stats import store_stats
from ingest.pipeline import Ingestor
from ingest.report import quarantine_note

app = typer.Typer(help="Assistant des Contrats Locaux de Santé (CLS) de Normandie.", no_args_is_help=True)
out = Console(soft_wrap=True)
err = Console(stderr=True)


def _fail(message: str, code: int = 2) -> NoReturn:
    err.print(f"[bold red]Erreur :[/] {message}")
    raise typer.Exit(code)


@contextmanager
def _reported(server_down: str = "") -> Iterator[None]:
    """Every command's errors, rendered here: a user's error (`AssistantError`) as its French
    message, an unreachable Chroma server with what to do (`server_down` adds to it)."""
    try:
        yield
    except AssistantError as error:
        _fail(str(error))
    except SERVER_ERRORS:
        _fail(f"{server_unreachable(get_settings())}{server_down}")


ROLE_HELP = f"{' ou '.join(ROLES)} : public ne voit que les documents publics, ars voit tout."


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Fichiers ou dossiers à indexer.", exists=True)],
    manifest: Annotated[Path | None, typer.Option(help="Fichier manifest.csv des métadonnées.", exists=True, dir_okay=False)] = None,
    sync: Annotated[bool, typer.Option("--sync", help="Retirer les documents qui ne sont plus dans ces dossiers.")] = False,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Tout réindexer depuis zéro.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Rapport en JSON.")] = False,
) -> None:
    """Indexer des documents (PDF, HTML, Markdown, texte, Word) dans la base."""
    try:
        with _reported(" Relancez ensuite la même commande pour terminer l'ingestion."):
            settings = get_settings()
            with RichProgress(err, enabled=not as_json and err.is_terminal) as progress:
                ingestor = Ingestor(settings, get_embeddings(settings.embeddings), progress, rebuild)
                report = ingestor.run(paths, manifest=manifest, sync=sync)
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
    for kept_out in report.quarantined:
        out.print(Text.assemble(("  écarté ", "yellow"), f"{kept_out['file']} : {quarantine_note(kept_out['chunks'])}"))
    for warning in report.warnings:
        out.print(Text.assemble(("  avertissement ", "yellow"), warning["message"]))


@app.command()
def stats(
    role: Annotated[str, typer.Option(help=ROLE_HELP)] = PUBLIC,
    as_json: Annotated[bool, typer.Option("--json", help="Sortie JSON.")] = False,
) -> None:
    """Documents et extraits indexés, par type, éditeur et territoire."""
    with _reported():
        settings = get_settings()
        collection = open_collection(chroma_client(settings), settings, get_embeddings(settings.embeddings))
        figures = store_stats(collection, role)
    if as_json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
        return
    out.print(f"Documents : {figures['documents']} · extraits : {figures['chunks']}")
    for key, label in (("by_doc_type", "Type"), ("by_publisher", "Éditeur"), ("by_territory", "Territoire")):
        table = Table(label, "Documents")
        for value, count in figures[key].items():
            table.add_row(value or "—", str(count))
        out.print(table)




@app.command()
def catalog(
    role: Annotated[str, typer.Option(help=ROLE_HELP)] = PUBLIC,
    as_json: Annotated[bool, typer.Option("--json", help="Sortie JSON.")] = False,
) -> None:
    """Catalogue des CLS : territoire, signataires, dates, axes, actions… chaque valeur citée."""
    from assistant.catalogue import load_catalogue
    from assistant.catalogue.model import FIELD_LABELS
    from assistant.core.dates import french_date

    with _reported():
        catalogue = load_catalogue(get_settings(), role=role)
    if as_json:
        print(json.dumps(catalogue.to_dict(), ensure_ascii=False, indent=2))
        return
    out.print(f"CLS au catalogue : {len(catalogue.records)}")
    for record in catalogue.records:
        out.print(Text(f"\n{record.summary()}", style="bold"))
        by_field: dict[str, list] = {}
        for name, cited in record.cited_fields():
            if cited not in record.alternates.get(name, []):
                by_field.setdefault(name, []).append(cited)
        for name, values in by_field.items():
            _print_cited(FIELD_LABELS[name], values)
        for name, values in record.alternates.items():
            _print_cited(f"{FIELD_LABELS[name]} (autre valeur, document plus ancien)", values)
    for count in catalogue.counts:
        where = count.source.where
        out.print(Text(f"\nDécompte indiqué : {count.count} CLS ({count.kind}) au {french_date(count.as_of)}"
                       f" — {count.source.file}{where}", style="bold"))
        out.print(Text(f"    « {count.source.quote} »", style="dim"))


def _print_cited(label: str, values: list) -> None:
    """Values that share a quote are printed together, the quote once."""
    groups: dict[tuple[str, str], list[str]] = {}
    for cited in values:
        groups.setdefault((cited.source.chunk_id, cited.source.quote), []).append(cited.value)
    for (_, quote), found in groups.items():
        source = next(c.source for c in values if c.source.quote == quote)
        shown = " ".join(quote.split())
        shown = shown if len(shown) <= 300 else shown[:300] + "…"
        out.print(Text.assemble(f"  {label} : ", (" ; ".join(found), "green")))
        out.print(Text(f"      {source.file}{source.where}" + ("" if source.declared else f" « {shown} »"), style="dim"))


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
    role: Annotated[str, typer.Option(help=ROLE_HELP)] = PUBLIC,
    as_json: Annotated[bool, typer.Option("--json", help="Réponse en JSON.")] = False,
) -> None:
    """Poser une question : réponse citée, ou « je n'ai pas trouvé »."""
    with _reported():
        answer = load_assistant(get_settings()).ask(
            question, _filters(territory, doc_type, publisher, since, until), audience=audience, role=role
        )
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
    details: Annotated[bool, typer.Option("--details", help="Détail par question : trouvée, rang, faits manquants, réponse.")] = False,
) -> None:
    """Évaluer l'assistant sur des questions (métriques de ../shared/eval/README.md)."""
    if baseline not in (None, "naive"):
        _fail("--baseline n'accepte que « naive ».")
    with _reported():
        results = run_evaluation(get_settings(), questions, corpus, baseline == "naive", k)
    if not details:
        for scores in results.values():
            scores.pop("details", None)
    if as_json:
        print(json.dumps(results["ours"] if not baseline else results, ensure_ascii=False, indent=2))
        return
    if details:
        _print_details(results["ours"]["details"])
    table = Table("Métrique", "Notre assistant", *(["Naïf", "Rapport"] if baseline else []))
    for metric in METRICS:
        ours = results["ours"][metric]
        row = [metric, f"{ours:.3f}"]
        if baseline:
            naive = results["naive"][metric]
            row += [f"{naive:.3f}", f"{ours / naive:.2f}" if naive else "—"]
        table.add_row(*row)
    out.print(table)


def _print_details(details: list[dict]) -> None:
    """One block per question, failures marked, so a weak answer can be read."""
    for row in details:
        wrong = row["found"] != row["answerable"] or row["missing_facts"] or row["invalid_citations"]
        mark = "✗" if wrong else "✓"
        expected = "répondable" if row["answerable"] else "sans réponse"
        out.print(f"{mark} {row['id']} ({expected}, trouvée : {'oui' if row['found'] else 'non'}, "
                  f"rang : {row['rank'] or '—'}) {row['question']}", markup=False, highlight=False)
        if row["missing_facts"]:
            out.print("  faits manquants : " + " ; ".join(row["missing_facts"]), markup=False, highlight=False)
        if row["invalid_citations"]:
            out.print(f"  citations invalides : {row['invalid_citations']}", markup=False, highlight=False)
        out.print("  " + row["answer"].replace("\n", "\n  "), markup=False, highlight=False)
        out.print()


@app.command(name="hash-password")
def hash_password_command() -> None:
    """Hacher un mot de passe (bcrypt) pour le fichier de comptes CLS_AUTH_FILE."""
    password = typer.prompt("Mot de passe", hide_input=True, confirmation_prompt="Confirmation", err=True)
    with _reported():
        print(hash_password(password))


def main() -> None:  # pragma: no cover - console entry point
    sys.exit(app())

if __name__ == "__main__":
    main()
