"""BuildBrief over fakes of its ports: meeting, person and daily briefs (contract sections 4 and 6)."""

from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from src.adapters.outbound.brief_log import InMemoryBriefLog
from src.adapters.outbound.builtin_brief_writer import BuiltinBriefWriter
from src.adapters.outbound.memory_state import InMemoryStateRepository
from src.adapters.outbound.people_directory import InMemoryPeopleDirectory
from src.application.ports import WrittenSummary
from src.application.use_cases.build_brief import BuildBrief
from src.domain.board import CalendarDraft, replace_calendar
from src.domain.derivation import apply_derived
from src.domain.items import ItemKind
from src.domain.people import Sighting
from src.domain.state import DashboardState
from tests.fakes import FakeSearchIndex, FixedClock
from src.domain.derivation import DerivedItem
from src.domain.state import Origin

ZONE = ZoneInfo("America/New_York")


def derived(ref, kind=ItemKind.ASK_TO_ME, text="approve the budget", counterparty="Dana Lee",
            counterparty_email="dana@acme.test", due_date=None, **fields):
    return DerivedItem(key=f"slack:{ref}", kind=kind, text=text, counterparty=counterparty,
                       counterparty_email=counterparty_email, due_date=due_date, confidence=0.8,
                       origin=Origin("slack", ref, counterparty, "2026-11-25T08:00:00Z", text), **fields)
NOW = datetime(2026, 11, 25, 10, 45, tzinfo=ZONE)
TODAY = "2026-11-25"


def message(ts, text, author, conversation="finance", kind="channel", conversation_id="C01FIN", day="2026-11-24",
            user=None):
    return {"id": f"slack:{conversation_id}:{ts}", "source": "slack", "date": f"{day}T15:00:00Z", "content": f"{text} {author} {conversation}",
            "metadata": {"conversation_id": conversation_id, "ts": ts, "author": author, "user": user,
                         "conversation": conversation, "conversation_kind": kind, "text": text}}


def calendar_record(key, title, day, description=""):
    return {"id": f"calendar:{key}", "source": "calendar", "date": f"{day}T16:00:00Z", "content": title,
            "metadata": {"id": key, "summary": title, "description": description,
                         "start": {"dateTime": f"{day}T11:00:00-05:00"}}}


class Briefs:
    def __init__(self, records=(), writer=None, calendar=(), items=(), log=None):
        self.clock = FixedClock(NOW)
        self.search = FakeSearchIndex(list(records))
        self.people = InMemoryPeopleDirectory(["U01ALEX", "alex@acme.test"])
        state = replace_calendar(DashboardState.initial(NOW), list(calendar), NOW)
        state = apply_derived(state, list(items), NOW)
        self.state = InMemoryStateRepository(self.clock, state)
        self.log = log or InMemoryBriefLog()
        self.build = BuildBrief(self.search, self.people, self.clock, self.state, writer or BuiltinBriefWriter(),
                                self.log)

    async def know(self):
        await self.people.add_people([
            Sighting.of("slack", slack_ids=["U01ALEX"], emails=["alex@acme.test"], name="Alex Rivera", handles=["alex"]),
            Sighting.of("slack", slack_ids=["U02DANA"], emails=["dana@acme.test"], name="Dana Lee", handles=["dana"]),
            Sighting.of("roster", emails=["dana@acme.test"], name="Dana Lee", role="Head of Finance", ref="e2"),
            Sighting.of("slack", slack_ids=["U05LEE"], emails=["lee@acme.test"], name="Lee Chen", handles=["lee"]),
            Sighting.of("slack", slack_ids=["U06LEE"], emails=["lee.w@acme.test"], name="Lee Wong", handles=["leew"]),
        ])
        return self


BUDGET_SYNC = CalendarDraft("Q1 budget sync", date=TODAY, time="11:00", start=f"{TODAY}T11:00:00-05:00",
                            attendees=["dana@acme.test", "alex@acme.test"], key="sync@acme.test@2026-11-25T11:00:00-05:00")


