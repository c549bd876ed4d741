"""The command grammar: what a person types in the command box or after `/cos` in Slack."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from src.domain.errors import InvalidInput, InvalidTarget, UnknownCommand
from src.domain.state import check_unicode

MAX_COMMAND_LENGTH = 1000
MAX_CHAIN = 10

_CODE = re.compile(r"^([CPM])([1-9]\d{0,5})$", re.IGNORECASE)

# verb -> what the verb takes, used for parsing and for `help`
VERBS: dict[str, str] = {
    "approve": "approve Pn: priority n becomes done",
    "partial": "partial Pn: priority n becomes partial",
    "done": "done Mn: commitment n becomes done (a Pn works too)",
    "complete": "complete Mn: same as done",
    "brief": "brief Cn|Pn|Mn, brief, brief daily, brief <words>: builds a brief",
    "search": "search <words>: the top results from the collected data",
    "refresh": "refresh: recomputes alerts and sends the state again",
    "quick": "quick: starts a quick collection",
    "full": "full: starts a full collection",
    "collect": "collect [quick|full]: starts a collection",
    "status": "status: one line on the system",
    "help": "help: this list",
}

COLLECTION_TYPES = ("quick", "full")


@dataclass(frozen=True, slots=True)
class Command:
    """One parsed command. `target` is an upper-case code, a collection type, or the words of a search."""

    verb: str
    target: str | None = None

    @property
    def target_is_code(self) -> bool:
        return self.target is not None and _CODE.match(self.target) is not None


def _code(argument: str, verb: str, prefixes: str, expected: str) -> str:
    match = _CODE.match(argument)
    if match is None or match.group(1).upper() not in prefixes:
        raise InvalidTarget(f"{verb} takes {expected}, not {argument!r}", [{"verb": verb, "target": argument}])
    return argument.upper()


def _parse_one(text: str) -> Command:
    verb_typed, _, rest = text.strip().partition(" ")
    verb = verb_typed.lower()
    argument = rest.strip()
    if verb not in VERBS:
        suggestions = difflib.get_close_matches(verb, VERBS.keys(), n=3, cutoff=0.5)
        hint = f"; did you mean {' or '.join(suggestions)}?" if suggestions else "; try help"
        raise UnknownCommand(f"unknown command {verb_typed[:40]!r}{hint}", suggestions)

    if verb in ("approve", "partial"):
        return Command(verb, _code(argument, verb, "P", "a priority code such as P7"))
    if verb in ("done", "complete"):
        return Command(verb, _code(argument, verb, "MP", "a commitment code such as M3 (or a Pn)"))
    if verb == "brief":
        if argument.lower() in ("", "daily"):
            return Command(verb, None)
        if _CODE.match(argument):
            return Command(verb, argument.upper())
        return Command(verb, argument)
    if verb == "search":
        if not argument:
            raise InvalidTarget("search needs some words, for example: search budget review")
        return Command(verb, argument)
    if verb == "collect":
        kind = argument.lower() or "quick"
        if kind not in COLLECTION_TYPES:
            raise InvalidTarget(f"collect takes quick or full, not {argument!r}")
        return Command(verb, kind)
    if argument:
        raise InvalidTarget(f"{verb} takes no target, but got {argument!r}")
    return Command(verb, verb if verb in COLLECTION_TYPES else None)


def parse_commands(text: object) -> list[Command]:
    """Parses a command or a `|` chain; the whole chain is refused if any part of it is wrong."""
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
    return [_parse_one(" ".join(part.split())) for part in parts]
