"""A `Collector` for Slack through its Web API (`slack_api`): the users, the conversations the bot is
in, their history and thread replies, into the ConversationStore, the search index and the people
directory, in the shapes the export collector gives them (one row per message whichever way it came).

Where each conversation's backfill stopped (its newest `ts` fetched) is kept in the store, so a
`quick` asks only for what is new: one `conversations.history` call per conversation from a week
before that cursor (thread parents there carry `latest_reply`, which is how a new reply to a recent
thread is seen), and `conversations.replies` only for threads whose latest reply is past the cursor.
A `full` reads every conversation from its start again. Deletions are not seen by a backfill (the
message is simply absent); live events carry them.

A refused token, or a Web API that hangs, closes the connection or answers garbage, ends the run in
ERROR naming `slack_api`; what was collected before stays, and a conversation's cursor moves only
once all its messages are written, so the next run picks up what this one missed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from src.adapters.outbound.people_sources import slack_user_people
from src.adapters.outbound.slack_messages import (
    MEMBERSHIP_NOTICES,
    Authors,
    IndexedConversation,
    chat_message,
    indexed_conversation,
    read_authors,
    search_record,
    workspace_users,
)
from src.adapters.outbound.slack_web_api import SlackRefusal, SlackWebApi
from src.application.collector_hooks import CollectorHooks
from src.application.ports import CollectionOutcome, ConversationStore, ProgressReport
from src.domain.conversations import Conversation

NAME = "slack_api"
HISTORY_PAGE = 999  # conversations.history's largest page
LIST_PAGE = 999  # users.list, conversations.list, .members, .replies: "a max value of 999"
LOOKBACK_S = 7 * 86400  # how far before a conversation's cursor a quick looks for threads with new replies
INDEX_BATCH = 10_000  # records handed to the index at once (one transaction each)
THREADS_AT_ONCE = 8  # conversations.replies calls in flight together
CONVERSATION_TYPES = "public_channel,private_channel,mpim,im"
# "<@U1> has joined" (nobody reads or searches it), and the "This message was deleted." a thread's
# parent leaves behind (Slack marks it `hidden`).
SKIPPED_SUBTYPES = MEMBERSHIP_NOTICES | {"tombstone"}
# A conversation the bot cannot read (left, archived meanwhile): said, skipped, the others read.
UNREADABLE = frozenset({"not_in_channel", "channel_not_found", "missing_scope", "is_archived", "access_denied"})
_KINDS = (("is_im", "dm"), ("is_mpim", "group_dm"), ("is_private", "private_channel"), ("is_group", "private_channel"))


def _kind(conversation: dict[str, Any]) -> str:
    return next((kind for flag, kind in _KINDS if conversation.get(flag)), "channel")


def _ts(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def _is_news(message: dict[str, Any], cursor: float | None) -> bool:
    """Written or edited after the cursor (everything is news without one)."""
    edited = message.get("edited")
    return (cursor is None or _ts(message.get("ts")) > cursor
            or (isinstance(edited, dict) and _ts(edited.get("ts")) > cursor))


@dataclass
class _Tally:
    messages: int = 0
    replies: int = 0
    conversations: int = 0
    skipped: list[str] = field(default_factory=list)

    def summary(self) -> str:
        def counted(count: int, one: str, many: str) -> str:
            return f"{count:,} {one if count == 1 else many}"

        return (f"{counted(self.messages, 'message', 'messages')} and "
                f"{counted(self.replies, 'thread reply', 'thread replies')} from "
                f"{counted(self.conversations, 'conversation', 'conversations')}")


@dataclass(frozen=True, slots=True)
class _Team:
    me: str | None  # the token's own user id (the bot's)
    url: str | None  # "https://acme.slack.com/": the base of permalinks
    people: Authors  # names and bots by user id, as the export collector reads them


@dataclass(frozen=True, slots=True)
class _Target:
    """A conversation to backfill: as the store keeps it, and as index records name it."""

    stored: Conversation
    indexed: IndexedConversation


class SlackBackfillCollector:
    name = NAME

    def __init__(self, token: str, store: ConversationStore, hooks: CollectorHooks, *, base_url: str | None = None,
                 timeout_s: float = 30, history_page: int = HISTORY_PAGE, lookback_s: float = LOOKBACK_S) -> None:
        self._token = token
        self._store = store
        self._hooks = hooks
        self._base_url = base_url
        self._timeout_s = timeout_s
        self._history_page = history_page
        self._lookback_s = lookback_s
        # Members never change for a DM or group DM, rarely for a channel: asked once per process
        # (and on every full), not on every quick.
        self._members: dict[str, tuple[str, ...]] = {}

    async def collect(self, mode: str, report: ProgressReport) -> CollectionOutcome:
        await report(0.0, f"{NAME}: asking Slack who and what the bot can read")
        tally = _Tally()
        async with SlackWebApi(self._token, self._base_url, self._timeout_s) as api:
            team = await self._team(api)
            conversations = await self._conversations(api)
            await report(0.05, f"{NAME}: {len(conversations)} conversations to read")
            writer = _Writer(self._store, self._hooks, team.people)
            try:
                for done, raw in enumerate(conversations):
                    async def progress(at: float = 0.05 + 0.95 * done / len(conversations),
                                       where: str = str(raw.get("name") or raw["id"])) -> None:
                        await report(at, f"{NAME}: {tally.summary()} ({where})"[:500])

                    try:
                        target = await self._target(api, raw, team, mode)
                        await self._backfill(api, target, writer, mode, tally, progress)
                    except SlackRefusal as refusal:
                        if refusal.code not in UNREADABLE:
                            raise
                        tally.skipped.append(f"{raw.get('name') or raw['id']}: {str(refusal).partition(': ')[2]}")
                        continue
                    tally.conversations += 1
            finally:  # even when the run fails: what was fetched is indexed, finished conversations kept
                await writer.finish()
        await report(1.0, f"{NAME}: {tally.summary()}")
        return CollectionOutcome(tally.summary(), tuple(f"{NAME}: not read, {why}" for why in tally.skipped))

    async def _team(self, api: SlackWebApi) -> _Team:
        """Who the token is, the workspace's address, and its users (to the store and the people directory)."""
        identity = await api.call("auth.test")
        me, url = identity.get("user_id"), identity.get("url")
        raw_users = await api.everything("users.list", "members", limit=LIST_PAGE)
        await self._store.put_users(workspace_users(raw_users)[0])
        await self._hooks.add_people(slack_user_people(raw_users), "slack")
        return _Team(me if isinstance(me, str) else None,
                     url if isinstance(url, str) and url.startswith(("https://", "http://")) else None,
                     read_authors(raw_users))

    @staticmethod
    async def _conversations(api: SlackWebApi) -> list[dict[str, Any]]:
        """The conversations the token can read: channels it is a member of, its DMs and group DMs."""
        listed = await api.everything("conversations.list", "channels", types=CONVERSATION_TYPES,
                                      exclude_archived="true", limit=LIST_PAGE)
        return [c for c in listed if isinstance(c.get("id"), str)
                and (c.get("is_member") or c.get("is_im") or c.get("is_mpim"))]

    async def _target(self, api: SlackWebApi, raw: dict[str, Any], team: _Team, mode: str) -> _Target:
        conversation_id, kind = raw["id"], _kind(raw)
        if kind == "dm":
            members = tuple(m for m in (team.me, raw.get("user")) if isinstance(m, str))
        elif mode == "full" or conversation_id not in self._members:
            members = tuple(await api.everything("conversations.members", "members", channel=conversation_id,
                                                 limit=LIST_PAGE))
        else:
            members = self._members[conversation_id]
        self._members[conversation_id] = members
        # Stored under the name search hits give it (a DM by its people, the bot left out), as the
        # export stores it, so a live event for it later names it the same.
        indexed = indexed_conversation(conversation_id, str(raw.get("name") or conversation_id), kind, members,
                                       team.people, me=team.me, permalink_base=team.url)
        stored = Conversation(conversation_id, indexed.name, kind, members, (), permalink_base=team.url)
        await self._store.put_conversation(stored)
        return _Target(stored, indexed)

    async def _backfill(self, api: SlackWebApi, target: _Target, writer: _Writer, mode: str, tally: _Tally,
                        progress: Callable[[], Awaitable[None]]) -> None:
        conversation_id = target.stored.id
        kept = None if mode == "full" else await self._store.cursor(conversation_id)
        cursor = _ts(kept) if kept else None
        newest = cursor or 0.0
        oldest = None if cursor is None else f"{max(cursor - self._lookback_s, 0):.6f}"
        threads: list[str] = []
        async for page in api.pages("conversations.history", "messages", channel=conversation_id, oldest=oldest,
                                    limit=self._history_page):
            tally.messages += await writer.add(target, [m for m in page if _is_news(m, cursor)])
            await progress()
            newest = max([newest, *(_ts(m.get("ts")) for m in page)])
            threads += [str(m["ts"]) for m in page if m.get("reply_count") and m.get("ts")
                        and (cursor is None or _ts(m.get("latest_reply")) > cursor)]
        since = None if cursor is None else f"{cursor:.6f}"  # a quick asks a thread only for its new replies

        async def read_thread(thread: str) -> float:
            latest = 0.0
            async for page in api.pages("conversations.replies", "messages", channel=conversation_id, ts=thread,
                                        oldest=since, limit=LIST_PAGE):
                replies = [m for m in page if m.get("ts") != thread]  # the parent comes first on every page
                added = await writer.add(target, replies)  # counted after the await: other threads add too
                tally.replies += added
                latest = max([latest, *(_ts(m.get("ts")) for m in replies)])
            return latest

        newest = max([newest, *await _each(threads, read_thread, THREADS_AT_ONCE)])
        if newest and newest != cursor:
            writer.moved(conversation_id, f"{newest:.6f}")


