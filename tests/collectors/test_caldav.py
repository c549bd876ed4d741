"""The calendar collector on a CalDAV account: a real Radicale server on loopback, events created,
changed and deleted through the `caldav` client, what is fetched counted at the server."""

import logging
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import caldav
import pytest

from src.adapters.outbound.caldav_account import CalDavAccount
from src.adapters.outbound.ics_calendar import IcsCalendarCollector
from src.application.use_cases.trigger_collection import TriggerCollection
from src.search.database import SearchDatabase
from src.testing.collector_contract import CollectorContract
from tests.collectors.test_ics_calendar import OUTLOOK
from tests.fakes import FakeCollector, FixedClock
from tests.radicale_server import PASSWORD, USER, event, radicale_server
from tests.unit.core import Core

NOW = datetime(2026, 11, 25, 6, 0, tzinfo=timezone.utc)


@pytest.fixture
def radicale(tmp_path):
    with radicale_server(tmp_path / "radicale") as server:
        yield server


class Setup:
    """A collector over a CalDAV account in `folder`, with its board (Core) and search database."""

    def __init__(self, server, folder, password=PASSWORD, paths=(), collectors=()):
        self.core = Core(clock=FixedClock(NOW))
        self.database = SearchDatabase(folder / "search.db")
        self.folder = folder
        self.server = server
        self.account = CalDavAccount(server.url, USER, password, folder / "calendars")
        self.collector = IcsCalendarCollector(self.database, list(paths), self.core.replace_calendar,
                                              self.core.clock, [self.account], folder / "calendars")
        self.trigger = TriggerCollection(self.core.changes, [self.collector, *collectors], self.core.jobs,
                                         self.core.clock, 0.0)

    async def collect(self):
        await self.trigger("quick")
        await self.core.jobs.wait()
        return (await self.core.state()).system

    async def titles(self):
        return [(c.date, c.time, c.title) for c in (await self.core.state()).calendar]

    def found(self, words):
        return [r.snippet for r in self.database.search(words, source="calendar")]


@pytest.fixture
def setup(radicale, tmp_path):
    made = Setup(radicale, tmp_path)
    yield made
    made.database.close()


def _calendars(server):
    principal = server.client().principal()
    return principal.make_calendar(name="Work"), principal.make_calendar(name="Home")


async def test_every_calendar_of_the_account_reaches_the_board_and_the_index(setup):
    work, home = _calendars(setup.server)
    work.save_event(event("budget@x", "Budget review", "20261125T150000Z"))
    home.save_event(event("dentist@x", "Dentist", "20261126T080000Z"))
    system = await setup.collect()
    assert system.status.value == "IDLE", system.message
    assert await setup.titles() == [("2026-11-25", "15:00", "Budget review"), ("2026-11-26", "08:00", "Dentist")]
    assert setup.found("dentist") and setup.found("budget review")


async def test_created_changed_and_deleted_events_follow_on_the_board_and_in_the_index(setup):
    work, _ = _calendars(setup.server)
    for uid, title, start in [("a@x", "Budget review", "20261125T150000Z"),
                              ("b@x", "Hiring sync", "20261126T100000Z"),
                              ("c@x", "Offsite planning", "20261127T090000Z")]:
        work.save_event(event(uid, title, start))
    await setup.collect()
    moved = work.event_by_uid("a@x")
    moved.data = event("a@x", "Budget review with CFO", "20261125T160000Z")
    moved.save()
    work.event_by_uid("b@x").delete()
    work.save_event(event("d@x", "Zeppelin demo", "20261128T110000Z"))
    setup.server.requests.hrefs_fetched = 0
    system = await setup.collect()
    assert system.status.value == "IDLE", system.message
    assert await setup.titles() == [("2026-11-25", "16:00", "Budget review with CFO"),
                                    ("2026-11-27", "09:00", "Offsite planning"),
                                    ("2026-11-28", "11:00", "Zeppelin demo")]
    assert setup.server.requests.hrefs_fetched == 2  # the changed and the new one
    assert setup.found("hiring") == []  # the deleted event is searchable no more
    assert setup.found("zeppelin") and setup.found("CFO")
    assert setup.database.get_stats()["by_source"]["calendar"] == 3  # the old time of the moved one is gone


