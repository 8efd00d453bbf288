"""The app's one place that shows an `AssistantError` (assistant/core/errors.py) to its user."""

from __future__ import annotations

import streamlit as st

from assistant.answering import QuestionError
from assistant.core.errors import AssistantError
from assistant.ui.markdown import escape


def show(error: AssistantError, doing: str = "") -> None:
    """A question to rephrase as a warning, anything else as an error (`doing`: what failed)."""
    text = escape(str(error))
    if isinstance(error, QuestionError):
        st.warning(text, icon=":material/edit_note:")
    else:
        st.error(f"{doing} : {text}" if doing else text, icon=":material/error:")
