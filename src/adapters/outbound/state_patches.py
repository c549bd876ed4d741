"""RFC 6902 JSON Patch between two versions of the state, in microseconds.

Every change builds a new immutable DashboardState that shares what did not change with the old
one, object for object. So the diff only looks where identity differs and replaces changed items
whole: a handful of `replace` operations, where a generic differ (jsonpatch.make_patch) compares
every value (1.6 ms for an 18 KB state, several times a whole REST request).
"""

from __future__ import annotations

from typing import Any

from src.domain.state import DashboardState


def _list_ops(path: str, old: tuple, new: tuple) -> list[dict[str, Any]]:
    if old is new:
        return []
    if len(old) == len(new) and all(a.id == b.id for a, b in zip(old, new)):
        return [
            {"op": "replace", "path": f"{path}/{index}", "value": b.to_document()}
            for index, (a, b) in enumerate(zip(old, new))
            if a is not b and a.to_document() != b.to_document()
        ]
    return [{"op": "replace", "path": path, "value": [item.to_document() for item in new]}]


def _field_ops(path: str, before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"op": "replace", "path": f"{path}/{key}", "value": value}
            for key, value in after.items() if before[key] != value]


def state_patch(old: DashboardState, new: DashboardState) -> list[dict[str, Any]]:
    """The operations that turn `old.to_document()` into `new.to_document()`."""
    ops: list[dict[str, Any]] = []
    if old.system is not new.system:
        ops += _field_ops("/system", old.system.to_document(), new.system.to_document())
    ops += _list_ops("/calendar", old.calendar, new.calendar)
    ops += _list_ops("/priorities", old.priorities, new.priorities)
    ops += _list_ops("/commitments/owe", old.owe, new.owe)
    ops += _list_ops("/commitments/owed", old.owed, new.owed)
    if old.active_brief is not new.active_brief:
        value = new.active_brief.to_document() if new.active_brief else None
        ops.append({"op": "replace", "path": "/active_brief", "value": value})
    ops += _field_ops("/meta", old.meta.to_document(), new.meta.to_document())
    return ops
