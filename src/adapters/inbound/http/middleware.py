"""Pure ASGI middleware: body size cap, CORS whose refusals use the error envelope, Host and Origin
checks, and the token."""

from __future__ import annotations

import hmac
import logging
import re
from urllib.parse import unquote_to_bytes, urlsplit

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from src.adapters.inbound.http.errors import error_response


class _BodyTooLarge(Exception):
    pass


class BodySizeLimit:
    """Answers 413 for a body over `max_bytes`: at once from Content-Length, or while reading a
    body sent without one (chunked), so a 20 MB upload is never held in memory."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def _too_large(self):
        return error_response(413, "payload_too_large", f"request body must be at most {self.max_bytes} bytes")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        for name, value in scope["headers"]:
            if name == b"content-length":
                if value.isdigit() and int(value) > self.max_bytes:
                    await self._too_large()(scope, receive, send)
                    return
        received = 0
        answered = False  # once the 413 is out, whatever the app still sends is dropped

        async def counting_receive() -> Message:
            nonlocal received, answered
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes and not answered:
                    answered = True
                    await self._too_large()(scope, receive, send)
                    raise _BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            if not answered:
                await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except _BodyTooLarge:
            pass


class EnvelopeCORSMiddleware(CORSMiddleware):
    """Starlette's CORS, but a refused preflight answers 403 `forbidden` in the envelope, not plain text,
    and a request without an Origin (a script, the Slack bot, a collector) skips the CORS layer."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not any(name == b"origin" for name, _ in scope["headers"]):
            # Nothing to add: our responses carry no caching headers, so Vary does not matter here.
            await self.app(scope, receive, send)
            return
        await super().__call__(scope, receive, send)

    def preflight_response(self, request_headers):
        response = super().preflight_response(request_headers)
        if response.status_code == 400:
            reason = response.body.decode(errors="replace")
            return error_response(403, "forbidden", reason, headers={"Vary": "Origin"})
        return response


LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# GET routes that change the state (kept for the upstream dashboard): an <img> or a link on any
# site could reach them, so they get the cross-site checks of a POST and more (see _cross_site_get).
STATE_CHANGING_GET_PATHS = frozenset({"/api/trigger_collection"})


def host_name(host_header: str) -> str:
    """"[::1]:8000" -> "::1", "Localhost:3000" -> "localhost" (Starlette's TrustedHostMiddleware
    cuts "[::1]" at its first colon)."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1: host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class HostAndOriginGuard:
    """Refuses what a hostile web page could send through the person's browser: a Host that is not
    this machine's (DNS rebinding) on any request, and a foreign or `null` Origin on a WebSocket
    handshake or a state-changing request. Requests without an Origin (scripts, bots) pass."""

    def __init__(self, app: ASGIApp, allowed_hosts: list[str], allowed_origins: list[str],
                 signed_post_paths: frozenset[str] = frozenset()) -> None:
        self.app = app
        self.allowed_hosts = LOOPBACK_NAMES | {host_name(h) for h in allowed_hosts}
        self.allowed_origins = frozenset(allowed_origins)
        # Slack reaches `/slack/events` through a tunnel's public name: any Host there, since a
        # rebinding page cannot forge Slack's signature. The Origin check still applies.
        self.signed_post_paths = signed_post_paths

    def _refusal(self, scope: Scope) -> str | None:
        headers = {name: value.decode("latin-1") for name, value in scope["headers"] if name in _CHECKED_HEADERS}
        host = headers.get(b"host")
        if (host is not None and host_name(host) not in self.allowed_hosts
                and not _is_signed_post(scope, self.signed_post_paths)):
            return "host not allowed"
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD") and scope["path"] in STATE_CHANGING_GET_PATHS:
            return self._cross_site_get(scope, headers)
        origin = headers.get(b"origin")
        if origin is None or (scope["type"] == "http" and scope["method"] not in STATE_CHANGING):
            return None
        return None if self._allowed(origin, scope, host) else "origin not allowed"

    def _allowed(self, origin: str, scope: Scope, host: str | None) -> bool:
        scheme = "https" if scope.get("scheme") in ("https", "wss") else "http"
        own = f"{scheme}://{host}" if host else None
        return origin != "null" and (origin in self.allowed_origins or origin == own)

    def _cross_site_get(self, scope: Scope, headers: dict[bytes, str]) -> str | None:
        """A state-changing GET comes from a script (no browser headers), the person (typed URL), this
        service's page or an allowed origin. A browser names the page behind a request in Origin or
        Referer, and says whether it is another site in Sec-Fetch-Site; an <img> on a foreign page
        has no Origin, and may hide its Referer, but never its Sec-Fetch-Site."""
        referer = headers.get(b"referer")
        source = headers.get(b"origin") or (_origin_of(referer) if referer else None)
        if source is not None:
            return None if self._allowed(source, scope, headers.get(b"host")) else "cross-site request refused; use POST"
        if headers.get(b"sec-fetch-site") in ("cross-site", "same-site"):
            return "cross-site request refused; use POST"
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        reason = self._refusal(scope)
        if reason is None:
            await self.app(scope, receive, send)
        elif scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008, "reason": reason})  # before accept: a 403
        else:
            await error_response(403, "forbidden", reason)(scope, receive, send)


_CHECKED_HEADERS = (b"host", b"origin", b"referer", b"sec-fetch-site")


def _origin_of(url: str) -> str:
    """"http://localhost:3000/page?x" -> "http://localhost:3000" (what a browser sends as Origin)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else "null"


