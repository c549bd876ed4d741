"""A demo board around today's date, for when no source can give one: a calendar when no calendar
source is configured, and priorities and commitments when no Slack source is (with one, the demo
board's are read from the demo dataset's conversations, contract section 6)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from src.application.use_cases.replace_board import ReplaceCalendar, ReplaceCommitments, ReplacePriorities
from src.demo.dataset import demo_conversation_ids
from src.domain.board import CalendarDraft, CommitmentDraft, PriorityDraft
from src.domain.state import DashboardState

DEMO_KEY_PREFIX = "demo-"  # every demo item's key starts so; no source's key does


def demo_calendar(today: date) -> list[CalendarDraft]:
    tomorrow = today + timedelta(days=1)
    meetings = [
        (today, "09:00", "09:15", "Team standup", ["dana@example.com", "lee@example.com"], "Zoom"),
        (today, "11:00", "12:00", "Q1 budget review", ["cfo@example.com", "dana@example.com"], "Room 4"),
        (today, "14:30", "15:00", "1:1 with Lee", ["lee@example.com"], None),
        (today, "16:00", "17:00", "Hiring sync: platform team", ["recruiting@example.com"], "Room 2"),
        (tomorrow, "10:00", "11:00", "Board prep", ["ceo@example.com", "cfo@example.com"], "Boardroom"),
    ]
    return [
        CalendarDraft(
            title=title, date=day.isoformat(), time=start, start=f"{day.isoformat()}T{start}:00",
            end=f"{day.isoformat()}T{end}:00", attendees=attendees, location=location,
            key=f"demo-{day.isoformat()}-{start}",
        )
        for day, start, end, title, attendees, location in meetings
    ]


def demo_priorities(today: date) -> list[PriorityDraft]:
    return [
        PriorityDraft("Approve Q1 hiring plan", due_date=today.isoformat(), source="slack", key="demo-p-hiring"),
        PriorityDraft("Review vendor contract renewal", status="partial",
                      due_date=(today + timedelta(days=2)).isoformat(), source="drive", key="demo-p-vendor"),
        PriorityDraft("Send board deck draft", due_date=(today + timedelta(days=1)).isoformat(),
                      source="calendar", key="demo-p-deck"),
        PriorityDraft("Sign off on security audit scope", source="slack", key="demo-p-audit"),
    ]


def demo_commitments(today: date) -> tuple[list[CommitmentDraft], list[CommitmentDraft]]:
    owe = [
        CommitmentDraft("Feedback on Lee's roadmap doc", "lee@example.com", today.isoformat(), key="demo-m-roadmap"),
        CommitmentDraft("Intro Dana to the new CFO", "dana@example.com",
                        (today + timedelta(days=3)).isoformat(), key="demo-m-intro"),
    ]
    owed = [
        CommitmentDraft("Budget numbers for Q1", "cfo@example.com", today.isoformat(), key="demo-m-budget"),
        CommitmentDraft("Candidate shortlist", "recruiting@example.com",
                        (today + timedelta(days=1)).isoformat(), key="demo-m-shortlist"),
    ]
    return owe, owed


async def seed_demo_board(
    state: DashboardState,
    calendar: ReplaceCalendar | None,
    priorities: ReplacePriorities | None,
    commitments: ReplaceCommitments | None,
) -> None:
    """Fills an empty board; a board that already holds anything is left as it is. A part given as
    None is left to its source: the calendar to a calendar collector (the demo dataset's .ics),
    priorities and commitments to what is read from Slack."""
    if state.calendar or state.priorities or state.commitments:
        return
    today = date.today()
    if calendar is not None:
        await calendar(demo_calendar(today))
    if priorities is not None:
        await priorities(demo_priorities(today))
    if commitments is not None:
        await commitments(*demo_commitments(today))


def without_demo_items(state: DashboardState) -> DashboardState | None:
    """The board without what an earlier demo run put there, seeded or read from the demo's
    conversations (None when there is none: no new version)."""
    demo_conversations = demo_conversation_ids()

    def from_the_demo(item: Any) -> bool:
        origin = getattr(item, "origin", None)
        read_from_demo = origin is not None and origin.ref.split("/", 1)[0] in demo_conversations
        return item.key.startswith(DEMO_KEY_PREFIX) or read_from_demo

    parts = {name: getattr(state, name) for name in ("calendar", "priorities", "owe", "owed")}
    kept: dict[str, Any] = {name: tuple(item for item in items if not from_the_demo(item))
                            for name, items in parts.items()}
    if all(len(kept[name]) == len(parts[name]) for name in parts):
        return None
    return replace(state, **kept)
