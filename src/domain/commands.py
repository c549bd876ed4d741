"""The command grammar: what a person types in the command box or after `/cos` in Slack.

Each verb declares its `Grammar` (the target it takes, the arguments after it); the verbs and what
they do are listed once, in the command registry (src/application/commands/verbs.py). The parser
here reads a `|` chain against that table and refuses the whole chain if any part is wrong.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from src.domain.errors import InvalidInput, InvalidTarget, UnknownCommand
from src.domain.when import parse_when
from src.domain.state import check_unicode

MAX_COMMAND_LENGTH = 1000
MAX_CHAIN = 10

CODE = re.compile(r"^([CPM])([1-9]\d{0,5})$", re.IGNORECASE)

COLLECTION_TYPES = ("quick", "full")


@dataclass(frozen=True, slots=True)
class Command:
    """One parsed command. `target` is an upper-case code, a collection type, or the words of a
    search; `arguments` holds what follows the target, already typed (`until` is a date)."""

    verb: str
    target: str | None = None
    arguments: Mapping[str, Any] = field(default_factory=dict)

    @property
    def target_is_code(self) -> bool:
        return self.target is not None and CODE.match(self.target) is not None

    @property
    def until(self) -> date:
        """The `When` argument of a verb that takes one (snooze)."""
        return self.arguments["until"]


# -- what may follow a verb ----------------------------------------------------------------------------

class Target(Protocol):
    """What a verb takes right after it. `read` returns the target and the text left for arguments."""

    def read(self, verb: str, text: str) -> tuple[str | None, str]: ...

    def completions(self) -> dict[str, Any]:
        """For the dashboard's Tab: the code kinds (`codes`) and fixed words (`words`) it accepts."""
        ...


@dataclass(frozen=True, slots=True)
class NoTarget:
    def read(self, verb: str, text: str) -> tuple[str | None, str]:
        if text:
            raise InvalidTarget(f"{verb} takes no target, but got {text!r}")
        return None, ""

    def completions(self) -> dict[str, Any]:
        return {}


@dataclass(frozen=True, slots=True)
class ItsOwnName:
    """The verb is its own target (`quick` means a quick collection)."""

    def read(self, verb: str, text: str) -> tuple[str | None, str]:
        NoTarget().read(verb, text)
        return verb, ""

    def completions(self) -> dict[str, Any]:
        return {}


@dataclass(frozen=True, slots=True)
class Code:
    """A code of one of the kinds in `prefixes` ("P", "MP"); `expected` says it in words for errors."""

    prefixes: str
    expected: str

    def read(self, verb: str, text: str) -> tuple[str | None, str]:
        word, _, rest = text.partition(" ")
        match = CODE.match(word)
        if match is None or match.group(1).upper() not in self.prefixes:
            raise InvalidTarget(f"{verb} takes {self.expected}, not {text!r}", [{"verb": verb, "target": text}])
        return word.upper(), rest

    def completions(self) -> dict[str, Any]:
        return {"codes": self.prefixes}


@dataclass(frozen=True, slots=True)
class CodeOrWords:
    """A code, the words of a topic, or nothing (one of `blank`, such as "daily", means nothing too)."""

    prefixes: str
    blank: tuple[str, ...] = ()

    def read(self, verb: str, text: str) -> tuple[str | None, str]:
        if text.lower() in ("", *self.blank):
            return None, ""
        match = CODE.match(text)
        if match and match.group(1).upper() in self.prefixes:
            return text.upper(), ""
        return text, ""

    def completions(self) -> dict[str, Any]:
        return {"codes": self.prefixes, "words": list(self.blank)}


@dataclass(frozen=True, slots=True)
class Words:
    """Some words, required; `example` shows what."""

    example: str

    def read(self, verb: str, text: str) -> tuple[str | None, str]:
        if not text:
            raise InvalidTarget(f"{verb} needs some words, for example: {self.example}")
        return text, ""

    def completions(self) -> dict[str, Any]:
        return {}


@dataclass(frozen=True, slots=True)
class Choice:
    """One of `options`, or `default` when nothing is given."""

    options: tuple[str, ...]
    default: str

    def read(self, verb: str, text: str) -> tuple[str | None, str]:
        chosen = text.lower() or self.default
        if chosen not in self.options:
            raise InvalidTarget(f"{verb} takes {' or '.join(self.options)}, not {text!r}")
        return chosen, ""

    def completions(self) -> dict[str, Any]:
        return {"words": list(self.options)}


class Argument(Protocol):
    """What follows the target; it reads the rest of the command. `now` is the person's time."""

    # Read-only, so that a frozen dataclass (When) is an Argument.
    @property
    def name(self) -> str: ...

    @property
    def usage(self) -> str: ...

    def read(self, verb: str, text: str, now: datetime) -> Any: ...


@dataclass(frozen=True, slots=True)
class When:
    """A day to come: "2d", "tomorrow", "monday", "2026-12-07" (read in the person's zone)."""

    name: str = "until"
    usage: str = "<when>"

    def read(self, verb: str, text: str, now: datetime) -> date:
        return parse_when(text, now, what=verb)


@dataclass(frozen=True, slots=True)
class Grammar:
    target: Target = NoTarget()
    arguments: tuple[Argument, ...] = ()


# -- parsing -------------------------------------------------------------------------------------------

def _parse_one(text: str, grammars: Mapping[str, Grammar], now: datetime) -> Command:
    verb_typed, _, rest = text.strip().partition(" ")
    verb = verb_typed.lower()
    grammar = grammars.get(verb)
    if grammar is None:
        suggestions = difflib.get_close_matches(verb, grammars.keys(), n=3, cutoff=0.5)
        hint = f"; did you mean {' or '.join(suggestions)}?" if suggestions else "; try help"
        raise UnknownCommand(f"unknown command {verb_typed[:40]!r}{hint}", suggestions)
    rest = rest.strip()
    target, left = grammar.target.read(verb, rest)
    if not grammar.arguments:
        if left.strip():  # "approve P7 P8"
            raise InvalidTarget(f"{verb} takes one target, not {rest!r}", [{"verb": verb, "target": rest}])
        return Command(verb, target)
    # One argument reads the rest of the text; a verb with several would split it here.
    (argument,) = grammar.arguments
    return Command(verb, target, {argument.name: argument.read(verb, left.strip(), now)})


def parse_commands(text: object, grammars: Mapping[str, Grammar], now: datetime) -> list[Command]:
    """Parses a command or a `|` chain against `grammars` (verb -> Grammar); the whole chain is
    refused if any part of it is wrong. `now` is the person's time, for arguments such as `2d`."""
    if not isinstance(text, str):
        raise InvalidInput("command must be a string", [{"field": "command"}])
    if len(text) > MAX_COMMAND_LENGTH:
        raise InvalidInput(f"command must be at most {MAX_COMMAND_LENGTH} characters", [{"field": "command"}])
    if not text.strip():
        raise InvalidInput("command is empty; try help", [{"field": "command"}])
    check_unicode(text, "command")
    parts = text.split("|")
    if len(parts) > MAX_CHAIN:
        raise InvalidInput(f"at most {MAX_CHAIN} commands can be chained", [{"field": "command"}])
    if any(not part.strip() for part in parts):
        raise InvalidInput("a chained command is empty (two | in a row, or one at an end)", [{"field": "command"}])
    return [_parse_one(" ".join(part.split()), grammars, now) for part in parts]
