"""`dismiss` and `snooze`: the person's decisions about a priority or a commitment, as transitions.

Both are kept by the item's key (src/domain/decisions.py), so they hold across later collections.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from src.domain.board import Outcome, with_derived_flags
from src.domain.state import Commitment, DashboardState, Priority


def _find(state: DashboardState, code: str) -> Priority | Commitment | None:
    items = state.priorities if code.startswith("P") else state.commitments
    return next((item for item in items if item.id == code), None)


def _label(item: Priority | Commitment) -> str:
    return item.title if isinstance(item, Priority) else item.text


def dismiss_item(state: DashboardState, code: str, now: datetime) -> tuple[DashboardState | None, Outcome]:
    """Removes item `code` and remembers its key, so it is never put on the board again."""
    item = _find(state, code)
    if item is None:
        return None, Outcome(False, f"{code} is not on the board")
    decisions = state.decisions.with_kind(code, state.decisions.of(code).dismiss(item.key))
    kept = replace(
        state,
        priorities=tuple(p for p in state.priorities if p is not item),
        owe=tuple(c for c in state.owe if c is not item),
        owed=tuple(c for c in state.owed if c is not item),
        decisions=decisions,
    )
    return kept, Outcome(True, f"{code} ({_label(item)}) dismissed; it will not come back")


def snooze_item(
    state: DashboardState, code: str, until: date, now: datetime
) -> tuple[DashboardState | None, Outcome]:
    """Item `code` raises no alert and stays out of the daily brief until `until` (a day)."""
    item = _find(state, code)
    if item is None:
        return None, Outcome(False, f"{code} is not on the board")
    current = state.decisions.of(code)
    if current.snoozed_until.get(item.key) == until:
        return None, Outcome(False, f"{code} is already snoozed until {until.isoformat()}")
    snoozed = replace(state, decisions=state.decisions.with_kind(code, current.snooze(item.key, until)))
    message = f"{code} ({_label(item)}) snoozed until {until.strftime('%a')} {until.isoformat()}"
    return with_derived_flags(snoozed, now), Outcome(True, message)
