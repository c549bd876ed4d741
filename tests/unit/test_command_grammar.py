import pytest

from src.domain.commands import Command, parse_commands
from src.domain.errors import InvalidInput, InvalidTarget, UnknownCommand


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
    ("approve P7 | brief C3", [Command("approve", "P7"), Command("brief", "C3")]),
])
def test_commands_parse(text, expected):
    assert parse_commands(text) == expected


def test_an_unknown_verb_suggests_the_closest_known_ones():
    with pytest.raises(UnknownCommand) as refused:
        parse_commands("aprove P7")
    assert "approve" in refused.value.details


@pytest.mark.parametrize("text", ["approve C3", "approve 7", "approve", "approve P7 P8", "partial M1",
                                  "done C1", "approve P0", "search", "collect sometimes", "status now"])
def test_a_target_of_the_wrong_kind_or_shape_is_refused(text):
    with pytest.raises(InvalidTarget):
        parse_commands(text)


@pytest.mark.parametrize("text", ["", "   ", "x" * 10_000, "approve P1 ||", "| approve P1", None, 42])
def test_empty_too_long_or_not_text_is_a_validation_error(text):
    with pytest.raises(InvalidInput):
        parse_commands(text)


def test_one_bad_part_refuses_the_whole_chain():
    with pytest.raises(UnknownCommand):
        parse_commands("approve P1 | explode")
