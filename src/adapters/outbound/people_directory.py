"""`PeopleDirectory` implementations: in memory, and in SQLite (`AICOS_DATA_DIR/people.db`).

Both keep the sightings as the sources sent them, one per (source, key), and merge them into
people when asked (`src.domain.people.People`), so the rules live in one place and a sighting that
links two people seen apart joins them however late it comes.

People have a file of their own rather than a table in search.db: the search database's schema is
the deployment's, versioned and migrated by `SearchDatabase`, and stays as it is.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from src.adapters.outbound.sqlite_file import SqliteFile
from src.domain.people import People, Sighting


class InMemoryPeopleDirectory:
    def __init__(self, me: Iterable[str] = ()) -> None:
        self._me = tuple(me)
        self._sightings: dict[tuple[str, str], Sighting] = {}
        self._people: People | None = None

    async def add_people(self, sightings: Sequence[Sighting]) -> None:
        for sighting in sightings:
            self._sightings[(sighting.source, sighting.key)] = sighting
        self._people = None

    async def people(self) -> People:
        if self._people is None:
            self._people = People(self._sightings.values(), self._me)
        return self._people


_SCHEMA = """
CREATE TABLE IF NOT EXISTS sightings (
    source TEXT NOT NULL,
    key TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (source, key)
)"""


def _encoded(sighting: Sighting) -> str:
    return json.dumps({"source": sighting.source, "emails": sighting.emails, "slack_ids": sighting.slack_ids,
                       "name": sighting.name, "handles": sighting.handles, "ref": sighting.ref,
                       "role": sighting.role})


def _decoded(body: str) -> Sighting:
    fields = json.loads(body)
    return Sighting(fields["source"], tuple(fields["emails"]), tuple(fields["slack_ids"]), fields["name"],
                    tuple(fields["handles"]), fields.get("ref"), fields.get("role"))


class SqlitePeopleDirectory:
    """The file is opened on first use. The merged people are kept until this process adds
    sightings or another process commits to the file (SQLite's `data_version` says so)."""

    def __init__(self, path: str | Path, me: Iterable[str] = ()) -> None:
        self._file = SqliteFile(path, _SCHEMA)
        self._me = tuple(me)
        self._cached: tuple[int, People] | None = None

    async def add_people(self, sightings: Sequence[Sighting]) -> None:
        rows = [(s.source, s.key, _encoded(s)) for s in sightings]
        await asyncio.to_thread(self._write, rows)

    def _write(self, rows: list[tuple[str, str, str]]) -> None:
        with self._file.connection() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                # An update in place keeps the row's position: within a source, names rank in the
                # order sightings first came.
                db.executemany("INSERT INTO sightings (source, key, body) VALUES (?, ?, ?) "
                               "ON CONFLICT (source, key) DO UPDATE SET body = excluded.body", rows)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            self._cached = None

    async def people(self) -> People:
        return await asyncio.to_thread(self._read)

    def _read(self) -> People:
        with self._file.connection() as db:
            version = db.execute("PRAGMA data_version").fetchone()[0]
            if self._cached is None or self._cached[0] != version:
                bodies = db.execute("SELECT body FROM sightings ORDER BY rowid").fetchall()
                self._cached = (version, People((_decoded(body) for (body,) in bodies), self._me))
            return self._cached[1]

    def close(self) -> None:
        self._file.close()
