"""The Streamlit interface: one small module per part of the screen.

`streamlit_app.py` only sets the page up and navigates; the chat, the sources panel, the sidebar,
the documents page and the export live here, so each can be read (and tested) on its own.
"""
