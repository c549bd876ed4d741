"""The brief benchmark: meeting and daily briefs over the search benchmark's corpus.

    python -m bench.brief_bench [--records 340000] [--meetings 60] [--dailies 30]   # or: python -m bench.run brief

The corpus (bench/corpus.py: 340,000 records over two years, Slack, calendar, Drive, roster) is
indexed into a fresh SQLite file, and its Slack messages put in a conversation store (SQLite, as the
service keeps them: the briefs read the threads and DM exchanges of what the search finds from it);
"now" is the end of its span, so the last 30 days hold about 14,000 messages, as a busy workspace's do. The people directory knows the corpus's 400 users (Slack
id and email). A board of 20 meetings today (titles drawn from the corpus's words, three attendees
each), 200 asks and 200 commitments with those users as counterparties. Then `BuildBrief.meeting`
for each meeting in turn (each a cold query mix of its own words and people), and `BuildBrief.daily`
repeatedly, each timed end to end through the real `SqliteSearchIndex` and `SqliteConversations`; the
meeting briefs again without the store (`brief_meeting_search_only`: what the thread expansion costs,
under the same load). Targets: meeting p95 < 150 ms, daily p95 < 300 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from bench.corpus import SPAN_SECONDS, START_EPOCH, Corpus
from bench.loadgen import percentile

TARGETS_MS = {"meeting": 150.0, "daily": 300.0}


class _Clock:
    def __init__(self, now: datetime) -> None:
        self.moment = now

    def now(self) -> datetime:
        return self.moment


def _board(corpus: Corpus, now: datetime, rng: random.Random):
    from src.domain.board import CalendarDraft, replace_calendar
    from src.domain.derivation import DerivedItem, apply_derived
    from src.domain.items import ItemKind
    from src.domain.state import DashboardState, Origin

    today = now.date().isoformat()
    drafts = []
    for n in range(20):
        start = now.replace(hour=8 + n // 2, minute=30 * (n % 2), second=0, microsecond=0) + timedelta(days=0)
        title = " ".join(rng.sample(corpus.words[:2_000], rng.randint(2, 4)))
        drafts.append(CalendarDraft(title, date=today, time=start.strftime("%H:%M"), start=start.isoformat(),
                                    attendees=[f"{u}@example.com" for u in rng.sample(corpus.users, 3)],
                                    key=f"bench-{n}@x@{start.isoformat()}"))
    state = replace_calendar(DashboardState.initial(now), drafts, now)
    kinds = [ItemKind.ASK_TO_ME] * 2 + [ItemKind.PROMISE_BY_ME, ItemKind.PROMISE_TO_ME]
    items = []
    for n in range(400):
        user = rng.choice(corpus.users)
        text = corpus.sentence(4, 12)
        due = (now + timedelta(days=rng.randint(-5, 10))).date().isoformat() if rng.random() < 0.7 else None
        items.append(DerivedItem(key=f"slack:B/{n}", kind=kinds[n % 4], text=text, counterparty=user.title(),
                                 counterparty_email=f"{user}@example.com", due_date=due, confidence=0.8,
                                 origin=Origin("slack", f"B/{n}", user.title(), now.isoformat(), text[:200])))
    return apply_derived(state, items, now)


async def _measure(db_path: Path, store_path: Path, corpus: Corpus, meetings: int, dailies: int) -> list[dict]:
    from src.adapters.outbound.brief_log import InMemoryBriefLog
    from src.adapters.outbound.sqlite_conversations import SqliteConversations
    from src.adapters.outbound.builtin_brief_writer import BuiltinBriefWriter
    from src.adapters.outbound.memory_state import InMemoryStateRepository
    from src.adapters.outbound.people_directory import InMemoryPeopleDirectory
    from src.adapters.outbound.sqlite_search import SqliteSearchIndex
    from src.application.use_cases.build_brief import BuildBrief
    from src.domain.people import Sighting
    from src.search.database import SearchDatabase

    now = datetime.fromtimestamp(START_EPOCH + SPAN_SECONDS, timezone.utc).replace(hour=7, minute=0)
    clock = _Clock(now)
    database = SearchDatabase(db_path, read_only=True)
    people = InMemoryPeopleDirectory(["alex0@example.com"])
    await people.add_people([Sighting.of("slack", emails=[f"{u}@example.com"], slack_ids=[f"U{n:05d}"],
                                         name=u.title(), handles=[u]) for n, u in enumerate(corpus.users)])
    state = _board(corpus, now, random.Random(3))
    repository = InMemoryStateRepository(clock, state)
    store = SqliteConversations(store_path)
    search = SqliteSearchIndex(database)
    build = BuildBrief(search, people, clock, repository, BuiltinBriefWriter(), InMemoryBriefLog(), conversations=store)
    search_only = BuildBrief(search, people, clock, repository, BuiltinBriefWriter(), InMemoryBriefLog())
    rows = []
    try:
        await build.meeting("C1", state)  # first use: connections opened, people merged
        codes = [item.id for item in state.calendar]
        for scenario, builder in (("brief_meeting", build), ("brief_meeting_search_only", search_only)):
            # CPU time of the whole process (its search threads too) beside wall time: on a shared
            # machine the wall time says how busy it was, the CPU time what a brief costs.
            timings, cited, cpu = [], [], time.process_time()
            for n in range(meetings):
                started = time.perf_counter_ns()
                brief = await builder.meeting(codes[n % len(codes)], state)
                timings.append(time.perf_counter_ns() - started)
                cited.append(len(brief.sources) if brief else 0)
            rows.append({"scenario": scenario, "runs": meetings, **_latency(timings),
                         "cpu_ms_mean": round((time.process_time() - cpu) * 1000 / meetings, 1),
                         "target_p95_ms": TARGETS_MS["meeting"], "mean_sources": round(sum(cited) / len(cited), 1)})
        timings, cpu = [], time.process_time()
        for _ in range(dailies):
            started = time.perf_counter_ns()
            await build.daily(state)
            timings.append(time.perf_counter_ns() - started)
        rows.append({"scenario": "brief_daily", "runs": dailies, **_latency(timings),
                     "cpu_ms_mean": round((time.process_time() - cpu) * 1000 / dailies, 1),
                     "target_p95_ms": TARGETS_MS["daily"], "board_items": len(state.priorities) + len(state.commitments)})
    finally:
        database.close()
        store.close()
    return rows


def _latency(timings_ns: list[int]) -> dict:
    ordered = sorted(timings_ns)
    return {"p50_ms": round(percentile(ordered, 0.5) / 1e6, 1), "p95_ms": round(percentile(ordered, 0.95) / 1e6, 1),
            "max_ms": round(ordered[-1] / 1e6, 1)}


def _as_collected(messages: list[dict]) -> list[dict]:
    """The corpus's messages as the Slack collectors index them: who wrote it, where, by id."""
    for message in messages:
        channel = message["channel_name"]
        message.update(user_name=message["user"].title(), author=message["user"].title(), conversation=channel,
                       conversation_kind="channel", conversation_id="C" + channel.rsplit("-", 1)[-1].zfill(5))
    return messages


