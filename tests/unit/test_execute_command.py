import pytest

from src.domain.board import CalendarDraft, CommitmentDraft, PriorityDraft
from src.domain.errors import InvalidTarget, UnknownCommand
from tests.unit.core import Core

TODAY = "2026-11-25"


async def seeded(core: Core | None = None) -> Core:
    core = core or Core()
    await core.replace_calendar([CalendarDraft("Q1 budget review", date=TODAY, time="11:00",
                                               attendees=["cfo@example.com"], location="Room 4")])
    await core.replace_priorities([PriorityDraft("Hiring plan"), PriorityDraft("Board deck")])
    await core.replace_commitments([CommitmentDraft("Roadmap feedback", "lee@example.com", TODAY)],
                                   [CommitmentDraft("Budget numbers", "cfo@example.com")])
    return core


async def test_approve_marks_done_broadcasts_once_and_answers_with_the_new_version():
    core = await seeded()
    before = len(core.broadcaster.delivered)
    answer = (await core.execute_command("approve p1")).to_document()
    state = await core.state()
    assert answer == {"action": "approve", "target": "P1", "applied": True,
                      "message": "P1 (Hiring plan) is now done", "version": state.meta.version}
    assert state.priorities[0].status.value == "done"
    assert len(core.broadcaster.delivered) == before + 1


async def test_approve_on_an_empty_board_is_not_applied_and_changes_nothing():
    core = Core()
    answer = (await core.execute_command("approve P7")).to_document()
    assert answer["applied"] is False and answer["target"] == "P7" and "not on the board" in answer["message"]
    assert (await core.state()).meta.version == 0 and core.broadcaster.delivered == []


async def test_a_chain_runs_in_order_as_one_change_and_one_broadcast():
    core = await seeded()
    version = (await core.state()).meta.version
    sent = len(core.broadcaster.delivered)
    answer = (await core.execute_command("approve P1 | partial P2 | done M2 | brief")).to_document()
    state = await core.state()
    assert state.meta.version == version + 1
    assert len(core.broadcaster.delivered) == sent + 1
    assert [r["applied"] for r in answer["results"]] == [True, True, True, True]
    assert [p.status.value for p in state.priorities] == ["done", "partial"]
    assert state.owed[0].status.value == "done"
    # the daily brief, last in the chain, already sees the approvals before it
    asks = state.active_brief.text_content.split("Asks waiting on you")[1].split("You owe")[0]
    assert "P1" not in asks and "P2" in asks


async def test_a_chain_with_a_bad_part_runs_nothing():
    core = await seeded()
    version = (await core.state()).meta.version
    with pytest.raises(InvalidTarget):
        await core.execute_command("approve P1 | approve C1")
    with pytest.raises(UnknownCommand):
        await core.execute_command("approve P1 | fly")
    state = await core.state()
    assert state.meta.version == version and state.priorities[0].status.value == "pending"


async def test_a_meeting_brief_cites_what_the_attendees_said_about_its_title_most_relevant_first():
    core = Core()

    def said(ref, day, author, text, channel="C01FIN"):
        return {"id": ref, "source": "slack", "date": f"{day}T15:00:00Z", "content": text,
                "metadata": {"conversation_id": channel, "ts": ref, "author": author,
                             "conversation": "finance" if channel == "C01FIN" else "random",
                             "conversation_kind": "channel", "text": text}}

    core.search.records = [
        said("1", "2026-11-20", "cfo@example.com", "Q1 budget review moved to Thursday"),
        said("2", "2026-11-24", "cfo@example.com", "shared the Q1 budget review deck"),
        said("3", "2026-11-24", "Someone Else", "Q1 budget for the picnic", channel="C09RND"),  # not with them
        said("4", "2026-11-26", "cfo@example.com", "Q1 budget: written after the brief"),
        {"id": "5", "source": "drive", "date": "2026-11-01", "content": "Unrelated <b>notes</b>"},
    ]
    await seeded(core)
    answer = (await core.execute_command("brief C1")).to_document()
    brief = (await core.state()).active_brief
    assert answer["applied"] and brief.kind == "meeting" and brief.target == "C1"
    assert [s.ref for s in brief.sources] == ["C01FIN/2", "C01FIN/1"]  # the CFO's, none later than now
    assert brief.sources[0].author == "cfo@example.com" and brief.sources[0].conversation == "#finance"
    assert "Room 4" in brief.text_content and "written by built-in" in brief.text_content


