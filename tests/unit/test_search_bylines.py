"""Search hits say who said a Slack message and where (src/domain/search.py, src/application/search_bylines.py)."""

from __future__ import annotations

import pytest

from src.application.search_bylines import SearchWithBylines
from src.domain.people import People, Sighting
from src.domain.search import SearchHit, SearchPage, describe_slack_hit

ME = {"U01ALEX", "Alex Rivera"}


def is_me(identity: str) -> bool:
    return identity in ME


def test_a_channel_message_is_by_its_author_in_its_channel():
    found = describe_slack_hit({"author": "Dana Lee", "conversation": "finance", "conversation_kind": "channel"})
    assert found == {"author": "Dana Lee", "conversation": "finance", "conversation_kind": "channel",
                     "where": "#finance", "byline": "Dana Lee in #finance"}


def test_a_dm_is_named_by_its_other_side():
    members = [{"id": "U01ALEX", "name": "Alex Rivera"}, {"id": "U02DANA", "name": "Dana Lee"}]
    meta = {"author": "Dana Lee", "conversation": "DM Alex Rivera, Dana Lee", "conversation_kind": "dm",
            "conversation_members": members}
    assert describe_slack_hit(meta, is_me)["byline"] == "Dana Lee, DM with Dana Lee"
    assert describe_slack_hit({**meta, "author": "Alex Rivera"}, is_me)["byline"] == "Alex Rivera, DM with Dana Lee"


def test_a_group_dm_and_a_dm_indexed_before_members_were_kept():
    group = {"author": "Sam Patel", "conversation": "Group DM Alex Rivera, Dana Lee, Sam Patel",
             "conversation_kind": "group_dm"}
    assert describe_slack_hit(group, is_me)["where"] == "group DM with Dana Lee, Sam Patel"
    # Without knowing who the person is, every member is named.
    assert describe_slack_hit(group)["where"] == "group DM with Alex Rivera, Dana Lee, Sam Patel"


def test_records_from_archives_name_author_and_channel_their_own_way():
    found = describe_slack_hit({"user_name": "Priya Shah", "channel_name": "ops"})
    assert (found["author"], found["where"], found["byline"]) == ("Priya Shah", "#ops", "Priya Shah in #ops")
    assert describe_slack_hit({"user": "U09X"})["byline"] == "U09X"
    assert describe_slack_hit({})["byline"] is None


class FakeIndex:
    def __init__(self, hits):
        self.hits = hits

    async def search(self, query, **_):
        return SearchPage(query, tuple(self.hits), 1.0)

    async def stats(self):
        return {"total": len(self.hits)}

    async def add_records(self, records, source):
        raise AssertionError("not used")


class Directory:
    async def add_people(self, sightings):
        pass

    async def people(self) -> People:
        return People([Sighting.of("slack", slack_ids=["U01ALEX"], name="Alex Rivera"),
                       Sighting.of("slack", slack_ids=["U02DANA"], name="Dana Lee")], me=["U01ALEX"])


class BrokenDirectory(Directory):
    async def people(self) -> People:
        raise OSError("people.db is gone")


DM_HIT = SearchHit("1", "slack", "2026-11-25T10:00:00Z", "<mark>budget</mark>", 1.0,
                   {"author": "Dana Lee", "conversation": "DM Alex Rivera, Dana Lee", "conversation_kind": "dm"})
EVENT = SearchHit("2", "calendar", "2026-11-25", "<mark>budget</mark> review", 0.5, {"summary": "budget review"})


@pytest.mark.parametrize("directory, where", [(Directory(), "DM with Dana Lee"),
                                              (BrokenDirectory(), "DM with Alex Rivera, Dana Lee")])
async def test_hits_through_the_index_carry_bylines_and_others_stay_as_they_are(directory, where):
    page = await SearchWithBylines(FakeIndex([DM_HIT, EVENT]), directory).search("budget")
    assert page.hits[0].metadata["where"] == where
    assert page.hits[0].metadata["author"] == "Dana Lee"
    assert page.hits[1] == EVENT
    assert await SearchWithBylines(FakeIndex([EVENT])).stats() == {"total": 1}


async def test_the_directory_is_asked_only_when_a_hit_is_a_dm():
    class Counting(Directory):
        calls = 0

        async def people(self):
            Counting.calls += 1
            return await super().people()

    channel = SearchHit("3", "slack", None, "x", 1.0, {"author": "Dana Lee", "conversation": "finance",
                                                       "conversation_kind": "channel"})
    await SearchWithBylines(FakeIndex([channel, EVENT]), Counting()).search("x")
    assert Counting.calls == 0
    await SearchWithBylines(FakeIndex([channel, DM_HIT]), Counting()).search("x")
    assert Counting.calls == 1
