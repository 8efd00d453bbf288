"""The sidebar: who is asking, filters filled from the store's metadata, and what runs behind.

Widget values live under fixed keys in `st.session_state` and are re-set on every run
(`keep_choices`), so they survive a visit to the Documents page, where these widgets are not drawn.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from assistant.core.dates import first_day
from assistant.core.doc_types import doc_type_label
from assistant.core.filters import Filters
from assistant.ui import labels, login, resources, session
from assistant.ui.audiences import AUDIENCES, DEFAULT_AUDIENCE

AUDIENCE = "audience"
TERRITORY, DOC_TYPE, DATES = "filter_territory", "filter_doc_type", "filter_dates"
DATE_BOUNDS = "filter_date_bounds"
KEPT = (AUDIENCE, TERRITORY, DOC_TYPE, DATES)


def keep_choices() -> None:
    """Streamlit forgets the value of a widget not drawn in a run: copying it keeps it."""
    for key in KEPT:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def audience() -> str:
    st.session_state.setdefault(AUDIENCE, DEFAULT_AUDIENCE)
    return st.sidebar.radio(
        "Vous êtes",
        list(AUDIENCES),
        format_func=lambda key: AUDIENCES[key].label,
        captions=[a.style for a in AUDIENCES.values()],
        key=AUDIENCE,
    )


def new_conversation_button(slot) -> None:
    """Drawn in a sidebar slot once the page's question is answered, so it is enabled at once."""
    slot.button(
        "Nouvelle conversation",
        icon=":material/add_comment:",
        on_click=session.reset,
        width="stretch",
        disabled=not session.turns(),
        key="new_conversation",
    )


def filters(rows: list[dict]) -> Filters:
    """Territory, document type and publication period, offering only values the store holds."""
    side = st.sidebar
    side.subheader("Filtres", divider="gray")
    territories = sorted({row["territory"] for row in rows if row["territory"]})
    territory = _select(side, "Territoire", TERRITORY, territories, "Tous les territoires", str)
    types = sorted({row["doc_type"] for row in rows if row["doc_type"]}, key=doc_type_label)
    doc_type = _select(side, "Type de document", DOC_TYPE, types, "Tous les types", doc_type_label)
    date_from = date_to = None
    dates = sorted({first_day(row["date"]) for row in rows if row["date"]})
    if len(dates) >= 2:
        low, high = dates[0], dates[-1]
        _fit_dates(low, high)
        start, end = side.slider("Publiés entre", min_value=low, max_value=high, format="DD/MM/YYYY", key=DATES)
        date_from = start.isoformat() if start > low else None
        date_to = end.isoformat() if end < high else None
    chosen = Filters(territory=territory, doc_type=doc_type, date_from=date_from, date_to=date_to)
    if chosen.where():
        side.button("Retirer les filtres", icon=":material/filter_alt_off:", on_click=_clear_filters,
                    key="clear_filters")
    return chosen


def backend_info() -> None:
    """Which engine answers, and how much the store holds."""
    rows = resources.documents(login.role())
    chunks = sum(row["chunks"] for row in rows)
    side = st.sidebar
    side.divider()
    side.caption(
        f":material/database: **Base** : {len(rows)} document{'s' if len(rows) != 1 else ''} · "
        f"{chunks} extrait{'s' if chunks != 1 else ''}  \n"
        f":material/memory: **Moteur** : {labels.engine_label(resources.settings())}"
    )


def _fit_dates(low: date, high: date) -> None:
    """Keep the chosen period inside the store's dates; a period left whole follows the store when
    it grows (new documents, or a sign-in that shows internal ones) instead of hiding the new ones."""
    start, end = st.session_state.get(DATES, (low, high))
    old_low, old_high = st.session_state.get(DATE_BOUNDS, (start, end))
    start = low if start <= old_low else start
    end = high if end >= old_high else end
    st.session_state[DATES] = (min(max(start, low), high), max(min(end, high), low))
    st.session_state[DATE_BOUNDS] = (low, high)


def _select(side, label: str, key: str, options: list[str], everything: str, show) -> str | None:
    """A choice among `options`, or "" for all of them (None would show as "no choice made")."""
    if st.session_state.get(key) not in options:
        st.session_state[key] = ""
    chosen = side.selectbox(
        label, ["", *options], format_func=lambda v: show(v) if v else everything, key=key
    )
    return chosen or None


def _clear_filters() -> None:
    for key in (TERRITORY, DOC_TYPE, DATES, DATE_BOUNDS):
        st.session_state.pop(key, None)
