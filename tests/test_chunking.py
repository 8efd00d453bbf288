"""Chunks are verbatim, sized in the model's tokens, placed on their pages and under their heading."""

from __future__ import annotations

from ingest.chunking import chunk_pages
from ingest.documents import Page

SENTENCE = "Le coordinateur anime le comité de pilotage du contrat local de santé avec les partenaires. "


def test_chunks_fit_the_token_budget_and_are_verbatim(embeddings):
    pages = [Page(1, "# Diagnostic\n\n" + SENTENCE * 40), Page(2, "## Axes\n\n" + SENTENCE * 10)]
    chunks = chunk_pages(pages, embeddings.count_tokens, 120, 16)
    full = "\n\n".join(page.text for page in pages)
    assert len(chunks) > 3
    overhead = embeddings.count_tokens("")
    for chunk in chunks:
        assert chunk.text in full
        assert embeddings.count_tokens(chunk.text) - overhead <= 120 + 24
    assert [chunk.index for chunk in chunks] == list(range(len(chunks)))


def test_pages_and_sections_are_recorded(embeddings):
    pages = [
        Page(1, "# Diagnostic\n\nLa population vieillit et les médecins partent à la retraite sans successeur connu."),
        Page(2, "suite du diagnostic sur la démographie médicale du territoire, très préoccupante.\n\n## Axe 1 : accès aux soins\n\n" + SENTENCE * 12),
    ]
    chunks = chunk_pages(pages, embeddings.count_tokens, 60, 8)
    first = chunks[0]
    assert first.page == 1 and first.section == "Diagnostic"
    spanning = [c for c in chunks if c.page != c.page_end]
    assert all((c.page, c.page_end) == (1, 2) for c in spanning)
    axis = [c for c in chunks if "Axe 1" in c.text or c.section.startswith("Axe 1")]
    assert axis and all(c.page == 2 and c.page_end == 2 for c in axis)
    assert chunks[-1].section == "Axe 1 : accès aux soins"


def test_a_lone_heading_is_joined_to_what_follows(embeddings):
    pages = [Page(None, "## CONTACTS\n\n" + SENTENCE * 6)]
    chunks = chunk_pages(pages, embeddings.count_tokens, 60, 0)
    assert chunks[0].text.startswith("## CONTACTS\n\nLe coordinateur")
    assert all(c.page is None for c in chunks)


def test_consecutive_chunks_overlap(embeddings):
    chunks = chunk_pages([Page(1, SENTENCE * 30)], embeddings.count_tokens, 60, 20)
    for before, after in zip(chunks, chunks[1:]):
        assert after.text.split()[0] in before.text
