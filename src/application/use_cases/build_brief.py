"""BuildBrief: the briefs a chief of staff would write (contract sections 4 and 6).

- `meeting(code)`: the attendees as people, the open items with each (both ways), the recent
  conversations with them that bear on the meeting, the previous occurrence of a recurring one.
- `person(query)`: open items both ways, the last conversations, the next meeting together.
- `daily()`: today's meetings with what to prepare, asks by urgency, what is owed, what changed.
- `item(code)` and `topic(words)`.

Ports only: the search index, the people directory, the clock, the state, the brief writer (its
paragraph opens every brief; when it fails the built-in one does), the brief log (the last daily
brief, for "since the last one") and the conversation store (the threads and DM exchanges of what
the search found, whose replies no search finds). Nothing cited is dated after the moment the brief
is made.
"""

from __future__ import annotations

import asyncio
import difflib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from src.application.ports import (
    BriefLog,
    BriefWriter,
    Clock,
    ConversationStore,
    PeopleDirectory,
    SearchIndex,
    StateRepository,
)
from src.domain.brief_ranking import (
    DM_EXCHANGE_S,
    MAX_CITED,
    OPEN_FROM,
    Party,
    Ranked,
    Said,
    not_after,
    rank_conversations,
    said_in,
    said_of,
    subject_words,
    to_open,
    utc_iso,
)
from src.domain.briefs import (
    BUILT_IN,
    Attendee,
    DailyMark,
    MeetingFacts,
    OpenItems,
    Previous,
    built_in_summary,
    cite,
    daily_brief,
    item_brief,
    items_with,
    meeting_brief,
    open_keys,
    person_brief,
    topic_brief,
    labelled_item,
    with_summary,
)
from src.domain.people import People, Person, normalise_email, normalise_slack_id
from src.domain.search import SearchHit
from src.domain.state import Brief, CalendarItem, Commitment, DashboardState, Priority

log = logging.getLogger(__name__)

RECENT_DAYS = 30  # how far back conversations count
PREVIOUS_WITHIN_DAYS = 40  # how far back the previous occurrence of a recurring meeting is looked for
POOL_PER_QUERY = 50  # hits per search feeding the ranking
MAX_SUBJECT_QUERIES = 6
MAX_PARTY_QUERIES = 6
MAX_TITLE_WORDS = 3  # of the title's subject words, searched together with each attendee
CLOSEST_NAMES = 3


@dataclass(frozen=True, slots=True)
class BriefAnswer:
    """A brief, or why there is none (an unknown or ambiguous person) with the closest names."""

    brief: Brief | None
    message: str = ""
    suggestions: tuple[str, ...] = ()
    person: str | None = None  # whom the brief is about, for a person brief


def _party(person: Person) -> Party:
    return Party.of(person.name, (*person.names, *person.handles, person.name.split(" ")[0]), person.slack_ids)


def _subject(title: str, notes: str, leave_out: Sequence[str]) -> list[tuple[str, float]]:
    """A meeting's words as the ranking weighs them: the title's twice the description's."""
    title_words = subject_words(title, leave_out)
    notes_words = [w for w in subject_words(notes, leave_out) if w not in title_words]
    return [(w, 2.0) for w in title_words] + [(w, 1.0) for w in notes_words]


def _start_of(hit: SearchHit) -> str:
    start = hit.metadata.get("start")
    if isinstance(start, dict):
        return str(start.get("dateTime") or start.get("date") or hit.date or "")
    return hit.date or ""


def _uid(key: str) -> str:
    """The event's UID in a calendar occurrence's key (`<UID>@<start>`)."""
    return key.rsplit("@", 1)[0] if "@" in key else key


