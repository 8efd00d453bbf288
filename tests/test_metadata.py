"""Metadata inference on the real sample corpus (the manifest is the expected answer), on documents
of other shapes, and the manifest reader's checks."""

from __future__ import annotations

import csv
import re
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from ingest.documents import IngestError, LoadedDocument, Page
from ingest.manifest import find_row, read_manifest
from ingest.metadata import (
    DocumentMetadata,
    classify_doc_type,
    infer_date,
    infer_metadata,
    parse_french_date,
    to_iso_date,
)

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus" / "documents"
MANIFEST = SHARED / "corpus" / "manifest.csv"
TODAY = date(2026, 11, 23)


def manifest_rows() -> dict[str, dict[str, str]]:
    with MANIFEST.open(encoding="utf-8-sig") as handle:
        return {row["file"]: row for row in csv.DictReader(handle)}


def load_sample(path: Path, loader: str = "project") -> LoadedDocument:
    """The project's loader when it is there and works, else a plain reading of the file."""
    if loader == "project":
        try:
            from ingest.loaders import load

            return load(path, path.read_bytes())
        except Exception:  # loaders are being written in parallel; do not depend on their state
            pass
    return _plain_load(path)


def _plain_load(path: Path) -> LoadedDocument:
    if path.suffix == ".pdf":
        import pypdf

        reader = pypdf.PdfReader(path)
        pages = [Page(i, page.extract_text() or "") for i, page in enumerate(reader.pages, 1)]
        return LoadedDocument(path, pages, title=(reader.metadata or {}).get("/Title"))
    if path.suffix in (".html", ".htm"):
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(path.read_bytes(), "html.parser")
        title = soup.title.get_text() if soup.title else None
        for element in soup(["script", "style", "title", "nav", "footer"]):
            element.decompose()
        return LoadedDocument(path, [Page(None, soup.get_text("\n"))], title=title)
    return LoadedDocument(path, [Page(None, path.read_text(encoding="utf-8"))])


def title_words(text: str) -> set[str]:
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    stop = {"de", "du", "des", "la", "le", "les", "l", "d", "et", "a", "son", "sa", "en"}
    return {w for w in re.split(r"[^a-z0-9]+", folded) if w and w not in stop}


def title_overlap(a: str, b: str) -> float:
    wa, wb = title_words(a), title_words(b)
    return len(wa & wb) / min(len(wa), len(wb))


def doc(text: str, name: str = "note.txt", title: str | None = None, **properties) -> LoadedDocument:
    return LoadedDocument(Path(name), [Page(None, text)], title=title, properties=properties)


# ----- the sample corpus, with the manifest as the expected answer ------------------------------


@pytest.mark.parametrize("loader", ["project", "plain"])
@pytest.mark.parametrize("name", sorted(manifest_rows()))
def test_inference_matches_the_manifest(name, loader):
    expected = manifest_rows()[name]
    inferred = infer_metadata(load_sample(CORPUS / name, loader), name, None, today=TODAY)

    assert inferred.date == expected["date"]
    assert inferred.doc_type == expected["doc_type"]
    assert inferred.publisher == expected["publisher"]
    assert inferred.territory == expected["territory"]
    assert inferred.url == expected["url"]
    assert len(inferred.title.split()) >= 2
    assert title_overlap(inferred.title, expected["title"]) >= 0.5, inferred.title


@pytest.mark.parametrize("name", sorted(manifest_rows()))
def test_type_and_date_do_not_need_an_informative_file_name(name):
    expected = manifest_rows()[name]
    anonymous = "document" + Path(name).suffix
    inferred = infer_metadata(load_sample(CORPUS / name), anonymous, None, today=TODAY)

    assert inferred.doc_type == expected["doc_type"]
    if "signature-cls" not in name:  # that release gives "lundi 3 juillet" without a year
        assert inferred.date == expected["date"]


def test_declared_values_win_field_by_field():
    name = "ars-normandie_2025-03-27_communique-cls.pdf"
    declared = {"title": "Titre déclaré", "date": "2024-01-02", "territory": "Calvados"}
    inferred = infer_metadata(load_sample(CORPUS / name), name, declared, today=TODAY)

    assert inferred.title == "Titre déclaré"
    assert inferred.date == "2024-01-02"
    assert inferred.territory == "Calvados"
    assert inferred.publisher == "ARS Normandie"  # not declared: inferred
    assert inferred.doc_type == "press_release"


