"""What is due when: the morning brief, meeting prep and retries, with a fixed clock in the person's zone."""

from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from src.domain.board import CalendarDraft, CommitmentDraft, PriorityDraft, replace_calendar, replace_commitments, replace_priorities
from src.domain.decisions import Decisions
from src.domain.outbox import Post, PostKind, PostStatus, prep_key
from src.domain.outreach import (
    Schedule,
    meeting_still_on,
    morning_brief_day,
    nothing_to_act_on,
    preps_due,
    still_collecting,
)
from src.domain.state import DashboardState, SystemState, SystemStatus

PARIS = ZoneInfo("Europe/Paris")
MORNING = datetime(2026, 11, 30, 7, 30, tzinfo=PARIS)
SCHEDULE = Schedule.of(time(7, 30), 10, ["U01ALEX", "Alex@Example.com"])


def board(calendar=(), priorities=(), owe=(), now=MORNING) -> DashboardState:
    state = DashboardState.initial(now)
    state = replace_calendar(state, list(calendar), now) or state
    state = replace_priorities(state, list(priorities), now) or state
    return replace_commitments(state, list(owe), [], now) or state


def meeting(title="Budget review", start="2026-11-30T10:00:00+01:00", attendees=("dana@example.com",), key="cal-1"):
    return CalendarDraft(title, date=start[:10], time=start[11:16], start=start, attendees=attendees, key=key)


def test_the_morning_brief_is_due_from_its_time_to_the_end_of_the_day():
    assert morning_brief_day(SCHEDULE, MORNING - timedelta(seconds=1)) is None
    assert morning_brief_day(SCHEDULE, MORNING) == "2026-11-30"
    # Down at 7:30, back at 23:59: still that day's brief; after midnight it is the next day's question.
    assert morning_brief_day(SCHEDULE, datetime(2026, 11, 30, 23, 59, tzinfo=PARIS)) == "2026-11-30"
    assert morning_brief_day(SCHEDULE, datetime(2026, 12, 1, 0, 5, tzinfo=PARIS)) is None
    assert morning_brief_day(Schedule.of(None, 10, []), MORNING) is None


def test_the_day_is_read_in_the_persons_zone():
    # 06:45 UTC is 07:45 in Paris: due there, not at 07:30 UTC.
    assert morning_brief_day(SCHEDULE, datetime(2026, 11, 30, 6, 45, tzinfo=timezone.utc).astimezone(PARIS))


def test_a_day_with_no_meeting_no_ask_and_nothing_due_has_nothing_to_act_on():
    assert "no meeting" in nothing_to_act_on(board(), MORNING)
    assert nothing_to_act_on(board(calendar=[meeting()]), MORNING) is None
    assert nothing_to_act_on(board(priorities=[PriorityDraft("Approve the plan")]), MORNING) is None
    assert nothing_to_act_on(board(owe=[CommitmentDraft("Send the deck", due_date="2026-11-29")]), MORNING) is None


def test_what_is_done_or_due_later_is_not_something_to_act_on_today():
    quiet = board(calendar=[meeting(start="2026-12-01T10:00:00+01:00")],
                  priorities=[PriorityDraft("Old ask", status="done")],
                  owe=[CommitmentDraft("Send the deck", due_date="2026-12-03")])
    assert nothing_to_act_on(quiet, MORNING) is not None


def test_a_snoozed_item_stays_out_until_its_day():
    state = board(priorities=[PriorityDraft("Approve the plan", key="ask")])
    snoozed = replace(state, decisions=Decisions(state.decisions.priorities.snooze("ask", date(2026, 12, 2))))
    assert nothing_to_act_on(snoozed, MORNING) is not None
    assert nothing_to_act_on(snoozed, MORNING + timedelta(days=2)) is None


def test_the_brief_waits_while_a_collection_refills_the_board():
    assert still_collecting(replace(board(), system=SystemState(SystemStatus.COLLECTING)))
    assert not still_collecting(board())