def _index(db_path: Path, records: int, seed: int) -> tuple[int, float]:
    from src.search.database import SearchDatabase

    database = SearchDatabase(db_path)
    started = time.perf_counter()
    indexed = sum(database.index_records_batch(_as_collected(items) if source == "slack" else items, source).indexed
                  for source, items in Corpus(records, seed).by_source())
    database.close()
    return indexed, time.perf_counter() - started


def _store(store_path: Path, records: int, seed: int) -> float:
    """The corpus's Slack messages in a conversation store, as the collectors leave them."""
    from src.adapters.outbound.sqlite_conversations import SqliteConversations
    from src.domain.conversations import ChatMessage, Conversation, WorkspaceUser

    started = time.perf_counter()
    corpus = Corpus(records, seed)
    messages = next(items for source, items in corpus.by_source() if source == "slack")
    by_conversation: dict[str, list[ChatMessage]] = {}
    for message in _as_collected(messages):
        by_conversation.setdefault(message["conversation_id"], []).append(ChatMessage(
            message["ts"], message["user"], message["author"], message["text"], message.get("thread_ts")))
    store = SqliteConversations(store_path)
    asyncio.run(store.put_users([WorkspaceUser(u, u.title(), f"{u}@example.com", (u,)) for u in corpus.users]))
    for channel in corpus.channels:
        conversation_id = "C" + channel.rsplit("-", 1)[-1].zfill(5)
        asyncio.run(store.put_conversation(Conversation(conversation_id, channel, "channel", (), ())))
    for conversation_id, chats in by_conversation.items():
        store.put_messages_now(conversation_id, chats)
    store.close()
    return time.perf_counter() - started


def scenario_brief(records: int = 340_000, seed: int = 7, meetings: int = 60, dailies: int = 30,
                   keep: Path | None = None) -> list[dict]:
    """`keep`: an index file to build once and reuse (for repeated runs while working on briefs)."""
    with tempfile.TemporaryDirectory() as folder:
        db_path = keep or Path(folder) / "search.db"
        store_path = db_path.with_name(db_path.stem + "-conversations.db")
        if keep is not None and keep.exists():
            indexed, built = -1, 0.0  # reused as it was built
        else:
            indexed, built = _index(db_path, records, seed)
        if keep is None or not store_path.exists():
            _store(store_path, records, seed)
        rows = asyncio.run(_measure(db_path, store_path, Corpus(records, seed), meetings, dailies))
    return [{**row, "records": indexed if indexed >= 0 else records, "index_built_s": round(built, 1)} for row in rows]


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.brief_bench", description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=340_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--meetings", type=int, default=60)
    parser.add_argument("--dailies", type=int, default=30)
    parser.add_argument("--keep", type=Path, help="an index file to build once and reuse across runs (the "
                                                  "conversation store beside it: <name>-conversations.db)")
    args = parser.parse_args()
    failed = False
    for row in scenario_brief(args.records, args.seed, args.meetings, args.dailies, args.keep):
        print(json.dumps(row), flush=True)
        failed |= row["p95_ms"] >= row["target_p95_ms"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
