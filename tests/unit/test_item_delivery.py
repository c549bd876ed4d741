"""Closing an item (contract section 6): a later message in the same conversation, by the side that owes
it, that delivers it ("sent", a link, a file, "signed")."""

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from src.domain.items import ConversationKind, Item, ItemKind, Message, Person, delivers

ME = Person(identities=("U01ALEX", "Alex Rivera"), zone=ZoneInfo("America/New_York"))
SENT = datetime(2026, 11, 24, 20, 0, tzinfo=timezone.utc)


def item(kind: ItemKind, owed_by: str) -> Item:
    return Item(message_id="m1", kind=kind, text="the q3 deck", counterparty="Dana Lee",
                due_date=date(2026, 11, 25), confidence=0.9, conversation="D1", owed_by=owed_by)


def later(text: str, author: str, *, conversation: str = "D1", files: tuple[str, ...] = ()) -> Message:
    return Message(id="m2", text=text, author=author, sent_at=SENT + timedelta(hours=3), conversation=conversation,
                   conversation_kind=ConversationKind.DM, files=files)


MY_PROMISE = item(ItemKind.PROMISE_BY_ME, "U01ALEX")
DANAS_PROMISE = item(ItemKind.PROMISE_TO_ME, "Dana Lee")


@pytest.mark.parametrize("text", ["sent!", "signed", "here you go", "done, approved in workday",
                                  "deck: https://docs.example.com/q3", "attached the deck"])
def test_the_owing_side_delivering_closes_the_item(text):
    assert delivers(later(text, "U01ALEX"), MY_PROMISE, ME)
    assert delivers(later(text, "Dana Lee"), DANAS_PROMISE, ME)


def test_a_file_closes_the_item():
    assert delivers(later("", "U01ALEX", files=("q3.pdf",)), MY_PROMISE, ME)


@pytest.mark.parametrize("text", ["not sent yet, sorry", "haven't signed it", "will send tomorrow", "thanks!",
                                  "how's it going?"])
def test_words_that_deliver_nothing_do_not_close_it(text):
    assert not delivers(later(text, "U01ALEX"), MY_PROMISE, ME)


def test_the_other_side_cannot_close_what_the_person_owes():
    assert not delivers(later("sent", "Dana Lee"), MY_PROMISE, ME)
    assert not delivers(later("sent", "U01ALEX"), DANAS_PROMISE, ME)


def test_a_delivery_in_another_conversation_does_not_close_it():
    assert not delivers(later("sent", "U01ALEX", conversation="D2"), MY_PROMISE, ME)


def test_an_ask_to_the_person_is_closed_by_the_person_and_an_ask_by_them_by_the_one_asked():
    asked_of_me = item(ItemKind.ASK_TO_ME, "U01ALEX")
    asked_of_dana = item(ItemKind.ASK_BY_ME, "Dana Lee")
    assert delivers(later("approved", "Alex Rivera"), asked_of_me, ME)
    assert delivers(later("sent it over", "Dana Lee"), asked_of_dana, ME)
    assert not delivers(later("sent it over", "Sam Patel"), asked_of_dana, ME)


def test_the_person_is_known_by_any_identity_in_any_case_and_by_a_mention():
    assert ME.is_me("u01alex") and ME.is_me(" Alex Rivera ") and not ME.is_me("Dana Lee")
    assert ME.mentioned_in("<@U01ALEX> can you look?") and ME.mentioned_in("@alex can you look?")
    assert not ME.mentioned_in("@dana can you look?") and not ME.mentioned_in("alex@example.com wrote")
