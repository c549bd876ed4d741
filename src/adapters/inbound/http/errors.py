"""The error envelope `{"error": {"code", "message", "details"}}`, for every error of every route.

This is the one place where the core's errors meet HTTP status codes.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response

from src.domain.errors import Conflict, DomainError, InvalidInput, InvalidTarget, UnknownCommand

logger = logging.getLogger(__name__)

DOMAIN_STATUS: dict[type[DomainError], tuple[int, str]] = {
    InvalidInput: (400, "validation_error"),
    UnknownCommand: (400, "unknown_command"),
    InvalidTarget: (400, "invalid_target"),
    Conflict: (409, "conflict"),
}

HTTP_CODES = {
    400: "validation_error",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    429: "rate_limited",
}


def error_body(code: str, message: str, details: list[Any] | None = None, **extra: Any) -> bytes:
    return orjson.dumps({"error": {"code": code, "message": message, "details": details or [], **extra}})


def error_response(status: int, code: str, message: str, details: list[Any] | None = None,
                   headers: dict[str, str] | None = None, **extra: Any) -> Response:
    return Response(error_body(code, message, details, **extra), status_code=status,
                    media_type="application/json", headers=headers)


def _field(location: tuple[Any, ...]) -> str:
    # ("body", "progress") -> "progress"; ("query", "limit") -> "limit"
    return ".".join(str(part) for part in location[1:]) or str(location[0]) if location else ""


def _validation_message(errors: list[dict[str, Any]]) -> str:
    first = errors[0]
    kind, location = first.get("type"), tuple(first.get("loc", ()))
    if kind == "json_invalid":
        return "request body is not valid JSON"
    if location == ("body",):
        return "request body is required" if kind == "missing" else f"request body: {first.get('msg')}"
    if first.get("type") == "extra_forbidden":
        return f"unknown field {_field(tuple(first['loc']))!r}"
    field = _field(tuple(first.get("loc", ())))
    return f"{field}: {first.get('msg', 'invalid value')}" if field else first.get("msg", "invalid request")


async def _on_validation_error(request: Request, error: RequestValidationError) -> Response:
    errors = list(error.errors())
    # Only what is safe and useful to send back: never the input itself, nor exception objects.
    details = [
        {"field": "body" if e.get("type") == "json_invalid" else _field(tuple(e.get("loc", ()))),
         "message": e.get("msg", "")}
        for e in errors
    ]
    return error_response(400, "validation_error", _validation_message(errors), details)


def domain_error(error: DomainError) -> tuple[int, dict[str, Any]]:
    """The status and the envelope's content for an error of the core (REST and WebSocket alike)."""
    status, code = next(
        (mapping for kind, mapping in DOMAIN_STATUS.items() if isinstance(error, kind)), (400, "validation_error")
    )
    return status, {"code": code, "message": error.message, "details": error.details}


async def _on_domain_error(request: Request, error: DomainError) -> Response:
    status, body = domain_error(error)
    return error_response(status, body["code"], body["message"], body["details"])


async def _on_http_error(request: Request, error: HTTPException) -> Response:
    code = HTTP_CODES.get(error.status_code, "internal" if error.status_code >= 500 else "validation_error")
    message = {404: "no such route", 405: f"method {request.method} is not allowed here"}.get(
        error.status_code, str(error.detail)
    )
    return error_response(error.status_code, code, message, headers=getattr(error, "headers", None))


async def _on_unexpected(request: Request, error: Exception) -> Response:
    request_id = uuid.uuid4().hex[:16]
    logger.error("request %s %s failed (request id %s)", request.method, request.url.path, request_id,
                 exc_info=error)
    return error_response(500, "internal", "internal error; the log has the details", request_id=request_id)


def install_error_handlers(app: FastAPI) -> None:
    # Starlette types every handler as taking any Exception, though it calls each with the class it is
    # registered for (as its documentation shows): a handler for a narrower class is right.
    app.add_exception_handler(RequestValidationError, _on_validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(DomainError, _on_domain_error)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, _on_http_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _on_unexpected)
