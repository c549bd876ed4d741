"""Briefs: what a person needs before a meeting, about someone, each morning, or on a topic, as
plain text and as safe HTML (everything that came from data escaped).

A brief is built in two steps: its body and `facts` here, from the state and the cited records;
then a brief writer's opening paragraph (`with_summary`), which says who wrote it. The built-in
writer's paragraph is `built_in_summary`, a template over the facts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from html import escape

from src.domain.brief_ranking import Said
from src.domain.people import People, Person
from src.domain.search import SearchHit
from src.domain.state import (
    Brief,
    BriefSource,
    CalendarItem,
    Commitment,
    DashboardState,
    Priority,
)

SNIPPET_CHARS = 200
BUILT_IN = "built-in"
Item = Priority | Commitment


# -- pieces ------------------------------------------------------------------------------------------

def where_said(said: Said, is_me: Callable[[str], bool]) -> str:
    """Where a message was said, as a person says it: "#finance", "DM with Dana Lee"."""
    if said.kind in ("dm", "group_dm") and said.conversation:
        members = said.conversation.removeprefix("Group DM ").removeprefix("DM ").split(", ")
        others = [m for m in members if m and not is_me(m)] or members
        return ("DM with " if said.kind == "dm" else "group DM with ") + ", ".join(others)
    if said.conversation:
        return said.conversation if said.conversation.startswith("#") else "#" + said.conversation
    return said.source


def _snippet(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= SNIPPET_CHARS else line[: SNIPPET_CHARS - 1] + "…"


def cite(said: Said, is_me: Callable[[str], bool]) -> BriefSource:
    return BriefSource(said.source, said.at, _snippet(said.text), said.ref, said.author, where_said(said, is_me))


def _day(at: str | None) -> str:
    return (at or "undated")[:10]


SINCE_LAST_TIME = " (since last time)"


def source_line(source: BriefSource, new_after: str | None = None) -> str:
    who = source.author or "someone"
    where = f" in {source.conversation}" if source.conversation else ""
    since = SINCE_LAST_TIME if new_after and (source.date or "") > new_after else ""
    return f"{who}{where}, {_day(source.date)}{since}: {source.snippet}"


def person_label(person: Person | None, fallback: str) -> str:
    if person is None:
        return fallback
    return f"{person.name}, {person.role}" if person.role else person.name


def item_line(item: Item, with_counterparty: bool = True) -> str:
    if isinstance(item, Priority):
        reason = f" ({item.reason})" if item.reason else (f" (due {item.due_date})" if item.due_date else "")
        return f"{item.id} {item.title}{reason}"
    said = [item.counterparty or "someone"] if with_counterparty else []
    said += [f"due {item.due_date}"] if item.due_date else []
    return f"{item.id} {item.text}" + (f" ({', '.join(said)})" if said else "")


def _is_open(item: Item) -> bool:
    return item.status.value not in ("done",)


class OpenItems:
    """The board's open items by the person they are with (resolved once: a daily brief asks for
    every attendee of every meeting)."""

    def __init__(self, state: DashboardState, people: People) -> None:
        self._by_person: dict[str, list[tuple[str, Item]]] = {}
        parts: list[tuple[str, Sequence[Item]]] = [("asks you", state.priorities), ("you owe", state.owe),
                                                   ("owes you", state.owed)]
        for label, items in parts:
            for item in items:
                if not _is_open(item):
                    continue
                for identity in (item.counterparty_email, item.counterparty):
                    if identity and (found := people.resolve(identity)) is not None:
                        self._by_person.setdefault(found.id, []).append((label, item))
                        break

    def with_person(self, person: Person) -> list[tuple[str, Item]]:
        """The open items with `person`, both ways: ("asks you", priority), ("you owe", c), ("owes you", c)."""
        return self._by_person.get(person.id, [])


def items_with(state: DashboardState, people: People, person: Person) -> list[tuple[str, Item]]:
    return OpenItems(state, people).with_person(person)


def labelled_item(label: str, item: Item, name: str) -> str:
    if label == "asks you":
        return f"{name} asks you: {item_line(item)}"
    if label == "you owe":
        return f"you owe {name}: {item_line(item, with_counterparty=False)}"
    return f"{name} owes you: {item_line(item, with_counterparty=False)}"


# -- rendering ---------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Section:
    heading: str
    lines: Sequence[str] = ()
    sources: Sequence[BriefSource] = ()  # cited records, shown with who, where and when
    empty: str = "nothing"
    new_after: str | None = None  # sources dated after this (ISO UTC) are marked "since last time"


def _render(title: str, sections: Sequence[Section]) -> tuple[str, str]:
    text = [title]
    html = [f'<h3>{escape(title)}</h3>']
    for section in sections:
        text += ["", section.heading]
        html.append(f"<h4>{escape(section.heading)}</h4>")
        if section.sources:
            text += [f"{n}. {source_line(s, section.new_after)}" for n, s in enumerate(section.sources, 1)]
            html.append('<ol class="brief-sources">' + "".join(_source_html(s, section.new_after)
                                                               for s in section.sources) + "</ol>")
        elif section.lines:
            text += [f"- {line}" for line in section.lines]
            html.append("<ul>" + "".join(f"<li>{escape(line)}</li>" for line in section.lines) + "</ul>")
        else:
            text.append(f"- {section.empty}")
            html.append(f'<p class="muted">{escape(section.empty)}</p>')
    return "\n".join(text), "".join(html)


def _source_html(source: BriefSource, new_after: str | None = None) -> str:
    since = escape(SINCE_LAST_TIME) if new_after and (source.date or "") > new_after else ""
    return (f'<li data-ref="{escape(source.ref or "")}"><span class="source-author">{escape(source.author or "someone")}'
            f'</span> in <span class="source-conversation">{escape(source.conversation or source.source)}</span>'
            f' · <time>{escape(_day(source.date))}</time>{since}: <span class="source-text">{escape(source.snippet)}</span></li>')


def _brief(target: str | None, kind: str, title: str, heading: str, sections: Sequence[Section],
           sources: Sequence[BriefSource], now: datetime, facts: Sequence[str]) -> Brief:
    text, html = _render(heading, sections)
    return Brief(target, kind, title, text, html, tuple(sources), now, tuple(facts))


def with_summary(brief: Brief, summary: str, writer: str) -> Brief:
    """`brief` opening with `summary`, saying who wrote it."""
    said_by = f"(summary written by {writer})"
    heading, _, body = brief.text_content.partition("\n")
    text = "\n".join([heading, summary, said_by, body]) if body else "\n".join([heading, summary, said_by])
    head, _, rest = brief.html_content.partition("</h3>")
    html = (f'{head}</h3><p class="brief-summary">{escape(summary)}</p>'
            f'<p class="brief-writer muted">{escape(said_by)}</p>{rest}')
    return replace(brief, text_content=text, html_content=html)


def built_in_summary(brief: Brief) -> str:
    """The built-in writer's paragraph: the brief's facts, in order."""
    facts = [fact.rstrip(".") + "." for fact in brief.facts if fact.strip()]
    return " ".join(facts[:5]) or f"{brief.title}: nothing collected bears on it yet."


# -- meeting -----------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Attendee:
    email: str
    person: Person | None  # None: nobody the sources know beyond the calendar's address

    @property
    def name(self) -> str:
        return self.person.name if self.person else self.email


@dataclass(frozen=True, slots=True)
class Previous:
    """The previous occurrence of a recurring meeting."""

    start: str  # ISO, local
    said_since: int  # how many cited messages came after it
    at_utc: str = ""  # its start as ISO UTC, to mark what came after it


@dataclass(frozen=True, slots=True)
class MeetingFacts:
    meeting: CalendarItem
    attendees: Sequence[Attendee]
    items: Sequence[str] = ()
    notes: str | None = None
    previous: Previous | None = None
    cited: Sequence[BriefSource] = field(default_factory=tuple)


def _when(item: CalendarItem) -> str:
    return f"{item.date} {item.time}" if item.time else f"{item.date} (all day)"


def meeting_brief(facts: MeetingFacts, now: datetime) -> Brief:
    meeting = facts.meeting
    others = [a for a in facts.attendees]
    details = [f"{meeting.id} {_when(meeting)} {meeting.title}"]
    if meeting.location:
        details.append(f"Location: {meeting.location}")
    if facts.notes:
        details.append(f"Notes: {' '.join(facts.notes.split())}")
    attendee_lines = [f"{person_label(a.person, a.email)} <{a.email}>" for a in others]
    sections = [Section("Meeting", details),
                Section(f"Attendees ({len(others)})", attendee_lines, empty="only you")]
    sections.append(Section(f"Open with them ({len(facts.items)})", facts.items))
    if facts.previous is not None:
        sections.append(Section("Last time", [
            f"{facts.previous.start[:16].replace('T', ' ')}; {facts.previous.said_since} of the conversations "
            f"below came after it"]))
    sections.append(Section(f"Recent conversations that bear on it ({len(facts.cited)})", (), facts.cited,
                            empty="nothing collected in the last 30 days bears on it",
                            new_after=facts.previous.at_utc if facts.previous else None))
    with_whom = ", ".join(person_label(a.person, a.email) for a in others) or "no one else"
    said = [f"{meeting.title} is on {_when(meeting)} with {with_whom}"]
    said.append(f"{len(facts.items)} item{'s' if len(facts.items) != 1 else ''} open with them"
                + (f", first {facts.items[0]}" if facts.items else ""))
    if facts.cited:
        top = facts.cited[0]
        said.append(f"{len(facts.cited)} recent conversation{'s' if len(facts.cited) != 1 else ''} bear on it, "
                    f"the most relevant from {top.author or 'someone'} in {top.conversation} on {_day(top.date)}")
    else:
        said.append("nothing collected in the last 30 days bears on it")
    if facts.previous is not None:
        said.append(f"it last met on {facts.previous.start[:10]}")
    return _brief(meeting.id, "meeting", meeting.title, f"Meeting brief: {meeting.title}", sections,
                  facts.cited, now, said)


# -- person ------------------------------------------------------------------------------------------

def person_brief(person: Person, items: Sequence[str], cited: Sequence[BriefSource],
                 next_meeting: CalendarItem | None, now: datetime) -> Brief:
    who = person_label(person, person.name)
    identity = [who, *(f"email {e}" for e in person.emails), *(f"@{h}" for h in person.handles[:1])]
    meeting = [f"{next_meeting.id} {_when(next_meeting)} {next_meeting.title}"] if next_meeting else []
    sections = [Section("Who", identity),
                Section(f"Open items, both ways ({len(items)})", items),
                Section("Next meeting together", meeting, empty="none on the calendar"),
                Section(f"Last conversations ({len(cited)})", (), cited, empty="none in the last 30 days")]
    facts = [f"{who}: {len(items)} open item{'s' if len(items) != 1 else ''} between you"
             + (f", first {items[0]}" if items else "")]
    if next_meeting is not None:
        facts.append(f"next meeting together: {next_meeting.title} on {_when(next_meeting)}")
    if cited:
        facts.append(f"last heard {_day(cited[0].date)} in {cited[0].conversation}")
    # Of kind "topic": the contract's kinds are meeting, daily and topic, and a person is a topic.
    return _brief(None, "topic", person.name, f"Person brief: {person.name}", sections, cited, now, facts)


# -- topic and items ---------------------------------------------------------------------------------

def topic_brief(words: str, cited: Sequence[BriefSource], now: datetime) -> Brief:
    sections = [Section(f"Matching records, most relevant first ({len(cited)})", (), cited)]
    facts = [f"{len(cited)} collected record{'s mention' if len(cited) != 1 else ' mentions'} {words}"]
    if cited:
        facts.append(f"the most relevant from {cited[0].author or cited[0].source} on {_day(cited[0].date)}")
    return _brief(None, "topic", words, f"Topic brief: {words}", sections, cited, now, facts)


def item_brief(item: Item, cited: Sequence[BriefSource], now: datetime) -> Brief:
    """A brief on a priority or a commitment: the item, and what was said about it."""
    title = item.title if isinstance(item, Priority) else item.text
    origin = [f"{item.origin.author or 'someone'}, {_day(item.origin.at)}: {item.origin.quote}"] if item.origin else []
    sections = [Section("Item", [item_line(item)]), Section("Where it comes from", origin, empty="sent by a processor"),
                Section(f"What was said about it ({len(cited)})", (), cited)]
    facts = [f"{item_line(item)}", f"{len(cited)} related record{'s' if len(cited) != 1 else ''}"]
    return _brief(item.id, "topic", title, f"Brief: {title}", sections, cited, now, facts)


# -- daily -------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class DailyMark:
    """What the last daily brief saw: when, and which items were open then (by key)."""

    at: datetime
    open_keys: frozenset[str]


def open_keys(state: DashboardState) -> frozenset[str]:
    items: list[Item] = [*state.priorities, *state.commitments]
    return frozenset(i.key for i in items if _is_open(i))


def _urgency(item: Item) -> tuple[bool, str, str]:
    return item.due_date is None, item.due_date or "", item.id


def daily_brief(state: DashboardState, now: datetime, preparation: dict[str, str] | None = None,
                last: DailyMark | None = None) -> Brief:
    """Today's meetings (each with what to prepare), the asks waiting on the person by urgency, what
    they owe today or late, what others owe that is late, and what changed since `last`."""
    today, day = now.date().isoformat(), now.date()
    preparation = preparation or {}
    decisions = state.decisions

    def awake(item: Item) -> bool:
        book = decisions.priorities if isinstance(item, Priority) else decisions.commitments
        return _is_open(item) and not book.is_snoozed(item.key, day)

    meetings = [item for item in state.calendar if item.date == today]
    meeting_lines = [f"{m.id} {m.time or 'all day'} {m.title}: {preparation.get(m.id, 'nothing open with them')}"
                     for m in meetings]
    asks = sorted((p for p in state.priorities if awake(p)), key=_urgency)
    owe = sorted((c for c in state.owe if awake(c) and c.due_date is not None and c.due_date <= today), key=_urgency)
    late = sorted((c for c in state.owed if awake(c) and c.due_date is not None and c.due_date < today),
                  key=_urgency)
    changes = _changes(state, last, day)
    sections = [
        Section(f"Meetings today ({len(meetings)})", meeting_lines),
        Section(f"Asks waiting on you, most urgent first ({len(asks)})", [item_line(p) for p in asks]),
        Section(f"You owe, due today or late ({len(owe)})", [item_line(c) for c in owe]),
        Section(f"Others owe you, late ({len(late)})", [item_line(c) for c in late]),
        Section("Since the last daily brief" + (f" ({last.at.isoformat(timespec='minutes')})" if last else ""),
                changes, empty="nothing new" if last else "this is the first daily brief"),
    ]
    late_asks = [p for p in asks if p.due_date is not None and p.due_date <= today]
    facts = [f"{len(meetings)} meeting{'s' if len(meetings) != 1 else ''} today"
             + (f", the first {meetings[0].title} at {meetings[0].time or 'all day'}" if meetings else ""),
             f"{len(asks)} ask{'s' if len(asks) != 1 else ''} wait on you, {len(late_asks)} due today or late",
             f"you owe {len(owe)} thing{'s' if len(owe) != 1 else ''} today or late; {len(late)} owed to you are late"]
    if last is not None:
        facts.append(f"{len(changes)} change{'s' if len(changes) != 1 else ''} since the last daily brief")
    title = f"Daily brief for {today}"
    return _brief(None, "daily", title, title, sections, (), now, facts)


def _changes(state: DashboardState, last: DailyMark | None, day: date) -> list[str]:
    if last is None:
        return []
    lines = [f"new ask: {item_line(p)}" for p in state.priorities
             if _is_open(p) and p.key not in last.open_keys
             and not state.decisions.priorities.is_snoozed(p.key, day)]
    # Closed by others: what they owed, delivered in a message (`closed_by`), not marked done by the person.
    lines += [f"closed by {c.counterparty or 'them'}: {item_line(c)}" for c in state.owed
              if not _is_open(c) and c.key in last.open_keys and c.closed_by is not None]
    return lines


def hits_as_sources(hits: Sequence[SearchHit]) -> tuple[BriefSource, ...]:
    """Search hits cited as they come (for records with no conversation), most relevant first."""
    return tuple(BriefSource(h.source, h.date, _snippet(h.plain_snippet), h.id) for h in hits if h.date)
