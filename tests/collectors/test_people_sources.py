"""The collectors feed the people directory: Slack users, calendar attendees and the roster become one
entry per human, on small fixtures as each source writes them and on the demo dataset."""

import json
import zipfile
from datetime import datetime, timezone

import pytest

from src.adapters.outbound.archive_collector import ArchiveCollector
from src.adapters.outbound.ics_calendar import IcsCalendarCollector
from src.adapters.outbound.people_directory import InMemoryPeopleDirectory
from src.adapters.outbound.people_sources import archive_roster_people, slack_user_people
from src.adapters.outbound.slack_export import SlackExportCollector
from src.application.collector_hooks import CollectorHooks
from src.demo import write_demo_dataset
from src.demo.dataset import BOT, DELETED_USER, PEOPLE
from src.search.database import SearchDatabase
from tests.fakes import FakeSearchIndex, FixedClock

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)

USERS = [
    {"id": "U02DANA", "name": "dana", "real_name": "Dana Whitfield",
     "profile": {"real_name": "Dana Whitfield", "display_name": "dw", "email": "Dana@Example.com"}},
    {"id": "U03LEE", "name": "lee", "profile": {"display_name": "Lee", "email": ""}},
    {"id": "U12TOM", "name": "tom", "deleted": True, "real_name": "Tom Becker", "profile": {"email": "tom@example.com"}},
    {"id": "U13JIRA", "name": "jira", "is_bot": True, "profile": {"real_name": "Jira", "bot_id": "B01"}},
    {"id": "USLACKBOT", "name": "slackbot", "is_bot": False, "profile": {"real_name": "Slackbot"}},
    {"id": "U14APP", "name": "helper", "is_app_user": True, "profile": {"real_name": "Helper app"}},
    "not a user",
]

ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:budget@test
SUMMARY:Q1 budget review
DTSTART:20261125T110000Z
DTEND:20261125T120000Z
ORGANIZER;CN=Alex Morgan:mailto:alex@example.com
ATTENDEE;CN="Dana W.";PARTSTAT=ACCEPTED:mailto:DANA@example.com
ATTENDEE;PARTSTAT=ACCEPTED:mailto:priya.raman@example.com
ATTENDEE;CUTYPE=ROOM;CN=Room 4:mailto:room4@resource.example.com
END:VEVENT
END:VCALENDAR
"""


def hooks_over(directory):
    return CollectorHooks(FakeSearchIndex(), None, None, None, people=directory)


def fed(collector, directory):
    """A built-in collector with the hooks bootstrap gives it, over `directory`."""
    collector.hooks = hooks_over(directory)
    return collector


def test_slack_users_are_people_but_bots_apps_and_slackbot_are_not():
    found = {s.slack_ids[0]: s for s in slack_user_people(USERS)}
    assert set(found) == {"U02DANA", "U03LEE", "U12TOM"}  # the deactivated user is still a person
    assert found["U02DANA"].emails == ("dana@example.com",) and found["U02DANA"].handles == ("dw", "dana")
    assert found["U03LEE"].emails == () and found["U03LEE"].name is None


async def test_the_slack_collector_feeds_the_directory_from_users_json(tmp_path, db):
    export = tmp_path / "export"
    export.mkdir()
    (export / "users.json").write_text(json.dumps(USERS))
    (export / "channels.json").write_text(json.dumps([{"id": "C1", "name": "finance", "members": ["U02DANA"]}]))
    (export / "finance").mkdir()
    (export / "finance" / "2026-11-24.json").write_text(json.dumps([{"user": "U02DANA", "text": "hi", "ts": "1.0"}]))
    directory = InMemoryPeopleDirectory()
    await fed(SlackExportCollector(db, [export]), directory).collect("quick", _ignore)
    people = await directory.people()
    assert [p.name for p in people.all] == ["Dana Whitfield", "Lee", "Tom Becker"]
    assert people.resolve("@dw").slack_ids == ("U02DANA",)


async def test_a_zipped_export_with_a_top_folder_feeds_the_directory_too(tmp_path, db):
    archive = tmp_path / "acme.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("acme/users.json", json.dumps(USERS))
        zipped.writestr("acme/channels.json", json.dumps([{"id": "C1", "name": "finance"}]))
        zipped.writestr("acme/finance/2026-11-24.json", json.dumps([{"user": "U02DANA", "text": "hi", "ts": "1.0"}]))
    directory = InMemoryPeopleDirectory()
    await fed(SlackExportCollector(db, [archive]), directory).collect("full", _ignore)
    assert (await directory.people()).resolve("dana@example.com").slack_ids == ("U02DANA",)


async def test_the_calendar_collector_feeds_attendees_and_organiser_with_their_cn_names(tmp_path, db):
    (tmp_path / "work.ics").write_text(ICS)
    directory = InMemoryPeopleDirectory()
    await directory.add_people(slack_user_people(USERS))
    clock = FixedClock(NOW)

    async def replace_calendar(drafts):
        return ()

    collector = fed(IcsCalendarCollector(db, [tmp_path / "work.ics"], replace_calendar, clock), directory)
    await collector.collect("quick", _ignore)
    people = await directory.people()
    assert people.resolve("dana@example.com").slack_ids == ("U02DANA",)  # the attendee is the Slack user
    assert people.resolve("dana@example.com").name == "Dana Whitfield"  # Slack's name over the CN
    assert people.resolve("alex@example.com").name == "Alex Morgan"
    assert people.resolve("priya.raman@example.com").name == "Priya Raman"  # from the address
    assert people.resolve("room4@resource.example.com") is None  # a room is not a person


def write_roster(root, day, records):
    folder = root / "employees" / day
    folder.mkdir(parents=True)
    (folder / "data.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records) + "{half a line")


async def test_the_archive_collector_feeds_the_roster_and_a_later_record_wins(tmp_path):
    root = tmp_path / "archive"
    write_roster(root, "2026-11-01", [{"id": "E1", "real_name": "Priya R", "email": "cfo@example.com"},
                                      {"id": "E2", "real_name": "No Email"}])
    write_roster(root, "2026-11-20", [{"id": "E1", "real_name": "Priya Raman", "email": "CFO@example.com",
                                       "slack_id": "U04PRIYA", "title": "CFO"}])
    assert [s.name for s in archive_roster_people(root)] == ["Priya R", "Priya Raman"]
    directory = InMemoryPeopleDirectory()
    await directory.add_people([s for s in slack_user_people(
        [{"id": "U04PRIYA", "name": "priya", "profile": {"display_name": "priya"}}])])
    database = SearchDatabase(tmp_path / "search.db")
    try:
        await fed(ArchiveCollector(database, root), directory).collect("quick", _ignore)
    finally:
        database.close()
    people = await directory.people()
    (priya,) = people.all
    assert (priya.name, priya.emails, priya.slack_ids) == ("Priya Raman", ("cfo@example.com",), ("U04PRIYA",))


async def test_an_outside_collector_feeds_people_through_the_hook_and_hears_what_was_refused():
    directory = InMemoryPeopleDirectory()
    outcome = await hooks_over(directory).add_people(
        [{"name": "Globex buyer", "email": "buyer@globex.com"}, {"name": "Nobody"}, "junk",
         {"emails": ["Dana@example.com"], "slack_ids": ["U02DANA"], "name": "Dana W"}], "crm")
    assert (outcome.indexed, [f["index"] for f in outcome.failures]) == (2, [1, 2])
    assert "email or a Slack user id" in outcome.failures[0]["reason"]
    people = await directory.people()
    assert people.resolve("U02DANA").emails == ("dana@example.com",)
    assert [p.name for p in people.search("globex")] == ["Globex buyer"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return write_demo_dataset(tmp_path_factory.mktemp("demo"), NOW)


async def test_on_the_demo_dataset_slack_and_calendar_make_one_entry_per_human(demo, tmp_path):
    directory = InMemoryPeopleDirectory(me=["U01ALEX"])
    database = SearchDatabase(tmp_path / "search.db")

    async def replace_calendar(drafts):
        return ()

    try:
        await fed(SlackExportCollector(database, [demo.slack_export]), directory).collect("quick", _ignore)
        await fed(IcsCalendarCollector(database, [demo.calendar], replace_calendar, FixedClock(NOW)),
                  directory).collect("quick", _ignore)
    finally:
        database.close()
    people = await directory.people()
    humans = [*PEOPLE, DELETED_USER]
    assert sorted(p.slack_ids for p in people.all) == sorted((h[0],) for h in humans)  # no bot, no extra entry
    assert people.resolve(BOT["user"]) is None
    priya = people.resolve("cfo@example.com")  # a calendar attendee, known in Slack by her profile email
    assert (priya.name, priya.slack_ids) == ("Priya Raman", ("U04PRIYA",))
    assert people.is_me("alex@example.com") and people.me.name == "Alex Morgan"


async def _ignore(fraction, message):
    return None
