"""Asks waiting on the person, ranked by urgency, each with the reason a person would give
(src/domain/urgency.py), and the board's order and codes that follow from it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from src.domain.derivation import DerivedItem, apply_derived
from src.domain.items import ItemKind
from src.domain.state import DashboardState, Origin
from src.domain.urgency import Ask, rank, reason, says_urgent, urgency, weight_of_title

NEW_YORK = ZoneInfo("America/New_York")
TODAY = date(2026, 11, 25)  # a Wednesday
NOW = datetime(2026, 11, 25, 14, 0, tzinfo=timezone.utc)


def ask(key: str, *, due: date | None = None, days_ago: int = 0, kind: str = "channel", where: str = "#finance",
        text: str = "can you approve the budget", weight: float = 0.0, by: str = "Dana Lee", open: bool = True) -> Ask:
    return Ask(key=key, asked_by=by, where=where, conversation_kind=kind,
               asked_at=NOW - timedelta(days=days_ago), due=due, text=text, weight=weight, open=open)


def keys(asks) -> list[str]:
    return [a.key for a in asks]


def test_late_before_today_before_soon_before_later_before_none():
    asks = [ask("none"), ask("later", due=TODAY + timedelta(days=20)), ask("soon", due=TODAY + timedelta(days=2)),
            ask("today", due=TODAY), ask("late", due=TODAY - timedelta(days=1)),
            ask("tomorrow", due=TODAY + timedelta(days=1))]
    assert keys(rank(asks, TODAY)) == ["late", "today", "tomorrow", "soon", "later", "none"]


def test_among_asks_due_alike_urgent_words_then_who_asks_then_a_dm_then_the_longest_waiting():
    due = TODAY + timedelta(days=3)
    asks = [ask("plain", due=due), ask("old", due=due, days_ago=4), ask("dm", due=due, kind="dm", where="a DM"),
            ask("boss", due=due, weight=1.0), ask("urgent", due=due, text="URGENT: can you approve the budget")]
    assert keys(rank(asks, TODAY)) == ["urgent", "boss", "dm", "old", "plain"]


def test_urgent_words_do_not_beat_a_due_date_that_has_passed():
    assert keys(rank([ask("asap", text="asap pls"), ask("late", due=TODAY - timedelta(days=1))], TODAY)) == [
        "late", "asap"]


def test_answered_asks_follow_the_open_ones_and_equal_asks_keep_one_order():
    asks = [ask("answered", due=TODAY, open=False), ask("b"), ask("a")]
    assert keys(rank(asks, TODAY)) == ["a", "b", "answered"]
    assert keys(rank(list(reversed(asks)), TODAY)) == ["a", "b", "answered"]


def test_urgency_words_as_people_write_them():
    for text in ("urgent - need this", "ASAP pls", "this is blocking the release", "need it right away 🔥",
                 "time-sensitive: sign today", "p0 incident, can you approve"):
        assert says_urgent(text), text
    for text in ("can you approve the budget", "no rush on this", "not urgent, whenever", "asapient"):
        assert not says_urgent(text) or text.startswith("not urgent"), text


def test_who_asks_from_their_title():
    assert weight_of_title("CEO") == 1.0 and weight_of_title("Chief of Staff to the CFO") == 1.0
    assert weight_of_title("VP Finance") == 0.7 and weight_of_title("Director, Engineering") == 0.7
    assert weight_of_title("Engineering Manager") == 0.4
    assert weight_of_title("Software Engineer") == 0.0 and weight_of_title(None) == 0.0


def test_the_reason_says_who_where_when_and_the_due_day():
    assert reason(ask("a", days_ago=2, due=TODAY), TODAY) == "asked by Dana Lee in #finance 2 days ago, due today"
    assert reason(ask("a", due=TODAY + timedelta(days=1)), TODAY) == "asked by Dana Lee in #finance today, due tomorrow"
    assert reason(ask("a", days_ago=1, due=date(2026, 11, 27)), TODAY) == (
        "asked by Dana Lee in #finance yesterday, due Fri")
    assert reason(ask("a", days_ago=20, due=date(2026, 12, 9)), TODAY) == (
        "asked by Dana Lee in #finance 2 weeks ago, due Dec 9")
    assert reason(ask("a", kind="dm", where="a DM", days_ago=3, due=date(2026, 11, 23)), TODAY) == (
        "asked by Dana Lee in a DM 3 days ago, was due Mon")
    assert reason(ask("a", text="urgent, can you sign"), TODAY) == "asked by Dana Lee in #finance today, marked urgent"


def test_days_are_counted_in_the_persons_zone():
    # Sent 02:00 UTC on the 25th is still the 24th in New York: "yesterday" there.
    late_evening = replace(ask("a"), asked_at=datetime(2026, 11, 25, 2, 0, tzinfo=timezone.utc))
    assert reason(late_evening, TODAY, NEW_YORK) == "asked by Dana Lee in #finance yesterday"
    assert reason(late_evening, TODAY, timezone.utc) == "asked by Dana Lee in #finance today"


def test_urgency_is_higher_for_what_should_be_looked_at_first():
    assert urgency(ask("a", due=TODAY), TODAY) > urgency(ask("b", due=TODAY + timedelta(days=5)), TODAY)


def _derived(ref: str, urgency_points: float, due: str | None = None, closed_by: str | None = None) -> DerivedItem:
    return DerivedItem(key=f"slack:{ref}", kind=ItemKind.ASK_TO_ME, text=f"ask {ref}", counterparty="Dana Lee",
                       counterparty_email=None, due_date=due, confidence=0.8,
                       origin=Origin("slack", ref, "Dana Lee", "2026-11-25T08:00:00Z", f"ask {ref}"),
                       reason="asked by Dana Lee in a DM", closed_by=closed_by, urgency=urgency_points)


def test_the_board_shows_the_most_urgent_first_and_codes_stay_with_their_asks():
    state = apply_derived(DashboardState.initial(NOW), [_derived("D1/1", 10), _derived("D1/2", 50)], NOW)
    assert [(p.key, p.id) for p in state.priorities] == [("slack:D1/2", "P1"), ("slack:D1/1", "P2")]
    # D1/1 becomes the most urgent (its due day came): it moves up and keeps P2; a new ask takes P3.
    again = apply_derived(state, [_derived("D1/1", 90), _derived("D1/2", 50), _derived("D1/3", 70)], NOW)
    assert [(p.key, p.id) for p in again.priorities] == [("slack:D1/1", "P2"), ("slack:D1/3", "P3"),
                                                         ("slack:D1/2", "P1")]
    # An answered ask goes after the open ones, whatever its urgency; D1/3 gone, P3 is not reused.
    answered = apply_derived(again, [_derived("D1/1", 90, closed_by="D1/9"), _derived("D1/2", 50),
                                     _derived("D1/4", 20)], NOW)
    assert [(p.key, p.id, p.status.value) for p in answered.priorities] == [
        ("slack:D1/2", "P1", "pending"), ("slack:D1/4", "P4", "pending"), ("slack:D1/1", "P2", "done")]


def test_a_derived_ask_says_who_asked_where_and_when_and_quotes_the_message_as_slack_shows_it():
    from src.domain.conversations import ChatMessage, Conversation, Workspace, WorkspaceUser, person_in, \
        readable_messages
    from src.domain.derivation import derived_item
    from src.domain.items import Item

    sent = datetime(2026, 11, 23, 15, 0, tzinfo=timezone.utc)  # Monday, two days before TODAY
    users = (WorkspaceUser("U01ALEX", "Alex Rivera"), WorkspaceUser("U02DANA", "Dana Lee", "dana@acme.test",
                                                                    title="VP Finance"))
    text = "<@U01ALEX> can u approve <https://sheets.test/q1|the Q1 budget> &amp; vendors by wed? asap"
    channel = Conversation("C01FIN", "finance", "channel", ("U01ALEX", "U02DANA"),
                           (ChatMessage(f"{sent.timestamp():.6f}", "U02DANA", "Dana Lee", text),))
    workspace = Workspace(users, (channel,))
    person = person_in(workspace, ("U01ALEX",), NEW_YORK)
    [readable] = readable_messages(workspace, person)
    item = Item(readable.ref, ItemKind.ASK_TO_ME, readable.message.text, "Dana", date(2026, 11, 25), 0.9)
    derived = derived_item(item, readable, workspace, TODAY, None, NEW_YORK)
    assert derived.reason == "asked by Dana Lee in #finance 2 days ago, due today, marked urgent"
    assert derived.origin.quote == "@Alex can u approve the Q1 budget & vendors by wed? asap"
    assert derived.text == "@Alex can u approve the Q1 budget & vendors by wed? asap"
    assert derived.origin.where == "#finance" and derived.origin.to_document()["where"] == "#finance"
    plain = replace(users[1], title=None)
    lower = derived_item(item, readable, Workspace((users[0], plain), (channel,)), TODAY, None, NEW_YORK)
    assert derived.urgency > lower.urgency  # a VP asking weighs more


def test_a_dm_origin_is_named_by_its_other_side():
    from src.domain.conversations import ChatMessage, Conversation, Workspace, WorkspaceUser, person_in, \
        readable_messages
    from src.domain.derivation import derived_item
    from src.domain.items import Item

    users = (WorkspaceUser("U01ALEX", "Alex Rivera"), WorkspaceUser("U02DANA", "Dana Lee"),
             WorkspaceUser("U03SAM", "Sam Patel"))
    sent = f"{datetime(2026, 11, 24, 15, 0, tzinfo=timezone.utc).timestamp():.6f}"
    for kind, members, where in (("dm", ("U01ALEX", "U02DANA"), "DM with Dana Lee"),
                                 ("group_dm", ("U01ALEX", "U02DANA", "U03SAM"), "group DM with Dana Lee, Sam Patel")):
        conversation = Conversation("D01", "", kind, members, (ChatMessage(sent, "U02DANA", "Dana Lee", "can you sign?"),))
        workspace = Workspace(users, (conversation,))
        person = person_in(workspace, ("U01ALEX",), NEW_YORK)
        [readable] = readable_messages(workspace, person)
        item = Item(readable.ref, ItemKind.ASK_TO_ME, "can you sign?", "Dana Lee", None, 0.9)
        derived = derived_item(item, readable, workspace, TODAY, None, NEW_YORK, person)
        assert derived.origin.where == where
        assert derived.reason.startswith(f"asked by Dana Lee in a {'DM' if kind == 'dm' else 'group DM'} ")
        # Without knowing the person, every member is named.
        assert derived_item(item, readable, workspace, TODAY, None).origin.where.startswith(
            where.split(" with ")[0] + " with Alex Rivera")
