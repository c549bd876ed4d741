"""Errors the core raises. They know nothing of HTTP: the inbound adapters map them to status codes."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A request the rules refuse; `details` carries machine-readable specifics for the caller."""

    def __init__(self, message: str, details: list[Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []


class InvalidInput(DomainError):
    """A value breaks a rule of the state (unknown status, progress out of bounds, bad date...)."""


class UnknownCommand(DomainError):
    """The command's verb is not one the service knows."""


class InvalidTarget(DomainError):
    """The command's target is of the wrong kind or shape for its verb ("approve C3", "approve 7")."""


class Conflict(DomainError):
    """The request clashes with what is running now (a second collection while one runs)."""