async def _each(items: list[str], work: Callable[[str], Awaitable[float]], at_once: int) -> list[float]:
    """`work` of every item, `at_once` at a time (a thread's replies are a round trip each); the first
    failure stops the others and is raised."""
    pending = iter(items)
    results: list[float] = []

    async def worker() -> None:
        for item in pending:
            results.append(await work(item))

    workers = [asyncio.create_task(worker()) for _ in range(min(at_once, len(items)))]
    try:
        await asyncio.gather(*workers)
    finally:
        for task in workers:
            task.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
    return results


class _Writer:
    """A run's messages to the store (page by page) and to the index (in large batches, each indexed
    while the next pages are fetched). A conversation's new cursor is kept only after its records are
    indexed: a run that fails leaves the cursor where the next run must start."""

    def __init__(self, store: ConversationStore, hooks: CollectorHooks, people: Authors) -> None:
        self._store = store
        self._hooks = hooks
        self._people = people
        self._records: list[dict[str, Any]] = []
        self._cursors: list[tuple[str, str]] = []
        self._indexing: asyncio.Task[None] | None = None

    async def add(self, target: _Target, messages: Sequence[dict[str, Any]]) -> int:
        """Writes `messages`; answers how many hold something to read (joins and empty posts do not)."""
        # A page of 999 takes tens of milliseconds to convert: in a thread, the event loop (and every
        # dashboard) is not held up for that long.
        chats, records = await asyncio.to_thread(self._converted, target, messages) if len(messages) > 50 \
            else self._converted(target, messages)
        if chats:
            await self._store.put_messages(target.stored.id, chats)
        self._records += records
        if len(self._records) >= INDEX_BATCH:
            await self._flush()
        return max(len(chats), len(records))

    def _converted(self, target: _Target, messages: Sequence[dict[str, Any]]) -> tuple[list[Any], list[Any]]:
        """The messages as the store keeps them and as the index takes them (the export's shapes)."""
        chats, records = [], []
        for raw in messages:
            if raw.get("subtype") in SKIPPED_SUBTYPES or raw.get("hidden") or not isinstance(raw.get("ts"), str):
                continue  # without its ts a message has no identity: it would be a new row at every run
            if (chat := chat_message(raw, self._people.names, self._people.bots)) is not None:
                chats.append(chat)
            record = search_record(raw, target.indexed, self._people)
            if record["text"] or record.get("blocks"):
                records.append(record)
        return chats, records

    def moved(self, conversation_id: str, cursor: str) -> None:
        """Everything of the conversation up to `cursor` is added: keep it once it is indexed."""
        self._cursors.append((conversation_id, cursor))

    async def finish(self) -> None:
        """Indexes what is left and keeps the cursors of the conversations read to their end."""
        await self._flush()
        await self._settle()

    async def _flush(self) -> None:
        records, self._records = self._records, []
        cursors, self._cursors = self._cursors, []
        await self._settle()  # one batch in flight at a time: memory stays bounded
        self._indexing = asyncio.create_task(self._index(records, cursors))

    async def _index(self, records: list[dict[str, Any]], cursors: list[tuple[str, str]]) -> None:
        if records:
            await self._hooks.add_records(records, "slack")
        for conversation_id, cursor in cursors:
            await self._store.set_cursor(conversation_id, cursor)

    async def _settle(self) -> None:
        if self._indexing is not None:
            task, self._indexing = self._indexing, None
            await task
