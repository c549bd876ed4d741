"""A `ConversationStore` in memory: for tests and for a service without a data folder."""

from __future__ import annotations

import asyncio
from collections.abc import Collection, Sequence
from dataclasses import replace

from src.domain.conversations import (
    ChatMessage,
    Conversation,
    Workspace,
    WorkspaceUser,
    concerns,
    edit_time,
    is_private_to,
    thread_of,
)
from src.domain.items import Person


class MemoryConversations:
    def __init__(self) -> None:
        self._users: dict[str, WorkspaceUser] = {}
        self._conversations: dict[str, Conversation] = {}
        self._messages: dict[str, dict[str, ChatMessage]] = {}
        self._deleted: set[tuple[str, str]] = set()
        self._cursors: dict[str, str] = {}
        self._lock = asyncio.Lock()

    async def put_users(self, users: Sequence[WorkspaceUser]) -> None:
        async with self._lock:
            self._users.update({user.id: user for user in users})

    async def put_conversation(self, conversation: Conversation) -> None:
        async with self._lock:
            self._conversations[conversation.id] = replace(conversation, messages=())

    async def put_messages(self, conversation_id: str, messages: Sequence[ChatMessage]) -> int:
        changed = 0
        async with self._lock:
            kept = self._messages.setdefault(conversation_id, {})
            for message in messages:
                if (conversation_id, message.ts) in self._deleted:
                    continue
                old = kept.get(message.ts)
                if old is not None and (old == message or edit_time(old) > edit_time(message)):
                    continue
                kept[message.ts] = message
                changed += 1
        return changed

    async def delete_message(self, conversation_id: str, ts: str) -> bool:
        async with self._lock:
            self._deleted.add((conversation_id, ts))
            return self._messages.get(conversation_id, {}).pop(ts, None) is not None

    async def delete_absent(self, conversation_id: str, first_ts: str, last_ts: str,
                            present: Collection[str]) -> list[str]:
        async with self._lock:
            kept = self._messages.get(conversation_id, {})
            gone = sorted((ts for ts in kept if float(first_ts) <= float(ts) <= float(last_ts) and ts not in present),
                          key=float)
            for ts in gone:
                self._deleted.add((conversation_id, ts))
                del kept[ts]
            return gone

    async def cursor(self, conversation_id: str) -> str | None:
        return self._cursors.get(conversation_id)

    async def set_cursor(self, conversation_id: str, cursor: str) -> None:
        self._cursors[conversation_id] = cursor

    async def excerpts(self, threads: Collection[tuple[str, str]], around: Collection[tuple[str, str]] = (),
                       within_s: float = 0.0) -> Workspace:
        async with self._lock:
            picked: dict[str, dict[str, ChatMessage]] = {}
            for conversation_id, root in threads:
                for message in self._messages.get(conversation_id, {}).values():
                    if root in (message.ts, message.thread_ts):
                        picked.setdefault(conversation_id, {})[message.ts] = message
            for conversation_id, ts in around:
                for message in self._messages.get(conversation_id, {}).values():
                    if abs(float(message.ts) - float(ts)) <= within_s:
                        picked.setdefault(conversation_id, {})[message.ts] = message
            conversations = tuple(
                replace(self._conversations.get(conversation_id) or unnamed_conversation(conversation_id),
                        messages=tuple(sorted(messages.values(), key=lambda m: float(m.ts))))
                for conversation_id, messages in picked.items())
            return Workspace(tuple(self._users.values()), conversations)

    async def workspace(self, conversation_ids: Collection[str] | None = None,
                        party: Person | None = None) -> Workspace:
        async with self._lock:
            users = Workspace(tuple(self._users.values()), ())
            if conversation_ids is None:
                wanted = list(self._messages)
            else:
                wanted = [c for c in dict.fromkeys(conversation_ids) if c in self._messages or c in self._conversations]
            conversations = []
            for conversation_id in wanted:
                kept = self._messages.get(conversation_id, {})
                header = self._conversations.get(conversation_id) or unnamed_conversation(conversation_id)
                ordered = tuple(sorted(kept.values(), key=lambda m: float(m.ts)))
                if party is not None and not is_private_to(party, users, header):
                    threads = {thread_of(m) for m in ordered if concerns(party, m.user, m.author, m.text)}
                    ordered = tuple(m for m in ordered if thread_of(m) in threads)
                if not ordered and (conversation_ids is None or conversation_id not in self._conversations):
                    continue  # as in SQLite: listed without messages only when asked for and described
                conversations.append(replace(header, messages=ordered))
            return Workspace(users.users, tuple(conversations))


def unnamed_conversation(conversation_id: str) -> Conversation:
    """A conversation messages arrived for before anything described it: a channel named by its id."""
    return Conversation(conversation_id, conversation_id, "channel", (), ())
