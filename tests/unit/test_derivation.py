"""Derived items on the board (contract section 6): codes, statuses and decisions kept by key, a PUT
that leaves them alone, a deleted message that takes its item away, and closing by a delivery."""

from dataclasses import replace
from datetime import datetime, timezone

from src.domain.board import PriorityDraft, CommitmentDraft, replace_commitments, replace_priorities, \
    set_priority_status
from src.domain.conversations import ChatMessage, Conversation, Workspace, WorkspaceUser, person_in, \
    readable_messages
from src.domain.derivation import DerivedItem, apply_derived, closings, one_per_obligation
from src.domain.items import Item, ItemKind
from src.domain.state import DashboardState, Origin, Priority, PriorityStatus
from src.domain.triage import dismiss_item

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)


def derived(ref: str, kind: ItemKind = ItemKind.ASK_TO_ME, text: str = "approve the budget", **fields) -> DerivedItem:
    return DerivedItem(
        key=f"slack:{ref}", kind=kind, text=text, counterparty="Dana Lee", counterparty_email="dana@example.com",
        due_date=fields.pop("due_date", None), confidence=0.8,
        origin=Origin("slack", ref, "Dana Lee", "2026-11-25T08:00:00Z", text), **fields)


def test_derived_items_go_where_their_kind_says_and_carry_origin_on_the_wire():
    state = apply_derived(DashboardState.initial(NOW), [
        derived("D1/1", reason="asked by Dana Lee in a DM"),
        derived("D1/2", ItemKind.PROMISE_BY_ME, "send the deck"),
        derived("D1/3", ItemKind.PROMISE_TO_ME, "numbers by EOD"),
        derived("D1/4", ItemKind.ASK_BY_ME, "review the contract"),
    ], NOW)
    document = state.to_document()
    assert [p["title"] for p in document["priorities"]] == ["approve the budget"]
    assert document["priorities"][0]["origin"]["ref"] == "D1/1"
    assert document["priorities"][0]["reason"] == "asked by Dana Lee in a DM"
    assert [c["text"] for c in document["commitments"]["owe"]] == ["send the deck"]
    assert [c["text"] for c in document["commitments"]["owed"]] == ["numbers by EOD", "review the contract"]
    assert document["commitments"]["owed"][0]["counterparty_email"] == "dana@example.com"
    assert [c["id"] for c in document["commitments"]["owe"] + document["commitments"]["owed"]] == ["M1", "M2", "M3"]


def test_an_item_keeps_its_code_and_the_persons_status_across_derivations():
    state = apply_derived(DashboardState.initial(NOW), [derived("D1/1"), derived("D1/2", text="sign the NDA")], NOW)
    state, _ = set_priority_status(state, "P2", PriorityStatus.PARTIAL, NOW)
    again = apply_derived(state, [derived("D1/0", text="new ask"), derived("D1/1"),
                                  derived("D1/2", text="sign the NDA (edited)")], NOW)
    by_key = {p.key: p for p in again.priorities}
    assert by_key["slack:D1/1"].id == "P1" and by_key["slack:D1/2"].id == "P2" and by_key["slack:D1/0"].id == "P3"
    assert by_key["slack:D1/2"].status is PriorityStatus.PARTIAL
    assert by_key["slack:D1/2"].title == "sign the NDA (edited)"


def test_an_item_whose_message_is_gone_leaves_the_board_and_a_dismissed_one_never_comes_back():
    state = apply_derived(DashboardState.initial(NOW), [derived("D1/1"), derived("D1/2", text="sign the NDA")], NOW)
    state, _ = dismiss_item(state, "P2", NOW)
    again = apply_derived(state, [derived("D1/2", text="sign the NDA")], NOW)
    assert again.priorities == ()


def test_a_put_replaces_only_the_items_without_origin():
    state = apply_derived(DashboardState.initial(NOW), [derived("D1/1"), derived("D1/2", ItemKind.PROMISE_TO_ME)],
                          NOW)
    state = replace_priorities(state, [PriorityDraft("from a processor")], NOW)
    state = replace_commitments(state, [CommitmentDraft("owed by me")], [], NOW)
    assert [(p.title, p.origin is not None) for p in state.priorities] == [
        ("from a processor", False), ("approve the budget", True)]
    assert [c.text for c in state.owe] == ["owed by me"] and [c.key for c in state.owed] == ["slack:D1/2"]
    state = replace_priorities(state, [], NOW)
    assert [p.key for p in state.priorities] == ["slack:D1/1"] and state.priorities[0].id == "P1"


def test_a_delivery_closes_the_item_and_the_person_closing_it_by_hand_stays_closed():
    state = apply_derived(DashboardState.initial(NOW), [derived("D1/1", closed_by="D1/5")], NOW)
    assert state.priorities[0].status is PriorityStatus.DONE and state.priorities[0].closed_by == "D1/5"
    assert state.to_document()["priorities"][0]["closed_by"] == "D1/5"
    # The delivery deleted: open again. Approved by hand: stays done.
    reopened = apply_derived(state, [derived("D1/1")], NOW)
    assert reopened.priorities[0].status is PriorityStatus.PENDING
    approved, _ = set_priority_status(reopened, "P1", PriorityStatus.DONE, NOW)
    assert apply_derived(approved, [derived("D1/1")], NOW).priorities[0].status is PriorityStatus.DONE


