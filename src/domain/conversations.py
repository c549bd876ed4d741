"""Collected Slack conversations as the reader needs them: who the person is among the workspace's
users, which messages they are a party to, and each message with the thread it answers.

Pure rules, no framework: the conversation store (src/adapters/outbound/sqlite_conversations.py) holds the
workspace, the DeriveItems use case turns it into items.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone, tzinfo

from src.domain.items import ConversationKind, Message, Person

THREAD_CONTEXT = 8  # earlier messages handed to the reader with each message: enough for "will do"

_KINDS = {"dm": ConversationKind.DM, "group_dm": ConversationKind.GROUP}
_SLACK_MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")


@dataclass(frozen=True, slots=True)
class WorkspaceUser:
    id: str
    name: str  # the real name, else the display name, else the handle
    email: str | None = None
    handles: tuple[str, ...] = ()  # display name and handle, for matching `@sam` and AICOS_ME
    title: str | None = None  # the job title their profile gives ("VP Finance"), when it gives one


@dataclass(frozen=True, slots=True)
class ChatMessage:
    """One message as the workspace holds it now (an edit replaces it, a deletion removes it)."""

    ts: str
    user: str | None  # the author's user id (None for some bot posts)
    author: str  # the author's name
    text: str
    thread_ts: str | None = None
    is_bot: bool = False
    files: tuple[str, ...] = ()
    edited: str | None = None  # the edit's ts, when edited


def edit_time(message: ChatMessage) -> float:
    """When this version of the message was written: its edit's ts, else its own."""
    return float(message.edited or message.ts)


@dataclass(frozen=True, slots=True)
class Conversation:
    id: str
    name: str
    kind: str  # channel, private_channel, dm, group_dm
    members: tuple[str, ...]  # user ids
    messages: tuple[ChatMessage, ...]  # oldest first
    # The workspace's address ("https://acme.slack.com/", auth.test's `url`) when the source knows it
    # (the Web API's backfill does, an export does not): its messages then have permalinks.
    permalink_base: str | None = None


