"""A stand-in for Slack's Web API on loopback, for tests and benches: the methods the service calls,
answered with Slack's own response shapes, from a workspace the test describes.

    standin = SlackWebStandin(users=[...], conversations=[...], messages={"C1": [...]})
    with standin:                           # serves on a free port, in a thread of its own
        client = AsyncWebClient(token="xoxb-test", base_url=standin.base_url)
        ...
        standin.calls["conversations.history"]  # how many calls each method had
        standin.fail("conversations.history", "ratelimited", retry_after=1)

What it does as Slack does: `{"ok": true, ...}` or `{"ok": false, "error": "..."}` (HTTP 200), the
token from `Authorization: Bearer` or a `token` parameter (`not_authed`, `invalid_auth`,
`account_inactive`, `token_revoked`), cursor pagination (`response_metadata.next_cursor`, "" on the
last page; `has_more` for history and replies), history newest first with `oldest`, `latest` and
`inclusive`, thread parents carrying `reply_count`, `reply_users` and `latest_reply`, replies (not
broadcast) left out of history, and 429 `ratelimited` with `Retry-After`. Faults Slack's servers and
the network also produce: a body that is not JSON, an answer that never comes, a closed connection.

Posting (`chat.postMessage`, `conversations.open`): a post to a channel id, a `#name` or a user id
(the user's DM with the bot, opened as Slack does) is kept in that conversation's history with its
`metadata` (shown by `conversations.history` only with `include_all_metadata=true`), and listed in
`standin.posted`. Its `ts` is the stand-in's clock: `clock_offset_s` is added to the wall clock, so a
test that sets the service's clock (AICOS_CLOCK_OFFSET_S) sets Slack's the same way. Faults that
matter for posting: "hang" (no answer until `release()`, then the call is answered as usual, or
until the stand-in stops), "accept_then_hang" and "accept_then_close" (the call is carried out, the
message posted, and then no answer comes: the answer lost on the way back).

More methods: `standin.add_method("chat.update", handler)`; a handler takes the request's
parameters (a dict of strings) and answers the response's fields (without `ok`), or raises
`SlackError("channel_not_found")`.
"""

from __future__ import annotations

import asyncio
import base64
import bisect
import socket
import threading
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

import orjson
import pytest
from aiohttp import web

Params = dict[str, str]
Handler = Callable[[Params], dict[str, Any]]
FAULTS = ("ratelimited", "server_error", "garbage", "hang", "close")
# Carried out first (a post is posted), then the answer is withheld or the connection closed.
AFTER_ANSWER_FAULTS = ("accept_then_hang", "accept_then_close")
DEFAULT_TOKEN = "xoxb-standin-token"
TOKEN_STATES = {"active": None, "inactive": "account_inactive", "revoked": "token_revoked"}


