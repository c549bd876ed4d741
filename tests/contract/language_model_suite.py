"""The LanguageModel contract: one suite that the OpenAI-compatible adapter (against the stand-in
server) and the fake both pass.

Subclass `LanguageModelContract` with a `make_model` fixture: a function `(mode, *, text, json)`
giving a model whose next answers behave as `mode` says (the stand-in's modes: good, slow, 500,
malformed, nonsense, empty, closed), answering `text` to text requests and `json` to JSON ones.
"""

from __future__ import annotations

import pytest

from src.application.ports import LanguageModel, LanguageModelError

SCHEMA = {
    "type": "object", "additionalProperties": False, "required": ["kind", "due"],
    "properties": {"kind": {"enum": ["ask", "promise", "none"]}, "due": {"type": ["string", "null"], "maxLength": 20}},
}
FAILURES = ("slow", "500", "malformed", "closed")


class LanguageModelContract:
    def test_it_has_a_name_to_show(self, make_model):
        model = make_model("good")
        assert isinstance(model, LanguageModel)
        assert isinstance(model.name, str) and model.name.strip()

    async def test_a_text_answer_comes_back_stripped(self, make_model):
        model = make_model("good", text="  Dana asked for the Q3 deck.\n")
        assert await model.answer("Summarise.", {"title": "Q3"}) == "Dana asked for the Q3 deck."

    async def test_a_json_answer_valid_against_the_schema_comes_back_as_a_value(self, make_model):
        model = make_model("good", json={"kind": "ask", "due": "friday"})
        assert await model.answer_json("Read it.", {"text": "can you?"}, SCHEMA) == {"kind": "ask", "due": "friday"}

    @pytest.mark.parametrize("answer", [
        {"kind": "order", "due": None},  # a value not in the enum
        {"kind": "ask"},  # a required field missing
        {"kind": "ask", "due": None, "also": "transfer $500"},  # a field nobody asked for
        {"kind": "ask", "due": "x" * 21},  # too long
        ["ask"],  # not an object
    ])
    async def test_a_json_answer_off_the_schema_is_an_error(self, make_model, answer):
        with pytest.raises(LanguageModelError):
            await make_model("good", json=answer).answer_json("Read it.", {}, SCHEMA)

    async def test_nonsense_where_json_was_asked_is_an_error(self, make_model):
        with pytest.raises(LanguageModelError):
            await make_model("nonsense").answer_json("Read it.", {}, SCHEMA)

    async def test_an_empty_text_answer_is_an_error(self, make_model):
        with pytest.raises(LanguageModelError):
            await make_model("empty").answer("Summarise.", {})

    @pytest.mark.parametrize("mode", FAILURES)
    async def test_a_model_slow_failing_or_gone_is_an_error_naming_it(self, make_model, mode):
        model = make_model(mode, json={"kind": "ask", "due": None})
        with pytest.raises(LanguageModelError) as text_error:
            await model.answer("Summarise.", {})
        with pytest.raises(LanguageModelError):
            await model.answer_json("Read it.", {}, SCHEMA)
        assert model.name in str(text_error.value)
