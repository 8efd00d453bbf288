"""The cited page of a PDF as printed: rendered to an image, the quoted words highlighted on it.

A quote comes from the cleaned text of a chunk; the PDF's own text layer (read with pdfium) says
where each character is drawn. Both are compared as streams of letters and digits only (accents,
case, spaces, punctuation and hyphenation removed), so the quote is found even where cleaning
re-flowed lines or dropped a running header between two pages. A page without a text layer (a
scan) is read by Tesseract, whose word boxes stand in for the characters. Pages are rendered and
read on demand and cached per page; pdfium is not thread-safe, so every call holds one lock.
"""

from __future__ import annotations

import difflib
import io
import shutil
import subprocess
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image, ImageDraw

SCALE = 1.6
"""Pixels per PDF point: an A4 page is about 950 pixels wide, readable in a source card."""
HIGHLIGHT = (255, 214, 0, 110)
"""Translucent yellow laid over the quoted words (a highlighter pen)."""
PADDING = 1.5
"""Points added around each highlighted line, so the marker covers ascenders and descenders."""
NEARBY_PAGES = 2
"""Pages searched after the expected one before the whole document is searched."""
SHINGLE = 12
"""Letters per piece of the quote looked for on every page, to pick where to align it."""
MIN_COVERAGE = 0.8
"""Share of the quote's letters that must be found on the pages for a highlight to be drawn."""
_LOCK = threading.RLock()


@dataclass(frozen=True)
class Box:
    """A rectangle in PDF points, origin at the page's top left (as on the image, before scaling)."""

    left: float
    top: float
    right: float
    bottom: float

    def scaled(self, scale: float) -> tuple[float, float, float, float]:
        return self.left * scale, self.top * scale, self.right * scale, self.bottom * scale


@dataclass(frozen=True)
class QuotePage:
    """One page the quote is on, and the rectangles (one per line) that cover its words there."""

    number: int
    boxes: tuple[Box, ...]


@dataclass(frozen=True)
class _Unit:
    """One letter or digit of a page's text, folded, with the box it is drawn in."""

    char: str
    box: Box


def page_count(path: Path) -> int:
    with _LOCK:
        return len(_document(str(path), _mtime(path)))


def locate(path: Path, quote: str, page: int | None = None) -> list[QuotePage]:
    """The pages the quote lies on, in order (two when it runs over a page break), with the boxes
    of its words; [] when it is not found. `page` is where to look first (the citation's page)."""
    target = _fold(quote)
    if not target:
        return []
    count = page_count(path)
    stages: list[tuple[list[int], bool]] = []
    if page:
        start = min(max(page, 1), count)
        own = list(range(start, min(start + 1, count) + 1))
        nearby = list(range(max(start - 1, 1), min(start + NEARBY_PAGES, count) + 1))
        stages = [(own, True), (nearby, True), (own, False), (nearby, False)]
    for exact in (True, False):
        for numbers in [numbers for numbers, stage_exact in stages if stage_exact == exact] + [None]:
            numbers = numbers or _candidates(path, target, count, exact)  # the whole document, last
            found = _search(path, target, numbers, exact) if numbers else []
            if found:
                return found
    return []


