"""How urgent an ask waiting on the person is, and the reason said beside it (contract section 6:
derived priorities carry `reason`, "asked by Dana Lee in #finance 2 days ago, due Wed").

Urgency, most weight first: the due date (late, then today, then soon, then none), explicit urgency
words ("urgent", "asap", "blocking"), who asks (a weight the people directory or roster gives, and a
DM over a group DM over a channel), then how long it has waited. Pure functions: the derivation
calls them with the clock's day, so the same asks always rank the same way on the same day.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import TypeVar

_URGENT = re.compile(
    r"\b(urgent(ly)?|asap|a\.s\.a\.p|blocking|blocker|blocked on you|critical|emergency|time[- ]sensitive|"
    r"right away|immediately|top priority|high priority|p0)\b|!!|🔥|🚨",
    re.IGNORECASE,
)

# Points per signal; the due date dominates, the rest orders asks due alike.
LATE = 100  # plus LATE_PER_DAY a day late, for at most a week
LATE_PER_DAY = 2
DUE_TODAY = 80
DUE_TOMORROW = 60
DUE_THIS_WEEK = 40  # minus 4 a day further
DUE_LATER = 10
URGENT_WORDS = 30
WHO_ASKS = 20  # times the asker's weight (0 to 1): a manager, a name the roster ranks high
IN_DM = 10
IN_GROUP_DM = 5
WAITING_PER_DAY = 1.5  # for at most WAITING_DAYS days
WAITING_DAYS = 10


def says_urgent(text: str) -> bool:
    """The ask says it is urgent in so many words."""
    return bool(_URGENT.search(text or ""))


@dataclass(frozen=True, slots=True)
class Ask:
    """What ranking needs of an ask waiting on the person."""

    key: str
    asked_by: str | None
    where: str  # "#finance", "a DM", "a group DM"
    conversation_kind: str  # "dm", "group_dm", "channel", "private_channel"
    asked_at: datetime | None
    due: date | None
    text: str = ""
    weight: float = 0.0  # who asks: 0 (unknown) to 1 (their manager, say)
    open: bool = True


def _due_points(due: date | None, today: date) -> float:
    if due is None:
        return 0
    days = (due - today).days
    if days < 0:
        return LATE + LATE_PER_DAY * min(-days, 7)
    if days == 0:
        return DUE_TODAY
    if days == 1:
        return DUE_TOMORROW
    if days < 7:
        return DUE_THIS_WEEK - 4 * (days - 2)
    return DUE_LATER


def _day_asked(asked_at: datetime, zone: tzinfo | None) -> date:
    """The person's day the ask was made (a message at 23:30 UTC is the next day in Asia)."""
    return asked_at.astimezone(zone).date() if zone else asked_at.date()


def urgency(ask: Ask, today: date, zone: tzinfo | None = None) -> float:
    """Points: the higher, the sooner the person should look at it."""
    points = _due_points(ask.due, today)
    if says_urgent(ask.text):
        points += URGENT_WORDS
    points += WHO_ASKS * max(0.0, min(ask.weight, 1.0))
    points += IN_DM if ask.conversation_kind == "dm" else IN_GROUP_DM if ask.conversation_kind == "group_dm" else 0
    if ask.asked_at is not None:
        points += WAITING_PER_DAY * max(0, min((today - _day_asked(ask.asked_at, zone)).days, WAITING_DAYS))
    return points


A = TypeVar("A", bound=Ask)


def rank(asks: Sequence[A], today: date, zone: tzinfo | None = None) -> list[A]:
    """Open asks first, most urgent first; ties by the due date, then the oldest ask, then the key
    (so the order is the same on every run). Answered or delivered ones follow, in the same order."""
    def order(ask: A) -> tuple:
        at = ask.asked_at.timestamp() if ask.asked_at is not None else float("inf")
        return (not ask.open, -urgency(ask, today, zone), ask.due or date.max, at, ask.key)

    return sorted(asks, key=order)


def _ago(asked: date, today: date) -> str:
    days = (today - asked).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 14:
        return f"{days} days ago"
    return f"{days // 7} weeks ago"


def _day(day: date, today: date) -> str:
    """"Wed" within a week either side of today ("was due Mon" says which side), else "Dec 9"."""
    return day.strftime("%a") if -7 < (day - today).days < 7 else f"{day:%b} {day.day}"


def _due(due: date, today: date) -> str:
    days = (due - today).days
    if days < 0:
        return f"was due {_day(due, today)}"
    if days == 0:
        return "due today"
    if days == 1:
        return "due tomorrow"
    return f"due {_day(due, today)}"


def reason(ask: Ask, today: date, zone: tzinfo | None = None) -> str:
    """Why it is on the list, as a person would say it: "asked by Dana Lee in #finance 2 days ago,
    due Wed"; ", marked urgent" when it says so."""
    text = f"asked by {ask.asked_by or 'someone'} in {ask.where}"
    if ask.asked_at is not None:
        text += f" {_ago(_day_asked(ask.asked_at, zone), today)}"
    if ask.due is not None:
        text += f", {_due(ask.due, today)}"
    if says_urgent(ask.text):
        text += ", marked urgent"
    return text


_TOP = re.compile(r"\b(ceo|cfo|coo|cto|cpo|chief|founder|co-?founder|president|owner|chair)\b", re.IGNORECASE)
_SENIOR = re.compile(r"\b(vp|svp|evp|vice president|head of|director|partner|gm|general manager)\b", re.IGNORECASE)
_LEAD = re.compile(r"\b(manager|lead|principal)\b", re.IGNORECASE)


def weight_of_title(title: str | None) -> float:
    """Who asks, from the job title a profile or the roster gives: the top of the company 1, its
    senior leaders 0.7, managers and leads 0.4, anyone else (or no title) 0."""
    if not title:
        return 0.0
    if _TOP.search(title):
        return 1.0
    if _SENIOR.search(title):
        return 0.7
    if _LEAD.search(title):
        return 0.4
    return 0.0
