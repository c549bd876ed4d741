"""An ask the person has answered in its thread waits on them no more (src/domain/derivation.py:
`answers`): a later reply by the person that settles it closes the ask, with `closed_by` the reply."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from src.domain.conversations import ChatMessage, Conversation, Workspace, WorkspaceUser, person_in, \
    readable_messages
from src.domain.derivation import answers, closings, is_answer
from src.domain.items import Item, ItemKind

START = datetime(2026, 11, 24, 14, 0, tzinfo=timezone.utc)
USERS = (WorkspaceUser("U01ALEX", "Alex Rivera"), WorkspaceUser("U02DANA", "Dana Lee"),
         WorkspaceUser("U03SAM", "Sam Patel"))
NAMES = {"alex": ("U01ALEX", "Alex Rivera"), "dana": ("U02DANA", "Dana Lee"), "sam": ("U03SAM", "Sam Patel")}


def ts(minutes: int) -> str:
    return f"{(START + timedelta(minutes=minutes)).timestamp():.6f}"


def chat(minutes: int, who: str, text: str, thread: int | None = None) -> ChatMessage:
    user, name = NAMES[who]
    return ChatMessage(ts(minutes), user, name, text, thread_ts=ts(thread) if thread is not None else None)


def board(kind: str, messages: list[ChatMessage], items: dict[int, ItemKind]):
    """The person's readable messages and the items the reader would find at those minutes."""
    conversation = Conversation("C01FIN" if kind == "channel" else "D01DANA", "finance" if kind == "channel" else "",
                                kind, ("U01ALEX", "U02DANA", "U03SAM"), tuple(messages))
    workspace = Workspace(USERS, (conversation,))
    person = person_in(workspace, ("U01ALEX",), ZoneInfo("America/New_York"))
    party = readable_messages(workspace, person)
    by_minute = {r.ref: r for r in party}
    found = []
    for minute, item_kind in items.items():
        ref = f"{conversation.id}/{ts(minute)}"
        readable = by_minute[ref]
        found.append(Item(ref, item_kind, readable.message.text, "Dana Lee", None, 0.9,
                          conversation=readable.message.conversation,
                          owed_by="U01ALEX" if item_kind.owed_by_me else "Dana Lee"))
    return found, party, person, conversation.id


def closed_by(kind, messages, items) -> dict[str, str]:
    found, party, person, conversation_id = board(kind, messages, items)
    closed = closings(found, party, person)
    closed.update(answers(found, party, person, closed))
    return {ref.split("/")[1]: value.split("/")[1] for ref, value in closed.items()}


def test_an_answer_in_the_asks_thread_closes_it():
    messages = [chat(0, "dana", "<@U01ALEX> thoughts on pushing the offsite to march?"),
                chat(5, "sam", "march works for me", thread=0),
                chat(40, "alex", "march is fine by me, lets lock it", thread=0)]
    assert closed_by("channel", messages, {0: ItemKind.ASK_TO_ME}) == {ts(0): ts(40)}


def test_a_question_back_or_a_holding_reply_leaves_it_waiting_and_a_later_answer_closes_it():
    messages = [chat(0, "dana", "<@U01ALEX> should the waitlist be public or behind a login?"),
                chat(10, "alex", "which login would we even use?", thread=0),
                chat(20, "alex", "hmm let me think about it", thread=0)]
    assert closed_by("channel", messages, {0: ItemKind.ASK_TO_ME}) == {}
    answered = [*messages, chat(90, "alex", "public. we can add a login later if spam shows up", thread=0)]
    assert closed_by("channel", answered, {0: ItemKind.ASK_TO_ME}) == {ts(0): ts(90)}


def test_a_reply_elsewhere_in_the_channel_or_by_someone_else_answers_nothing():
    messages = [chat(0, "dana", "<@U01ALEX> can you decide on the vendor?"),
                chat(5, "sam", "go with acme", thread=0),
                chat(30, "alex", "great quarter everyone")]  # top level, not in the ask's thread
    assert closed_by("channel", messages, {0: ItemKind.ASK_TO_ME}) == {}


