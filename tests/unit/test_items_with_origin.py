"""Items with an origin sent by a collector through its hooks (contract section 6): they reach the
wire with where they came from, leave the items a PUT sent alone, and a dismissed one stays gone."""

from __future__ import annotations

import pytest

from src.adapters.outbound.state_codec import decode_state, encode_state
from src.domain.errors import InvalidInput
from tests.unit.core import Core

ORIGIN = {"source": "slack", "ref": "C0FIN/1732800000.000100", "author": "Dana Lee",
          "at": "2026-11-28T13:20:00Z", "quote": "can you approve the Q1 budget by Wed?",
          "link": "https://acme.slack.com/archives/C0FIN/p1732800000000100"}
ASK = {"title": "Approve the Q1 budget", "due_date": "2026-12-02", "origin": ORIGIN,
       "reason": "asked by Dana Lee in #finance, due Wed", "counterparty": "Dana Lee",
       "counterparty_email": "dana@example.com", "confidence": 0.9}


@pytest.fixture
def core():
    return Core()


def hooks(core: Core):
    return core.container.collector_hooks()


async def test_an_item_with_origin_reaches_the_wire_with_it(core):
    await hooks(core).replace_priorities([ASK])
    document = (await core.state()).to_document()["priorities"][0]
    assert document["origin"] == ORIGIN
    assert document["key"] == "slack:C0FIN/1732800000.000100"
    assert document["reason"] == "asked by Dana Lee in #finance, due Wed"
    assert (document["counterparty"], document["counterparty_email"], document["confidence"]) == (
        "Dana Lee", "dana@example.com", 0.9)


async def test_items_with_origin_leave_the_items_a_put_sent(core):
    await hooks(core).replace_priorities([{"title": "Call Globex", "key": "crm-globex"}])
    await hooks(core).replace_priorities([ASK])
    titles = [p.title for p in (await core.state()).priorities]
    assert titles == ["Call Globex", "Approve the Q1 budget"]


async def test_a_dismissed_item_with_origin_is_not_put_back_when_sent_again(core):
    await hooks(core).replace_priorities([ASK])
    answer = await core.execute_command("dismiss P1")
    assert answer.to_document()["applied"]
    await hooks(core).replace_priorities([ASK])
    assert (await core.state()).priorities == ()


async def test_commitments_with_origin_go_to_their_column(core):
    promise = {"text": "Send Dana the deck", "counterparty": "Dana Lee", "origin": {**ORIGIN, "ref": "D01/1.2"}}
    await hooks(core).replace_commitments([promise], [])
    state = (await core.state()).to_document()["commitments"]
    assert [c["text"] for c in state["owe"]] == ["Send Dana the deck"] and state["owed"] == []
    assert state["owe"][0]["origin"]["ref"] == "D01/1.2"


@pytest.mark.parametrize("origin, field", [
    ({**ORIGIN, "quote": "x" * 201}, "origin.quote"),
    ({**ORIGIN, "ref": ""}, "origin.ref"),
    ({**ORIGIN, "at": "yesterday"}, "origin.at"),
    ("slack", "origin"),
])
async def test_a_bad_origin_is_refused_and_changes_nothing(core, origin, field):
    before = await core.state()
    with pytest.raises(InvalidInput) as refused:
        await hooks(core).replace_priorities([{**ASK, "origin": origin}])
    assert refused.value.details == [{"index": 0, "field": field}]
    assert (await core.state()) == before


async def test_items_with_origin_are_stored_and_read_back_whole(core):
    await hooks(core).replace_priorities([ASK])
    await hooks(core).replace_commitments([], [{"text": "Numbers to me by EOD", "origin": {**ORIGIN, "ref": "D1/2"}}])
    state = await core.state()
    assert decode_state(encode_state(state)) == state
    assert decode_state(encode_state(state)).to_document() == state.to_document()


def test_a_slack_quote_sent_with_markup_is_kept_as_slack_shows_it():
    from datetime import datetime, timezone

    from src.domain.items_with_origin import replace_priorities_with_origin
    from src.domain.state import DashboardState

    now = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)
    sent = {"title": "Approve the budget", "origin": {
        "source": "slack", "ref": "C0FIN/1.1", "author": "Dana Lee", "at": "2026-11-24T10:00:00Z",
        "quote": "<@U02DANA|dana> see <https://x.test/q1|the Q1 sheet> &amp; &lt;tabs&gt;", "link": None}}
    state = replace_priorities_with_origin(DashboardState.initial(now), [sent], now)
    assert state.priorities[0].origin.quote == "@dana see the Q1 sheet & <tabs>"
    assert "where" not in state.priorities[0].to_document()["origin"]  # optional: absent unless sent
    named = {**sent, "origin": {**sent["origin"], "where": "#finance"}}
    state = replace_priorities_with_origin(DashboardState.initial(now), [named], now)
    assert state.priorities[0].to_document()["origin"]["where"] == "#finance"
