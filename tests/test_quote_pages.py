"""A citation's page is the page its quote starts on, not the first page of its chunk.

Measured on a generated contract whose facts sit at known pages (tests/contract_pdf.py): where each
quote lies is read back from the PDF's own text layer (pdfium, not the pypdf text ingestion read).
"""

from __future__ import annotations

import re

import pytest

from assistant import page_images
from assistant.core.embeddings import get_embeddings
from assistant.core.store import chroma_client, open_collection
from assistant.passages import Citation, Passage
from assistant.service import load_assistant
from ingest.pipeline import Ingestor
from tests.conftest import make_settings
from tests.contract_pdf import FACTS, write_contract

SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@pytest.fixture(scope="module")
def contract(tmp_path_factory, embeddings):
    folder = tmp_path_factory.mktemp("contract")
    pdf = folder / "valmont-sur-orne_2025-02-03_cls-2025-2029.pdf"
    write_contract(pdf)
    settings = make_settings(tmp_path_factory.mktemp("contract-store") / "data")
    report = Ingestor(settings, embeddings).run([folder])
    assert report.added == [pdf.name], report.to_dict()
    return settings, pdf


def printed_page(pdf, quote: str) -> int:
    found = page_images.locate(pdf, quote)
    assert found, quote
    return found[0].number


def test_every_sentence_of_every_chunk_cites_the_page_it_starts_on(contract):
    settings, pdf = contract
    collection = open_collection(chroma_client(settings), settings, get_embeddings(settings.embeddings))
    stored = collection.get(include=["documents", "metadatas"])
    later_page = 0
    for chunk_id, text, meta in zip(stored["ids"], stored["documents"], stored["metadatas"]):
        passage = Passage(chunk_id, text, meta)
        for sentence in SENTENCE_END.split(text):
            if len(sentence) < 40:
                continue
            citation = Citation.from_passage(1, passage, sentence)
            assert citation.page == printed_page(pdf, sentence), (sentence, meta)
            later_page += citation.page != meta["page"]
    assert later_page >= 5, "the contract must have quotes past the first page of their chunk"


def test_answers_cite_the_page_of_each_fact(contract):
    settings, pdf = contract
    assistant = load_assistant(settings)
    for page, (fact, question) in FACTS.items():
        answer = assistant.ask(question)
        assert answer.found, question
        assert answer.citations, question
        for citation in answer.citations:
            assert citation.page == printed_page(pdf, citation.quote), (question, citation)
        stating = [c for c in answer.citations if " ".join(c.quote.split()) in fact or fact in c.quote]
        assert stating and all(c.page == page for c in stating), (question, answer.citations)
