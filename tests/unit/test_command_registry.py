"""The command registry: one entry per verb, and everything about commands comes from it."""

import pytest

from src.application.commands import COMMANDS, CommandEntry, CommandRegistry, Effect, Plan
from src.domain.board import Outcome
from src.domain.commands import Code, Grammar
from tests.unit.core import Core
from tests.unit.test_execute_command import seeded


@pytest.mark.parametrize("entry", list(COMMANDS), ids=lambda entry: entry.verb)
async def test_every_registered_verb_parses_plans_and_runs_its_example(entry):
    core = await seeded()
    assert entry.example.split()[0] == entry.verb, "each entry needs an example that uses it"
    answer = (await core.execute_command(entry.example)).to_document()
    assert answer["action"] == entry.verb and isinstance(answer["message"], str) and answer["message"]
    await core.jobs.close()


def test_help_lists_every_verb_with_its_usage():
    lines = COMMANDS.help_text().splitlines()[1:]
    assert lines == [f"{entry.usage}: {entry.help}" for entry in COMMANDS]
    assert any(line.startswith("snooze Pn|Mn <when>: ") for line in lines)


def test_completions_say_which_codes_and_words_follow_each_verb():
    takes = {c["verb"]: (c["codes"], c["words"]) for c in COMMANDS.completions()}
    assert takes["approve"] == ("P", []) and takes["done"] == ("MP", [])
    assert takes["dismiss"] == ("PM", []) and takes["snooze"] == ("PM", [])
    assert takes["brief"] == ("CPM", ["daily"]) and takes["collect"] == ("", ["quick", "full"])
    assert takes["status"] == ("", [])


def test_a_verb_cannot_be_registered_without_a_planner_or_twice():
    with pytest.raises(TypeError):
        CommandRegistry([CommandEntry("ping", "ping", "answers pong", Effect.STATUS, None)])
    with pytest.raises(ValueError):
        CommandRegistry([COMMANDS["help"], COMMANDS["help"]])


async def test_a_new_verb_is_one_entry_parsed_helped_completed_and_run():
    async def plan_flag(tools, command, current):
        return Plan(command, lambda state, now: (None, Outcome(True, f"{command.target} flagged")))

    registry = CommandRegistry([*COMMANDS, CommandEntry(
        "flag", "flag Pn", "marks priority n for later", Effect.MARK_PARTIAL, plan_flag,
        Grammar(Code("P", "a priority code such as P7")), example="flag P1")])
    core = Core()
    core.container.command_registry.override(registry)
    execute = core.container.execute_command()
    assert (await execute("flag p2")).to_document()["message"] == "P2 flagged"
    assert "flag Pn: marks priority n for later" in (await execute("help")).to_document()["message"]
    assert {"verb": "flag", "usage": "flag Pn", "help": "marks priority n for later", "codes": "P",
            "words": []} in registry.completions()
