"""A `Collector` for Slack workspace exports, as a folder or the `.zip` Slack produces.

Layout: `channels.json`, `users.json` (and `groups.json`, `dms.json`, `mpims.json` where present),
then one folder per conversation holding one `YYYY-MM-DD.json` per day, a list of messages. Users
and channels are resolved to names in what is indexed. A zip is read in place, never extracted,
and refused when a name points outside it or its size or file count is beyond reason.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import orjson

from src.adapters.outbound.people_sources import slack_user_people
from src.adapters.outbound.threaded_progress import run_in_thread
from src.application.ports import ProgressReport
from src.search.batches import ArchiveEntry
from src.search.database import SearchDatabase
from src.search.records import texts_in_blocks

DAY_FILE = re.compile(r"^(?P<folder>[^/]+)/(?P<day>\d{4}-\d{2}-\d{2})\.json$")
CONVERSATION_LISTS = ("channels.json", "groups.json", "mpims.json", "dms.json")
MAX_FILES = 200_000
# "<@U1> has joined the channel": Slack writes these with text, but nobody searches for them.
MEMBERSHIP_NOTICES = frozenset({"channel_join", "channel_leave", "group_join", "group_leave"})
MAX_TOTAL_BYTES = 4 * 1024**3  # uncompressed


class UnsafeExport(ValueError):
    """The export cannot be read safely (a zip bomb, a name pointing outside the export)."""


class _Source:
    """Files of an export by their relative names, from a folder or a zip read in place."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._zip: zipfile.ZipFile | None = None
        self._names: list[str] | None = None
        if path.is_file():
            self._zip = zipfile.ZipFile(path)
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

    def read(self, name: str) -> bytes:
        if self._zip is not None:
            info = self._zip.getinfo(self._prefix + name)
            with self._zip.open(info) as member:
                data = member.read(info.file_size + 1)
            if len(data) > info.file_size:  # the header lied about the size
                raise UnsafeExport(f"{name} unpacks to more than it declares")
            return data
        with open(os.path.join(self.path, name), "rb") as file:
            return file.read()

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()


@dataclass
class ExportReport:
    messages: int = 0
    files_read: int = 0
    files_skipped: int = 0
    problems: list[str] = field(default_factory=list)


def _load_list(source: _Source, name: str, report: ExportReport) -> list[dict[str, Any]]:
    if name not in source.names():
        return []
    try:
        value = json.loads(source.read(name))
    except ValueError:
        report.problems.append(f"{name} is not valid JSON, skipped")
        return []
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _user_names(users: list[dict[str, Any]]) -> dict[str, str]:
    names = {}
    for user in users:
        profile = user.get("profile") if isinstance(user.get("profile"), dict) else {}
        name = (user.get("real_name") or profile.get("real_name") or profile.get("display_name")
                or user.get("name"))
        if isinstance(user.get("id"), str) and name:
            names[user["id"]] = str(name)
    return names


def _folders(source: _Source, report: ExportReport, users: dict[str, str]) -> dict[str, str]:
    """Folder name -> the conversation's readable name (channels by name, DMs by their members)."""
    folders = {}
    for list_name in CONVERSATION_LISTS:
        for conversation in _load_list(source, list_name, report):
            name = conversation.get("name")
            if not name and list_name == "dms.json":
                members = [users.get(m, m) for m in conversation.get("members") or []]
                name = "DM " + ", ".join(members)
            folder = conversation.get("name") or conversation.get("id")
            if folder and name:
                folders[str(folder)] = str(name)
    return folders


_MENTION = re.compile(r"<@(U[A-Z0-9]+)(?:\|[^>]*)?>")


def _record(message: dict[str, Any], conversation: str, users: dict[str, str]) -> dict[str, Any]:
    user = message.get("user")
    text = message.get("text") if isinstance(message.get("text"), str) else ""
    text = _MENTION.sub(lambda match: "@" + users.get(match.group(1), match.group(1)), text)
    files = [f.get("name") or f.get("title") for f in message.get("files") or [] if isinstance(f, dict)]
    if files:
        text = "\n".join([text, *("shared file: " + str(name) for name in files if name)]).strip()
    record = {key: message[key] for key in ("ts", "thread_ts", "subtype", "client_msg_id", "edited") if key in message}
    # Blocks mostly repeat the text; they are kept only when they say more (and then indexed too).
    blocks = message.get("blocks")
    if blocks and (not text or any(part not in text for part in texts_in_blocks(blocks))):
        record["blocks"] = blocks
    return {
        **record,
        "text": text,
        "user": user,
        "user_name": users.get(user) or message.get("username") or message.get("user_name") or user,
        "channel_name": conversation,
    }