async def test_brief_html_escapes_everything_that_came_from_data():
    core = Core()
    text = "launch &lt;img src=x onerror=alert(1)&gt; plan"  # as Slack sends it: <, > and & escaped
    core.search.records = [{"id": "1", "source": "slack", "date": "2026-11-24", "content": text,
                            "metadata": {"text": text, "author": "<b>Eve</b>"}}]
    answer = (await core.execute_command("brief launch")).to_document()
    brief = (await core.state()).active_brief
    assert answer["applied"] and brief.kind == "topic"
    assert "<img" not in brief.html_content and "&lt;img src=x" in brief.html_content
    assert "<b>" not in brief.html_content and "&lt;b&gt;Eve" in brief.html_content
    assert "launch <img src=x onerror=alert(1)> plan" in brief.text_content  # the text reads as it was typed


async def test_brief_of_an_item_not_on_the_board_is_not_applied():
    answer = (await Core().execute_command("brief C9")).to_document()
    assert not answer["applied"] and "C9" in answer["message"]


async def test_search_answers_text_fit_for_slack_and_changes_nothing():
    core = Core()
    core.search.records = [{"id": "1", "source": "slack", "date": "2026-11-24", "content": "budget is approved"}]
    answer = (await core.execute_command("search budget")).to_document()
    assert "[slack 2026-11-24] budget is approved" in answer["message"]
    assert answer["hits"][0]["id"] == "1"
    assert (await core.state()).meta.version == 0


async def test_status_and_help_answer_without_changing_the_state():
    core = Core()
    assert (await core.execute_command("status")).to_document()["message"].startswith("IDLE, progress 0%")
    assert "approve Pn" in (await core.execute_command("help")).to_document()["message"]
    assert (await core.state()).meta.version == 0


async def test_refresh_sends_the_state_again():
    core = await seeded()
    version = (await core.state()).meta.version
    await core.execute_command("refresh")
    assert core.broadcaster.versions[-1] == version + 1


async def test_a_collection_command_starts_a_job_and_a_second_is_not_applied_while_it_runs():
    from tests.fakes import FakeCollector
    collector = FakeCollector(steps=50, delay=0.01)
    core = Core(collectors=[collector])
    first = (await core.execute_command("quick")).to_document()
    second = (await core.execute_command("collect full")).to_document()
    assert first["applied"] and first["job"]["type"] == "quick"
    assert not second["applied"] and "already running" in second["message"]
    assert (await core.state()).system.status.value == "COLLECTING"
    await core.jobs.close()


async def test_dismiss_removes_the_item_for_good_and_its_code_is_never_reused():
    core = await seeded()
    answer = (await core.execute_command("dismiss P1")).to_document()
    assert answer["applied"] and answer["message"] == "P1 (Hiring plan) dismissed; it will not come back"
    assert [p.title for p in (await core.state()).priorities] == ["Board deck"]
    # The source sends it again, with a new one: it stays away, and the new one gets a new code.
    await core.replace_priorities([PriorityDraft("Hiring plan"), PriorityDraft("Board deck"), PriorityDraft("Offsite")])
    assert [(p.id, p.title) for p in (await core.state()).priorities] == [("P2", "Board deck"), ("P3", "Offsite")]
    again = (await core.execute_command("dismiss P1")).to_document()
    assert not again["applied"] and "not on the board" in again["message"]


async def test_dismiss_works_on_either_commitment_column():
    core = await seeded()
    await core.execute_command("dismiss M1 | dismiss M2")
    state = await core.state()
    assert state.owe == () and state.owed == ()
    await core.replace_commitments([CommitmentDraft("Roadmap feedback", "lee@example.com", TODAY)],
                                   [CommitmentDraft("Budget numbers", "cfo@example.com")])
    assert (await core.state()).commitments == ()