def test_front_matter_declares_and_the_caller_overrides_it():
    note = doc(
        "Compte rendu du comité de pilotage.\n\nRien de daté ici.",
        "notes.md",
        titre="Comité de pilotage du CLS",
        date="5 mars 2024",
        type="guide",
    )
    inferred = infer_metadata(note, "notes.md", {"doc_type": "other"}, today=TODAY)

    assert inferred.title == "Comité de pilotage du CLS"
    assert inferred.date == "2024-03-05"
    assert inferred.doc_type == "other"


def test_invalid_declared_values_are_replaced_by_inference():
    text = "Communiqué de presse\n\nCaen, le 27 mars 2025\n\nL'ARS Normandie annonce un nouveau CLS."
    declared = {"date": "bientôt", "doc_type": "affiche", "title": "Untitled"}
    inferred = infer_metadata(doc(text, title="Untitled"), "cp.pdf", declared, today=TODAY)

    assert inferred.date == "2025-03-27"
    assert inferred.doc_type == "press_release"
    assert inferred.title != "Untitled"


# ----- dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("27 mars 2025", date(2025, 3, 27)),
        ("jeudi 27 novembre 2025", date(2025, 11, 27)),
        ("1er janvier 2024", date(2024, 1, 1)),
        ("le 8 décembre 2017, la Communauté", date(2017, 12, 8)),
        ("8 DECEMBRE 2017", date(2017, 12, 8)),
        ("3 août 2023", date(2023, 8, 3)),
        ("12 févr. 2024", date(2024, 2, 12)),
        ("03/07/2023", date(2023, 7, 3)),
        ("Modifié le 20/03/25", date(2025, 3, 20)),
        ("Caen, le 27 mars 2025,", date(2025, 3, 27)),
        ("2023-07-03", date(2023, 7, 3)),
        ("31/02/2024", None),
        ("lundi 3 juillet", None),
        ("période 2023-2028", None),
        ("06 79 03 65 05", None),
    ],
)
def test_french_dates_are_parsed(text, expected):
    assert parse_french_date(text) == expected


def test_to_iso_date_accepts_one_date_only():
    assert to_iso_date("2023-07-03") == "2023-07-03"
    assert to_iso_date("03/07/2023") == "2023-07-03"
    assert to_iso_date(date(2024, 5, 1)) == "2024-05-01"
    assert to_iso_date("2023-13-03") is None
    assert to_iso_date("vers le 3 juillet 2023 environ") is None
    assert to_iso_date("") is None


def test_a_marked_date_beats_dates_in_the_body():
    text = "Le projet a démarré le 3 mars 2022.\nMis à jour le 15/01/2024\nRéunion le 20 juin 2024."
    assert infer_date(text, today=TODAY) == "2024-01-15"


def test_a_date_alone_at_the_top_beats_later_dates():
    text = "Titre\n\nmardi 5 mars 2024\n\nLa réunion du 12 avril 2024 est confirmée."
    assert infer_date(text, today=TODAY) == "2024-03-05"


def test_the_file_name_date_comes_first():
    assert infer_date("Publié le 01/01/2020", "x_2023-07-03_y.pdf", today=TODAY) == "2023-07-03"


def test_future_dates_are_never_picked():
    text = "Signé le 12 février 2024, le contrat court jusqu'au 31 décembre 2028."
    assert infer_date(text, today=TODAY) == "2024-02-12"
    assert infer_date("Publié le 1er janvier 2030", today=TODAY) is None
    assert infer_date("y_2031-01-01.pdf", "y_2031-01-01.pdf", today=TODAY) is None


# ----- documents of other shapes -----------------------------------------------------------------

