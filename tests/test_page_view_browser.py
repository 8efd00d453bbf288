"""In a real headless Chromium: the cited PDF page shown with the quote highlighted, and the notes.

The store holds the generated contract of tests/contract_pdf.py (facts at known pages) and a text
file whose sentence carries markup and a formula. The rendered page is fetched from the browser
and its highlight checked against the PDF's text layer: the quote's words (found by pdfium's own
search) are under the marker, words elsewhere on the page are not. Screenshots go to the test's
folder, and also to `$SCREENS_DIR` when it is set.
"""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from docx import Document
from PIL import Image
from pypdf import PdfReader

from ingest.pipeline import Ingestor
from tests.conftest import make_settings
from tests.contract_pdf import FACTS, write_contract
from tests.live_app import chromium, require_chromium, streamlit
from tests.test_briefing import HOSTILE, as_written

require_chromium()
from playwright.sync_api import Page  # noqa: E402  (after the skip decision)

PDF_NAME = "valmont-sur-orne_2025-02-03_cls-2025-2029.pdf"
FACT_PAGE = 3


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, embeddings):
    folder = tmp_path_factory.mktemp("page-view-corpus")
    write_contract(folder / PDF_NAME)
    (folder / "testville_2024-05-06_comite-de-suivi.txt").write_text(
        "Comité de suivi du CLS de Testville\n\n" + as_written(HOSTILE) + "\n", encoding="utf-8")
    settings = make_settings(tmp_path_factory.mktemp("page-view") / "data")
    report = Ingestor(settings, embeddings).run([folder])
    assert len(report.added) == 2, report.to_dict()
    return settings, folder / PDF_NAME


@pytest.fixture(scope="module")
def page(corpus, tmp_path_factory):
    settings, _ = corpus
    log = tmp_path_factory.mktemp("page-view-server") / "streamlit.log"
    with streamlit(log, {"CLS_DATA_DIR": str(settings.data_dir)}) as url:
        with chromium() as context:
            tab = context.new_page()
            tab.goto(url)
            tab.get_by_text("extraits", exact=False).first.wait_for(timeout=180_000)
            tab.locator("textarea").wait_for(timeout=60_000)
            yield tab


def screenshot(tab: Page, target, name: str, folder: Path) -> Path:
    path = folder / name
    target.screenshot(path=path)
    if os.environ.get("SCREENS_DIR"):
        Path(os.environ["SCREENS_DIR"]).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(os.environ["SCREENS_DIR"]) / name)
    return path


def ask(tab: Page, question: str, answers_before: int) -> None:
    box = tab.locator("textarea")
    box.fill(question)
    box.press("Enter")
    tab.locator('[class*="st-key-footer-"]').nth(answers_before).wait_for(timeout=120_000)


def shown_image(tab: Page, card) -> Image.Image:
    source = card.locator("img").first.get_attribute("src")
    response = tab.request.get(source if source.startswith("http") else tab.url.rstrip("/") + "/" + source.lstrip("/"))
    assert response.ok
    return Image.open(io.BytesIO(response.body())).convert("RGB")


def yellow_share(image: Image.Image, box: tuple[float, float, float, float]) -> float:
    left, top, right, bottom = (round(v) for v in box)
    pixels = [image.getpixel((x, y)) for x in range(left, right) for y in range(top, bottom)]
    return sum(1 for p in pixels if p[0] > 200 and p[1] > 170 and p[2] < 200) / max(len(pixels), 1)


def word_boxes(pdf: Path, number: int, scale: float) -> dict[str, list[tuple[float, float, float, float]]]:
    """Every word printed once on the page → its box in image pixels, from pdfium's text search."""
    document = pdfium.PdfDocument(str(pdf))
    page = document[number - 1]
    textpage = page.get_textpage()
    height = page.get_height()
    words = set(textpage.get_text_range().split())
    found = {}
    for word in words:
        if len(word) < 5 or not word.isalpha():
            continue
        searcher = textpage.search(word, match_case=True, match_whole_word=True)
        hits = []
        while (hit := searcher.get_next()) is not None:
            hits.append(hit)
        if len(hits) != 1:
            continue
        start, count = hits[0]
        boxes = [textpage.get_charbox(i) for i in range(start, start + count)]
        left, right = min(b[0] for b in boxes), max(b[2] for b in boxes)
        bottom, top = min(b[1] for b in boxes), max(b[3] for b in boxes)
        found[word] = ((left + 0.5) * scale, (height - top + 0.5) * scale,
                       (right - 0.5) * scale, (height - bottom - 0.5) * scale)
    document.close()
    return found


