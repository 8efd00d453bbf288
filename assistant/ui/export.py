"""An answer and its sources as a Markdown briefing note, to file or forward.

Document text in the note is escaped for Markdown (`\\<`, `\\[`…), so that a viewer opening the
note cannot render a tag or a link hidden in a source; quotes otherwise stay verbatim.
"""

from __future__ import annotations

import re

from assistant.dates import french_date
from assistant.ui import labels
from assistant.ui.audiences import AUDIENCES
from assistant.ui.session import Turn

_SPECIAL = re.compile(r"([\\`<>\[\]])")


def _text(value: str) -> str:
    return _SPECIAL.sub(r"\\\1", value)


def _answer(value: str) -> str:
    """The answer with its `[n]` markers kept as written."""
    return re.sub(r"\\\[(\d+)\\\]", r"[\1]", _text(value))


def file_name(turn: Turn) -> str:
    return f"note-cls-{turn.asked_at:%Y%m%d-%H%M}.md"


def briefing_note(turn: Turn, engine: str) -> str:
    answer = turn.answer
    audience = AUDIENCES.get(turn.audience)
    context = ([f"profil : {audience.label}"] if audience else []) + [f"moteur : {engine}"]
    when = f"{french_date(turn.asked_at.date().isoformat())} à {turn.asked_at:%H:%M}"
    lines = [
        "# Note de synthèse — Contrats locaux de santé de Normandie",
        "",
        f"*Préparée le {when} avec l'Assistant CLS Normandie ({', '.join(context)}).*",
        "",
        "## Question",
        "",
        _text(turn.question),
    ]
    if answer.question != " ".join(turn.question.split()):
        lines += ["", f"*Question comprise comme : « {_text(answer.question)} »*"]
    filters = labels.describe_filters(turn.filters)
    if filters:
        lines += ["", f"*Filtres : {_text(filters)}*"]
    lines += ["", "## Réponse", "", _answer(answer.answer), ""]
    if answer.citations:
        lines += ["## Sources", ""]
        for citation in answer.citations:
            details = [citation.publisher, labels.date_label(citation.date)]
            if citation.page:
                details.append(f"page {citation.page}")
            details.append(f"fichier {citation.file}")
            lines.append(f"{citation.n}. **{_text(citation.title or citation.file)}** — {_text(', '.join(d for d in details if d))}")
            lines.append(f"   > « {_text(' '.join(citation.quote.split()))} »")
            lines.append("")
    else:
        lines += ["*Aucune source ne répond à cette question dans les documents indexés.*", ""]
    lines.append("---")
    lines.append("*Réponse établie uniquement à partir des documents cités ; vérifiez-les avant diffusion.*")
    return "\n".join(lines) + "\n"
