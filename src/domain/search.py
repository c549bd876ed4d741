"""What a search of the collected records gives back."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
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
