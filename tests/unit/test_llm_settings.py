"""AICOS_LLM_URL, AICOS_LLM_MODEL, AICOS_LLM_API_KEY (contract section 7), AICOS_LLM_TIMEOUT and
AICOS_LLM_BUDGET: off by default, refused when half set, the key never shown."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from src.bootstrap import create_container
from src.config import Settings

KEY = "sk-settings-secret-0123"


def test_no_model_by_default_and_ten_seconds_when_there_is_one(monkeypatch):
    for name in ("AICOS_LLM_URL", "AICOS_LLM_MODEL", "AICOS_LLM_API_KEY", "AICOS_LLM_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings(_env_file=None)
    assert settings.llm_url is None and settings.llm_api_key is None and settings.llm_timeout == 10
    assert create_container(settings).language_model() is None


def test_the_environment_configures_the_model(monkeypatch):
    monkeypatch.setenv("AICOS_LLM_URL", "http://127.0.0.1:11434/v1")
    monkeypatch.setenv("AICOS_LLM_MODEL", "llama3.1")
    monkeypatch.setenv("AICOS_LLM_API_KEY", KEY)
    monkeypatch.setenv("AICOS_LLM_TIMEOUT", "2.5")
    settings = Settings(_env_file=None)
    model = create_container(settings).language_model()
    assert model is not None and model.name == "llama3.1"
    assert KEY not in repr(settings) and KEY not in str(settings.model_dump())


def test_a_url_without_a_model_is_refused_without_showing_the_key():
    with pytest.raises(ValidationError) as error:
        Settings(_env_file=None, llm_url="http://127.0.0.1:11434/v1", llm_api_key=KEY)
    assert "AICOS_LLM_MODEL" in str(error.value) and KEY not in str(error.value)


@pytest.mark.parametrize("url", ["ftp://host/v1", "127.0.0.1:11434/v1", "file:///etc/passwd"])
def test_a_url_that_is_not_http_is_refused(url):
    with pytest.raises(ValidationError, match="http:// or https://"):
        Settings(_env_file=None, llm_url=url, llm_model="m")


@pytest.mark.parametrize("timeout", ["0", "-1"])
def test_a_timeout_must_be_positive(monkeypatch, timeout):
    monkeypatch.setenv("AICOS_LLM_TIMEOUT", timeout)
    with pytest.raises(ValidationError):
        Settings(_env_file=None)
