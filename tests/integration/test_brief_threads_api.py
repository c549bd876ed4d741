"""A meeting brief through the whole app cites the replies of the threads (and the DM answers) that
bear on the meeting, though they share no word with it (issue #15): a small workspace collected by
the real collectors into the real conversation store and search index, then `brief Cn` through
POST /api/command 15 minutes before the meeting."""

from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from eval.board import message_stamps, run_collection, write_workspace
from eval.board_workspace.script import M
from tests.fakes import FixedClock
from tests.integration.conftest import isolated_settings

WORKSPACE = SimpleNamespace(
    ME="U01INES", ZONE="Europe/Paris",
    DAYS={"Mon": "2027-03-08", "Tue": "2027-03-09", "Wed": "2027-03-10"},
    USERS=[("U01INES", "ines", "Ines Moreau", "ines@larkspur.test"),
           ("U02HANA", "hana", "Hana Sato", "hana@larkspur.test"),
           ("U03BRUNO", "bruno", "Bruno Costa", "bruno@larkspur.test")],
    BOT=("U09CI", "ci", "CI Bot"),
    CONVERSATIONS=[
        ("design", "C41DSN", "channel", ["ines", "hana", "bruno"], [
            M("d1", "Mon 09:40", "hana", "first mockups of the pricing page are in Figma: three tiers and a toggle"),
            M("d2", "Mon 10:30", "ines", "can we ship without it first and add it in april?", thread="d1"),
            M("d3", "Tue 11:00", "ines", "who has the onboarding illustrations?"),
            M("d4", "Tue 11:05", "ines", "found them, thanks", thread="d3"),
            M("d5", "Wed 15:00", "ines", "looks great, ship it", thread="d1"),  # after the meeting
        ]),
        ("D43HAN", "D43HAN", "dm", ["ines", "hana"], [
            M("dh1", "Tue 10:00", "ines", "is the old comparison table kept on the new pricing page?"),
            M("dh2", "Tue 10:30", "hana", "no, we link to the docs instead"),
        ]),
    ],
    MEETINGS=[("pricing", "Pricing page redesign", "Wed", "14:00", "15:00", ["hana@larkspur.test"])],
)


def test_a_meeting_brief_cites_the_replies_no_search_finds_and_nothing_after_it(tmp_path):
    from dependency_injector import providers
    from fastapi.testclient import TestClient

    from src.bootstrap import create_app, create_container

    zone = ZoneInfo(WORKSPACE.ZONE)
    export, calendar = tmp_path / "export", tmp_path / "calendar.ics"
    write_workspace(WORKSPACE, export, calendar)
    _, refs = message_stamps(WORKSPACE)
    clock = FixedClock(datetime(2027, 3, 8, 7, 0, tzinfo=zone))
    settings = isolated_settings(data_dir=tmp_path / "data", slack_export=[str(export)],
                                 calendar_ics=[str(calendar)], me=[WORKSPACE.ME], timezone=WORKSPACE.ZONE)
    container = create_container(settings)
    container.clock.override(providers.Object(clock))
    with TestClient(create_app(container=container), base_url="http://localhost:8000") as client:
        state = run_collection(client, "full")
        meeting = next(m for m in state["calendar"] if m["key"].startswith("pricing@"))
        clock.set(datetime.fromisoformat(meeting["start"]) - timedelta(minutes=15))
        answer = client.post("/api/command", json={"command": f"brief {meeting['id']}"}).json()
        brief = client.get("/api/state").json()["active_brief"]
    assert answer["applied"], answer
    cited = {source["ref"]: source for source in brief["sources"]}
    assert refs["d2"] in cited and cited[refs["d2"]]["author"] == "Ines Moreau"  # the thread's reply
    assert refs["dh2"] in cited  # the DM's answer
    assert refs["d5"] not in cited  # sent after the brief
    assert refs["d4"] not in cited  # a thread of the person's that has nothing to do with it
    assert len(brief["sources"]) <= 10