class BuildBrief:
    def __init__(self, search: SearchIndex, directory: PeopleDirectory, clock: Clock, state: StateRepository,
                 writer: BriefWriter, brief_log: BriefLog, conversations: ConversationStore | None = None) -> None:
        self._search = search
        self._conversations_store = conversations  # None: briefs from the search index alone
        self._directory = directory
        self._clock = clock
        self._state = state
        self._writer = writer
        self._log = brief_log

    # -- entry points ------------------------------------------------------------------------------

    async def meeting(self, code: str, state: DashboardState | None = None) -> Brief | None:
        """The brief of the meeting with that code ("C2") or key (`<UID>@<start>`, as the outreach
        names the meeting it prepares) on the board; None when it is not there."""
        state = state or await self._state.load()
        meeting = next((item for item in state.calendar if code in (item.id, item.key)), None)
        if meeting is None:
            return None
        return await self._written(await self._meeting(meeting, state))

    async def item(self, code: str, state: DashboardState | None = None) -> Brief | None:
        state = state or await self._state.load()
        items: list[Priority | Commitment] = [*state.priorities, *state.commitments]
        found = next((i for i in items if i.id == code), None)
        if found is None:
            return None
        return await self._written(await self._item(found))

    async def for_code(self, code: str, state: DashboardState | None = None) -> Brief | None:
        return await (self.meeting(code, state) if code.startswith("C") else self.item(code, state))

    async def person(self, query: str, state: DashboardState | None = None) -> BriefAnswer:
        """The brief of the one person `query` names (a name, "@handle", an email, a Slack id)."""
        answer = await self._person_answer(query, state)
        if answer is None:
            return self._unknown(query, await self._directory.people())
        return answer

    async def person_or_topic(self, words: str, state: DashboardState | None = None) -> BriefAnswer:
        """`brief <words>`: a person brief when the words name a known person exactly (a name, an
        @handle, an email, a Slack id); an @handle, email or id nobody has is refused with the
        closest names; other words are a topic."""
        answer = await self._person_answer(words, state)
        if answer is not None:
            return answer
        if _names_someone(words):
            return self._unknown(words, await self._directory.people())
        return BriefAnswer(await self.topic(words))

    async def topic(self, words: str) -> Brief:
        now = self._clock.now()
        page = await self._search.search(words, until=now.date().isoformat(), limit=MAX_CITED * 2)
        people = await self._directory.people()
        found = [s for hit in page.hits if (s := said_of(hit)) is not None and not_after(s.at, now)]
        cited = [cite(s, people.is_me) for s in found[:MAX_CITED]]
        return await self._written(topic_brief(words, cited, now))

    async def daily(self, state: DashboardState | None = None) -> Brief:
        state = state or await self._state.load()
        now = self._clock.now()
        people = await self._directory.people()
        today = now.date().isoformat()
        open_items = OpenItems(state, people)
        preparation = {m.id: self._preparation(m, open_items, people) for m in state.calendar if m.date == today}
        try:
            last = await self._log.last_daily()
        except Exception as error:  # the brief without "since the last one" beats no brief
            log.warning("the last daily brief could not be read (%s)", type(error).__name__)
            last = None
        brief = daily_brief(state, now, preparation, last)
        try:
            await self._log.record_daily(DailyMark(now, open_keys(state)))
        except Exception as error:
            log.warning("the daily brief could not be remembered (%s)", type(error).__name__)
        return await self._written(brief)

    # -- meeting -----------------------------------------------------------------------------------

    async def _meeting(self, meeting: CalendarItem, state: DashboardState) -> Brief:
        now = self._clock.now()
        people = await self._directory.people()
        attendees = [Attendee(email, people.resolve(email)) for email in meeting.attendees if not people.is_me(email)]
        known = [a.person for a in attendees if a.person is not None]
        parties = [_party(p) for p in known]
        parties += [Party.of(a.email) for a in attendees if a.person is None]
        itself, earlier = await asyncio.gather(self._calendar_record(meeting), self._occurrences_before(meeting, now))
        notes = str(itself.metadata.get("description") or "") if itself else ""
        names = [n for p in (*known, *([people.me] if people.me else [])) for n in (p.name, *p.names, *p.handles)]
        subject = _subject(meeting.title, notes, names)
        last_time = max(earlier, key=_start_of) if earlier else None
        ranked = await self._conversations(subject, parties, now, people, last_time.date if last_time else None)
        cited = [cite(r.said, people.is_me) for r in ranked]
        previous = None
        if last_time is not None:
            previous = Previous(_start_of(last_time), sum(1 for r in ranked if r.said.at > (last_time.date or "")),
                                last_time.date or "")
        open_items = OpenItems(state, people)
        items = [labelled_item(label, item, p.name) for p in known for label, item in open_items.with_person(p)]
        facts = MeetingFacts(meeting, attendees, list(dict.fromkeys(items)), notes or None, previous, cited)
        return meeting_brief(facts, now)

    async def _calendar_record(self, meeting: CalendarItem) -> SearchHit | None:
        page = await self._search.search(meeting.title, source="calendar", since=meeting.date, until=meeting.date,
                                         limit=20)
        return next((hit for hit in page.hits if hit.metadata.get("id") == meeting.key), None)

    async def _occurrences_before(self, meeting: CalendarItem, now: datetime) -> list[SearchHit]:
        """Earlier occurrences of the same event (same UID) that have begun by now."""
        since = (now - timedelta(days=PREVIOUS_WITHIN_DAYS)).date().isoformat()
        page = await self._search.search(meeting.title, source="calendar", since=since,
                                         until=now.date().isoformat(), limit=POOL_PER_QUERY)
        uid, start = _uid(meeting.key), meeting.start or meeting.date
        return [hit for hit in page.hits
                if isinstance(key := hit.metadata.get("id"), str) and key != meeting.key and _uid(key) == uid
                and hit.date and not_after(hit.date, now) and _start_of(hit) < start]

    async def _conversations(self, subject: list[tuple[str, float]], parties: list[Party], now: datetime,
                             people: People, since_last_time: str | None = None) -> list[Ranked]:
        since = utc_iso(now - timedelta(days=RECENT_DAYS))
        until = now.date().isoformat()
        words = [word for word, _ in subject]
        title = " ".join([word for word, place in subject if place > 1][:MAX_TITLE_WORDS])
        queries = [(word, POOL_PER_QUERY) for word in words[:MAX_SUBJECT_QUERIES]]
        for party in parties[:MAX_PARTY_QUERIES]:
            # What they said about it (the most telling: twice the hits), then what they said at all
            # (their threads and channels; all there is to go by when the title says nothing).
            queries += [(f'{title} "{party.name}"', 2 * POOL_PER_QUERY)] if title else []
            queries.append((f'"{party.name}"', POOL_PER_QUERY if subject else 2 * POOL_PER_QUERY))
        pages = await asyncio.gather(*(self._search.search(q, source="slack", since=since, until=until, limit=limit)
                                       for q, limit in queries))
        pool = [s for page in pages for hit in page.hits if (s := said_of(hit)) is not None]
        me = _party(people.me) if people.me else None
        if self._conversations_store is not None:
            first = rank_conversations(pool, subject, parties, now, me, since_last_time, limit=OPEN_FROM)
            pool += await self._threads_of(first, now)
        return rank_conversations(pool, subject, parties, now, me, since_last_time)

    async def _threads_of(self, ranked: list[Ranked], now: datetime) -> list[Said]:
        """The rest of the threads (and DM exchanges) the best messages are in, up to now."""
        threads, around = to_open(ranked)
        if not threads and not around or self._conversations_store is None:
            return []
        try:
            excerpts = await self._conversations_store.excerpts(threads, around, DM_EXCHANGE_S)
        except Exception as error:  # the brief from the search alone beats no brief
            log.warning("threads could not be read for a brief (%s)", type(error).__name__)
            return []
        return said_in(excerpts, now - timedelta(days=RECENT_DAYS), now)

    # -- items, people, the day --------------------------------------------------------------------

    async def _item(self, item: Priority | Commitment) -> Brief:
        now = self._clock.now()
        people = await self._directory.people()
        text = item.title if isinstance(item, Priority) else item.text
        counterparty = next((p for i in (item.counterparty_email, item.counterparty) if i
                             and (p := people.resolve(i)) is not None), None)
        leave_out = [counterparty.name, *counterparty.handles] if counterparty else []
        subject = [(w, 1.0) for w in subject_words(text, leave_out)]
        parties = [_party(counterparty)] if counterparty else []
        ranked = await self._conversations(subject, parties, now, people)
        return item_brief(item, [cite(r.said, people.is_me) for r in ranked], now)

    async def _person_answer(self, query: str, state: DashboardState | None) -> BriefAnswer | None:
        people = await self._directory.people()
        found = people.matching(query.strip()) or _by_first_name(query, people)
        if len(found) > 1:
            names = tuple(f"{p.name} ({p.emails[0] if p.emails else p.id})" for p in found)
            return BriefAnswer(None, f"{query!r} names {len(found)} people: {'; '.join(names)}. "
                                     f"Say which with an @handle or an email.", tuple(p.name for p in found))
        if not found:
            return None
        state = state or await self._state.load()
        return BriefAnswer(await self._written(await self._person(found[0], state, people)), person=found[0].name)

    async def _person(self, person: Person, state: DashboardState, people: People) -> Brief:
        now = self._clock.now()
        since = utc_iso(now - timedelta(days=RECENT_DAYS))
        page = await self._search.search(f'"{person.name}"', source="slack", since=since,
                                         until=now.date().isoformat(), limit=POOL_PER_QUERY)
        pool = [s for hit in page.hits if (s := said_of(hit)) is not None]
        ranked = rank_conversations(pool, [], [_party(person)], now, _party(people.me) if people.me else None)
        newest_first = sorted((r.said for r in ranked), key=lambda s: s.at, reverse=True)
        cited = [cite(s, people.is_me) for s in newest_first]
        items = [labelled_item(label, item, person.name) for label, item in items_with(state, people, person)]
        emails = set(person.emails)
        upcoming = sorted((m for m in state.calendar if emails & {a.casefold() for a in m.attendees}
                           and (m.start or m.date) >= now.isoformat()[: len(m.start or m.date)]),
                          key=lambda m: m.start or m.date)
        return person_brief(person, items, cited, upcoming[0] if upcoming else None, now)

    @staticmethod
    def _preparation(meeting: CalendarItem, open_items: OpenItems, people: People) -> str:
        """One line on what to prepare: the open items with the attendees, else who is coming."""
        attendees = [p for email in meeting.attendees if not people.is_me(email) if (p := people.resolve(email))]
        items = [(p.name, label, item) for p in attendees for label, item in open_items.with_person(p)]
        if items:
            first = "; ".join(labelled_item(label, item, name) for name, label, item in items[:2])
            more = f" (and {len(items) - 2} more)" if len(items) > 2 else ""
            return f"prepare {first}{more}"
        if attendees:
            return "with " + ", ".join(p.name for p in attendees) + "; nothing open with them"
        return "nothing open"

    def _unknown(self, query: str, people: People) -> BriefAnswer:
        closest = closest_names(query, people)
        offered = f" Closest: {', '.join(closest)}." if closest else ""
        return BriefAnswer(None, f"No one known as {query!r}.{offered}", tuple(closest))

    # -- the writer --------------------------------------------------------------------------------

    async def _written(self, brief: Brief) -> Brief:
        """`brief` opening with the writer's paragraph; the built-in one when the writer fails."""
        try:
            written = await self._writer.summary(brief)
            text, writer = written.text.strip(), written.writer
            if not text:
                raise ValueError("an empty summary")
        except Exception as error:  # a writer must never cost the person their brief
            log.warning("the brief writer failed (%s); the built-in summary is used", type(error).__name__)
            text, writer = built_in_summary(brief), BUILT_IN
        return with_summary(brief, text, writer)


