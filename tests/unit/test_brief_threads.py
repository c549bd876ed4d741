"""Meeting briefs read the threads and DM exchanges of what the search found (issue #15): the rules
(src/domain/brief_ranking.py: `to_open`, `said_of_chat`, `said_in`) and BuildBrief over the fake
search index and the in-memory conversation store."""

import logging
from datetime import datetime, timedelta, timezone

from src.adapters.outbound.brief_log import InMemoryBriefLog
from src.adapters.outbound.builtin_brief_writer import BuiltinBriefWriter
from src.adapters.outbound.memory_conversations import MemoryConversations
from src.adapters.outbound.memory_state import InMemoryStateRepository
from src.adapters.outbound.people_directory import InMemoryPeopleDirectory
from src.application.use_cases.build_brief import BuildBrief
from src.domain.board import CalendarDraft, replace_calendar
from src.domain.brief_ranking import Party, Ranked, Said, said_in, said_of_chat, to_open
from src.domain.conversations import ChatMessage, Conversation, Workspace, WorkspaceUser
from src.domain.people import Sighting
from src.domain.state import DashboardState
from tests.fakes import FakeSearchIndex, FixedClock

NOW = datetime(2026, 11, 25, 15, 45, tzinfo=timezone.utc)
DANA = WorkspaceUser("U02DANA", "Dana Lee", "dana@acme.test", ("dana",))
ALEX = WorkspaceUser("U01ALEX", "Alex Rivera", "alex@acme.test", ("alex",))
PRIYA = WorkspaceUser("U04PRIYA", "Priya Shah", "priya@acme.test", ("priya",))
FINANCE = Conversation("C01FIN", "finance", "channel", ("U01ALEX", "U02DANA", "U04PRIYA"), ())
RANDOM = Conversation("C02RND", "random", "channel", ("U01ALEX", "U02DANA", "U04PRIYA"), ())
DM = Conversation("D01DANA", "DM Alex Rivera, Dana Lee", "dm", ("U01ALEX", "U02DANA"), ())
SYNC = CalendarDraft("Q1 budget sync", date="2026-11-25", time="11:00", start="2026-11-25T11:00:00-05:00",
                     attendees=["dana@acme.test", "alex@acme.test"], key="sync@acme.test@2026-11-25T11:00:00-05:00")


def ts(hours_before_now: float) -> str:
    return f"{(NOW - timedelta(hours=hours_before_now)).timestamp():.6f}"


def chat(hours_before_now: float, user: WorkspaceUser, text: str, thread: str | None = None) -> ChatMessage:
    return ChatMessage(ts(hours_before_now), user.id, user.name, text, thread)


def ranked(*said: Said) -> list[Ranked]:
    return [Ranked(s, 1.0, 1.0, 1.0) for s in said]


def said(ref: str, kind: str = "channel", thread: str | None = None, source: str = "slack") -> Said:
    conversation_id = ref.split("/")[0]
    return Said(ref, source, "2026-11-24T15:00:00Z", "Dana Lee", "U02DANA", conversation_id, "x", kind,
                thread or ref, "text")


# -- the rules ---------------------------------------------------------------------------------------

def test_the_threads_of_the_best_messages_are_opened_and_a_dms_exchange_around_its_message():
    best = ranked(said("C1/10.0", thread="C1/9.0"), said("C1/11.0"), said("D1/12.0", kind="dm"),
                  said("calendar:x", source="calendar"), said("C1/13.0", thread="C1/9.0"))
    threads, around = to_open(best)
    assert threads == [("C1", "9.0"), ("C1", "11.0"), ("D1", "12.0")]  # each thread once
    assert around == [("D1", "12.0")]  # only DMs have an exchange to read around a message


def test_only_the_best_few_are_opened():
    best = ranked(*(said(f"C1/{n}.0") for n in range(30)))
    threads, _ = to_open(best, count=5)
    assert threads == [("C1", f"{n}.0") for n in range(5)]


def test_a_stored_message_is_cited_as_its_search_row_would_be_with_names_and_markup_as_text():
    message = ChatMessage("1764085500.000100", "U02DANA", "Dana Lee",
                          "<@U01ALEX> see <https://x.test/s|the sheet> &lt;Q1&gt;", "1764080000.000000",
                          files=("budget.xlsx",))
    found = said_of_chat(FINANCE, message, Workspace((ALEX, DANA), ()))
    assert found.ref == "C01FIN/1764085500.000100" and found.thread == "C01FIN/1764080000.000000"
    assert found.at == "2025-11-25T15:45:00Z" and (found.author, found.author_id) == ("Dana Lee", "U02DANA")
    assert (found.conversation_id, found.conversation, found.kind) == ("C01FIN", "finance", "channel")
    assert found.text == "@Alex Rivera see the sheet <Q1>\nshared file: budget.xlsx"
    assert Party.of("Alex Rivera", ("alex",), ("U01ALEX",)).mentioned(found)


