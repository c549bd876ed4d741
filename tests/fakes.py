"""Fakes of the ports, for unit and contract tests. Each passes its port's contract suite."""

from __future__ import annotations

import asyncio
import json as json_module
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

from src.adapters.outbound.json_schema_check import check
from src.application.ports import LanguageModelError, ProgressReport
from src.domain.items import ConversationKind, Item, ItemKind, Message, Person
from src.domain.search import IndexOutcome, SearchHit, SearchPage
from src.domain.state import DashboardState


class FixedClock:
    """A clock that moves only when told to."""

    def __init__(self, now: datetime | None = None) -> None:
        self._now = now or datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)

    def now(self) -> datetime:
        return self._now

    def advance(self, **delta: float) -> None:
        self._now += timedelta(**delta)

    def set(self, now: datetime) -> None:
        self._now = now


class RecordingBroadcaster:
    """Keeps every state it would deliver, in order; never delivers an older version after a newer."""

    def __init__(self) -> None:
        self.delivered: list[DashboardState] = []

    async def publish(self, state: DashboardState) -> None:
        if self.delivered:
            last = self.delivered[-1].meta
            if last.epoch == state.meta.epoch and last.version >= state.meta.version:
                return
        self.delivered.append(state)

    @property
    def versions(self) -> list[int]:
        return [state.meta.version for state in self.delivered]


class FakeSearchIndex:
    """Records in a list; a record matches when it holds every word of the query (case-insensitive)."""

    def __init__(self, records: list[dict[str, Any]] | None = None) -> None:
        self.records = records or []
        self.queries: list[str] = []

    async def search(self, query: str, *, source: str | None = None, since: str | None = None,
                     until: str | None = None, limit: int = 20, offset: int = 0) -> SearchPage:
        self.queries.append(query)
        words = [w.strip('"*()-:').lower() for w in query.split()]
        words = [w for w in words if w]
        hits = [
            SearchHit(id=r["id"], source=r["source"], date=r.get("date"), snippet=r["content"][:120],
                      score=1.0, metadata=r.get("metadata", {}))
            for r in self.records
            if words and all(w in r["content"].lower() for w in words)
            and (source is None or r["source"] == source)
            and (since is None or (r.get("date") or "") >= since)
            and (until is None or (r.get("date") or "") <= until + "T99")
        ]
        return SearchPage(query=query, hits=tuple(hits[offset:offset + limit]), took_ms=0.0)

    async def stats(self) -> dict[str, Any]:
        by_source: dict[str, int] = {}
        for record in self.records:
            by_source[record["source"]] = by_source.get(record["source"], 0) + 1
        return {"total": len(self.records), "by_source": by_source}

    async def add_records(self, records: list[dict[str, Any]], source: str) -> IndexOutcome:
        failures = []
        for position, record in enumerate(records):
            text = next((record[k] for k in ("text", "summary", "name", "title", "real_name", "content")
                         if isinstance(record, dict) and isinstance(record.get(k), str) and record[k].strip()), None)
            if text is None:
                failures.append({"index": position, "reason": "no searchable text"})
                continue
            if record.get("conversation_id") and record.get("ts"):  # a Slack message: by conversation and ts
                native = f"{record['conversation_id']}/{record['ts']}"
            else:
                native = record.get("client_msg_id") or record.get("id") or record.get("ts") or text
            self.records = [r for r in self.records if (r["source"], r.get("native")) != (source, native)]
            self.records.append({"id": f"{source}:{native}", "native": native, "source": source, "content": text,
                                 "date": record.get("date"), "metadata": record})
        return IndexOutcome(len(records) - len(failures), len(failures), tuple(failures))

    async def remove_records(self, source: str, native_ids) -> int:
        gone = {(source, native) for native in native_ids}
        kept = [r for r in self.records if (r["source"], r.get("native")) not in gone]
        removed, self.records = len(self.records) - len(kept), kept
        return removed