def _by_first_name(query: str, people: People) -> tuple[Person, ...]:
    """Everyone whose first name is the one word `query` ("Dana"), the person excluded."""
    word = query.strip().casefold()
    if not word or " " in word:
        return ()
    me = people.me.id if people.me else None
    return tuple(p for p in people.all if p.id != me and p.name.split(" ")[0].casefold() == word)


def _names_someone(words: str) -> bool:
    """Whether `words` can only mean a person: an @handle, an email, a Slack id or mention."""
    text = words.strip()
    return (text.startswith("@") or (text.startswith("<@") and text.endswith(">"))
            or normalise_email(text) is not None or normalise_slack_id(text) is not None)


def closest_names(query: str, people: People, count: int = CLOSEST_NAMES) -> list[str]:
    """The names of the people whose name, handle or email is closest to `query`."""
    wanted = query.strip().lstrip("@").casefold()
    wanted = wanted.split("@", 1)[0] if "@" in wanted else wanted
    spellings: dict[str, str] = {}
    for person in people.all:
        if people.me is not None and person.id == people.me.id:
            continue
        for spelling in (person.name, *person.names, *person.handles, *(e.split("@", 1)[0] for e in person.emails)):
            spellings.setdefault(spelling.casefold(), person.name)
            spellings.setdefault(spelling.casefold().split(" ")[0], person.name)
    matches = difflib.get_close_matches(wanted, list(spellings), n=count * 3, cutoff=0.5)
    return list(dict.fromkeys(spellings[m] for m in matches))[:count]
