"""An answer, or the whole conversation, as a briefing note: Markdown, Word or PDF.

The chat's turns become a `Note` (assistant/briefing/note.py), which `briefing/word.py` and
`briefing/pdf.py` write as files. In the Markdown note, document text is escaped (`\\<`, `\\[`…),
so that a viewer opening it cannot render a tag or a link hidden in a source; quotes otherwise
stay verbatim.
"""

from __future__ import annotations

import re

from assistant.briefing.note import DISCLAIMER, NOT_FOUND, Note, NoteTurn, source_line
from assistant.briefing.pdf import to_pdf
from assistant.briefing.word import to_docx
from assistant.ui.audiences import AUDIENCES
from assistant.ui.session import Turn

_SPECIAL = re.compile(r"([\\`<>\[\]])")
FORMATS = {
    "md": ("Markdown", "text/markdown"),
    "docx": ("Word", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "pdf": ("PDF", "application/pdf"),
}
"""Extension → (label on the button, MIME type)."""


def note(turns: list[Turn], engine: str) -> Note:
    """The turns in the order they were asked; the audience is the last turn's."""
    audience = AUDIENCES.get(turns[-1].audience) if turns else None
    return Note(
        turns=[_note_turn(turn) for turn in turns],
        audience=audience.label if audience else "",
        engine=engine,
        prepared_at=turns[-1].asked_at if len(turns) == 1 else max(t.asked_at for t in turns),
    )


def _note_turn(turn: Turn) -> NoteTurn:
    answer = turn.answer
    understood = answer.question if answer.question != " ".join(turn.question.split()) else ""
    return NoteTurn(question=turn.question, answer=answer.answer, citations=answer.citations,
                    asked_at=turn.asked_at, understood=understood,
                    filters=turn.filters.describe() if turn.filters else "")


def document(turns: list[Turn], engine: str, extension: str) -> bytes:
    """The note for these turns in the format of this file extension."""
    built = note(turns, engine)
    if extension == "docx":
        return to_docx(built)
    if extension == "pdf":
        return to_pdf(built)
    return markdown(built).encode("utf-8")


def file_name(turn: Turn, extension: str = "md", conversation: bool = False) -> str:
    kind = "conversation" if conversation else "note"
    return f"{kind}-cls-{turn.asked_at:%Y%m%d-%H%M}.{extension}"


def briefing_note(turn: Turn, engine: str) -> str:
    """One answer as a Markdown note."""
    return markdown(note([turn], engine))


def markdown(built: Note) -> str:
    lines = [f"# {built.title}", "", f"*Préparée le {built.prepared} avec l'Assistant CLS Normandie ({built.context}).*"]
    several = len(built.turns) > 1
    for number, turn in enumerate(built.turns, start=1):
        level = "###" if several else "##"
        if several:
            lines += ["", f"## Question {number}", "", _text(turn.question)]
        else:
            lines += ["", "## Question", "", _text(turn.question)]
        if turn.understood:
            lines += ["", f"*Question comprise comme : « {_text(turn.understood)} »*"]
        if turn.filters:
            lines += ["", f"*Filtres : {_text(turn.filters)}*"]
        lines += ["", f"{level} Réponse", "", _answer(turn.answer), ""]
        if turn.citations:
            lines += [f"{level} Sources", ""]
            for citation in turn.citations:
                lines.append(f"{citation.n}. **{_text(citation.title or citation.file)}** — {_text(source_line(citation))}")
                lines.append(f"   > « {_text(' '.join(citation.quote.split()))} »")
                lines.append("")
        else:
            lines += [f"*{NOT_FOUND}*", ""]
    lines += ["---", f"*{DISCLAIMER}*"]
    return "\n".join(lines) + "\n"


def _text(value: str) -> str:
    return _SPECIAL.sub(r"\\\1", value)


def _answer(value: str) -> str:
    """The answer with its `[n]` markers kept as written."""
    return re.sub(r"\\\[(\d+)\\\]", r"[\1]", _text(value))
