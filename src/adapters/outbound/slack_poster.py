"""Posting to the person on Slack (`chat.postMessage`) with slack_sdk's AsyncWebClient, and the
morning brief and meeting prep as Block Kit messages.

The client is built without retry handlers: a request that broke after Slack took it would be posted
twice by a retry, and the outbox already retries (with backoff, once per key). A timeout or a refused
connection is an answer (`timeout`, `unreachable`), never an exception for the caller.

Each post carries Slack message metadata, `{"event_type": "aicos_post", "event_payload": {"key": ...}}`,
so that after an attempt whose outcome is unknown (the process died, the answer was lost) the outbox
can ask the channel's history (`conversations.history` with `include_all_metadata`) whether it landed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, TypeVar

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from src.adapters.inbound.slack.formatting import HEADER_LIMIT, SECTION_LIMIT, clip, escape, when, with_codes
from src.application.ports import PostAnswer, PostLookup

logger = logging.getLogger(__name__)
DEFAULT_API_URL = "https://slack.com/api/"
POST_TIMEOUT_S = 10
MAX_BLOCKS = 50
POST_EVENT_TYPE = "aicos_post"
# History is asked from this long before `since`: Slack's clock and ours may differ a little.
CLOCKS_MAY_DIFFER_S = 300
HISTORY_PAGE = 200
T = TypeVar("T")


class SlackWebPoster:
    def __init__(self, token: str, base_url: str | None = None, timeout_s: int = POST_TIMEOUT_S) -> None:
        base = base_url or DEFAULT_API_URL
        self._client = AsyncWebClient(token=token, base_url=base if base.endswith("/") else base + "/",
                                      timeout=timeout_s, retry_handlers=[])

    async def post(self, channel: str, message: dict[str, Any], key: str) -> PostAnswer:
        async def call() -> PostAnswer:
            await self._client.chat_postMessage(channel=channel, text=message.get("text", ""),
                                                blocks=message.get("blocks"), unfurl_links=False,
                                                metadata={"event_type": POST_EVENT_TYPE, "event_payload": {"key": key}})
            return PostAnswer(True)

        return await _answered(call(), lambda code, retry_after: PostAnswer(False, code, retry_after))

    async def find_post(self, channel: str, key: str, since: datetime) -> PostLookup:
        async def call() -> PostLookup:
            conversation = await self._conversation_id(channel)
            if conversation is None:
                return PostLookup(False, "channel_not_found")
            oldest = f"{since.timestamp() - CLOCKS_MAY_DIFFER_S:.6f}"
            cursor: str | None = None
            while True:
                page = await self._client.conversations_history(channel=conversation, oldest=oldest, cursor=cursor,
                                                                limit=HISTORY_PAGE, include_all_metadata=True)
                if any(_post_key(found) == key for found in page.get("messages") or []):
                    return PostLookup(True)
                cursor = (page.get("response_metadata") or {}).get("next_cursor")
                if not cursor:
                    return PostLookup(False)

        return await _answered(call(), lambda code, _: PostLookup(False, code))

    async def _conversation_id(self, channel: str) -> str | None:
        """The conversation a post to `channel` lands in: a user id's DM with the bot (opened, as
        chat.postMessage does), a `#name` looked up among the channels, an id as it is."""
        if channel.startswith(("U", "W")):
            opened = await self._client.conversations_open(users=channel)
            return str(opened["channel"]["id"])
        if not channel.startswith("#"):
            return channel
        cursor: str | None = None
        while True:
            page = await self._client.conversations_list(types="public_channel,private_channel", limit=1000,
                                                         exclude_archived=True, cursor=cursor)
            for listed in page.get("channels") or []:
                if listed.get("name") == channel[1:]:
                    return str(listed["id"])
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return None


async def _answered(call: Awaitable[T], refused: Callable[[str, float | None], T]) -> T:
    """What a call gave, or `refused(code, retry_after_s)` for what Slack or the network did: Slack's
    error code (`http_<status>` without one), `timeout` or `unreachable`."""
    try:
        return await call
    except SlackApiError as error:
        response = error.response
        code = response.get("error") if isinstance(response.data, dict) else None
        retry_after = response.headers.get("Retry-After") or response.headers.get("retry-after")
        return refused(code or f"http_{response.status_code}",
                       float(retry_after) if retry_after and str(retry_after).isdigit() else None)
    except asyncio.TimeoutError:
        return refused("timeout", None)
    except (aiohttp.ClientError, OSError) as error:
        logger.info("Slack unreachable: %s", type(error).__name__)
        return refused("unreachable", None)


def _post_key(message: dict[str, Any]) -> str | None:
    metadata = message.get("metadata") or {}
    if metadata.get("event_type") != POST_EVENT_TYPE:
        return None
    return (metadata.get("event_payload") or {}).get("key")


def brief_message(brief: dict[str, Any], kind: str) -> dict[str, Any]:
    """A brief (the contract's document) as a Slack message: a header, a section per part of the
    brief with its lines as bullets and codes in bold (so `/cos approve P3` can be typed back), and
    how to answer. Everything from the data escaped for mrkdwn."""
    lines = (brief.get("text_content") or "").splitlines()
    title = brief.get("title") or (lines[0] if lines else "Brief")
    header = ("Good morning: " if kind == "daily" else "Coming up: ") + title
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": clip(header, HEADER_LIMIT), "emoji": False}}]
    sections: list[list[str]] = []
    for line in lines[1:]:
        if not line.strip():
            continue
        if line.startswith("- "):
            if not sections:
                sections.append([])
            sections[-1].append(f"• {_line(line[2:])}")
        else:
            sections.append([f"*{escape(line.strip())}*"])
    for section in sections[: MAX_BLOCKS - 3]:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": clip("\n".join(section), SECTION_LIMIT)}})
    answer = ("Answer with `/cos approve P1`, `/cos done M2`, `/cos snooze P3 tomorrow`, `/cos brief C1`."
              if kind == "daily" else "`/cos brief` for the day, `/cos search <words>` for more.")
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": answer}]})
    return {"text": clip(escape(header), SECTION_LIMIT), "blocks": blocks}


def _line(text: str) -> str:
    # "[slack 2026-11-29T10:00:00Z] snippet": a source with its date, shown in the reader's zone.
    if text.startswith("[") and "] " in text:
        where, _, rest = text[1:].partition("] ")
        source, _, date = where.partition(" ")
        return f"{when(date)} · {escape(source)} — {clip(escape(rest), 300)}"
    return with_codes(escape(text))
