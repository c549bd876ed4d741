"""A `Collector` for Slack workspace exports, as a folder or the `.zip` Slack produces.

Layout: `channels.json`, `users.json` (and `groups.json`, `dms.json`, `mpims.json` where present),
then one folder per conversation holding one `YYYY-MM-DD.json` per day, a list of messages. Users
and channels are resolved to names in what is indexed; bot posts are indexed under the bot's name,
marked `is_bot`. A zip is read in place, never extracted, and refused when a name points outside it
or its size or file count is beyond reason. A file over its size limit, a link out of a folder export
or anything but a regular file is not read, and said.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
import stat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any

import orjson

from src.adapters.outbound.people_sources import slack_user_people
from src.adapters.outbound.slack_messages import (
    KIND_OF_LIST,
    MEMBERSHIP_NOTICES,
    Authors,
    IndexedConversation,
    chat_message,
    indexed_conversation,
    read_authors,
    search_record,
    workspace_users,
)
from src.adapters.outbound.threaded_progress import run_in_thread
from src.application.ports import CollectionOutcome, ConversationStore, ProgressReport
from src.domain.conversations import ChatMessage, WorkspaceUser
from src.domain.conversations import Conversation as StoredConversation
from src.search.batches import ArchiveEntry, BatchWriter
from src.search.database import SearchDatabase

DAY_FILE = re.compile(r"^(?P<folder>[^/]+)/(?P<day>\d{4}-\d{2}-\d{2})\.json$")
CONVERSATION_LISTS = ("channels.json", "groups.json", "mpims.json", "dms.json")
MAX_FILES = 200_000
MAX_TOTAL_BYTES = 4 * 1024**3  # uncompressed
# A real day file is rarely over a few MB; parsed, a file of tiny messages takes 30 times its size.
MAX_DAY_FILE_BYTES = 16 * 1024**2
MAX_LIST_BYTES = 64 * 1024**2  # users.json of a 10,000-person workspace is about 30 MB
# Messages handed to the conversation store at a time while an export is read: memory stays flat
# (holding a 340,000-message export's messages until the end cost about 140 MB more at its peak).
STORE_BATCH = 20_000

# Takes messages read so far ({conversation id: messages}) to the conversation store, from the
# reading thread; returns once they are stored.
MessageSink = Callable[[dict[str, list[ChatMessage]]], None]


class UnsafeExport(ValueError):
    """The export cannot be read safely (a zip bomb, a name pointing outside the export)."""


class SkippedFile(Exception):
    """One file of the export is not read; the message says which and why."""


def _megabytes(size: int) -> str:
    return f"{size / 1024**2:,.1f} MB"


class _Source:
    """Files of an export by their relative names, from a folder or a zip read in place."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._root = os.path.realpath(path)
        self._zip: zipfile.ZipFile | None = None
        self._names: list[str] | None = None
        if path.is_file():
            try:
                self._zip = zipfile.ZipFile(path)
            except zipfile.BadZipFile as error:
                raise UnsafeExport(f"{path.name} is not a zip file that can be read ({error})") from error
            self._check_zip(self._zip)
            self._prefix = self._common_prefix(self._zip.namelist())
        elif not path.is_dir():
            raise FileNotFoundError(f"Slack export not found: {path}")

    @staticmethod
    def _check_zip(archive: zipfile.ZipFile) -> None:
        members = archive.infolist()
        if len(members) > MAX_FILES:
            raise UnsafeExport(f"the zip holds {len(members)} files, more than {MAX_FILES}")
        if sum(member.file_size for member in members) > MAX_TOTAL_BYTES:
            raise UnsafeExport(f"the zip would unpack to more than {MAX_TOTAL_BYTES // 1024**3} GiB")
        for member in members:
            name = PurePosixPath(member.filename)
            if name.is_absolute() or ".." in name.parts or "\\" in member.filename:
                raise UnsafeExport(f"the zip holds a name outside the export: {member.filename!r}")

    @staticmethod
    def _common_prefix(names: list[str]) -> str:
        # Some exports are zipped with a top folder around everything.
        if "users.json" in names or "channels.json" in names:
            return ""
        tops = {name.split("/", 1)[0] for name in names if "/" in name}
        return f"{tops.pop()}/" if len(tops) == 1 else ""

    def names(self) -> list[str]:
        if self._names is None:
            if self._zip is not None:
                prefix = self._prefix
                self._names = [n[len(prefix):] for n in self._zip.namelist()
                               if n.startswith(prefix) and not n.endswith("/")]
            else:  # os.walk and plain strings: pathlib's parsing cost seconds over 85,000 day files
                root = str(self.path)
                self._names = []
                for folder, _, files in os.walk(root):
                    relative = os.path.relpath(folder, root)
                    prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
                    self._names += [prefix + name for name in files if name.endswith(".json")]
        return self._names

    def read(self, name: str, limit: int = MAX_DAY_FILE_BYTES) -> bytes:
        """The bytes of `name`; SkippedFile when it is over `limit`, a link out of the export, or not a
        regular file (a FIFO or /dev/zero would be read forever)."""
        too_big = f"{name} is {{size}}, more than the {_megabytes(limit)} a file of an export may be; not read"
        if self._zip is not None:
            info = self._zip.getinfo(self._prefix + name)
            kind = stat.S_IFMT(info.external_attr >> 16)  # 0 when the zip tool recorded no Unix mode
            if kind and kind != stat.S_IFREG:  # a link stored in the zip: its target is not the export's
                raise SkippedFile(f"{name} is not a regular file in the zip; not read")
            if info.file_size > limit:
                raise SkippedFile(too_big.format(size=_megabytes(info.file_size)))
            with self._zip.open(info) as member:
                data = member.read(info.file_size + 1)
            if len(data) > info.file_size:  # the header lied about the size
                raise UnsafeExport(f"{name} unpacks to more than it declares")
            return data
        path = os.path.realpath(os.path.join(self._root, name))
        if os.path.commonpath([self._root, path]) != self._root:
            raise SkippedFile(f"{name} links outside the export; not read")
        status = os.stat(path)
        if not stat.S_ISREG(status.st_mode):
            raise SkippedFile(f"{name} is not a regular file; not read")
        if status.st_size > limit:
            raise SkippedFile(too_big.format(size=_megabytes(status.st_size)))
        with open(path, "rb") as file:
            data = file.read(limit + 1)  # it may grow while it is read
        if len(data) > limit:
            raise SkippedFile(too_big.format(size=f"over {_megabytes(limit)}"))
        return data

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()


