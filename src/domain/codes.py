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


# Codes of items that left the board are remembered so an item that comes back keeps its code, but
# only for the most recently seen ones: the state (stored and sent on every change) must not grow
# with the board's whole history.
REMEMBERED_OFF_BOARD = 1000  # keys per kind of item
REMEMBERED_OFF_BOARD_CHARS = 100_000  # and their length in total


@dataclass(frozen=True, slots=True)
class CodeBook:
    """The codes of one kind of item. `first_seen` also tells which items are new.

    `numbers` is in the order keys were last on the board (least recent first), which tells which
    keys to forget. `next_number` only grows, so a forgotten key never gets another item's old code."""

    prefix: str
    numbers: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    first_seen: Mapping[str, datetime] = field(default_factory=lambda: MappingProxyType({}))
    next_number: int = 1

    def assign(self, keys: Sequence[str], now: datetime) -> tuple[CodeBook, list[str]]:
        """Codes for `keys` (the whole list now on the board) in display order: known keys keep
        theirs, new keys take the next free numbers."""
        if all(key in self.numbers for key in keys):  # nothing new: only what left the board may go
            return self.bounded(keys), [f"{self.prefix}{self.numbers[key]}" for key in keys]
        numbers = dict(self.numbers)
        first_seen = dict(self.first_seen)
        next_number = self.next_number
        for key in keys:
            if key in numbers:  # seen again: moved to the most recent end
                numbers[key] = numbers.pop(key)
                first_seen[key] = first_seen.pop(key)
            else:
                numbers[key] = next_number
                first_seen[key] = now
                next_number += 1
        book = replace(self, numbers=numbers, first_seen=first_seen, next_number=next_number)
        return book.bounded(keys), [f"{self.prefix}{numbers[key]}" for key in keys]

    def bounded(self, on_board: Sequence[str]) -> CodeBook:
        """This book without the least recently seen keys that are off the board, beyond the bounds."""
        board = set(on_board)
        off_board = [key for key in self.numbers if key not in board]  # least recent first
        kept_chars, keep_from = 0, len(off_board)
        for index in range(len(off_board) - 1, max(len(off_board) - REMEMBERED_OFF_BOARD, 0) - 1, -1):
            kept_chars += len(off_board[index])
            if kept_chars > REMEMBERED_OFF_BOARD_CHARS:
                break
            keep_from = index
        forgotten = set(off_board[:keep_from])
        if not forgotten and isinstance(self.numbers, MappingProxyType):
            return self
        return replace(
            self,
            numbers=MappingProxyType({k: n for k, n in self.numbers.items() if k not in forgotten}),
            first_seen=MappingProxyType({k: t for k, t in self.first_seen.items() if k not in forgotten}),
        )


@dataclass(frozen=True, slots=True)
class CodeRegistry:
    calendar: CodeBook = field(default_factory=lambda: CodeBook(CALENDAR_PREFIX))
    priorities: CodeBook = field(default_factory=lambda: CodeBook(PRIORITY_PREFIX))
    commitments: CodeBook = field(default_factory=lambda: CodeBook(COMMITMENT_PREFIX))

    def bounded(self, calendar: Sequence[str], priorities: Sequence[str], commitments: Sequence[str]) -> CodeRegistry:
        """Every book within the bounds, given the keys on the board (for a state stored before them)."""
        return CodeRegistry(self.calendar.bounded(calendar), self.priorities.bounded(priorities),
                            self.commitments.bounded(commitments))
