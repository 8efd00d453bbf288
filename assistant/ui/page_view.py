"""The cited page of a PDF in its source card: the page as printed, the quote highlighted on it.

Nothing is rendered until the person opens the view (a lazy expander), so answers never wait for
it; the previous/next buttons redraw only this view (a fragment). Finding and drawing the page is
`assistant/page_images.py`'s job; this module only lays it out.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from assistant import page_images
from assistant.passages import Citation


def is_pdf(path: Path | None) -> bool:
    return path is not None and path.suffix.lower() == ".pdf"


def expander(citation: Citation, path: Path, key: str) -> None:
    label = f"Page {citation.page} telle qu'imprimée" if citation.page else "Page telle qu'imprimée"
    view = st.expander(label, icon=":material/picture_as_pdf:", key=f"page-{key}", on_change="rerun")
    if view.open:
        with view:
            _page(citation, str(path), key)


@st.fragment
def _page(citation: Citation, path: str, key: str) -> None:
    pdf = Path(path)
    try:
        with st.spinner("Recherche du passage cité dans le document…"):
            count = page_images.page_count(pdf)
            located = {found.number: found for found in page_images.locate(pdf, citation.quote, citation.page)}
    except Exception:  # a damaged or replaced original must not break the answer around it
        st.caption("Impossible d'afficher cette page du fichier d'origine.")
        return
    state = f"page-shown-{key}"
    if state not in st.session_state:
        st.session_state[state] = min(located) if located else min(max(citation.page or 1, 1), count)
    shown = st.session_state[state]
    quoted = located.get(shown)
    with st.container(horizontal=True, vertical_alignment="center", gap="small", key=f"page-nav-{key}"):
        st.button("Page précédente", key=f"page-prev-{key}", icon=":material/chevron_left:",
                  disabled=shown <= 1, on_click=_turn, args=(state, -1), type="tertiary")
        st.caption(f"Page {shown} / {count}", width="content")
        st.button("Page suivante", key=f"page-next-{key}", icon=":material/chevron_right:",
                  icon_position="right", disabled=shown >= count, on_click=_turn, args=(state, 1),
                  type="tertiary")
    if quoted:
        others = [n for n in located if n != shown]
        note = f" (suite page {others[0]})" if others and others[0] > shown else (
            f" (début page {others[0]})" if others else "")
        st.caption(f":material/ink_highlighter: Passage cité surligné{note}")
    elif located:
        st.caption(f"Le passage cité est page{'s' if len(located) > 1 else ''} "
                   f"{' et '.join(str(n) for n in located)}.")
    else:
        st.caption("Passage cité introuvable dans la couche texte de cette page.")
    with st.spinner("Rendu de la page…"):
        png = page_images.render(pdf, shown, quoted.boxes if quoted else ())
    st.image(png, output_format="PNG", width="stretch", alt=f"Page {shown} du document")


def _turn(state: str, step: int) -> None:
    st.session_state[state] += step
