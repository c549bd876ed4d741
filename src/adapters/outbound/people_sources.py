"""What the built-in sources say of people, as `Sighting`s for the PeopleDirectory.

- Slack's `users.json` (and `users.list`): id, username, real and display names, profile email.
  Bots, apps and Slackbot are not people; deactivated users are (their messages are still theirs).
- A calendar event: its attendees and organiser, by email, with the CN name when there is one.
  Rooms and resources (CUTYPE=ROOM/RESOURCE) are not people.
- The roster (`employees` records in the JSONL archives): name, email, and a Slack id if it has one.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from src.domain.people import Sighting

SLACKBOT = "USLACKBOT"
NOT_PEOPLE = {"ROOM", "RESOURCE"}  # calendar user types that name no human


def _sighting(source: str, **values: Any) -> Sighting | None:
    try:
        return Sighting.of(source, **values)
    except ValueError:  # nothing says who it is: no email, no Slack id
        return None


def slack_user_people(users: Iterable[Any]) -> list[Sighting]:
    """The humans among Slack users, as `users.json` or `users.list` gives them."""
    found = []
    for user in users:
        if not isinstance(user, Mapping) or user.get("is_bot") or user.get("is_app_user") or user.get("id") == SLACKBOT:
            continue
        profile = given if isinstance(given := user.get("profile"), Mapping) else {}
        sighting = _sighting(
            "slack", slack_ids=[user.get("id")], emails=[profile.get("email")],
            name=user.get("real_name") or profile.get("real_name") or None,
            handles=[profile.get("display_name"), user.get("name")],  # the name people see first
            role=profile.get("title") or None,
        )
        if sighting is not None:
            found.append(sighting)
    return found


def _calendar_address(value: Any) -> Sighting | None:
    parameters = getattr(value, "params", {}) or {}
    if str(parameters.get("CUTYPE", "")).upper() in NOT_PEOPLE:
        return None
    return _sighting("calendar", emails=[str(value)], name=parameters.get("CN") or None)


def calendar_event_people(event: Mapping[str, Any]) -> list[Sighting]:
    """The organiser and attendees of an icalendar event (a `vCalAddress` keeps CN and CUTYPE)."""
    attendees = event.get("ATTENDEE") or []
    addresses = [event.get("ORGANIZER"), *(attendees if isinstance(attendees, list) else [attendees])]
    return [s for address in addresses if address is not None if (s := _calendar_address(address)) is not None]


def roster_people(records: Iterable[Any]) -> list[Sighting]:
    """Roster records: `real_name` or `name`, `email`, and `slack_id` (or `slack_user_id`) if present.
    The roster's own `id` says which record a later one replaces; it is not taken for a Slack id
    (nothing says it is one)."""
    found = []
    for record in records:
        if not isinstance(record, Mapping):
            continue
        sighting = _sighting("roster", emails=[record.get("email")],
                             slack_ids=[record.get("slack_id"), record.get("slack_user_id")],
                             name=record.get("real_name") or record.get("name") or None, ref=record.get("id"),
                             role=record.get("title") or record.get("role") or None)
        if sighting is not None:
            found.append(sighting)
    return found


def archive_roster_people(archive_dir: Path) -> list[Sighting]:
    """Everyone in the roster files of a JSONL archive (`employees/YYYY-MM-DD/data.jsonl`), oldest
    file first, so a later record of someone replaces an earlier one. Lines that are not JSON are
    skipped here: the archive collector reports them."""
    records = []
    folder = Path(archive_dir) / "employees"
    for data in sorted(folder.glob("*/data.jsonl")) if folder.is_dir() else []:
        for line in data.read_bytes().splitlines():
            try:
                records.append(json.loads(line))
            except ValueError:
                continue
    return roster_people(records)
