"""Every command the service knows, one entry each: its grammar, its help line and its planner.

Adding a verb is adding an entry here (and its tests); see the README, "Adding a command".
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from src.application.commands.registry import CommandEntry, CommandRegistry, Effect, Plan, PlanTools, Step
from src.domain.board import Outcome, complete_commitment, set_priority_status, with_derived_flags
from src.domain.commands import COLLECTION_TYPES, Choice, Code, CodeOrWords, Command, Grammar, ItsOwnName, When, Words
from src.domain.errors import Conflict
from src.domain.search import SearchHit
from src.domain.state import Brief, CalendarItem, Commitment, DashboardState, Priority, PriorityStatus
from src.domain.triage import dismiss_item, snooze_item

SEARCH_HITS = 10


def _no_change(message: str) -> Step:
    return lambda state, now: (None, Outcome(True, message))


def _target(command: Command) -> str:
    """The code or words a verb's grammar requires: always there once the command is parsed."""
    if command.target is None:
        raise ValueError(f"{command.verb} needs a target")
    return command.target


# -- planners ------------------------------------------------------------------------------------------

async def plan_approve(tools: PlanTools, command: Command, current: DashboardState) -> Plan:
    code = _target(command)
    return Plan(command, lambda state, now: set_priority_status(state, code, PriorityStatus.DONE, now))


async def plan_partial(tools: PlanTools, command: Command, current: DashboardState) -> Plan:
    code = _target(command)
    return Plan(command, lambda state, now: set_priority_status(state, code, PriorityStatus.PARTIAL, now))


async def plan_done(tools: PlanTools, command: Command, current: DashboardState) -> Plan:
    code = _target(command)
    if code.startswith("P"):
        return await plan_approve(tools, command, current)
    return Plan(command, lambda state, now: complete_commitment(state, code, now))


async def plan_dismiss(tools: PlanTools, command: Command, current: DashboardState) -> Plan:
    code = _target(command)
    return Plan(command, lambda state, now: dismiss_item(state, code, now))


async def plan_snooze(tools: PlanTools, command: Command, current: DashboardState) -> Plan:
    code, until = _target(command), command.until
    return Plan(command, lambda state, now: snooze_item(state, code, until, now), {"until": until.isoformat()})


async def _hits(tools: PlanTools, words: str, limit: int) -> list[SearchHit]:
    return list((await tools.search.search(words, limit=limit)).hits)


def _set_brief(brief: Brief, label: str, code: str | None = None) -> Step:
    """Sets `brief` as the active one; one about an item only while the item is still on the board."""
    def step(state: DashboardState, now: datetime):
        if code is not None and _find_item(state, code) is None:
            return None, Outcome(False, f"{code} is not on the board")
        return replace(state, active_brief=brief), Outcome(True, f"{label} ready: {brief.title}")

    return step


async def plan_brief(tools: PlanTools, command: Command, current: DashboardState) -> Plan:
    """Built by BuildBrief on the state as the chain leaves it before this command; the step sets it."""
    target = command.target
    if target is None:
        return Plan(command, _set_brief(await tools.briefs.daily(current), "daily brief"))
    if command.target_is_code:
        brief = await tools.briefs.for_code(target, current)
        if brief is None:
            return Plan(command, lambda state, now: (None, Outcome(False, f"{target} is not on the board")))
        return Plan(command, _set_brief(brief, f"brief for {target}", target))
    answer = await tools.briefs.person_or_topic(target, current)
    if answer.brief is None:
        message = answer.message
        return Plan(command, lambda state, now: (None, Outcome(False, message)),
                    {"suggestions": list(answer.suggestions)})
    label = "person brief" if answer.person else "topic brief"
    return Plan(command, _set_brief(answer.brief, label))


def _format_hits(words: str, hits: list[SearchHit]) -> str:
    if not hits:
        return f"No results for {words!r}."
    lines = [f"{len(hits)} results for {words!r}:"]
    # Who said it and where, when the hit knows ("Dana Lee in #finance"); the snippet as plain text.
    lines += [f"{n}. [{hit.source} {hit.date or 'undated'}] "
              f"{(str(hit.metadata['byline']) + ': ') if hit.metadata.get('byline') else ''}"
              f"{' '.join(hit.plain_snippet.split())}"
              for n, hit in enumerate(hits, 1)]
    return "\n".join(lines)


async def plan_search(tools: PlanTools, command: Command, current: DashboardState) -> Plan:
    words = _target(command)
    hits = await _hits(tools, words, SEARCH_HITS)
    extra = {"hits": [hit.to_document() for hit in hits]}
    return Plan(command, _no_change(_format_hits(words, hits)), extra)


async def plan_refresh(tools: PlanTools, command: Command, current: DashboardState) -> Plan:
    # A new version even when no flag moved: "send the state again" is what refresh is for.
    return Plan(command, lambda state, now: (with_derived_flags(state, now), Outcome(True, "flags recomputed")))


