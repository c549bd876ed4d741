"""The composition root: the only place where real adapters meet the use cases.

Collectors, the Slack bot and tests reach the use cases in-process through `Container`; the web
app is `create_app()`, whose routes take their use cases from `app.state.container` (see
adapters/inbound/http/injection.py for why not `@inject` wiring). `uvicorn src.bootstrap:app`
builds one from the environment on first use.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from dependency_injector import containers, providers
from dependency_injector.ext.starlette import Lifespan
from fastapi import FastAPI
from fastapi_offline import FastAPIOffline
from redis.asyncio import Redis

from src import __version__
from src import adapters_from_settings as from_settings
from src import app_lifetime as lifetime
from src.adapters.inbound.http import outbox_route, rest
from src.adapters.inbound.rate_limit import CommandRateLimiter
from src.adapters.inbound.http.errors import install_error_handlers
from src.adapters.inbound.web import routes as dashboard
from src.adapters.inbound.http.middleware import (
    BodySizeLimit,
    CommandRateLimit,
    EnvelopeCORSMiddleware,
    HostAndOriginGuard,
    TokenGuard,
    TokenScrubber,
)
from src.adapters.outbound.brief_log import InMemoryBriefLog
from src.adapters.outbound.builtin_brief_writer import BuiltinBriefWriter
from src.adapters.outbound.clock import SystemClock
from src.adapters.outbound.memory_outbox import InMemoryOutbox
from src.adapters.outbound.redis_outbox import RedisOutbox
from src.adapters.outbound.collection_leases import InMemoryLease, RedisLease
from src.adapters.outbound.calendar_links import is_calendar_link
from src.adapters.outbound.ics_calendar import IcsCalendarCollector
from src.adapters.outbound.memory_state import InMemoryStateRepository
from src.adapters.outbound.model_brief_writer import model_or_builtin_writer
from src.adapters.outbound.reader import BuiltinReader
from src.adapters.outbound.redis_state import RedisBroadcaster, RedisStateRepository
from src.adapters.outbound.slack_deliveries import InMemoryDeliveries, RedisDeliveries
from src.adapters.outbound.archive_collector import ArchiveCollector
from src.adapters.outbound.slack_backfill import SlackBackfillCollector
from src.adapters.outbound.slack_export import SlackExportCollector
from src.application.use_cases.list_people import ListPeople
from src.adapters.outbound.sqlite_search import SqliteSearchIndex
from src.adapters.outbound.state_encoder import StateEncoder
from src.adapters.websocket import endpoint as websocket
from src.adapters.websocket.asgi_socket import KeepWebSocketSend
from src.adapters.websocket.hub import WebSocketHub
from src.application.changes import StateChanges
from src.application.collector_hooks import CollectorHooks
from src.application.commands import COMMANDS
from src.application.ports import Collector
from src.application.use_cases.derive_items import DeriveItems
from src.application.use_cases.build_brief import BuildBrief
from src.application.use_cases.execute_command import ExecuteCommand
from src.application.use_cases.extract_items import ExtractItems
from src.application.use_cases.get_state import GetState, GetSystemStatus
from src.application.use_cases.replace_board import (
    ReplaceCalendar,
    ReplaceCommitments,
    ReplaceItemsWithOrigin,
    ReplacePriorities,
)
from src.application.search_bylines import SearchWithBylines
from src.application.use_cases.search_records import GetSearchStats, SearchRecords
from src.application.use_cases.scheduled_collections import ScheduledCollections
from src.application.use_cases.take_live_message import TakeLiveMessage
from src.application.use_cases.trigger_collection import CollectionJobs, TriggerCollection
from src.application.use_cases.update_status import UpdateStatus
from src.config import Settings, unknown_setting_warnings
from src.data_files import make_data_private
from src.demo import DEMO_PERSON


def _on_if_set(*values: object) -> str:
    """"on" when every value is set, else "off": the key of a Selector between a singleton and None.
    (A Singleton whose factory returns None caches nothing: it would build again at every call, and
    GET /api/system/status asks for the schedule at every request.)"""
    return "on" if all(values) else "off"


class Container(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)
    collectors = providers.List()  # Collector adapters; the collectors issue registers real ones

    clock = providers.Singleton(SystemClock, settings.provided.zone.call(), settings.provided.clock_offset_s)
    state_encoder = providers.Singleton(StateEncoder)
    redis_client = providers.Singleton(Redis.from_url, settings.provided.redis_url)
    state_repository = providers.Selector(
        settings.provided.state_backend,
        memory=providers.Singleton(InMemoryStateRepository, clock),
        sqlite=providers.Singleton(from_settings.sqlite_state, settings, clock),
        redis=providers.Singleton(RedisStateRepository, redis_client, clock),
    )
    # Slack deliveries already taken, kept with the state so a replay after a restart runs nothing.
    slack_deliveries = providers.Selector(
        settings.provided.state_backend,
        memory=providers.Singleton(InMemoryDeliveries),
        sqlite=providers.Singleton(from_settings.sqlite_deliveries, settings),
        redis=providers.Singleton(RedisDeliveries, redis_client),
    )
    # Posts the service makes on its own (the morning brief, meeting prep), kept with the state.
    outbox = providers.Selector(
        settings.provided.state_backend,
        memory=providers.Singleton(InMemoryOutbox),
        sqlite=providers.Singleton(from_settings.sqlite_outbox, settings),
        redis=providers.Singleton(RedisOutbox, redis_client),
    )
    slack_poster = providers.Singleton(from_settings.slack_poster, settings)
    websocket_hub = providers.Singleton(
        WebSocketHub, state_encoder, settings.provided.ws_stall_timeout_s, settings.provided.ws_heartbeat_s
    )
    # Where committed changes go: this process's WebSocket clients, and with Redis every process's.
    broadcaster = providers.Selector(
        settings.provided.state_backend,
        memory=websocket_hub,
        sqlite=websocket_hub,
        redis=providers.Singleton(RedisBroadcaster, redis_client, state_repository, websocket_hub),
    )
    # One bucket per client for every way a command comes in (REST, WebSocket v2, Slack).
    command_rate_limiter = providers.Singleton(
        CommandRateLimiter, settings.provided.command_rate, settings.provided.command_burst
    )
    search_database = providers.Singleton(from_settings.search_database, settings)
    # Who is who across sources (AICOS_DATA_DIR/people.db), and GET /api/people.
    people_directory = providers.Singleton(from_settings.people_directory, settings)
    # Hits say who said a message and where; a DM is named by its other side, so the directory.
    search_index = providers.Singleton(
        SearchWithBylines, providers.Singleton(SqliteSearchIndex, search_database), people_directory)
    collection_jobs = providers.Singleton(CollectionJobs)

    changes = providers.Singleton(StateChanges, state_repository, broadcaster)

    get_state = providers.Factory(GetState, state_repository)
    update_status = providers.Factory(UpdateStatus, changes)
    replace_calendar = providers.Factory(ReplaceCalendar, changes, clock)
    replace_priorities = providers.Factory(ReplacePriorities, changes, clock)
    replace_commitments = providers.Factory(ReplaceCommitments, changes, clock)
    # Commitments and asks read from the person's Slack messages after each collection (section 6).
    # Its model is kept in the data folder: trained once (about 2 s), then loaded at each start; the
    # classifier library is imported only to train, so neither start-up nor a service that never
    # reads a message pays for it.
    message_reader = providers.Singleton(BuiltinReader, cache_dir=settings.provided.data_dir)
    # The optional language model (contract section 7): None unless AICOS_LLM_URL and AICOS_LLM_MODEL
    # are set. It reads again what the reader is unsure of, and writes briefs' opening paragraphs
    # (brief_writer below).
    model_configured = providers.Callable(_on_if_set, settings.provided.llm_url, settings.provided.llm_model)
    language_model = providers.Selector(
        model_configured, on=providers.Singleton(from_settings.language_model, settings), off=providers.Object(None))
    second_reading = providers.Selector(
        model_configured, on=providers.Singleton(from_settings.second_reading, language_model, message_reader, settings),
        off=providers.Object(None))
    # Slack as it arrived (exports, the Web API's backfill, live events), one row per message:
    # AICOS_DATA_DIR/conversations.db, beside people.db (tests may put a MemoryConversations here).
    conversation_store = providers.Singleton(from_settings.conversation_store, settings)
    derive_items = providers.Singleton(
        DeriveItems, changes, conversation_store, message_reader, clock, settings.provided.me,
        settings.provided.zone.call(), second_reading=second_reading,
    )
    # Slack messages as they happen (`message` events through the Events API or Socket Mode).
    take_live_message = providers.Factory(TakeLiveMessage, conversation_store, search_index, derive_items)
    trigger_collection = providers.Factory(TriggerCollection, changes, collectors, collection_jobs, clock)
    # AICOS_COLLECT_EVERY: one process per run time takes it (a lease in Redis when the state is there).
    collection_lease = providers.Selector(
        settings.provided.state_backend,
        memory=providers.Singleton(InMemoryLease),
        sqlite=providers.Singleton(InMemoryLease),
        redis=providers.Singleton(RedisLease, redis_client),
    )
    scheduled_collections = providers.Selector(
        providers.Callable(_on_if_set, settings.provided.collect_every),
        on=providers.Singleton(ScheduledCollections, trigger_collection, collection_jobs, state_repository,
                               collection_lease, clock, settings.provided.collect_period.call()),
        off=providers.Object(None),
    )
    # A singleton (it keeps nothing of a request): GET /api/system/status then builds nothing at all.
    get_system_status = providers.Singleton(GetSystemStatus, state_repository, scheduled_collections)
    command_registry = providers.Object(COMMANDS)  # every verb, its grammar, help and planner
    # Briefs (contract sections 4 and 6): the writer of their opening paragraph, and the last daily
    # brief's mark ("since the last one"), kept beside the state (briefs.db) unless the state is in memory.
    brief_writer = providers.Singleton(
        model_or_builtin_writer, language_model, providers.Singleton(BuiltinBriefWriter))
    brief_log = providers.Selector(
        settings.provided.state_backend,
        memory=providers.Singleton(InMemoryBriefLog),
        sqlite=providers.Singleton(from_settings.sqlite_brief_log, settings),
        redis=providers.Singleton(from_settings.sqlite_brief_log, settings),
    )
    build_brief = providers.Factory(
        BuildBrief, search_index, people_directory, clock, state_repository, brief_writer, brief_log,
        conversations=conversation_store,
    )
    execute_command = providers.Factory(
        ExecuteCommand, changes, state_repository, search_index, trigger_collection, clock, command_registry,
        briefs=build_brief,
    )
    search_records = providers.Factory(SearchRecords, search_index)
    extract_items = providers.Factory(ExtractItems, message_reader, clock, settings.provided.me, second_reading)
    search_stats = providers.Factory(GetSearchStats, search_index)
    list_people = providers.Factory(ListPeople, people_directory, state_repository)
    # What collectors written elsewhere are given: the index, the board and the people directory.
    collector_hooks = providers.Singleton(
        CollectorHooks, search_index, replace_calendar, replace_priorities, replace_commitments,
        people=people_directory, with_origin=providers.Factory(ReplaceItemsWithOrigin, changes, clock),
    )

    briefs = build_brief  # what the outreach posts: the same briefs as `brief` and `brief Cn`
    reach_person = providers.Factory(
        from_settings.reach_person, settings, outbox=outbox, poster=slack_poster, briefs=briefs, repository=state_repository,
        changes=changes, clock=clock,
    )

    # Started and stopped by the app's lifespan: clients closed with 1001, a running collection cancelled.
    websocket_hub_lifetime = providers.Resource(lifetime.closed_at_shutdown, websocket_hub)
    search_database_lifetime = providers.Resource(lifetime.closed_at_shutdown, search_database)
    people_directory_lifetime = providers.Resource(lifetime.closed_at_shutdown, people_directory)
    brief_log_lifetime = providers.Resource(lifetime.closed_at_shutdown, brief_log)
    conversation_store_lifetime = providers.Resource(lifetime.closed_at_shutdown, conversation_store)
    state_repository_lifetime = providers.Resource(lifetime.closed_at_shutdown, state_repository)
    broadcaster_lifetime = providers.Resource(lifetime.started, broadcaster)
    redis_lifetime = providers.Resource(lifetime.redis_closed_at_shutdown, settings, redis_client)
    # Stopped first: a running collection is cancelled (its thread stopped, "interrupted" recorded and
    # sent) while the index, the state and the clients are still there. dependency-injector shuts
    # independent resources down together, so the order comes from naming them here.
    collection_jobs_lifetime = providers.Resource(
        lifetime.closed_at_shutdown, collection_jobs, websocket_hub_lifetime, search_database_lifetime,
        state_repository_lifetime, broadcaster_lifetime, redis_lifetime, people_directory_lifetime,
        conversation_store_lifetime,
    )
    # Stopped before the state and the clients: a post under way finishes and is recorded.
    outreach_running = providers.Resource(
        lifetime.outreach_running, settings, reach_person.provider, websocket_hub_lifetime, search_database_lifetime,
        state_repository_lifetime, broadcaster_lifetime, redis_lifetime,
    )
    long_lived_objects_frozen = providers.Resource(lifetime.long_lived_objects_frozen)
    demo_start = providers.Resource(
        lifetime.demo_start, settings, collectors, get_state, replace_calendar, replace_priorities, replace_commitments,
        trigger_collection, changes,
    )


class _Lifespan(Lifespan):
    """Starts the container's resources with the app and stops them after it. What was closed is
    then forgotten, so an app started again (tests, tools that run the lifespan per request) gets
    fresh singletons instead of closed ones. The served app also runs AICOS_COLLECT_EVERY's
    schedule (not `aicos collect` or `aicos slack`, which open the same resources): started once
    everything is open, stopped before anything closes."""

    _schedule: asyncio.Task[None] | None = None

    async def __aenter__(self) -> None:
        await super().__aenter__()
        schedule = self.container.scheduled_collections()
        if schedule is not None:
            self._schedule = asyncio.create_task(schedule.run(), name="scheduled-collections")

    async def __aexit__(self, *exc_info: Any) -> None:
        if self._schedule is not None:
            self._schedule.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._schedule
            self._schedule = None
        await super().__aexit__(*exc_info)
        self.container.reset_singletons()


CollectorFactory = Callable[[CollectorHooks], Collector]


def add_collector(container: Container, make: CollectorFactory) -> None:
    """Registers a collector written elsewhere: `make(hooks)` builds it (a class taking the hooks
    will do), once, when the container first needs it. Collections run it after the others."""
    container.collectors.add_args(providers.Singleton(make, container.collector_hooks))


def imported_collector(path: str) -> CollectorFactory:
    """`package.module:Name` -> that object (AICOS_COLLECTORS); ValueError saying why it cannot be."""
    module_name, _, attribute = path.partition(":")
    if not module_name or not attribute:
        raise ValueError(f"AICOS_COLLECTORS entries look like package.module:Name, not {path!r}")
    try:
        return getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as error:
        raise ValueError(f"AICOS_COLLECTORS: cannot load {path!r}: {error}") from error


def _built_in_collectors_feed_people(container: Container) -> None:
    """The built-in collectors get the collector hooks as an attribute (`hooks`), to tell the
    people directory who their source knows, as collectors written elsewhere do."""
    for provider in container.collectors.args:
        if getattr(provider, "provides", None) in (SlackExportCollector, IcsCalendarCollector, ArchiveCollector):
            provider.add_attributes(hooks=container.collector_hooks)


def create_container(settings: Settings | None = None, collectors: Sequence[Collector] = ()) -> Container:
    """The container for `settings` (the environment when not given). Collectors come from the
    settings (AICOS_SLACK_EXPORT, AICOS_CALENDAR_ICS and AICOS_CALDAV_URL, AICOS_ARCHIVE_DIR, AICOS_COLLECTORS), then
    from `collectors` (ready-made instances, for tests and embedding)."""
    settings = settings or Settings()
    if settings.demo and not settings.me:  # the demo board is read for the demo dataset's person
        settings = settings.model_copy(update={"me": [DEMO_PERSON]})
    container = Container(settings=settings)
    if settings.slack_export:
        container.collectors.add_args(providers.Singleton(
            SlackExportCollector, container.search_database, [Path(p) for p in settings.slack_export],
            container.conversation_store))
    if settings.calendar_ics or settings.caldav_url:
        container.collectors.add_args(providers.Singleton(
            IcsCalendarCollector, container.search_database,
            [Path(p) for p in settings.calendar_ics if not is_calendar_link(p)],
            container.replace_calendar, container.clock, from_settings.calendar_feeds(settings),
            settings.data_dir / "calendars"))
    if settings.archive_dir is not None:
        container.collectors.add_args(
            providers.Singleton(ArchiveCollector, container.search_database, settings.archive_dir)
        )
    if settings.slack_bot_token:  # the Web API's backfill (contract section 7)
        container.collectors.add_args(providers.Singleton(
            SlackBackfillCollector, settings.slack_bot_token, container.conversation_store,
            container.collector_hooks, base_url=settings.slack_api_url))
    _built_in_collectors_feed_people(container)
    if settings.me:  # without AICOS_ME there is no one to read messages for
        container.trigger_collection.add_kwargs(after_collection=container.derive_items)
    for path in settings.collectors:
        add_collector(container, imported_collector(path))
    container.collectors.add_args(*collectors)
    return container


def create_app(settings: Settings | None = None, container: Container | None = None) -> FastAPI:
    """The web app over `container` (built from `settings`, or the environment, when not given).
    Tests may pass a container whose providers they have overridden."""
    container = container or create_container(settings)
    settings = container.settings()
    # The routers' routes go straight into the app: include_router() adds a matching layer per
    # router on every request (about a tenth of REST throughput in `make bench`).
    app = _app_with_offline_docs(title="AICoS", version=__version__, lifespan=_Lifespan(container),
                                 routes=[*rest.router.routes, *websocket.router.routes, *dashboard.routes,
                                         *outbox_route.router.routes])
    app.state.container = container
    install_error_handlers(app)
    signed_paths = _mount_slack_bot(app, container, settings)
    # Added first, so it runs last: the WebSocket send it keeps is the one every check above let through.
    app.add_middleware(KeepWebSocketSend)
    app.add_middleware(
        EnvelopeCORSMiddleware,
        allow_origins=settings.cors_origins(),
        allow_methods=["GET", "POST", "PUT", "OPTIONS"],
        allow_headers=["Content-Type", "Authorization"],
    )
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(CommandRateLimit)
    if settings.api_token:
        app.add_middleware(TokenGuard, token=settings.api_token, public_get_paths=dashboard.PUBLIC_PATHS,
                           signed_post_paths=signed_paths)
        scrubber = TokenScrubber()
        for name in ("uvicorn.access", "uvicorn.error"):
            if not any(isinstance(f, TokenScrubber) for f in logging.getLogger(name).filters):
                logging.getLogger(name).addFilter(scrubber)
    # Added last, so it runs first: a rebinding host or foreign origin is refused before anything else.
    app.add_middleware(HostAndOriginGuard, allowed_hosts=settings.allowed_hosts,
                       allowed_origins=settings.cors_origins(), signed_post_paths=signed_paths)
    return app


def _app_with_offline_docs(**options: Any) -> FastAPI:
    """FastAPI with /docs (Swagger UI) and /redoc (ReDoc) loading their scripts and styles from the
    installed fastapi-offline package (under /static-offline-docs/), not from a CDN: FastAPI's own
    pages are blank without a network."""
    return FastAPIOffline(**options)


def _mount_slack_bot(app: FastAPI, container: Container, settings: Settings) -> frozenset[str]:
    """`POST /slack/events` when AICOS_SLACK_SIGNING_SECRET is set; the paths that then authenticate
    by Slack's signature instead of our token and Host checks (none without the secret)."""
    if not settings.slack_signing_secret:
        return frozenset()
    # Imported here: Bolt is loaded only by the apps that serve Slack.
    from src.adapters.inbound.slack.bot import slack_app_for
    from src.adapters.inbound.slack.events import SLACK_EVENTS_PATH, mount_slack_events

    mount_slack_events(app, slack_app_for(container, settings), settings.slack_signing_secret,
                       container.slack_deliveries())
    return frozenset({SLACK_EVENTS_PATH})


app: FastAPI  # declared only: `__getattr__` builds it on first access


def __getattr__(name: str) -> FastAPI:
    # `uvicorn src.bootstrap:app`: built on first access, so importing this module has no side effects.
    if name == "app":
        global app
        # What `aicos serve` checks before it builds the app: unknown settings, a private data folder.
        settings = Settings()
        for warning in unknown_setting_warnings(os.environ):
            logging.getLogger(__name__).warning(warning)
        for change in make_data_private(settings.data_dir, settings.search_db_path()):
            logging.getLogger(__name__).warning("made private: %s", change)
        app = create_app(settings)
        return app
    raise AttributeError(name)