@dataclass
class ExportedConversations:
    """What an export holds, for the conversation store: its users, its conversations, the messages of
    the day files read, and the days whose file changed since it was last read (what such a file no
    longer holds was deleted)."""

    users: list[WorkspaceUser] = field(default_factory=list)
    conversations: list[StoredConversation] = field(default_factory=list)
    messages: dict[str, list[ChatMessage]] = field(default_factory=dict)  # conversation id -> messages
    changed_days: list[tuple[str, str, frozenset[str]]] = field(default_factory=list)  # (id, day, ts in the file)


@dataclass
class ExportReport:
    messages: int = 0
    bot_messages: int = 0  # of `messages`
    files_read: int = 0
    files_skipped: int = 0  # unchanged since the last run
    skipped: dict[str, int] = field(default_factory=dict)  # messages left out on purpose, by why
    problems: list[str] = field(default_factory=list)
    found: ExportedConversations = field(default_factory=ExportedConversations)

    def summary(self) -> str:
        text = f"{self.messages:,} messages indexed ({self.bot_messages:,} from bots)"
        if left_out := sum(self.skipped.values()):
            text += f", {left_out:,} skipped (" + ", ".join(f"{why}: {n:,}" for why, n in self.skipped.items()) + ")"
        if self.files_skipped:
            text += f", {self.files_skipped:,} day files unchanged"
        return text


def _load_list(source: _Source, name: str, report: ExportReport) -> list[dict[str, Any]]:
    if name not in source.names():
        return []
    try:
        value = json.loads(source.read(name, MAX_LIST_BYTES))
    except SkippedFile as skipped:
        report.problems.append(str(skipped))
        return []
    except ValueError:
        report.problems.append(f"{name} is not valid JSON, skipped")
        return []
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _conversations(source: _Source, report: ExportReport, people: Authors) -> dict[str, IndexedConversation]:
    """Folder name -> its conversation (channels by name, DMs and group DMs by their members)."""
    folders = {}
    for list_name in CONVERSATION_LISTS:
        kind = KIND_OF_LIST[list_name]
        for conversation in _load_list(source, list_name, report):
            ids = tuple(m for m in conversation.get("members") or [] if isinstance(m, str))
            folder = conversation.get("name") or conversation.get("id")
            if folder:
                folders[str(folder)] = indexed_conversation(str(conversation.get("id") or folder), str(folder), kind,
                                                            ids, people)
    return folders


