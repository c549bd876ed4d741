"""`aicos slack`: the same Bolt app over Socket Mode, a WebSocket this process opens to Slack, so no
public URL (and no signing secret) is needed. Slack authenticates that connection with the
app-level token instead of signing each request."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_sdk.errors import SlackApiError

from src.adapters.inbound.slack.bot import slack_app_for
from src.config import Settings


def socket_mode_handler(container: Any, settings: Settings, **options: Any) -> AsyncSocketModeHandler:
    """The handler over the Bolt app of `container`'s use cases (the app the HTTP route serves)."""
    return AsyncSocketModeHandler(slack_app_for(container, settings, **options), settings.slack_app_token)


class SlackUnavailable(Exception):
    """Slack refused the app token or could not be reached: said in one line, not retried forever."""


async def _check_app_token(handler: AsyncSocketModeHandler, app_token: str) -> None:
    # The Socket Mode client retries a failed connection forever, logging a traceback each time; a
    # wrong token or no network at start is better said once.
    try:
        await handler.client.web_client.apps_connections_open(app_token=app_token)
    except SlackApiError as error:
        raise SlackUnavailable(f"Slack refused AICOS_SLACK_APP_TOKEN: {error.response.get('error')}") from error
    except (aiohttp.ClientError, OSError, asyncio.TimeoutError) as error:
        raise SlackUnavailable(f"cannot reach Slack: {error or type(error).__name__}") from error


async def run_socket_mode(container: Any, settings: Settings) -> None:
    """Runs until cancelled (Ctrl-C) over `container` (built by the composition root, `aicos slack`):
    its resources open, the bot connected."""
    await container.init_resources()
    handler = socket_mode_handler(container, settings)
    try:
        await _check_app_token(handler, settings.slack_app_token or "")
        await handler.connect_async()
        print("aicos: the Slack bot is connected (Socket Mode); type /cos help in Slack. Ctrl-C stops it.")
        await asyncio.Event().wait()  # the client reconnects by itself; this process just stays
    finally:
        await handler.close_async()
        await container.shutdown_resources()