class SlackError(Exception):
    """A method's `{"ok": false, "error": code}` answer."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True, slots=True)
class Call:
    method: str
    at: float  # the stand-in's clock (time.monotonic) when the request arrived
    params: Params
    status: int  # the HTTP status answered; 0 when no answer was given (hang, closed connection)
    wall: float = 0.0  # the wall clock (time.time) when the request arrived


@dataclass(frozen=True, slots=True)
class Posted:
    """A message `chat.postMessage` posted: `to` as the caller named it (a channel id, `#name` or a
    user id), `channel` the conversation it is in, `message` as history keeps it."""

    to: str
    channel: str
    message: dict[str, Any]

    @property
    def ts(self) -> str:
        return str(self.message["ts"])

    @property
    def text(self) -> str:
        return str(self.message.get("text") or "")

    @property
    def blocks(self) -> list[dict[str, Any]] | None:
        return self.message.get("blocks")

    @property
    def metadata(self) -> dict[str, Any] | None:
        return self.message.get("metadata")


def _cursor(kind: str, value: str | int) -> str:
    return base64.b64encode(f"{kind}:{value}".encode()).decode()


def _from_cursor(cursor: str, kind: str) -> str:
    try:
        found_kind, _, value = base64.b64decode(cursor, validate=True).decode().partition(":")
    except ValueError:
        raise SlackError("invalid_cursor") from None
    if found_kind != kind or not value:
        raise SlackError("invalid_cursor")
    return value


def _limit(params: Params, default: int, maximum: int) -> int:
    try:
        value = int(params.get("limit") or default)
    except ValueError:
        raise SlackError("invalid_limit") from None
    return default if value <= 0 else min(value, maximum)


def _page(items: list[Any], params: Params, default: int, maximum: int) -> tuple[list[Any], str]:
    """An offset-cursor page of a list (users, conversations, members) and the next cursor ("" at the end)."""
    start = int(_from_cursor(params["cursor"], "offset")) if params.get("cursor") else 0
    end = start + _limit(params, default, maximum)
    return items[start:end], (_cursor("offset", end) if end < len(items) else "")


def _kind(conversation: dict[str, Any]) -> str:
    if conversation.get("is_im"):
        return "im"
    if conversation.get("is_mpim"):
        return "mpim"
    if conversation.get("is_private") or conversation.get("is_group"):
        return "private_channel"
    return "public_channel"


class _Conversation:
    """One conversation's messages, ordered for history (top level) and replies (by thread)."""

    def __init__(self) -> None:
        self.top: list[dict[str, Any]] = []  # oldest first, what history shows
        self.top_keys: list[float] = []
        self.replies: dict[str, list[dict[str, Any]]] = defaultdict(list)  # thread ts -> replies, oldest first

    def add(self, message: dict[str, Any]) -> None:
        """Adds a message, or replaces the one with the same `ts` (an edit)."""
        ts, thread = message["ts"], message.get("thread_ts")
        is_reply = thread is not None and thread != ts
        if thread is not None and is_reply:
            replies = self.replies[thread]
            at = bisect.bisect_left(replies, float(ts), key=lambda m: float(m["ts"]))
            if at < len(replies) and replies[at]["ts"] == ts:
                replies[at] = message
            else:
                replies.insert(at, message)
        if not is_reply or message.get("subtype") == "thread_broadcast":
            at = bisect.bisect_left(self.top_keys, float(ts))
            if at < len(self.top) and self.top[at]["ts"] == ts:
                self.top[at] = message
            else:
                self.top_keys.insert(at, float(ts))
                self.top.insert(at, message)

    def as_listed(self, message: dict[str, Any]) -> dict[str, Any]:
        """The message as Slack shows it: a thread's parent with its reply count and latest reply."""
        shown = {"type": "message", **message}
        replies = self.replies.get(message["ts"]) if message.get("thread_ts", message["ts"]) == message["ts"] else None
        if replies:
            users = list(dict.fromkeys(r.get("user") for r in replies if r.get("user")))
            shown.update(thread_ts=message["ts"], reply_count=len(replies), reply_users=users[:5],
                         reply_users_count=len(users), latest_reply=replies[-1]["ts"])
        return shown

    def find(self, ts: str) -> dict[str, Any] | None:
        at = bisect.bisect_left(self.top_keys, float(ts))
        if at < len(self.top) and self.top[at]["ts"] == ts:
            return self.top[at]
        return None