async def test_a_weekly_meeting_with_a_moved_occurrence_is_read_as_from_a_file(setup):
    work, _ = _calendars(setup.server)
    work.save_event("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:one@x\r\n"
                    "SUMMARY:1:1 with Lee\r\nDTSTART;TZID=Europe/Berlin:20261104T100000\r\nDURATION:PT30M\r\n"
                    "RRULE:FREQ=DAILY;COUNT=40\r\nEXDATE;TZID=Europe/Berlin:20261126T100000\r\nEND:VEVENT\r\n"
                    "BEGIN:VEVENT\r\nUID:one@x\r\nRECURRENCE-ID;TZID=Europe/Berlin:20261127T100000\r\n"
                    "SUMMARY:1:1 with Lee (moved)\r\nDTSTART;TZID=Europe/Berlin:20261127T140000\r\n"
                    "DURATION:PT30M\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    await setup.collect()
    titles = await setup.titles()
    assert ("2026-11-25", "09:00", "1:1 with Lee") in titles  # 10:00 Berlin in UTC
    assert not any(date == "2026-11-26" for date, _, _ in titles)  # EXDATE
    assert ("2026-11-27", "13:00", "1:1 with Lee (moved)") in titles


async def test_a_second_sync_after_changing_1_of_500_events_fetches_only_that_event(setup):
    client = setup.server.client()
    client.principal()
    events = "".join(f"BEGIN:VEVENT\r\nUID:e{n}@x\r\nSUMMARY:Event {n}\r\nDTSTART:202611{20 + n % 10}T"
                     f"{8 + n % 9:02}{n % 60:02}00Z\r\nDURATION:PT30M\r\nEND:VEVENT\r\n" for n in range(500))
    response = client.request(setup.server.url + f"{USER}/big/", "PUT",
                              f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n{events}END:VCALENDAR\r\n",
                              {"Content-Type": "text/calendar"})
    assert response.status == 201
    await setup.collect()
    assert setup.server.requests.hrefs_fetched == 500 and setup.collector.documents_read == 500
    (calendar,) = client.principal().calendars()
    changed = calendar.event_by_uid("e7@x")
    changed.data = event("e7@x", "Event 7 zeppelin", "20261127T150000Z")
    changed.save()
    setup.server.requests.hrefs_fetched = 0
    setup.server.requests.sync_reports.clear()
    system = await setup.collect()
    assert system.status.value == "IDLE", system.message
    assert setup.server.requests.sync_reports == [True]  # asked for what changed since its token
    assert setup.server.requests.hrefs_fetched == 1
    assert setup.collector.documents_read == 501  # the 499 others were not parsed again either
    assert setup.found("zeppelin")

    # A restart (new objects over the same data folder) stays incremental.
    changed.data = event("e7@x", "Event 7 airship", "20261127T150000Z")
    changed.save()
    setup.server.requests.hrefs_fetched = 0
    restarted = Setup(setup.server, setup.folder)
    try:
        await restarted.collect()
        assert setup.server.requests.hrefs_fetched == 1
        assert restarted.found("airship") and not restarted.found("zeppelin")
    finally:
        restarted.database.close()


async def test_a_server_without_sync_tokens_is_listed_by_etag_and_only_changes_are_fetched(setup):
    setup.server.requests.refuse_sync_reports = True
    work, _ = _calendars(setup.server)
    for n in range(5):
        work.save_event(event(f"n{n}@x", f"Meeting {n}", f"20261126T1{n}0000Z"))
    await setup.collect()
    work.event_by_uid("n1@x").delete()
    changed = work.event_by_uid("n2@x")
    changed.data = event("n2@x", "Meeting 2 zeppelin", "20261126T120000Z")
    changed.save()
    setup.server.requests.hrefs_fetched = 0
    system = await setup.collect()
    assert system.status.value == "IDLE", system.message
    assert setup.server.requests.hrefs_fetched == 1
    assert [title for _, _, title in await setup.titles()] == ["Meeting 0", "Meeting 2 zeppelin", "Meeting 3",
                                                                "Meeting 4"]
    assert not setup.found("Meeting 1")


async def test_one_calendar_failing_is_named_and_the_others_are_synced(setup):
    work, home = _calendars(setup.server)
    work.save_event(event("a@x", "Budget review", "20261125T150000Z"))
    home.save_event(event("h@x", "Dentist", "20261126T080000Z"))
    await setup.collect()
    setup.server.requests.broken_paths.append(work.url.path)
    home.save_event(event("g@x", "Gym", "20261127T070000Z"))
    system = await setup.collect()
    assert system.status.value == "ERROR" and "calendar 'Work'" in system.message, system.message
    assert [title for _, _, title in await setup.titles()] == ["Budget review", "Dentist", "Gym"]
    assert setup.found("budget review")  # the failing calendar's events stay searchable


async def test_a_wrong_password_fails_the_run_naming_the_account_and_keeps_everything_else(
        radicale, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    work, _ = _calendars(radicale)
    work.save_event(event("a@x", "Budget review", "20261125T150000Z"))
    (tmp_path / "team.ics").write_text(OUTLOOK)
    good = Setup(radicale, tmp_path, paths=[tmp_path / "team.ics"])
    await good.collect()
    good.database.close()
    other = FakeCollector("slack")
    wrong = "not-the-password-4711"
    bad = Setup(radicale, tmp_path, password=wrong, paths=[tmp_path / "team.ics"], collectors=[other])
    try:
        system = await bad.collect()
        assert system.status.value == "ERROR"
        assert f"CalDAV account {radicale.url} ({USER})" in system.message
        assert "refused the username or password" in system.message
        assert other.runs == ["quick"]  # the other source still ran
        titles = [title for _, _, title in await bad.titles()]
        assert "Budget review" in titles and "Q1 budget review" in titles  # what was collected before stays
        assert bad.found("budget review")
        state_text = str((await bad.core.state()).to_document())
        files = "".join(p.read_text(errors="replace") for p in (tmp_path / "calendars").rglob("*") if p.is_file())
        for secret in (wrong, PASSWORD):
            assert secret not in state_text and secret not in caplog.text and secret not in files
    finally:
        bad.database.close()


async def test_credentials_written_into_the_address_work_and_never_show(radicale, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    work, _ = _calendars(radicale)
    work.save_event(event("a@x", "Budget review", "20261125T150000Z"))
    address = radicale.url.replace("http://", f"http://{USER}:{PASSWORD.replace(' ', '%20')}@")
    account = CalDavAccount(address, None, None, tmp_path / "calendars")
    read = await account.read()
    assert read.failures == [] and len(read.bodies) == 1
    assert account.shown == f"CalDAV account {radicale.url} ({USER})"
    assert PASSWORD not in caplog.text and PASSWORD.replace(" ", "%20") not in caplog.text


class TestCalDavCollector(CollectorContract):
    """The collector contract, run against a CalDAV account on a real Radicale server."""

    def make_collector(self, folder):
        self._server = radicale_server(folder / "radicale")
        server = self._server.__enter__()
        work = server.client().principal().make_calendar(name="Work")
        work.save_event(event("a@x", "Budget review", "20261125T150000Z"))
        core = Core()
        self.database = SearchDatabase(folder / "search.db")
        return IcsCalendarCollector(self.database, [], core.replace_calendar, core.clock,
                                    [CalDavAccount(server.url, USER, PASSWORD, folder / "calendars")],
                                    folder / "calendars")

    def close(self):
        self.database.close()
        self._server.__exit__(None, None, None)


class _Misbehaving(BaseHTTPRequestHandler):
    """A CalDAV address that answers HTML to everything, or never answers."""

    hang = False

    def _answer(self):
        if self.hang:
            time.sleep(3)
            return
        body = b"<html><body>Welcome to our portal</body></html>"
        self.send_response(207 if self.command == "PROPFIND" else 200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_PROPFIND = do_REPORT = do_OPTIONS = _answer

    def log_message(self, *args):
        pass


@pytest.fixture
def misbehaving():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Misbehaving)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("hang", [False, True])
async def test_a_server_answering_garbage_or_nothing_fails_the_run_naming_it(misbehaving, tmp_path, hang):
    _Misbehaving.hang = hang
    url = f"http://127.0.0.1:{misbehaving.server_port}/dav/"
    core = Core(clock=FixedClock(NOW))
    (tmp_path / "team.ics").write_text(OUTLOOK)
    database = SearchDatabase(tmp_path / "search.db")
    account = CalDavAccount(url, USER, PASSWORD, tmp_path / "calendars", timeout=1)
    collector = IcsCalendarCollector(database, [tmp_path / "team.ics"], core.replace_calendar, core.clock,
                                     [account], tmp_path / "calendars")
    trigger = TriggerCollection(core.changes, [collector], core.jobs, core.clock, 0.0)
    try:
        await trigger("quick")
        await core.jobs.wait()
        system = (await core.state()).system
        assert system.status.value == "ERROR"
        assert f"CalDAV account {url} ({USER}):" in system.message
        assert ("did not answer within 1 s" if hang else "the answer is not CalDAV") in system.message
        assert PASSWORD not in system.message
        assert [c.title for c in (await core.state()).calendar] == ["Q1 budget review"]  # the file still read
    finally:
        database.close()


async def test_every_sync_closes_its_connection_to_the_server_whether_it_worked_or_not(radicale, tmp_path):
    """A schedule syncs every few minutes: a client left open each time would keep its sockets."""
    clients = []

    def recording_client(**options):
        client = caldav.DAVClient(**options)
        clients.append(client)
        closed = client.close
        client.closed = False

        def close():
            client.closed = True
            closed()
        client.close = close
        return client

    work, _ = _calendars(radicale)
    work.save_event(event("a@x", "Budget review", "20261125T150000Z"))
    for password in (PASSWORD, "not-the-password-4711"):
        account = CalDavAccount(radicale.url, USER, password, tmp_path / "calendars", client_factory=recording_client)
        read = await account.read()
        assert bool(read.failures) == (password != PASSWORD), read.failures
    assert len(clients) == 2 and all(client.closed for client in clients)
