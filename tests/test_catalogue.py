"""The CLS catalogue: records extracted from the stored chunks, every value cited and checkable,
and the chat's count, list and precedent answers — on the sample corpus and on documents of other
shapes written here (tests/data/catalogue-corpus + a contract PDF generated below)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from assistant.catalogue import CatalogueSource, aggregates, build_catalogue, load_catalogue, timeline
from assistant.catalogue.questions import catalogue_question
from assistant.catalogue.status import with_status
from assistant.core.glossary import GLOSSARY, glossary_entries
from assistant.evaluation import load_questions, normalize
from assistant.service import load_assistant
from ingest.pipeline import Ingestor
from tests.conftest import ROOT, SHARED, make_settings

TODAY = date(2026, 1, 15)
OWN_CORPUS = ROOT / "tests" / "data" / "catalogue-corpus"
ARS_2025 = "ars-normandie_2025-03-27_communique-cls.pdf"
ROUEN_2023 = "rouen-metropole_2023-07-03_signature-cls.pdf"
OWN_PDF = "coteaux-de-la-vire_2024-04-04_cls-2024-2027.pdf"


def by_name(records, fragment: str):
    found = [r for r in records if fragment in normalize(r.name)]
    assert len(found) == 1, [r.name for r in records]
    return found[0]


def values(cited_list) -> list[str]:
    return [normalize(c.value) for c in cited_list]


def assert_nothing_invented(catalogue, collection) -> None:
    """Every value is in its quote (after normalize); every quote is verbatim in its chunk."""
    sources = [(c.value, c.source) for r in catalogue.records for _, c in r.cited_fields()]
    sources += [(c.value, c.source) for c in catalogue.counts]
    chunks = collection.get(ids=list({s.chunk_id for _, s in sources}), include=["documents"])
    text = dict(zip(chunks["ids"], chunks["documents"]))
    for value, source in sources:
        assert normalize(value) in normalize(source.quote), (value, source.quote)
        if source.declared:  # declared by the manifest or front matter, not written in the text
            assert source.metadata[source.declared] == source.quote
        else:
            assert source.quote in text[source.chunk_id], (source.chunk_id, source.quote)


# --- the sample corpus ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sample_catalogue(sample_store):
    _, _, collection = sample_store
    return build_catalogue(collection, TODAY)  # reads the store, writes nothing


@pytest.fixture(scope="module")
def assistant(sample_store):
    return load_assistant(sample_store[0], today=TODAY)


def test_sample_corpus_records(sample_catalogue):
    records = sample_catalogue.records
    rouen = by_name(records, "metropole rouen normandie")
    assert rouen.period.normalized == "2023-2028" and rouen.signed_on.normalized == "2023-07-03"
    signatories = " | ".join(values(rouen.signatories))
    assert "ars" in signatories and "caisse primaire d assurance maladie" in signatories
    assert rouen.status == "active"
    assert any("interpretariat" in normalize(a.value) for a in rouen.actions)

    havre = by_name(records, "le havre seine metropole")
    assert havre.period.normalized == "2025-2029" and havre.status == "active"
    assert len(havre.axes) == 3
    assert any("sante mentale" in v for v in values(havre.axes))
    assert {"region normandie", "departement de seine maritime", "caisse d allocations familiales",
            "groupe hospitalier du havre", "sextant76"} <= set(values(havre.signatories))
    assert "education nationale" in values(havre.partners)

    villes = by_name(records, "villes sœurs")
    assert villes.period.normalized == "2018-2020" and len(villes.axes) == 6
    assert villes.status == "ended"
    assert villes.coordination and villes.funding  # « Un coordonnateur Santé, cofinancé par l'ARS… »

    argentan = by_name(records, "argentan")
    assert argentan.signed_on.normalized == "2017-01-10"
    assert argentan.signed_on.source.file == "ars-normandie_2017-12-08_contrats-locaux-de-sante.txt"
    # Two CLS from one page, each with its own facts.
    assert not argentan.axes and argentan.status == "signed"  # signed, no period or duration stated


def test_sample_corpus_nothing_invented(sample_catalogue, sample_store):
    assert_nothing_invented(sample_catalogue, sample_store[2])


def test_documents_about_one_cls_are_merged(sample_catalogue):
    rouen = by_name(sample_catalogue.records, "metropole rouen normandie")
    files = {c.source.file for _, c in rouen.cited_fields()}
    assert files == {ROUEN_2023, "rouen-metropole_2025-03-20_politique-sante.md"}
    assert rouen.axes[0].source.file == "rouen-metropole_2025-03-20_politique-sante.md"  # newest wins


def test_status_is_relative_to_today(sample_catalogue):
    records = sample_catalogue.records
    with_status(records, date(2019, 6, 1))
    assert by_name(records, "villes sœurs").status == "active"
    with_status(records, date(2031, 1, 1))
    assert by_name(records, "metropole rouen normandie").status == "ended"
    with_status(records, TODAY)


def test_stated_counts_and_views(sample_catalogue):
    counts = {(c.count, c.as_of) for c in sample_catalogue.counts}
    assert (21, "2025-03-26") in counts and (12, "2017-12-08") in counts
    summary = aggregates(sample_catalogue)
    assert summary["stated_active"]["count"] == 21 and summary["records"] == 4
    events = timeline(sample_catalogue.records)
    assert [e.when for e in events] == sorted(e.when for e in events)
    assert any(e.event == "signature" and e.when == "2017-01-10" for e in events)


def test_active_count_answers_21_citing_the_ars_press_release(assistant):
    answer = assistant.ask("Combien de CLS actifs en Normandie ?")
    assert answer.found and answer.engine == "catalogue"
    first = answer.citations[0]
    assert first.file == ARS_2025 and first.page == 1
    assert "21" in normalize(answer.answer.split("[1]")[0])
    assert "le catalogue en recense 2 dans les documents indexes" in normalize(answer.answer)
    assert answer.sources[0].file == ARS_2025


def test_a_years_active_count_is_the_one_stated_that_year_then_the_latest(assistant):
    answer = assistant.ask("Il y avait combien de CLS en cours en 2017 ?")
    assert answer.found and answer.engine == "catalogue"
    first, second = answer.citations[:2]
    assert first.date.startswith("2017") and "12" in normalize(answer.answer.split("[1]")[0])
    assert second.date == "2025-03-27" and "21" in normalize(answer.answer.split("[2]")[0].split("[1]")[1])
    signed = assistant.ask("Combien de CLS signés en 2017 ?")  # signed that year, not running that year
    assert "12 cls" not in normalize(signed.answer)


def test_the_newest_cls_is_the_one_signed_last_and_a_period_dates_an_undated_signature(assistant):
    answer = assistant.ask("C'est quoi le CLS le plus récent en Normandie ?")
    assert answer.found and answer.engine == "catalogue"
    first_line = next(line for line in answer.answer.splitlines() if line.startswith("- "))
    assert "havre" in normalize(first_line) and "2025-2029" in first_line  # its signature day is not given
    assert normalize(answer.answer).index("rouen") > normalize(answer.answer).index("havre")


def test_dev_question_on_active_contracts(assistant):
    answer = assistant.ask("Combien de contrats locaux de santé sont actifs en Normandie ?")
    assert answer.citations[0].date == "2025-03-27"
    assert normalize("21") in normalize(answer.answer.split("[1]")[0])
    for citation in answer.citations:
        assert f"[{citation.n}]" in answer.answer
        assert citation.quote in assistant.retriever.document_text(citation.file)


def test_catalogue_answers_follow_the_audience(assistant):
    question = "Combien de contrats locaux de santé sont actifs en Normandie ?"
    short, labelled = assistant.ask(question, audience="elu"), assistant.ask(question, audience="ars")
    assert len(short.citations) < len(labelled.citations)
    assert labelled.answer.startswith("Contrat local de santé : l'ARS Normandie")  # names the document


def test_precedent_finds_the_rouen_interpretation_action(assistant):
    answer = assistant.ask("Trouve des actions similaires à l'interprétariat pour les allophones dans d'autres CLS")
    assert answer.found and "Métropole Rouen Normandie" in answer.answer
    cited = [c for c in answer.citations if "interprétariat" in c.quote]
    assert cited and cited[0].file == ROUEN_2023 and cited[0].page == 2
    assert f"[{cited[0].n}]" in answer.answer


def test_list_questions_from_the_catalogue(assistant):
    mental = assistant.ask("Quels CLS ont un axe santé mentale ?")
    assert "Le Havre Seine Métropole" in mental.answer and "Rouen" not in mental.answer
    assert "santé mentale" in mental.citations[0].quote
    signed_2025 = assistant.ask("Liste des CLS signés en 2025")
    assert "Le Havre Seine Métropole" in signed_2025.answer and "Rouen" not in signed_2025.answer
    territories = assistant.ask("Quels territoires normands ont signé un CLS ?")
    for name in ("Rouen", "Havre", "Villes sœurs", "Argentan"):
        assert name in territories.answer


def test_streamed_catalogue_answer_is_the_answer(assistant):
    stream = assistant.stream("Combien de CLS sont actifs ?")
    pieces = list(stream)
    assert stream.answer.engine == "catalogue"
    assert "".join(pieces).strip() == stream.answer.answer.strip()


def test_only_catalogue_questions_are_routed():
    routed = {q.id for q in load_questions(SHARED / "eval" / "questions.jsonl") if catalogue_question(q.question)}
    assert routed == {"d07", "d22"}
    assert catalogue_question("Combien de CLS sont actifs ?").status == "active"
    assert catalogue_question("Liste des CLS signés en 2025").year == 2025
    theme = catalogue_question("Quels CLS ont un axe santé mentale ?")
    assert (theme.kind, theme.theme_label, theme.theme_fields) == ("list", "santé mentale", ("axes",))
    assert catalogue_question("Existe-t-il des actions comparables au bus de prévention ?").kind == "precedents"
    assert catalogue_question("Quels sont les axes du CLS de Lisieux ?") is None


def test_catalog_command_json(sample_store):
    env = {**os.environ, "CLS_DATA_DIR": str(sample_store[0].data_dir)}
    result = subprocess.run([sys.executable, "-m", "assistant.cli", "catalog", "--json"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    names = [record["name"] for record in payload["records"]]
    assert len(names) == 4 and "Le Havre Seine Métropole" in names
    havre = payload["records"][names.index("Le Havre Seine Métropole")]
    assert set(havre["period"]["source"]) >= {"file", "page", "quote"}
    assert havre["status_label"] in ("actif", "terminé")
    assert any(c["count"] == 21 for c in payload["counts"])
    text = subprocess.run([sys.executable, "-m", "assistant.cli", "catalog"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert text.returncode == 0 and "Pays d’Argentan" in text.stdout


def test_glossary_entries_are_sorted_and_complete():
    entries = glossary_entries()
    assert [a for a, _ in entries] == sorted(GLOSSARY, key=str.casefold)
    assert dict(entries) == GLOSSARY


# --- documents of other shapes ----------------------------------------------------------------

CONTRACT_PAGES = [
    [("h", "CONTRAT LOCAL DE SANTÉ 2024-2027"),
     ("h", "Communauté de communes des Coteaux de la Vire"),
     ("p", "Entre les soussignés :"),
     ("p", "L'Agence régionale de santé de Normandie, représentée par son directeur général,"),
     ("p", "La Communauté de communes des Coteaux de la Vire, représentée par sa présidente,"),
     ("p", "La Caisse d'allocations familiales du Calvados, représentée par son directeur,"),
     ("p", "il est convenu ce qui suit."),
     ("h", "Article 1 – Durée du contrat"),
     ("p", "Le présent contrat prend effet à sa signature et couvre la période 2024-2027."),
     ("p", "Fait à Vire, le 4 avril 2024."),
     ("h", "Article 2 – Axes stratégiques"),
     ("p", "Axe 1 : Accès aux soins de premier recours"),
     ("p", "Axe 2 : Santé mentale des adolescents"),
     ("p", "Axe 3 : Bien vieillir à domicile")],
    [("h", "Fiche action n°1 – Médiation en santé pour les personnes allophones"),
     ("p", "Des médiateurs en santé accompagnent les personnes allophones vers les soins, avec un "
           "service d'interprétariat par téléphone pour les consultations."),
     ("p", "Partenaires : CPAM du Calvados, centre hospitalier de Vire, association Vire Solidarité."),
     ("p", "Budget : 40 000 € par an, financés par l'ARS Normandie."),
     ("h", "Fiche action n°2 – Maison des adolescents itinérante"),
     ("p", "Une équipe de la maison des adolescents se déplace chaque semaine dans les collèges du "
           "territoire pour proposer une écoute aux jeunes et orienter ceux qui en ont besoin vers un "
           "psychologue. " * 3)],
    [("p", "Les familles sont associées aux permanences organisées pendant les vacances scolaires."),
     ("h", "Fiche action n°3 – Prévention des chutes des personnes âgées"),
     ("p", "Des ateliers d'équilibre sont proposés dans chaque commune de plus de 2 000 habitants, "
           "animés par des enseignants en activité physique adaptée."),
     ("h", "Partenaires"),
     ("p", "Club des aînés de Vire, CCAS de Vire."),
     ("h", "Article 5 – Coordination"),
     ("p", "Une coordinatrice à temps plein, recrutée par la Communauté de communes, anime le contrat ; "
           "son poste est cofinancé par l'ARS Normandie à hauteur de 25 000 € par an.")],
]


def write_contract_pdf(path: Path, pages: list | None = None) -> Path:
    """A contract PDF, one list of (« h » heading | « p » paragraph, text) blocks a page; by
    default three pages: parties block, « Fait à … le … », numbered axes, fiches actions."""
    pages = pages or CONTRACT_PAGES
    canvas = Canvas(str(path), pagesize=A4, invariant=1)
    width, height = A4
    for number, blocks in enumerate(pages, start=1):
        y = height - 72
        for style, text in blocks:
            font, size = ("Helvetica-Bold", 13) if style == "h" else ("Helvetica", 10)
            canvas.setFont(font, size)
            for line in simpleSplit(text, font, size, width - 144):
                canvas.drawString(72, y, line)
                y -= size * 1.4
            y -= 8
        canvas.setFont("Helvetica", 8)
        canvas.drawString(72, 40, f"{number} / {len(pages)}")
        canvas.showPage()
    canvas.save()
    return path


@pytest.fixture(scope="module")
def own_store(embeddings, tmp_path_factory):
    """tests/data/catalogue-corpus + the generated PDF; the 2023 project note is internal."""
    folder = tmp_path_factory.mktemp("catalogue-corpus")
    for document in OWN_CORPUS.iterdir():
        shutil.copy(document, folder / document.name)
    write_contract_pdf(folder / OWN_PDF)
    manifest = folder / "manifest.csv"
    manifest.write_text("file,visibility\ncoteaux-de-la-vire_2023-11-20_projet-cls.txt,internal\n", encoding="utf-8")
    settings = make_settings(tmp_path_factory.mktemp("own") / "data")
    ingestor = Ingestor(settings, embeddings)
    ingestor.run([folder], manifest=manifest)
    return settings, ingestor.collection, folder


@pytest.fixture(scope="module")
def own_catalogue(own_store):
    settings, _, _ = own_store
    return load_catalogue(settings, TODAY, role="ars")


def test_other_shapes_contract_pdf(own_catalogue):
    vire = by_name(own_catalogue.records, "coteaux de la vire")
    assert vire.signed_on.normalized == "2024-04-04" and vire.signed_on.source.quote == "Fait à Vire, le 4 avril 2024."
    assert vire.period.normalized == "2024-2027" and vire.status == "active"
    assert [a.normalized for a in vire.alternates["period"]] == ["2024-2028"]  # the older note
    assert vire.alternates["period"][0].source.file == "coteaux-de-la-vire_2023-11-20_projet-cls.txt"
    assert vire.preparation is None  # « le futur contrat » was before the signature
    assert values(vire.axes) == ["acces aux soins de premier recours", "sante mentale des adolescents",
                                 "bien vieillir a domicile"]
    sheets = {a.normalized: a for a in vire.actions}
    assert set(sheets) == {"n°1", "n°2", "n°3"}
    assert sheets["n°1"].source.page == 2 and sheets["n°3"].source.page == 3
    assert "interprétariat" in sheets["n°1"].source.quote
    signatories = {"agence regionale de sante de normandie", "caisse d allocations familiales du calvados"}
    assert signatories <= set(values(vire.signatories))
    assert {"centre hospitalier de vire", "club des aines de vire", "ccas de vire"} <= set(values(vire.partners))
    assert any("40 000" in c.value for c in vire.funding)
    assert any("coordinatrice" in c.value for c in vire.coordination)


def test_other_shapes_regional_page(own_catalogue):
    bocage = by_name(own_catalogue.records, "bocage ornais")
    assert bocage.signed_on.normalized == "2020-03-14" and bocage.period.normalized == "2020-2023"
    assert bocage.status == "ended" and len(bocage.actions) == 2
    assert {"ars normandie", "mutualite sociale agricole"} <= set(values(bocage.signatories))
    littoral = by_name(own_catalogue.records, "littoral augeron")
    assert littoral.status == "in_preparation" and littoral.preparation
    assert not littoral.actions  # the Bocage's actions stay with the Bocage
    assert [(c.count, c.as_of) for c in own_catalogue.counts] == [(26, "2026-06-01")]


def test_other_shapes_nothing_invented(own_catalogue, own_store):
    assert_nothing_invented(own_catalogue, own_store[1])


def test_public_role_does_not_see_internal_documents(own_store):
    public = by_name(load_catalogue(own_store[0], TODAY).records, "coteaux de la vire")
    assert "period" not in public.alternates
    assert all(c.source.file != "coteaux-de-la-vire_2023-11-20_projet-cls.txt" for _, c in public.cited_fields())


def test_other_shapes_chat(own_store):
    assistant = load_assistant(own_store[0], today=TODAY)
    count = assistant.ask("Combien de CLS sont actifs ?")
    assert "26" in count.answer.split("[1]")[0]
    assert count.citations[0].file == "ars-normandie_2026-06-10_actualites-cls.md"
    assert "Coteaux de la Vire" in count.answer and "Bocage" not in count.answer
    preparing = assistant.ask("Quels CLS sont en préparation ?")
    assert "Littoral Augeron" in preparing.answer and "Vire" not in preparing.answer
    precedent = assistant.ask("Y a-t-il des actions comparables à l'interprétariat pour les allophones ?")
    assert precedent.citations and any(c.file == OWN_PDF and c.page == 2 for c in precedent.citations)


def test_catalogue_follows_the_store(own_store, embeddings, tmp_path):
    """Rebuilt by an ingestion that changes something; rebuilt lazily when its file is lost."""
    settings, _, folder = own_store
    other = make_settings(tmp_path / "data")
    copy = tmp_path / "docs"
    shutil.copytree(folder, copy)
    Ingestor(other, embeddings).run([copy])
    assert by_name(load_catalogue(other, TODAY).records, "bocage")
    (copy / "ars-normandie_2026-06-10_actualites-cls.md").unlink()
    Ingestor(other, embeddings).run([copy], sync=True)
    names = [r.name for r in load_catalogue(other, TODAY).records]
    assert not any("Bocage" in name for name in names) and any("Vire" in name for name in names)
    other.catalogue_path.write_bytes(b"not a database")
    source = CatalogueSource(other, Ingestor(other, embeddings).collection, lambda: TODAY)
    assert [r.name for r in source.current().records] == names


def test_a_reader_sees_the_catalogue_of_the_documents_it_may_see():
    """Hidden documents are left out before merging: a value they repeat is still there."""
    from assistant.catalogue import Cited, DocumentFacts, Extraction, Source
    from assistant.catalogue.merging import catalogue_view
    from assistant.core.filters import Filters

    def facts(file: str, day: str, visibility: str, period: str) -> DocumentFacts:
        source = Source(f"{file}:0", file, "", "", day, None, f"CLS du Pays de X {period}", {"visibility": visibility})
        return DocumentFacts("x", file, day, territory=Cited("Pays de X", source), period=Cited(period, source, period))

    extraction = Extraction([facts("new.md", "2025-01-01", "internal", "2024-2028"),
                             facts("old.md", "2023-01-01", "public", "2024-2028")])
    [public] = catalogue_view(extraction, TODAY, Filters(visibility=("public",))).records
    assert public.period.source.file == "old.md" and public.status == "active"
    [everything] = catalogue_view(extraction, TODAY).records
    assert everything.period.source.file == "new.md"
    assert catalogue_view(extraction, TODAY, Filters(visibility=("none",))).records == []
