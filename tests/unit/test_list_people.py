"""ListPeople: who matches `q`, and each person's open items from the board."""

from dataclasses import dataclass, replace
from datetime import datetime, timezone

import pytest
from dependency_injector import providers

from src.adapters.outbound.people_directory import InMemoryPeopleDirectory
from src.application.use_cases.list_people import open_items_by_person
from src.domain.board import CommitmentDraft
from src.domain.errors import InvalidInput
from src.domain.people import People, Sighting
from src.domain.state import DashboardState
from tests.unit.core import Core

SLACK = [
    Sighting.of("slack", slack_ids=["U02DANA"], name="Dana Whitfield", emails=["dana@example.com"], handles=["dana"]),
    Sighting.of("slack", slack_ids=["U03LEE"], name="Lee Okafor", emails=["lee@example.com"]),
    Sighting.of("slack", slack_ids=["U05SAM"], name="Sam Ortiz", emails=["sam@a.example"]),
    Sighting.of("slack", slack_ids=["U15SAM"], name="Sam Ortiz", emails=["sam@b.example"]),
]


@pytest.fixture
async def core():
    core = Core()
    directory = InMemoryPeopleDirectory(me=["U01ALEX"])
    await directory.add_people(SLACK)
    core.container.people_directory.override(providers.Object(directory))
    core.list_people = core.container.list_people()
    return core


async def test_open_items_count_the_commitments_not_done_with_that_person_both_ways(core):
    await core.replace_commitments(
        [CommitmentDraft("Send Dana the deck", "Dana Whitfield"), CommitmentDraft("Old one", "dana", status="done"),
         CommitmentDraft("Review Lee's plan", "lee@EXAMPLE.com")],
        [CommitmentDraft("Numbers to me", "U02DANA"), CommitmentDraft("Sam's intro", "Sam Ortiz"),
         CommitmentDraft("From someone unknown", "Zoe")])
    entries = {e.person.name + " " + e.person.id: e.open_items for e in await core.list_people()}
    assert entries == {"U01ALEX slack:U01ALEX": 0, "Dana Whitfield slack:U02DANA": 2,
                       "Lee Okafor slack:U03LEE": 1, "Sam Ortiz slack:U05SAM": 0, "Sam Ortiz slack:U15SAM": 0}


def test_an_items_counterparty_email_is_preferred_to_its_name():
    @dataclass(frozen=True)
    class Item:  # a derived item (issue #14) carries counterparty_email beside the name
        counterparty: str
        counterparty_email: str | None
        status: object = type("Pending", (), {"value": "pending"})()

    people = People(SLACK)
    state = replace(DashboardState.initial(datetime(2026, 11, 25, tzinfo=timezone.utc)),
                    owed=(Item("Sam Ortiz", "sam@b.example"), Item("Sam Ortiz", None)))
    assert open_items_by_person(state, people) == {"slack:U15SAM": 1}


async def test_q_finds_people_by_the_start_of_any_word(core):
    assert [e.person.name for e in await core.list_people("ort")] == ["Sam Ortiz", "Sam Ortiz"]
    assert [e.person.id for e in await core.list_people("@dan")] == ["slack:U02DANA"]
    assert await core.list_people("nobody") == []


@pytest.mark.parametrize("query,message", [("x" * 201, "at most 200"), ("dana\x00", "control characters")])
async def test_a_bad_q_is_refused_saying_why(core, query, message):
    with pytest.raises(InvalidInput, match=message):
        await core.list_people(query)
