"""The Slack bot: `/cos <command>` runs the `ExecuteCommand` use case and answers in Slack.

One Bolt app serves both ways Slack can reach us: HTTP (`POST /slack/events` in the web app, see
`events.py`) and Socket Mode (`aicos slack`, see `socket_mode.py`). Bolt checks Slack's request
signature in HTTP mode before any of this runs.

Every command is acknowledged at once with an empty answer and its result is sent through the
command's `response_url` (Bolt's `respond`): Slack gives up on a slash command after 3 s, and a
brief over a large index or a state on a slow Redis must not turn into "dispatch_failed".
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltResponse
from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult

from src.adapters.inbound.http.errors import domain_error
from src.adapters.inbound.rate_limit import CommandRateLimiter
from src.adapters.inbound.slack.message_events import register_message_events
from src.adapters.inbound.slack.formatting import (
    format_answer,
    format_collection_end,
    format_error,
    format_not_allowed,
    format_still_running,
)
from src.application.commands import COMMANDS, CommandRegistry, Effect
from src.application.use_cases.take_live_message import TakeLiveMessage
from src.config import Settings
from src.domain.errors import DomainError

logger = logging.getLogger("aicos.slack")

SLASH_COMMAND = "/cos"
RUNNING = frozenset({"COLLECTING", "PROCESSING"})
FOLLOW_UP_LIMIT_S = 25 * 60  # a response_url takes messages for 30 minutes


class CommandRefused(Exception):
    """The command was refused; `error` is the contract's error body (code, message, details)."""

    def __init__(self, error: dict[str, Any]) -> None:
        super().__init__(error.get("message", ""))
        self.error = error


class InProcessCommands:
    """The use cases of this process's container, speaking the contract's documents."""

    def __init__(self, container: Any) -> None:
        self._container = container

    async def run(self, text: str) -> dict[str, Any]:
        try:
            answer = await self._container.execute_command()(text)
        except DomainError as error:
            raise CommandRefused(domain_error(error)[1]) from error
        return answer.to_document()

    async def active_brief(self) -> dict[str, Any] | None:
        brief = (await self._container.get_state()()).active_brief
        return brief.to_document() if brief else None

    async def system(self) -> dict[str, Any]:
        return (await self._container.get_state()()).system.to_document()

    async def board_items(self) -> dict[str, dict[str, Any]]:
        """The priorities and commitments by code, so an answer can say where its item came from."""
        document = (await self._container.get_state()()).to_document()
        commitments = document["commitments"]
        return {item["id"]: item for item in (*document["priorities"], *commitments["owe"], *commitments["owed"])}


class RecentDeliveries:
    """The `trigger_id`s of slash commands already taken, so that the same delivery seen again
    (a retry, a replay inside the 5-minute signature window) runs nothing. Bounded in time and size."""

    def __init__(self, keep_s: float = 15 * 60, max_entries: int = 10_000) -> None:
        self._keep_s = keep_s
        self._max = max_entries
        self._seen: OrderedDict[str, float] = OrderedDict()

    def first_time(self, trigger_id: str) -> bool:
        now = time.monotonic()
        while self._seen and (next(iter(self._seen.values())) < now - self._keep_s or len(self._seen) >= self._max):
            self._seen.popitem(last=False)
        if trigger_id in self._seen:
            return False
        self._seen[trigger_id] = now
        return True


def _authorize_with(bot_token: str | None):
    """Bolt's `authorize`, in place of its default that calls Slack's auth.test on the first request
    (a round trip inside the 3 s) and refuses to start without a bot token. The bot answers through
    each command's `response_url`, which needs no token; the bot token, when given, is handed to
    Bolt's `client` for anything that would call the Web API."""

    async def authorize(enterprise_id: str | None, team_id: str | None, user_id: str | None) -> AuthorizeResult:
        return AuthorizeResult(enterprise_id=enterprise_id, team_id=team_id, user_id=user_id, bot_token=bot_token)

    return authorize


def _is_retry(headers: dict[str, Any]) -> bool:
    """Slack's retry count: 1 and up on a retry; Socket Mode passes on its `retry_attempt`, 0 the first time."""
    count = (headers.get("x-slack-retry-num") or ["0"])[0]
    return not count.isdigit() or int(count) > 0


def _applied(document: dict[str, Any], verbs: frozenset[str]) -> bool:
    """Whether a command of `verbs` in the answer (one result, or a chain's) did something."""
    return any(r.get("action") in verbs and r.get("applied") for r in document.get("results") or [document])


