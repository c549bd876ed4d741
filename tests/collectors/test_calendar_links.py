"""Calendar links (AICOS_CALENDAR_ICS entries that are http(s) addresses), against a local HTTP
server that counts requests, answers 200 with an ETag and then 304, and fails when told to."""

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone

import pytest
from aiohttp import web

from src.adapters.outbound.calendar_links import CalendarLink
from src.adapters.outbound.ics_calendar import IcsCalendarCollector
from src.adapters.outbound.secret_masking import masked_url
from src.application.use_cases.trigger_collection import TriggerCollection
from src.search.database import SearchDatabase
from tests.collectors.test_ics_calendar import OUTLOOK
from tests.fakes import FixedClock
from tests.unit.core import Core

NOW = datetime(2026, 11, 25, 6, 0, tzinfo=timezone.utc)
SECRET = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
GOOGLE_PATH = f"/calendar/ical/alex%40example.com/private-{SECRET}/basic.ics"


@dataclass
class CalendarServer:
    """Answers GOOGLE_PATH with `body`, its ETag and Last-Modified, a 304 when the client has them."""

    body: str = OUTLOOK
    etag: str | None = '"v1"'
    last_modified: str | None = None
    fail_with: int | None = None
    delay: float = 0.0
    requests: list[dict] = field(default_factory=list)
    url: str = ""

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.requests.append(dict(request.headers))
        await asyncio.sleep(self.delay)
        if self.fail_with:
            return web.Response(status=self.fail_with)
        if (self.etag and request.headers.get("If-None-Match") == self.etag) or (
                self.last_modified and request.headers.get("If-Modified-Since") == self.last_modified):
            return web.Response(status=304)
        headers = {k: v for k, v in (("ETag", self.etag), ("Last-Modified", self.last_modified)) if v}
        return web.Response(body=self.body.encode(), headers=headers, content_type="text/calendar")


@pytest.fixture
async def calendar_server():
    server = CalendarServer()
    app = web.Application()
    app.router.add_get(GOOGLE_PATH.replace("%40", "@"), server.handle)
    runner = web.AppRunner(app, access_log=None)  # the stand-in's own log is not the service's
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    server.url = f"http://127.0.0.1:{runner.addresses[0][1]}{GOOGLE_PATH}"
    yield server
    await runner.cleanup()


class Setup:
    def __init__(self, folder, links, timeout=20.0):
        self.core = Core(clock=FixedClock(NOW))
        self.database = SearchDatabase(folder / "search.db")
        self.collector = IcsCalendarCollector(self.database, [], self.core.replace_calendar, self.core.clock,
                                              [CalendarLink(url, folder / "calendars", timeout) for url in links],
                                              folder / "calendars")
        self.trigger = TriggerCollection(self.core.changes, [self.collector], self.core.jobs, self.core.clock, 0.0)

    async def collect(self):
        await self.trigger("quick")
        await self.core.jobs.wait()
        return (await self.core.state()).system

    async def titles(self):
        return [c.title for c in (await self.core.state()).calendar]


@pytest.fixture
def setup_for(tmp_path):
    made = []

    def make(*links, timeout=20.0):
        made.append(Setup(tmp_path, links, timeout))
        return made[-1]

    yield make
    for setup in made:
        setup.database.close()


async def test_a_link_is_fetched_then_a_304_costs_no_reading(calendar_server, setup_for):
    setup = setup_for(calendar_server.url)
    assert (await setup.collect()).status.value == "IDLE"
    assert await setup.titles() == ["Q1 budget review"]
    assert setup.collector.documents_read == 1
    system = await setup.collect()
    assert system.status.value == "IDLE", system.message
    assert len(calendar_server.requests) == 2 and calendar_server.requests[1]["If-None-Match"] == '"v1"'
    assert setup.collector.documents_read == 1  # the 304 was not parsed again
    assert await setup.titles() == ["Q1 budget review"]
    await setup.collector.collect("full", lambda fraction, message: asyncio.sleep(0))
    assert setup.collector.documents_read == 2  # a full collection reads everything again


async def test_without_an_etag_the_last_modified_date_is_sent_back(calendar_server, setup_for):
    calendar_server.etag, calendar_server.last_modified = None, "Tue, 24 Nov 2026 10:00:00 GMT"
    setup = setup_for(calendar_server.url)
    await setup.collect()
    await setup.collect()
    assert calendar_server.requests[1]["If-Modified-Since"] == "Tue, 24 Nov 2026 10:00:00 GMT"
    assert "If-None-Match" not in calendar_server.requests[1]
    assert setup.collector.documents_read == 1


async def test_a_changed_calendar_is_read_again(calendar_server, setup_for):
    setup = setup_for(calendar_server.url)
    await setup.collect()
    calendar_server.body, calendar_server.etag = OUTLOOK.replace("Q1 budget review", "Q2 budget review"), '"v2"'
    await setup.collect()
    assert await setup.titles() == ["Q2 budget review"]
    assert [r.snippet for r in setup.database.search("Q1")] == []  # the old title left the index


