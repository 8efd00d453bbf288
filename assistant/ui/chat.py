"""The chat page: questions in, cited answers streamed out, the conversation kept across turns."""

from __future__ import annotations

import time

import streamlit as st

from assistant.core.errors import AssistantError
from assistant.core.filters import Filters
from assistant.passages import Answer
from assistant.ui import errors, export, labels, login, resources, session, sidebar, sources
from assistant.ui.audiences import AUDIENCES
from assistant.ui.markdown import answer_markdown, escape

USER_AVATAR = ":material/person:"
ASSISTANT_AVATAR = ":material/health_and_safety:"
ICONS = {"md": ":material/description:", "docx": ":material/article:", "pdf": ":material/picture_as_pdf:"}
REFRESH_S = 0.04
"""At most one redraw of the streamed text per this many seconds."""


def render() -> None:
    rows = resources.documents(login.role())
    audience = sidebar.audience()
    restart_slot = st.sidebar.empty()
    filters = sidebar.filters(rows)

    st.title("Assistant CLS Normandie", anchor=False)
    st.caption(
        "Les contrats locaux de santé de Normandie, d'après les documents indexés (contrats, guides, "
        "communiqués) : chaque phrase de réponse est citée, et l'assistant dit quand il ne trouve pas."
    )
    described = filters.describe() if filters else ""
    if described:
        st.caption(f":material/filter_alt: Recherche limitée aux documents — {escape(described)}")

    for turn in session.turns():
        show_turn(turn)

    question = st.chat_input(
        "Posez votre question sur les contrats locaux de santé…",
        max_chars=resources.settings().max_question_chars,
        disabled=not rows,
        key="question",
    )
    question = question or session.take_pending()
    if question:
        ask(question, filters, audience)
    elif not session.turns():
        welcome(audience, bool(rows))
    conversation_export(session.turns())
    sidebar.new_conversation_button(restart_slot)


def welcome(audience: str, has_documents: bool) -> None:
    if not has_documents:
        st.info("La base documentaire est vide : ajoutez des documents pour commencer.",
                icon=":material/folder_open:")
        st.page_link("assistant/ui/pages/documents.py", label="Ajouter des documents", icon=":material/upload_file:")
        return
    profile = AUDIENCES[audience]
    with st.container(border=True, key="welcome"):
        st.markdown(f"**{profile.label}** — {profile.welcome}")
        st.caption("Quelques questions pour commencer :")
        columns = st.columns(2)
        for i, starter in enumerate(profile.starters):
            columns[i % 2].button(
                starter, key=f"starter-{audience}-{i}", on_click=session.ask_later, args=(starter,),
                width="stretch", icon=":material/chat_bubble:",
            )


def show_turn(turn: session.Turn) -> None:
    with st.chat_message("user", avatar=USER_AVATAR):
        st.markdown(escape(turn.question))
    with st.chat_message("assistant", avatar=ASSISTANT_AVATAR):
        with st.container(key=f"answer-{turn.id}"):
            final_text(st.empty(), turn.answer, turn.id)
        after_answer(turn)


def ask(question: str, filters: Filters, audience: str) -> None:
    with st.chat_message("user", avatar=USER_AVATAR):
        st.markdown(escape(question))
    with st.chat_message("assistant", avatar=ASSISTANT_AVATAR):
        started = time.perf_counter()
        try:
            with st.spinner("Recherche dans les documents…"):
                stream = resources.assistant().stream(
                    question, filters, session.history(), audience, role=login.role()
                )
        except AssistantError as error:
            errors.show(error)
            return
        turn_id = session.new_id()
        first_piece, text, drawn = None, "", 0.0
        with st.container(key=f"answer-{turn_id}"):
            placeholder = st.empty()
            for piece in stream:
                first_piece = first_piece if first_piece is not None else time.perf_counter() - started
                text += piece
                if time.perf_counter() - drawn >= REFRESH_S:
                    placeholder.markdown(answer_markdown(text, turn_id) + " ▌")
                    drawn = time.perf_counter()
            final_text(placeholder, stream.answer, turn_id)
        turn = session.Turn(
            question=question, answer=stream.answer, audience=audience, filters=filters,
            first_piece_s=first_piece or 0.0, total_s=time.perf_counter() - started, id=turn_id,
        )
        session.turns().append(turn)
        after_answer(turn)


def final_text(placeholder, answer: Answer, turn_id: str) -> None:
    """The checked answer: badges linked to the source cards, or the « not found » notice."""
    tips = {citation.n: sources.tooltip(citation) for citation in answer.citations}
    if answer.found:
        placeholder.markdown(answer_markdown(answer.answer, turn_id, tips))
    else:
        placeholder.info(answer_markdown(answer.answer, turn_id), icon=":material/search_off:")


def after_answer(turn: session.Turn) -> None:
    answer = turn.answer
    if answer.question != " ".join(turn.question.split()):
        st.caption(f":material/sync_alt: Question comprise comme : « {escape(answer.question)} »")
    sources.panel(answer, turn.id)
    settings = resources.settings()
    with st.container(horizontal=True, vertical_alignment="center", key=f"footer-{turn.id}"):
        st.caption("Exporter la note :", width="content")
        export_buttons([turn], f"export-{turn.id}", labels.engine_label(settings))
        context = [f"réponse en {_seconds(turn.total_s)}", AUDIENCES[turn.audience].label]
        described = turn.filters.describe() if turn.filters else ""
        if described:
            context.append(described)
        st.caption(escape(" · ".join(context)))


def conversation_export(turns: list[session.Turn]) -> None:
    """The whole conversation as one note, in the order of its turns (from two turns on)."""
    if len(turns) < 2:
        return
    with st.container(horizontal=True, vertical_alignment="center", key="conversation-export"):
        st.caption(f":material/forum: Toute la conversation ({len(turns)} questions) :", width="content")
        export_buttons(list(turns), "export-conversation", labels.engine_label(resources.settings()))


def export_buttons(turns: list[session.Turn], key: str, engine: str) -> None:
    """One download button per format; each note is written only when its button is clicked."""
    conversation = len(turns) > 1
    for extension, (label, mime) in export.FORMATS.items():
        st.download_button(
            label,
            data=lambda extension=extension: export.document(turns, engine, extension),
            file_name=export.file_name(turns[-1], extension, conversation),
            mime=mime,
            icon=ICONS[extension],
            key=f"{key}-{extension}",
            on_click="ignore",
            type="tertiary",
            help=f"Télécharger {'la conversation' if conversation else 'cette réponse'} en note {label}",
        )


def _seconds(value: float) -> str:
    return f"{value:.1f} s".replace(".", ",")