def test_in_a_dm_the_next_reply_answers_but_not_once_a_newer_ask_came():
    messages = [chat(0, "dana", "ok if I take monday off?"),
                chat(12, "alex", "of course, enjoy the long weekend!")]
    assert closed_by("dm", messages, {0: ItemKind.ASK_TO_ME}) == {ts(0): ts(12)}
    newer = [chat(0, "dana", "can you approve the $12k for the launch event?"),
             chat(5, "dana", "also can you review the guest list?"),
             chat(30, "alex", "guest list looks good")]
    # The reply is about the newer ask: the first one still waits.
    assert closed_by("dm", newer, {0: ItemKind.ASK_TO_ME, 5: ItemKind.ASK_TO_ME}) == {ts(5): ts(30)}


def test_a_reply_that_is_an_item_of_its_own_or_delivers_something_else_answers_nothing():
    promise = [chat(0, "dana", "can you look at the travel policy?"),
               chat(10, "alex", "can you also share the vendor list with priya")]
    assert closed_by("dm", promise, {0: ItemKind.ASK_TO_ME, 10: ItemKind.ASK_BY_ME}) == {}
    delivery = [chat(0, "alex", "I'll send the board deck by friday"),
                chat(10, "dana", "can you pull the top 5 risks too?"),
                chat(60, "alex", "board deck draft here https://slides.test/q4")]
    assert closed_by("dm", delivery, {0: ItemKind.PROMISE_BY_ME, 10: ItemKind.ASK_TO_ME}) == {ts(0): ts(60)}


@pytest.mark.parametrize("text", ["yes approved, go ahead", "no - not until the DPA is signed", "15k is ok, go for it",
                                  "march is fine by me, lets lock it", "lgtm", "ok", "Sure, that works?"])
def test_answers_as_people_write_them(text):
    assert is_answer(text)


@pytest.mark.parametrize("text", ["which version?", "hmm not sure", "let me check with lee", "good q, let me think",
                                  "will look tomorrow", "not yet", "", "   ", "👀"])
def test_what_holds_an_ask_open(text):
    assert not is_answer(text)


def test_a_day_off_is_not_a_deadline():
    from src.adapters.outbound.reader.due_dates import due_date

    zone = ZoneInfo("America/New_York")
    friday = datetime(2026, 11, 27, 14, 0, tzinfo=timezone.utc)
    assert due_date("ok if I take monday off?", friday, zone) is None
    assert due_date("could you approve my pto for dec 20-31?", friday, zone) is None
    assert due_date("I'm off friday, can you send it thursday?", friday, zone) == date(2026, 12, 3)
    assert due_date("need your sign off by monday", friday, zone) == date(2026, 11, 30)


def test_a_message_that_asks_something_of_its_own_delivers_only_what_it_hands_over():
    promise = [chat(0, "dana", "I'll share the usability recordings next week"),
               chat(60, "dana", "quick one, ok if I take monday off? icon work is all done")]
    items = {0: ItemKind.PROMISE_TO_ME, 60: ItemKind.ASK_TO_ME}
    assert closed_by("dm", promise, items) == {}
    with_link = [promise[0], chat(60, "dana", "recordings done https://drive.test/rec, ok if I take monday off?")]
    assert closed_by("dm", with_link, items) == {ts(0): ts(60)}


def test_a_reply_to_someone_elses_question_in_the_thread_does_not_answer_the_ask():
    messages = [chat(0, "dana", "<@U01ALEX> can you approve the vendor budget?"),
                chat(5, "sam", "is the cloud line in there?", thread=0),
                chat(9, "alex", "<@U03SAM> yes its in the eng tab", thread=0)]
    assert closed_by("channel", messages, {0: ItemKind.ASK_TO_ME}) == {}
    to_dana = [*messages, chat(30, "alex", "<@U02DANA> lets go with the lower one", thread=0)]
    assert closed_by("channel", to_dana, {0: ItemKind.ASK_TO_ME}) == {ts(0): ts(30)}