def read_export(database: SearchDatabase, path: Path, progress=None, *, force: bool = False,
                messages_to: MessageSink | None = None) -> ExportReport:
    """Indexes the export at `path`. Day files already indexed unchanged are skipped unless `force`;
    a day file that is not JSON, too big or not a regular file is reported and skipped, the rest is
    collected. `progress(fraction, message)` hears of every file read and of every few thousand
    messages written. The messages read go to `messages_to` as reading goes, else stay in the
    report (`found.messages`)."""
    report = ExportReport()
    source = _Source(path)
    try:
        raw_users = _load_list(source, "users.json", report)
        people = read_authors(raw_users)
        report.found.users = workspace_users(raw_users)[0]
        folders = _conversations(source, report, people)
        report.found.conversations = [StoredConversation(c.id, c.name, c.kind, c.members, ()) for c in folders.values()]
        days = sorted((m["folder"], m["day"], name) for name in source.names() if (m := DAY_FILE.match(name)))
        if not days and not people.names:
            raise FileNotFoundError(f"{path} holds no Slack export (no users.json, no conversation day files)")
        _DayFiles(database, source, people, folders, report, progress, messages_to).index(days, force)
    finally:
        source.close()
    return report


class _DayFiles:
    """Indexes an export's day files: records from many files share each batch (see batch_writer)."""

    def __init__(self, database: SearchDatabase, source: _Source, people: Authors,
                 folders: dict[str, IndexedConversation], report: ExportReport, progress,
                 messages_to: MessageSink | None = None) -> None:
        self._database = database
        self._source = source
        self._people = people
        self._folders = folders
        self._report = report
        self._progress = progress
        self._writer: BatchWriter | None = None
        self._messages_to = messages_to
        self._unsent = 0  # messages read and not yet handed to `messages_to`
        self._fraction = 0.0
        self._at = "starting"

    def index(self, days: list[tuple[str, str, str]], force: bool) -> None:
        known = self._database.archive_checksums("slack")
        export_key = str(self._source.path.resolve())
        with self._database.batch_writer("slack", on_written=self._tell) as self._writer:
            for done, (folder, day, name) in enumerate(days, 1):
                self._fraction = done / len(days)
                try:
                    data = self._source.read(name)
                except SkippedFile as skipped:
                    self._report.problems.append(str(skipped))
                    continue
                key = f"{export_key}!{name}"
                checksum = hashlib.sha256(data).hexdigest()
                if known.get(key) == checksum and not force:
                    self._report.files_skipped += 1
                    continue
                conversation = self._folders.get(folder) or IndexedConversation(folder, folder, "channel")
                records = self._records(data, name, conversation)
                if records is not None and known.get(key, checksum) != checksum:  # read before, changed since
                    self._report.found.changed_days.append(
                        (conversation.id, day, frozenset(str(r["ts"]) for r in records if "ts" in r)))
                if records is not None:
                    self._writer.add(records, ArchiveEntry(key, checksum, len(records)))
                    self._report.files_read += 1
                self._at = f"{conversation.name} {day}"
                self._tell()
                if self._unsent >= STORE_BATCH:
                    self._send_messages()
        self._send_messages()
        self._report.messages = self._writer.result.indexed

    def _send_messages(self) -> None:
        if self._messages_to is not None and self._unsent:
            self._messages_to(self._report.found.messages)
            self._report.found.messages, self._unsent = {}, 0

    def _records(self, data: bytes, name: str, conversation: IndexedConversation) -> list[dict[str, Any]] | None:
        try:
            messages = orjson.loads(data)
            if not isinstance(messages, list):
                raise ValueError("not a list of messages")
        except ValueError:
            self._report.problems.append(f"{name} is not valid JSON, skipped")
            return None
        records, notices, empty = [], 0, 0
        stored = self._report.found.messages.setdefault(conversation.id, [])
        names, bots = self._people.names, self._people.bots
        for message in messages:
            if not isinstance(message, dict):
                empty += 1
            elif message.get("subtype") in MEMBERSHIP_NOTICES:  # "<@U1> has joined": nobody searches for it
                notices += 1
            elif (record := search_record(message, conversation, self._people))["text"] or record.get("blocks"):
                records.append(record)
                self._report.bot_messages += record["is_bot"]
                if (chat := chat_message(message, names, bots)) is not None:
                    stored.append(chat)
                    self._unsent += 1
            else:
                empty += 1
        for why, count in (("joins and leaves", notices), ("nothing to read", empty)):
            if count:
                self._report.skipped[why] = self._report.skipped.get(why, 0) + count
        return records

    def _tell(self) -> None:  # from this thread as files are read, and from the writer's as rows land
        if self._progress is not None and self._writer is not None:
            self._progress(self._fraction, f"slack: {self._writer.written:,} messages indexed ({self._at})")


