"""Slack's own shapes (an export's files, the Web API's answers, live events) as the conversation
store keeps them: users, conversations and messages. Shared by every way Slack arrives, so a message
is the same whichever way it came."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from src.domain.conversations import ChatMessage, WorkspaceUser
from src.search.records import texts_in_blocks

# "<@U1> has joined the channel": Slack writes these with text, but nobody searches for or reads them.
MEMBERSHIP_NOTICES = frozenset({"channel_join", "channel_leave", "group_join", "group_leave"})
# The export's list files, and the Web API's channel_type of an event, as a conversation's kind.
KIND_OF_LIST = {"channels.json": "channel", "groups.json": "private_channel", "dms.json": "dm", "mpims.json": "group_dm"}
KIND_OF_CHANNEL_TYPE = {"channel": "channel", "group": "private_channel", "im": "dm", "mpim": "group_dm"}


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
        users.append(WorkspaceUser(user["id"], str(name), email, handles))
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
