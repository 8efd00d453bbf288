"""A briefing note as a PDF (reportlab), in Bitstream Vera, the TrueType font reportlab ships.

reportlab's paragraphs read a small markup language (`<b>`, `<a href>`, `&amp;`…), so every piece of
text is XML-escaped before it is laid out: a source's « <b> » or « <a href=…> » prints as written,
and the file holds no link annotation, action or script. Characters the font lacks are replaced
by their compatibility form (NFKC) or a question mark, never dropped silently.
"""

from __future__ import annotations

import io
import unicodedata
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from assistant.briefing.note import DISCLAIMER, NOT_FOUND, Note, plain, source_line

FONTS = Path(reportlab.__file__).parent / "fonts"
GREY = HexColor("#595959")


def to_pdf(note: Note) -> bytes:
    styles = _styles()
    story = [Paragraph(_x(note.title), styles["title"]),
             Paragraph(_x(f"Préparée le {note.prepared} avec l'Assistant CLS Normandie ({note.context})."), styles["meta"])]
    several = len(note.turns) > 1
    for number, turn in enumerate(note.turns, start=1):
        story.append(Paragraph(_x(f"Question {number}" if several else "Question"), styles["h1"]))
        story.append(Paragraph(_x(turn.question), styles["body"]))
        if turn.understood:
            story.append(Paragraph(_x(f"Question comprise comme : « {turn.understood} »"), styles["meta"]))
        if turn.filters:
            story.append(Paragraph(_x(f"Filtres : {turn.filters}"), styles["meta"]))
        story.append(Paragraph("Réponse", styles["h2"]))
        story += [Paragraph(_x(part), styles["body"]) for part in turn.answer.split("\n\n") if part.strip()]
        story.append(Paragraph("Sources", styles["h2"]))
        if not turn.citations:
            story.append(Paragraph(_x(NOT_FOUND), styles["meta"]))
        for citation in turn.citations:
            heading = f"<b>[{citation.n}] {_x(citation.title or citation.file)}</b> — {_x(source_line(citation))}"
            story.append(Paragraph(heading, styles["body"]))
            story.append(Paragraph(_x(f"« {' '.join(citation.quote.split())} »"), styles["quote"]))
    story += [Spacer(1, 0.4 * cm), Paragraph(_x(DISCLAIMER), styles["meta"])]
    out = io.BytesIO()
    document = SimpleDocTemplate(out, pagesize=A4, title=note.title, author="Assistant CLS Normandie",
                                 leftMargin=2.2 * cm, rightMargin=2.2 * cm, topMargin=2 * cm, bottomMargin=2 * cm)
    document.build(story)
    return out.getvalue()


def _x(text: str) -> str:
    """Text for a reportlab paragraph: printable by the font, every markup character escaped."""
    face = _font_chars()
    kept = []
    for char in plain(text):
        if ord(char) in face or char in "\n\t":
            kept.append(char)
        else:
            substitute = unicodedata.normalize("NFKC", char)
            kept.append(substitute if all(ord(c) in face for c in substitute) else "?")
    return escape("".join(kept)).replace("\n", "<br/>")


@lru_cache(maxsize=1)
def _font_chars() -> frozenset[int]:
    _register()
    return frozenset(pdfmetrics.getFont("NoteSans").face.charToGlyph)


@lru_cache(maxsize=1)
def _register() -> None:
    for name, file in (("NoteSans", "Vera.ttf"), ("NoteSans-Bold", "VeraBd.ttf"),
                       ("NoteSans-Italic", "VeraIt.ttf"), ("NoteSans-BoldItalic", "VeraBI.ttf")):
        pdfmetrics.registerFont(TTFont(name, str(FONTS / file)))
    pdfmetrics.registerFontFamily("NoteSans", normal="NoteSans", bold="NoteSans-Bold",
                                  italic="NoteSans-Italic", boldItalic="NoteSans-BoldItalic")


def _styles() -> dict[str, ParagraphStyle]:
    _register()
    body = ParagraphStyle("body", fontName="NoteSans", fontSize=10.5, leading=14.5, spaceAfter=5)
    return {
        "title": ParagraphStyle("title", parent=body, fontName="NoteSans-Bold", fontSize=16, leading=20, spaceAfter=8),
        "h1": ParagraphStyle("h1", parent=body, fontName="NoteSans-Bold", fontSize=13, leading=17, spaceBefore=10),
        "h2": ParagraphStyle("h2", parent=body, fontName="NoteSans-Bold", fontSize=11.5, leading=15, spaceBefore=6),
        "body": body,
        "quote": ParagraphStyle("quote", parent=body, fontName="NoteSans-Italic", leftIndent=14, textColor=GREY),
        "meta": ParagraphStyle("meta", parent=body, fontName="NoteSans-Italic", fontSize=9, textColor=GREY),
    }