async def test_snooze_keeps_an_item_out_of_alerts_and_the_daily_brief_until_its_day():
    core = Core()
    await core.replace_priorities([PriorityDraft("Sign the lease", due_date=TODAY), PriorityDraft("Hiring plan")])
    await core.replace_commitments([CommitmentDraft("Roadmap feedback", "lee@example.com", TODAY)], [])
    assert (await core.state()).priorities[0].alert and (await core.state()).owe[0].urgent

    answer = (await core.execute_command("snooze P1 2d | snooze M1 tomorrow | brief")).to_document()
    assert [r["applied"] for r in answer["results"]] == [True, True, True]
    assert answer["results"][0]["until"] == "2026-11-27"
    assert answer["results"][0]["message"] == "P1 (Sign the lease) snoozed until Fri 2026-11-27"
    state = await core.state()
    assert not state.priorities[0].alert and not state.owe[0].urgent
    assert "Sign the lease" not in state.active_brief.text_content
    assert "Roadmap feedback" not in state.active_brief.text_content
    assert "Hiring plan" in state.active_brief.text_content

    core.clock.advance(days=2)  # Friday: P1 is back (M1 came back on Thursday)
    await core.execute_command("refresh | brief")
    state = await core.state()
    assert state.priorities[0].alert and state.owe[0].urgent
    assert "Sign the lease" in state.active_brief.text_content


async def test_snoozing_again_to_the_same_day_changes_nothing():
    core = await seeded()
    await core.execute_command("snooze P2 monday")
    version = (await core.state()).meta.version
    answer = (await core.execute_command("snooze P2 2026-11-30")).to_document()
    assert not answer["applied"] and answer["message"] == "P2 is already snoozed until 2026-11-30"
    assert (await core.state()).meta.version == version


async def test_a_snoozed_item_says_until_when_on_the_wire_until_its_day():
    core = Core()
    await core.replace_priorities([PriorityDraft("Sign the lease", due_date=TODAY), PriorityDraft("Hiring plan")])
    await core.replace_commitments([CommitmentDraft("Roadmap feedback", "lee@example.com", TODAY)], [])
    await core.execute_command("snooze P1 2d | snooze M1 tomorrow")
    document = (await core.state()).to_document()
    assert document["priorities"][0]["snoozed_until"] == "2026-11-27"
    assert "snoozed_until" not in document["priorities"][1]  # optional: only on a snoozed item
    assert document["commitments"]["owe"][0]["snoozed_until"] == "2026-11-26"

    core.clock.advance(days=1)  # Thursday: M1's snooze is over, P1's lasts until Friday
    await core.execute_command("refresh")
    document = (await core.state()).to_document()
    assert document["priorities"][0]["snoozed_until"] == "2026-11-27"
    assert "snoozed_until" not in document["commitments"]["owe"][0]
    # Dismissing a snoozed item still takes it off the board.
    await core.execute_command("dismiss P1")
    assert [p["title"] for p in (await core.state()).to_document()["priorities"]] == ["Hiring plan"]


async def test_search_answers_one_line_per_hit_with_who_said_it_and_where():
    from tests.fakes import FakeSearchIndex

    core = Core(search=FakeSearchIndex([
        {"id": "1", "source": "slack", "date": "2026-11-24", "content": "here it is, budget slide\nshared file: q1.pptx",
         "metadata": {"byline": "Priya Raman in #exec-team"}},
        {"id": "2", "source": "drive", "date": "2026-11-23", "content": "budget.xlsx"}]))
    message = (await core.execute_command("search budget")).to_document()["message"]
    assert message.splitlines() == [
        "2 results for 'budget':",
        "1. [slack 2026-11-24] Priya Raman in #exec-team: here it is, budget slide shared file: q1.pptx",
        "2. [drive 2026-11-23] budget.xlsx",
    ]
