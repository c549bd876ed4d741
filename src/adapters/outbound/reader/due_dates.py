"""Due dates in messages (contract section 6), resolved in the person's zone from the send time.

Calendar dates ("Dec 9", "12/9") and spans ("in 2 days") go to `dateparser`. The office words go
through a small table of our own, because dateparser's meaning differs from the contract's: it has no
"EOD", "EOW" or "end of month", reads "next week" as seven days on (the contract: its Monday) and a
bare weekday as the past one. dateparser is imported on the first calendar date (it takes a second
to import), and a text with no date-like word at all is not looked at further.
"""

from __future__ import annotations

import calendar
import functools
import re
from datetime import date, datetime, time, timedelta, tzinfo

_WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
# "sat" and "sun" alone are words of their own: the weekend days count only spelt out.
_WEEKDAY = r"(monday|mon|tuesday|tues|tue|wednesday|weds|wed|thursday|thurs|thur|thu|friday|fri|saturday|sunday)"
_MONTH = (r"(?:january|february|march|april|may|june|july|august|september|october|november|december"
          r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?")
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "ten": 10, "couple of": 2, "few": 3}

# (pattern, what it means given the local send date); the first phrase in the text that names a day
# wins, and the end-of-day words count only when nothing else names a day ("tomorrow EOD").
_CALENDAR = [
    re.compile(rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?!:)", re.I),
    re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?=\W|$)", re.I),
    re.compile(r"(?<![\d/])(1[0-2]|0?[1-9])/(3[01]|[12]\d|0?[1-9])(?![\d/])"),
]
_SPAN = re.compile(r"\bin\s+(\d+|an?|one|two|three|four|five|six|seven|ten|a couple of|a few)\s+(day|week)s?\b",
                   re.I)
_END_OF_DAY = re.compile(r"\b(today|tonight|tonite|eod|cob|end of (?:the )?day|this (?:morning|afternoon|evening)"
                         r"|close of business)\b", re.I)
# Soon, so today, but weaker than any deadline: "on it, looking now" keeps the ask's "by tomorrow".
_SOON = re.compile(r"\b(asap|(?:before|after) lunch|in a bit|shortly|right away)\b"
                   r"|(?<!for )(?<!by )(?<!till )(?<!until )\bnow\b(?! that)", re.I)


def _end_of_week(day: date) -> date:
    friday = day + timedelta(days=(4 - day.weekday()) % 7)
    return friday


def _next_week(day: date) -> date:
    return day + timedelta(days=7 - day.weekday())