class FakeCollector:
    """Reports `steps` progress steps, `delay` seconds apart; fails with `fail_with` after them if given."""

    def __init__(self, name: str = "fake", steps: int = 4, delay: float = 0.0,
                 fail_with: Exception | None = None) -> None:
        self.name = name
        self.steps = steps
        self.delay = delay
        self.fail_with = fail_with
        self.runs: list[str] = []
        self.started = asyncio.Event()

    async def collect(self, mode: str, report: ProgressReport) -> None:
        self.runs.append(mode)
        self.started.set()
        for step in range(1, self.steps + 1):
            await asyncio.sleep(self.delay)
            await report(step / self.steps, f"{self.name}: step {step} of {self.steps}")
        if self.fail_with is not None:
            raise self.fail_with


class FakeReader:
    """A MessageReader of literal rules: "I'll"/"will do" is a promise, "can you"/"please" an ask, a
    channel message counts only when it names the person, and only "today"/"tomorrow" are due dates."""

    PROMISE = ("i'll", "i will", "will do", "on it")
    ASK = ("can you", "could you", "please")

    def read_many(self, messages, person: Person) -> list[Item | None]:
        return [self.read(message, person) for message in messages]

    def read(self, message: Message, person: Person) -> Item | None:
        text = message.text.lower()
        if message.is_bot or "@channel" in text or "@here" in text or " be out" in text:
            return None
        mine = person.is_me(message.author)
        if not mine and message.conversation_kind != ConversationKind.DM and not any(map(person.is_me, message.to)):
            return None
        promise, ask = any(w in text for w in self.PROMISE), any(w in text for w in self.ASK)
        if not (promise or ask):
            return None
        asked = next((m for m in reversed(message.thread) if not person.is_me(m.author)), None)
        if mine:
            kind = ItemKind.PROMISE_BY_ME if promise else ItemKind.ASK_BY_ME
            counterparty = message.to[0] if message.to else (asked.author if asked else None)
        else:
            kind = ItemKind.PROMISE_TO_ME if promise else ItemKind.ASK_TO_ME
            counterparty = message.author
        local_day = message.sent_at.astimezone(person.zone).date()
        due = local_day + timedelta(days=1) if "tomorrow" in text else local_day if "today" in text else None
        return Item(message_id=message.id, kind=kind, text=message.text, counterparty=counterparty, due_date=due,
                    confidence=0.9, conversation=message.conversation,
                    accepts=asked.id if promise and mine and asked and not message.to else None)


class FakeLanguageModel:
    """A LanguageModel answering from a script: `text` and `json` (values, or functions of the data
    sent). `failure` makes every call fail with that reason; `delay` beyond `timeout` fails as a
    slow model does. A `json` given as a string is parsed, so nonsense fails as a real model's would."""

    def __init__(self, *, text: Any = "A short paragraph.", json: Any = None, failure: str | None = None,
                 delay: float = 0.0, timeout: float = 10.0, name: str = "fake-model") -> None:
        self.name = name
        self.text, self.json, self.failure = text, json, failure
        self.delay, self.timeout = delay, timeout
        self.calls: list[tuple[str, Any]] = []  # (instructions, data) of each call

    async def answer(self, instructions: str, data: Any) -> str:
        text = str(await self._answer(self.text, instructions, data)).strip()
        if not text:
            raise LanguageModelError(f"the language model {self.name} gave an empty answer")
        return text

    async def answer_json(self, instructions: str, data: Any, schema: Mapping[str, Any]) -> Any:
        value = await self._answer(self.json, instructions, data)
        try:
            value = json_module.loads(value) if isinstance(value, str) else value
            check(value, schema)
        except ValueError as error:
            raise LanguageModelError(f"the language model {self.name} answered off the schema ({error})") from None
        return value

    async def _answer(self, scripted: Any | Callable[[Any], Any], instructions: str, data: Any) -> Any:
        self.calls.append((instructions, data))
        try:
            await asyncio.wait_for(asyncio.sleep(self.delay), self.timeout)
        except asyncio.TimeoutError:
            raise LanguageModelError(f"the language model {self.name} gave no answer within {self.timeout:g} s") from None
        if self.failure is not None:
            raise LanguageModelError(f"the language model {self.name} {self.failure}")
        return scripted(data) if callable(scripted) else scripted


class FixedBriefWriter:
    """A BriefWriter that always writes the same paragraph, as the built-in writer would."""

    def __init__(self, text: str = "Built-in summary.") -> None:
        self.text = text
        self.calls = 0

    async def summary(self, brief) -> Any:
        from src.application.ports import WrittenSummary

        self.calls += 1
        return WrittenSummary(self.text, "built-in")


