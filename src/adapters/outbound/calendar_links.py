"""A calendar's http(s) address (a secret iCal address, a published calendar) as a calendar feed.

Fetched with the ETag and Last-Modified of the last good answer (`If-None-Match`,
`If-Modified-Since`): a 304 is answered from the copy kept in the data folder, and the collector,
seeing the same bytes, reads nothing again. A 401, a 404, a timeout or a refused connection names
the address with its secret masked, and the last good copy stays on the board. `webcal://` (what
calendar apps hand out) is fetched as https. The copy is named by a hash of the address, which is
never written down.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import aiohttp

from src.adapters.outbound.calendar_feeds import (
    MAX_FILE_BYTES,
    CalendarBody,
    FeedRead,
    read_json,
    short_hash,
    write_atomically,
)
from src.adapters.outbound.secret_masking import masked_url

TIMEOUT_S = 20.0


def is_calendar_link(entry: str) -> bool:
    return entry.strip().lower().startswith(("http://", "https://", "webcal://"))


class CalendarLink:
    def __init__(self, url: str, cache_dir: Path, timeout: float = TIMEOUT_S) -> None:
        url = url.strip()
        self._url = "https://" + url[len("webcal://"):] if url.lower().startswith("webcal://") else url
        self.id = "link-" + short_hash(self._url)
        self.shown = masked_url(self._url)
        self._timeout = timeout
        self._body_file = cache_dir / f"{self.id}.ics"
        self._meta_file = cache_dir / f"{self.id}.json"

    async def read(self) -> FeedRead:
        read = FeedRead(self.id)
        # The copy may be tens of MB: the disk is read and written off the event loop.
        kept = await asyncio.to_thread(self._kept)
        headers = {}
        meta = await asyncio.to_thread(read_json, self._meta_file) if kept is not None else {}
        if meta.get("etag"):
            headers["If-None-Match"] = meta["etag"]
        if meta.get("last_modified"):
            headers["If-Modified-Since"] = meta["last_modified"]
        try:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self._timeout)) as session:
                async with session.get(self._url, headers=headers) as response:
                    if response.status == 304 and kept is not None:
                        read.unchanged += 1
                        read.bodies.append(self._body(kept))
                        return read
                    if response.status != 200:
                        read.failures.append(f"calendar {self.shown}: the server answered {response.status}"
                                             f" {response.reason or ''}".rstrip())
                    else:
                        data = await response.content.read(MAX_FILE_BYTES + 1)
                        if len(data) > MAX_FILE_BYTES:
                            read.failures.append(f"calendar {self.shown} is more than the "
                                                 f"{MAX_FILE_BYTES // 1024**2} MB a calendar may be")
                        elif b"BEGIN:VCALENDAR" not in data[:4096].upper():  # a login page, an error page
                            read.failures.append(f"calendar {self.shown}: the answer is not a calendar")
                        else:
                            try:
                                await asyncio.to_thread(self._keep, data, response.headers.get("ETag"),
                                                        response.headers.get("Last-Modified"))
                            except OSError as error:  # a full disk, a read-only data folder: read it all the same
                                read.failures.append(f"calendar {self.shown}: the copy could not be kept in "
                                                     f"{self._body_file.parent} ({type(error).__name__})")
                            read.fetched += 1
                            read.bodies.append(self._body(data))
                            return read
        except asyncio.TimeoutError:
            read.failures.append(f"calendar {self.shown}: no answer within {self._timeout:g} s")
        except aiohttp.ClientError as error:  # its text names the address: only its kind is said
            read.failures.append(f"calendar {self.shown}: cannot be fetched ({type(error).__name__})")
        if kept is not None:  # the last good calendar stays on the board
            read.bodies.append(self._body(kept))
        return read

    def _body(self, data: bytes) -> CalendarBody:
        return CalendarBody(f"{self.id}:", self.shown, data)

    def _kept(self) -> bytes | None:
        try:
            return self._body_file.read_bytes()
        except OSError:
            return None

    def _keep(self, data: bytes, etag: str | None, last_modified: str | None) -> None:
        write_atomically(self._body_file, data)
        write_atomically(self._meta_file, json.dumps({"etag": etag, "last_modified": last_modified}).encode())
