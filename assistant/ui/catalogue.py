"""The catalogue page: every CLS as a cited record, filterable, with a timeline and the glossary."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from assistant.catalogue import catalogue_records
from assistant.catalogue.model import FIELD_LABELS, Cited, ContractRecord
from assistant.catalogue.views import timeline_bars
from assistant.core.glossary import glossary_entries
from assistant.ui import login, resources
from assistant.ui.markdown import escape

SHOWN = ("signed_on", "period", "duration", "generation", "collectivite", "signatories", "partners", "axes_count", "axes",
         "actions", "coordination", "funding")
"""The fields a record's details show, in this order (labels: assistant/catalogue/model.py)."""


def render() -> None:
    st.title("Catalogue des CLS")
    st.caption("Chaque valeur est extraite d'un document indexé et citée (fichier, page, citation exacte).")
    records = catalogue_records(resources.settings(), role=login.role())
    if not records:
        st.info("Aucun contrat local de santé n'a été repéré dans les documents indexés.")
        return
    shown = _filtered(records)
    st.dataframe(pd.DataFrame([_row(r) for r in shown]), hide_index=True, width="stretch")
    _timeline(shown)
    for record in shown:
        with st.expander(f"{record.name} — {record.status_label}"):
            _detail(record)
    with st.expander("Glossaire des sigles"):
        st.markdown("\n".join(f"- **{escape(acronym)}** : {escape(meaning)}" for acronym, meaning in glossary_entries()))


def _filtered(records: list[ContractRecord]) -> list[ContractRecord]:
    left, middle, year_column, right = st.columns(4)
    territories = left.multiselect("Territoire", sorted({r.name for r in records}), placeholder="Tous")
    statuses = middle.multiselect("Statut", sorted({r.status_label for r in records}), placeholder="Tous")
    year = year_column.number_input("En vigueur en", min_value=2000, max_value=2100, value=None, step=1)
    keyword = right.text_input("Axe ou action contenant", placeholder="ex. santé mentale")
    needle = keyword.casefold().strip()
    return [
        r for r in records
        if (not territories or r.name in territories)
        and (not statuses or r.status_label in statuses)
        and (year is None or (r.years is not None and r.years[0] <= year <= r.years[1]))
        and (not needle or any(needle in c.value.casefold() for c in r.axes + r.actions))
    ]


def _row(record: ContractRecord) -> dict:
    return {
        "Territoire": record.name,
        "Statut": record.status_label,
        "Période": record.period.normalized if record.period else "",
        "Signature": record.signed_on.normalized if record.signed_on else "",
        "Axes": len(record.axes),
        "Actions": len(record.actions),
    }


def _timeline(records: list[ContractRecord]) -> None:
    periods, axis, undated = timeline_bars(records)
    if periods:
        low, high = axis
        chart = alt.Chart(pd.DataFrame(periods)).mark_bar().encode(
            x=alt.X("début:Q", title="Année", scale=alt.Scale(domain=[low, high], zero=False, nice=False),
                    axis=alt.Axis(format="d", tickMinStep=1)),
            x2="fin:Q",
            y=alt.Y("Territoire:N", title=None),
        )
        st.altair_chart(chart, width="stretch")
    if undated:
        st.markdown("**Sans période connue** (en préparation, ou période non indiquée)")
        st.markdown("\n".join(f"- {escape(r.name)} — {escape(r.status_label)}" for r in undated))


def _detail(record: ContractRecord) -> None:
    for name in SHOWN:
        label, value = FIELD_LABELS[name], getattr(record, name)
        items = value if isinstance(value, list) else [value] if value else []
        if items:
            st.markdown(f"**{label}**")
            for item in items:
                _cited_line(item)


def _cited_line(item: Cited) -> None:
    source = item.source
    st.markdown(f"- {escape(item.value)}  \n  :small[{escape(source.title or source.file)} ({escape(source.date)}{escape(source.where)})]")
