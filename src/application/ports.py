"""The ports: what the use cases need from the outside world, as `typing.Protocol`s.

Each has one contract suite in tests/contract that every implementation, fakes included, passes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, NamedTuple, Protocol, runtime_checkable

from src.domain.briefs import DailyMark
from src.domain.conversations import ChatMessage, Conversation, Workspace, WorkspaceUser
from src.domain.items import Item, Message, Person
from src.domain.people import People, Sighting
from src.domain.outbox import Post
from src.domain.search import IndexOutcome, SearchPage
from src.domain.state import Brief, DashboardState

# A change of the state: a pure function of the current state, returning the new content, or None
# when there is nothing to change. A repository may run it more than once (optimistic retries).
Change = Callable[[DashboardState], DashboardState | None]

# How a collector says how far it is: a fraction from 0 to 1 of its own work, and what it is doing.
ProgressReport = Callable[[float, str | None], Awaitable[None]]


class Applied(NamedTuple):
    state: DashboardState
    changed: bool


@runtime_checkable
class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, time-zone aware, in the person's local zone."""
        ...


@runtime_checkable
class StateRepository(Protocol):
    async def load(self) -> DashboardState:
        """The current state."""
        ...

    async def apply(self, change: Change) -> Applied:
        """Runs `change` on the current state atomically. When it returns a new state, that is stored
        one version on (with the same epoch) and returned with `changed=True`; otherwise the current
        state comes back unchanged."""
        ...


@runtime_checkable
class Broadcaster(Protocol):
    async def publish(self, state: DashboardState) -> None:
        """Hands `state` to every connected client without waiting on any of them. A version older
        than one already published in the same epoch is never delivered after it."""
        ...