class SlackWebStandin:
    def __init__(self, users: Sequence[dict[str, Any]] = (), conversations: Sequence[dict[str, Any]] = (),
                 messages: dict[str, list[dict[str, Any]]] | None = None, *,
                 tokens: dict[str, str] | None = None, team_url: str = "https://standin-team.slack.com/",
                 bot_user_id: str = "UBOT", host: str = "127.0.0.1") -> None:
        self.users = list(users)
        self.conversations = list(conversations)
        self.tokens = dict(tokens) if tokens is not None else {DEFAULT_TOKEN: "active"}
        self.team_url = team_url
        self.bot_user_id = bot_user_id
        self.calls: Counter[str] = Counter()
        self.log: list[Call] = []
        self.posted: list[Posted] = []  # what chat.postMessage posted, in order
        self.clock_offset_s = 0.0  # Slack's clock, for the ts of what is posted: the wall clock plus this
        self.hanging = 0  # calls waiting for release() (or the stand-in's stop) right now
        self._last_ts = 0.0
        self._faults: dict[str, deque[tuple[str, int, dict[str, Any]]]] = defaultdict(deque)
        self._messages: dict[str, _Conversation] = defaultdict(_Conversation)
        self._lock = threading.RLock()  # a handler added by a test may call post() while it answers
        self._host = host
        self.port = 0
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None
        self._released: asyncio.Event | None = None
        self.methods: dict[str, Handler] = {
            "auth.test": self._auth_test,
            "users.list": self._users_list,
            "conversations.list": self._conversations_list,
            "conversations.members": self._conversations_members,
            "conversations.history": self._conversations_history,
            "conversations.replies": self._conversations_replies,
            "conversations.open": self._conversations_open,
            "chat.postMessage": self._chat_post_message,
        }
        for conversation_id, listed in (messages or {}).items():
            self.post(conversation_id, *listed)

    # -- what a test does ---------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """What AICOS_SLACK_API_URL (and slack_sdk's `base_url`) is set to."""
        return f"http://{self._host}:{self.port}/api/"

    def add_method(self, name: str, handler: Handler) -> None:
        self.methods[name] = handler

    def post(self, conversation_id: str, *messages: dict[str, Any]) -> None:
        """Adds messages to a conversation as if they were just written (a reply has `thread_ts`); one
        with the `ts` of a message already there replaces it, as an edit does (give it `edited`)."""
        with self._lock:
            for message in messages:
                self._messages[conversation_id].add(dict(message))

    def fail(self, method: str, fault: str, *, times: int = 1, retry_after: int = 1, **fields: Any) -> None:
        """The next `times` calls of `method` fail: "ratelimited" (429 with Retry-After), "server_error"
        (500, `internal_error`), "garbage" (a body that is not JSON), "hang" (no answer until `release()`,
        then answered as usual, or until the stand-in stops), "close" (the connection is closed without
        an answer), "accept_then_hang" / "accept_then_close" (carried out, then "hang" or "close"), or
        any other word as a Slack error code (`{"ok": false, "error": ...}`, plus `fields`, e.g.
        `needed="im:read"` with "missing_scope")."""
        with self._lock:
            self._faults[method].extend([(fault, retry_after, fields)] * times)

    def release(self) -> None:
        """Lets the calls hanging now answer (as they would have; a later "hang" waits again)."""
        def release_now() -> None:
            if self._released is not None:
                self._released.set()
                self._released = asyncio.Event()

        if self._loop is not None:
            self._loop.call_soon_threadsafe(release_now)

    def requests(self, method: str) -> list[Call]:
        """The calls of one method, in order, with their parameters."""
        return [call for call in self.log if call.method == method]

    def history(self, conversation_id: str) -> list[dict[str, Any]]:
        """A conversation's top-level messages, oldest first, as kept (metadata included)."""
        with self._lock:
            return [dict(message) for message in self._messages[conversation_id].top]

    def calls_since(self, mark: int) -> Counter[str]:
        """Calls per method after `len(standin.log)` was `mark`."""
        return Counter(call.method for call in self.log[mark:])

    # -- serving --------------------------------------------------------------------------------------

    def start(self) -> SlackWebStandin:
        listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listening.bind((self._host, 0))
        self.port = listening.getsockname()[1]
        started = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(listening, started), name="slack-web-standin",
                                        daemon=True)
        self._thread.start()
        if not started.wait(10):
            raise RuntimeError("the Slack Web API stand-in did not start")
        return self

    def stop(self) -> None:
        if self._loop is not None and self._stopping is not None:
            self._loop.call_soon_threadsafe(self._stopping.set)
        if self._thread is not None:
            self._thread.join(10)
        self._thread = None

    def __enter__(self) -> SlackWebStandin:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    def _serve(self, listening: socket.socket, started: threading.Event) -> None:
        async def main() -> None:
            self._loop = asyncio.get_running_loop()
            self._stopping = asyncio.Event()
            self._released = asyncio.Event()
            app = web.Application()
            app.router.add_route("*", "/api/{method}", self._handle)
            runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=0.5)
            await runner.setup()
            await web.SockSite(runner, listening).start()
            started.set()
            await self._stopping.wait()
            await runner.cleanup()

        asyncio.run(main())

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        params: Params = dict(request.query)
        if request.method == "POST" and request.can_read_body:
            if request.content_type == "application/json":
                body = await request.json()
                params.update({k: v if isinstance(v, str) else orjson.dumps(v).decode() for k, v in body.items()})
            else:
                params.update({k: v for k, v in (await request.post()).items() if isinstance(v, str)})
        token = request.headers.get("Authorization", "").removeprefix("Bearer ").strip() or params.pop("token", "")
        params.pop("token", None)
        self.calls[method] += 1
        with self._lock:
            fault = self._faults[method].popleft() if self._faults.get(method) else None
        call = Call(method, time.monotonic(), params, 0, time.time())
        position = len(self.log)
        self.log.append(call)
        answer: web.Response | None
        if fault is not None and fault[0] in AFTER_ANSWER_FAULTS:
            answer = self._answer(method, token, params, None)
            if fault[0] == "accept_then_close" or not await self._hang():
                answer = self._abort(request)
        elif fault is not None and fault[0] in FAULTS:
            answer = await self._fault(request, fault[0], fault[1], lambda: self._answer(method, token, params, None))
        else:
            answer = self._answer(method, token, params, fault)
        self.log[position] = replace(call, status=answer.status if answer else 0)
        return answer or web.Response()  # after an abort nothing is sent: the client sees the connection close

    async def _fault(self, request: web.Request, fault: str, retry_after: int,
                     answer: Callable[[], web.Response]) -> web.Response | None:
        if fault == "ratelimited":
            return self._json({"ok": False, "error": "ratelimited"}, status=429,
                              headers={"Retry-After": str(retry_after)})
        if fault == "server_error":
            return self._json({"ok": False, "error": "internal_error"}, status=500)
        if fault == "garbage":
            return web.Response(text="<html><body><h1>502 Bad Gateway</h1></body></html>",
                                content_type="text/html", status=200)
        if fault == "hang" and await self._hang():
            return answer()  # released: answered as it would have been
        return self._abort(request)

    async def _hang(self) -> bool:
        """Waits for release() (true) or the stand-in's stop (false)."""
        assert self._stopping is not None and self._released is not None
        released, stopping = asyncio.ensure_future(self._released.wait()), asyncio.ensure_future(self._stopping.wait())
        self.hanging += 1
        try:
            await asyncio.wait((released, stopping), return_when=asyncio.FIRST_COMPLETED)
        finally:
            self.hanging -= 1
            released.cancel()
            stopping.cancel()
        return not self._stopping.is_set()

    @staticmethod
    def _abort(request: web.Request) -> None:
        if request.transport is not None:
            request.transport.abort()
        return None

    def _answer(self, method: str, token: str, params: Params,
                error: tuple[str, int, dict[str, Any]] | None) -> web.Response:
        handler = self.methods.get(method)
        if handler is None:
            return self._json({"ok": False, "error": "unknown_method", "req_method": method}, status=404)
        if not token:
            return self._json({"ok": False, "error": "not_authed"})
        if token not in self.tokens:
            return self._json({"ok": False, "error": "invalid_auth"})
        if refused := TOKEN_STATES.get(self.tokens[token]):
            return self._json({"ok": False, "error": refused})
        if error is not None:
            return self._json({"ok": False, "error": error[0], **error[2]})
        try:
            with self._lock:
                return self._json({"ok": True, **handler(params)})
        except SlackError as refusal:
            return self._json({"ok": False, "error": refusal.code})

    @staticmethod
    def _json(body: dict[str, Any], status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
        return web.Response(body=orjson.dumps(body), status=status, headers=headers,
                            content_type="application/json", charset="utf-8")

    # -- the methods ------------------------------------------------------------------------------------

    def _auth_test(self, params: Params) -> dict[str, Any]:
        return {"url": self.team_url, "team": "Stand-in Team", "user": "aicos", "team_id": "TSTANDIN",
                "user_id": self.bot_user_id, "bot_id": "BSTANDIN", "is_enterprise_install": False}

    def _users_list(self, params: Params) -> dict[str, Any]:
        members, next_cursor = _page(self.users, params, 1000, 1000)
        return {"members": members, "cache_ts": int(time.time()), "response_metadata": {"next_cursor": next_cursor}}

    def _conversation(self, params: Params) -> dict[str, Any]:
        channel = params.get("channel")
        for conversation in self.conversations:
            if conversation["id"] == channel:
                return conversation
        raise SlackError("channel_not_found")

    def _conversations_list(self, params: Params) -> dict[str, Any]:
        types = {t.strip() for t in (params.get("types") or "public_channel").split(",") if t.strip()}
        if types - {"public_channel", "private_channel", "mpim", "im"}:
            raise SlackError("invalid_types")
        archived_too = params.get("exclude_archived", "false").lower() not in ("true", "1")
        listed = [{k: v for k, v in c.items() if k != "members"} for c in self.conversations
                  if _kind(c) in types and (archived_too or not c.get("is_archived"))]
        channels, next_cursor = _page(listed, params, 100, 1000)
        return {"channels": channels, "response_metadata": {"next_cursor": next_cursor}}

    def _conversations_members(self, params: Params) -> dict[str, Any]:
        conversation = self._conversation(params)
        members, next_cursor = _page(list(conversation.get("members") or []), params, 100, 1000)
        return {"members": members, "response_metadata": {"next_cursor": next_cursor}}

    @staticmethod
    def _bounds(params: Params) -> tuple[float, float, bool]:
        try:
            oldest = float(params.get("oldest") or 0)
            latest = float(params.get("latest") or time.time() + 1e9)
        except ValueError:
            raise SlackError("invalid_ts_oldest") from None
        return oldest, latest, params.get("inclusive", "").lower() in ("true", "1")

    def _conversations_history(self, params: Params) -> dict[str, Any]:
        self._conversation(params)
        messages = self._messages[params["channel"]]
        oldest, latest, inclusive = self._bounds(params)
        if params.get("cursor"):
            latest, inclusive = float(_from_cursor(params["cursor"], "next_ts")), True
        low = (bisect.bisect_left if inclusive else bisect.bisect_right)(messages.top_keys, oldest)
        high = (bisect.bisect_right if inclusive else bisect.bisect_left)(messages.top_keys, latest)
        limit = _limit(params, 100, 999)
        start = max(low, high - limit)
        page = [messages.as_listed(m) for m in reversed(messages.top[start:high])]  # newest first
        if params.get("include_all_metadata", "").lower() not in ("true", "1"):
            page = [{k: v for k, v in m.items() if k != "metadata"} for m in page]
        has_more = start > low
        next_cursor = _cursor("next_ts", messages.top[start - 1]["ts"]) if has_more else ""
        return {"messages": page, "has_more": has_more, "pin_count": 0,
                "response_metadata": {"next_cursor": next_cursor}}

    def _conversations_replies(self, params: Params) -> dict[str, Any]:
        self._conversation(params)
        messages = self._messages[params["channel"]]
        parent = messages.find(params.get("ts") or "")
        if parent is None:
            raise SlackError("thread_not_found")
        oldest, latest, inclusive = self._bounds(params)
        replies = messages.replies.get(parent["ts"], [])
        chosen = [r for r in replies if (oldest <= float(r["ts"]) <= latest if inclusive
                                         else oldest < float(r["ts"]) < latest)]
        start = int(_from_cursor(params["cursor"], "offset")) if params.get("cursor") else 0
        end = start + _limit(params, 1000, 1000)
        page = [messages.as_listed(parent), *({"type": "message", **r} for r in chosen[start:end])]
        has_more = end < len(chosen)
        return {"messages": page, "has_more": has_more,
                "response_metadata": {"next_cursor": _cursor("offset", end) if has_more else ""}}


    def _conversations_open(self, params: Params) -> dict[str, Any]:
        """The DM with one user (a group DM with several is not served here)."""
        users = [u.strip() for u in (params.get("users") or "").split(",") if u.strip()]
        if params.get("channel"):
            return {"no_op": True, "already_open": True, "channel": {"id": self._conversation(params)["id"]}}
        if len(users) != 1:
            raise SlackError("users_list_not_supplied" if not users else "not_supported")
        return {"no_op": True, "already_open": True, "channel": {"id": self._dm_with(users[0])["id"]}}

    def _dm_with(self, user_id: str) -> dict[str, Any]:
        """The bot's DM with a user, opened when it is not yet (as Slack does)."""
        if self.users and user_id not in {u.get("id") for u in self.users}:
            raise SlackError("user_not_found")
        if user_id[:1] not in ("U", "W"):
            raise SlackError("user_not_found")
        for conversation in self.conversations:
            if conversation.get("is_im") and conversation.get("user") == user_id:
                return conversation
        dm = {"id": "D" + user_id[1:], "is_im": True, "user": user_id, "members": [self.bot_user_id, user_id],
              "created": int(time.time())}
        self.conversations.append(dm)
        return dm

    def _channel_to_post(self, to: str) -> str:
        if to.startswith(("U", "W")):
            return str(self._dm_with(to)["id"])
        name = to.removeprefix("#")
        for conversation in self.conversations:
            if conversation["id"] == to or (to.startswith("#") and conversation.get("name") == name):
                if conversation.get("is_archived"):
                    raise SlackError("is_archived")
                return str(conversation["id"])
        raise SlackError("channel_not_found")

    def _next_ts(self) -> str:
        """Slack's ts for a new message: its clock, unique and increasing within the stand-in."""
        self._last_ts = max(time.time() + self.clock_offset_s, self._last_ts + 0.000001)
        return f"{self._last_ts:.6f}"

    def _chat_post_message(self, params: Params) -> dict[str, Any]:
        to = params.get("channel") or ""
        if not to:
            raise SlackError("channel_not_found")
        channel = self._channel_to_post(to)
        text, blocks, metadata = params.get("text"), params.get("blocks"), params.get("metadata")
        if not text and not blocks:
            raise SlackError("no_text")
        message: dict[str, Any] = {"type": "message", "user": self.bot_user_id, "bot_id": "BSTANDIN",
                                   "text": text or "", "ts": ""}
        try:
            if blocks:
                message["blocks"] = orjson.loads(blocks)
        except orjson.JSONDecodeError:
            raise SlackError("invalid_blocks") from None
        if metadata:
            try:
                parsed = orjson.loads(metadata)
            except orjson.JSONDecodeError:
                raise SlackError("invalid_metadata_format") from None
            if not isinstance(parsed, dict) or not parsed.get("event_type") or \
                    not isinstance(parsed.get("event_payload"), dict):
                raise SlackError("invalid_metadata_format")
            message["metadata"] = {"event_type": parsed["event_type"], "event_payload": parsed["event_payload"]}
        message["ts"] = self._next_ts()
        self._messages[channel].add(message)
        self.posted.append(Posted(to, channel, message))
        return {"channel": channel, "ts": message["ts"], "message": dict(message)}


@pytest.fixture
def slack_web() -> Iterator[SlackWebStandin]:
    """An empty stand-in workspace, serving; fill it with `standin.users`, `.conversations`, `.post()`."""
    with SlackWebStandin() as standin:
        yield standin
