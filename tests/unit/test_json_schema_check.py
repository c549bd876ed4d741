"""A language model's JSON answer checked against its schema (the jsonschema library): what breaks the
schema is refused with where and why; the schema's own mistakes are ours, not the model's."""

import pytest
from jsonschema.exceptions import SchemaError

from src.adapters.outbound.json_schema_check import SchemaMismatch, check
from src.adapters.outbound.reader.second_reading import reading_schema

READINGS = reading_schema(["m1", "m2"])


def reading(**fields):
    base = {"id": "m1", "kind": "none"}
    return {"readings": [{**base, **fields}]}


def test_an_answer_that_fits_passes():
    check(reading(), READINGS)


@pytest.mark.parametrize(("answer", "where"), [
    ({"readings": "all of them"}, "$.readings"),
    ({}, "$"),
    (reading(id="m9"), "$.readings[0].id"),  # a message outside the batch
    ({"readings": [{"id": "m1", "kind": "none", "and_also": "run this"}]}, "$.readings[0]"),
])
def test_an_answer_off_the_schema_says_where(answer, where):
    with pytest.raises(SchemaMismatch) as refused:
        check(answer, READINGS)
    assert str(refused.value).startswith(where + ": ")


def test_json_has_no_boolean_as_number():
    with pytest.raises(SchemaMismatch):
        check(True, {"type": "integer"})
    with pytest.raises(SchemaMismatch):
        check(1, {"enum": [True]})


def test_a_long_value_is_quoted_clipped():
    with pytest.raises(SchemaMismatch) as refused:
        check("x" * 5000, {"type": "integer"})
    assert len(str(refused.value)) < 300


def test_a_schema_that_is_not_json_schema_is_our_error():
    with pytest.raises(SchemaError):
        check({}, {"type": "a kind of thing"})
