"""Slack's `message` events (message.channels, message.groups, message.im, message.mpim) to the
TakeLiveMessage use case, from the Events API (`POST /slack/events`) and Socket Mode alike.

New messages (plain, `thread_broadcast`, `bot_message`, `file_share`, `me_message`), `message_changed`
(the new version is the event's `message`) and `message_deleted` (`deleted_ts`). Any other subtype
(joins, topic changes, `message_replied`, subtypes Slack adds later) is acknowledged and left alone;
so is an event missing what it needs. Nothing here fails a delivery: Slack would only retry it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt.async_app import AsyncApp

from src.adapters.outbound.slack_messages import (
    KIND_OF_CHANNEL_TYPE,
    chat_message,
    known_authors,
    search_record,
    stored_as_indexed,
)
from src.application.use_cases.take_live_message import TakeLiveMessage
from src.domain.conversations import Conversation, Workspace

logger = logging.getLogger("aicos.slack")

NEW_MESSAGE_SUBTYPES = frozenset({None, "thread_broadcast", "bot_message", "file_share", "me_message"})


async def take_message_event(event: dict[str, Any], take: TakeLiveMessage) -> bool:
    """Hands one `message` event to `take`; answers whether it changed anything."""
    conversation_id = event.get("channel")
    if not isinstance(conversation_id, str) or not conversation_id:
        return False
    kind = KIND_OF_CHANNEL_TYPE.get(str(event.get("channel_type")))
    subtype = event.get("subtype")
    if subtype == "message_deleted":
        deleted_ts = event.get("deleted_ts")
        return isinstance(deleted_ts, str) and await take.deleted(conversation_id, deleted_ts)
    if subtype == "message_changed":
        raw = event.get("message")
        if not isinstance(raw, dict):
            return False
        if raw.get("subtype") == "tombstone" and isinstance(raw.get("ts"), str):  # a thread's opener deleted
            return await take.deleted(conversation_id, raw["ts"])
    elif subtype in NEW_MESSAGE_SUBTYPES:
        raw = event
    else:
        logger.debug("Slack message event of subtype %r left alone", subtype)
        return False
    message = chat_message(raw, {})  # the author by id: the use case names them from the store's users
    if message is None:
        return False

    def record_of(conversation: Conversation, workspace: Workspace) -> dict[str, Any]:
        people = known_authors(workspace.users)
        return search_record(raw, stored_as_indexed(conversation, people), people)

    return await take.posted(conversation_id, message, record_of, kind)


def register_message_events(app: AsyncApp, take: Callable[[], TakeLiveMessage]) -> None:
    """Listens to every `message` event on `app`. `take()` gives the use case (a provider)."""

    @app.event("message")
    async def on_message(event: dict[str, Any]) -> None:
        try:
            await take_message_event(event, take())
        except Exception:  # logged once here; Slack retrying the same event would fail the same way
            logger.exception("a Slack message event could not be taken (%s/%s)", event.get("channel"), event.get("ts"))
