"""The cited PDF page as printed: the highlight lies on the lines where the quote was drawn.

Ground truth is where reportlab drew each line (tests/contract_pdf.py), not pdfium's own reading;
pixels of the rendered page are checked inside and outside the highlighted lines.
"""

from __future__ import annotations

import io

import pytest
from PIL import Image
from reportlab.pdfbase.pdfmetrics import stringWidth

from assistant import page_images
from ingest import ocr
from ingest.loaders import load
from tests.conftest import CORPUS_BAD
from tests.contract_pdf import ACROSS, ACROSS_PAGE, FACTS, write_contract


@pytest.fixture(scope="module")
def contract(tmp_path_factory):
    pdf = tmp_path_factory.mktemp("pages") / "contrat.pdf"
    return pdf, write_contract(pdf)


def highlighted_share(png: bytes, box: tuple[float, float, float, float]) -> float:
    """Share of the pixels in the box that are highlighter yellow (or glyphs drawn over it)."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    left, top, right, bottom = (round(v) for v in box)
    pixels = [image.getpixel((x, y)) for x in range(left, right) for y in range(top, bottom)]
    yellow = [p for p in pixels if p[0] > 200 and p[1] > 170 and p[2] < 200]
    return len(yellow) / max(len(pixels), 1)


def line_box(line, scale: float) -> tuple[float, float, float, float]:
    """The band between the line's x-height and baseline, where a highlight must lie."""
    width = stringWidth(line.text, "Helvetica", line.size)
    return ((line.left + 2) * scale, (line.baseline - 0.6 * line.size) * scale,
            (line.left + width - 2) * scale, (line.baseline - 0.1 * line.size) * scale)


def test_the_highlight_covers_exactly_the_lines_of_the_quote(contract):
    pdf, printed = contract
    fact = FACTS[3][0]
    found = page_images.locate(pdf, fact, 3)
    assert [page.number for page in found] == [3]
    quoted = [line for line in printed if line.page == 3 and line.text in fact]
    assert len(quoted) >= 2 and " ".join(line.text for line in quoted) == fact
    assert len(found[0].boxes) == len(quoted)
    for box, line in zip(found[0].boxes, quoted):
        assert box.top < line.baseline - 0.6 * line.size and box.bottom > line.baseline
        assert abs(box.left - line.left) < 3
        assert abs(box.right - (line.left + stringWidth(line.text, "Helvetica", line.size))) < 4

    png = page_images.render(pdf, 3, found[0].boxes)
    for line in printed:
        if line.page != 3:
            continue
        share = highlighted_share(png, line_box(line, page_images.SCALE))
        assert (share > 0.5) if line in quoted else (share == 0), (line.text, share)
    assert page_images.render(pdf, 3, found[0].boxes) is png  # cached per page


def test_a_quote_over_two_pages_is_highlighted_on_both(contract):
    pdf, printed = contract
    found = page_images.locate(pdf, " ".join(ACROSS), ACROSS_PAGE)
    assert [page.number for page in found] == [ACROSS_PAGE, ACROSS_PAGE + 1]
    for page, part in zip(found, ACROSS):
        line = next(line for line in printed if line.page == page.number and line.text in part)
        assert any(box.top < line.baseline < box.bottom for box in page.boxes)


def test_spacing_case_accents_and_hyphenation_do_not_hide_the_quote(contract):
    pdf, _ = contract
    found = page_images.locate(pdf, "le BUS sante itine-\nrant du  CLS de Valmont-sur-Orne", 1)
    assert [page.number for page in found] == [4]


def test_a_sentence_absent_from_the_document_is_not_highlighted(contract):
    pdf, _ = contract
    assert page_images.locate(pdf, "Le conseil municipal de Rouen a voté la gratuité des transports.", 2) == []


def test_a_sentence_that_differs_by_one_number_is_found_where_it_is_exact(contract):
    pdf, printed = contract
    # Filler sentences differ only by their « séance numéro N »: the exact one wins over lookalikes.
    line = next(line for line in printed if line.page == 6 and "séance numéro 6" in line.text)
    sentence = line.text[: line.text.index("séance numéro 6") + len("séance numéro 6x")]
    assert [page.number for page in page_images.locate(pdf, sentence, 2)] == [6]


@pytest.mark.skipif(ocr.tesseract() is None, reason="tesseract (fra) absent")
def test_a_scanned_page_is_highlighted_from_tesseract_word_boxes():
    scan = CORPUS_BAD / "scanned.pdf"
    text = load(scan, scan.read_bytes()).pages[0].text
    sentence = next(s for s in text.replace("\n", " ").split(". ") if "12 mai 2024" in s)
    found = page_images.locate(scan, sentence, 1)
    assert [page.number for page in found] == [1] and found[0].boxes
    png = page_images.render(scan, 1, found[0].boxes)
    assert max(highlighted_share(png, box.scaled(page_images.SCALE)) for box in found[0].boxes) > 0.3
