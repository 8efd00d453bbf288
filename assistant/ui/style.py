"""A few lines of our own fixed CSS (never any document content): what Streamlit cannot set.

- Source cards: their anchored heading (the target of a `[n]` badge) is a title line, not a
  section heading.
- The file uploader: Streamlit writes its button and size hint in English only; ours are French.
"""

from __future__ import annotations

import streamlit as st

CSS = """
<style>
div[class*="st-key-source-card-"] h3 { font-size: 1rem; font-weight: 600; padding: 0.1rem 0; }
div[class*="st-key-source-card-"] [data-testid="stHeaderActionElements"] { display: none; }
[data-testid="stHeadingWithActionElements"] { scroll-margin-top: 4rem; }
[data-testid="stFileUploaderDropzoneInstructions"] { display: none; }
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p { display: none; }
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"]::after {
  content: "Choisir des fichiers";
}
[data-testid="stFileUploaderDropzone"]::after {
  content: "ou glissez-les ici"; font-size: 0.875rem; opacity: 0.7; margin-left: 1rem; align-self: center;
}
</style>
"""


def apply() -> None:
    st.html(CSS)
