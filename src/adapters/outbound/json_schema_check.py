"""Checking a language model's JSON answer against the JSON Schema it was given, with the `jsonschema`
library (Draft 2020-12, every keyword): what the model says is used only when it fits the schema."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

# How much of the model's own words an error quotes (errors go to the log).
QUOTED_AT_MOST = 200


class SchemaMismatch(ValueError):
    """The value does not match the schema; the message says where (`$.readings[0].kind`) and why."""


def check(value: Any, schema: Mapping[str, Any]) -> None:
    """Raises SchemaMismatch naming the place `value` breaks `schema` (the most telling of its errors).
    A schema that is not valid JSON Schema is our mistake, not the model's: jsonschema's SchemaError."""
    error = best_match(_validator(json.dumps(schema, sort_keys=True)).iter_errors(value))
    if error is not None:
        message = error.message if len(error.message) <= QUOTED_AT_MOST else error.message[:QUOTED_AT_MOST] + "…"
        raise SchemaMismatch(f"{error.json_path}: {message}")


@lru_cache(maxsize=64)
def _validator(schema_text: str) -> Draft202012Validator:
    """One validator per schema (a second reading's schema names its batch, so a few are alive at once)."""
    schema = json.loads(schema_text)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)
