"""The CLS assistant in the browser: page setup and navigation; the pages live in `assistant/ui/`."""

from __future__ import annotations

import streamlit as st

from assistant.core.errors import AssistantError
from assistant.ui import errors, login, resources, sidebar, style

st.set_page_config(
    page_title="Assistant CLS Normandie",
    page_icon=":material/health_and_safety:",
    menu_items={"About": "Assistant des contrats locaux de santé (CLS) de Normandie — réponses citées, hors ligne."},
)
style.apply()
sidebar.keep_choices()

try:
    resources.assistant()
    login.panel()
except AssistantError as error:
    errors.show(error)
    st.stop()

page = st.navigation(
    [
        st.Page("assistant/ui/pages/chat.py", title="Assistant", icon=":material/forum:", default=True),
        st.Page("assistant/ui/pages/catalogue.py", title="Catalogue", icon=":material/table_view:",
                url_path="catalogue"),
        st.Page("assistant/ui/pages/documents.py", title="Documents", icon=":material/folder_open:",
                url_path="documents"),
    ]
)
# The documents table has many columns: that page uses the whole width, the chat a reading width.
st.set_page_config(layout="wide" if page.url_path in ("documents", "catalogue") else "centered")
page.run()
sidebar.backend_info()
