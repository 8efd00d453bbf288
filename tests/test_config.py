"""Settings are checked when anything starts: a bad value is a French error naming its variable."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from assistant import cli
from assistant.core.config import ConfigError, Settings, get_settings


@pytest.mark.parametrize(("variable", "value", "message"), [
    ("CLS_LLM", "gpt", r"CLS_LLM='gpt' : choisissez extractive, openai, ollama, llamacpp"),
    ("CLS_AUTH", "ldap", r"CLS_AUTH='ldap' : choisissez none, password, oidc"),
    ("CLS_OCR", "toujours", r"CLS_OCR='toujours' : choisissez auto, off"),
    ("CLS_RETRIEVAL_K", "huit", r"CLS_RETRIEVAL_K='huit' : un nombre"),
    ("CLS_CHUNK_TOKENS", "4", r"CLS_CHUNK_TOKENS='4' : au moins 32"),
    ("CLS_EMBEDDINGS", "openai", r"CLS_EMBEDDINGS='openai' : valeur non reconnue"),
])
def test_a_bad_value_names_its_variable_in_french(monkeypatch, variable, value, message):
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError, match=r"^Configuration invalide : .*" + message):
        Settings(_env_file=None)


def test_every_problem_is_listed_at_once(monkeypatch):
    monkeypatch.setenv("CLS_LLM", "gpt")
    monkeypatch.setenv("CLS_RETRIEVAL_K", "0")
    with pytest.raises(ConfigError) as raised:
        Settings(_env_file=None)
    assert "CLS_LLM" in str(raised.value) and "CLS_RETRIEVAL_K='0' : au moins 1" in str(raised.value)


def test_lists_secrets_and_copies(monkeypatch):
    monkeypatch.setenv("CLS_ARS_EMAILS", " claire@ars.sante.fr, @ars.sante.fr ,")
    monkeypatch.setenv("CLS_OPENAI_API_KEY", "sk-secret")
    settings = Settings(_env_file=None)
    assert settings.ars_emails == ["claire@ars.sante.fr", "@ars.sante.fr"]
    assert "sk-secret" not in repr(settings) and settings.openai_api_key.get_secret_value() == "sk-secret"
    copy = settings.model_copy(update={"openai_api_key": "other"})
    assert copy.openai_api_key.get_secret_value() == "other" and copy.ars_emails == settings.ars_emails
    with pytest.raises(ConfigError, match="CLS_LLM"):
        settings.model_copy(update={"llm": "gpt"})


def test_the_command_line_says_it_before_doing_anything(monkeypatch, tmp_path):
    monkeypatch.setenv("CLS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CLS_LLM", "gpt")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli.app, ["stats"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2
    assert "Erreur : Configuration invalide : CLS_LLM='gpt' : choisissez extractive" in " ".join(result.output.split())
    assert "Traceback" not in result.output and not (tmp_path / "data").exists()
