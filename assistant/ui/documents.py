"""The Documents page: what the store holds, and the upload of new files with their report."""

from __future__ import annotations

from datetime import date

import streamlit as st

from assistant.access import PUBLIC
from assistant.accounts import STAFF
from assistant.core.doc_types import doc_type_label
from assistant.core.errors import AssistantError
from assistant.ui import errors, labels, login, resources, session, upload
from assistant.ui.markdown import escape
from ingest.report import quarantine_note

VISIBILITIES = {PUBLIC: "Public", "internal": "Interne (agents ARS)"}
OUTCOMES = {"added": "Ajouté", "updated": "Mis à jour", "unchanged": "Déjà indexé, inchangé"}


def render() -> None:
    st.title("Documents indexés", anchor=False)
    rows = resources.documents(login.role())
    overview(rows)
    if login.may_upload():
        upload_form()
    else:
        st.info("L'ajout de documents est réservé aux agents ARS connectés.", icon=":material/lock:")
    if session.UPLOAD_REPORT in st.session_state:
        show_report(st.session_state[session.UPLOAD_REPORT])


def overview(rows: list[dict]) -> None:
    dates = [row["date"] for row in rows if row["date"]]
    with st.container(horizontal=True):
        st.metric("Documents", len(rows), border=True)
        st.metric("Extraits indexés", sum(row["chunks"] for row in rows), border=True)
        st.metric("Territoires", len({row["territory"] for row in rows if row["territory"]}), border=True)
        st.metric("Publication la plus récente", labels.date_label(max(dates)) if dates else "—", border=True)
    staff = login.role() == STAFF
    if not rows:
        st.info("Aucun document pour l'instant : ajoutez-en ci-dessous.", icon=":material/folder_open:")
        return
    table = [
        {
            "Titre": row["title"] or row["file"],
            "Éditeur": row["publisher"],
            "Date": _date(row["date"]),  # rows come sorted newest first
            "Type": doc_type_label(row["doc_type"]),
            "Territoire": row["territory"],
            "Extraits": row["chunks"],
            "Fichier": row["file"],
            "Lien": labels.safe_url(row.get("url")),
        }
        | ({"Visibilité": VISIBILITIES.get(row["visibility"], row["visibility"])} if staff else {})
        for row in rows
    ]
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            "Titre": st.column_config.TextColumn(width="large"),
            "Date": st.column_config.TextColumn(help="Date de publication"),
            "Extraits": st.column_config.NumberColumn(help="Passages indexés pour la recherche"),
            "Lien": st.column_config.LinkColumn(display_text="Ouvrir"),
        },
        key="documents_table",
    )


def upload_form() -> None:
    st.subheader("Ajouter des documents", anchor=False)
    settings = resources.settings()
    st.caption(
        f"PDF, Word (DOCX), HTML, Markdown ou texte, {settings.max_file_mb:g} Mo au plus par fichier. "
        "Les fichiers sont conservés sur le serveur et indexés comme par la commande "
        "`cls-assistant ingest` ; un fichier déjà indexé à l'identique n'est pas réindexé."
    )
    with st.form("upload", clear_on_submit=True):
        files = st.file_uploader(
            "Fichiers à indexer", type=upload.ACCEPTED, accept_multiple_files=True, key="upload_files",
            max_upload_size=max(1, int(settings.max_file_mb)),
        )
        visibility = PUBLIC
        if login.role() == STAFF:
            visibility = st.radio(
                "Visibilité", list(VISIBILITIES), format_func=VISIBILITIES.get, horizontal=True,
                key="upload_visibility",
            )
        submitted = st.form_submit_button("Indexer", type="primary", icon=":material/upload:")
    if not submitted:
        return
    if not files:
        st.warning("Choisissez au moins un fichier à indexer.", icon=":material/warning:")
        return
    bar = st.progress(0.0, text="Préparation de l'indexation…")
    try:
        report = upload.ingest_uploads(
            settings, [(file.name, file.getvalue()) for file in files], upload.BarProgress(bar), visibility
        )
    except AssistantError as error:
        errors.show(error, "L'indexation a échoué")
        return
    resources.store_changed()
    st.session_state[session.UPLOAD_REPORT] = report.to_dict() | {
        "files": [{"file": n, "outcome": key} for key in OUTCOMES for n in getattr(report, key)]
    }
    st.rerun()  # redraw the table and the sidebar counts with the new documents


def show_report(report: dict) -> None:
    st.subheader("Rapport de la dernière indexation", anchor=False)
    done = report["added"] + report["updated"]
    if done:
        st.success(
            f"{done} fichier{'s' if done > 1 else ''} indexé{'s' if done > 1 else ''} "
            f"({report['chunks']} extrait{'s' if report['chunks'] > 1 else ''}).",
            icon=":material/check_circle:",
        )
    for duplicate in report["duplicates"]:
        st.info(
            f"{escape(duplicate['file'])} : même contenu que {escape(duplicate['duplicate_of'])}, déjà indexé.",
            icon=":material/content_copy:",
        )
    for failure in report["failed"]:
        st.error(f"{escape(failure['file'])} refusé : {escape(failure['reason'])}", icon=":material/block:")
    kept_out = {q["file"]: quarantine_note(q["chunks"]) for q in report.get("quarantined", [])}
    for file, note in kept_out.items():
        st.warning(f"{escape(file)} : {note} (jamais cités dans les réponses).", icon=":material/shield:")
    rows = [{"Fichier": f["file"], "Résultat": OUTCOMES[f["outcome"]], "Détail": kept_out.get(f["file"], "")}
            for f in report["files"]]
    rows += [{"Fichier": d["file"], "Résultat": "Doublon", "Détail": f"même contenu que {d['duplicate_of']}"}
             for d in report["duplicates"]]
    rows += [{"Fichier": f["file"], "Résultat": "Refusé", "Détail": f["reason"]} for f in report["failed"]]
    st.dataframe(rows, hide_index=True, width="stretch", key="upload_report")


def _date(iso: str) -> str:
    """« 27/11/2025 », « 02/2025 », « 2025 », or « — » (a date column would show an English "None")."""
    try:
        day = date.fromisoformat(iso[:10])
    except ValueError:
        if len(iso) in (4, 7) and iso[:4].isdigit():
            return f"{iso[5:7]}/{iso[:4]}" if len(iso) == 7 else iso
        return "—"
    return day.strftime("%d/%m/%Y")
