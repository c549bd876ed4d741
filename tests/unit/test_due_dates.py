"""Due dates (contract section 6): what a message's deadline means, in the person's zone, from when it
was sent. Sent Tuesday 24 November 2026 at 22:30 in New York, which is already Wednesday in UTC."""

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from src.adapters.outbound.reader.due_dates import due_date

NEW_YORK = ZoneInfo("America/New_York")
TUESDAY_LATE = datetime(2026, 11, 25, 3, 30, tzinfo=timezone.utc)  # 22:30 on Tuesday the 24th in New York

CASES = [
    ("I'll send it today", date(2026, 11, 24)),
    ("numbers to you by EOD", date(2026, 11, 24)),
    ("will finish it tonight", date(2026, 11, 24)),
    ("can you review by cob?", date(2026, 11, 24)),
    ("can you send it tomorrow?", date(2026, 11, 25)),
    ("pls send tmrw", date(2026, 11, 25)),
    ("tomorrow EOD works", date(2026, 11, 25)),
    ("by Thursday please", date(2026, 11, 26)),
    ("by thurs pls", date(2026, 11, 26)),
    ("before friday", date(2026, 11, 27)),
    ("can we do it monday", date(2026, 11, 30)),
    ("Tuesday works", date(2026, 12, 1)),  # the weekday it was sent on: a week on ("today" says today)
    ("this tuesday", date(2026, 12, 1)),
    ("next tuesday then", date(2026, 12, 1)),
    ("I'll get to it next week", date(2026, 11, 30)),  # its Monday
    ("by end of week", date(2026, 11, 27)),
    ("by EOW", date(2026, 11, 27)),
    ("before the end of the week", date(2026, 11, 27)),
    ("by end of month", date(2026, 11, 30)),
    ("EOM at the latest", date(2026, 11, 30)),
    ("due Dec 9", date(2026, 12, 9)),
    ("due December 9th", date(2026, 12, 9)),
    ("by 12/9", date(2026, 12, 9)),
    ("by Jan 5", date(2027, 1, 5)),  # a date already past this year: next year's
    ("in 2 days", date(2026, 11, 26)),
    ("in two days", date(2026, 11, 26)),
    ("in a week", date(2026, 12, 1)),
    ("sending it now", date(2026, 11, 24)),
    ("signing it before lunch", date(2026, 11, 24)),
    ("will send it over in a bit", date(2026, 11, 24)),
    ("for now let's wait", None),
    ("I'll send you the deck", None),
    ("may I ask a question", None),
    ("we shipped 2 versions", None),
    ("the 3 of us", None),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[text for text, _ in CASES])
def test_a_deadline_means_a_date_in_the_persons_zone_from_the_send_time(text, expected):
    assert due_date(text, TUESDAY_LATE, NEW_YORK) == expected


def test_the_same_words_sent_at_the_same_moment_mean_another_day_in_another_zone():
    assert due_date("tomorrow", TUESDAY_LATE, ZoneInfo("Europe/Paris")) == date(2026, 11, 26)
