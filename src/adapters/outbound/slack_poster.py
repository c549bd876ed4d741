"""Posting to the person on Slack (`chat.postMessage`) with slack_sdk's AsyncWebClient, and the
morning brief and meeting prep as Block Kit messages.

The client is built without retry handlers: a request that broke after Slack took it would be posted
twice by a retry, and the outbox already retries (with backoff, once per key). A timeout or a refused
connection is an answer (`timeout`, `unreachable`), never an exception for the caller.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from src.adapters.inbound.slack.formatting import HEADER_LIMIT, SECTION_LIMIT, clip, escape, when, with_codes
from src.application.ports import PostAnswer

logger = logging.getLogger(__name__)
DEFAULT_API_URL = "https://slack.com/api/"
POST_TIMEOUT_S = 10
MAX_BLOCKS = 50


class SlackWebPoster:
    def __init__(self, token: str, base_url: str | None = None, timeout_s: int = POST_TIMEOUT_S) -> None:
        base = base_url or DEFAULT_API_URL
        self._client = AsyncWebClient(token=token, base_url=base if base.endswith("/") else base + "/",
                                      timeout=timeout_s, retry_handlers=[])

    async def post(self, channel: str, message: dict[str, Any]) -> PostAnswer:
        try:
            await self._client.chat_postMessage(channel=channel, text=message.get("text", ""),
                                                blocks=message.get("blocks"), unfurl_links=False)
            return PostAnswer(True)
        except SlackApiError as error:
            response = error.response
            code = response.get("error") if isinstance(response.data, dict) else None
            retry_after = response.headers.get("Retry-After") or response.headers.get("retry-after")
            return PostAnswer(False, code or f"http_{response.status_code}",
                              float(retry_after) if retry_after and str(retry_after).isdigit() else None)
        except asyncio.TimeoutError:
            return PostAnswer(False, "timeout")
        except (aiohttp.ClientError, OSError) as error:
            logger.info("Slack unreachable: %s", type(error).__name__)
            return PostAnswer(False, "unreachable")


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