class SlackExportCollector:
    name = "slack"
    hooks = None  # CollectorHooks, set by bootstrap: the export's users go to the people directory

    def __init__(self, database: SearchDatabase, paths: list[Path], store: ConversationStore | None = None) -> None:
        self._database = database
        self._paths = [Path(p) for p in paths]
        self._store = store  # where the messages go for reading (commitments and asks), when given

    async def collect(self, mode: str, report: ProgressReport) -> CollectionOutcome:
        """Reads every export; one that cannot be read (missing, not a zip, unsafe) is named and the
        others are still read. Any file skipped for a fault ends the run in ERROR naming it and why."""
        failures: list[str] = []
        summaries: list[str] = []
        share = len(self._paths)
        for index, path in enumerate(self._paths):
            async def relay(fraction: float, message: str, index: int = index) -> None:
                await report((index + fraction) / share, message)

            # A store that has not had this export yet (new, or in memory after a restart) gets it whole.
            unfed = self._store is not None and await self._store.cursor(_fed_marker(path)) is None
            try:
                outcome = await run_in_thread(
                    partial(read_export, self._database, path, force=mode == "full" or unfed,
                            messages_to=self._messages_sink()),
                    relay,
                    f"slack: reading {path.name}",
                )
            except (OSError, ValueError) as error:  # this export only; WorkCancelled and the rest propagate
                failures.append(str(error) if path.name in str(error) else f"{path.name}: {error}")
                continue
            failures += [f"{path.name}: {problem}" for problem in outcome.problems]
            if self._store is not None:
                await self._into_store(outcome.found)
                await self._store.set_cursor(_fed_marker(path), "read")
            if self.hooks is not None:
                await self.hooks.add_people(await asyncio.to_thread(export_people, path), "slack")
            summaries.append(f"{outcome.summary()} from {path.name}" if share > 1 else outcome.summary())
            await report((index + 1) / share, f"slack: {outcome.summary()} from {path.name}")
        if failures:
            raise ValueError(f"{len(failures)} problem{'s' if len(failures) != 1 else ''}: " + "; ".join(failures[:5])
                             + (f"; and {len(failures) - 5} more" if len(failures) > 5 else ""))
        return CollectionOutcome("; ".join(summaries))

    def _messages_sink(self) -> MessageSink | None:
        """Messages from the reading thread into the store, on the event loop (the store is async)."""
        if self._store is None:
            return None
        loop = asyncio.get_running_loop()

        def send(messages: dict[str, list[ChatMessage]]) -> None:
            asyncio.run_coroutine_threadsafe(self._put_messages(messages), loop).result()

        return send

    async def _put_messages(self, messages: dict[str, list[ChatMessage]]) -> None:
        assert self._store is not None
        for conversation_id, found in messages.items():
            if found:
                await self._store.put_messages(conversation_id, found)

    async def _into_store(self, found: ExportedConversations) -> None:
        """What the export holds, into the conversation store; what a changed day file no longer holds
        was deleted, from the store and the index."""
        assert self._store is not None
        await self._store.put_users(found.users)
        for conversation in found.conversations:
            await self._store.put_conversation(conversation)
        await self._put_messages(found.messages)  # any not sent while reading
        gone: list[str] = []
        for conversation_id, day, present in found.changed_days:
            start = datetime.fromisoformat(day).replace(tzinfo=timezone.utc)
            first, last = start.timestamp(), (start + timedelta(days=1)).timestamp() - 1e-6
            deleted = await self._store.delete_absent(conversation_id, f"{first:.6f}", f"{last:.6f}", present)
            gone += [f"{conversation_id}/{ts}" for ts in deleted]
        if gone:
            await asyncio.to_thread(self._database.remove_records, "slack", gone)


def _fed_marker(path: Path) -> str:
    """The store's cursor saying it holds this export (kept beside the Web API's cursors, by a key no
    conversation id looks like)."""
    return f"export:{path.resolve()}"


def export_people(path: Path) -> list:
    """The humans among the export's users (users.json), as sightings for the people directory."""
    source = _Source(path)
    try:
        return slack_user_people(_load_list(source, "users.json", ExportReport()))
    finally:
        source.close()
