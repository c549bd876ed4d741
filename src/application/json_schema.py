"""A small JSON Schema checker for what a language model answers: the subset our schemas use
(`type`, `enum`, `properties`, `required`, `additionalProperties: false`, `items`, `minItems`,
`maxItems`, `minLength`, `maxLength`). The `jsonschema` package is not a dependency of the service,
and a schema using any other keyword is refused, so a check is never silently skipped."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_KNOWN = frozenset({"type", "enum", "properties", "required", "additionalProperties", "items", "minItems",
                    "maxItems", "minLength", "maxLength", "description", "title"})
_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,), "array": (list,), "string": (str,), "integer": (int,), "number": (int, float),
    "boolean": (bool,), "null": (type(None),),
}


class SchemaMismatch(ValueError):
    """The value does not match the schema; the message says where (`$.readings[0].kind`) and why."""


def check(value: Any, schema: Mapping[str, Any]) -> None:
    """Raises SchemaMismatch at the first place `value` breaks `schema`."""
    _check(value, schema, "$")


def _check(value: Any, schema: Mapping[str, Any], path: str) -> None:
    unknown = set(schema) - _KNOWN
    if unknown:
        raise ValueError(f"schema keywords not supported here: {sorted(unknown)}")
    if "type" in schema and not _is_type(value, schema["type"]):
        raise SchemaMismatch(f"{path}: expected {schema['type']}, got {type(value).__name__}")
    if "enum" in schema and not any(value == option and type(value) is type(option) for option in schema["enum"]):
        raise SchemaMismatch(f"{path}: not one of the allowed values")
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0) or len(value) > schema.get("maxLength", len(value)):
            raise SchemaMismatch(f"{path}: length {len(value)} out of bounds")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0) or len(value) > schema.get("maxItems", len(value)):
            raise SchemaMismatch(f"{path}: {len(value)} items, out of bounds")
        if "items" in schema:
            for index, element in enumerate(value):
                _check(element, schema["items"], f"{path}[{index}]")
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for name in schema.get("required", ()):
            if name not in value:
                raise SchemaMismatch(f"{path}: {name} is missing")
        if schema.get("additionalProperties", True) is False:
            extra = sorted(set(value) - set(properties))
            if extra:
                raise SchemaMismatch(f"{path}: unexpected {', '.join(map(str, extra))}")
        for name, element in value.items():
            if name in properties:
                _check(element, properties[name], f"{path}.{name}")


def _is_type(value: Any, expected: str | list[str]) -> bool:
    names = [expected] if isinstance(expected, str) else expected
    for name in names:
        if name not in _TYPES:
            raise ValueError(f"schema type not supported here: {name}")
        # JSON has no boolean-as-number: True is not an integer here.
        if isinstance(value, _TYPES[name]) and not (isinstance(value, bool) and name in ("integer", "number")):
            return True
    return False
