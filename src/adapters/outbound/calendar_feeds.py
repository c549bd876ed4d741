"""Where the calendar collector's iCalendar documents come from: files, http(s) links, a CalDAV account.

Each feed answers `read()` with the documents it has now (`CalendarBody`: a stable id, a name that
is safe to show, the bytes) and what failed. A feed that fails keeps answering its last good
documents (kept in the data folder), so the board keeps the calendar collected before.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from src.adapters.outbound.ical_reading import UnreadableCalendar

MAX_FILE_BYTES = 32 * 1024**2  # a busy work calendar exported whole is a few MB; icalendar parses about 1 MB a second


@dataclass(frozen=True)
class CalendarBody:
    id: str  # "<feed id>:<what in it>", stable across runs and never a secret: "files:<path>", "caldav-<hash>:<href>"
    name: str  # what a warning names: a file name, a masked address, a calendar and event
    data: bytes


@dataclass
class FeedRead:
    feed: str  # the feed's id (no ':' in it), the prefix of its bodies' ids
    bodies: list[CalendarBody] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # one line each, naming what failed, no secret in it
    fetched: int = 0  # documents transferred this time (a link downloaded, CalDAV events fetched)
    unchanged: int = 0  # documents the source said had not changed (HTTP 304)

    @property
    def complete(self) -> bool:
        """True when `bodies` is everything the feed has: what it had before and lacks now is gone."""
        return not self.failures


class CalendarFeed(Protocol):
    id: str
    shown: str  # what a failure names it by: no secret in it (an address masked)

    async def read(self) -> FeedRead: ...


def short_hash(text: str) -> str:
    """A file name or id for something whose own name may hold a secret (an address, an account)."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def write_atomically(path: Path, data: bytes) -> None:
    """Readers (and a crash half-way) see the old file or the new one, never a part of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def read_json(path: Path) -> dict[str, Any]:
    try:
        loaded = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}  # never written, or damaged: the next sync starts afresh
    return loaded if isinstance(loaded, dict) else {}


def ics_files(paths: list[Path], failures: list[str]) -> list[Path]:
    """The .ics files at `paths`; a path that holds none goes to `failures`, saying why."""
    found = []
    for path in paths:
        if path.is_dir():
            in_folder = sorted(p for p in path.rglob("*.ics") if p.is_file())
            if not in_folder:  # an empty board here would wipe the calendar collected before
                failures.append(f"no .ics files in {path}")
            found += in_folder
        elif path.is_file():
            found.append(path)
        else:
            failures.append(f"calendar not found: {path}")
    return found


def read_file(path: Path) -> bytes:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise UnreadableCalendar(f"{path.name} is {size / 1024**2:.1f} MB, more than the "
                                 f"{MAX_FILE_BYTES // 1024**2} MB a calendar may be")
    with open(path, "rb") as file:
        data = file.read(MAX_FILE_BYTES + 1)  # the file may grow while it is read
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableCalendar(f"{path.name} is more than the {MAX_FILE_BYTES // 1024**2} MB a calendar may be")
    return data


class LocalCalendarFiles:
    """`.ics` files and folders of them."""

    id = "files"

    def __init__(self, paths: list[Path]) -> None:
        self._paths = [Path(p) for p in paths]
        self.shown = "calendar files " + ", ".join(str(p) for p in self._paths)

    def read_now(self) -> FeedRead:
        read = FeedRead(self.id)
        for path in ics_files(self._paths, read.failures):
            try:
                read.bodies.append(CalendarBody(f"{self.id}:{path}", path.name, read_file(path)))
            except UnreadableCalendar as error:
                read.failures.append(str(error))
            except OSError as error:
                read.failures.append(f"{path.name}: {error}")
        return read

    async def read(self) -> FeedRead:
        return await asyncio.to_thread(self.read_now)
