"""Comparing two lexical indexes by what they hold, whatever their vocabularies' numbering."""

from __future__ import annotations

import bm25s
import numpy as np

from assistant.core.french import terms
from assistant.lexical_index import CATEGORIES, LexicalIndex, searchable_text


def content(index: LexicalIndex) -> dict:
    """Every chunk's id, metadata columns and terms, and every view's chunks and statistics."""
    rows = index.rows
    chunks = [
        (
            str(rows.ids[i]),
            tuple(index.value(key, i) for key in CATEGORIES),
            int(rows.date_num[i]),
            bool(rows.quarantined[i]),
            tuple(rows.vocabulary[t] for t in rows.tokens(i).tolist()),
        )
        for i in range(index.count)
    ]
    views = {}
    for visibility in (("public",), None):
        view = index.view(visibility)
        views[visibility] = ([str(rows.ids[i]) for i in view.positions], view.document_frequency)
    return {"chunks": chunks, "views": views}


def same_scores_as_plain_bm25s(index: LexicalIndex, texts: dict[str, str], metadatas: dict[str, dict],
                               queries: list[str]) -> None:
    """Each view scores every query as a bm25s index of its own chunks' terms does (the index of
    the retriever before it was saved): same statistics, same scores."""
    for visibility in (("public",), None):
        view = index.view(visibility)
        ids = [str(index.ids[i]) for i in view.positions]
        corpus = [terms(searchable_text(texts[i], metadatas[i])) for i in ids]
        plain = bm25s.BM25()
        plain.index(corpus, show_progress=False)
        frequency = {}
        for tokens in corpus:
            for term in set(tokens):
                frequency[term] = frequency.get(term, 0) + 1
        assert view.document_frequency == frequency
        for query in queries:
            known = [t for t in terms(query) if t in frequency]
            expected = plain.get_scores(known) if known else np.zeros(len(ids), dtype=np.float32)
            assert np.array_equal(view.scores(terms(query)), expected), query