# -- from conversations -----------------------------------------------------------------------------

USERS = (WorkspaceUser("U1", "Alex Morgan", "alex@example.com", ("alex",)),
         WorkspaceUser("U2", "Dana Lee", "dana@example.com", ("dana",)),
         WorkspaceUser("U3", "Sam Ortiz", "sam@example.com", ("sam",)))


def chat(ts: str, user: str, text: str, thread_ts: str | None = None) -> ChatMessage:
    name = next(u.name for u in USERS if u.id == user)
    return ChatMessage(ts=ts, user=user, author=name, text=text, thread_ts=thread_ts)


def workspace(*conversations: Conversation) -> Workspace:
    return Workspace(USERS, conversations)


def test_the_person_is_a_party_as_author_dm_member_mention_or_thread_member_only():
    general = Conversation("C1", "general", "channel", ("U1", "U2", "U3"), (
        chat("100.0", "U2", "Sam can you send the numbers?"),  # between others
        chat("101.0", "U3", "<@U1> can you approve?"),  # mentions the person
        chat("102.0", "U2", "kicking off the thread"),
        chat("103.0", "U1", "following", thread_ts="102.0"),
        chat("104.0", "U3", "any update?", thread_ts="102.0"),  # a thread the person is in
    ))
    dm = Conversation("D1", "D1", "dm", ("U1", "U2"), (chat("105.0", "U2", "hey"),))
    work = workspace(general, dm)
    person = person_in(work, ("alex@example.com",), timezone.utc)
    assert person.is_me("Alex Morgan") and person.is_me("U1")
    party = {r.ref for r in readable_messages(work, person)}
    assert party == {"C1/101.0", "C1/102.0", "C1/103.0", "C1/104.0", "D1/105.0"}


def test_a_thread_reply_is_read_with_its_thread_and_a_dm_with_its_earlier_messages():
    channel = Conversation("C1", "general", "channel", (), (
        chat("100.0", "U2", "root"), chat("101.0", "U3", "elsewhere"), chat("102.0", "U1", "reply", "100.0")))
    dm = Conversation("D1", "D1", "dm", ("U1", "U2"), (chat("200.0", "U2", "one"), chat("201.0", "U1", "two")))
    work = workspace(channel, dm)
    readable = {r.ref: r.message for r in readable_messages(work, person_in(work, ("U1",), timezone.utc))}
    assert [m.id for m in readable["C1/102.0"].thread] == ["C1/100.0"]
    assert [m.id for m in readable["D1/201.0"].thread] == ["D1/200.0"]
    assert readable["D1/201.0"].members == ("Dana Lee",)


def item(message_id: str, kind: ItemKind, conversation: str, **fields) -> Item:
    return Item(message_id=message_id, kind=kind, text="x", counterparty="Dana Lee", due_date=None, confidence=0.8,
                conversation=conversation, **fields)


def test_a_later_delivery_by_the_owing_side_closes_one_item_only():
    dm = Conversation("D1", "D1", "dm", ("U1", "U2"), (
        chat("100.0", "U2", "can you send the deck?"),
        chat("101.0", "U2", "and the budget?"),
        chat("102.0", "U2", "sent you mine"),  # the other side: closes nothing the person owes
        chat("103.0", "U1", "sent, here it is https://docs.example.com/deck"),
    ))
    work = workspace(dm)
    person = person_in(work, ("U1",), timezone.utc)
    messages = readable_messages(work, person)
    asks = [item("D1/100.0", ItemKind.ASK_TO_ME, "D1", owed_by="U1"),
            item("D1/101.0", ItemKind.ASK_TO_ME, "D1", owed_by="U1")]
    assert closings(asks, messages, person) == {"D1/100.0": "D1/103.0"}


def test_an_accepted_ask_is_one_item_the_promise():
    ask = item("D1/1", ItemKind.ASK_TO_ME, "D1")
    promise = item("D1/2", ItemKind.PROMISE_BY_ME, "D1", accepts="D1/1")
    assert one_per_obligation([ask, promise]) == [promise]


def test_items_an_outside_collector_sent_with_an_origin_of_its_own_stay_when_messages_are_read():
    crm = Priority(id="", key="crm:42", title="Renew the Acme contract", due_date=None, source="crm",
                   alert=False, new=False, status=PriorityStatus.PENDING,
                   origin=Origin("crm", "42", "Acme", "2026-11-20T09:00:00Z", "renewal due"))
    state = replace(DashboardState.initial(NOW), priorities=(crm,))
    after = apply_derived(state, [], NOW)
    assert [p.key for p in after.priorities] == ["crm:42"]
