"""Reading one iCalendar document as calendar apps do: what is broken is skipped and said, the rest kept.

`read_calendar(data, name, start, end, zone)` takes the bytes of one calendar (an `.ics` file, and
later a CalDAV or http(s) calendar) and returns its occurrences between `start` and `end` with what
was skipped. Parsed with `icalendar` (which keeps an unreadable property as "broken" and lists it in
the component's `errors`); Google's `X-WR-TIMEZONE` made standard with `x-wr-timezone`; recurrences
expanded with `recurring-ical-events`, one event (a UID with its moved occurrences) at a time, so one
bad event costs only itself. Outlook's Windows zone names are resolved by `icalendar`.

Bounds, because an invitation from anyone can put an event in a calendar: a rule is first walked
with `dateutil` (lazily, what `recurring-ical-events` uses inside) and an event repeating more than
MAX_OCCURRENCES_PER_EVENT times in the window is cut there; one repeating more than MAX_RULE_STEPS
times before reaching it is skipped; a calendar gives at most MAX_OCCURRENCES_PER_CALENDAR
occurrences and walks at most MAX_STEPS_PER_CALENDAR rule steps.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

import icalendar
import recurring_ical_events
import x_wr_timezone
from dateutil.rrule import rrulestr

from src.adapters.outbound.people_sources import calendar_event_people
from src.domain.board import MAX_TEXT, CalendarDraft

MAX_OCCURRENCES_PER_EVENT = 1_000  # a daily meeting has 150 in the indexed window
MAX_OCCURRENCES_PER_CALENDAR = 10_000  # a busy person's 150 days hold about 3,000; each costs 0.25 ms
MAX_RULE_STEPS = 50_000  # a daily event since 1890 or an hourly one since 2021
MAX_STEPS_PER_CALENDAR = 500_000  # about two seconds of walking rules
MAX_KEY_CHARS = 200  # the board's limit on a key
REASONS_SHOWN = 3  # per calendar, in the one line that names it


class UnreadableCalendar(ValueError):
    """Nothing at all could be read from the calendar; the message names it and says why."""


@dataclass
class CalendarReading:
    name: str
    occurrences: list[Occurrence] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # one reason per skipped property, event or cut

    def warning(self) -> str | None:
        """One line naming the calendar and what was skipped, or None when nothing was."""
        if not self.skipped:
            return None
        reasons = "; ".join(self.skipped[:REASONS_SHOWN])
        more = f"; and {len(self.skipped) - REASONS_SHOWN} more" if len(self.skipped) > REASONS_SHOWN else ""
        return f"{self.name}: {len(self.skipped)} skipped ({reasons}{more})"


def _email(value: Any) -> str:
    return str(value).removeprefix("mailto:").removeprefix("MAILTO:").strip()


def _short(text: Any, limit: int = 120) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Occurrence:
    """One occurrence of an event, in the person's time zone."""

    def __init__(self, event: icalendar.Event, zone: tzinfo) -> None:
        self.title = str(event.get("SUMMARY") or "(no title)")
        start: date = _when(event, "DTSTART")
        end: date | None = event.get("DTEND").dt if event.get("DTEND") else None
        self.all_day = not isinstance(start, datetime)
        if isinstance(start, datetime):
            start = start.astimezone(zone) if start.tzinfo else start.replace(tzinfo=zone)
            if isinstance(end, datetime):
                end = end.astimezone(zone) if end.tzinfo else end.replace(tzinfo=zone)
            else:
                end = None
            self.day = start.date()
        else:
            self.day = start
        self.start, self.end = start, end
        self.location = str(event.get("LOCATION") or "") or None
        self.description = str(event.get("DESCRIPTION") or "")
        attendees = event.get("ATTENDEE") or []
        self.attendees = [_email(a) for a in (attendees if isinstance(attendees, list) else [attendees])]
        self.organizer = _email(event.get("ORGANIZER")) if event.get("ORGANIZER") else None
        key = f"{event.get('UID') or self.title}@{start.isoformat()}"
        # The board refuses longer keys; a hash keeps the occurrence's identity stable all the same.
        self.key = key if len(key) <= MAX_KEY_CHARS else hashlib.sha256(key.encode()).hexdigest()
        self.people = calendar_event_people(event)  # for the people directory, with CN names

    def draft(self) -> CalendarDraft:
        return CalendarDraft(
            title=self.title[:MAX_TEXT], date=self.day.isoformat(),
            time=None if self.all_day else self.start.strftime("%H:%M"),
            start=self.start.isoformat(), end=self.end.isoformat() if self.end else None,
            attendees=self.attendees, location=self.location[:MAX_TEXT] if self.location else None, key=self.key,
        )

    def record(self) -> dict[str, Any]:
        when = {"date": self.day.isoformat()} if self.all_day else {"dateTime": self.start.isoformat()}
        return {
            "id": self.key, "summary": self.title, "location": self.location, "description": self.description,
            "organizer": {"email": self.organizer} if self.organizer else None,
            "attendees": [{"email": email} for email in self.attendees], "start": when,
        }


