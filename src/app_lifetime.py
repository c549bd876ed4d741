"""What runs for the app's lifetime, as the container's resources: singletons closed at shutdown,
the Redis listener, the outreach loop, the demo's first board and the garbage collector's freeze.
(Wired in bootstrap.py, the composition root.)"""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator, Callable
from inspect import isawaitable
from typing import Any

from redis.asyncio import Redis

from src.adapters.outbound.slack_poster import POST_TIMEOUT_S
from src.application.changes import StateChanges
from src.application.ports import Collector
from src.application.repeating import Repeating
from src.application.use_cases.get_state import GetState
from src.application.use_cases.reach_person import ReachThePerson
from src.application.use_cases.replace_board import ReplaceCalendar, ReplaceCommitments, ReplacePriorities
from src.application.use_cases.trigger_collection import TriggerCollection
from src.config import Settings
from src.demo import seed_demo_board
from src.demo.board import without_demo_items


async def closed_at_shutdown(resource: Any, *closed_after: Any) -> AsyncIterator[None]:
    """Opens a singleton at start-up and ties its `close()` to the app's lifespan. The singletons
    themselves stay plain (not async resources), so use cases resolve without an await per request.
    `closed_after`: other lifetimes that must stay open until this one is closed."""
    try:
        yield
    finally:
        closing = resource.close()
        if isawaitable(closing):
            await closing


OUTREACH_EVERY_S = 2.0  # how often what is due is looked at: a prep lands within seconds of its time


async def outreach_running(settings: Settings, reach: Callable[[], ReachThePerson],
                            *closed_after: Any) -> AsyncIterator[None]:
    """The morning brief and meeting prep (AICOS_BRIEF_TIME, AICOS_PREP_MINUTES), looked at every few
    seconds while the app runs. `aicos serve` refuses to start when they cannot be posted; an app
    built otherwise (uvicorn, tests) says why in the log and runs without them."""
    problem = settings.outreach_problem()
    if not settings.outreach_on() or problem:
        if problem:
            logging.getLogger(__name__).warning("no brief or prep will be posted: %s", problem)
        yield
        return
    schedule = Repeating(reach(), OUTREACH_EVERY_S, "outreach")
    schedule.start()
    try:
        yield
    finally:
        await schedule.stop(grace_s=POST_TIMEOUT_S + 1)


async def started(service: Any) -> AsyncIterator[None]:
    """Starts a service that has a `start()` (the Redis listener) for the app's lifetime."""
    start = getattr(service, "start", None)
    if start is not None:
        await start()
    try:
        yield
    finally:
        if start is not None:
            await service.close()


async def redis_closed_at_shutdown(settings: Settings, client: Redis) -> AsyncIterator[None]:
    try:
        yield
    finally:
        if settings.state_backend == "redis":
            await client.aclose()


async def long_lived_objects_frozen() -> AsyncIterator[None]:
    """Once started, what lives as long as the process (modules, routes, settings) is moved out of
    the garbage collector's sight (`gc.freeze`): a full collection then walks only what requests
    made. Without it a full collection walked about 90,000 objects, 0.25 to 0.4 s of CPU on the
    2-core bench machine, every few `POST /api/extract` of 1,000 messages (p95 over 1 s)."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


async def demo_start(
    settings: Settings,
    collectors: list[Collector],
    get_state: GetState,
    calendar: ReplaceCalendar,
    priorities: ReplacePriorities,
    commitments: ReplaceCommitments,
    trigger_collection: TriggerCollection,
    changes: StateChanges,
) -> AsyncIterator[None]:
    """Demo mode: an empty board gets a demo calendar when no .ics is configured, and demo priorities
    and commitments when no Slack export is (with one, they are read from it); then a first
    collection starts, so the board fills while the person watches.
    Out of demo mode with sources of the person's own, what an earlier demo run left goes."""
    if settings.demo:
        derived = bool(settings.slack_export)  # nothing is seeded that can be read from Slack
        await seed_demo_board(await get_state(), None if settings.calendar_ics or settings.caldav_url else calendar,
                              None if derived else priorities, None if derived else commitments)
        if collectors:
            await trigger_collection("quick")
    elif settings.configured_sources():
        await changes.apply(without_demo_items)
    yield
