"""ExtractItems over the fake reader: how messages sent to POST /api/extract become what the reader reads."""

import asyncio
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from src.application.use_cases.extract_items import ExtractItems, MessageToRead
from src.domain.errors import InvalidInput
from src.domain.items import ItemKind
from tests.fakes import FakeReader, FixedClock

NEW_YORK = ZoneInfo("America/New_York")
# Tuesday 24 November 2026, 22:30 in New York: already Wednesday in UTC.
LATE_TUESDAY = datetime(2026, 11, 24, 22, 30, tzinfo=NEW_YORK)


def extract(messages, identities=("U01ALEX", "Alex Rivera"), now=LATE_TUESDAY):
    use_case = ExtractItems(FakeReader(), FixedClock(now), identities)
    return asyncio.run(use_case(messages))


def test_a_message_without_to_from_someone_else_is_addressed_to_the_person():
    [item] = extract([MessageToRead("m1", "can you review the budget?", "Dana Lee")])
    assert (item.kind, item.counterparty, item.message_id) == (ItemKind.ASK_TO_ME, "Dana Lee", "m1")


def test_a_message_to_someone_else_is_not_the_persons_business():
    assert extract([MessageToRead("m1", "can you review the budget?", "Dana Lee", to=("Sam Patel",))]) == []


def test_will_do_to_an_ask_in_the_same_thread_is_one_promise_by_the_person():
    items = extract([MessageToRead("a", "can you send the deck tomorrow?", "Dana Lee", thread="t1"),
                     MessageToRead("b", "will do", "U01ALEX", thread="t1")])
    assert [(item.message_id, item.kind, item.counterparty) for item in items] == [
        ("b", ItemKind.PROMISE_BY_ME, "Dana Lee")]


def test_the_same_words_in_another_thread_answer_nothing():
    items = extract([MessageToRead("a", "can you send the deck?", "Dana Lee", thread="t1"),
                     MessageToRead("b", "will do", "U01ALEX", thread="t2")])
    assert [item.message_id for item in items] == ["a", "b"]
    assert items[1].counterparty is None


def test_without_at_a_message_is_sent_now_in_the_persons_zone():
    [item] = extract([MessageToRead("m1", "can you send it tomorrow?", "Dana Lee")])
    assert item.due_date == date(2026, 11, 25)  # the New York tomorrow, not the UTC one (the 26th)


def test_an_at_without_offset_is_in_the_persons_zone():
    at = datetime(2026, 11, 24, 22, 30)
    [item] = extract([MessageToRead("m1", "can you send it tomorrow?", "Dana Lee", at=at)],
                     now=datetime(2026, 12, 1, 9, tzinfo=NEW_YORK))
    assert item.due_date == date(2026, 11, 25)


def test_more_than_1000_messages_are_refused():
    with pytest.raises(InvalidInput, match="at most 1000"):
        extract([MessageToRead(f"m{n}", "hi", "Dana Lee") for n in range(1001)])


def test_the_same_id_twice_is_refused():
    with pytest.raises(InvalidInput, match="unique"):
        extract([MessageToRead("m1", "hi", "Dana Lee"), MessageToRead("m1", "can you?", "Dana Lee")])


def test_without_identities_only_what_is_addressed_to_the_person_comes_back():
    items = extract([MessageToRead("m1", "can you review it?", "Dana Lee"),
                     MessageToRead("m2", "I'll send it", "Alex Rivera", to=("Dana Lee",))], identities=())
    assert [(item.message_id, item.kind) for item in items] == [("m1", ItemKind.ASK_TO_ME)]


def test_items_come_in_the_order_of_the_messages_sent():
    items = extract([MessageToRead("z", "can you do A?", "Dana Lee",
                                   at=datetime(2026, 11, 24, 10, tzinfo=timezone.utc)),
                     MessageToRead("a", "can you do B?", "Sam Patel",
                                   at=datetime(2026, 11, 23, 10, tzinfo=timezone.utc))])
    assert [item.message_id for item in items] == ["z", "a"]
