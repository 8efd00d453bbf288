"""The CLS assistant in the browser. For now: what the knowledge base holds (the chat comes next)."""

from __future__ import annotations

import streamlit as st

from assistant.config import ConfigError, get_settings
from assistant.embeddings import get_embeddings
from assistant.stats import document_table
from assistant.store import StoreError, chroma_client, open_collection


@st.cache_resource
def load_collection():
    settings = get_settings()
    return open_collection(chroma_client(settings), settings, get_embeddings(settings.embeddings))


st.set_page_config(page_title="Assistant CLS Normandie", page_icon="🩺", layout="wide")
st.title("Assistant des Contrats Locaux de Santé de Normandie")

try:
    collection = load_collection()
except (StoreError, ConfigError) as error:
    st.error(str(error))
    st.stop()

documents = document_table(collection)
st.caption(f"{len(documents)} documents · {sum(row['chunks'] for row in documents)} extraits indexés")
if not documents:
    st.info("La base est vide : indexez des documents avec `cls-assistant ingest <dossier>`.")
else:
    st.subheader("Documents indexés")
    st.dataframe(
        documents,
        column_config={
            "file": "Fichier", "title": "Titre", "publisher": "Éditeur", "date": "Date",
            "doc_type": "Type", "territory": "Territoire", "url": st.column_config.LinkColumn("Lien"),
            "visibility": "Visibilité", "chunks": "Extraits",
        },
        hide_index=True,
    )
