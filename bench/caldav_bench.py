"""CalDAV: a second sync after changing 1 of 500 events, beside the first sync and a naive re-fetch.

A real Radicale server on loopback holds one calendar of 500 events. The calendar collector (its
CalDAV feed, the shared iCalendar reader, the index) syncs it once, then again after one event
changed, then again with nothing changed; the hrefs fetched are counted at the server. The naive
baseline fetches every event's data each time (`calendar.events()`), as a client without
sync-tokens or ETags does.

    python -m bench.run caldav
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from src.adapters.outbound.caldav_account import CalDavAccount
from src.adapters.outbound.ics_calendar import IcsCalendarCollector
from src.search.database import SearchDatabase
from tests.fakes import FixedClock
from tests.radicale_server import PASSWORD, USER, event, radicale_server
from tests.unit.core import Core

EVENTS = 500
NOW = datetime(2026, 11, 25, 6, 0, tzinfo=timezone.utc)


async def _ignore(fraction, message) -> None:
    pass


def _calendar_of(count: int) -> str:
    events = "".join(f"BEGIN:VEVENT\r\nUID:e{n}@bench\r\nSUMMARY:Event {n}\r\nDTSTART:202611{20 + n % 10}T"
                     f"{8 + n % 9:02}{n % 60:02}00Z\r\nDURATION:PT30M\r\nEND:VEVENT\r\n" for n in range(count))
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//EN\r\n{events}END:VCALENDAR\r\n"


def scenario_caldav(events: int = EVENTS) -> list[dict]:
    folder = Path(tempfile.mkdtemp(prefix="aicos-caldav-bench-"))
    rows = []
    with radicale_server(folder / "radicale") as server:
        client = server.client()
        client.principal()
        client.request(server.url + f"{USER}/bench/", "PUT", _calendar_of(events), {"Content-Type": "text/calendar"})
        (calendar,) = client.principal().calendars()
        core = Core(clock=FixedClock(NOW))
        database = SearchDatabase(folder / "search.db")
        collector = IcsCalendarCollector(database, [], core.replace_calendar, core.clock,
                                         [CalDavAccount(server.url, USER, PASSWORD, folder / "calendars")],
                                         folder / "calendars")

        def collect(label: str) -> None:
            server.requests.hrefs_fetched = 0
            read_before = collector.documents_read
            started = time.perf_counter()
            outcome = asyncio.run(collector.collect("quick", _ignore))
            rows.append({"scenario": "caldav_sync", "sync": label, "events": events,
                         "hrefs_fetched": server.requests.hrefs_fetched,
                         "documents_parsed": collector.documents_read - read_before,
                         "seconds": round(time.perf_counter() - started, 3), "summary": outcome.summary})

        collect("first")
        changed = calendar.event_by_uid("e7@bench")
        changed.data = event("e7@bench", "Event 7 moved", "20261127T150000Z")
        changed.save()
        collect("second, 1 changed")
        collect("third, nothing changed")
        database.close()

        server.requests.hrefs_fetched = 0
        started = time.perf_counter()
        fetched = len(calendar.events())
        rows.append({"scenario": "caldav_sync", "sync": "naive: every event fetched", "events": events,
                     "hrefs_fetched": fetched, "seconds": round(time.perf_counter() - started, 3)})
    return rows


if __name__ == "__main__":
    for row in scenario_caldav():
        print(row)
