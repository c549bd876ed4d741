"""A CalDAV account as a calendar feed: every calendar of it, synced incrementally with `caldav`.

Each calendar is listed with a sync-collection REPORT (RFC 6578) from the sync-token kept last time,
which names only what changed since; a server without it (or a token it no longer knows) is listed
whole with each event's ETag. Either way only the events whose ETag differs from the one kept are
fetched, a hundred at a time (calendar-multiget), and the events kept are the feed's documents.
The tokens, ETags and events live in one file of the data folder, so a restart stays incremental;
it holds no password, and is named by a hash of the address and user.

The `caldav` client is synchronous: a sync runs in a worker thread.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import caldav
import requests
from caldav.elements import dav
from caldav.lib import error as caldav_error
from caldav.lib.url import URL

from src.adapters.outbound.calendar_feeds import CalendarBody, FeedRead, read_json, short_hash, write_atomically
from src.adapters.outbound.secret_masking import masked_url, scrubbed

logger = logging.getLogger(__name__)

FETCH_AT_ONCE = 100  # hrefs per calendar-multiget REPORT
TIMEOUT_S = 30
CACHE_VERSION = 1


def _href(url: Any) -> str:
    """The one spelling of an event's address used as its key: the path, unquoted."""
    return unquote(urlsplit(str(url)).path)


def _login_failed(error: Exception) -> bool:
    """A 401 (caldav raises AuthorizationError for 401 and 403 alike): the password is wrong. A 403
    after a login that worked says something else (no sync-collection here, a calendar not shared)."""
    return isinstance(error, caldav_error.AuthorizationError) and "forbidden" not in str(error.reason).lower()


def _unless_unauthorized(error: caldav_error.DAVError) -> None:
    """Raises `error` again when the login failed; any other refusal of a REPORT (a server without
    sync-collection, an expired token) says only that the calendar is listed another way."""
    if _login_failed(error):
        raise error