CONTRACT = """Contrat local de santé de la Communauté de communes du Pays de Falaise

2024-2028

Entre :
la Communauté de communes du Pays de Falaise, représentée par son Président,
et l'Agence régionale de santé Normandie, représentée par son Directeur général,

il est convenu ce qui suit.

Article 1 : objet du contrat
Le diagnostic territorial a été réalisé le 3 mars 2022 avec les partenaires.

Fiche action n°1 : favoriser l'installation des médecins
Fiche action n°2 : prévenir les addictions

Le présent contrat prend fin le 31 décembre 2028.
Signé le 12 février 2024 par les signataires.
"""


def test_a_contract_of_an_unknown_community():
    inferred = infer_metadata(doc(CONTRACT, "cls_falaise.pdf"), "cls_falaise.pdf", None, today=TODAY)

    assert inferred.doc_type == "contract"
    assert inferred.date == "2024-02-12"
    assert inferred.publisher == "Communauté de communes du Pays de Falaise"
    assert inferred.territory == "Communauté de communes du Pays de Falaise"
    assert inferred.title.startswith("Contrat local de santé de la Communauté de communes")
    assert inferred.url == ""


def test_a_press_release_of_caen_la_mer():
    text = (
        "COMMUNIQUÉ DE PRESSE\n"
        "Caen, le 1er janvier 2024\n"
        "Caen la mer et l'ARS Normandie renouvellent leur contrat local de santé\n"
        "La Communauté urbaine Caen la mer a signé le 20 décembre 2023 son deuxième CLS.\n"
        "Contact presse : presse@caenlamer.fr\n"
    )
    name = "cp_caen-la-mer_cls.pdf"
    inferred = infer_metadata(doc(text, name), name, None, today=TODAY)

    assert inferred == DocumentMetadata(
        title="Caen la mer et l'ARS Normandie renouvellent leur contrat local de santé",
        publisher="Communauté urbaine Caen la mer",
        date="2024-01-01",
        doc_type="press_release",
        territory="Caen la mer",
        url="",
    )


def test_a_web_page_of_the_ars_with_its_own_address():
    text = (
        "# Les contrats locaux de santé dans l'Orne\n\n"
        "Publié le 05/06/2024\n\n"
        "Voir aussi https://www.santepubliquefrance.fr/etudes et "
        "https://www.normandie.ars.sante.fr/cls-orne pour la carte.\n"
    )
    inferred = infer_metadata(doc(text, "page.html"), "page.html", None, today=TODAY)

    assert inferred.doc_type == "web_page"
    assert inferred.date == "2024-06-05"
    assert inferred.title == "Les contrats locaux de santé dans l'Orne"
    assert inferred.publisher == "ARS Normandie"
    assert inferred.territory == "Normandie"
    assert inferred.url == "https://www.normandie.ars.sante.fr/cls-orne"


def test_a_guide_and_an_unlabelled_note():
    guide = "Guide régional des coordinateurs de CLS\n\nFiches pratiques et kit de communication."
    assert classify_doc_type(guide, "guide-coordinateurs-cls.pdf", "")[0] == "guide"
    note = "Quelques idées notées pendant la réunion.\n\nÀ revoir la semaine prochaine."
    inferred = infer_metadata(doc(note, "idees.txt"), "idees.txt", None, today=TODAY)
    assert inferred.doc_type == "other"
    assert inferred.publisher == "" and inferred.territory == "" and inferred.date is None
    assert inferred.title == "Idees"


def test_titles_fall_back_to_the_file_name_with_accents_restored():
    text = (
        "Une longue phrase d'introduction qui ne ressemble pas du tout à un titre de document "
        "et qui continue encore et encore jusqu'à la fin de la ligne."
    )
    name = "rouen-metropole_2024-01-01_sante-mentale.pdf"
    inferred = infer_metadata(doc(text, title="Microsoft Word - cls.docx"), name, None, today=TODAY)
    assert inferred.title == "Santé mentale (Métropole Rouen Normandie)"


def test_a_date_line_is_not_a_title():
    text = "Modifié le 20/03/25\n\nLa santé à la Métropole\n\nLa Métropole agit pour la santé."
    inferred = infer_metadata(doc(text, title="Modifié le 20/03/25"), "page.md", None, today=TODAY)
    assert inferred.title == "La santé à la Métropole"
    assert inferred.date == "2025-03-20"


