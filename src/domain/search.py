"""What a search of the collected records gives back."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from html import unescape
from typing import Any

_MARK = re.compile(r"</?mark>")


@dataclass(frozen=True, slots=True)
class SearchHit:
    id: str
    source: str
    date: str | None
    snippet: str  # HTML: the record's text escaped, the matching words in <mark>
    score: float
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def plain_snippet(self) -> str:
        """The snippet as plain text, for briefs (which escape it themselves where HTML is wanted)."""
        return unescape(_MARK.sub("", self.snippet))

    @property
    def slack_snippet(self) -> str:
        """The snippet as Slack mrkdwn: matches in bold; &, < and > stay escaped, as Slack wants them."""
        return _MARK.sub("*", self.snippet)

    def to_document(self) -> dict[str, Any]:
        return {
            "id": self.id, "source": self.source, "date": self.date, "snippet": self.snippet,
            "score": self.score, "metadata": self.metadata,
        }


@dataclass(frozen=True, slots=True)
class SearchPage:
    query: str
    hits: tuple[SearchHit, ...]
    took_ms: float


@dataclass(frozen=True, slots=True)
class IndexOutcome:
    """What adding records to the index did: how many went in, and why the others did not."""

    indexed: int
    failed: int = 0
    failures: tuple[dict[str, Any], ...] = ()  # {"index": position in the batch, "reason": ...}


# -- who said it and where ------------------------------------------------------------------------

PRIVATE_KINDS = frozenset({"dm", "group_dm", "im", "mpim"})  # conversations named by their members


def _text(value: Any) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _members(metadata: dict[str, Any]) -> list[tuple[str, str]]:
    """(id, name) of a DM's or group DM's members, from the record or, for records indexed before
    members were kept, from its name ("DM Dana Lee, Alex Rivera")."""
    members = metadata.get("conversation_members")
    if isinstance(members, list):
        return [(_text(m.get("id")), _text(m.get("name"))) for m in members if isinstance(m, dict)]
    name = _text(metadata.get("conversation"))
    for prefix in ("Group DM ", "DM "):
        if name.startswith(prefix):
            return [("", part.strip()) for part in name[len(prefix):].split(",") if part.strip()]
    return []


def describe_slack_hit(metadata: dict[str, Any], is_me: Callable[[str], bool] = lambda _: False) -> dict[str, Any]:
    """Who said a Slack message and where, for people: `author`, `conversation`, `conversation_kind`,
    `where` ("#finance", "DM with Dana Lee", "group DM with Dana Lee, Sam Patel") and `byline`
    ("Dana Lee in #finance", "Dana Lee, DM with Dana Lee"). Plain text; `is_me` says which members are
    the person, so a DM is named by the other side."""
    found = metadata.get("user_profile")
    profile: dict[str, Any] = found if isinstance(found, dict) else {}
    author = (_text(metadata.get("author")) or _text(metadata.get("user_name")) or _text(profile.get("real_name"))
              or _text(metadata.get("username")) or _text(metadata.get("user")))
    conversation = _text(metadata.get("conversation")) or _text(metadata.get("channel_name")) or _text(
        metadata.get("channel"))
    kind = _text(metadata.get("conversation_kind")) or ("channel" if conversation else "")
    if kind in PRIVATE_KINDS:
        members = _members(metadata)
        others = [name or ident for ident, name in members if not (is_me(ident) or is_me(name))] or [
            name or ident for ident, name in members]
        label = "DM" if kind in ("dm", "im") else "group DM"
        where = f"{label} with {', '.join(others)}" if others else f"a {label}"
    else:
        where = f"#{conversation.lstrip('#')}" if conversation else ""
    if author and where:
        byline = f"{author}, {where}" if kind in PRIVATE_KINDS else f"{author} in {where}"
    else:
        byline = author or where
    return {"author": author or None, "conversation": conversation or None, "conversation_kind": kind or None,
            "where": where or None, "byline": byline or None}


def described(hit: SearchHit, is_me: Callable[[str], bool] = lambda _: False) -> SearchHit:
    """The hit with who said it and where in its metadata (Slack messages; others as they are)."""
    if hit.source != "slack":
        return hit
    return replace(hit, metadata={**hit.metadata, **describe_slack_hit(hit.metadata, is_me)})