def _end_of_month(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _weekday(name: str, day: date, *, following_week: bool) -> date:
    target = _WEEKDAYS[name[:3].lower()]
    if following_week:
        return _next_week(day) + timedelta(days=target)
    # The weekday it is sent on means a week on: for today people say "today" ("monday is fine", sent on a Monday).
    return day + timedelta(days=(target - day.weekday() - 1) % 7 + 1)


_WORDS: list[tuple[re.Pattern[str], object]] = [
    (re.compile(r"\b(tomorrow|tmrw|tmr|tmrow|tomorow|tommorow|tommorrow|2morrow)\b", re.I),
     lambda day, m: day + timedelta(days=1)),
    (re.compile(r"\bday after tomorrow\b", re.I), lambda day, m: day + timedelta(days=2)),
    (re.compile(r"\b(?:by |before |at )?(?:the )?(?:end of (?:the |this )?week|eow|eowk|week'?s end)\b", re.I),
     lambda day, m: _end_of_week(day)),
    (re.compile(r"\b(?:end of (?:the |this )?month|eom|month'?s end)\b", re.I), lambda day, m: _end_of_month(day)),
    (re.compile(rf"\bnext\s+{_WEEKDAY}\b", re.I), lambda day, m: _weekday(m.group(1), day, following_week=True)),
    (re.compile(r"\b(?:early |sometime |some time )?next week\b", re.I), lambda day, m: _next_week(day)),
    # A bare weekday, unless it names a past one ("last friday", "tuesday's outage").
    (re.compile(rf"(?<!last )(?<!since )\b(?:this\s+)?{_WEEKDAY}\b(?!\s*\d)(?!'s)(?!’s)", re.I),
     lambda day, m: _weekday(m.group(1), day, following_week=False)),
]


# Every phrase below holds one of these (a digit, or a word starting so): most messages have none.
_DATE_LIKE = re.compile(r"\d|\b(?:mon|tue|wed|thu|fri|sat|sun|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
                        r"|to[dmn]|tmr|eo|end|week|day|month|cob|close|asap|lunch|bit|short|right|now|this)", re.I)


# Time off: a day named beside these ("ok if I take monday off?", "pto for dec 20-31") is the leave's,
# not a deadline. "sign off" is no leave.
_LEAVE = re.compile(r"\b(?:pto|vacation|leave|ooo|day off|days off|(?<!sign )(?<!sign-)off)\b", re.I)
_LEAVE_REACH = 16  # characters between the leave word and the day, with no stop or comma between


def _names_leave(text: str, start: int, end: int) -> bool:
    before, after = text[max(0, start - _LEAVE_REACH): start], text[end: end + _LEAVE_REACH]
    before = re.split(r"[,.;!?]", before)[-1]
    after = re.split(r"[,.;!?]", after)[0]
    return bool(_LEAVE.search(before) or _LEAVE.search(after))


def due_date(text: str, sent_at: datetime, zone: tzinfo, *, soon_is_today: bool = True) -> date | None:
    """The date `text`'s deadline means, for a message sent at `sent_at`, in `zone`; None if it names none.
    With `soon_is_today` false, "now" and "in a bit" name no date (the caller has a better one)."""
    if not _DATE_LIKE.search(text):
        return None
    return named_date(text, sent_at, zone, soon_is_today=soon_is_today)


def named_date(text: str, sent_at: datetime, zone: tzinfo, *, soon_is_today: bool = True) -> date | None:
    """`due_date` without the first cheap look (tests check that the look never misses a date)."""
    local = sent_at.astimezone(zone)
    day = local.date()
    found: list[tuple[int, date]] = []  # (position in the text, date)
    leave = _LEAVE.search(text) is not None
    for pattern, meaning in _WORDS:
        for match in pattern.finditer(text):
            if not (leave and _names_leave(text, match.start(), match.end())):
                found.append((match.start(), meaning(day, match)))  # type: ignore[operator]
    for pattern in _CALENDAR:
        for match in pattern.finditer(text):
            parsed = _calendar_date(match.group(0), local)
            if parsed is not None and not (leave and _names_leave(text, match.start(), match.end())):
                found.append((match.start(), parsed))
    for match in _SPAN.finditer(text):
        found.append((match.start(), _span(match, local)))
    if found:
        return min(found)[1]
    if _END_OF_DAY.search(text) or (soon_is_today and _SOON.search(text)):
        return day
    return None


def _calendar_date(phrase: str, local: datetime) -> date | None:
    return _parse_calendar_date(phrase.casefold(), local.date())


@functools.lru_cache(maxsize=1024)  # dateparser takes about a millisecond a phrase, more on first use
def _parse_calendar_date(phrase: str, day: date) -> date | None:
    import dateparser

    base = datetime.combine(day, time(12))
    parsed = dateparser.parse(
        re.sub(r"(?<=\d)(st|nd|rd|th)\b", "", phrase).replace(" of ", " "),
        languages=["en"],
        settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "future", "DATE_ORDER": "MDY",
                  "REQUIRE_PARTS": ["day", "month"]},
    )
    return parsed.date() if parsed else None


def _span(match: re.Match[str], local: datetime) -> date:
    count = match.group(1).lower().removeprefix("a ").strip() if match.group(1).lower() not in ("a", "an") else "a"
    number = int(count) if count.isdigit() else _NUMBER_WORDS.get(count, 1)
    phrase = f"in {number} {match.group(2).lower()}s"
    import dateparser

    parsed = dateparser.parse(phrase, languages=["en"],
                              settings={"RELATIVE_BASE": datetime.combine(local.date(), time(12)),
                                        "PREFER_DATES_FROM": "future"})
    return parsed.date() if parsed else local.date()
