"""What a search of the collected records gives back."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class SearchHit:
    id: str
    source: str
    date: str | None
    snippet: str
    score: float
    metadata: dict[str, Any] = field(default_factory=dict)

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
