"""The collectors through the running app: what the person sees in the status and the search API."""

from tests.collectors.test_ics_calendar import quirky_calendars
from tests.collectors.test_slack_export import write_export_with_bots
from tests.integration.conftest import isolated_settings, serve  # noqa: F401 - `serve` is a fixture
from tests.integration.test_collections import collect


def test_skipped_parts_bot_posts_and_where_each_hit_is_from_reach_the_person(serve, tmp_path):  # noqa: F811
    settings = isolated_settings(slack_export=[str(write_export_with_bots(tmp_path / "export"))],
                                 calendar_ics=[str(quirky_calendars(tmp_path / "calendars"))])
    with serve(settings) as (client, _):
        system = collect(client)
        assert system["status"] == "IDLE", system
        assert "3 warnings" in system["message"] and "google_birthday.ics" in system["message"]
        assert "12 messages indexed (4 from bots)" in system["message"]
        commit = client.get("/api/search", params={"q": "Fix login timeout", "source": "slack"}).json()["results"]
        assert commit and commit[0]["metadata"]["author"] == "GitHub" and commit[0]["metadata"]["is_bot"] is True
        hit = client.get("/api/search", params={"q": "reorg plan"}).json()["results"][0]["metadata"]
        assert (hit["author"], hit["conversation"], hit["conversation_kind"]) == ("Dana Whitfield", "leadership",
                                                                                   "private_channel")
        assert (hit["conversation_id"], hit["ts"]) == ("G1", "1764067000.000100")
