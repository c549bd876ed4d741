"""Days a person names ("2d", "tomorrow", "monday", "2026-12-07"), read in their own zone.

`dateparser` does the reading (weekdays, month names, "in 3 days", ISO dates); this module adds the
short forms people type in a command box ("2d", "3w") and the rules of a command: a bare number is
refused (day 5? five days?), and the day must be after today.
"""

from __future__ import annotations

import re
from datetime import date, datetime

import dateparser

from src.domain.errors import InvalidInput

_SHORT = re.compile(r"^(\d{1,3})\s*(d|w)$", re.IGNORECASE)
_UNITS = {"d": "days", "w": "weeks"}
EXAMPLES = "2d, tomorrow, monday or 2026-12-07"


def parse_when(text: str, now: datetime, *, what: str = "it") -> date:
    """The day `text` names, seen from `now` (the person's time: its wall clock is what counts)."""
    short = _SHORT.match(text)
    spelled = f"in {short.group(1)} {_UNITS[short.group(2).lower()]}" if short else text
    details = [{"argument": "when", "value": text}]
    if not text:
        raise InvalidInput(f"{what} needs a day: {EXAMPLES}", details)
    if text.strip().isdigit():
        raise InvalidInput(f"{what} takes a day such as {EXAMPLES}, not a bare number {text!r}", details)
    moment = dateparser.parse(
        spelled,
        languages=["en"],
        settings={"RELATIVE_BASE": now.replace(tzinfo=None), "PREFER_DATES_FROM": "future"},
    )
    if moment is None:
        raise InvalidInput(f"{what} takes a day such as {EXAMPLES}, not {text[:40]!r}", details)
    day = moment.date()
    if day <= now.date():
        raise InvalidInput(f"{what} needs a day after today, not {day.isoformat()}", details)
    return day