async def test_a_meeting_brief_names_attendees_as_people_with_their_role_and_the_open_items_both_ways():
    items = [derived("C01FIN/1", text="approve the Q1 budget", counterparty_email="dana@acme.test"),
             derived("D1/2", ItemKind.PROMISE_TO_ME, "numbers by EOD", counterparty_email="dana@acme.test"),
             derived("D9/3", ItemKind.PROMISE_BY_ME, "send Lee the deck", counterparty="Lee Chen",
                     counterparty_email="lee@acme.test")]
    briefs = await Briefs(calendar=[BUDGET_SYNC], items=items).know()
    brief = await briefs.build.meeting("C1")
    text = brief.text_content
    assert brief.kind == "meeting" and brief.target == "C1"
    assert "Dana Lee, Head of Finance <dana@acme.test>" in text and "Alex Rivera <" not in text
    assert "Dana Lee asks you: P1 approve the Q1 budget" in text and "Dana Lee owes you: M2 numbers by EOD" in text
    assert "send Lee the deck" not in text  # with someone else


async def test_calendar_emails_and_slack_names_meet_through_the_people_directory():
    records = [message("1.1", "Q1 budget draft is in the sheet", "Dana Lee", user="U02DANA"),
               message("1.2", "Q1 budget for the offsite", "Someone Else", conversation="random", conversation_id="C09"),
               message("1.3", "Q1 budget: the deck goes out tomorrow", "Dana Lee", day="2026-11-26"),
               calendar_record(BUDGET_SYNC.key, "Q1 budget sync", TODAY, "Agenda: cloud line")]
    briefs = await Briefs(records, calendar=[BUDGET_SYNC]).know()
    brief = await briefs.build.meeting("C1")
    assert [(s.ref, s.author, s.conversation) for s in brief.sources] == [("C01FIN/1.1", "Dana Lee", "#finance")]
    assert (await briefs.build.meeting(BUDGET_SYNC.key)).sources == brief.sources  # by key, as the outreach asks
    assert "Notes: Agenda: cloud line" in brief.text_content


async def test_a_meeting_with_no_one_else_briefs_its_notes_and_related_conversations():
    alone = CalendarDraft("Budget prep", date=TODAY, time="11:00", attendees=[], key="prep@x@2026-11-25T11:00")
    records = [message("2.1", "budget prep: the cloud numbers are in", "Dana Lee"),
               calendar_record(alone.key, "Budget prep", TODAY, "Write the budget memo")]
    briefs = await Briefs(records, calendar=[alone]).know()
    brief = await briefs.build.meeting("C1")
    assert "only you" in brief.text_content and "Write the budget memo" in brief.text_content
    assert [s.ref for s in brief.sources] == ["C01FIN/2.1"]


async def test_the_previous_occurrence_of_a_recurring_meeting_and_what_was_said_since():
    records = [calendar_record("sync@acme.test@2026-11-18T11:00:00-05:00", "Q1 budget sync", "2026-11-18"),
               calendar_record("sync@acme.test@2026-12-02T11:00:00-05:00", "Q1 budget sync", "2026-12-02"),
               message("3.1", "Q1 budget: new numbers", "Dana Lee", day="2026-11-24")]
    briefs = await Briefs(records, calendar=[BUDGET_SYNC]).know()
    text = (await briefs.build.meeting("C1")).text_content
    assert "Last time\n- 2026-11-18 11:00; 1 of the conversations below came after it" in text
    assert "1. Dana Lee in #finance, 2026-11-24 (since last time): Q1 budget: new numbers" in text


async def test_the_brief_opens_with_the_writers_paragraph_and_says_who_wrote_it():
    class Model:
        async def summary(self, brief):
            return WrittenSummary("Dana wants the budget approved.", "llama3")

    briefs = await Briefs(calendar=[BUDGET_SYNC], writer=Model()).know()
    brief = await briefs.build.meeting("C1")
    assert brief.text_content.splitlines()[1:3] == ["Dana wants the budget approved.", "(summary written by llama3)"]


