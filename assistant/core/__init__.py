"""The layer both sides stand on: settings, errors, the Chroma store and its sentence vectors,
the embedding model, French text helpers and dates, the content-safety check.

`ingest/` (which writes the store) and the answering side (retrieval, engines, catalogue, UI) import
from here; nothing here imports from either (the contracts in pyproject.toml, `lint-imports`).
"""
