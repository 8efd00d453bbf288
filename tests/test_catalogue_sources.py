"""The catalogue on sources it has never seen: a manifest written by hand (partial dates, a type of
its own, a broken row), a long contract PDF from another region (« ENTRE … ET … » preamble, axes,
fiches actions), markup left by a loader, answers restricted to a scope, and the region table."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from assistant.catalogue import load_catalogue
from assistant.catalogue.answers import catalogue_answer
from assistant.catalogue.model import Catalogue, Cited, ContractRecord, Source
from assistant.catalogue.questions import catalogue_question
from assistant.catalogue.views import timeline_bars
from assistant.core.geography import REGIONS, find_region, is_regional_name, region_of, regions_in
from assistant.evaluation import normalize
from ingest.cleaning import strip_loader_markup
from ingest.manifest import read_manifest
from ingest.pipeline import Ingestor
from tests.conftest import make_settings
from tests.test_catalogue import write_contract_pdf

TODAY = date(2026, 6, 1)

# --- a manifest as people write it ------------------------------------------------------------

MANIFEST = (
    "file,title,publisher,date,doc_type,territory\n"
    "annee.md,Page A,Ville A,2025,web_page,Ville de Lunel\n"
    "mois.md,Page B,Ville B,2024-03,rapport annuel,Ville de Sète\n"
    "mots.md,Page C,Ville C,mars 2023,press_release,Ville d'Agde\n"
    "casse.md,Page D,Ville D,le 45 du mois,web_page,Ville de Mende,en trop\n"
)
PAGE = ("# Contrat local de santé de la Ville de {town}\n\nLa Ville de {town} et l'ARS Occitanie ont signé "
        "le contrat local de santé le 3 mars 2023, pour une durée de cinq ans.\n")


def test_manifest_cells_are_reported_and_every_file_ingested(tmp_path, embeddings):
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, town in (("annee.md", "Lunel"), ("mois.md", "Sète"), ("mots.md", "Agde"), ("casse.md", "Mende")):
        (folder / name).write_text(PAGE.format(town=town), encoding="utf-8")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(MANIFEST, encoding="utf-8")
    settings = make_settings(tmp_path / "data")
    ingestor = Ingestor(settings, embeddings)

    report = ingestor.run([folder], manifest=manifest)

    assert sorted(report.added) == ["annee.md", "casse.md", "mois.md", "mots.md"] and not report.failed
    by_cell = {(w["line"], w["column"]): w for w in report.warnings}
    assert set(by_cell) == {(3, "doc_type"), (5, ""), (5, "date")}
    assert by_cell[(3, "doc_type")]["value"] == "rapport annuel" and "other" in by_cell[(3, "doc_type")]["action"]
    assert "ligne 5" in by_cell[(5, "date")]["message"] and "déduite du document" in by_cell[(5, "date")]["action"]
    assert "en trop" in by_cell[(5, "")]["value"]
    stored = ingestor.collection.get(include=["metadatas"])["metadatas"]
    meta = {m["file"]: m for m in stored}
    assert meta["annee.md"]["date"] == "2025" and meta["annee.md"]["date_num"] == 20250101
    assert meta["mois.md"]["date"] == "2024-03" and meta["mois.md"]["doc_type"] == "other"
    assert meta["mots.md"]["date"] == "2023-03"
    assert meta["casse.md"]["title"] == "Page D" and meta["casse.md"]["territory"] == "Ville de Mende"
    assert "date" not in meta["casse.md"] or meta["casse.md"]["date"] != "le 45 du mois"


def test_the_dev_manifest_reads_as_is():
    path = Path(__file__).resolve().parents[2] / "shared" / "corpus-dev" / "manifest.csv"
    if not path.exists():
        pytest.skip("no corpus-dev beside the project")
    warnings: list = []
    rows = read_manifest(path, warnings)
    assert len(rows) >= 30
    assert all(len(row.get("date", "2000")) in (4, 7, 10) for row in rows.values())
    assert all(w.column in ("doc_type", "date", "file", "") for w in warnings)


# --- a long contract PDF from another region ---------------------------------------------------

FILLER = ("Le diagnostic local de santé partagé a mis en évidence des besoins importants en matière "
          "d'accès aux soins, de prévention et d'accompagnement des publics fragiles du territoire. ")
CONTRACT = [
    [("h", "CONTRAT LOCAL DE SANTÉ DU GRAND ALBIGEOIS"),
     ("h", "2024-2028"),
     ("p", "ENTRE"),
     ("p", "La Communauté d'agglomération de l'Albigeois, représentée par sa présidente,"),
     ("p", "ET"),
     ("p", "L'Agence régionale de santé Occitanie, représentée par son directeur général,"),
     ("p", "La Préfecture du Tarn, représentée par le préfet,"),
     ("p", "La Caisse primaire d'assurance maladie du Tarn, représentée par sa directrice,"),
     ("p", "il est convenu ce qui suit."),
     ("p", FILLER * 3)],
    [("h", "Article 1 – Durée"),
     ("p", "Le présent contrat est conclu pour une durée de cinq ans à compter de sa signature."),
     ("p", FILLER * 4),
     ("h", "Article 2 – Axes stratégiques"),
     ("p", "Axe 1 : Améliorer l'accès aux soins de proximité"),
     ("p", "Axe 2 : Promouvoir la santé mentale des jeunes"),
     ("p", "Axe 3 : Agir pour un environnement favorable à la santé"),
     ("p", "Axe 4 : Accompagner le vieillissement à domicile")],
    [("h", "Fiche action n°1 – Médecins de garde le samedi"), ("p", FILLER * 3),
     ("h", "Fiche action n°2 – Premiers secours en santé mentale au lycée"), ("p", FILLER * 3)],
    [("h", "Fiche action n°3 – Qualité de l'air intérieur des crèches"), ("p", FILLER * 3),
     ("h", "Fiche action n°4 – Ateliers mémoire dans les villages"), ("p", FILLER * 2),
     ("p", "Fait à Albi, le 12 juin 2024.")],
]


def write_contract(path: Path) -> Path:
    return write_contract_pdf(path, CONTRACT)


@pytest.fixture(scope="module")
def contract_store(embeddings, tmp_path_factory):
    folder = tmp_path_factory.mktemp("contract")
    write_contract(folder / "albigeois_contrat-local-de-sante.pdf")
    (folder / "ars-occitanie_cls.html").write_text(
        "<html><body><main><h1>Contrats locaux de sant&eacute; en Occitanie</h1>"
        "<p>L\\'ARS Occitanie accompagne les territoires. Le contrat local de sant&eacute; de la "
        "Communaut&eacute; de communes du Haut-Languedoc a &eacute;t&eacute; sign&eacute; le 5 mai 2022.</p>"
        "</main></body></html>", encoding="utf-8")
    (folder / "lodevois_cls-2e-generation.md").write_text(
        "# Le Lodévois renouvelle son contrat local de santé\n\n"
        "Les représentants de la Communauté de communes du Lodévois se sont réunis pour signer leur contrat "
        "local de santé de 2e génération en juin 2024, à l'horizon 2029.\n\n"
        "Le contrat compte 4 signataires : l'ARS Occitanie, la Préfecture de l'Hérault, la CPAM de l'Hérault "
        "et la MSA.\n", encoding="utf-8")
    settings = make_settings(tmp_path_factory.mktemp("contract-data") / "data")
    ingestor = Ingestor(settings, embeddings)
    ingestor.run([folder])
    return settings, ingestor.collection


def test_long_contract_record(contract_store):
    settings, _ = contract_store
    records = load_catalogue(settings, TODAY).records
    albi = [r for r in records if "albigeois" in normalize(r.name)]
    assert len(albi) == 1, [r.name for r in records]
    record = albi[0]
    assert record.signed_on.normalized == "2024-06-12"
    assert record.duration.normalized == "5"
    assert len(record.axes) == 4 and normalize(record.axes[1].value) == normalize("Promouvoir la santé mentale des jeunes")
    assert [a.normalized for a in record.actions] == ["n°1", "n°2", "n°3", "n°4"]
    signatories = " ".join(normalize(s.value) for s in record.signatories)
    assert "agence regionale de sante occitanie" in signatories and "prefecture du tarn" in signatories
    assert record.region == "Occitanie" and record.status == "active"
    assert not any(is_regional_name(r.name) for r in records)  # the ARS page is a publisher, not a CLS


def test_press_release_phrasings(contract_store):
    settings, _ = contract_store
    records = {normalize(r.name): r for r in load_catalogue(settings, TODAY).records}
    lodeve = next(r for name, r in records.items() if "lodevois" in name)
    assert lodeve.signed_on.normalized == "2024-06" and lodeve.period.normalized == "2024-2029"
    assert lodeve.generation.normalized == "2" and lodeve.status == "active"
    found = {normalize(s.value) for s in lodeve.signatories}
    assert {"ars occitanie", "prefecture de l herault", "cpam de l herault", "msa"} <= found
    languedoc = next(r for name, r in records.items() if "haut languedoc" in name)
    assert languedoc.signed_on.normalized == "2022-05-05" and languedoc.status == "signed"
    assert languedoc.region == "Occitanie"


def test_markup_from_the_loader_never_reaches_a_value(contract_store):
    settings, collection = contract_store
    texts = collection.get(include=["documents"])["documents"]
    assert not any("\\'" in t or "&eacute;" in t or "<p>" in t for t in texts)
    for record in load_catalogue(settings, TODAY).records:
        for _, cited in record.cited_fields():
            assert "<" not in cited.value and "&" not in cited.value and "\\" not in cited.value


def test_markup_cleaning():
    dump = "<div class=\"c\"><p>L\\'Agglo&nbsp;a sign&eacute; le CLS</p><br/>Axe 1 : l&amp;eacute;coute</div>\\n\\nFin"
    cleaned = strip_loader_markup(dump)
    assert "L'Agglo" in cleaned and "signé le CLS" in cleaned and "Axe 1 : léecoute" not in cleaned
    assert "<" not in cleaned and "\\n" not in cleaned and "&" not in cleaned
    assert "\nAxe 1 : l" in cleaned and "écoute" in cleaned
    assert strip_loader_markup("Voir <https://exemple.fr> et C:\\new") == "Voir <https://exemple.fr> et C:\\new"


# --- answers within their scope ----------------------------------------------------------------

def _record(name: str, region: str, signed: str, where: str = "") -> ContractRecord:
    source = Source(f"{name}:0", f"{name}.md", name, "", signed, None, f"{name}{where} a signé le {signed}.")
    record = ContractRecord(key=normalize(name), territory=Cited(name, source), region=region,
                            signed_on=Cited(signed, source, signed))
    record.status = "active"
    return record


class _Catalogue:
    def __init__(self, records):
        self.records = records

    def current(self, filters=None):
        return Catalogue(self.records, [])

    def passages(self, chunk_ids):
        return []


SCOPED = _Catalogue([_record("Toulon", "Provence-Alpes-Côte d'Azur", "2025-12-11", " (Var)"),
                     _record("Gap", "Provence-Alpes-Côte d'Azur", "2022-01-10"),
                     _record("Cornouaille", "Bretagne", "2023-07-12"),
                     _record("Brocéliande", "Bretagne", "2021-03-02")])


def ask(question: str):
    asked = catalogue_question(question)
    assert asked is not None, question
    return catalogue_answer(question, asked, SCOPED)


def test_a_region_is_answered_for_itself_only():
    answer = ask("les CLS de Bretagne")
    assert answer.found and "2 CLS" in answer.answer and "Toulon" not in answer.answer
    paca = ask("combien de CLS en PACA ?")
    assert "2 CLS" in paca.answer and "Toulon" in paca.answer and "Cornouaille" not in paca.answer
    var = ask("Combien de CLS dans le Var ?")  # the ones its documents place in the department
    assert "Toulon" in var.answer and "Gap" not in var.answer and "1 CLS" in var.answer
    vaucluse = ask("Combien de CLS dans le Vaucluse ?")  # the region's other CLS are not the department's
    assert not vaucluse.found and "Toulon" not in vaucluse.answer


def test_an_empty_scope_is_declined_for_that_scope():
    corse = ask("combien de CLS en Corse ?")
    assert not corse.found and "Aucun CLS en Corse" in corse.answer and "3" not in corse.answer
    year = ask("quels CLS signés en 2019 ?")
    assert not year.found and "2019" in year.answer
    assert ask("quels CLS signés en 2023 ?").answer.count("\n- ") == 1


def test_a_place_scopes_a_list():
    answer = ask("les CLS de Cornouaille")
    assert answer.found and "Cornouaille" in answer.answer and "Brocéliande" not in answer.answer


# --- regions, departments, abbreviations --------------------------------------------------------

def test_region_table():
    assert len(REGIONS) == 18 and sum(len(r.departments) for r in REGIONS) == 101
    for abbreviation, name in (("ARA", "Auvergne-Rhône-Alpes"), ("BFC", "Bourgogne-Franche-Comté"),
                               ("HDF", "Hauts-de-France"), ("IDF", "Île-de-France"), ("CVL", "Centre-Val de Loire"),
                               ("PACA", "Provence-Alpes-Côte d'Azur")):
        assert find_region(abbreviation).name == name
        assert region_of(f"les CLS de l'ARS {abbreviation}").name == name
    assert region_of("la CPAM du Val-de-Marne (94)").name == "Île-de-France"
    assert region_of("Communauté d'agglomération Maubeuge-Val de Sambre") is None  # no department there
    assert region_of("le Département du Nord").name == "Hauts-de-France"
    assert region_of("un chemin vers le nord") is None
    assert [m.text for m in regions_in("Haute-Loire et Pays de la Loire")] == ["Haute-Loire", "Pays de la Loire"]
    assert is_regional_name("ARS Martinique") and is_regional_name("Centre-Val de Loire")
    assert not is_regional_name("Pays Voironnais") and not is_regional_name("Ville de Toulon")


def test_timeline_axis_spans_the_periods_only():
    with_period = _record("Toulon", "", "2025-12-11")
    with_period.period = Cited("2025-2030", with_period.territory.source, "2025-2030")
    undated = _record("Cornouaille", "", "2023-07-12")
    bars, axis, others = timeline_bars([with_period, undated])
    assert axis == (2025, 2031) and [b["Territoire"] for b in bars] == ["Toulon"]
    assert others == [undated]


def test_a_roll_of_partners_is_not_a_list_of_signatories(sample_store):
    """The sample Le Havre page names its signatories, then some thirty partners in one sentence."""
    settings = sample_store[0]
    havre = next(r for r in load_catalogue(settings, TODAY).records if "havre" in normalize(r.name))
    names = [normalize(s.value) for s in havre.signatories]
    assert "region normandie" in names and len(names) <= 10
    assert not {"ligue", "cancer", "vivre", "centre"} & set(names)
