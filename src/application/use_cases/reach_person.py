"""Reaching the person without being asked (contract section 7, issue #17): the morning brief at
BRIEF_TIME and each meeting's prep PREP_MINUTES before it, posted to their Slack through the outbox,
so each goes out once whatever restarts, crashes or how many processes run this.

One call is one pass over what is due now; the app runs it every few seconds. Each pass:
1. plans: a post due now and not yet in the outbox is recorded under its key (the brief built
   first); a day with nothing to act on is recorded as skipped, with why;
2. sends: every post waiting in the outbox (new, or a retry whose time has come) is taken for one
   attempt (one process gets it); one tried before is first looked for in the channel (a process
   killed mid-send, or an answer lost, may have posted it all the same), and found there is sent;
   then it is re-checked (a meeting moved or cancelled since is dropped), posted, and what Slack
   answered is stored: sent, to retry later, or failed and said in `system.message`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from src.application.changes import StateChanges
from src.application.ports import Briefs, Clock, Outbox, SlackPoster, StateRepository
from src.domain.outbox import Post, PostKind, PostStatus, daily_key, prep_key
from src.domain.outreach import (
    Schedule,
    meeting_still_on,
    morning_brief_day,
    nothing_to_act_on,
    preps_due,
    still_collecting,
)
from src.domain.state import Brief, BriefSource, DashboardState, MAX_MESSAGE_LENGTH
from src.domain.system import change_system

logger = logging.getLogger(__name__)

# A brief (the contract's document) and its kind -> the message posted (Slack's text and blocks).
Compose = Callable[[dict[str, Any], str], dict[str, Any]]
MEETING_GONE = "the meeting was moved, cancelled or has started since: no stale prep"


class ReachThePerson:
    def __init__(self, schedule: Schedule, channel: str, outbox: Outbox, poster: SlackPoster, briefs: Briefs,
                 repository: StateRepository, changes: StateChanges, clock: Clock, compose: Compose) -> None:
        self._schedule = schedule
        self._channel = channel
        self._outbox = outbox
        self._poster = poster
        self._briefs = briefs
        self._repository = repository
        self._changes = changes
        self._clock = clock
        self._compose = compose

    async def __call__(self) -> None:
        state = await self._repository.load()
        await self._plan_morning_brief(state, self._clock.now())
        await self._plan_preps(state, self._clock.now())
        for post in await self._outbox.waiting(self._clock.now()):
            await self._attempt(post.key)

    async def _plan_morning_brief(self, state: DashboardState, now: datetime) -> None:
        day = morning_brief_day(self._schedule, now)
        if day is None or await self._outbox.get(daily_key(day)) is not None:
            return
        if still_collecting(state):
            return  # the board is being refilled: decided once the collection ends
        why = nothing_to_act_on(state, now)
        if why is not None:
            skipped = Post.skipped(daily_key(day), PostKind.DAILY, self._channel, f"Daily brief for {day}", now, why)
            if await self._outbox.record(skipped):
                logger.info("morning brief for %s skipped: %s", day, why)
            return
        brief = await self._briefs.daily()
        await self._record(Post(daily_key(day), PostKind.DAILY, self._channel, brief.title, now), brief)

    async def _plan_preps(self, state: DashboardState, now: datetime) -> None:
        for due in preps_due(self._schedule, state, now):
            key = prep_key(due.meeting.key, due.start)
            if await self._outbox.get(key) is not None:
                continue
            brief = await self._briefs.meeting(due.meeting.key)
            if brief is None:
                continue  # gone from the board since the state was read
            await self._record(Post(key, PostKind.PREP, self._channel, due.meeting.title, now,
                                    meeting_key=due.meeting.key, meeting_start=due.start), brief)

    async def _record(self, post: Post, brief: Brief) -> None:
        document = brief.to_document()
        if await self._outbox.record(replace(post, message=self._compose(document, post.kind.value), brief=document)):
            logger.info("recorded %s (%s) for %s", post.what(), post.key, post.channel)

    async def _attempt(self, key: str) -> None:
        post = await self._outbox.take(key, self._clock.now())
        if post is None:
            return  # another process took it, or it is not due any more
        if post.may_be_in_slack:
            lookup = await self._poster.find_post(post.channel, post.key, post.created_at)
            if lookup.found:
                logger.info("%s was found in Slack after an attempt whose answer was lost", post.what())
                await self._finish(post.found_sent(self._clock.now()))
                return
            if lookup.error is not None:  # not known whether it is there: never risk a second post
                await self._finish(post.not_sent(lookup.error, self._clock.now(),
                                                 why="could not look in Slack for an earlier attempt"))
                return
        if post.kind == PostKind.PREP and not await self._meeting_still_on(post):
            await self._outbox.update(post.dropped(MEETING_GONE))
            logger.info("%s not posted: %s", post.what(), MEETING_GONE)
            return
        answer = await self._poster.post(post.channel, post.message, post.key)
        now = self._clock.now()
        if answer.ok:
            await self._finish(post.sent(now))
        else:
            await self._finish(post.not_sent(answer.error or "unknown", now, answer.retry_after_s))

    async def _meeting_still_on(self, post: Post) -> bool:
        if post.meeting_key is None or post.meeting_start is None:
            return False
        state = await self._repository.load()
        return meeting_still_on(state, post.meeting_key, post.meeting_start, self._clock.now()) is not None

    async def _finish(self, post: Post) -> None:
        await self._outbox.update(post)
        if post.status == PostStatus.SENT:
            logger.info("posted %s to %s", post.what(), post.channel)
            if post.brief is not None:  # the dashboard's brief panel opens on what was posted
                brief = brief_from_document(post.brief)
                await self._changes.apply(lambda state: replace(state, active_brief=brief))
        elif post.status == PostStatus.PENDING:
            logger.warning("could not post %s to Slack (%s); trying again at %s", post.what(), post.note,
                           post.next_attempt_at)
        elif post.status == PostStatus.FAILED:
            logger.warning("gave up posting %s to Slack: %s", post.what(), post.note)
            message = f"could not post {post.what()} to Slack: {post.note}"[:MAX_MESSAGE_LENGTH]
            await self._changes.apply(lambda state: change_system(state, message=message))


def brief_from_document(document: dict[str, Any]) -> Brief:
    """A brief as it was posted (its wire document, kept in the outbox) back as the domain's."""
    sources = tuple(BriefSource(str(s.get("source", "")), s.get("date"), str(s.get("snippet", "")))
                    for s in document.get("sources") or [])
    generated = datetime.fromisoformat(str(document["generated_at"]).replace("Z", "+00:00"))
    return Brief(document.get("target"), str(document["kind"]), str(document["title"]),
                 str(document["text_content"]), str(document["html_content"]), sources, generated)
