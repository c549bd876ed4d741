"""Briefs: a short text (and the same as safe HTML) about a meeting, an item, the day, or a topic."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape

from src.domain.state import (
    Brief,
    BriefSource,
    CalendarItem,
    Commitment,
    CommitmentStatus,
    DashboardState,
    Priority,
    PriorityStatus,
)
from src.domain.search import SearchHit

MAX_SOURCES = 8


def _sources(hits: Sequence[SearchHit]) -> tuple[BriefSource, ...]:
    recent_first = sorted(hits, key=lambda hit: hit.date or "", reverse=True)
    return tuple(BriefSource(hit.source, hit.date, hit.plain_snippet) for hit in recent_first[:MAX_SOURCES])


def _render(title: str, sections: list[tuple[str, list[str]]]) -> tuple[str, str]:
    """The brief as plain text and as HTML in which every piece of data is escaped."""
    text_lines = [title]
    html_parts = [f"<h3>{escape(title)}</h3>"]
    for heading, lines in sections:
        text_lines.append("")
        text_lines.append(heading)
        text_lines.extend(f"- {line}" for line in lines or ["nothing"])
        items = "".join(f"<li>{escape(line)}</li>" for line in lines or ["nothing"])
        html_parts.append(f"<h4>{escape(heading)}</h4><ul>{items}</ul>")
    return "\n".join(text_lines), "".join(html_parts)


def _source_lines(sources: Sequence[BriefSource]) -> list[str]:
    return [f"[{s.source} {s.date or 'undated'}] {s.snippet}" for s in sources]


def _meeting_line(item: CalendarItem) -> str:
    when = f"{item.date} {item.time}" if item.time else f"{item.date} (all day)"
    return f"{item.id} {when} {item.title}"


def _priority_line(item: Priority) -> str:
    due = f", due {item.due_date}" if item.due_date else ""
    return f"{item.id} {item.title} ({item.status.value}{due})"


def _commitment_line(item: Commitment) -> str:
    who = f" ({item.counterparty})" if item.counterparty else ""
    due = f", due {item.due_date}" if item.due_date else ""
    return f"{item.id} {item.text}{who}{due}"


def meeting_brief(item: CalendarItem, hits: Sequence[SearchHit], now: datetime) -> Brief:
    sources = _sources(hits)
    details = [_meeting_line(item)]
    if item.location:
        details.append(f"Location: {item.location}")
    if item.attendees:
        details.append("Attendees: " + ", ".join(item.attendees))
    text, html = _render(
        f"Meeting brief: {item.title}",
        [("Meeting", details), ("What the collected data says, recent first", _source_lines(sources))],
    )
    return Brief(item.id, "meeting", item.title, text, html, sources, now)


def item_brief(item: Priority | Commitment, hits: Sequence[SearchHit], now: datetime) -> Brief:
    """A brief on a priority or a commitment: the item, and what the index holds about it."""
    sources = _sources(hits)
    line = _priority_line(item) if isinstance(item, Priority) else _commitment_line(item)
    title = item.title if isinstance(item, Priority) else item.text
    text, html = _render(
        f"Brief: {title}",
        [("Item", [line]), ("What the collected data says, recent first", _source_lines(sources))],
    )
    return Brief(item.id, "topic", title, text, html, sources, now)


def topic_brief(words: str, hits: Sequence[SearchHit], now: datetime) -> Brief:
    sources = _sources(hits)
    text, html = _render(
        f"Topic brief: {words}",
        [(f"{len(hits)} matching records, recent first", _source_lines(sources))],
    )
    return Brief(None, "topic", words, text, html, sources, now)


def daily_brief(state: DashboardState, now: datetime) -> Brief:
    today = now.date().isoformat()
    meetings = [_meeting_line(item) for item in state.calendar if item.date == today]
    decisions, day = state.decisions, now.date()  # snoozed items stay out until their day
    open_priorities = [_priority_line(p) for p in state.priorities
                       if p.status != PriorityStatus.DONE and not decisions.priorities.is_snoozed(p.key, day)]

    def due(items: Sequence[Commitment]) -> list[str]:
        return [
            _commitment_line(c) for c in items
            if c.status == CommitmentStatus.PENDING and c.due_date is not None and c.due_date <= today
            and not decisions.commitments.is_snoozed(c.key, day)
        ]

    title = f"Daily brief for {today}"
    text, html = _render(
        title,
        [
            (f"Meetings today ({len(meetings)})", meetings),
            (f"Open priorities ({len(open_priorities)})", open_priorities),
            ("I owe, due today or late", due(state.owe)),
            ("Owed to me, due today or late", due(state.owed)),
        ],
    )
    return Brief(None, "daily", title, text, html, (), now)
