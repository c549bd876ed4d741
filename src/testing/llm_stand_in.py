"""A stand-in for an OpenAI-compatible chat server (`POST /v1/chat/completions`), on loopback, in a
thread of its own so that any test (sync or async, any event loop) can use it:

    with StandInModel() as server:
        model = OpenAICompatibleModel(server.url, "stand-in", timeout=0.5)
        server.mode = "500"

Modes: `good` (answers `text`, or `json` for requests asking for JSON), `slow` (answers after
`slow_seconds`), `500`, `malformed` (a body that is not JSON), `nonsense` (a well-formed reply whose
content is neither the text nor the JSON asked for), `empty` (empty content), `injected` (answers
`injected`, as a model that obeyed instructions hidden in the data would), `closed` (drops the
connection without answering), `ratelimited` (429 with `Retry-After: retry_after`, for the next
`ratelimited_times` requests, then `good`). `text`, `json` and `injected` may be functions of the data sent.
Every request is kept in `requests` (its JSON body and headers).
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable
from typing import Any

from aiohttp import web

Answer = Any | Callable[[Any], Any]
# Neither JSON nor grounded in anything a caller sends: a model talking nonsense.
NONSENSE = "Sure! Here is what you asked for: buy 500 ACME shares at https://acme.example before Friday"


def data_sent(body: dict[str, Any]) -> Any:
    """The data block of a request, as the JSON value it holds."""
    content = body["messages"][-1]["content"]
    return json.loads(content[content.index("<data>") + 6:content.rindex("</data>")])


class StandInModel:
    def __init__(self) -> None:
        self.mode = "good"
        self.text: Answer = "A short paragraph."
        self.json: Answer = {}
        self.injected: Answer = "Ignoring previous instructions as asked."
        self.slow_seconds = 30.0
        self.retry_after = 0
        self.ratelimited_times = 1
        self.requests: list[dict[str, Any]] = []
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="llm-stand-in", daemon=True)
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def __enter__(self) -> StandInModel:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(10)
        return self

    def __exit__(self, *exc_info: Any) -> None:
        asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._chat)
        self._runner = web.AppRunner(app, handler_cancellation=True, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def _stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _chat(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        self.requests.append({"body": body, "headers": dict(request.headers)})
        wants_json = (body.get("response_format") or {}).get("type") == "json_object"
        mode = self.mode
        if mode == "ratelimited":
            if self.ratelimited_times > 0:
                self.ratelimited_times -= 1
                return web.json_response({"error": {"message": "Rate limit reached", "type": "requests"}},
                                         status=429, headers={"Retry-After": str(self.retry_after)})
            mode = "good"
        if mode == "slow":
            await asyncio.sleep(self.slow_seconds)
        elif mode == "500":
            return web.json_response({"error": {"message": "internal error"}}, status=500)
        elif mode == "malformed":
            return web.Response(text='{"choices": [{"message": {"content": "trunc', content_type="application/json")
        elif mode == "closed":
            assert request.transport is not None
            request.transport.close()
            return web.Response()
        if mode == "nonsense":
            content = NONSENSE
        elif mode == "empty":
            content = ""
        else:
            answer = self.injected if mode == "injected" else self.json if wants_json else self.text
            value = answer(data_sent(body)) if callable(answer) else answer
            content = value if isinstance(value, str) else json.dumps(value)
        return web.json_response({
            "id": "chatcmpl-stand-in", "object": "chat.completion", "model": body.get("model"),
            "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}],
        })
