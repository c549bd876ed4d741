"""The morning brief and meeting prep reaching the person, once per key, over fakes and a fixed clock."""

import asyncio
import logging
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from src.adapters.outbound.memory_outbox import InMemoryOutbox
from src.adapters.outbound.memory_state import InMemoryStateRepository
from src.adapters.outbound.slack_poster import brief_message
from src.adapters.outbound.brief_log import InMemoryBriefLog
from src.adapters.outbound.builtin_brief_writer import BuiltinBriefWriter
from src.adapters.outbound.people_directory import InMemoryPeopleDirectory
from src.application.use_cases.build_brief import BuildBrief
from src.application.changes import StateChanges
from src.application.use_cases.reach_person import ReachThePerson
from src.domain.board import CalendarDraft, CommitmentDraft, PriorityDraft, replace_calendar, replace_commitments, replace_priorities
from src.domain.outbox import SEND_LEASE, PostStatus
from src.domain.outreach import Schedule
from src.domain.system import change_system
from src.domain.triage import snooze_item
from tests.fakes import FakeSearchIndex, FakeSlackPoster, FixedClock, RecordingBroadcaster

PARIS = ZoneInfo("Europe/Paris")
BEFORE = datetime(2026, 11, 30, 7, 29, 58, tzinfo=PARIS)
SCHEDULE = Schedule.of(time(7, 30), 10, ["U01ALEX", "alex@example.com"])


class World:
    def __init__(self, schedule=SCHEDULE, now=BEFORE):
        self.clock = FixedClock(now)
        self.repository = InMemoryStateRepository(self.clock)
        self.outbox = InMemoryOutbox()
        self.slack = FakeSlackPoster(clock=self.clock.now)  # Slack's clock is the service's
        self.broadcaster = RecordingBroadcaster()
        self.changes = StateChanges(self.repository, self.broadcaster)
        self.schedule = schedule

    def process(self, outbox=None, slack=None):
        """One process of the service: its own use case over the shared outbox and state."""
        return ReachThePerson(self.schedule, "U01ALEX", outbox or self.outbox, slack or self.slack,
                              BuildBrief(FakeSearchIndex(), InMemoryPeopleDirectory(["U01ALEX"]), self.clock, self.repository,
                                         BuiltinBriefWriter(), InMemoryBriefLog()), self.repository,
                              self.changes, self.clock, brief_message)

    async def board(self, calendar=(), priorities=(), owe=()):
        now = self.clock.now()

        def fill(state):
            state = replace_calendar(state, list(calendar), now) or state
            state = replace_priorities(state, list(priorities), now) or state
            return replace_commitments(state, list(owe), [], now) or state

        await self.changes.apply(fill)

    async def state(self):
        return await self.repository.load()

    def texts(self):
        return [message["text"] for _, message in self.slack.posts]


def meeting(start="2026-11-30T10:00:00+01:00", attendees=("dana@example.com",), title="Budget review", key="cal-1"):
    return CalendarDraft(title, date=start[:10], time=start[11:16], start=start, attendees=attendees, key=key)


async def test_the_morning_brief_goes_out_once_at_its_time_with_the_codes():
    world = World()
    await world.board(priorities=[PriorityDraft("Approve the hiring plan")])
    reach = world.process()
    await reach()
    assert world.slack.posts == []  # 07:29:58
    world.clock.advance(seconds=2)
    await reach()
    await reach()
    [(channel, message)] = world.slack.posts
    assert channel == "U01ALEX" and "Daily brief for 2026-11-30" in message["text"]
    assert "*P1* Approve the hiring plan" in str(message["blocks"])
    assert "/cos approve" in str(message["blocks"])
    post = await world.outbox.get("daily:2026-11-30")
    assert post.status == PostStatus.SENT and post.sent_at == world.clock.now()


async def test_the_posted_brief_becomes_the_dashboards_active_brief():
    world = World(now=BEFORE + timedelta(seconds=2))
    await world.board(priorities=[PriorityDraft("Approve the hiring plan")])
    await world.process()()
    state = await world.state()
    assert state.active_brief.kind == "daily" and "P1 Approve the hiring plan" in state.active_brief.text_content
    assert world.broadcaster.delivered[-1] == state


async def test_a_day_with_nothing_to_act_on_is_skipped_and_the_log_says_why(caplog):
    world = World(now=BEFORE + timedelta(seconds=2))
    await world.board(calendar=[meeting(start="2026-12-01T10:00:00+01:00")])  # tomorrow only
    with caplog.at_level(logging.INFO):
        await world.process()()
        await world.process()()
    assert world.slack.calls == []
    post = await world.outbox.get("daily:2026-11-30")
    assert post.status == PostStatus.SKIPPED and "no meeting" in post.note
    assert [r.message for r in caplog.records if "skipped" in r.message] == [
        "morning brief for 2026-11-30 skipped: no meeting, no open ask and nothing due today or late"]


