"""The calendar feed contract: what the calendar collector relies on from each of its sources.
One subclass per feed: files, a link (a local HTTP server), a CalDAV account (Radicale), the fake."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from src.adapters.outbound.caldav_account import CalDavAccount
from src.adapters.outbound.calendar_feeds import LocalCalendarFiles
from src.adapters.outbound.calendar_links import CalendarLink
from tests.collectors.test_ics_calendar import OUTLOOK
from tests.fakes import FakeCalendarFeed
from tests.radicale_server import PASSWORD, USER, event, radicale_server


class CalendarFeedContract:
    """Subclass with `make_feed(folder)`: a feed holding at least one event whose title is
    "Budget review"; `break_source()`: its source fails from then on; `close()`."""

    def make_feed(self, folder):
        raise NotImplementedError

    def break_source(self):
        raise NotImplementedError

    def close(self):
        pass

    @pytest.fixture
    def feed(self, tmp_path):
        yield self.make_feed(tmp_path)
        self.close()

    async def test_it_gives_its_documents_under_ids_of_its_own(self, feed):
        read = await feed.read()
        assert read.failures == [] and read.complete and read.feed == feed.id and ":" not in feed.id
        assert read.bodies and all(body.id.startswith(feed.id + ":") for body in read.bodies)
        assert any(b"Budget review" in body.data for body in read.bodies)

    def test_it_has_a_name_to_show_when_it_fails(self, feed):
        assert isinstance(feed.shown, str) and feed.shown.strip()

    async def test_reading_again_gives_the_same_ids(self, feed):
        first, second = await feed.read(), await feed.read()
        assert [b.id for b in first.bodies] == [b.id for b in second.bodies]

    keeps_last_good = True  # a copy of what it fetched, answered when the source fails

    async def test_a_failing_source_is_named_and_its_last_good_documents_stay(self, feed):
        good = await feed.read()
        self.break_source()
        failed = await feed.read()
        assert failed.failures and not failed.complete
        expected = [b.data for b in good.bodies] if self.keeps_last_good else []
        assert [b.data for b in failed.bodies] == expected


class TestLocalCalendarFiles(CalendarFeedContract):
    def make_feed(self, folder):
        self.path = folder / "work.ics"
        self.path.write_text(OUTLOOK.replace("Q1 budget review", "Budget review"))
        return LocalCalendarFiles([self.path])

    keeps_last_good = False  # the person's own files: no copy (the collector keeps their index rows)

    def break_source(self):
        self.path.unlink()


class _Calendar(BaseHTTPRequestHandler):
    broken = False

    def do_GET(self):
        if self.broken:
            self.send_response(404)
            self.end_headers()
            return
        body = OUTLOOK.replace("Q1 budget review", "Budget review").encode()
        self.send_response(200)
        self.send_header("ETag", '"1"')
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class TestCalendarLink(CalendarFeedContract):
    def make_feed(self, folder):
        _Calendar.broken = False
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Calendar)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return CalendarLink(f"http://127.0.0.1:{self.server.server_port}/private-0123456789abcdef0123/basic.ics",
                            folder / "calendars")

    def break_source(self):
        _Calendar.broken = True

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class TestCalDavAccount(CalendarFeedContract):
    def make_feed(self, folder):
        self.running = radicale_server(folder / "radicale")
        server = self.running.__enter__()
        server.client().principal().make_calendar(name="Work").save_event(
            event("a@x", "Budget review", "20261125T150000Z"))
        self.server = server
        return CalDavAccount(server.url, USER, PASSWORD, folder / "calendars")

    def break_source(self):
        self.server.requests.broken_paths.append("/")

    def close(self):
        self.running.__exit__(None, None, None)


class TestFakeCalendarFeed(CalendarFeedContract):
    def make_feed(self, folder):
        self.fake = FakeCalendarFeed("fake", {"work.ics": OUTLOOK.replace("Q1 budget review", "Budget review")})
        return self.fake

    def break_source(self):
        self.fake.failing = "the source is away"
