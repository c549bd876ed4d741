"""What the person decided about items (`dismiss`, `snooze`), kept by item key with the state.

Keys are stable per origin, so a decision outlives every later collection or PUT: a dismissed key
is never put back on the board, and a snoozed item raises no alert and stays out of the daily brief
until its day. Never on the wire; stored with the state (see state_codec.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from types import MappingProxyType


@dataclass(frozen=True, slots=True)
class ItemDecisions:
    """The decisions about one kind of item (priorities or commitments), by item key."""

    dismissed: frozenset[str] = frozenset()
    snoozed_until: Mapping[str, date] = field(default_factory=lambda: MappingProxyType({}))

    def is_snoozed(self, key: str, today: date) -> bool:
        until = self.snoozed_until.get(key)
        return until is not None and today < until

    def dismiss(self, key: str) -> ItemDecisions:
        snoozed = {k: v for k, v in self.snoozed_until.items() if k != key}
        return ItemDecisions(self.dismissed | {key}, MappingProxyType(snoozed))

    def snooze(self, key: str, until: date) -> ItemDecisions:
        return replace(self, snoozed_until=MappingProxyType({**self.snoozed_until, key: until}))


@dataclass(frozen=True, slots=True)
class Decisions:
    priorities: ItemDecisions = field(default_factory=ItemDecisions)
    commitments: ItemDecisions = field(default_factory=ItemDecisions)

    def of(self, code: str) -> ItemDecisions:
        """The decisions for the kind of item `code` names (Pn or Mn)."""
        return self.priorities if code.startswith("P") else self.commitments

    def with_kind(self, code: str, decisions: ItemDecisions) -> Decisions:
        return replace(self, priorities=decisions) if code.startswith("P") else replace(self, commitments=decisions)
