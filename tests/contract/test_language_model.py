"""The LanguageModel contract, run against the OpenAI-compatible adapter over the stand-in server
on loopback, and against the fake."""

from __future__ import annotations

import pytest

from src.adapters.outbound.language_model import OpenAICompatibleModel
from src.testing.llm_stand_in import NONSENSE, StandInModel
from tests.contract.language_model_suite import LanguageModelContract
from tests.fakes import FakeLanguageModel

TIMEOUT = 0.5  # the stand-in's slow mode answers after 30 s


@pytest.fixture(scope="module")
def stand_in():
    with StandInModel() as server:
        yield server


class TestOpenAICompatibleModel(LanguageModelContract):
    @pytest.fixture
    def make_model(self, stand_in):
        def make(mode, *, text="A short paragraph.", json=None):
            stand_in.mode, stand_in.text, stand_in.json = mode, text, json if json is not None else {}
            return OpenAICompatibleModel(stand_in.url, "stand-in-model", timeout=TIMEOUT)
        return make


class TestFakeLanguageModel(LanguageModelContract):
    @pytest.fixture
    def make_model(self):
        def make(mode, *, text="A short paragraph.", json=None):
            if mode == "slow":
                return FakeLanguageModel(text=text, json=json, delay=1.0, timeout=0.01)
            if mode in ("500", "malformed", "closed"):
                return FakeLanguageModel(failure={"500": "answered HTTP 500", "malformed": "gave a malformed answer",
                                                  "closed": "could not be reached"}[mode])
            if mode == "nonsense":
                return FakeLanguageModel(text=NONSENSE, json=NONSENSE)
            if mode == "empty":
                return FakeLanguageModel(text="", json="")
            return FakeLanguageModel(text=text, json=json)
        return make
