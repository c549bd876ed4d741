"""What a collected record contributes to the index, per source: its text, context, date and identity.

Sources send records in their own shapes (Slack messages, calendar events, Drive files, the
employee roster); this module turns one into the row the index stores, or says why it cannot.
"""

from __future__ import annotations

import re
import time
from datetime import date, datetime, timezone
from typing import Any, NamedTuple

MAX_CONTENT_CHARS = 100_000  # a 1 MB message is indexed by its first 100,000 characters


class UnusableRecord(ValueError):
    """The record cannot be indexed; the message says why (it is reported, never fatal to a batch)."""


class IndexRow(NamedTuple):  # not a frozen dataclass: built 340,000 times a load, 3 times cheaper
    native_id: str | None
    content: str
    context: str  # who and where: person, channel, attendees; searchable beside the content
    date: str | None
    person: str | None
    channel: str | None


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def texts_in_blocks(blocks: Any) -> list[str]:
    """Every "text" string inside Slack blocks (rich_text, section, context... at any depth)."""
    found: list[str] = []
    stack = [blocks]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            text = node.get("text")
            if isinstance(text, str) and (text := text.strip()):
                found.append(text)
            for value in node.values():  # a loop, not a generator: this runs for every message
                if isinstance(value, (dict, list)):
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(reversed(node))
    return found


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_EPOCH = re.compile(r"\d+(\.\d+)?\Z")  # Slack's ts: "1764064800.000100"


def normalise_date(value: Any) -> str | None:
    """An ISO-8601 UTC date-time (or a day) from the formats sources use; None for anything else."""
    if value is None or isinstance(value, bool):
        return None
    try:
        if isinstance(value, (int, float)) or (isinstance(value, str) and _EPOCH.match(value)):
            seconds = float(value)
            if seconds > 1e11:  # milliseconds
                seconds /= 1000
            return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))  # a third of datetime's cost
        if isinstance(value, str):
            if _ISO_DAY.match(value):
                return date.fromisoformat(value).isoformat()
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=timezone.utc)
            return moment.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
    except (ValueError, OverflowError, OSError):
        return None
    return None


_DATE_FIELDS_BEFORE_START = ("date", "ts")
_DATE_FIELDS_AFTER_START = ("modifiedTime", "createdTime", "created_at", "timestamp")


def _first_date(record: dict[str, Any]) -> str | None:
    """The first usable date among the fields sources put it in, in this order."""
    for key in _DATE_FIELDS_BEFORE_START:
        value = record.get(key)
        if value is not None and (day := normalise_date(value)):
            return day
    start = record.get("start")
    if isinstance(start, dict):
        for key in ("dateTime", "date"):
            value = start.get(key)
            if value is not None and (day := normalise_date(value)):
                return day
    for key in _DATE_FIELDS_AFTER_START:
        value = record.get(key)
        if value is not None and (day := normalise_date(value)):
            return day
    return None


def _email(value: Any) -> str:
    if isinstance(value, dict):
        return _text(value.get("email")) or _text(value.get("displayName"))
    return _text(value)


# Which record this is and when, (native_id, date): what a held record is sorted and deduplicated
# by before its row is built (BatchWriter), the `native_id` and `date` its IndexRow has. A plain
# tuple: a NamedTuple's constructor runs in Python, a fifth of the identity's cost.
RecordIdentity = tuple[str | None, str | None]


def _slack_channel(record: dict[str, Any]) -> str:
    return _text(record.get("channel_name")) or _text(record.get("channel"))


def _slack_identity(record: dict[str, Any]) -> RecordIdentity:
    # One row per message however it arrived (export, backfill, live event): keyed by conversation
    # and ts, as the conversation store is; older shapes without the conversation's id as before.
    conversation_id, ts = _text(record.get("conversation_id")) or _text(record.get("channel_id")), record.get("ts")
    if conversation_id and isinstance(ts, str) and ts:
        native = f"{conversation_id}/{ts}"
    else:
        native = _text(record.get("client_msg_id")) or (
            f"{_slack_channel(record)}:{ts}" if ts is not None else _text(record.get("id")))
    return native or None, _first_date(record)