@runtime_checkable
class SearchIndex(Protocol):
    async def search(
        self,
        query: str,
        *,
        source: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> SearchPage:
        """Records matching a person's words (not a query language: any text is safe)."""
        ...

    async def stats(self) -> dict[str, Any]:
        """At least `total` (int) and `by_source` ({source: count})."""
        ...

    async def add_records(self, records: list[dict[str, Any]], source: str) -> IndexOutcome:
        """Indexes records as `source` sends them (a Slack message, a calendar event...). A record that
        cannot be indexed is reported with the reason, never fatal to the others; the same record
        (same source and native id) added again replaces the first, it is not counted twice."""
        ...

    async def remove_records(self, source: str, native_ids: Sequence[str]) -> int:
        """Removes the records of `source` with these native ids (what its source deleted), so no
        search finds them; answers how many were there. Unknown ids are ignored."""
        ...


@runtime_checkable
class CollectionLease(Protocol):
    """Who runs a scheduled collection when several processes share one state (Redis): the first to
    take its lease. Without a shared store, each process holds its own."""

    async def acquire(self, name: str, lasting: timedelta) -> bool:
        """True for the one caller that takes `name` first, across every process sharing the store;
        False for every other caller until `lasting` has passed."""
        ...


class CollectionOutcome(NamedTuple):
    """What a collector tells the person after its run, beside its progress."""

    summary: str | None = None  # what it collected and what it skipped on purpose, with counts
    warnings: tuple[str, ...] = ()  # what it could not read and left out: one line per file, naming it and why


@runtime_checkable
class Collector(Protocol):
    name: str

    async def collect(self, mode: str, report: ProgressReport) -> CollectionOutcome | None:
        """Collects from one source (`mode` is "quick" or "full"), awaiting `report` as it goes. An
        exception fails the source (the run ends in ERROR naming it); warnings leave it IDLE, said."""
        ...


@runtime_checkable
class MessageReader(Protocol):
    def read(self, message: Message, person: Person) -> Item | None:
        """The one commitment or ask `message` holds for `person` (contract section 6), or None: asks
        between others, announcements, plans, past events, hypotheticals, vague offers and bot posts
        are not items. A reply that accepts an ask ("will do") is the promise, naming the ask in
        `accepts`. CPU-bound and synchronous: callers with many messages run it in a thread."""
        ...

    def read_many(self, messages: Iterable[Message], person: Person) -> list[Item | None]:
        """`read` of each message, in order (one entry per message): the fast way to read many, such
        as a collection's or a thread's messages in the order they were sent."""
        ...


@runtime_checkable
class PeopleDirectory(Protocol):
    """Who is who across sources (contract section 6): what each source says of people, merged."""

    async def add_people(self, sightings: Sequence[Sighting]) -> None:
        """Keeps what a source says of people. A sighting with the same source and key (its Slack id,
        else its email) as one kept replaces it, so collecting again never duplicates anyone."""
        ...

    async def people(self) -> People:
        """Everyone known, merged into one entry per human, with the person's own identities
        (AICOS_ME) as one of them; it finds a person by Slack id, email, name or "@handle"."""
        ...

@runtime_checkable
class ConversationSource(Protocol):
    async def workspace(self, conversation_ids: Collection[str] | None = None,
                        party: Person | None = None) -> Workspace:
        """The collected conversations as they are now (edits applied, deleted messages gone), with
        all the users; empty when there is nothing to read. With `conversation_ids`, only those
        conversations (a live message is read with its own conversation, not the whole workspace);
        one described but without messages yet is then listed too. With `party`, only what may be
        that person's business: all of each DM and group DM they are in (`is_private_to`), and
        elsewhere the threads with a message they wrote or are mentioned in (`concerns`)."""
        ...


@runtime_checkable
class ConversationStore(ConversationSource, Protocol):
    """Slack as collected from every way it arrives (an export, the Web API's backfill, live events):
    one row per message keyed by conversation and `ts`, so the same message arriving twice is one."""

    async def put_users(self, users: Sequence[WorkspaceUser]) -> None:
        """Adds or replaces users (same id)."""
        ...

    async def put_conversation(self, conversation: Conversation) -> None:
        """Adds or replaces a conversation's id, name, kind and members; its `messages` are ignored
        (`put_messages` adds those). Messages put for a conversation never described are kept under
        a channel named by its id until it is."""
        ...

    async def put_messages(self, conversation_id: str, messages: Sequence[ChatMessage]) -> int:
        """Adds messages or replaces those with the same `ts`; a copy older than the one kept (its
        `edited` is earlier) and a message deleted before are left as they are. Answers how many changed."""
        ...

    async def delete_message(self, conversation_id: str, ts: str) -> bool:
        """Removes a message, and remembers it: the same message arriving again later (a retried
        event, an older backfill page) stays deleted. Answers whether one was there."""
        ...

    async def delete_absent(self, conversation_id: str, first_ts: str, last_ts: str,
                            present: Collection[str]) -> list[str]:
        """Deletes (as `delete_message`) the conversation's messages sent from `first_ts` to `last_ts`
        (inclusive) whose `ts` is not in `present`: a source that holds the whole period (an
        export's day file, a history page) says which messages are gone. Answers their `ts`."""
        ...

    async def excerpts(self, threads: Collection[tuple[str, str]], around: Collection[tuple[str, str]] = (),
                       within_s: float = 0.0) -> Workspace:
        """Parts of conversations, for a brief (reading whole channels would cost too much): every
        message of each thread in `threads` ((conversation id, the root's ts): the root and its
        replies), and every message of the conversation sent within `within_s` seconds either side
        of each (conversation id, ts) in `around` (a DM's exchange around a message). Each
        conversation holding some comes with its description, oldest message first, and all users;
        conversations with none of them are left out."""
        ...

    async def cursor(self, conversation_id: str) -> str | None:
        """Where the last backfill of the conversation stopped (the newest `ts` fetched), or None."""
        ...

    async def set_cursor(self, conversation_id: str, cursor: str) -> None:
        ...


class WrittenSummary(NamedTuple):
    text: str
    writer: str  # who wrote it, said in the brief: "built-in", or the language model's name


@runtime_checkable
class BriefWriter(Protocol):
    async def summary(self, brief: Brief) -> WrittenSummary:
        """The paragraph that opens `brief`, written only from what the brief holds. Never fails: a
        writer that cannot answer (a model down, slow or talking nonsense) gives the built-in one."""
        ...


class LanguageModelError(Exception):
    """A language model gave no usable answer: unreachable, slow, failing, or off its schema. The
    message says which, naming the model; never the key."""


@runtime_checkable
class LanguageModel(Protocol):
    """A chat model (optional, AICOS_LLM_URL). `instructions` and `data` travel apart: the data (any
    JSON value) is sent delimited, with the instructions saying it is data and never instructions."""

    name: str  # the model's name, said wherever its words are shown

    async def answer(self, instructions: str, data: Any) -> str:
        """The model's text about `data`, stripped and never empty; LanguageModelError otherwise."""
        ...

    async def answer_json(self, instructions: str, data: Any, schema: Mapping[str, Any]) -> Any:
        """The model's answer as a JSON value valid against `schema` (JSON Schema, Draft 2020-12);
        LanguageModelError otherwise."""
        ...


@runtime_checkable
class Briefs(Protocol):
    """The briefs the service posts on its own (a port of its own so the outreach does not depend on
    how briefs are built)."""

    async def daily(self) -> Brief:
        """The daily brief as of now (contract section 6)."""
        ...

    async def meeting(self, calendar_key: str) -> Brief | None:
        """The brief of the meeting with that key on the board now; None when it is not on the board."""
        ...


class PostAnswer(NamedTuple):
    """What Slack answered a post: ok, or its error code (`channel_not_found`, `ratelimited`, ...);
    `retry_after_s` when Slack said how long to wait."""

    ok: bool
    error: str | None = None
    retry_after_s: float | None = None


class PostLookup(NamedTuple):
    """Whether a post is in a channel: `found`, or not; `error` (Slack's code, `timeout`, ...) when
    Slack could not be asked, and then whether it is there is not known."""

    found: bool
    error: str | None = None


@runtime_checkable
class SlackPoster(Protocol):
    async def post(self, channel: str, message: dict[str, Any], key: str) -> PostAnswer:
        """Posts `message` (Slack's `text` and `blocks`) to a channel id, a `#name` or a user id (their
        DM), tagged with `key` so that `find_post` finds it. Never raises for what Slack or the network
        did: a timeout or a refused connection is an answer with its own error code. Sends once: no
        retry of its own (the outbox retries)."""
        ...

    async def find_post(self, channel: str, key: str, since: datetime) -> PostLookup:
        """Whether a message tagged `key` by `post` is in `channel` (named as to `post`), among those
        posted since `since` (give or take the clocks' difference). Never raises: Slack that cannot be
        asked is a lookup with its error."""
        ...


@runtime_checkable
class SecondReading(Protocol):
    async def reread(self, messages: Sequence[Message], readings: Sequence[Item | None],
                     person: Person) -> list[Item | None]:
        """`readings` (the built-in reader's, one per message, in order) with those it was unsure of
        read again. Never fails and keeps to its time budget: a message it could not read again keeps
        its first reading; an item it gives is for its own message and nothing else."""
        ...


@runtime_checkable
class Outbox(Protocol):
    """The posts the service makes on its own, each under a key, kept with the state so that nothing
    is sent twice for one key: across restarts, crashes and several processes."""

    async def record(self, post: Post) -> bool:
        """Records `post` unless a post with its key is there; true when this call recorded it.
        Atomic across processes: of several recording one key at once, one gets true."""
        ...

    async def take(self, key: str, now: datetime) -> Post | None:
        """Takes the post for one attempt, when it can be taken (`Post.can_be_taken`): stored as
        `sending` with a lease, and returned as it was before. None when it cannot be taken (sent,
        failed, not due yet, or another process holds it). Of several takers at once, one gets it."""
        ...

    async def update(self, post: Post) -> None:
        """Stores what became of a post after an attempt (sent, to retry, failed, skipped)."""
        ...

    async def get(self, key: str) -> Post | None:
        ...

    async def waiting(self, now: datetime) -> list[Post]:
        """The posts that need an attempt now: pending and due, or `sending` past their lease."""
        ...

    async def posts(self, limit: int = 200) -> list[Post]:
        """The posts kept, newest first."""
        ...


@runtime_checkable
class BriefLog(Protocol):
    """What the last daily brief saw, kept across restarts, so the next one says what changed since."""

    async def last_daily(self) -> DailyMark | None:
        """The mark of the last daily brief, or None before the first."""
        ...

    async def record_daily(self, mark: DailyMark) -> None:
        """Keeps `mark` as the last daily brief's (it replaces the one before)."""
        ...
