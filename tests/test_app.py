"""The Streamlit app driven by `streamlit.testing.v1.AppTest`: the flows people use, on real stores."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from assistant.core.config import get_settings
from assistant.core.filters import Filters
from assistant.passages import Answer, Citation
from assistant.ui import export, sources
from assistant.ui.markdown import answer_markdown, escape, highlighted_markdown
from assistant.ui.session import Turn
from tests.conftest import CORPUS_BAD, ROOT

APP = str(ROOT / "streamlit_app.py")
DOCUMENTS_PAGE = "assistant/ui/pages/documents.py"
TIMEOUT = 240  # the first run loads the embedding model


def open_app(monkeypatch, data_dir) -> AppTest:
    monkeypatch.setenv("CLS_DATA_DIR", str(data_dir))
    monkeypatch.delenv("CLS_CHROMA_URL", raising=False)
    monkeypatch.setenv("CLS_LLM", "extractive")
    get_settings.cache_clear()
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture(autouse=True)
def fresh_settings():
    """Each test reads its own CLS_* variables, and leaves no settings behind for the next."""
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def app(sample_store, monkeypatch):
    settings, _, _ = sample_store
    return open_app(monkeypatch, settings.data_dir)


def ask(at: AppTest, question: str) -> AppTest:
    at.chat_input(key="question").set_value(question).run()
    assert not at.exception, at.exception
    return at


def last_turn(at: AppTest) -> Turn:
    return at.session_state["turns"][-1]


def text_of(elements) -> str:
    return "\n".join(html.unescape(element.value) for element in elements)


def test_ask_gives_an_answer_with_linked_citations_and_sources(app):
    ask(app, "Quel soutien financier l'ARS Normandie peut-elle apporter pour la coordination d'un CLS ?")
    turn = last_turn(app)
    assert turn.answer.found and turn.answer.citations
    reply = app.chat_message[-1]
    answer_text = text_of(reply.markdown)
    assert "25 000" in answer_text
    assert f"(#source-{turn.id}-1" in answer_text  # [1] links to its source card
    headings = [html.unescape(h.value) for h in reply.subheader]
    assert headings[0].startswith("[1] Contrat local de santé")
    assert "ARS Normandie" in text_of(reply.caption) and "27 mars 2025" in text_of(reply.caption)
    passage = text_of(reply.expander[0].markdown)
    assert ":orange-background[**" in passage and "25 000" in passage
    assert {"Markdown", "Word", "PDF"} <= {b.label for b in app.get("download_button")}
    # Only cited passages get a card; the other retrieved ones are listed under one collapsed expander.
    assert len(headings) == len(turn.answer.citations)
    consulted = [e for e in reply.expander if e.label.startswith("Autres passages consultés")]
    assert len(consulted) == 1 and consulted[0].proto.expanded is False
    cited = {sources.passage_for(c, turn.answer.sources).id for c in turn.answer.citations}
    assert consulted[0].label == f"Autres passages consultés ({len(turn.answer.sources) - len(cited)})"
    assert ":orange-background" not in text_of(consulted[0].markdown)


def test_unanswerable_question_says_what_was_searched_and_closest_documents(app):
    ask(app, "Quel est le budget total du CLS de Cherbourg-en-Cotentin ?")
    assert not last_turn(app).answer.found
    notice = text_of(app.chat_message[-1].info)
    assert "Je n'ai pas trouvé" in notice
    assert "Recherche effectuée : « Quel est le budget total du CLS de Cherbourg-en-Cotentin ? »" in notice
    assert "Documents les plus proches" in notice and "« Cherbourg-en-Cotentin »" in notice  # the name as typed
    assert not app.chat_message[-1].subheader  # no sources panel


def test_territory_filter_changes_the_sources(app):
    question = "Quels sont les signataires du contrat local de santé ?"
    territory = app.sidebar.selectbox(key="filter_territory")
    assert "Le Havre Seine Métropole" in territory.options
    territory.set_value("Métropole Rouen Normandie").run()
    ask(app, question)
    rouen = {c.file for c in last_turn(app).answer.citations}
    assert rouen and all(file.startswith("rouen-metropole") for file in rouen)
    assert "territoire : Métropole Rouen Normandie" in text_of(app.caption)

    app.sidebar.selectbox(key="filter_territory").set_value("Le Havre Seine Métropole").run()
    ask(app, question)
    havre = {c.file for c in last_turn(app).answer.citations}
    assert havre == {"le-havre-seine-metropole_2025-11-27_cls-2025-2029.html"}


def test_document_type_and_dates_filters_are_filled_from_the_store(app):
    doc_type = app.sidebar.selectbox(key="filter_doc_type")
    assert set(doc_type.options) == {"Tous les types", "Communiqué de presse", "Page web"}
    dates = app.sidebar.slider(key="filter_dates")
    assert dates.value == (date(2017, 12, 8), date(2025, 11, 27))
    doc_type.set_value("web_page").run()
    ask(app, "Combien de contrats locaux de santé sont actifs en Normandie ?")
    assert last_turn(app).filters.doc_type == "web_page"
    assert {c.file for c in last_turn(app).answer.citations} <= {
        "ars-normandie_2017-12-08_contrats-locaux-de-sante.txt", "rouen-metropole_2025-03-20_politique-sante.md"
    }

    app.sidebar.selectbox(key="filter_doc_type").set_value("").run()
    app.sidebar.slider(key="filter_dates").set_value((date(2025, 1, 1), date(2025, 11, 27))).run()
    ask(app, "Combien de contrats locaux de santé sont actifs en Normandie ?")
    turn = last_turn(app)
    assert (turn.filters.date_from, turn.filters.date_to) == ("2025-01-01", None)
    assert turn.answer.citations and all(c.date >= "2025-01-01" for c in turn.answer.citations)


def test_follow_up_question_uses_the_conversation(app):
    ask(app, "Quels sont les trois axes du nouveau CLS du Havre ?")
    ask(app, "Qui l'a signé ?")
    assert len(app.session_state["turns"]) == 2
    follow_up = last_turn(app)
    assert "Havre" in follow_up.answer.question
    assert "Question comprise comme" in text_of(app.chat_message[-1].caption)
    assert {c.file for c in follow_up.answer.citations} == {"le-havre-seine-metropole_2025-11-27_cls-2025-2029.html"}
    assert len(app.chat_message) == 4  # both turns stay on screen


def test_new_conversation_starts_over(app):
    ask(app, "Quels sont les trois axes du nouveau CLS du Havre ?")
    app.sidebar.button(key="new_conversation").click().run()
    assert app.session_state["turns"] == [] and not app.chat_message
    assert any(b.key.startswith("starter-") for b in app.button if b.key)


def test_audience_changes_starters_and_answer_style(app):
    starters = lambda: [b.label for b in app.button if b.key and b.key.startswith("starter-")]  # noqa: E731
    coordinator = starters()
    app.sidebar.radio(key="audience").set_value("elu").run()
    assert starters() and starters() != coordinator
    question = "Combien de contrats locaux de santé sont actifs en Normandie ?"
    ask(app, question)
    short = last_turn(app)
    app.sidebar.radio(key="audience").set_value("ars").run()
    ask(app, question)
    labelled = last_turn(app)
    assert short.audience == "elu" and labelled.audience == "ars"
    assert labelled.answer.answer.startswith("Contrat local de santé")  # ARS style names the document
    assert len(short.answer.citations) < len(labelled.answer.citations)


def test_starter_button_asks_its_question(app):
    button = next(b for b in app.button if b.key and b.key.startswith("starter-"))
    button.click().run()
    assert last_turn(app).question == button.label
    assert last_turn(app).answer.found


def test_empty_question_is_refused_with_a_message(app):
    ask(app, "   ")
    assert "Posez une question" in text_of(app.warning)


def test_upload_of_a_good_and_a_bad_file(tmp_path, monkeypatch):
    data_dir = tmp_path / "data"
    at = open_app(monkeypatch, data_dir)
    assert at.chat_input(key="question").disabled  # empty store: nothing to ask yet
    at.switch_page(DOCUMENTS_PAGE).run()
    good = (
        "# CLS de Testville\n\nLe contrat local de santé de Testville a été signé le 4 mars 2024 "
        "par la commune et l'ARS Normandie.\n\nSon comité de pilotage se réunit trois fois par an.\n"
    ).encode()
    bad = (CORPUS_BAD / "not-a-pdf.pdf").read_bytes()
    hostile = (CORPUS_BAD / "injection.md").read_bytes()  # orders to an AI: indexed, kept out of answers
    at.get("file_uploader")[0].set_value([
        ("testville.md", good, "text/markdown"),
        ("not-a-pdf.pdf", bad, "application/pdf"),
        ("consignes.md", hostile, "text/markdown"),
    ])
    next(b for b in at.button if b.label == "Indexer").click().run()
    assert not at.exception, at.exception

    assert "2 fichiers indexés" in text_of(at.success)
    refused = text_of(at.error)
    assert "not-a-pdf.pdf refusé :" in refused and len(refused) > len("not-a-pdf.pdf refusé : ") + 5
    assert re.search(r"consignes\.md : \d+ extraits? écartés? : consignes adressées à une IA", text_of(at.warning))
    report = at.dataframe[-1].value
    assert set(report["Résultat"]) == {"Ajouté", "Refusé"}
    assert "écarté" in report.set_index("Fichier").loc["consignes.md", "Détail"]
    assert (data_dir / "uploads" / "testville.md").is_file()
    assert not (data_dir / "uploads" / "not-a-pdf.pdf").exists()  # refused files are not kept
    table = at.dataframe[0].value
    assert sorted(table["Fichier"]) == ["consignes.md", "testville.md"]

    at.switch_page("assistant/ui/pages/chat.py").run()
    ask(at, "Combien de fois par an se réunit le comité de pilotage du CLS de Testville ?")
    turn = last_turn(at)
    assert turn.answer.found and turn.answer.citations[0].file == "testville.md"
    original = [b for b in at.get("download_button") if b.key and b.key.startswith("original-")]
    assert original, "the uploaded original can be downloaded from its source card"


def test_upload_without_file_asks_for_one(tmp_path, monkeypatch):
    at = open_app(monkeypatch, tmp_path / "data")
    at.switch_page(DOCUMENTS_PAGE).run()
    next(b for b in at.button if b.label == "Indexer").click().run()
    assert "Choisissez au moins un fichier" in text_of(at.warning)


# The pure parts: escaping, highlighting, export.

HOSTILE = "<script>alert('xss')</script><img src=x onerror=alert(1)> [lien](javascript:alert(1)) :red[rouge] $x^2$ **gras**"


def test_escaped_text_has_no_markup_left():
    escaped = escape(HOSTILE)
    for char in "<>[]()*:$`":
        assert char not in escaped
    assert html.unescape(escaped) == HOSTILE


def test_bare_addresses_do_not_become_links():
    escaped = escape("voir https://exemple.test/x, www.exemple.test et contact@exemple.test")
    assert "https\u2060&#58;" in escaped and "www\u2060&#46;" in escaped and "&#64;\u2060exemple" in escaped
    assert html.unescape(escaped).replace("\u2060", "") == "voir https://exemple.test/x, www.exemple.test et contact@exemple.test"


def test_answer_markdown_links_citations_and_keeps_lists():
    rendered = answer_markdown("Deux axes : [1]\n- santé mentale [2]\n- <b>environnement</b>", "t1", {1: 'Titre "cité"'})
    assert '[:blue-badge[1]](#source-t1-1 "Titre &#34;cité&#34;")' in rendered
    assert "\n- santé mentale [:blue-badge[2]](#source-t1-2)" in rendered
    assert "<b>" not in rendered and html.unescape(rendered.splitlines()[-1]) == "- <b>environnement</b>"


def test_quote_is_highlighted_inside_the_escaped_passage():
    passage = "Intro <i>x</i>.\n\nLe comité se réunit\ndeux fois par an. Fin."
    rendered = highlighted_markdown(passage, "Le comité se réunit deux fois par an.")
    assert ":orange-background[**Le comité se réunit**]" in rendered
    assert ":orange-background[**deux fois par an&#46;**]" in rendered
    assert "<i>" not in rendered


def test_briefing_note_holds_the_answer_and_its_sources():
    citation = Citation(1, "doc.pdf", "Titre <b>", "ARS Normandie", "2025-03-27", 2, "Une phrase [citée].")
    answer = Answer("Quelle aide ?", "Une phrase [citée]. [1]", True, [citation], [])
    turn = Turn("Quelle aide ?", answer, "elu", Filters(territory="Normandie"))
    note = export.briefing_note(turn, "extractif")
    assert note.startswith("# Note de synthèse")
    assert "profil : Élu·e" in note and "Filtres : territoire : Normandie" in note
    assert "Une phrase \\[citée\\]. [1]" in note
    assert "1. **Titre \\<b\\>** — ARS Normandie, 27 mars 2025, page 2, fichier doc.pdf" in note
    assert "> « Une phrase \\[citée\\]. »" in note
    assert export.file_name(turn).startswith("note-cls-") and export.file_name(turn).endswith(".md")


def test_catalogue_page_lists_cited_records_and_filters(app):
    at = app
    at.switch_page("assistant/ui/pages/catalogue.py").run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    assert {"Métropole Rouen Normandie", "Le Havre Seine Métropole"} <= set(table["Territoire"])
    assert any("Villes" in name for name in table["Territoire"])
    details = text_of(at.markdown)
    assert "Axes stratégiques" in details and "CPAM" in details
    assert "CPTS" in details  # the glossary
    at.text_input[0].set_value("santé mentale").run()
    filtered = set(at.dataframe[0].value["Territoire"])
    assert "Le Havre Seine Métropole" in filtered and len(filtered) < len(table)
    at.text_input[0].set_value("").run()
    at.number_input[0].set_value(2019).run()
    assert set(at.dataframe[0].value["Territoire"]) == {n for n in table["Territoire"] if "Villes" in n}