async def _send(respond: Any, message: dict[str, Any]) -> None:
    try:
        answer = await respond(**message)
        if answer.status_code != 200:
            logger.warning("Slack refused the answer on response_url: %s %s", answer.status_code, answer.body)
    except Exception:  # a response_url that cannot be reached: nothing else to tell the person through
        logger.exception("could not send the answer to Slack's response_url")


def build_slack_app(commands: Any, settings: Settings, *, poll_s: float = 1.0,
                    registry: CommandRegistry = COMMANDS, rate_limiter: CommandRateLimiter | None = None,
                    live_messages: Callable[[], TakeLiveMessage] | None = None) -> AsyncApp:
    """The Bolt app: `/cos` over `commands` (see InProcessCommands). HTTP mode needs only the
    signing secret (no bot token: see _authorize_with). `poll_s`: how often a collection started
    from Slack is checked for its end. `registry` says which verbs build a brief or start one.
    `rate_limiter`: the per-client command limit, per Slack user. `live_messages`: where `message`
    events go (message_events.py); without it they are acknowledged and left alone."""
    collections, briefs = registry.verbs_with(Effect.COLLECT), registry.verbs_with(Effect.BRIEF)
    app = AsyncApp(name="aicos", logger=logger, signing_secret=settings.slack_signing_secret or "",
                   authorize=_authorize_with(settings.slack_bot_token), process_before_response=False)
    deliveries = RecentDeliveries()

    async def skip_redeliveries(request: Any, body: dict[str, Any], next: Any) -> BoltResponse | None:
        # Runs after Bolt's signature check, so a forged request can never mark a trigger_id as seen.
        # A retry is acknowledged and dropped: Slack retries only what it already delivered once,
        # possibly to another process, which then ran it.
        # A message event is taken again instead: taking one is idempotent (the store keeps one copy
        # per message), and Slack retries an event whose first delivery failed or was slow.
        trigger_id = body.get("trigger_id")
        retry = _is_retry(request.headers) and body.get("type") != "event_callback"
        if retry or (trigger_id and not deliveries.first_time(trigger_id)):
            logger.info("Slack delivery seen before (trigger %s); not run again", trigger_id)
            return BoltResponse(status=200, body="")
        await next()
        return None

    app.use(skip_redeliveries)
    if live_messages is not None:
        register_message_events(app, live_messages)
    allowed = frozenset(settings.slack_allowed_users)
    if not allowed:
        logger.warning("anyone in the Slack workspace can use /cos; AICOS_SLACK_ALLOWED_USERS limits it")

    @app.command(SLASH_COMMAND)
    async def cos(ack: Any, command: dict[str, Any], respond: Any) -> None:
        await ack()  # within Slack's 3 s, before any work; the answer follows on response_url
        text = (command.get("text") or "").strip() or "help"  # `/cos` alone: what can I type?
        if allowed and command.get("user_id") not in allowed:
            # The board, briefs and search are one person's: a colleague in the workspace gets nothing.
            await _send(respond, format_not_allowed(text, str(command.get("user_id"))))
            return
        if rate_limiter is not None and not rate_limiter.allow(f"slack:{command.get('user_id')}"):
            await _send(respond, format_error(text, {"code": "rate_limited", "message": rate_limiter.refusal()}))
            return
        try:
            document = await commands.run(text)
        except CommandRefused as refusal:
            await _send(respond, format_error(text, refusal.error))
            return
        except Exception:
            request_id = uuid.uuid4().hex[:16]
            logger.exception("/cos %r failed (request id %s)", text, request_id)
            await _send(respond, format_error(text, {"code": "internal", "request_id": request_id}))
            return
        brief = await commands.active_brief() if _applied(document, briefs) else None
        await _send(respond, format_answer(text, document, brief, await commands.board_items()))
        if _applied(document, collections):
            await _report_collection_end(commands, respond, poll_s)

    return app


async def _report_collection_end(commands: Any, respond: Any, poll_s: float) -> None:
    """Long work: the collection runs in the background; its end is told on the same response_url."""
    waited = 0.0
    system = await commands.system()
    while system.get("status") in RUNNING:
        if waited >= FOLLOW_UP_LIMIT_S:
            await _send(respond, format_still_running(int(waited // 60)))
            return
        await asyncio.sleep(poll_s)
        waited += poll_s
        system = await commands.system()
    await _send(respond, format_collection_end(system))


def slack_app_for(container: Any, settings: Settings | None = None, **options: Any) -> AsyncApp:
    """The Bolt app over a container's use cases (the web app's, or `aicos slack`'s)."""
    options.setdefault("rate_limiter", container.command_rate_limiter())
    options.setdefault("live_messages", container.take_live_message)
    return build_slack_app(InProcessCommands(container), settings or container.settings(),
                           registry=container.command_registry(), **options)