def test_what_the_store_gives_is_kept_only_from_the_start_of_the_window_to_now():
    messages = (chat(24 * 40, DANA, "too old"), chat(2, DANA, "in"), chat(-0.01, DANA, "a moment after the brief"))
    workspace = Workspace((DANA,), (Conversation("C01FIN", "finance", "channel", (), messages),))
    assert [s.text for s in said_in(workspace, NOW - timedelta(days=30), NOW)] == ["in"]


# -- through BuildBrief ------------------------------------------------------------------------------

def record(conversation: Conversation, message: ChatMessage) -> dict:
    """The message's search row, as the Slack collectors index it."""
    at = datetime.fromtimestamp(float(message.ts), timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {"id": f"slack:{conversation.id}/{message.ts}", "source": "slack", "date": at,
            "content": f"{message.text} {message.author} {conversation.name}",
            "metadata": {"conversation_id": conversation.id, "ts": message.ts, "thread_ts": message.thread_ts,
                         "author": message.author, "user": message.user, "conversation": conversation.name,
                         "conversation_kind": conversation.kind, "text": message.text}}


class Briefs:
    def __init__(self, store: object | None = "memory") -> None:
        self.clock = FixedClock(NOW)
        self.search = FakeSearchIndex()
        self.store = MemoryConversations() if store == "memory" else store
        self.people = InMemoryPeopleDirectory(["U01ALEX", "alex@acme.test"])
        state = replace_calendar(DashboardState.initial(NOW), [SYNC], NOW)
        self.build = BuildBrief(self.search, self.people, self.clock, InMemoryStateRepository(self.clock, state),
                                BuiltinBriefWriter(), InMemoryBriefLog(), conversations=self.store)

    async def said(self, conversation: Conversation, *messages: ChatMessage, searched: bool = True) -> None:
        """Messages as collected: in the store (when there is one) and, when `searched`, where the
        brief's searches reach them (not so: a busy DM whose small talk ranks below the search's limit)."""
        if isinstance(self.store, MemoryConversations):
            await self.store.put_users([ALEX, DANA, PRIYA])
            await self.store.put_conversation(conversation)
            await self.store.put_messages(conversation.id, list(messages))
        if searched:
            self.search.records += [record(conversation, m) for m in messages]

    async def cited(self) -> list[str]:
        await self.people.add_people([Sighting.of("slack", slack_ids=[u.id], emails=[u.email or ""], name=u.name,
                                                  handles=list(u.handles)) for u in (ALEX, DANA, PRIYA)])
        brief = await self.build.meeting("C1")
        return [source.snippet for source in brief.sources]


async def test_a_reply_sharing_no_word_with_the_meeting_is_cited_with_its_thread_and_nothing_said_after_now():
    briefs = Briefs()
    root = chat(20, DANA, "Q1 budget numbers are due friday, who owns the cloud line?")
    await briefs.said(FINANCE, root,
                      chat(19, PRIYA, "sounds good, I'll update the sheet", thread=root.ts),
                      chat(-1, PRIYA, "done, the sheet is updated", thread=root.ts),  # after the brief
                      chat(18, PRIYA, "anyone for lunch?"))
    other = chat(10, PRIYA, "offsite venue is booked")
    await briefs.said(FINANCE, other, chat(9, DANA, "great, thanks", thread=other.ts))
    assert await briefs.cited() == [root.text, "sounds good, I'll update the sheet"]


async def test_without_the_store_the_search_cannot_reach_such_a_reply():
    briefs = Briefs(store=None)
    root = chat(20, DANA, "Q1 budget numbers are due friday")
    await briefs.said(FINANCE, root, chat(19, PRIYA, "sounds good, I'll update the sheet", thread=root.ts))
    assert await briefs.cited() == [root.text]


async def test_a_dms_answer_within_hours_is_cited_with_the_question_and_one_days_later_is_not():
    briefs = Briefs()
    question = chat(30, ALEX, "can you send me the Q1 budget before the sync?")
    await briefs.said(DM, question)
    await briefs.said(DM, chat(29, DANA, "will do tonight, after I hear from Priya"),  # no word of the title
                      chat(5, DANA, "the offsite venue is booked, see you there"), searched=False)
    assert await briefs.cited() == [question.text, "will do tonight, after I hear from Priya"]


async def test_a_long_thread_gives_at_most_ten_sources():
    briefs = Briefs()
    root = chat(40, DANA, "Q1 budget: post your team's numbers in this thread")
    replies = [chat(39 - n * 0.5, PRIYA, f"team {chr(65 + n)} is at {n + 1}0k, with {n} hires", thread=root.ts)
               for n in range(25)]
    await briefs.said(FINANCE, root, *replies)
    cited = await briefs.cited()
    assert len(cited) == 10 and cited[0] == root.text


async def test_a_store_that_fails_gives_the_brief_from_the_search_alone_and_a_warning(caplog):
    class Broken(MemoryConversations):
        async def excerpts(self, threads, around=(), within_s=0.0):
            raise OSError("disk gone")

    briefs = Briefs(store=Broken())
    root = chat(20, DANA, "Q1 budget numbers are due friday")
    await briefs.said(FINANCE, root)
    with caplog.at_level(logging.WARNING):
        assert await briefs.cited() == [root.text]
    assert "threads could not be read for a brief (OSError)" in caplog.text