async def plan_collection(tools: PlanTools, command: Command, current: DashboardState) -> Plan:
    collections = tools.collections
    try:
        job = collections.reserve(_target(command))
    except Conflict as busy:
        reason = busy.message
        return Plan(command, lambda state, now: (None, Outcome(False, reason)))
    start = collections.start_change(job)
    return Plan(
        command,
        lambda state, now: (start(state), Outcome(True, f"{job.mode} collection started (job {job.id})")),
        extra={"job": job.to_document()},
        after_commit=lambda: collections.launch(job),
        on_abort=lambda: collections.release(job),
    )


def _status_line(state: DashboardState) -> str:
    system = state.system
    last = system.last_sync.isoformat(timespec="minutes") if system.last_sync else "never"
    line = f"{system.status.value}, progress {system.progress}%, last sync {last}"
    return f"{line}: {system.message}" if system.message else line


async def plan_status(tools: PlanTools, command: Command, current: DashboardState) -> Plan:
    return Plan(command, lambda state, now: (None, Outcome(True, _status_line(state))))


async def plan_help(tools: PlanTools, command: Command, current: DashboardState) -> Plan:
    return Plan(command, _no_change(tools.registry.help_text()))


# -- the registry --------------------------------------------------------------------------------------

PRIORITY = Code("P", "a priority code such as P7")
COMMITMENT_OR_PRIORITY = Code("MP", "a commitment code such as M3 (or a Pn)")
PRIORITY_OR_COMMITMENT = Code("PM", "a priority or commitment code such as P7 or M3")

COMMANDS = CommandRegistry([
    CommandEntry("approve", "approve Pn", "priority n becomes done", Effect.MARK_DONE, plan_approve,
                 Grammar(PRIORITY), example="approve P1"),
    CommandEntry("partial", "partial Pn", "priority n becomes partial", Effect.MARK_PARTIAL, plan_partial,
                 Grammar(PRIORITY), example="partial P1"),
    CommandEntry("done", "done Mn", "commitment n becomes done (a Pn works too)", Effect.MARK_DONE, plan_done,
                 Grammar(COMMITMENT_OR_PRIORITY), example="done M1"),
    CommandEntry("complete", "complete Mn", "same as done", Effect.MARK_DONE, plan_done,
                 Grammar(COMMITMENT_OR_PRIORITY), example="complete P1"),
    CommandEntry("dismiss", "dismiss Pn|Mn", "the item is wrong or not yours: removed, and never put back",
                 Effect.DISMISS, plan_dismiss, Grammar(PRIORITY_OR_COMMITMENT), example="dismiss M1"),
    CommandEntry("snooze", "snooze Pn|Mn <when>",
                 "no alert and not in the daily brief until then (2d, tomorrow, monday, 2026-12-07)",
                 Effect.SNOOZE, plan_snooze, Grammar(PRIORITY_OR_COMMITMENT, (When(),)), example="snooze P1 2d"),
    CommandEntry("brief", "brief Cn|Pn|Mn, brief, brief daily, brief <person>, brief <words>",
                 "builds a brief (a person's when the words name one: a name, @handle or email)", Effect.BRIEF,
                 plan_brief, Grammar(CodeOrWords("CPM", blank=("daily",))), example="brief C1"),
    CommandEntry("search", "search <words>", "the top results from the collected data", Effect.SEARCH,
                 plan_search, Grammar(Words("search budget review")), example="search budget"),
    CommandEntry("refresh", "refresh", "recomputes alerts and sends the state again", Effect.REFRESH,
                 plan_refresh, example="refresh"),
    CommandEntry("quick", "quick", "starts a quick collection", Effect.COLLECT, plan_collection,
                 Grammar(ItsOwnName()), example="quick"),
    CommandEntry("full", "full", "starts a full collection", Effect.COLLECT, plan_collection,
                 Grammar(ItsOwnName()), example="full"),
    CommandEntry("collect", "collect [quick|full]", "starts a collection", Effect.COLLECT, plan_collection,
                 Grammar(Choice(COLLECTION_TYPES, default="quick")), example="collect full"),
    CommandEntry("status", "status", "one line on the system", Effect.STATUS, plan_status, example="status"),
    CommandEntry("help", "help", "this list", Effect.HELP, plan_help, example="help"),
])


# -- helpers of the brief planner ----------------------------------------------------------------------

def _find_item(state: DashboardState, code: str) -> CalendarItem | Priority | Commitment | None:
    lists: dict[str, tuple[CalendarItem | Priority | Commitment, ...]] = {
        "C": state.calendar, "P": state.priorities, "M": state.commitments}
    items = lists[code[0]]
    return next((item for item in items if item.id == code), None)