async def test_a_service_down_at_the_time_posts_when_back_the_same_day_only():
    world = World(now=datetime(2026, 11, 30, 15, 0, tzinfo=PARIS))
    await world.board(owe=[CommitmentDraft("Send the deck", "Dana", due_date="2026-11-29")])
    await world.process()()
    assert len(world.slack.posts) == 1
    assert "Send the deck (Dana, due 2026-11-29)" in str(world.slack.posts[0][1]["blocks"])
    world.clock.set(datetime(2026, 12, 1, 0, 10, tzinfo=PARIS))  # the next day, before its time
    await world.process()()
    assert len(world.slack.posts) == 1


async def test_snoozed_items_stay_out_of_the_brief_until_their_day():
    world = World(now=BEFORE + timedelta(seconds=2))
    await world.board(priorities=[PriorityDraft("Approve the plan", key="plan"), PriorityDraft("Sign the lease")])
    await world.changes.apply(lambda s: snooze_item(s, "P1", date(2026, 12, 2), world.clock.now())[0])
    await world.process()()
    blocks = str(world.slack.posts[0][1]["blocks"])
    assert "Sign the lease" in blocks and "Approve the plan" not in blocks


async def test_the_brief_waits_for_a_running_collection_to_end():
    world = World(now=BEFORE + timedelta(seconds=2))
    await world.changes.apply(lambda s: change_system(s, status="COLLECTING"))
    await world.process()()
    assert await world.outbox.get("daily:2026-11-30") is None  # not skipped: the board is being filled
    await world.board(priorities=[PriorityDraft("Approve the plan")])
    await world.changes.apply(lambda s: change_system(s, status="IDLE"))
    await world.process()()
    assert len(world.slack.posts) == 1


async def test_several_processes_at_once_post_once():
    world = World(now=BEFORE + timedelta(seconds=2))
    await world.board(priorities=[PriorityDraft("Approve the plan")])
    await asyncio.gather(*(world.process()() for _ in range(5)))
    assert len(world.slack.posts) == 1


async def test_a_failed_post_is_retried_with_backoff_and_sent_once():
    world = World(now=BEFORE + timedelta(seconds=2))
    await world.board(priorities=[PriorityDraft("Approve the plan")])
    world.slack.then("fail", "ratelimited")
    reach = world.process()
    await reach()
    post = await world.outbox.get("daily:2026-11-30")
    assert (post.status, post.note, post.attempts) == (PostStatus.PENDING, "internal_error", 1)
    world.clock.advance(seconds=29)
    await reach()
    assert len(world.slack.calls) == 1  # not before its time
    world.clock.advance(seconds=1)
    await reach()  # rate limited: Slack's Retry-After (2 s) is shorter than the backoff (60 s)
    assert (await world.outbox.get("daily:2026-11-30")).next_attempt_at == world.clock.now() + timedelta(seconds=60)
    world.clock.advance(seconds=60)
    await reach()
    await reach()
    assert len(world.slack.calls) == 3 and len(world.slack.posts) == 1
    assert (await world.state()).system.message is None


@pytest.mark.parametrize("error", ["channel_not_found", "invalid_auth"])
async def test_a_wrong_channel_or_token_fails_at_once_and_is_shown(error):
    world = World(now=BEFORE + timedelta(seconds=2))
    await world.board(priorities=[PriorityDraft("Approve the plan")])
    world.slack.mode = error
    reach = world.process()
    await reach()
    for _ in range(5):
        world.clock.advance(minutes=15)
        await reach()
    assert len(world.slack.calls) == 1  # no retry storm
    assert (await world.outbox.get("daily:2026-11-30")).status == PostStatus.FAILED
    assert (await world.state()).system.message == f"could not post the morning brief to Slack: {error}"


async def test_slack_failing_for_an_hour_ends_in_failed_shown_in_the_system_message():
    world = World(now=BEFORE + timedelta(seconds=2))
    await world.board(priorities=[PriorityDraft("Approve the plan")])
    world.slack.mode = "hang"
    reach = world.process()
    for _ in range(200):
        await reach()
        world.clock.advance(seconds=30)
    post = await world.outbox.get("daily:2026-11-30")
    assert post.status == PostStatus.FAILED and "gave up" in post.note
    assert 5 <= len(world.slack.calls) <= 12
    assert "could not post the morning brief to Slack: timeout; gave up" in (await world.state()).system.message


async def interrupted(world, reached_slack: bool):
    """A process took the morning brief and died mid-send: before Slack got it, or after."""
    reach = world.process()
    await reach._plan_morning_brief(await world.state(), world.clock.now())
    post = await world.outbox.take("daily:2026-11-30", world.clock.now())
    if reached_slack:
        await world.slack.post(post.channel, post.message, post.key)
    world.clock.advance(seconds=SEND_LEASE.total_seconds())
    return reach


