from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from src.application.commands import COMMANDS
from src.domain.commands import Command
from src.domain.errors import InvalidInput, InvalidTarget, UnknownCommand

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)  # a Wednesday


def parse(text, now=NOW):
    return COMMANDS.parse(text, now)


@pytest.mark.parametrize("text, expected", [
    ("approve P7", [Command("approve", "P7")]),
    ("APPROVE p7", [Command("approve", "P7")]),
    ("  partial   P2 ", [Command("partial", "P2")]),
    ("done M3", [Command("done", "M3")]),
    ("complete p1", [Command("complete", "P1")]),
    ("brief C3", [Command("brief", "C3")]),
    ("brief", [Command("brief", None)]),
    ("brief daily", [Command("brief", None)]),
    ("brief budget review", [Command("brief", "budget review")]),
    ("search q1 budget", [Command("search", "q1 budget")]),
    ("collect", [Command("collect", "quick")]),
    ("collect FULL", [Command("collect", "full")]),
    ("quick", [Command("quick", "quick")]),
    ("full", [Command("full", "full")]),
    ("refresh", [Command("refresh", None)]),
    ("status", [Command("status", None)]),
    ("help", [Command("help", None)]),
    ("dismiss p3", [Command("dismiss", "P3")]),
    ("dismiss M2", [Command("dismiss", "M2")]),
    ("approve P7 | brief C3", [Command("approve", "P7"), Command("brief", "C3")]),
])
def test_commands_parse(text, expected):
    assert parse(text) == expected


@pytest.mark.parametrize("when, until", [
    ("2d", date(2026, 11, 27)),
    ("3W", date(2026, 12, 16)),
    ("tomorrow", date(2026, 11, 26)),
    ("monday", date(2026, 11, 30)),
    ("in 2 days", date(2026, 11, 27)),
    ("2026-12-07", date(2026, 12, 7)),
])
def test_snooze_takes_a_code_and_a_day_to_come_as_a_date(when, until):
    assert parse(f"snooze p1 {when}") == [Command("snooze", "P1", {"until": until})]
    assert parse(f"snooze M4 {when}")[0].until == until


def test_the_day_of_a_snooze_is_read_in_the_persons_zone():
    # 23:30 on Wednesday in Los Angeles is already Thursday in UTC: "tomorrow" is still Thursday there.
    evening = datetime(2026, 11, 25, 23, 30, tzinfo=ZoneInfo("America/Los_Angeles"))
    assert parse("snooze P1 tomorrow", evening)[0].until == date(2026, 11, 26)


@pytest.mark.parametrize("text", ["snooze P1", "snooze P1 banana", "snooze P1 5", "snooze P1 2020-01-01",
                                  "snooze P1 today"])
def test_a_snooze_without_a_day_to_come_is_refused_saying_what_it_takes(text):
    with pytest.raises(InvalidInput) as refused:
        parse(text)
    assert "snooze" in refused.value.message and refused.value.details[0]["argument"] == "when"


def test_an_unknown_verb_suggests_the_closest_known_ones():
    with pytest.raises(UnknownCommand) as refused:
        parse("aprove P7")
    assert "approve" in refused.value.details


@pytest.mark.parametrize("text", ["approve C3", "approve 7", "approve", "approve P7 P8", "partial M1",
                                  "done C1", "approve P0", "search", "collect sometimes", "status now",
                                  "dismiss C1", "dismiss", "snooze C2 2d", "snooze tomorrow"])
def test_a_target_of_the_wrong_kind_or_shape_is_refused(text):
    with pytest.raises(InvalidTarget):
        parse(text)


@pytest.mark.parametrize("text", ["", "   ", "x" * 10_000, "approve P1 ||", "| approve P1", None, 42])
def test_empty_too_long_or_not_text_is_a_validation_error(text):
    with pytest.raises(InvalidInput):
        parse(text)


def test_one_bad_part_refuses_the_whole_chain():
    with pytest.raises(UnknownCommand):
        parse("approve P1 | explode")
    with pytest.raises(InvalidInput):
        parse("approve P1 | snooze P2 someday")