def _candidates(path: Path, target: str, count: int, exact: bool) -> list[int]:
    """Pages of the whole document worth a close search, from each page's text read at once (a
    300-page file in well under a second, where reading every character's box takes seconds):
    the first page where the quote starts exactly, else the page sharing most of its words."""
    texts = [_page_text(str(path), _mtime(path), number) for number in range(1, count + 1)]
    if exact:
        for number, text in enumerate(texts, start=1):
            following = texts[number] if number < count else ""
            if target in text + following:
                return list(range(number, min(number + 1, count) + 1))
        return []
    pieces = {target[i : i + SHINGLE] for i in range(0, max(len(target) - SHINGLE, 0) + 1, SHINGLE // 2)}
    scores = [sum(piece in text for piece in pieces) for text in texts]
    best = max(range(count), key=scores.__getitem__) + 1
    if not scores[best - 1]:
        return []
    return list(range(max(best - 1, 1), min(best + 1, count) + 1))


def render(path: Path, number: int, boxes: tuple[Box, ...] = (), scale: float = SCALE) -> bytes:
    """Page `number` (1-based) as a PNG, with the boxes highlighted; cached per page."""
    return _render(str(path), _mtime(path), number, boxes, scale)


# --- finding the quote ------------------------------------------------------------------------


def _search(path: Path, target: str, numbers: list[int], exact: bool) -> list[QuotePage]:
    units: list[_Unit] = []
    owners: list[int] = []
    for number in numbers:
        page_units = _units(str(path), _mtime(path), number)
        units += page_units
        owners += [number] * len(page_units)
    stream = "".join(unit.char for unit in units)
    positions = _match(target, stream, exact)
    if not positions:
        return []
    by_page: dict[int, list[Box]] = {}
    for position in positions:
        by_page.setdefault(owners[position], []).append(units[position].box)
    return [QuotePage(number, _lines(boxes)) for number, boxes in sorted(by_page.items())]


def _match(target: str, stream: str, exact: bool) -> list[int]:
    """Positions in `stream` of the target's letters: an exact run when there is one, else the
    blocks a sequence alignment finds around the longest one (text between two pages, such as a
    footer, or a word the text layer spells differently)."""
    start = stream.find(target)
    if start >= 0:
        return list(range(start, start + len(target)))
    if exact:
        return []
    matcher = difflib.SequenceMatcher(None, target, stream, autojunk=False)
    longest = matcher.find_longest_match(0, len(target), 0, len(stream))
    if longest.size < min(len(target), 12):
        return []
    # Align only within a window around the longest block, so that short pieces of the quote
    # are not matched to the same words elsewhere on the page.
    low = max(longest.b - longest.a - len(target), 0)
    high = longest.b + (len(target) - longest.a) + len(target)
    window = difflib.SequenceMatcher(None, target, stream[low:high], autojunk=False)
    blocks = [block for block in window.get_matching_blocks() if block.size >= 3]
    if sum(block.size for block in blocks) < MIN_COVERAGE * len(target):
        return []
    return [low + block.b + i for block in blocks for i in range(block.size)]


def _fold(text: str) -> str:
    return "".join(_folded(char) for char in text)


def _folded(char: str) -> str:
    """A character as compared: letters and digits only, without accents, case folded."""
    return "".join(c for c in unicodedata.normalize("NFKD", char).casefold() if c.isalnum())


def _lines(boxes: list[Box]) -> tuple[Box, ...]:
    """Character boxes merged into one rectangle per printed line."""
    lines: list[Box] = []
    for box in boxes:
        last = lines[-1] if lines else None
        same_line = last is not None and box.top < last.bottom and box.bottom > last.top and box.left >= last.left - 1
        if same_line:
            lines[-1] = Box(last.left, min(last.top, box.top), max(last.right, box.right), max(last.bottom, box.bottom))
        else:
            lines.append(box)
    return tuple(Box(b.left - PADDING, b.top - PADDING, b.right + PADDING, b.bottom + PADDING) for b in lines)


# --- reading and drawing pages ----------------------------------------------------------------


def _mtime(path: Path) -> float:
    return path.stat().st_mtime


@lru_cache(maxsize=8)
def _document(path: str, mtime: float) -> pdfium.PdfDocument:
    return pdfium.PdfDocument(path)


@lru_cache(maxsize=4096)
def _page_text(path: str, mtime: float, number: int) -> str:
    """The page's letters and digits, folded, read in one call (no boxes): for picking pages."""
    with _LOCK:
        return _fold(_document(path, mtime)[number - 1].get_textpage().get_text_range())


@lru_cache(maxsize=256)
def _units(path: str, mtime: float, number: int) -> list[_Unit]:
    """The page's letters and digits with their boxes: from the text layer, else by OCR."""
    with _LOCK:
        page = _document(path, mtime)[number - 1]
        left, _, _, top = page.get_cropbox()
        textpage = page.get_textpage()
        units = []
        for i in range(textpage.count_chars()):
            folded = _folded(chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i)))
            if not folded:
                continue
            x0, y0, x1, y1 = textpage.get_charbox(i)
            box = Box(x0 - left, top - y1, x1 - left, top - y0)
            units += [_Unit(char, box) for char in folded]
        if units:
            return units
        image = page.render(scale=SCALE).to_pil()
    return _ocr_units(image, SCALE)


def _ocr_units(image: Image.Image, scale: float) -> list[_Unit]:
    """Tesseract's words and their boxes (in points), every letter of a word sharing its box."""
    binary = shutil.which("tesseract")
    if binary is None:
        return []
    png = io.BytesIO()
    image.save(png, format="PNG")
    try:
        done = subprocess.run([binary, "stdin", "stdout", "-l", "fra", "tsv"], input=png.getvalue(),
                              capture_output=True, timeout=120)
    except (OSError, subprocess.SubprocessError):
        return []
    units = []
    for row in done.stdout.decode("utf-8", "replace").splitlines()[1:]:
        fields = row.split("\t")
        if len(fields) < 12 or not fields[11].strip():
            continue
        x, y, w, h = (int(value) / scale for value in fields[6:10])
        units += [_Unit(char, Box(x, y, x + w, y + h)) for char in _fold(fields[11])]
    return units


@lru_cache(maxsize=64)
def _render(path: str, mtime: float, number: int, boxes: tuple[Box, ...], scale: float) -> bytes:
    with _LOCK:
        image = _document(path, mtime)[number - 1].render(scale=scale).to_pil().convert("RGBA")
    if boxes:
        layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(layer)
        for box in boxes:
            draw.rectangle(box.scaled(scale), fill=HIGHLIGHT)
        image = Image.alpha_composite(image, layer)
    out = io.BytesIO()
    image.convert("RGB").save(out, format="PNG", optimize=False)
    return out.getvalue()
