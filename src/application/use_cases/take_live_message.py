"""TakeLiveMessage: a Slack message as it happens (posted, edited, deleted: contract section 7) into the
conversation store, the search index and the board, within moments.

The store decides what is news: the same message again (Slack retries), an older copy than the one
kept (an edit that overtook its message) or a message deleted before changes nothing, and then
nothing else is touched. Otherwise the search row is replaced or removed (one row per message,
keyed `<conversation id>/<ts>` however it arrived) and only that conversation is read again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import timezone
from typing import Any

from src.application.ports import ConversationStore, SearchIndex
from src.application.use_cases.derive_items import DeriveItems
from src.domain.conversations import ChatMessage, Conversation, Workspace
from src.domain.items import Person

logger = logging.getLogger(__name__)
SOURCE = "slack"
_NOBODY = Person((), timezone.utc)  # a party no message concerns: a workspace of it holds no messages


# The message's search record, given its conversation and the users the store keeps: the inbound
# adapter's, which builds it as every other way the message could arrive does (one row however it came).
SearchRecordOf = Callable[[Conversation, Workspace], dict[str, Any]]


class TakeLiveMessage:
    def __init__(self, store: ConversationStore, search: SearchIndex, derive: DeriveItems) -> None:
        self._store = store
        self._search = search
        self._derive = derive

    async def posted(self, conversation_id: str, message: ChatMessage, record_of: SearchRecordOf,
                     kind: str | None = None) -> bool:
        """A new or edited message (`kind`: the conversation's, when the event says it). Answers
        whether anything changed."""
        # The conversation's description and the users, not its messages (a channel may hold thousands).
        workspace = await self._store.workspace([conversation_id], party=_NOBODY)
        conversation = next((c for c in workspace.conversations if c.id == conversation_id), None)
        if conversation is None or (kind and _unnamed(conversation) and conversation.kind != kind):
            # Never described (no export or backfill has it yet): kept under its id, with its kind.
            conversation = Conversation(conversation_id, conversation_id, kind or "channel", (), ())
            await self._store.put_conversation(conversation)
        author = workspace.user(message.user)
        if author is not None:  # events carry the author's id only
            message = replace(message, author=author.name)
        if not await self._store.put_messages(conversation_id, [message]):
            return False
        outcome = await self._search.add_records([record_of(conversation, workspace)], SOURCE)
        if outcome.failed:
            logger.info("live message %s/%s not indexed: %s", conversation_id, message.ts, outcome.failures)
        await self._derive.conversations_changed([conversation_id])
        return True

    async def deleted(self, conversation_id: str, ts: str) -> bool:
        """A deleted message: gone from the store (and kept gone), the index and the board."""
        was_there = await self._store.delete_message(conversation_id, ts)
        removed = await self._search.remove_records(SOURCE, [f"{conversation_id}/{ts}"])
        if was_there or removed:
            await self._derive.conversations_changed([conversation_id])
        return was_there or bool(removed)


def _unnamed(conversation: Conversation) -> bool:
    return conversation.name == conversation.id and not conversation.members
