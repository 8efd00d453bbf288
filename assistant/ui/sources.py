"""The sources panel under an answer: one card per citation, the target of its `[n]` badge.

A card shows the title, publisher, date, page and type, the passage with the quoted sentence
highlighted (escaped first, see `markdown.py`), for a PDF the page as printed with the quote
highlighted (`page_view.py`), and buttons to download the original file or open its web page.
Only cited passages get a card; the other retrieved passages are listed, collapsed, under
« Autres passages consultés ». Document text never goes through `unsafe_allow_html`.
"""

from __future__ import annotations

import mimetypes

import streamlit as st

from assistant.core.doc_types import doc_type_label
from assistant.passages import Answer, Citation, Passage
from assistant.ui import labels, page_view, resources
from assistant.ui.markdown import anchor, escape, find_quote, highlighted_markdown


def tooltip(citation: Citation) -> str:
    """Shown when hovering a `[n]` badge."""
    where = f", p. {citation.page}" if citation.page else ""
    return f"{citation.title or citation.file} — {citation.publisher or 'éditeur inconnu'}{where}"


def passage_for(citation: Citation, sources: list[Passage]) -> Passage | None:
    """The retrieved passage the quote was taken from."""
    same_file = [p for p in sources if p.file == citation.file]
    for passage in same_file:
        if find_quote(passage.text, citation.quote):
            return passage
    return None


def panel(answer: Answer, turn_id: str) -> None:
    cited = [passage_for(citation, answer.sources) for citation in answer.citations]
    if answer.citations:
        plural = "s" if len(answer.citations) > 1 else ""
        st.markdown(f"**Sources** · {len(answer.citations)} passage{plural} cité{plural}")
    for citation, passage in zip(answer.citations, cited):
        card(citation, passage, turn_id)
    consulted(uncited(answer.sources, cited), turn_id)


def uncited(sources: list[Passage], cited: list[Passage | None]) -> list[Passage]:
    """The retrieved passages no citation was taken from, in their retrieval order."""
    used = {passage.id for passage in cited if passage is not None}
    return [passage for passage in sources if passage.id not in used]


def consulted(passages: list[Passage], turn_id: str) -> None:
    """The other retrieved passages, collapsed: read by the assistant, not cited."""
    if not passages:
        return
    with st.expander(f"Autres passages consultés ({len(passages)})", icon=":material/manage_search:",
                     key=f"consulted-{turn_id}"):
        for passage in passages:
            meta = passage.metadata
            where = [meta.get("publisher"), labels.date_label(passage.date),
                     f"page {passage.page}" if passage.page else None]
            st.markdown(f"**{escape(meta.get('title') or passage.file)}**  \n"
                        f":gray[{escape(' · '.join(part for part in where if part))}]")
            st.markdown(highlighted_markdown(passage.text, ""))


def card(citation: Citation, passage: Passage | None, turn_id: str) -> None:
    key = f"source-card-{turn_id}-{citation.n}"
    meta = passage.metadata if passage else {}
    with st.container(border=True, key=key):
        st.subheader(f"{escape(f'[{citation.n}]')} {escape(citation.title or citation.file)}",
                     anchor=anchor(turn_id, citation.n))
        details = [
            citation.publisher or "éditeur inconnu",
            labels.date_label(citation.date),
            f"page {citation.page}" if citation.page else None,
            doc_type_label(meta.get("doc_type", "")) if meta.get("doc_type") else None,
            meta.get("territory") if meta.get("territory") != citation.publisher else None,
        ]
        with st.container(horizontal=True, vertical_alignment="center", gap="small", wrap=False):
            st.caption(" · ".join(escape(part) for part in details if part), width="stretch")
            _original_buttons(citation, meta, f"{turn_id}-{citation.n}")
        with st.expander("Passage cité dans son contexte", icon=":material/format_quote:",
                         key=f"passage-{turn_id}-{citation.n}"):
            text = passage.text if passage else citation.quote
            st.markdown(highlighted_markdown(text, citation.quote))
        original = resources.original_path(citation.file)
        if page_view.is_pdf(original):
            page_view.expander(citation, original, f"{turn_id}-{citation.n}")


def _original_buttons(citation: Citation, meta: dict, key: str) -> None:
    path = resources.original_path(citation.file)
    url = labels.safe_url(meta.get("url"))
    if path:
        st.download_button(
            "Télécharger",
            data=path.read_bytes,  # read only when clicked
            file_name=path.name,
            mime=mimetypes.guess_type(path.name)[0] or "application/octet-stream",
            icon=":material/download:",
            key=f"original-{key}",
            on_click="ignore",
            type="tertiary",
            help=f"Télécharger le fichier d'origine ({escape(path.name)})",
        )
    if url:
        st.link_button("En ligne", url, icon=":material/open_in_new:", type="tertiary",
                       help="Ouvrir la page d'origine")
