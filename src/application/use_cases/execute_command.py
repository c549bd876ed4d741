"""Commands typed by a person ("approve P7 | brief C3"): parsed whole, then run as one change."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from src.application.changes import StateChanges
from src.application.ports import Clock, SearchIndex, StateRepository
from src.application.use_cases.trigger_collection import TriggerCollection
from src.domain.board import Outcome, complete_commitment, set_priority_status, with_derived_flags
from src.domain.briefs import daily_brief, item_brief, meeting_brief, topic_brief
from src.domain.commands import VERBS, Command, parse_commands
from src.domain.errors import Conflict
from src.domain.search import SearchHit
from src.domain.state import CalendarItem, Commitment, DashboardState, Priority, PriorityStatus

BRIEF_HITS = 20
SEARCH_HITS = 10
# A step of a chain: given the state so far and the time, the new state (or None) and what it did.
Step = Callable[[DashboardState, datetime], tuple[DashboardState | None, Outcome]]


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


@dataclass(slots=True)
class _Plan:
    """A command made ready to run: the async work (searches, reservations) is already done."""

    command: Command
    step: Step
    extra: dict[str, Any] = field(default_factory=dict)
    after_commit: Callable[[], None] | None = None
    on_abort: Callable[[], None] | None = None


def _no_change(message: str) -> Step:
    return lambda state, now: (None, Outcome(True, message))


def _status_line(state: DashboardState) -> str:
    system = state.system
    last = system.last_sync.isoformat(timespec="minutes") if system.last_sync else "never"
    line = f"{system.status.value}, progress {system.progress}%, last sync {last}"
    return f"{line}: {system.message}" if system.message else line


def _format_hits(words: str, hits: list[SearchHit]) -> str:
    if not hits:
        return f"No results for {words!r}."
    lines = [f"{len(hits)} results for {words!r}:"]
    lines += [f"{n}. [{hit.source} {hit.date or 'undated'}] {hit.slack_snippet}" for n, hit in enumerate(hits, 1)]
    return "\n".join(lines)


class ExecuteCommand:
    def __init__(
        self,
        changes: StateChanges,
        repository: StateRepository,
        search_index: SearchIndex,
        trigger_collection: TriggerCollection,
        clock: Clock,
    ) -> None:
        self._changes = changes
        self._repository = repository
        self._search = search_index
        self._collections = trigger_collection
        self._clock = clock

    async def __call__(self, text: object) -> CommandAnswer:
        commands = parse_commands(text)  # a wrong part refuses the whole chain before anything runs
        current = await self._repository.load()
        plans: list[_Plan] = []
        try:
            for command in commands:
                plans.append(await self._plan(command, current))
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

    async def _run(self, plans: list[_Plan]) -> CommandAnswer:
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

    async def _plan(self, command: Command, current: DashboardState) -> _Plan:
        planner: Callable[[Command, DashboardState], Awaitable[_Plan]] = getattr(self, f"_plan_{command.verb}")
        return await planner(command, current)

    async def _plan_approve(self, command: Command, current: DashboardState) -> _Plan:
        code = command.target
        return _Plan(command, lambda state, now: set_priority_status(state, code, PriorityStatus.DONE, now))

    async def _plan_partial(self, command: Command, current: DashboardState) -> _Plan:
        code = command.target
        return _Plan(command, lambda state, now: set_priority_status(state, code, PriorityStatus.PARTIAL, now))

    async def _plan_done(self, command: Command, current: DashboardState) -> _Plan:
        code = command.target
        if code.startswith("P"):
            return await self._plan_approve(command, current)
        return _Plan(command, lambda state, now: complete_commitment(state, code, now))

    _plan_complete = _plan_done

    async def _plan_brief(self, command: Command, current: DashboardState) -> _Plan:
        target = command.target
        if target is None:
            return _Plan(command, self._brief_step(lambda state, now: daily_brief(state, now), "daily brief"))
        if not command.target_is_code:
            hits = await self._hits(target, BRIEF_HITS)
            return _Plan(command, self._brief_step(lambda state, now: topic_brief(target, hits, now), "topic brief"))
        item = _find_item(current, target)
        if item is None:
            return _Plan(command, lambda state, now: (None, Outcome(False, f"{target} is not on the board")))
        hits = _merge([await self._hits(query, BRIEF_HITS) for query in _search_terms(item)])

        def build(state: DashboardState, now: datetime):
            found = _find_item(state, target)
            if found is None:
                return None
            return meeting_brief(found, hits, now) if target.startswith("C") else item_brief(found, hits, now)

        return _Plan(command, self._brief_step(build, f"brief for {target}", missing=f"{target} is not on the board"))

    @staticmethod
    def _brief_step(build, label: str, missing: str = "") -> Step:
        def step(state: DashboardState, now: datetime):
            brief = build(state, now)
            if brief is None:
                return None, Outcome(False, missing)
            return replace(state, active_brief=brief), Outcome(True, f"{label} ready: {brief.title}")

        return step

    async def _plan_search(self, command: Command, current: DashboardState) -> _Plan:
        hits = await self._hits(command.target, SEARCH_HITS)
        extra = {"hits": [hit.to_document() for hit in hits]}
        return _Plan(command, _no_change(_format_hits(command.target, hits)), extra)

    async def _plan_refresh(self, command: Command, current: DashboardState) -> _Plan:
        # A new version even when no flag moved: "send the state again" is what refresh is for.
        return _Plan(command, lambda state, now: (with_derived_flags(state, now), Outcome(True, "flags recomputed")))

    async def _plan_quick(self, command: Command, current: DashboardState) -> _Plan:
        try:
            job = self._collections.reserve(command.target)
        except Conflict as busy:
            reason = busy.message
            return _Plan(command, lambda state, now: (None, Outcome(False, reason)))
        start = self._collections.start_change(job)
        return _Plan(
            command,
            lambda state, now: (start(state), Outcome(True, f"{job.mode} collection started (job {job.id})")),
            extra={"job": job.to_document()},
            after_commit=lambda: self._collections.launch(job),
            on_abort=lambda: self._collections.release(job),
        )

    _plan_full = _plan_quick
    _plan_collect = _plan_quick

    async def _plan_status(self, command: Command, current: DashboardState) -> _Plan:
        return _Plan(command, lambda state, now: (None, Outcome(True, _status_line(state))))

    async def _plan_help(self, command: Command, current: DashboardState) -> _Plan:
        return _Plan(command, _no_change("Commands (chain them with |):\n" + "\n".join(VERBS.values())))

    async def _hits(self, words: str, limit: int) -> list[SearchHit]:
        return list((await self._search.search(words, limit=limit)).hits)


def _search_terms(item: CalendarItem | Priority | Commitment) -> list[str]:
    """What to look up for a brief on `item`: its title or text, and the people it involves."""
    if isinstance(item, CalendarItem):
        return [item.title, *item.attendees[:5]]
    if isinstance(item, Priority):
        return [item.title]
    return [item.text, *([item.counterparty] if item.counterparty else [])]


def _find_item(state: DashboardState, code: str) -> CalendarItem | Priority | Commitment | None:
    items = {"C": state.calendar, "P": state.priorities, "M": state.commitments}[code[0]]
    return next((item for item in items if item.id == code), None)


def _merge(pages: list[list[SearchHit]]) -> list[SearchHit]:
    seen: dict[str, SearchHit] = {}
    for hits in pages:
        for hit in hits:
            seen.setdefault(hit.id, hit)
    return list(seen.values())