def _slack(record: dict[str, Any], identity: RecordIdentity) -> IndexRow:
    profile = record.get("user_profile")
    if not isinstance(profile, dict):
        profile = {}
    person = (_text(record.get("user_name")) or _text(profile.get("real_name")) or _text(record.get("username"))
              or _text(record.get("user")))
    channel = _slack_channel(record)
    text = _text(record.get("text"))
    blocks = record.get("blocks")
    if isinstance(blocks, (dict, list)):
        # Blocks mostly repeat `text` (in pieces); only what `text` lacks is added.
        extra = [part for part in texts_in_blocks(blocks) if part not in text]
        content = "\n".join(dict.fromkeys([text, *extra] if text else extra)) if extra else text
    else:
        content = text
    context = f"{person} {channel}" if person and channel else person or channel
    native_id, day = identity
    return IndexRow(native_id, content, context, day, person or None, channel or None)


def _calendar_identity(record: dict[str, Any]) -> RecordIdentity:
    return _text(record.get("id")) or _text(record.get("iCalUID")) or None, _first_date(record)


def _calendar(record: dict[str, Any], identity: RecordIdentity) -> IndexRow:
    attendees = [_email(a) for a in record.get("attendees") or [] if _email(a)]
    organizer = _email(record.get("organizer"))
    location = _text(record.get("location"))
    content = "\n".join(p for p in (_text(record.get("summary")), location, _text(record.get("description"))) if p)
    context = " ".join([organizer, *attendees]).strip()
    native_id, day = identity
    return IndexRow(native_id, content, context, day, organizer or None, None)


def _by_id(record: dict[str, Any]) -> RecordIdentity:
    return _text(record.get("id")) or None, _first_date(record)


def _drive(record: dict[str, Any], identity: RecordIdentity) -> IndexRow:
    name = _text(record.get("name")) or _text(record.get("title"))
    owners = [_email(o) for o in record.get("owners") or [] if _email(o)]
    content = "\n".join(p for p in (name, _text(record.get("mimeType"))) if p)
    native_id, day = identity
    return IndexRow(native_id, content, " ".join(owners), day, owners[0] if owners else None, None)


def _employee_identity(record: dict[str, Any]) -> RecordIdentity:
    return _text(record.get("id")) or _text(record.get("email")) or None, _first_date(record)


def _employee(record: dict[str, Any], identity: RecordIdentity) -> IndexRow:
    name = _text(record.get("real_name")) or _text(record.get("name"))
    email = _text(record.get("email"))
    title = _text(record.get("title"))
    content = "\n".join(p for p in (name, title, email) if p)
    native_id, day = identity
    return IndexRow(native_id, content, email, day, name or None, None)


def _generic(record: dict[str, Any], identity: RecordIdentity) -> IndexRow:
    content = _text(record.get("content")) or _text(record.get("text"))
    native_id, day = identity
    return IndexRow(native_id, content, "", day, None, None)


# Per source: its records' identity, then the rest of their row.
EXTRACTORS = {"slack": (_slack_identity, _slack), "calendar": (_calendar_identity, _calendar),
              "drive": (_by_id, _drive), "employees": (_employee_identity, _employee)}
_GENERIC = (_by_id, _generic)


def record_identity(record: Any, source: str) -> RecordIdentity:
    """The native id and date `index_row` gives `record`, without the rest of its row (for a Slack
    message about two thirds of its cost, mostly the date; the rest and the JSON come later);
    UnusableRecord when the record is not one (index_row may still find it unusable)."""
    _must_be_a_record(record)
    return EXTRACTORS.get(source, _GENERIC)[0](record)


def _must_be_a_record(record: Any) -> None:
    if not isinstance(record, dict):
        raise UnusableRecord(f"a record must be a JSON object, not {type(record).__name__}")


def index_row(record: Any, source: str, identity: RecordIdentity | None = None) -> IndexRow:
    """The row for `record` from `source`, or UnusableRecord saying why there is none. `identity`,
    when given, is the record's `record_identity` (already found: not computed again)."""
    identify, rest_of_row = EXTRACTORS.get(source, _GENERIC)
    if identity is None:  # as record_identity, one call less: this runs for every record
        _must_be_a_record(record)
        identity = identify(record)
    row = rest_of_row(record, identity)
    if not row.content and not row.context:
        raise UnusableRecord("no searchable text")
    if len(row.content) > MAX_CONTENT_CHARS:
        row = IndexRow(row.native_id, row.content[:MAX_CONTENT_CHARS], row.context, row.date, row.person, row.channel)
    return row
