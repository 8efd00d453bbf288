"""Briefing notes in Word and PDF, read back with python-docx and pypdf: the answers, every quote and
page, the turns in order, and document text that stays plain text (no field, link or markup).

The answers are real: a generated contract PDF and a text file whose sentence holds markup and a
spreadsheet formula, ingested with the real model and answered by the real engine.
"""

from __future__ import annotations

import html
import io
import re
import zipfile

import pytest
from docx import Document
from pypdf import PdfReader

from assistant.core.filters import Filters
from assistant.service import load_assistant
from assistant.ui import export
from assistant.ui.session import Turn
from ingest.pipeline import Ingestor
from tests.conftest import make_settings
from tests.contract_pdf import FACTS, write_contract

HOSTILE = ('Le comité de suivi du CLS de Testville se réunit <b>quatre fois</b> par an selon la règle '
           '=HYPERLINK("http://exemple.test/piege","cliquez ici") et {DDEAUTO c:\\\\cmd.exe} [lien](javascript:alert(1)).')
QUESTIONS = [FACTS[3][1], "Combien de fois par an se réunit le comité de suivi du CLS de Testville ?", FACTS[5][1]]


@pytest.fixture(scope="module")
def turns(tmp_path_factory, embeddings) -> list[Turn]:
    folder = tmp_path_factory.mktemp("notes-corpus")
    write_contract(folder / "valmont-sur-orne_2025-02-03_cls-2025-2029.pdf")
    (folder / "testville_2024-05-06_comite-de-suivi.txt").write_text(
        "Comité de suivi du CLS de Testville\n\n" + as_written(HOSTILE) + "\n\nLe comité associe les habitants du quartier.\n",
        encoding="utf-8")
    settings = make_settings(tmp_path_factory.mktemp("notes-store") / "data")
    report = Ingestor(settings, embeddings).run([folder])
    assert len(report.added) == 2, report.to_dict()
    assistant = load_assistant(settings)
    made = [Turn(q, assistant.ask(q), "elu", Filters()) for q in QUESTIONS]
    for turn in made:
        assert turn.answer.found and turn.answer.citations, turn.question
    assert any("=HYPERLINK(" in c.quote and "<b>" in c.quote for c in made[1].answer.citations)
    return made


def as_written(text: str) -> str:
    """Markup written in entities: ingestion removes tags left by a loader but decodes entities, so
    the stored text holds the markup itself, which every note must keep as plain text."""
    return html.escape(text, quote=False)


def squeeze(text: str) -> str:
    return " ".join(text.split())


def expected_pieces(turn: Turn) -> list[str]:
    pieces = [squeeze(re.sub(r"\[\d+\]", "", turn.answer.answer)).split(". ")[0]]
    for citation in turn.answer.citations:
        pieces += [squeeze(citation.quote), f"page {citation.page}" if citation.page else citation.file]
    return pieces


def word_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    return squeeze("\n".join(paragraph.text for paragraph in document.paragraphs))


def pdf_text(data: bytes) -> str:
    return squeeze(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


@pytest.mark.parametrize("extension", ["docx", "pdf"])
def test_one_answer_note_holds_answer_quotes_and_pages(turns, extension):
    for turn in turns:
        data = export.document([turn], "extractif", extension)
        text = word_text(data) if extension == "docx" else pdf_text(data)
        assert text.startswith("Note de synthèse")
        assert squeeze(turn.question) in text and "Élu·e" in text
        for piece in expected_pieces(turn):
            assert piece in text, (extension, piece)
        for citation in turn.answer.citations:
            assert f"[{citation.n}]" in text and (citation.publisher or "éditeur inconnu") in text


@pytest.mark.parametrize("extension", ["docx", "pdf"])
def test_conversation_note_keeps_the_order_of_the_turns(turns, extension):
    data = export.document(turns, "extractif", extension)
    text = word_text(data) if extension == "docx" else pdf_text(data)
    positions = [text.index(squeeze(turn.question)) for turn in turns]
    assert positions == sorted(positions)
    for number, turn in enumerate(turns, start=1):
        assert f"Question {number}" in text
        for piece in expected_pieces(turn):
            assert piece in text[positions[number - 1]:], (extension, piece)


def test_markup_and_formulas_stay_plain_text_in_word(turns):
    data = export.document(turns, "extractif", "docx")
    assert 'selon la règle =HYPERLINK("http://exemple.test/piege","cliquez ici")' in word_text(data)
    assert "<b>quatre fois</b>" in word_text(data) and "[lien](javascript:alert(1))" in word_text(data)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = package.namelist()
        xml = "".join(package.read(name).decode("utf-8", "replace") for name in names if name.endswith(".xml") or name.endswith(".rels"))
    assert not any(name.endswith((".bin", "vbaProject.bin")) for name in names)
    for element in ("<w:fldSimple", "<w:instrText", "<w:hyperlink", "<w:fldChar", "TargetMode=\"External\""):
        assert element not in xml, element
    assert "<b>" not in xml and "&lt;b&gt;quatre fois&lt;/b&gt;" in xml


def test_markup_and_formulas_stay_plain_text_in_pdf(turns):
    data = export.document(turns, "extractif", "pdf")
    text = pdf_text(data)
    assert 'selon la règle =HYPERLINK("http://exemple.test/piege","cliquez ici")' in text
    assert "<b>quatre fois</b>" in text and "{DDEAUTO" in text
    reader = PdfReader(io.BytesIO(data))
    assert all("/Annots" not in page for page in reader.pages)
    assert "/OpenAction" not in reader.trailer["/Root"] and "/Names" not in reader.trailer["/Root"]
    keys = set()
    for number in range(1, int(reader.trailer["/Size"])):
        found = reader.get_object(number)
        if hasattr(found, "keys"):
            keys |= set(found.keys())
    assert {"/Annots", "/A", "/AA", "/JS", "/JavaScript", "/URI", "/Launch", "/OpenAction"}.isdisjoint(keys)


def test_markdown_note_of_the_conversation_escapes_document_text(turns):
    text = export.document(turns, "extractif", "md").decode("utf-8")
    assert text.index(turns[0].question) < text.index(turns[1].question.replace("?", "?")) < text.index(turns[2].question)
    assert "\\<b\\>quatre fois\\</b\\>" in text and "<b>" not in text
    assert "\\[lien\\](javascript:alert(1))" in text
