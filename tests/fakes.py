"""Fakes of the ports, for unit and contract tests. Each passes its port's contract suite."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone
from typing import Any

from src.application.ports import ProgressReport
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

    async def delete_records(self, native_ids: list[str], source: str) -> int:
        gone = {(source, native_id) for native_id in native_ids}
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
