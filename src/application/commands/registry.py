"""The command registry: each verb is one entry (grammar, help line, planner, effect), and parsing,
`help`, the dashboard's completions (GET /api/commands) and the Slack bot's lists all read it.

A planner turns a parsed command into a `Plan`: the async work (searches, a collection's
reservation) done before the chain runs, and a `Step`, the pure change the chain applies.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from src.application.ports import SearchIndex
from src.application.use_cases.build_brief import BuildBrief
from src.application.use_cases.trigger_collection import TriggerCollection
from src.domain.board import Outcome
from src.domain.commands import Command, Grammar, parse_commands
from src.domain.state import DashboardState

# A step of a chain: given the state so far and the time, the new state (or None) and what it did.
Step = Callable[[DashboardState, datetime], tuple[DashboardState | None, Outcome]]


class Effect(StrEnum):
    """What a verb does, for those who present or follow it up (the Slack bot's marks, its wait for
    a collection's end) without a list of verbs of their own."""

    MARK_DONE = "mark_done"
    MARK_PARTIAL = "mark_partial"
    DISMISS = "dismiss"
    SNOOZE = "snooze"
    BRIEF = "brief"
    SEARCH = "search"
    REFRESH = "refresh"
    COLLECT = "collect"
    STATUS = "status"
    HELP = "help"


@dataclass(slots=True)
class Plan:
    """A command made ready to run: the async work is already done."""

    command: Command
    step: Step
    extra: dict[str, Any] = field(default_factory=dict)
    after_commit: Callable[[], None] | None = None
    on_abort: Callable[[], None] | None = None


@dataclass(frozen=True, slots=True)
class PlanTools:
    """What a planner may use besides the state."""

    search: SearchIndex
    collections: TriggerCollection
    registry: CommandRegistry
    briefs: BuildBrief


Planner = Callable[[PlanTools, Command, DashboardState], Awaitable[Plan]]


@dataclass(frozen=True, slots=True)
class CommandEntry:
    verb: str
    usage: str  # "approve Pn", as `help` shows it
    help: str  # what it does, one line
    effect: Effect
    planner: Planner
    grammar: Grammar = Grammar()
    example: str = ""  # a command that runs on a board with C1, P1 and M1 (tests walk these)

    def help_line(self) -> str:
        return f"{self.usage}: {self.help}"

    def completion(self) -> dict[str, Any]:
        """What the dashboard's Tab needs: after the verb, the code kinds and words it takes."""
        return {"verb": self.verb, "usage": self.usage, "help": self.help, "codes": "", "words": [],
                **self.grammar.target.completions()}


class CommandRegistry:
    def __init__(self, entries: Iterable[CommandEntry]) -> None:
        self._entries: dict[str, CommandEntry] = {}
        for entry in entries:
            if entry.verb in self._entries:
                raise ValueError(f"the verb {entry.verb!r} is registered twice")
            if not callable(entry.planner):
                raise TypeError(f"the verb {entry.verb!r} has no planner")
            self._entries[entry.verb] = entry
        self._grammars = {verb: entry.grammar for verb, entry in self._entries.items()}

    def __iter__(self) -> Iterator[CommandEntry]:
        return iter(self._entries.values())

    def __getitem__(self, verb: str) -> CommandEntry:
        return self._entries[verb]

    def parse(self, text: object, now: datetime) -> list[Command]:
        """A command or a `|` chain; refused whole (UnknownCommand, InvalidTarget, InvalidInput)."""
        return parse_commands(text, self._grammars, now)

    def help_text(self) -> str:
        return "Commands (chain them with |):\n" + "\n".join(entry.help_line() for entry in self)

    def completions(self) -> list[dict[str, Any]]:
        return [entry.completion() for entry in self]

    def verbs_with(self, *effects: Effect) -> frozenset[str]:
        return frozenset(entry.verb for entry in self if entry.effect in effects)

    def effect_of(self, verb: str) -> Effect | None:
        entry = self._entries.get(verb)
        return entry.effect if entry else None