async def test_a_writer_that_fails_gives_the_built_in_paragraph():
    class Broken:
        async def summary(self, brief):
            raise TimeoutError

    briefs = await Briefs(calendar=[BUDGET_SYNC], writer=Broken()).know()
    brief = await briefs.build.meeting("C1")
    assert brief.text_content.splitlines()[1].startswith("Q1 budget sync is on 2026-11-25 11:00 with Dana Lee")
    assert "(summary written by built-in)" in brief.text_content


async def test_data_is_escaped_in_the_html_and_read_as_text():
    records = [message("4.1", "Q1 budget &lt;script&gt;alert(1)&lt;/script&gt; <https://x.test|the sheet>",
                       "<img src=x onerror=alert(1)>", user="U02DANA")]
    briefs = await Briefs(records, calendar=[BUDGET_SYNC]).know()
    brief = await briefs.build.meeting("C1")
    assert "<script>" not in brief.html_content and "<img" not in brief.html_content
    assert "&lt;script&gt;alert(1)&lt;/script&gt; the sheet" in brief.html_content
    assert brief.sources[0].snippet == "Q1 budget <script>alert(1)</script> the sheet"


@pytest.mark.parametrize("query", ["Dana Lee", "dana", "@dana", "dana@acme.test", "DANA@ACME.TEST", "U02DANA", "Dana"])
async def test_a_person_brief_from_a_name_a_handle_an_email_or_an_id(query):
    records = [message("5.1", "budget is in", "Dana Lee", conversation="DM Alex Rivera, Dana Lee", kind="dm",
                       conversation_id="D01")]
    items = [derived("D01/9", text="approve the budget", counterparty_email="dana@acme.test")]
    briefs = await Briefs(records, calendar=[BUDGET_SYNC], items=items).know()
    answer = await briefs.build.person_or_topic(query)
    text = answer.brief.text_content
    assert answer.person == "Dana Lee" and answer.brief.title == "Dana Lee"
    assert "Dana Lee asks you: P1 approve the budget" in text
    assert "C1 2026-11-25 11:00 Q1 budget sync" in text
    assert [(s.author, s.conversation) for s in answer.brief.sources] == [("Dana Lee", "DM with Dana Lee")]


async def test_an_unknown_person_is_refused_with_the_closest_names_and_other_words_are_a_topic():
    briefs = await Briefs([message("6.1", "launch plan is ready", "Dana Lee")]).know()
    unknown = await briefs.build.person_or_topic("@dnaa")
    assert unknown.brief is None and unknown.suggestions[0] == "Dana Lee" and "Dana Lee" in unknown.message
    assert (await briefs.build.person_or_topic("nobody@acme.test")).brief is None
    topic = await briefs.build.person_or_topic("launch plan")
    assert topic.person is None and topic.brief.kind == "topic" and topic.brief.sources[0].ref == "C01FIN/6.1"
    assert (await briefs.build.person("lee")).person == "Lee Chen"  # Lee Chen's handle; Lee Wong's is "leew"
    assert (await briefs.build.person("Wong")).brief is None  # a last name alone names no one
    await briefs.people.add_people([Sighting.of("slack", slack_ids=["U07SAM"], name="Sam Patel", handles=["spatel"]),
                                    Sighting.of("slack", slack_ids=["U08SAM"], name="Sam Ortiz", handles=["sortiz"])])
    two_sams = await briefs.build.person_or_topic("sam")
    assert two_sams.brief is None and set(two_sams.suggestions) == {"Sam Patel", "Sam Ortiz"}
    await briefs.people.add_people([Sighting.of("calendar", emails=["lee.chen@other.test"], name="Lee Chen")])
    ambiguous = await briefs.build.person_or_topic("Lee Chen")
    assert ambiguous.brief is None and "names 2 people" in ambiguous.message
    assert set(ambiguous.suggestions) == {"Lee Chen"} and (await briefs.build.person("@lee")).person == "Lee Chen"