def test_the_cited_pdf_page_is_shown_with_the_quote_highlighted(page, corpus, tmp_path):
    _, pdf = corpus
    fact, question = FACTS[FACT_PAGE]
    ask(page, question, 0)
    badge = page.locator('[class*="st-key-answer-"] a[href^="#source-"]').first
    badge.click()
    card = page.locator('[class*="st-key-source-card-"]').first
    card.get_by_text(f"Page {FACT_PAGE} telle qu'imprimée").click()
    card.get_by_text(f"Page {FACT_PAGE} / 6").wait_for(timeout=30_000)
    card.locator("img").first.wait_for(timeout=30_000)
    image = shown_image(page, card)
    scale = image.width / pdfium.PdfDocument(str(pdf))[FACT_PAGE - 1].get_width()

    boxes = word_boxes(pdf, FACT_PAGE, scale)
    quoted = [word for word in fact.replace(",", " ").replace(".", " ").split() if word in boxes]
    elsewhere = [word for word in boxes if word not in fact]
    assert len(quoted) >= 5 and len(elsewhere) >= 5, (quoted, elsewhere)
    for word in quoted:
        assert yellow_share(image, boxes[word]) > 0.4, word
    for word in elsewhere:
        assert yellow_share(image, boxes[word]) == 0, word
    card.locator("img").first.scroll_into_view_if_needed()
    screenshot(page, card, "page-view.png", tmp_path)

    card.get_by_role("button", name="Page suivante").click()
    card.get_by_text(f"Page {FACT_PAGE + 1} / 6").wait_for(timeout=30_000)
    page.wait_for_timeout(500)
    following = shown_image(page, card)
    assert yellow_share(following, (0, 0, following.width, following.height)) == 0
    card.get_by_role("button", name="Page précédente").click()
    card.get_by_text(f"Page {FACT_PAGE} / 6").wait_for(timeout=30_000)


def test_the_answer_and_the_conversation_download_as_word_and_pdf(page, tmp_path):
    answers = page.locator('[class*="st-key-footer-"]').count()
    if answers == 0:
        ask(page, FACTS[FACT_PAGE][1], 0)
        answers = 1
    ask(page, "Combien de fois par an se réunit le comité de suivi du CLS de Testville ?", answers)
    footer = page.locator('[class*="st-key-footer-"]').last
    assert page.locator('a[href*="exemple.test"]').count() == 0  # a bare address in a source is no link
    with page.expect_download() as word:
        footer.get_by_role("button", name="Word").click()
    document = Document(word.value.path())
    text = " ".join(" ".join(p.text for p in document.paragraphs).split())
    assert word.value.suggested_filename.endswith(".docx")
    assert '=HYPERLINK("http://exemple.test/piege","cliquez ici")' in text and "<b>quatre fois</b>" in text
    assert "Sources" in text and "fichier testville_2024-05-06_comite-de-suivi.txt" in text

    conversation = page.locator('[class*="st-key-conversation-export"]')
    conversation.wait_for()
    with page.expect_download() as note:
        conversation.get_by_role("button", name="PDF").click()
    assert note.value.suggested_filename.startswith("conversation-cls-")
    reader = PdfReader(note.value.path())
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert text.index(FACTS[FACT_PAGE][1]) < text.index("comité de suivi du CLS de Testville ?")
    assert f"page {FACT_PAGE}" in text and "<b>quatre fois</b>" in text
    footer.scroll_into_view_if_needed()
    page.mouse.wheel(0, 2000)
    page.wait_for_timeout(300)
    screenshot(page, page.locator('[class*="st-key-footer-"]').last.locator("xpath=../.."), "export-buttons.png", tmp_path)
    page.screenshot(path=tmp_path / "conversation.png")
    if os.environ.get("SCREENS_DIR"):
        shutil.copy(tmp_path / "conversation.png", Path(os.environ["SCREENS_DIR"]) / "conversation.png")
