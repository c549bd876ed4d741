"""Posts the service makes to the person on its own (the morning brief, meeting prep), as the outbox
keeps them: each is recorded under a key before it is sent, so nothing is sent twice for one key.

A post's life: `pending` (recorded, an attempt due at `next_attempt_at`) -> `sending` (one process
took it for one attempt, until `lease_until`) -> `sent`, or back to `pending` with a later attempt,
or `failed` (Slack refused it for good, or an hour of retries ran out). A post that was tried before
(an attempt interrupted, or one Slack did not answer `ok`) may be in Slack all the same: before it is
sent again, the channel is looked at for it, and found there it is `sent`.
`skipped`: recorded and deliberately not sent (a day with nothing to act on, a meeting moved or
cancelled before its prep time), with the reason in `note`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from enum import StrEnum
from typing import Any


class PostStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"


class PostKind(StrEnum):
    DAILY = "daily"
    PREP = "prep"


# Slack answers that no retry can fix: the channel or the token is wrong. Failed at once, said.
PERMANENT_ERRORS = frozenset({
    "channel_not_found", "invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired",
    "not_in_channel", "is_archived", "user_not_found", "missing_scope", "no_permission", "invalid_blocks",
    "msg_too_long", "restricted_action",
})
RETRY_FOR = timedelta(hours=1)
FIRST_RETRY_S = 30.0
LONGEST_WAIT_S = 600.0
# A process holds a post this long for one attempt (the Slack client gives up after 10 s): a post
# still `sending` after it was taken by a process that died mid-send.
SEND_LEASE = timedelta(seconds=60)
FOUND_IN_SLACK = "found in the channel after an attempt whose answer was lost: not sent again"


def daily_key(day: str) -> str:
    return f"daily:{day}"


def prep_key(meeting_key: str, start: datetime) -> str:
    """One key per occurrence: a meeting moved to another time is another occurrence."""
    return f"prep:{meeting_key}:{start.astimezone(timezone.utc).isoformat(timespec='minutes')}"


@dataclass(frozen=True, slots=True)
class Post:
    key: str
    kind: PostKind
    channel: str
    title: str
    created_at: datetime
    status: PostStatus = PostStatus.PENDING
    message: dict[str, Any] = field(default_factory=dict)  # what is sent: Slack's text and blocks
    brief: dict[str, Any] | None = None  # the brief posted (the contract's document), for the dashboard
    attempts: int = 0
    next_attempt_at: datetime | None = None
    lease_until: datetime | None = None
    sent_at: datetime | None = None
    note: str | None = None  # the last error, or why it was skipped
    meeting_key: str | None = None  # prep: the meeting, re-checked at each attempt
    meeting_start: datetime | None = None

    @classmethod
    def skipped(cls, key: str, kind: PostKind, channel: str, title: str, now: datetime, why: str) -> Post:
        return cls(key, kind, channel, title, now, PostStatus.SKIPPED, note=why)

    def taken(self, now: datetime) -> Post:
        """As a process holds it for one attempt."""
        return replace(self, status=PostStatus.SENDING, lease_until=now + SEND_LEASE)

    def can_be_taken(self, now: datetime) -> bool:
        if self.status == PostStatus.PENDING:
            return self.next_attempt_at is None or self.next_attempt_at <= now
        return self.status == PostStatus.SENDING and self.lease_until is not None and self.lease_until <= now

    @property
    def may_be_in_slack(self) -> bool:
        """Tried before: an attempt was interrupted (still `sending` past its lease) or not answered
        `ok`, and a post Slack took may have been answered with a timeout or lost on its way back."""
        return self.status == PostStatus.SENDING or self.attempts > 0

    def sent(self, now: datetime) -> Post:
        return replace(self, status=PostStatus.SENT, attempts=self.attempts + 1, sent_at=now, lease_until=None,
                       next_attempt_at=None, note=None)

    def found_sent(self, now: datetime) -> Post:
        """Found in the channel after an attempt whose answer never came: sent, not sent again."""
        interrupted = 1 if self.status == PostStatus.SENDING else 0  # an attempt not counted yet
        return replace(self.sent(now), attempts=self.attempts + interrupted, note=FOUND_IN_SLACK)

    def not_sent(self, error: str, now: datetime, retry_after_s: float | None = None, why: str | None = None) -> Post:
        """After an attempt Slack did not accept: failed at once for an error no retry fixes, else
        retried with a doubling wait (30 s, 1 min, 2 min ... 10 min at most, or Slack's Retry-After)
        until an hour after the post was recorded, then failed. `why` says more than the error code."""
        attempts = self.attempts + 1
        permanent = error in PERMANENT_ERRORS
        error = f"{why}: {error}" if why else error
        if permanent:
            return replace(self, status=PostStatus.FAILED, attempts=attempts, note=error, lease_until=None,
                           next_attempt_at=None)
        wait = min(FIRST_RETRY_S * 2 ** (attempts - 1), LONGEST_WAIT_S)
        wait = max(wait, retry_after_s or 0.0)
        next_at = now + timedelta(seconds=wait)
        if next_at > self.created_at + RETRY_FOR:
            return replace(self, status=PostStatus.FAILED, attempts=attempts, lease_until=None,
                           next_attempt_at=None, note=f"{error}; gave up after {attempts} attempts in an hour")
        return replace(self, status=PostStatus.PENDING, attempts=attempts, note=error, lease_until=None,
                       next_attempt_at=next_at)

    def dropped(self, why: str) -> Post:
        """Not sent after all (a meeting moved or cancelled): skipped, with why."""
        return replace(self, status=PostStatus.SKIPPED, note=why, lease_until=None, next_attempt_at=None)

    def what(self) -> str:
        """How the person would name it: "the morning brief", "the prep for Budget review"."""
        return "the morning brief" if self.kind == PostKind.DAILY else f"the prep for {self.title}"