class CalDavAccount:
    """`url` may be the server (discovery finds the principal) or a principal's address."""

    def __init__(self, url: str, username: str | None, password: str | None, cache_dir: Path,
                 timeout: int = TIMEOUT_S, client_factory: Callable[..., Any] | None = None) -> None:
        # `user:password@` in the address is taken out of it: the client logs its address (debug).
        parts = urlsplit(url)
        if parts.username or parts.password:
            username = username or unquote(parts.username or "")
            password = password or unquote(parts.password or "")
            url = urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))
        self._url = url
        self._username = username
        self._password = password
        self._timeout = timeout
        self.id = "caldav-" + short_hash(f"{url}\n{username or ''}")
        self.shown = f"CalDAV account {masked_url(url)}" + (f" ({username})" if username else "")
        self._cache_file = cache_dir / f"{self.id}.json"
        self._client_factory = client_factory or caldav.DAVClient
        self.hrefs_fetched = 0  # over the feed's life: what a bench or a test counts

    async def read(self) -> FeedRead:
        return await asyncio.to_thread(self.sync)

    # -- one sync -------------------------------------------------------------------------------------

    def sync(self) -> FeedRead:
        cache = read_json(self._cache_file)
        if cache.get("version") != CACHE_VERSION:
            cache = {"version": CACHE_VERSION, "calendars": {}}
        before = json.dumps(cache, sort_keys=True)
        read = FeedRead(self.id)
        client = None
        try:
            client = self._client_factory(url=self._url, username=self._username, password=self._password,
                                          timeout=self._timeout)
            calendars = client.principal().calendars()
            kept = {}
            for calendar in calendars:
                key = str(calendar.url)
                before_sync = cache["calendars"].get(key) or {}
                try:
                    kept[key] = self._sync_calendar(calendar, before_sync, read)
                except Exception as error:  # noqa: BLE001 - one calendar (a shared one refusing) fails alone
                    if _login_failed(error):
                        raise
                    name = before_sync.get("name") or calendar.name or _href(key)
                    read.failures.append(self._failure(error, f"calendar {name!r}"))
                    kept[key] = before_sync  # its last good events stay
            cache["calendars"] = kept  # a calendar gone from the account takes its events along
        except Exception as error:  # noqa: BLE001 - whatever broke, the last good events stay
            read.failures.append(self._failure(error))
        else:
            after = json.dumps(cache, sort_keys=True)
            if after != before:  # nothing new: the file is not written again
                write_atomically(self._cache_file, after.encode())
        finally:  # the session's sockets: a schedule syncs every few minutes
            if client is not None:
                client.close()
        for calendar_url, calendar in cache["calendars"].items():
            name = calendar.get("name") or _href(calendar_url)
            for href, event in calendar.get("events", {}).items():
                read.bodies.append(CalendarBody(f"{self.id}:{href}", f"{name}/{href.rsplit('/', 1)[-1]}",
                                                event["data"].encode()))
        return read

    def _sync_calendar(self, calendar: Any, kept: dict[str, Any], read: FeedRead) -> dict[str, Any]:
        events: dict[str, dict[str, str]] = dict(kept.get("events") or {})
        listed, token, whole = self._listing(calendar, kept.get("token"))
        if whole:
            for href in set(events) - set(listed):
                del events[href]
        for href, etag in listed.items():
            if etag is None:  # named by a sync report as deleted
                events.pop(href, None)
        wanted = [href for href, etag in listed.items()
                  if etag is not None and (href not in events or events[href].get("etag") != etag)]
        for start in range(0, len(wanted), FETCH_AT_ONCE):
            chunk = wanted[start:start + FETCH_AT_ONCE]
            found = {_href(href): data for href, data in
                     calendar._multiget([calendar.url.join(URL.objectify(quote(h))) for h in chunk])}
            self.hrefs_fetched += len(chunk)
            read.fetched += len(chunk)
            for href in chunk:
                if found.get(href):
                    events[href] = {"etag": listed[href] or "", "data": found[href]}
                else:  # deleted between the listing and the fetch
                    events.pop(href, None)
        return {"name": calendar.name, "token": token, "events": events}

    def _listing(self, calendar: Any, token: str | None) -> tuple[dict[str, str | None], str | None, bool]:
        """{href: ETag, or None when deleted}, the new sync-token, and whether the listing is whole."""
        if token is not None:
            try:
                return (*self._sync_report(calendar, token), False)
            except caldav_error.DAVError as error:
                _unless_unauthorized(error)
                logger.info("%s: its sync-token was refused, listing the calendar whole", self.shown)
        try:
            return (*self._sync_report(calendar, None), True)
        except caldav_error.DAVError as error:  # no sync-collection on this server: ETags of every event
            _unless_unauthorized(error)
            return self._etags(calendar), None, True

    def _sync_report(self, calendar: Any, token: str | None) -> tuple[dict[str, str | None], str | None]:
        """What changed since `token` (everything without one), and the token to give next time."""
        collection = calendar.objects_by_sync_token(sync_token=token, load_objects=False)
        return {_href(obj.url): obj.props.get(dav.GetEtag.tag) for obj in collection}, collection.sync_token

    def _etags(self, calendar: Any) -> dict[str, str | None]:
        response = calendar._query_properties([dav.GetEtag()], depth=1)
        properties = response.expand_simple_props([dav.GetEtag()])
        own = _href(calendar.url).rstrip("/")
        return {_href(href): props.get(dav.GetEtag.tag) or "" for href, props in properties.items()
                if _href(href).rstrip("/") != own}

    def _failure(self, error: Exception, which: str | None = None) -> str:
        if isinstance(error, caldav_error.AuthorizationError):
            why = "the server refused the username or password"
        elif isinstance(error, requests.Timeout):
            why = f"did not answer within {self._timeout:g} s"
        elif isinstance(error, requests.ConnectionError):
            why = "cannot be reached"
        elif isinstance(error, caldav_error.NotFoundError):
            why = "no CalDAV account at this address (404)"
        else:  # its text may quote the address or the answer: the address is masked, the password removed
            detail = f"{type(error).__name__}: {' '.join(str(error).split())[:200]}"
            detail = detail.replace(self._url, masked_url(self._url))
            if isinstance(error, caldav_error.DAVError):
                why = f"the server answered an error ({detail})"
            else:  # an HTML page, a proxy's login form, XML of another kind
                why = f"the answer is not CalDAV ({detail})"
        where = f"{self.shown}, {which}" if which else self.shown
        return scrubbed(f"{where}: {why}", [self._password, urlsplit(self._url).password])