def _when(event: icalendar.Event, name: str) -> date:
    """The date or date-time of DTSTART or DTEND (a `datetime` is a `date`). icalendar types a
    property as any value a property can have; RFC 5545 allows only these two here."""
    value = getattr(event[name], "dt", None)
    if not isinstance(value, date):
        raise ValueError(f"{name} is not a date or a date-time")
    return value


# A broken one of these leaves nothing to place the event at (or to match a moved occurrence to).
_ESSENTIAL = frozenset({"DTSTART", "RECURRENCE-ID"})


def _title(event: icalendar.Event) -> str:
    summary = event.get("SUMMARY")
    return f'"{_short(summary, 60)}"' if summary else f"event {_short(event.get('UID') or '?', 60)}"


def _drop_broken_properties(event: icalendar.Event, skipped: list[str]) -> bool:
    """Removes the properties `icalendar` could not read; False when the event cannot be kept at all."""
    errors = getattr(event, "errors", None) or []
    for name, message in errors:
        if name in _ESSENTIAL:
            skipped.append(f"{_title(event)}: {name} {_unreadable(event, name, message)}, event skipped")
            return False
    for name, message in errors:
        unreadable = _unreadable(event, name, message)
        if name in event:
            del event[name]
        what = "repeats ignored" if name == "RRULE" else "ignored"
        skipped.append(f"{_title(event)}: {name} {unreadable}, {what}")
    return True


def _unreadable(event: icalendar.Event, name: str, message: str) -> str:
    """The value as written (shorter than icalendar's message, and what the person can find in the file)."""
    value = event.get(name)
    raw = str(value) if value is not None else ""
    return f'"{_short(raw, 40)}" unreadable' if raw else f"unreadable ({_short(message, 60)})"


