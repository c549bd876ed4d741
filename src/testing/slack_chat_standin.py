"""A stand-in for Slack's `chat.postMessage` on loopback, for tests: it records every call and answers
as Slack does, in the mode it is set to. Small and separate from the history stand-in
(slack_web_standin.py) so the two can be folded together later: `handle_chat_post` is the whole
method, independent of the HTTP server around it.

Modes: `ok`; `fail` (HTTP 500, `internal_error`); `hang` (answers nothing until `release()`, then
posts; after 60 s answers 500 without posting);
`ratelimited` (HTTP 429 with `Retry-After`); `channel_not_found`, `invalid_auth` (Slack's `ok: false`).
`then(*modes)` answers the next calls in those modes, then goes back to the set mode.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

MODES = ("ok", "fail", "hang", "ratelimited", "channel_not_found", "invalid_auth")
HANG_AT_MOST_S = 60.0


@dataclass
class ChatCall:
    channel: str
    text: str | None
    blocks: list[dict[str, Any]] | None
    token: str | None
    answered: str  # the mode it was answered in
    at: float = field(default_factory=time.time)

    @property
    def posted(self) -> bool:
        return self.answered == "ok"


class SlackChatStandin:
    def __init__(self, mode: str = "ok", retry_after_s: int = 2, token: str | None = None) -> None:
        self.mode = mode
        self.retry_after_s = retry_after_s
        self.token = token  # when set, another token is answered invalid_auth
        self.calls: list[ChatCall] = []
        self.hanging = 0  # calls waiting in `hang` mode right now
        self._next: deque[str] = deque()
        self._lock = threading.Lock()
        self._released = threading.Event()
        self._server: ThreadingHTTPServer | None = None

    # --- what tests use
    def set_mode(self, mode: str) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}; one of {MODES}")
        self.mode = mode
        self._released.clear()

    def then(self, *modes: str) -> None:
        self._next.extend(modes)

    def release(self) -> None:
        """Lets hanging calls answer (ok)."""
        self._released.set()

    @property
    def posted(self) -> list[ChatCall]:
        with self._lock:
            return [call for call in self.calls if call.posted]

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start() first"
        return f"http://127.0.0.1:{self._server.server_address[1]}/api/"

    def start(self) -> SlackChatStandin:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, name="slack-chat-standin", daemon=True).start()
        return self

    def stop(self) -> None:
        self._released.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> SlackChatStandin:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # --- the method itself
    def handle_chat_post(self, fields: dict[str, Any], token: str | None) -> tuple[int, dict[str, str], dict[str, Any]]:
        """`chat.postMessage`: (HTTP status, headers, JSON body), recording the call."""
        with self._lock:
            mode = self._next.popleft() if self._next else self.mode
        if self.token is not None and token != self.token:
            mode = "invalid_auth"
        if mode == "hang":  # processed (posted) only if released in time; else never processed
            with self._lock:
                self.hanging += 1
            mode = "ok" if self._released.wait(HANG_AT_MOST_S) else "hang"
            with self._lock:
                self.hanging -= 1
        blocks = fields.get("blocks")
        if isinstance(blocks, str):  # form-encoded calls send blocks as JSON text
            blocks = json.loads(blocks)
        call = ChatCall(str(fields.get("channel", "")), fields.get("text"), blocks, token, mode)
        with self._lock:
            self.calls.append(call)
        if not call.channel:
            return 200, {}, {"ok": False, "error": "channel_not_found"}
        if call.answered == "ok":
            ts = f"{time.time():.6f}"
            return 200, {}, {"ok": True, "channel": call.channel, "ts": ts, "message": {"text": call.text, "ts": ts}}
        if call.answered == "ratelimited":
            return 429, {"Retry-After": str(self.retry_after_s)}, {"ok": False, "error": "ratelimited"}
        if call.answered in ("fail", "hang"):
            return 500, {}, {"ok": False, "error": "internal_error"}
        return 200, {}, {"ok": False, "error": call.answered}


def _handler_for(standin: SlackChatStandin) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode()
            if self.path.rstrip("/") != "/api/chat.postMessage":
                return self._answer(404, {}, {"ok": False, "error": "unknown_method"})
            if "json" in (self.headers.get("Content-Type") or ""):
                fields = json.loads(raw or "{}")
            else:
                fields = dict(parse_qsl(raw))
            authorization = self.headers.get("Authorization") or ""
            token = authorization.removeprefix("Bearer ") if authorization else fields.get("token")
            self._answer(*standin.handle_chat_post(fields, token))

        def _answer(self, status: int, headers: dict[str, str], body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)
            except OSError:  # the client gave up (a hang it timed out on)
                pass

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

    return Handler