def _is_signed_post(scope: Scope, paths: frozenset[str]) -> bool:
    """A POST to a path whose requests carry their own signature (Slack's, checked by the route),
    which comes from a public URL and without our token: exactly those paths, exactly POST."""
    return scope["type"] == "http" and scope["method"] == "POST" and scope["path"] in paths


def _is_preflight(scope: Scope) -> bool:
    """A browser's CORS preflight: it cannot carry a token, and the CORS layer answers it."""
    if scope["type"] != "http" or scope["method"] != "OPTIONS":
        return False
    names = {name for name, _ in scope["headers"]}
    return b"origin" in names and b"access-control-request-method" in names


class TokenGuard:
    """With a token configured, every request but `/health`, and every WebSocket, must carry it:
    `Authorization: Bearer <token>`, or `?token=<token>` for browsers, which cannot set headers on
    a WebSocket. Compared in constant time. `public_get_paths` (the dashboard's page and its static
    files, which hold no data) are open to GET and HEAD only."""

    OPEN_PATHS = frozenset({"/health"})

    def __init__(self, app: ASGIApp, token: str, public_get_paths: frozenset[str] = frozenset(),
                 signed_post_paths: frozenset[str] = frozenset()) -> None:
        if not token.strip():
            raise ValueError("a blank API token would let any request in")
        self.app = app
        self.token = token.encode()
        self.public_get_paths = public_get_paths
        self.signed_post_paths = signed_post_paths  # `/slack/events`: Slack's signature instead of the token

    def _is_public(self, scope: Scope) -> bool:
        if scope["path"] in self.OPEN_PATHS or _is_preflight(scope) or _is_signed_post(scope, self.signed_post_paths):
            return True
        return (scope["type"] == "http" and scope["method"] in ("GET", "HEAD")
                and scope["path"] in self.public_get_paths)

    def _presented(self, scope: Scope) -> bytes | None:
        for name, value in scope["headers"]:
            if name == b"authorization" and value[:7].lower() == b"bearer ":
                return value[7:].strip()
        for pair in scope.get("query_string", b"").split(b"&"):
            if pair.startswith(b"token="):
                return unquote_to_bytes(pair[6:])
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or self._is_public(scope):
            await self.app(scope, receive, send)
            return
        presented = self._presented(scope)
        if presented is not None and hmac.compare_digest(presented, self.token):
            await self.app(scope, receive, send)
        elif scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008, "reason": "token required"})
        else:
            message = "a valid token is required (Authorization: Bearer, or ?token=)"
            await error_response(401, "unauthorized", message, headers={"WWW-Authenticate": "Bearer"})(
                scope, receive, send)


class TokenScrubber(logging.Filter):
    """Keeps `?token=...` out of the access log, in every form a request can give it: any case
    (`TOKEN=`), after `;`, and percent-encoded in a path (`%3Btoken%3D...`, as uvicorn logs it)."""

    PATTERN = re.compile(r"(token(?:=|%3D))[^&;\s\"]+", re.IGNORECASE)

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            record.args = tuple(self.PATTERN.sub(r"\1***", a) if isinstance(a, str) else a for a in record.args)
        return True


class CommandRateLimit:
    """`POST /api/command` beyond the per-client limit gets 429. The limiter is the app container's
    `command_rate_limiter`, which v2 WebSocket commands share (see adapters/inbound/rate_limit.py)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and scope["path"] == "/api/command":
            limiter = scope["app"].state.container.command_rate_limiter()
            client = (scope.get("client") or ("unknown", 0))[0]
            if not limiter.allow(client):
                await error_response(429, "rate_limited", limiter.refusal(),
                                     headers={"Retry-After": "1"})(scope, receive, send)
                return
        await self.app(scope, receive, send)