# ----- manifest ----------------------------------------------------------------------------------


def test_the_sample_manifest_is_read():
    rows = read_manifest(MANIFEST)

    assert set(rows) == set(manifest_rows())
    md = rows["rouen-metropole_2025-03-20_politique-sante.md"]
    assert md["date"] == "2025-03-20" and md["doc_type"] == "web_page"
    assert "url" not in md  # empty cell: absent key
    assert rows["ars-normandie_2025-03-27_communique-cls.pdf"]["url"].startswith("https://")


def write(tmp_path: Path, content: str | bytes, name: str = "manifest.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def test_bom_extra_columns_and_basenames(tmp_path):
    content = "\ufefffile,title,date,doc_type,visibility\ndocs/a.pdf,Titre A,03/07/2023,Contrat,interne\n"
    rows = read_manifest(write(tmp_path, content))

    row = rows["docs/a.pdf"]
    assert row == {"file": "docs/a.pdf", "title": "Titre A", "date": "2023-07-03", "doc_type": "contract",
                   "visibility": "interne"}
    assert rows["a.pdf"] is row
    assert find_row(rows, Path("ailleurs/a.pdf")) is row
    assert find_row(rows, "b.pdf") is None


def test_a_french_spreadsheet_export_with_semicolons(tmp_path):
    rows = read_manifest(write(tmp_path, "file;title;date\na.pdf;Titre, avec virgule;2024-01-02\n"))
    assert rows["a.pdf"]["title"] == "Titre, avec virgule"


def test_a_manifest_without_a_file_column_is_refused(tmp_path):
    with pytest.raises(IngestError) as error:
        read_manifest(write(tmp_path, "title,date\nTitre,2024-01-01\n", "mon-manifeste.csv"))
    assert "mon-manifeste.csv" in str(error.value) and "ligne 1 : colonne « file » absente" in str(error.value)


@pytest.mark.parametrize(
    ("content", "line", "column", "kept"),
    [
        ("file,date\na.pdf,2024-01-01\nb.pdf,le 3 juillet\n", 3, "date", {"file": "b.pdf"}),
        ("file,date\na.pdf,2024-01-01\nb.pdf,2024-02-30\n", 3, "date", {"file": "b.pdf"}),
        ("file,doc_type\na.pdf,contract\nb.pdf,affiche\n", 3, "doc_type", {"file": "b.pdf", "doc_type": "other"}),
        ("file,title\nb.pdf,A\nb.pdf,B\n", 3, "file", {"file": "b.pdf", "title": "A"}),
        ("file,title\n,Sans fichier\nb.pdf,B\n", 2, "file", {"file": "b.pdf", "title": "B"}),
        ("file,title\nb.pdf,A,en trop\n", 2, "", {"file": "b.pdf", "title": "A"}),
    ],
)
def test_a_bad_cell_is_reported_and_the_rest_read(tmp_path, content, line, column, kept):
    warnings: list = []
    rows = read_manifest(write(tmp_path, content, "mon-manifeste.csv"), warnings)
    assert rows["b.pdf"] == kept
    assert [(w.line, w.column) for w in warnings] == [(line, column)]
    assert f"mon-manifeste.csv, ligne {line}" in warnings[0].message()


@pytest.mark.parametrize(("written", "kept"), [
    ("2025", "2025"), ("2025-02", "2025-02"), ("février 2025", "2025-02"), ("02/2025", "2025-02"),
    ("3 juillet 2023", "2023-07-03"), ("2023-07-03", "2023-07-03"), ("vers 2020 ou 2021", None),
])
def test_partial_dates_keep_their_precision(tmp_path, written, kept):
    rows = read_manifest(write(tmp_path, f"file,date\na.pdf,{written}\n"))
    assert rows["a.pdf"].get("date") == kept


def test_unreadable_manifests(tmp_path):
    with pytest.raises(IngestError, match="mon-manifeste.csv illisible"):
        read_manifest(write(tmp_path, b"file,title\na.pdf,\xe9t\xe9\n", "mon-manifeste.csv"))
    with pytest.raises(IngestError, match="absent.csv illisible"):
        read_manifest(tmp_path / "absent.csv")
