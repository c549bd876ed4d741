"""The Briefs port's contract: what the outreach relies on from whoever builds briefs (BuildBrief)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from src.adapters.outbound.memory_state import InMemoryStateRepository
from src.adapters.outbound.brief_log import InMemoryBriefLog
from src.adapters.outbound.builtin_brief_writer import BuiltinBriefWriter
from src.adapters.outbound.people_directory import InMemoryPeopleDirectory
from src.application.use_cases.build_brief import BuildBrief
from src.domain.people import Sighting
from src.domain.board import CalendarDraft, PriorityDraft, replace_calendar, replace_priorities
from tests.fakes import FakeSearchIndex, FixedClock

NOW = datetime(2026, 11, 30, 7, 30, tzinfo=ZoneInfo("Europe/Paris"))
RECORD = {"id": "slack:C1/1764406800.000100", "source": "slack", "date": "2026-11-29T09:00:00Z",
          "content": "Budget review numbers are in",
          "metadata": {"author": "Dana Lee", "user": "U02DANA", "conversation_id": "C1", "conversation": "#finance",
                       "ts": "1764406800.000100", "kind": "channel"}}


class BriefsContract:
    """Subclass with `async make(state_repository, search_index, clock)`."""

    async def make(self, repository, search, clock):
        raise NotImplementedError

    async def briefs(self):
        clock = FixedClock(NOW)
        repository = InMemoryStateRepository(clock)
        await repository.apply(lambda s: replace_priorities(replace_calendar(s, [CalendarDraft(
            "Budget review", date="2026-11-30", time="10:00", attendees=("dana@example.com",), key="cal-1")], NOW),
            [PriorityDraft("Approve the plan")], NOW))
        return await self.make(repository, FakeSearchIndex([RECORD]), clock)

    async def test_the_daily_brief_names_todays_meetings_and_asks_with_their_codes(self):
        brief = await (await self.briefs()).daily()
        assert brief.kind == "daily" and brief.generated_at == NOW
        assert "C1" in brief.text_content and "P1 Approve the plan" in brief.text_content

    async def test_a_meeting_brief_is_for_the_meeting_with_that_key(self):
        brief = await (await self.briefs()).meeting("cal-1")
        assert (brief.kind, brief.target, brief.title) == ("meeting", "C1", "Budget review")
        assert "dana@example.com" in brief.text_content
        assert [source.snippet for source in brief.sources] == ["Budget review numbers are in"]

    async def test_a_meeting_not_on_the_board_has_no_brief(self):
        assert await (await self.briefs()).meeting("cal-gone") is None


class TestBuildBrief(BriefsContract):
    async def make(self, repository, search, clock):
        # The attendee is known as a person (a Slack user with her email), as a collection makes her.
        people = InMemoryPeopleDirectory(["U01ALEX"])
        await people.add_people([Sighting.of("slack", slack_ids=["U02DANA"], emails=["dana@example.com"],
                                             name="Dana Lee")])
        return BuildBrief(search, people, clock, repository, BuiltinBriefWriter(), InMemoryBriefLog())
