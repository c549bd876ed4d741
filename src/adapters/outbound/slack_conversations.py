"""The configured Slack exports as conversations (a `ConversationSource`), for reading commitments and
asks: every message as the export holds it now, with its author, thread and conversation members,
and the users with their emails.

Read from the exports themselves rather than from the search index: the index keeps a message that
was deleted since (it only ever adds), and it holds names where the reader needs ids and members.
Files are read with the Slack collector's own safety limits (`_Source`). An export or a day file
that cannot be read fails the whole reading (the board then stays as it was): read partly, the
workspace would look as if the messages it could not read had been deleted.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import orjson

from src.adapters.outbound.slack_export import (
    CONVERSATION_LISTS,
    DAY_FILE,
    MEMBERSHIP_NOTICES,
    ExportReport,
    SkippedFile,
    _load_list,
    _Source,
)
from src.domain.conversations import ChatMessage, Conversation, Workspace, WorkspaceUser
from src.search.records import texts_in_blocks

class UnreadableWorkspace(ValueError):
    """A file of the export cannot be read; the message names it."""


_KINDS = {"channels.json": "channel", "groups.json": "private_channel", "dms.json": "dm", "mpims.json": "group_dm"}


def _users(raw: list[dict[str, Any]]) -> tuple[list[WorkspaceUser], frozenset[str]]:
    users, bots = [], set()
    for user in raw:
        if not isinstance(user.get("id"), str):
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


def _chat_message(message: dict[str, Any], names: dict[str, str], bots: frozenset[str]) -> ChatMessage | None:
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


def read_workspace(path: Path) -> Workspace:
    report = ExportReport()  # problems are the collector's to report; here they only leave files out
    source = _Source(path)
    try:
        users, bots = _users(_load_list(source, "users.json", report))
        names = {user.id: user.name for user in users}
        listed: dict[str, tuple[str, str, str, tuple[str, ...]]] = {}  # folder -> id, name, kind, members
        for list_name in CONVERSATION_LISTS:
            for raw in _load_list(source, list_name, report):
                folder = raw.get("name") or raw.get("id")
                members = tuple(m for m in raw.get("members") or [] if isinstance(m, str))
                if folder:
                    listed[str(folder)] = (str(raw.get("id") or folder), str(raw.get("name") or folder),
                                           _KINDS[list_name], members)
        messages: dict[str, list[ChatMessage]] = {}
        for name in sorted(source.names()):
            if not (match := DAY_FILE.match(name)):
                continue
            try:
                day = orjson.loads(source.read(name))
            except (SkippedFile, ValueError) as error:
                # Read partly, the workspace would look as if that day's messages were deleted.
                raise UnreadableWorkspace(f"{path.name}: {name} cannot be read ({error})") from error
            found = messages.setdefault(match["folder"], [])
            found += [m for raw in day if isinstance(raw, dict) and (m := _chat_message(raw, names, bots))]
        conversations = tuple(
            Conversation(*listed.get(folder, (folder, folder, "channel", ())),
                         messages=tuple(sorted(found, key=lambda m: float(m.ts))))
            for folder, found in messages.items()
        )
        return Workspace(tuple(users), conversations)
    finally:
        source.close()


class SlackExportConversations:
    """`ConversationSource` over the exports in AICOS_SLACK_EXPORT (all of them, as one workspace)."""

    def __init__(self, paths: list[Path]) -> None:
        self._paths = [Path(p) for p in paths]

    async def workspace(self) -> Workspace:
        return await asyncio.to_thread(self._read)

    def _read(self) -> Workspace:
        users: dict[str, WorkspaceUser] = {}
        conversations: list[Conversation] = []
        for path in self._paths:  # an export that cannot be read fails the reading: the board stays as it is
            workspace = read_workspace(path)
            users.update({user.id: user for user in workspace.users})
            conversations += workspace.conversations
        return Workspace(tuple(users.values()), tuple(conversations))
