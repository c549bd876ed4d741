"""The SecondReading contract, run against the model-backed second reading (over the fake model and
over the OpenAI-compatible adapter with the stand-in server) and against the fake."""

from __future__ import annotations

import pytest

from src.adapters.outbound.language_model import OpenAICompatibleModel
from src.adapters.outbound.reader.second_reading import ModelSecondReading
from src.testing.llm_stand_in import StandInModel
from tests.contract.second_reading_suite import SecondReadingContract
from tests.fakes import FakeLanguageModel, FakeSecondReading


def answering(answers):
    """A model's JSON answer to a batch: the table's kind for each id it was sent."""
    def answer(data):
        return {"readings": [{"id": m["id"], "kind": answers[m["id"]].value if answers[m["id"]] else "none",
                              "counterparty": None, "due": None, "text": None}
                             for m in data["messages"] if m["id"] in answers]}
    return answer


def likely(text: str) -> float:
    return 0.9 if "?" in text else 0.1


class TestModelSecondReadingOverTheFake(SecondReadingContract):
    @pytest.fixture
    def make(self):
        def make(answers, fail=False):
            model = FakeLanguageModel(json=answering(answers), failure="answered HTTP 500" if fail else None)
            return ModelSecondReading(model, likelihood=likely)
        return make


class TestModelSecondReadingOverTheStandIn(SecondReadingContract):
    @pytest.fixture
    def make(self):
        with StandInModel() as server:
            def make(answers, fail=False):
                server.mode, server.json = ("500" if fail else "good"), answering(answers)
                return ModelSecondReading(OpenAICompatibleModel(server.url, "stand-in", timeout=2),
                                          likelihood=likely)
            yield make


class TestFakeSecondReading(SecondReadingContract):
    @pytest.fixture
    def make(self):
        return lambda answers, fail=False: FakeSecondReading(answers, fail=fail)
