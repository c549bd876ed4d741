"""Slack's own shapes (an export's files, the Web API's answers, live events) as AICoS keeps them: the
users and messages of the conversation store, and the search index's records. Shared by every way
Slack arrives (export, Web API backfill, live events), so a message is the same rows whichever way
it came."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from src.domain.conversations import ChatMessage, WorkspaceUser, permalink
from src.domain.conversations import Conversation as StoredConversation
from src.search.records import texts_in_blocks

# "<@U1> has joined the channel": Slack writes these with text, but nobody searches for or reads them.
MEMBERSHIP_NOTICES = frozenset({"channel_join", "channel_leave", "group_join", "group_leave"})
# The export's list files, and the Web API's channel_type of an event, as a conversation's kind.
KIND_OF_LIST = {"channels.json": "channel", "groups.json": "private_channel", "dms.json": "dm", "mpims.json": "group_dm"}
KIND_OF_CHANNEL_TYPE = {"channel": "channel", "group": "private_channel", "im": "dm", "mpim": "group_dm"}
_PRIVATE_KINDS = ("dm", "group_dm")
_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")


def workspace_users(raw: Iterable[Any]) -> tuple[list[WorkspaceUser], frozenset[str]]:
    """(the users, the ids of the bot users) of `users.json` or `users.list`."""
    users, bots = [], set()
    for user in raw:
        if not isinstance(user, dict) or not isinstance(user.get("id"), str):
            continue
        profile = found if isinstance(found := user.get("profile"), dict) else {}
        handles = tuple(str(h) for h in (profile.get("display_name"), user.get("name")) if h)
        name = user.get("real_name") or profile.get("real_name") or (handles[0] if handles else user["id"])
        email = found if isinstance(found := profile.get("email"), str) else None
        title = found if isinstance(found := profile.get("title"), str) and found.strip() else None
        users.append(WorkspaceUser(user["id"], str(name), email, handles, title))
        if user.get("is_bot") is True:
            bots.add(user["id"])
    return users, frozenset(bots)


def chat_message(message: dict[str, Any], names: dict[str, str], bots: frozenset[str] = frozenset()) -> ChatMessage | None:
    """The message as the store keeps it; None for a membership notice or a message with nothing to
    read (no text, no file). `names`: user id -> name, for the author."""
    ts = message.get("ts")
    text = found if isinstance(found := message.get("text"), str) else ""
    if not text.strip() and message.get("blocks"):  # some clients post the text only in blocks
        text = "\n".join(texts_in_blocks(message["blocks"]))
    files = tuple(str(f.get("name") or f.get("title")) for f in message.get("files") or []
                  if isinstance(f, dict) and (f.get("name") or f.get("title")))
    if not isinstance(ts, str) or message.get("subtype") in MEMBERSHIP_NOTICES or not (text.strip() or files):
        return None
    user = found if isinstance(found := message.get("user"), str) else None
    bot_profile = found if isinstance(found := message.get("bot_profile"), dict) else {}
    author = names.get(user or "") or bot_profile.get("name") or message.get("username") or user or "unknown"
    edited = found if isinstance(found := message.get("edited"), dict) else {}
    thread_ts = found if isinstance(found := message.get("thread_ts"), str) else None
    return ChatMessage(
        ts=ts, user=user, author=str(author), text=text, thread_ts=thread_ts,
        is_bot=message.get("subtype") == "bot_message" or "bot_id" in message or user in bots,
        files=files, edited=found if isinstance(found := edited.get("ts"), str) else None,
    )


@dataclass(frozen=True, slots=True)
class Authors:
    """Who may have written a message: names by user id, and which users are bots."""

    names: dict[str, str]  # user id -> real name
    bots: frozenset[str]  # user ids of bot users (apps posting as a user)


def read_authors(raw: Iterable[Any]) -> Authors:
    """Names and bots by user id, from `users.json` or `users.list`."""
    users, bots = workspace_users(raw)
    return Authors({user.id: user.name for user in users if user.name != user.id}, bots)


def known_authors(users: Iterable[WorkspaceUser]) -> Authors:
    """Names by user id from the users a store keeps (which does not say who is a bot)."""
    return Authors({user.id: user.name for user in users}, frozenset())


@dataclass(frozen=True, slots=True)
class IndexedConversation:
    """A conversation as search records name it."""

    id: str
    name: str  # readable: a channel's name, "DM Dana, Lee", "Group DM Dana, Lee, Sam"
    kind: str  # channel, private_channel, dm, group_dm
    members: tuple[str, ...] = ()  # user ids
    # A DM's or group DM's members, {"id", "name"}: search hits name a DM by its other side.
    private_members: tuple[dict[str, str], ...] = ()
    permalink_base: str | None = None  # the workspace's address, when known: records carry permalinks


def indexed_conversation(conversation_id: str, name: str, kind: str, members: tuple[str, ...], people: Authors,
                         *, me: str | None = None, permalink_base: str | None = None) -> IndexedConversation:
    """The conversation as search records name it: a DM or group DM by its people (`me` left out of a DM)."""
    if kind in _PRIVATE_KINDS and members:
        shown = ", ".join(people.names.get(m, m) for m in members if m != me or kind != "dm")
        name = ("DM " if kind == "dm" else "Group DM ") + shown
    private = tuple({"id": m, "name": people.names.get(m, m)} for m in members) if kind in _PRIVATE_KINDS else ()
    return IndexedConversation(conversation_id, name, kind, members, private, permalink_base)


def stored_as_indexed(conversation: StoredConversation, people: Authors) -> IndexedConversation:
    """A conversation the store keeps, as search records name it: by the name it was stored under (an
    export and a backfill store the readable one), or by its people when it was stored by its id only."""
    named = indexed_conversation(conversation.id, conversation.name, conversation.kind, conversation.members, people,
                                 permalink_base=conversation.permalink_base)
    if conversation.name != conversation.id:
        return replace(named, name=conversation.name)
    return named


def _attachment_texts(message: dict[str, Any]) -> list[str]:
    """What legacy attachments say (GitHub, Travis and most integrations post only there)."""
    texts = []
    for attachment in message.get("attachments") or []:
        if not isinstance(attachment, dict):
            continue
        parts: list[Any] = [attachment.get(key) for key in ("pretext", "title", "text")]
        for field_ in attachment.get("fields") or []:
            if isinstance(field_, dict):
                parts += [field_.get("title"), field_.get("value")]
        parts = [part for part in parts if isinstance(part, str) and part.strip()]
        fallback = attachment.get("fallback")
        if not parts and isinstance(fallback, str):  # the fallback repeats the rest, in one line
            parts = [fallback]
        texts += parts
    return texts


def _author(message: dict[str, Any], people: Authors) -> tuple[str | None, bool]:
    """(who posted it, whether a bot did): a person by name, a bot by its own name."""
    user = message.get("user")
    bot_profile = found if isinstance(found := message.get("bot_profile"), dict) else {}
    is_bot = message.get("subtype") == "bot_message" or "bot_id" in message or user in people.bots
    name = ((people.names.get(user) if isinstance(user, str) else None) or bot_profile.get("name")
            or message.get("username") or message.get("user_name") or user)
    return (str(name) if name else None), is_bot


def search_record(message: dict[str, Any], conversation: IndexedConversation, people: Authors) -> dict[str, Any]:
    """The message as the search index takes it; keyed by the conversation's id and the message's ts,
    so the same message arriving another way replaces its row. Its `text` (and `blocks`, kept when
    they say more than the text) is empty for a message with nothing to search."""
    user = message.get("user")
    text = message.get("text") if isinstance(message.get("text"), str) else ""
    text = "\n".join(part for part in (text, *_attachment_texts(message)) if part)
    text = _MENTION.sub(lambda match: "@" + people.names.get(match.group(1), match.group(1)), text)
    files = [f.get("name") or f.get("title") for f in message.get("files") or [] if isinstance(f, dict)]
    if files:
        text = "\n".join([text, *("shared file: " + str(name) for name in files if name)]).strip()
    kept = ("ts", "thread_ts", "subtype", "client_msg_id", "edited", "bot_id")
    record: dict[str, Any] = {key: message[key] for key in kept if key in message}
    # Blocks mostly repeat the text; they are kept only when they say more (and then indexed too).
    blocks = message.get("blocks")
    if blocks and (not text or any(part not in text for part in texts_in_blocks(blocks))):
        record["blocks"] = blocks
    author, is_bot = _author(message, people)
    ts = message.get("ts")
    link = permalink(StoredConversation(conversation.id, conversation.name, conversation.kind, (), (),
                                        conversation.permalink_base), ts) if isinstance(ts, str) else None
    return {
        **record,
        "text": text,
        "user": user,
        "user_name": author,
        "channel": conversation.id,
        "channel_name": conversation.name,
        # Who said it and where, for search hits; with the id and ts a client builds the permalink.
        "author": author,
        "is_bot": is_bot,
        "conversation": conversation.name,
        "conversation_kind": conversation.kind,
        "conversation_id": conversation.id,
        **({"conversation_members": list(conversation.private_members)} if conversation.private_members else {}),
        **({"permalink": link} if link else {}),
    }
