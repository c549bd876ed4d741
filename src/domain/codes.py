"""Short codes (C1, P7, M3) that a person types: stable per item key, never reused while the state lives."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from types import MappingProxyType
from typing import Mapping

CALENDAR_PREFIX = "C"
PRIORITY_PREFIX = "P"
COMMITMENT_PREFIX = "M"

_SPACES = re.compile(r"\s+")


def derive_key(*parts: str | None) -> str:
    """A key from an item's content, for items whose source gave none: case and spacing do not matter."""
    return "|".join(_SPACES.sub(" ", (part or "").strip().lower()) for part in parts)


@dataclass(frozen=True, slots=True)
class CodeBook:
    """The codes of one kind of item. `first_seen` also tells which items are new."""

    prefix: str
    numbers: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    first_seen: Mapping[str, datetime] = field(default_factory=lambda: MappingProxyType({}))
    next_number: int = 1

    def assign(self, keys: Sequence[str], now: datetime) -> tuple[CodeBook, list[str]]:
        """Codes for `keys` in display order: known keys keep theirs, new keys take the next free numbers."""
        numbers = dict(self.numbers)
        first_seen = dict(self.first_seen)
        next_number = self.next_number
        codes = []
        for key in keys:
            if key not in numbers:
                numbers[key] = next_number
                first_seen[key] = now
                next_number += 1
            codes.append(f"{self.prefix}{numbers[key]}")
        if next_number == self.next_number:
            return self, codes
        book = replace(
            self,
            numbers=MappingProxyType(numbers),
            first_seen=MappingProxyType(first_seen),
            next_number=next_number,
        )
        return book, codes


@dataclass(frozen=True, slots=True)
class CodeRegistry:
    calendar: CodeBook = field(default_factory=lambda: CodeBook(CALENDAR_PREFIX))
    priorities: CodeBook = field(default_factory=lambda: CodeBook(PRIORITY_PREFIX))
    commitments: CodeBook = field(default_factory=lambda: CodeBook(COMMITMENT_PREFIX))
