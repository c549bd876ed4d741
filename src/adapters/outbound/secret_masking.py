"""Addresses and messages made safe to show: what may be a secret is replaced by `***`.

A calendar's secret address holds its key in the path (Google: `.../private-<key>/basic.ics`;
iCloud: `/published/2/<key>`; Outlook: `.../<guid>@domain/<key>/calendar.ics`) or in the query
(`?token=...`); an address may carry `user:password@`. Each is masked wherever an address is named:
errors, logs, the board's messages and the files kept in the data folder.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit

MASK = "***"
# A path segment this long made only of letters, digits, '-' and '_' is a key, not a name a person
# chose (names have dots, '@' or '%40', or are short).
_KEY_LIKE = re.compile(r"^[A-Za-z0-9_-]{20,}$")


def _masked_segment(segment: str) -> str:
    if segment.lower().startswith("private-"):  # Google's secret address
        return segment[: len("private-")] + MASK
    return MASK if _KEY_LIKE.match(segment) else segment


def masked_url(url: str) -> str:
    """`url` with its password, query values and key-like path segments replaced by `***`."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return MASK  # not an address at all: nothing of it is shown
    if not parts.scheme or not host:
        return MASK
    netloc = host if port is None else f"{host}:{port}"
    if parts.username:
        netloc = f"{MASK}@{netloc}"
    path = "/".join(_masked_segment(segment) for segment in parts.path.split("/"))
    query = "&".join(f"{pair.split('=', 1)[0]}={MASK}" if "=" in pair else MASK
                     for pair in parts.query.split("&") if pair)
    return urlunsplit((parts.scheme, netloc, path, query, ""))


def scrubbed(text: str, secrets: Iterable[str | None]) -> str:
    """`text` with each secret (a password, a whole secret address) replaced by `***`."""
    for secret in sorted((s for s in secrets if s and len(s) >= 3), key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text
