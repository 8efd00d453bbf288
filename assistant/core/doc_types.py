"""The kinds of document the knowledge base holds: the codes stored in metadata, with their French names."""

DOC_TYPES = {
    "contract": "Contrat",
    "guide": "Guide",
    "press_release": "Communiqué de presse",
    "web_page": "Page web",
    "other": "Autre document",
}


def doc_type_label(doc_type: str) -> str:
    return DOC_TYPES.get(doc_type, doc_type or "Non précisé")
