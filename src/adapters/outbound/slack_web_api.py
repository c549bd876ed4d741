"""Calls to Slack's Web API through slack_sdk's async client, with its faults said in words a person
can act on: a refused token, an address that does not answer, a body that is not Slack's. The token
is never part of what is said (slack_sdk sends it in a header and keeps it out of its errors)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

# What Slack answers for a token it will not take: wrong, revoked, expired, of a deactivated account.
TOKEN_REFUSALS = frozenset({"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired",
                            "not_allowed_token_type", "ekm_access_denied"})
RATE_LIMIT_RETRIES = 5  # 429s in a row for one call before the run gives up (each waits Retry-After)
CONNECTION_RETRIES = 2  # a reset or closed connection, then a 500/503, is tried again this often


class SlackTokenRefused(PermissionError):
    """Slack refused the token: nothing can be read until it is replaced."""


class SlackUnavailable(ConnectionError):
    """The Web API did not answer as Slack does: no answer in time, a closed connection, a body that is
    not Slack's, or rate limits that never ended."""


class SlackRefusal(Exception):
    """A method's `{"ok": false, "error": code}` other than a token refusal (e.g. `not_in_channel`)."""

    def __init__(self, method: str, said: str, code: str) -> None:
        super().__init__(f"{method}: {said}")
        self.code = code


def _host(base_url: str) -> str:
    parts = urlsplit(base_url)
    return parts.hostname + (f":{parts.port}" if parts.port else "") if parts.hostname else base_url


class SlackWebApi:
    """One run's connection to the Web API (a keep-alive session); use as `async with`."""

    def __init__(self, token: str, base_url: str | None = None, timeout_s: float = 30) -> None:
        self._token = token
        self._base_url = (base_url.rstrip("/") + "/") if base_url else AsyncWebClient.BASE_URL
        self._timeout_s = timeout_s
        self._session: aiohttp.ClientSession | None = None
        self._client: AsyncWebClient | None = None
        self.where = _host(self._base_url)

    async def __aenter__(self) -> SlackWebApi:
        # slack_sdk applies its `timeout` only to sessions it makes itself, one per call; ours is kept
        # alive across the run's calls and carries the timeout.
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self._timeout_s))
        self._client = AsyncWebClient(
            token=self._token, base_url=self._base_url, session=self._session,
            retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
                            AsyncConnectionErrorRetryHandler(max_retry_count=CONNECTION_RETRIES),
                            AsyncServerErrorRetryHandler(max_retry_count=CONNECTION_RETRIES)],
        )
        return self

    async def __aexit__(self, *_: object) -> None:
        if self._session is not None:
            await self._session.close()

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        """The answer's fields; SlackTokenRefused, SlackUnavailable or SlackRefusal when there is none."""
        assert self._client is not None, "use SlackWebApi as `async with`"
        given = {key: value for key, value in params.items() if value is not None}
        try:
            response = await self._client.api_call(method, http_verb="GET", params=given)
        except SlackApiError as error:
            raise self._said(method, error) from None
        except (asyncio.TimeoutError, TimeoutError):
            raise SlackUnavailable(f"{self.where} did not answer {method} within {self._timeout_s:g} s") from None
        except aiohttp.ClientError as error:
            raise SlackUnavailable(f"{self.where} could not be reached or closed the connection during {method} "
                                   f"({type(error).__name__})") from None
        data = response.data
        if not isinstance(data, dict):
            raise SlackUnavailable(f"{self.where} answered {method} with something that is not a Slack API response")
        return data

    def _said(self, method: str, error: SlackApiError) -> Exception:
        data = error.response.data if isinstance(error.response.data, dict) else {}
        code = data.get("error")
        if code in TOKEN_REFUSALS:
            return SlackTokenRefused(
                f"Slack refused the bot token ({code}): AICOS_SLACK_BOT_TOKEN is wrong, was revoked or belongs "
                "to a deactivated app; give it a valid token (xoxb-...) and collect again")
        if error.response.status_code == 429:
            return SlackUnavailable(f"{self.where} kept answering {method} with 'ratelimited' after "
                                    f"{RATE_LIMIT_RETRIES} waits of Retry-After; try again later")
        if not isinstance(code, str):
            return SlackUnavailable(f"{self.where} answered {method} with something that is not a Slack API "
                                    f"response (HTTP {error.response.status_code})")
        needed = data.get("needed")  # with missing_scope: the scope the app must be given
        return SlackRefusal(method, f"{code} (the Slack app needs the {needed} scope)" if needed else code, code)

    async def pages(self, method: str, key: str, **params: Any) -> AsyncIterator[list[Any]]:
        """Each page's `key` list, following `response_metadata.next_cursor` to the end."""
        cursor = None
        while True:
            data = await self.call(method, cursor=cursor, **params)
            found = data.get(key)
            if not isinstance(found, list):
                raise SlackUnavailable(f"{self.where} answered {method} without its '{key}' list")
            yield [item for item in found if isinstance(item, (dict, str))]  # objects, or ids (members)
            metadata = data.get("response_metadata")
            cursor = metadata.get("next_cursor") if isinstance(metadata, dict) else None
            if not cursor:
                return

    async def everything(self, method: str, key: str, **params: Any) -> list[Any]:
        return [item async for page in self.pages(method, key, **params) for item in page]