@pytest.mark.parametrize("status", [401, 404, 500])
async def test_a_failing_link_is_named_with_its_secret_masked_and_the_last_good_calendar_stays(
        calendar_server, setup_for, status, caplog):
    caplog.set_level(logging.DEBUG)
    setup = setup_for(calendar_server.url)
    await setup.collect()
    calendar_server.fail_with = status
    system = await setup.collect()
    assert system.status.value == "ERROR"
    assert f"private-***/basic.ics: the server answered {status}" in system.message
    assert await setup.titles() == ["Q1 budget review"]  # the last good calendar
    assert SECRET not in system.message and SECRET not in caplog.text
    assert SECRET not in str((await setup.core.state()).to_document())


async def test_a_link_that_never_answers_is_named_after_its_timeout(calendar_server, setup_for):
    calendar_server.delay = 2.0
    setup = setup_for(calendar_server.url, timeout=0.3)
    system = await setup.collect()
    assert system.status.value == "ERROR" and "no answer within 0.3 s" in system.message
    assert "private-***" in system.message and SECRET not in system.message


async def test_a_link_nobody_listens_on_is_named_and_the_others_are_collected(calendar_server, setup_for):
    setup = setup_for("http://127.0.0.1:9/nothing-here/basic.ics", calendar_server.url)
    system = await setup.collect()
    assert system.status.value == "ERROR" and "http://127.0.0.1:9/nothing-here/basic.ics" in system.message
    assert await setup.titles() == ["Q1 budget review"]


@pytest.mark.parametrize("url, shown", [
    (f"https://calendar.google.com/calendar/ical/alex%40example.com/private-{SECRET}/basic.ics",
     "https://calendar.google.com/calendar/ical/alex%40example.com/private-***/basic.ics"),
    ("webcal://p52-caldav.icloud.com/published/2/MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3",
     "webcal://p52-caldav.icloud.com/published/2/***"),
    ("https://outlook.office365.com/owa/calendar/4f1c@example.com/0123456789abcdef0123456789abcdef/calendar.ics",
     "https://outlook.office365.com/owa/calendar/4f1c@example.com/***/calendar.ics"),
    ("https://cal.example.com/feed.ics?user=alex&token=s3cr3t", "https://cal.example.com/feed.ics?user=***&token=***"),
    ("https://alex:hunter2@dav.example.com/cal.ics", "https://***@dav.example.com/cal.ics"),
    ("not an address", "***"),
])
def test_secrets_in_an_address_are_masked(url, shown):
    assert masked_url(url) == shown


async def test_a_page_that_is_not_a_calendar_is_named_and_does_not_replace_the_last_good_one(
        calendar_server, setup_for):
    setup = setup_for(calendar_server.url)
    await setup.collect()
    calendar_server.body, calendar_server.etag = "<html>Sign in to continue</html>", '"login"'
    system = await setup.collect()
    assert system.status.value == "ERROR" and "private-***/basic.ics: the answer is not a calendar" in system.message
    calendar_server.fail_with = 503
    await setup.collect()
    assert await setup.titles() == ["Q1 budget review"]  # still the last good one
    assert calendar_server.requests[-1]["If-None-Match"] == '"v1"'  # the page was not kept


async def test_a_server_that_closes_the_connection_is_named(setup_for):
    async def close_at_once(reader, writer):
        writer.close()

    server = await asyncio.start_server(close_at_once, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        setup = setup_for(f"http://127.0.0.1:{port}/calendar.ics")
        system = await setup.collect()
        assert system.status.value == "ERROR"
        assert f"calendar http://127.0.0.1:{port}/calendar.ics: cannot be fetched" in system.message
    finally:
        server.close()
        await server.wait_closed()


async def test_the_kept_copy_is_read_and_written_off_the_event_loop(calendar_server, tmp_path, monkeypatch):
    """A calendar may be 32 MB: read or written on the event loop, every dashboard would wait for the disk."""
    import threading

    from src.adapters.outbound import calendar_links

    loop_thread = threading.current_thread()
    disk_threads = []
    written = calendar_links.write_atomically

    def recorded(path, data):
        disk_threads.append(threading.current_thread())
        written(path, data)

    monkeypatch.setattr(calendar_links, "write_atomically", recorded)
    link = CalendarLink(calendar_server.url, tmp_path / "calendars")
    first = await link.read()
    kept_read = []
    original_kept = CalendarLink._kept
    monkeypatch.setattr(CalendarLink, "_kept", lambda self: kept_read.append(threading.current_thread())
                        or original_kept(self))
    await link.read()
    assert first.bodies and disk_threads and kept_read
    assert loop_thread not in disk_threads + kept_read


async def test_a_copy_that_cannot_be_kept_is_named_and_the_calendar_still_read(calendar_server, tmp_path):
    """A full disk or a read-only data folder: said about this link, not a bare OSError for the whole calendar."""
    blocked = tmp_path / "calendars"
    blocked.write_text("a file where the folder should be")
    read = await CalendarLink(calendar_server.url, blocked).read()
    assert [body.data.decode() for body in read.bodies] == [calendar_server.body]
    [failure] = read.failures
    assert failure.startswith("calendar http://127.0.0.1:") and "could not be kept" in failure