@dataclass(frozen=True, slots=True)
class Workspace:
    users: tuple[WorkspaceUser, ...]
    conversations: tuple[Conversation, ...]
    _by_identity: dict[str, WorkspaceUser] = field(init=False, repr=False, compare=False)
    _by_first_name: dict[str, list[WorkspaceUser]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_identity: dict[str, WorkspaceUser] = {}
        by_first_name: dict[str, list[WorkspaceUser]] = defaultdict(list)
        for user in reversed(self.users):  # the first user listed wins a shared name
            for identity in (user.id, user.name, user.email, *user.handles):
                if identity:
                    by_identity[identity.casefold()] = user
        for user in self.users:
            by_first_name[user.name.split(" ")[0].casefold()].append(user)
        object.__setattr__(self, "_by_identity", by_identity)
        object.__setattr__(self, "_by_first_name", dict(by_first_name))

    def user(self, identity: str | None, among: tuple[str, ...] = ()) -> WorkspaceUser | None:
        """The user an id, email, name, handle or first name names; a first name shared by several
        is settled by `among` (user ids: the conversation's members), else it names no one."""
        if not identity:
            return None
        wanted = identity.strip().lstrip("@").casefold()
        if wanted in self._by_identity:
            return self._by_identity[wanted]
        named = self._by_first_name.get(wanted, [])
        if len(named) > 1:
            named = [user for user in named if user.id in among]
        return named[0] if len(named) == 1 else None


def readable_text(workspace: Workspace, text: str) -> str:
    """Slack's `<@U02DANA>` as people read it, `@Dana`: the first name, as colleagues write it, so the
    reader matches a mention with the author who answers it."""
    def name(match: re.Match[str]) -> str:
        user = workspace.user(match.group(1))
        return "@" + user.name.split(" ")[0] if user is not None else match.group(0)

    return _SLACK_MENTION.sub(name, text)


def person_in(workspace: Workspace, identities: tuple[str, ...], zone: tzinfo) -> Person:
    """The person as the workspace knows them: their configured identities plus the id, name and email
    of each user those identities name (messages carry authors by name)."""
    found: list[str] = list(identities)
    for identity in identities:
        user = workspace.user(identity)
        if user is not None:
            found += [user.id, user.name, *([user.email] if user.email else [])]
    return Person(tuple(dict.fromkeys(found)), zone)


def permalink(conversation: Conversation, ts: str) -> str | None:
    """Slack's permalink of a message, `<workspace>archives/<conversation id>/p<ts without the dot>`."""
    if not conversation.permalink_base:
        return None
    return f"{conversation.permalink_base.rstrip('/')}/archives/{conversation.id}/p{ts.replace('.', '')}"


def message_ref(conversation: Conversation, message: ChatMessage) -> str:
    return f"{conversation.id}/{message.ts}"


def sent_at(message: ChatMessage) -> datetime:
    return datetime.fromtimestamp(float(message.ts), timezone.utc)


def thread_of(message: ChatMessage) -> str:
    """The ts of the thread a message is in (its own when it starts none)."""
    return message.thread_ts or message.ts


_thread_of = thread_of


def concerns(person: Person, user: str | None, author: str | None, text: str) -> bool:
    """Whether a message makes its thread the person's business: they wrote it or are @-mentioned."""
    return person.is_me(user) or person.is_me(author) or person.mentioned_in(text)


def is_private_to(person: Person, workspace: Workspace, conversation: Conversation) -> bool:
    """A DM or group DM the person is a member of (every message of it is theirs to read)."""
    if _KINDS.get(conversation.kind) is None:
        return False
    member_names = [user.name if (user := workspace.user(m)) else m for m in conversation.members]
    return any(person.is_me(m) for m in (*conversation.members, *member_names))


def _closing_scope(conversation: Conversation, message: ChatMessage) -> str:
    """Where a delivery may close an item: the whole DM or group DM, a channel's thread."""
    if conversation.kind in _KINDS:
        return conversation.id
    return f"{conversation.id}/{_thread_of(message)}"


@dataclass(frozen=True, slots=True)
class ReadableMessage:
    """A message the person is a party to, ready for the reader."""

    message: Message
    ref: str
    conversation: Conversation


def readable_messages(workspace: Workspace, person: Person) -> list[ReadableMessage]:
    """The messages the person is a party to (their own, a DM's or group DM's, a mention, a thread they
    wrote or were mentioned in), each with its context: in a DM the earlier messages of the DM (or of
    its thread), in a channel the earlier messages of its thread. The others are left out: no item
    comes from them, and none of the person's threads holds them."""
    readable = []
    for conversation in workspace.conversations:
        kind = _KINDS.get(conversation.kind, ConversationKind.CHANNEL)
        member_names = [user.name if (user := workspace.user(m)) else m for m in conversation.members]
        private = is_private_to(person, workspace, conversation)
        in_threads = {_thread_of(m) for m in conversation.messages if concerns(person, m.user, m.author, m.text)}
        earlier: dict[str, list[Message]] = defaultdict(list)  # by thread; "" is a DM's own flow
        for chat in conversation.messages:
            if not (private or _thread_of(chat) in in_threads):
                continue  # not the person's business; and no thread of theirs needs it as context
            reply = chat.thread_ts is not None and chat.thread_ts != chat.ts
            opens: tuple[str, ...] = ()  # the threads this message starts
            if kind is ConversationKind.CHANNEL or reply:  # a DM's reply follows its thread, as in a channel
                context = _thread_of(chat)
            else:  # a DM's top-level message follows the DM
                context, opens = "", (chat.ts,)
            message = Message(
                id=message_ref(conversation, chat), text=readable_text(workspace, chat.text), author=chat.author,
                sent_at=sent_at(chat), members=tuple(name for name in member_names if name != chat.author),
                conversation=_closing_scope(conversation, chat), conversation_kind=kind,
                thread=tuple(earlier[context][-THREAD_CONTEXT:]), is_bot=chat.is_bot, files=chat.files,
            )
            for thread in (context, *opens):
                earlier[thread].append(message)
            readable.append(ReadableMessage(message, message.id, conversation))
    return readable
