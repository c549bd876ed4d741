"""The MessageReader contract: one suite that every reader passes, the built-in one and the fake alike.

Subclass `MessageReaderContract` and give it a `reader` fixture (tests/contract/test_message_reader.py).
The cases are clear-cut on purpose: what a reader must never get wrong, not a measure of quality
(that is `python -m eval.reader`).
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from src.domain.items import ConversationKind, ItemKind, Message, Person

ME = Person(identities=("U01ALEX", "alex@example.com", "Alex Rivera"), zone=ZoneInfo("America/New_York"))
# Tuesday 24 November 2026, 15:00 in New York (20:00 UTC).
TUESDAY_AFTERNOON = datetime(2026, 11, 24, 20, 0, tzinfo=timezone.utc)


def dm(text: str, author: str = "Dana Lee", *, id: str = "m1", thread: tuple[Message, ...] = (),
       bot: bool = False, to: tuple[str, ...] = ()) -> Message:
    """A direct message between the person and Dana (or another author)."""
    return Message(id=id, text=text, author=author, sent_at=TUESDAY_AFTERNOON, to=to,
                   conversation="D1", conversation_kind=ConversationKind.DM, thread=thread, is_bot=bot)


def channel(text: str, author: str = "Dana Lee", *, id: str = "c1", to: tuple[str, ...] = (),
            thread: tuple[Message, ...] = ()) -> Message:
    return Message(id=id, text=text, author=author, sent_at=TUESDAY_AFTERNOON, to=to,
                   conversation="C1", conversation_kind=ConversationKind.CHANNEL, thread=thread)


class MessageReaderContract:
    """Every reader: `reader.read(message, person)` gives one `Item` or None."""

    def test_a_promise_by_the_person_is_theirs_with_its_due_date(self, reader):
        item = reader.read(dm("I'll send you the deck by tomorrow", author="U01ALEX", to=("Dana Lee",)), ME)
        assert item is not None
        assert item.kind is ItemKind.PROMISE_BY_ME
        assert item.counterparty == "Dana Lee"
        assert item.due_date == date(2026, 11, 25)
        assert item.message_id == "m1"
        assert 0.0 <= item.confidence <= 1.0

    def test_someone_asking_the_person_is_an_ask_to_them(self, reader):
        item = reader.read(dm("can you review the budget doc before tomorrow?"), ME)
        assert item is not None and item.kind is ItemKind.ASK_TO_ME
        assert item.counterparty == "Dana Lee"
        assert item.due_date == date(2026, 11, 25)

    def test_the_person_asking_someone_is_an_ask_by_them(self, reader):
        item = reader.read(dm("can you send me the contract?", author="alex@example.com", to=("Sam Patel",)), ME)
        assert item is not None and item.kind is ItemKind.ASK_BY_ME
        assert item.counterparty == "Sam Patel"
        assert item.due_date is None

    def test_someone_promising_the_person_is_a_promise_to_them(self, reader):
        item = reader.read(dm("I'll send you the numbers tomorrow"), ME)
        assert item is not None and item.kind is ItemKind.PROMISE_TO_ME
        assert item.counterparty == "Dana Lee"

    def test_will_do_in_reply_to_an_ask_is_the_persons_promise_that_accepts_it(self, reader):
        ask = dm("can you send me the q3 numbers by tomorrow?", id="a1")
        item = reader.read(dm("will do", author="U01ALEX", id="a2", thread=(ask,)), ME)
        assert item is not None and item.kind is ItemKind.PROMISE_BY_ME
        assert item.counterparty == "Dana Lee"
        assert item.accepts == "a1"

    def test_bot_posts_are_not_items(self, reader):
        assert reader.read(dm("Please approve the expense report by tomorrow", author="Expensify", bot=True), ME) is None

    def test_an_ask_between_two_other_people_is_not_an_item(self, reader):
        assert reader.read(channel("can you send me the contract?", to=("Sam Patel",)), ME) is None

    def test_a_plan_that_promises_nothing_is_not_an_item(self, reader):
        assert reader.read(dm("I'll be out Friday", author="U01ALEX", to=("Dana Lee",)), ME) is None

    def test_an_announcement_to_everyone_is_not_an_item(self, reader):
        assert reader.read(channel("@channel please fill in the offsite survey by Friday"), ME) is None

    def test_chatter_is_not_an_item(self, reader):
        assert reader.read(dm("haha that was a great offsite"), ME) is None

    def test_read_many_reads_each_message_as_read_does_in_order(self, reader):
        ask = dm("can you send me the q3 numbers by tomorrow?", id="a1")
        messages = [ask, dm("haha that was a great offsite", id="a2"),
                    dm("will do", author="U01ALEX", id="a3", thread=(ask,)),
                    channel("can you send me the contract?", to=("Sam Patel",))]
        assert reader.read_many(messages, ME) == [reader.read(message, ME) for message in messages]
        assert [item.kind if item else None for item in reader.read_many(messages, ME)] == [
            ItemKind.ASK_TO_ME, None, ItemKind.PROMISE_BY_ME, None]
        assert reader.read_many([], ME) == []