def read_export(database: SearchDatabase, path: Path, progress=None, *, force: bool = False) -> ExportReport:
    """Indexes the export at `path`. Day files already indexed unchanged are skipped unless `force`;
    a day file that is not JSON is reported and skipped, the rest is collected. `progress(fraction,
    message)` hears of every file read and of every few thousand messages written."""
    report = ExportReport()
    source = _Source(path)
    try:
        users = _user_names(_load_list(source, "users.json", report))
        folders = _folders(source, report, users)
        days = sorted((m["folder"], m["day"], name) for name in source.names() if (m := DAY_FILE.match(name)))
        if not days and not users:
            raise FileNotFoundError(f"{path} holds no Slack export (no users.json, no conversation day files)")
        _DayFiles(database, source, users, folders, report, progress).index(days, force)
    finally:
        source.close()
    return report


class _DayFiles:
    """Indexes an export's day files: records from many files share each batch (see batch_writer)."""

    def __init__(self, database: SearchDatabase, source: _Source, users: dict[str, str], folders: dict[str, str],
                 report: ExportReport, progress) -> None:
        self._database = database
        self._source = source
        self._users = users
        self._folders = folders
        self._report = report
        self._progress = progress
        self._writer = None
        self._fraction = 0.0
        self._at = "starting"

    def index(self, days: list[tuple[str, str, str]], force: bool) -> None:
        known = {} if force else self._database.archive_checksums("slack")
        export_key = str(self._source.path.resolve())
        with self._database.batch_writer("slack", on_written=self._tell) as self._writer:
            for done, (folder, day, name) in enumerate(days, 1):
                data = self._source.read(name)
                key = f"{export_key}!{name}"
                checksum = hashlib.sha256(data).hexdigest()
                if known.get(key) == checksum:
                    self._report.files_skipped += 1
                    continue
                conversation = self._folders.get(folder, folder)
                records = self._records(data, name, conversation)
                if records is not None:
                    self._writer.add(records, ArchiveEntry(key, checksum, len(records)))
                    self._report.files_read += 1
                self._fraction, self._at = done / len(days), f"{conversation} {day}"
                self._tell()
        self._report.messages = self._writer.result.indexed

    def _records(self, data: bytes, name: str, conversation: str) -> list[dict[str, Any]] | None:
        try:
            messages = orjson.loads(data)
            if not isinstance(messages, list):
                raise ValueError("not a list of messages")
        except ValueError:
            self._report.problems.append(f"{name} is not valid JSON, skipped")
            return None
        # Joins, leaves and other messages with nothing to read are not worth a search hit.
        return [record for m in messages if isinstance(m, dict) and m.get("subtype") not in MEMBERSHIP_NOTICES
                if (record := _record(m, conversation, self._users))["text"] or record.get("blocks")]

    def _tell(self) -> None:  # from this thread as files are read, and from the writer's as rows land
        if self._progress is not None and self._writer is not None:
            self._progress(self._fraction, f"slack: {self._writer.written:,} messages indexed ({self._at})")


class SlackExportCollector:
    name = "slack"
    hooks = None  # CollectorHooks, set by bootstrap: the export's users go to the people directory

    def __init__(self, database: SearchDatabase, paths: list[Path]) -> None:
        self._database = database
        self._paths = [Path(p) for p in paths]

    async def collect(self, mode: str, report: ProgressReport) -> None:
        problems: list[str] = []
        for index, path in enumerate(self._paths):
            share = len(self._paths)

            async def relay(fraction: float, message: str, index: int = index) -> None:
                await report((index + fraction) / share, message)

            # A missing or unsafe export raises here, and the job says so.
            outcome = await run_in_thread(
                lambda progress, path=path: read_export(self._database, path, progress, force=mode == "full"),
                relay,
                f"slack: reading {path.name}",
            )
            problems += outcome.problems
            if self.hooks is not None:
                await self.hooks.add_people(await asyncio.to_thread(export_people, path), "slack")
            await report((index + 1) / len(self._paths),
                         f"slack: {outcome.messages} messages from {path.name}, {outcome.files_skipped} days unchanged")
        if problems:
            raise ValueError(f"{len(problems)} file(s) skipped: " + "; ".join(problems[:3]))


def export_people(path: Path) -> list:
    """The humans among the export's users (users.json), as sightings for the people directory."""
    source = _Source(path)
    try:
        return slack_user_people(_load_list(source, "users.json", ExportReport()))
    finally:
        source.close()
