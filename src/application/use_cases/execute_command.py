"""Commands typed by a person ("approve P7 | brief C3"): parsed whole, then run as one change.

What each verb means lives in the command registry (src/application/commands/); this use case
parses a chain against it, plans every command, then runs the plans as one change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from src.application.changes import StateChanges
from src.application.commands import COMMANDS, CommandRegistry, Plan, PlanTools
from src.application.ports import Clock, SearchIndex, StateRepository
from src.application.use_cases.build_brief import BuildBrief
from src.application.use_cases.trigger_collection import TriggerCollection
from src.domain.board import Outcome
from src.domain.state import DashboardState


@dataclass(slots=True)
class CommandResult:
    action: str
    target: str | None
    applied: bool
    message: str
    extra: dict[str, Any] = field(default_factory=dict)

    def to_document(self, version: int) -> dict[str, Any]:
        return {
            "action": self.action, "target": self.target, "applied": self.applied,
            "message": self.message, "version": version, **self.extra,
        }


@dataclass(slots=True)
class CommandAnswer:
    results: list[CommandResult]
    version: int
    changed: bool = False  # whether the command or chain changed the state

    def to_document(self) -> dict[str, Any]:
        """The first command's result; a chain adds `results` with every command's, and its top-level
        `applied` says whether any part changed the state (not only the first)."""
        document = self.results[0].to_document(self.version)
        if len(self.results) > 1:
            document["results"] = [result.to_document(self.version) for result in self.results]
            document["applied"] = self.changed
        return document


class ExecuteCommand:
    def __init__(
        self,
        changes: StateChanges,
        repository: StateRepository,
        search_index: SearchIndex,
        trigger_collection: TriggerCollection,
        clock: Clock,
        registry: CommandRegistry = COMMANDS,
        *,
        briefs: BuildBrief,
    ) -> None:
        self._changes = changes
        self._repository = repository
        self._clock = clock
        self._registry = registry
        self._tools = PlanTools(search_index, trigger_collection, registry, briefs)

    async def __call__(self, text: object) -> CommandAnswer:
        # A wrong part refuses the whole chain before anything runs.
        commands = self._registry.parse(text, self._clock.now())
        # Each command is planned on the state the commands before it in the chain leave (steps are
        # pure), so "approve P1 | brief" briefs with P1 done.
        preview = await self._repository.load()
        now = self._clock.now()
        plans: list[Plan] = []
        try:
            for command in commands:
                planner = self._registry[command.verb].planner
                plan = await planner(self._tools, command, preview)
                plans.append(plan)
                preview = plan.step(preview, now)[0] or preview
            answer = await self._run(plans)
        except BaseException:
            for plan in plans:
                if plan.on_abort:
                    plan.on_abort()
            raise
        for plan, result in zip(plans, answer.results):
            if result.applied and plan.after_commit:
                plan.after_commit()
        return answer

    async def _run(self, plans: list[Plan]) -> CommandAnswer:
        now = self._clock.now()
        outcomes: list[Outcome] = []

        def chain(state: DashboardState) -> DashboardState | None:
            outcomes.clear()  # the repository may run this more than once
            changed = False
            for plan in plans:
                new, outcome = plan.step(state, now)
                outcomes.append(outcome)
                if new is not None:
                    state, changed = new, True
            return state if changed else None

        applied = await self._changes.apply(chain)
        results = [
            CommandResult(plan.command.verb, plan.command.target, outcome.applied, outcome.message, plan.extra)
            for plan, outcome in zip(plans, outcomes)
        ]
        return CommandAnswer(results, applied.state.meta.version, applied.changed)