@pytest.mark.parametrize("reached_slack", [True, False])
async def test_a_post_interrupted_mid_send_ends_in_slack_exactly_once(reached_slack):
    world = World(now=BEFORE + timedelta(seconds=2))
    await world.board(priorities=[PriorityDraft("Approve the plan")])
    reach = await interrupted(world, reached_slack)
    world.clock.advance(seconds=-1)
    await reach()
    assert world.slack.lookups == []  # its lease has not run out: the dead process may still be sending
    world.clock.advance(seconds=1)
    await reach()
    await reach()
    assert len(world.slack.posts) == 1 and world.slack.lookups == [("U01ALEX", "daily:2026-11-30")]
    post = await world.outbox.get("daily:2026-11-30")
    assert post.status == PostStatus.SENT and post.attempts == 1
    assert ("found in the channel" in (post.note or "")) == reached_slack
    assert (await world.state()).active_brief.kind == "daily"


async def test_a_post_whose_answer_was_lost_is_found_at_the_retry_not_sent_twice():
    world = World(now=BEFORE + timedelta(seconds=2))
    await world.board(priorities=[PriorityDraft("Approve the plan")])
    world.slack.then("accept_then_hang")  # Slack took it; the answer timed out
    reach = world.process()
    await reach()
    assert (await world.outbox.get("daily:2026-11-30")).status == PostStatus.PENDING
    world.clock.advance(seconds=30)
    await reach()
    assert len(world.slack.calls) == 1 and len(world.slack.posts) == 1
    assert (await world.outbox.get("daily:2026-11-30")).status == PostStatus.SENT


async def test_a_first_attempt_is_not_looked_for():
    world = World(now=BEFORE + timedelta(seconds=2))
    await world.board(priorities=[PriorityDraft("Approve the plan")])
    await world.process()()
    assert world.slack.lookups == [] and len(world.slack.posts) == 1


async def test_when_slack_cannot_be_asked_the_post_waits_and_is_never_sent_blind():
    world = World(now=BEFORE + timedelta(seconds=2))
    await world.board(priorities=[PriorityDraft("Approve the plan")])
    reach = await interrupted(world, reached_slack=True)
    world.slack.lookup_error = "timeout"
    await reach()
    post = await world.outbox.get("daily:2026-11-30")
    assert post.status == PostStatus.PENDING and post.note == "could not look in Slack for an earlier attempt: timeout"
    world.slack.lookup_error = None
    world.clock.advance(seconds=30)
    await reach()
    assert len(world.slack.posts) == 1 and len(world.slack.calls) == 1  # the dead process's only: found, not sent again
    assert (await world.outbox.get("daily:2026-11-30")).status == PostStatus.SENT


async def test_a_lookup_refused_for_good_fails_at_once_and_is_shown():
    world = World(now=BEFORE + timedelta(seconds=2))
    await world.board(priorities=[PriorityDraft("Approve the plan")])
    reach = await interrupted(world, reached_slack=False)
    world.slack.lookup_error = "missing_scope"
    await reach()
    world.clock.advance(minutes=15)
    await reach()
    assert world.slack.calls == [] and len(world.slack.lookups) == 1
    assert (await world.outbox.get("daily:2026-11-30")).status == PostStatus.FAILED
    assert (await world.state()).system.message == ("could not post the morning brief to Slack: could not look in "
                                                    "Slack for an earlier attempt: missing_scope")


async def test_prep_goes_out_before_a_meeting_with_others_once_per_occurrence():
    world = World(schedule=Schedule.of(None, 10, ["U01ALEX"]), now=datetime(2026, 11, 30, 9, 49, tzinfo=PARIS))
    await world.board(calendar=[meeting(), meeting(attendees=(), title="Focus", key="cal-2")])
    reach = world.process()
    await reach()
    assert world.slack.posts == []
    world.clock.advance(minutes=1)
    await reach()
    await reach()
    [(channel, message)] = world.slack.posts
    assert "Coming up: Budget review" in message["text"] and "dana@example.com" in str(message["blocks"])
    assert (await world.state()).active_brief.kind == "meeting"


async def test_a_meeting_cancelled_before_its_prep_time_gets_no_post():
    world = World(schedule=Schedule.of(None, 10, ["U01ALEX"]), now=datetime(2026, 11, 30, 9, 45, tzinfo=PARIS))
    await world.board(calendar=[meeting()])
    await world.process()()
    await world.board(calendar=[])  # cancelled at 9:45, 5 minutes before its prep time
    world.clock.advance(minutes=5)
    await world.process()()
    assert world.slack.calls == []


async def test_a_prep_waiting_on_a_retry_is_dropped_when_its_meeting_moves():
    world = World(schedule=Schedule.of(None, 10, ["U01ALEX"]), now=datetime(2026, 11, 30, 9, 50, tzinfo=PARIS))
    await world.board(calendar=[meeting()])
    world.slack.then("fail")
    reach = world.process()
    await reach()
    await world.board(calendar=[meeting(start="2026-11-30T16:00:00+01:00")])  # moved to 16:00
    world.clock.advance(seconds=30)
    await reach()
    assert world.slack.posts == []
    [old] = [p for p in await world.outbox.posts()]
    assert old.status == PostStatus.SKIPPED and "moved" in old.note
    world.clock.set(datetime(2026, 11, 30, 15, 50, tzinfo=PARIS))  # the new occurrence's prep time
    await reach()
    assert len(world.slack.posts) == 1