def test_prep_is_due_from_its_time_until_the_meeting_starts():
    state = board(calendar=[meeting()])
    nine_fifty = datetime(2026, 11, 30, 9, 50, tzinfo=PARIS)
    assert preps_due(SCHEDULE, state, nine_fifty - timedelta(seconds=1)) == []
    [due] = preps_due(SCHEDULE, state, nine_fifty)
    assert due.meeting.key == "cal-1" and due.start == datetime(2026, 11, 30, 10, 0, tzinfo=PARIS)
    assert preps_due(SCHEDULE, state, nine_fifty + timedelta(minutes=10)) == []  # started: stale


def test_only_meetings_with_someone_else_get_prep():
    alone = board(calendar=[meeting(attendees=()), meeting(attendees=("alex@example.com",), key="cal-2")])
    assert preps_due(SCHEDULE, alone, datetime(2026, 11, 30, 9, 55, tzinfo=PARIS)) == []


def test_an_all_day_event_gets_no_prep_and_no_prep_minutes_means_none():
    all_day = board(calendar=[CalendarDraft("Offsite", date="2026-11-30", attendees=("dana@example.com",))])
    assert preps_due(SCHEDULE, all_day, MORNING) == []
    assert preps_due(Schedule.of(time(7, 30), None, []), board(calendar=[meeting()]),
                     datetime(2026, 11, 30, 9, 55, tzinfo=PARIS)) == []


def test_a_meeting_without_a_start_is_read_from_its_day_and_time_in_the_persons_zone():
    state = board(calendar=[CalendarDraft("Sync", date="2026-11-30", time="10:00", attendees=("dana@x.com",))])
    [due] = preps_due(SCHEDULE, state, datetime(2026, 11, 30, 9, 55, tzinfo=PARIS))
    assert due.start == datetime(2026, 11, 30, 10, 0, tzinfo=PARIS)


def test_a_moved_or_cancelled_meeting_is_not_still_on():
    start = datetime(2026, 11, 30, 10, 0, tzinfo=PARIS)
    before = datetime(2026, 11, 30, 9, 50, tzinfo=PARIS)
    assert meeting_still_on(board(calendar=[meeting()]), "cal-1", start, before) is not None
    assert meeting_still_on(board(calendar=[meeting(start="2026-11-30T11:00:00+01:00")]), "cal-1", start, before) is None
    assert meeting_still_on(board(), "cal-1", start, before) is None
    assert meeting_still_on(board(calendar=[meeting()]), "cal-1", start, start) is None


def test_each_occurrence_has_its_own_prep_key():
    start = datetime(2026, 11, 30, 10, 0, tzinfo=PARIS)
    assert prep_key("cal-1", start) != prep_key("cal-1", start + timedelta(days=7))
    assert prep_key("cal-1", start) == prep_key("cal-1", start.astimezone(timezone.utc))


def post(**fields) -> Post:
    return Post("daily:2026-11-30", PostKind.DAILY, "U01ALEX", "Daily brief", MORNING, **fields)


def test_a_failed_attempt_is_retried_with_a_doubling_wait():
    first = post().not_sent("internal_error", MORNING)
    assert first.status == PostStatus.PENDING and first.next_attempt_at == MORNING + timedelta(seconds=30)
    second = first.not_sent("internal_error", MORNING + timedelta(seconds=30))
    assert second.next_attempt_at == MORNING + timedelta(seconds=90) and second.attempts == 2


def test_slacks_retry_after_is_honoured():
    waited = post().not_sent("ratelimited", MORNING, retry_after_s=120)
    assert waited.next_attempt_at == MORNING + timedelta(seconds=120)


def test_retries_end_an_hour_after_the_post_was_recorded():
    late = post(attempts=8).not_sent("timeout", MORNING + timedelta(minutes=55))
    assert late.status == PostStatus.FAILED and "gave up" in late.note and "timeout" in late.note


def test_a_wrong_channel_or_token_fails_at_once():
    for error in ("channel_not_found", "invalid_auth"):
        failed = post().not_sent(error, MORNING)
        assert failed.status == PostStatus.FAILED and failed.note == error and failed.next_attempt_at is None