def _naive(value: date | datetime) -> datetime:
    """A wall-clock datetime: enough to count a rule's steps against the window (hours off at most)."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return datetime.combine(value, time())


class _Budget:
    def __init__(self) -> None:
        self.steps_left = MAX_STEPS_PER_CALENDAR
        self.occurrences_left = MAX_OCCURRENCES_PER_CALENDAR


def _expansion_end(event: icalendar.Event, start: datetime, end: datetime, budget: _Budget,
                   skipped: list[str]) -> datetime | None:
    """Where to stop expanding `event` (a wall-clock time, `end` when it needs no cut), or None to
    skip it: its rules are walked step by step, never expanded whole, so a rule repeating every
    second costs MAX_RULE_STEPS steps at most."""
    rules = event.get("RRULE")
    rules = rules if isinstance(rules, list) else [rules] if rules is not None else []
    if not rules:
        return end
    first = _naive(_when(event, "DTSTART"))
    stop = end
    for rule in rules:
        count = (rule.get("COUNT") or [None])[0]
        until = (rule.get("UNTIL") or [None])[0]
        until = _naive(until) if until is not None else None
        unbounded = icalendar.vRecur({k: v for k, v in rule.items() if k not in ("COUNT", "UNTIL")})
        try:
            steps = iter(rrulestr(unbounded.to_ical().decode(), dtstart=first))
        except (ValueError, TypeError) as error:
            del event["RRULE"]
            skipped.append(f"{_title(event)}: RRULE unreadable ({_short(error)}), repeats ignored")
            return end
        limit = min(MAX_RULE_STEPS, budget.steps_left)
        in_window = walked = 0
        for walked, moment in enumerate(steps, 1):
            if (count is not None and walked > count) or (until is not None and moment > until):
                break
            if moment >= stop:
                break
            if moment >= start:
                in_window += 1
                if in_window > MAX_OCCURRENCES_PER_EVENT:
                    skipped.append(f"{_title(event)}: repeats more than {MAX_OCCURRENCES_PER_EVENT:,} times "
                                   f"in the window, cut after {MAX_OCCURRENCES_PER_EVENT:,}")
                    stop = moment
                    break
            if walked >= limit:
                if in_window == 0:
                    skipped.append(f"{_title(event)}: repeats more than {limit:,} times before the window "
                                   f"({_short(rule.to_ical().decode(), 60)}), event skipped")
                    budget.steps_left -= walked
                    return None
                skipped.append(f"{_title(event)}: repeats too often ({_short(rule.to_ical().decode(), 60)}), "
                               f"cut after {in_window:,} occurrences")
                stop = moment
                break
        budget.steps_left -= walked
    return stop


def _expand(events: list[icalendar.Event], timezones: list[icalendar.Component], start: datetime,
            end: datetime, budget: _Budget, skipped: list[str]) -> list[icalendar.Event] | None:
    """The occurrences of one event (its series and moved occurrences) in the window; None when the
    event is skipped (its reason is in `skipped`)."""
    calendar = icalendar.Calendar()
    for component in (*timezones, *events):
        calendar.add_component(component)
    series = [e for e in events if "RECURRENCE-ID" not in e] or events
    stop = end
    for event in series:
        event_stop = _expansion_end(event, start, end, budget, skipped)
        if event_stop is None:
            return None
        stop = min(stop, event_stop)
    found = recurring_ical_events.of(calendar).between(start, stop)
    return found[:MAX_OCCURRENCES_PER_EVENT]


def _outside(group: list[icalendar.Event], start: datetime, end: datetime) -> bool:
    """A single event that does not repeat and lies well outside the window: nothing to expand (most of
    a calendar exported whole, and expanding costs about a millisecond an event)."""
    if len(group) != 1 or any(name in group[0] for name in ("RRULE", "RDATE", "DURATION")):
        return False
    event = group[0]
    first = _naive(_when(event, "DTSTART"))
    last = _naive(_when(event, "DTEND")) if "DTEND" in event else first
    margin = timedelta(days=2)  # the window is in the person's zone, the event's times in its own
    return first > end + margin or last < start - margin


def read_calendar(data: bytes, name: str, start: date, end: date, zone: tzinfo) -> CalendarReading:
    """The occurrences of the calendar in `data` from `start` to `end` (days), in `zone`, with what was
    skipped. Raises UnreadableCalendar when it yields nothing at all though it holds events (or is
    not iCalendar)."""
    reading = CalendarReading(name)
    try:
        calendar = icalendar.Calendar.from_ical(data)
        calendar = x_wr_timezone.to_standard(calendar)
    except (ValueError, KeyError, IndexError) as error:
        raise UnreadableCalendar(f"{name} is not a calendar that can be read: {_short(error)}") from error
    timezones = list(calendar.walk("VTIMEZONE"))
    by_uid: dict[str, list[icalendar.Event]] = defaultdict(list)
    events = list(calendar.walk("VEVENT"))
    for position, event in enumerate(events):
        if _drop_broken_properties(event, reading.skipped):
            by_uid[str(event.get("UID") or f"#{position}")].append(event)
    window_start, window_end = _naive(start), _naive(end)
    budget = _Budget()
    events_read = 0
    for position, group in enumerate(by_uid.values()):
        if budget.occurrences_left <= 0 or budget.steps_left <= 0:
            reading.skipped.insert(0, f"{len(by_uid) - position} events not read: the calendar reached its limit of "
                                   f"{MAX_OCCURRENCES_PER_CALENDAR:,} occurrences or {MAX_STEPS_PER_CALENDAR:,} "
                                   "rule steps")
            break
        if _outside(group, window_start, window_end):
            events_read += 1
            continue
        try:
            found = _expand(group, timezones, window_start, window_end, budget, reading.skipped)
            occurrences = [Occurrence(event, zone) for event in found or ()]
        except Exception as error:  # noqa: BLE001 - whatever one event breaks, the others are read
            reading.skipped.append(f"{_title(group[0])}: {_short(error) or type(error).__name__}, event skipped")
            continue
        if found is None:
            continue
        events_read += 1
        occurrences = occurrences[: budget.occurrences_left]
        budget.occurrences_left -= len(occurrences)
        reading.occurrences += occurrences
    if events and not events_read:
        raise UnreadableCalendar(f"{name}: no event could be read ({'; '.join(reading.skipped[:REASONS_SHOWN])})")
    return reading
