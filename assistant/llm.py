"""The one place that picks the chat model behind `CLS_LLM`; each backend is imported when chosen."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from langchain_core.language_models import BaseChatModel

from assistant.core.config import GENERATIVE_ENGINES, ConfigError, Settings

LLAMACPP_INSTALL = (
    'CMAKE_ARGS="-DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_TOOLS=OFF '
    '-DLLAMA_BUILD_SERVER=OFF -DGGML_NATIVE=OFF" CMAKE_BUILD_PARALLEL_LEVEL=2 '
    "pip install llama-cpp-python==0.3.36"
)


def chat_model(settings: Settings) -> BaseChatModel:
    """The chat model configured by `CLS_LLM`; `ConfigError` names the variable to fix."""
    match settings.llm:
        case "openai":
            _require(settings.openai_base_url, "CLS_OPENAI_BASE_URL", "l'adresse du serveur OpenAI")
            _require(settings.llm_model, "CLS_LLM_MODEL", "le nom du modèle")
            from langchain_openai import ChatOpenAI

            return ChatOpenAI(
                base_url=settings.openai_base_url,
                api_key=settings.openai_api_key.get_secret_value() or "none",
                model=settings.llm_model,
                temperature=settings.llm_temperature,
                timeout=settings.llm_timeout_s,
                streaming=True,
                max_retries=1,
            )
        case "ollama":
            _require(settings.ollama_url, "CLS_OLLAMA_URL", "l'adresse du serveur Ollama")
            _require(settings.llm_model, "CLS_LLM_MODEL", "le nom du modèle Ollama")
            from langchain_ollama import ChatOllama

            return ChatOllama(
                base_url=settings.ollama_url,
                model=settings.llm_model,
                temperature=settings.llm_temperature,
                client_kwargs={"timeout": settings.llm_timeout_s},
            )
        case "llamacpp":
            return _llamacpp(settings)
        case other:
            choices = ", ".join(GENERATIVE_ENGINES[:-1]) + " ou " + GENERATIVE_ENGINES[-1]
            raise ConfigError(f"CLS_LLM={other!r} n'est pas un modèle génératif : choisissez {choices}.")


def _llamacpp(settings: Settings) -> BaseChatModel:
    """A local GGUF model; llama-cpp-python is optional and compiled on install, so say how."""
    if importlib.util.find_spec("llama_cpp") is None:
        raise ConfigError(
            "CLS_LLM=llamacpp demande le paquet llama-cpp-python, absent. Installez-le (compilation "
            f"d'environ 7 minutes) :\n{LLAMACPP_INSTALL}"
        )
    _require(settings.llm_model, "CLS_LLM_MODEL", "le chemin du fichier .gguf")
    if not Path(settings.llm_model).is_file():
        raise ConfigError(f"CLS_LLM_MODEL : fichier GGUF introuvable ({settings.llm_model}).")
    from langchain_community.chat_models import ChatLlamaCpp

    return ChatLlamaCpp(
        model_path=settings.llm_model,
        n_ctx=settings.llm_context_tokens,
        n_threads=settings.llm_threads,
        # LangChain's defaults are not llama.cpp's: prompt batches of 8 tokens (llama.cpp: 512),
        # and a RoPE base of 10000 that overrides the model's (Qwen2.5: 1e6); 0 = as the GGUF says.
        n_batch=min(512, settings.llm_context_tokens),
        rope_freq_base=0.0,
        rope_freq_scale=0.0,
        max_tokens=settings.llm_max_tokens,
        temperature=settings.llm_temperature,
        streaming=True,
        verbose=False,
    )


def _require(value: str, variable: str, what: str) -> None:
    if not value.strip():
        raise ConfigError(f"{variable} manquant : indiquez {what}.")
