"""A real Radicale CalDAV server on loopback, for the tests and the bench: a throwaway folder, an
htpasswd file, and a count of what clients fetch (event hrefs named in calendar-multiget REPORTs,
and GETs of events), read from the requests themselves."""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import caldav
from radicale import Application, config

USER = "alex"
PASSWORD = "correct horse battery staple"


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args) -> None:
        pass


@dataclass
class Requests:
    hrefs_fetched: int = 0  # events whose data a client asked for
    methods: list[str] = field(default_factory=list)
    refuse_sync_reports: bool = False  # act as a server without RFC 6578 sync-collection
    sync_reports: list[bool] = field(default_factory=list)  # per sync-collection REPORT: did it send a token
    broken_paths: list[str] = field(default_factory=list)  # requests under these answer 500


@dataclass
class Radicale:
    url: str
    requests: Requests

    def client(self, password: str = PASSWORD) -> caldav.DAVClient:
        return caldav.DAVClient(url=self.url, username=USER, password=password)


def _counting(app, seen: Requests):
    def middleware(environ, start_response):
        method = environ["REQUEST_METHOD"]
        seen.methods.append(method)
        if any(environ.get("PATH_INFO", "").startswith(path) for path in seen.broken_paths):
            start_response("500 Internal Server Error", [("Content-Type", "text/plain")])
            return [b"storage error"]
        if method == "REPORT":
            body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            environ["wsgi.input"] = io.BytesIO(body)
            if b"sync-collection" in body:
                seen.sync_reports.append(bool(re.search(rb"<(?:\w+:)?sync-token>[^<]+<", body)))
            if b"calendar-multiget" in body:
                seen.hrefs_fetched += len(re.findall(rb"<(?:\w+:)?href>", body))
            if seen.refuse_sync_reports and b"sync-collection" in body:
                start_response("403 Forbidden", [("Content-Type", "text/plain")])
                return [b"sync-collection is not supported here"]
        elif method == "GET" and environ.get("PATH_INFO", "").endswith(".ics"):
            seen.hrefs_fetched += 1
        return app(environ, start_response)

    return middleware


@contextmanager
def radicale_server(folder: Path) -> Iterator[Radicale]:
    folder.mkdir(parents=True, exist_ok=True)
    htpasswd = folder / "htpasswd"
    htpasswd.write_text(f"{USER}:{PASSWORD}\n")
    configuration = config.load()
    configuration.update({
        "storage": {"filesystem_folder": str(folder / "collections")},
        "auth": {"type": "htpasswd", "htpasswd_filename": str(htpasswd), "htpasswd_encryption": "plain",
                 "delay": "0"},
        "rights": {"type": "owner_only"},
        "logging": {"level": "warning"},
    }, "test", privileged=True)
    seen = Requests()
    server = make_server("127.0.0.1", 0, _counting(Application(configuration), seen),
                         server_class=_ThreadingServer, handler_class=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Radicale(f"http://127.0.0.1:{server.server_port}/", seen)
    finally:
        server.shutdown()
        server.server_close()


def event(uid: str, title: str, start: str, extra: str = "") -> str:
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n"
            f"UID:{uid}\r\nSUMMARY:{title}\r\nDTSTART:{start}\r\nDURATION:PT30M\r\n{extra}"
            "END:VEVENT\r\nEND:VCALENDAR\r\n")