async def test_the_daily_brief_says_what_the_day_holds_and_what_changed_since_the_last_one():
    items = [derived("D1/1", text="approve the budget", counterparty_email="dana@acme.test", due_date="2026-11-24",
                     reason="asked by Dana Lee in a DM, due Tue"),
             derived("D1/2", text="sign the lease", due_date="2026-11-27"),
             derived("D1/3", text="pick a venue"),
             derived("D1/4", ItemKind.PROMISE_BY_ME, "send the deck", due_date=TODAY),
             derived("D1/5", ItemKind.PROMISE_TO_ME, "numbers to you", due_date="2026-11-23"),
             derived("D1/6", ItemKind.PROMISE_TO_ME, "slides to you", due_date="2026-11-30")]
    later = CalendarDraft("Board prep", date="2026-11-26", time="09:00", attendees=[])
    briefs = await Briefs(calendar=[BUDGET_SYNC, later], items=items).know()
    first = (await briefs.build.daily()).text_content
    meetings = first.split("Meetings today")[1].split("Asks waiting")[0]
    assert "C1 11:00 Q1 budget sync: prepare Dana Lee asks you: P1 approve the budget" in meetings
    assert "Board prep" not in meetings
    asks = first.split("Asks waiting on you")[1].split("You owe")[0]
    assert asks.index("P1 approve the budget") < asks.index("P2 sign the lease") < asks.index("P3 pick a venue")
    assert "M1 send the deck" in first.split("You owe, due today or late")[1].split("Others owe")[0]
    late = first.split("Others owe you, late")[1].split("Since")[0]
    assert "numbers to you" in late and "slides to you" not in late
    assert "this is the first daily brief" in first

    # the next day: a new ask came, Dana delivered the numbers, the lease is snoozed until monday
    state = await briefs.state.load()
    state = apply_derived(state, [*items[:4], replace(items[4], closed_by="D1/9"), items[5],
                                  derived("D1/7", text="review the contract")], NOW)
    book = state.decisions.priorities.snooze(state.priorities[1].key, date(2026, 11, 30))
    await briefs.state.apply(lambda s: replace(state, decisions=replace(state.decisions, priorities=book)))
    briefs.clock.advance(days=1)
    second = (await briefs.build.daily()).text_content
    since = second.split("Since the last daily brief")[1]
    assert "new ask: P4 review the contract" in since and "closed by Dana Lee: M2 numbers to you" in since
    assert "sign the lease" not in second  # snoozed until monday


async def test_an_item_brief_cites_what_its_counterparty_said_about_it():
    records = [message("7.1", "the vendor contract redlines are in the doc", "Dana Lee", user="U02DANA"),
               message("7.2", "vendor contract for the offsite caterer", "Sam Patel", conversation="random",
                       conversation_id="C09")]
    items = [derived("C01FIN/7.1", text="review the vendor contract redlines", counterparty_email="dana@acme.test")]
    briefs = await Briefs(records, items=items).know()
    brief = await briefs.build.item("P1")
    assert brief.target == "P1" and brief.kind == "topic"
    assert [s.ref for s in brief.sources] == ["C01FIN/7.1"]
    assert "Where it comes from\n- Dana Lee, 2026-11-25: review the vendor contract redlines" in brief.text_content
    assert await briefs.build.item("P9") is None


async def test_a_brief_log_that_fails_still_gives_the_daily_brief(caplog):
    class Broken:
        async def last_daily(self):
            raise OSError("disk full")

        async def record_daily(self, mark):
            raise OSError("disk full")

    briefs = await Briefs(calendar=[BUDGET_SYNC], log=Broken()).know()
    brief = await briefs.build.daily()
    assert "C1 11:00 Q1 budget sync" in brief.text_content and "could not be" in caplog.text
