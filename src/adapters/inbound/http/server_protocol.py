"""The HTTP protocol `aicos serve` runs: uvicorn's httptools protocol with limits on what arrives
before any route or check can run, and uvicorn's own refusals in the contract's error envelope.

uvicorn has no knob for these with httptools (its `h11_max_incomplete_event_size` is for h11, which
halves REST throughput): a connection that sends nothing, a request head that never ends or holds
100 MB of headers, and more connections than the process has file descriptors for.
"""

from __future__ import annotations

import asyncio
import time

from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from src.adapters.inbound.http.errors import error_body

HEAD_TIMEOUT_S = 10.0  # from connecting (or the first byte of a request) to the end of its headers
MAX_URL_BYTES = 16 * 1024
MAX_HEAD_BYTES = 64 * 1024  # request line and headers together
MAX_HEADERS = 100


class _Refused(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class GuardedHttpProtocol(HttpToolsProtocol):
    """One HTTP connection. `max_connections` (HTTP and WebSocket together) is set by `guarded_protocol`."""

    max_connections = 2500

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._reading_head = True
        self._head_bytes = 0
        self._head_started = time.monotonic()
        self._head_timer: asyncio.TimerHandle | None = None
        self._refusal: _Refused | None = None

    # -- connections and the head timeout ------------------------------------------------------------

    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        self._arm_head_timer()
        if len(self.connections) > self.max_connections and not self._close_the_longest_waiting():
            self._refusal = _Refused(503, "rate_limited", "the server is at its connection limit; try again")
            self.send_400_response("")

    def _close_the_longest_waiting(self) -> bool:
        """Makes room by closing the connection that has waited longest for its request head (an idle
        or a slow client), so a flood of idle sockets never locks out a real request."""
        waiting = [c for c in self.connections
                   if isinstance(c, GuardedHttpProtocol) and c is not self and c._waiting_for_head()]
        if not waiting:
            return False
        min(waiting, key=lambda c: c._head_started).transport.close()
        return True

    def _waiting_for_head(self) -> bool:
        return self._reading_head and (self.cycle is None or self.cycle.response_complete)

    def _arm_head_timer(self) -> None:
        """As a head begins. One timer a connection, not one a request (a timer made and cancelled
        at every request cost a keep-alive client's requests a tenth of their CPU): it runs on
        when a head is complete, and when it fires looks at the head being read then."""
        self._head_started = time.monotonic()
        if self._head_timer is None:
            self._head_timer = self.loop.call_later(HEAD_TIMEOUT_S, self._head_timed_out)

    def _disarm_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if not self._reading_head or self.transport.is_closing():
            return  # between requests: the next head arms it again
        left = self._head_started + HEAD_TIMEOUT_S - time.monotonic()
        if left > 0:  # a later request's head, begun after the timer was armed: its own time
            self._head_timer = self.loop.call_later(left, self._head_timed_out)
        else:
            self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_head_timer()
        super().connection_lost(exc)

    # -- the request head: size, count, end ----------------------------------------------------------

    def data_received(self, data: bytes) -> None:
        if not self._reading_head:
            super().data_received(data)
            return
        allowance = max(MAX_HEAD_BYTES - self._head_bytes, 0)
        head, rest = data[:allowance], data[allowance:]
        super().data_received(head)
        if self._reading_head:
            self._head_bytes += len(head)
        if rest and not self.transport.is_closing():
            if self._reading_head:  # the head goes on beyond the limit: refused before it is read
                self._refusal = _Refused(431, "payload_too_large",
                                         f"request line and headers must be at most {MAX_HEAD_BYTES} bytes")
                self.send_400_response("")
            else:
                self.data_received(rest)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._reading_head = True
        self._arm_head_timer()

    def on_url(self, url: bytes) -> None:
        super().on_url(url)
        if len(self.url) > MAX_URL_BYTES:
            self._refuse(414, f"the URL must be at most {MAX_URL_BYTES} bytes")

    def on_header(self, name: bytes, value: bytes) -> None:
        super().on_header(name, value)
        if len(self.headers) > MAX_HEADERS:
            self._refuse(431, f"a request may have at most {MAX_HEADERS} headers")

    def _refuse(self, status: int, message: str) -> None:
        """From a parser callback: httptools raises HttpParserCallbackError, and uvicorn answers it
        with send_400_response, which sends this refusal."""
        self._refusal = _Refused(status, "payload_too_large", message)
        raise self._refusal

    def on_headers_complete(self) -> None:
        self._reading_head = False
        self._head_bytes = 0
        super().on_headers_complete()

    # -- uvicorn's own refusals, in the envelope --------------------------------------------------------

    def send_400_response(self, msg: str) -> None:
        """Every answer uvicorn gives before the app runs (a request it cannot parse, Content-Length
        with Transfer-Encoding) and our limits above: JSON in the envelope, then the connection closes."""
        refusal = self._refusal or _Refused(400, "validation_error", "invalid HTTP request")
        body = error_body(refusal.code, refusal.message)
        self.transport.write(b"".join([
            STATUS_LINE[refusal.status],
            b"content-type: application/json\r\n",
            b"content-length: " + str(len(body)).encode("ascii") + b"\r\n",
            b"connection: close\r\n\r\n",
            body,
        ]))
        self.transport.close()


def guarded_protocol(max_connections: int) -> type[GuardedHttpProtocol]:
    """The protocol class for uvicorn's `http=`, with the process's connection limit."""
    return type("GuardedHttpProtocol", (GuardedHttpProtocol,), {"max_connections": max_connections})
