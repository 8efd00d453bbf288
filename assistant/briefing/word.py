"""A briefing note as a Word document (python-docx).

Every string goes into a run's text (`w:t`): Word shows it as typed. No field (`w:fldSimple`,
`w:instrText`), hyperlink or macro is ever written, so a source that contains « =HYPERLINK(…) »,
« {DDEAUTO …} » or markup stays words on the page.
"""

from __future__ import annotations

import io

from docx import Document
from docx.shared import Pt, RGBColor

from assistant.briefing.note import DISCLAIMER, NOT_FOUND, Note, plain, source_line

GREY = RGBColor(0x59, 0x59, 0x59)


def to_docx(note: Note) -> bytes:
    document = Document()
    document.core_properties.title = note.title
    document.core_properties.author = "Assistant CLS Normandie"
    document.add_heading(note.title, level=0)
    _grey(document.add_paragraph(), f"Préparée le {note.prepared} avec l'Assistant CLS Normandie ({note.context}).")
    several = len(note.turns) > 1
    for number, turn in enumerate(note.turns, start=1):
        document.add_heading(f"Question {number}" if several else "Question", level=1)
        document.add_paragraph().add_run(plain(turn.question))
        if turn.understood:
            _grey(document.add_paragraph(), f"Question comprise comme : « {plain(turn.understood)} »")
        if turn.filters:
            _grey(document.add_paragraph(), f"Filtres : {plain(turn.filters)}")
        document.add_heading("Réponse", level=2 if several else 1)
        for paragraph in plain(turn.answer).split("\n\n"):
            document.add_paragraph().add_run(paragraph)
        document.add_heading("Sources", level=2 if several else 1)
        if not turn.citations:
            _grey(document.add_paragraph(), NOT_FOUND)
        for citation in turn.citations:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"[{citation.n}] ").bold = True
            paragraph.add_run(plain(citation.title or citation.file)).bold = True
            paragraph.add_run(f" — {plain(source_line(citation))}")
            quote = document.add_paragraph(style="Quote")
            quote.add_run(f"« {plain(' '.join(citation.quote.split()))} »")
    _grey(document.add_paragraph(), DISCLAIMER)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _grey(paragraph, text: str) -> None:
    run = paragraph.add_run(text)
    run.italic = True
    run.font.size = Pt(9.5)
    run.font.color.rgb = GREY