class FakeSecondReading:
    """A SecondReading from a table: a message with no item or an item under 0.7 confidence whose id
    is in `answers` gets that kind (an ask or promise to the person from its author), or None."""

    def __init__(self, answers: dict[str, ItemKind | None] | None = None, *, fail: bool = False) -> None:
        self.answers = answers or {}
        self.fail = fail
        self.calls = 0
        self.given: list[list[str]] = []  # the ids of the messages of each call

    async def reread(self, messages, readings, person: Person) -> list[Item | None]:
        self.calls += 1
        self.given.append([message.id for message in messages])
        result = list(readings)
        if self.fail:
            return result  # a reading that fails keeps the first readings, as the port says
        for index, (message, reading) in enumerate(zip(messages, readings)):
            if message.id in self.answers and (reading is None or reading.confidence < 0.7):
                kind = self.answers[message.id]
                result[index] = None if kind is None else Item(
                    message_id=message.id, kind=kind, text=message.text, counterparty=message.author,
                    due_date=None, confidence=0.6, conversation=message.conversation)
        return result
class FakeSlackPoster:
    """Answers as Slack would in `mode` (the stand-in's modes); `then(*modes)` for the next posts.
    `posts` keeps what was posted (channel and message), `calls` every attempt, `lookups` every
    `find_post`. "accept_then_hang" / "accept_then_close" post, then answer as a lost answer does
    (`timeout`, `unreachable`); `lookup_error` set makes `find_post` fail with it. `clock` is
    Slack's (the time a post is kept with, for `since`)."""

    def __init__(self, mode: str = "ok", retry_after_s: float = 2.0, clock=None) -> None:
        self.mode = mode
        self.retry_after_s = retry_after_s
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.posts: list[tuple[str, dict[str, Any]]] = []
        self.lookups: list[tuple[str, str]] = []
        self.lookup_error: str | None = None
        self._keyed: list[tuple[str, str, datetime]] = []  # channel, key, when posted
        self._next: list[str] = []

    def then(self, *modes: str) -> None:
        self._next.extend(modes)

    async def post(self, channel: str, message: dict[str, Any], key: str):
        from src.application.ports import PostAnswer

        mode = self._next.pop(0) if self._next else self.mode
        self.calls.append((channel, message))
        if mode in ("ok", "accept_then_hang", "accept_then_close"):
            self.posts.append((channel, message))
            self._keyed.append((channel, key, self.clock()))
        if mode == "ok":
            return PostAnswer(True)
        if mode in ("hang", "accept_then_hang"):  # what the real client makes of a Slack that does not answer in time
            return PostAnswer(False, "timeout")
        if mode == "accept_then_close":
            return PostAnswer(False, "unreachable")
        if mode == "ratelimited":
            return PostAnswer(False, "ratelimited", self.retry_after_s)
        return PostAnswer(False, "internal_error" if mode in ("fail", "server_error") else mode)

    async def find_post(self, channel: str, key: str, since: datetime):
        from src.application.ports import PostLookup

        self.lookups.append((channel, key))
        if self.lookup_error is not None:
            return PostLookup(False, self.lookup_error)
        earliest = since - timedelta(minutes=5)  # as the adapter: the clocks may differ a little
        return PostLookup(any(c == channel and k == key and at >= earliest for c, k, at in self._keyed))


class FakeCalendarFeed:
    """A calendar feed (src/adapters/outbound/calendar_feeds.py) holding documents in memory:
    `documents` {name: iCalendar text}; `failing` makes it answer its last good documents with a failure."""

    def __init__(self, feed_id: str = "fake", documents: dict[str, str] | None = None) -> None:
        self.id = feed_id
        self.shown = f"calendar {feed_id}"
        self.documents = dict(documents or {})
        self.failing: str | None = None
        self._last_good: dict[str, str] = {}

    async def read(self):
        from src.adapters.outbound.calendar_feeds import CalendarBody, FeedRead

        read = FeedRead(self.id)
        if self.failing:
            read.failures.append(f"{self.id}: {self.failing}")
            documents = self._last_good
        else:
            documents = self._last_good = dict(self.documents)
            read.fetched = len(documents)
        read.bodies = [CalendarBody(f"{self.id}:{name}", name, text.encode()) for name, text in documents.items()]
        return read
