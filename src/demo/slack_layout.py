"""Writes a Slack workspace export the way Slack lays one out, for the demo and the benchmark.

`users.json`, `channels.json` (and `groups.json`, `dms.json`, `mpims.json`), then one folder per
conversation with one `YYYY-MM-DD.json` per day (UTC), each a list of messages in time order.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any


def _day_of(ts: str) -> str:
    return datetime.fromtimestamp(float(ts), timezone.utc).date().isoformat()


class SlackExportWriter:
    """Messages come in time order (as a workspace produces them); each day's files are written
    once that day is over, so a large export never sits in memory whole."""

    def __init__(self, root: Path, users: list[dict[str, Any]], channels: list[dict[str, Any]],
                 groups: Sequence[dict[str, Any]] = (), dms: Sequence[dict[str, Any]] = (),
                 mpims: Sequence[dict[str, Any]] = ()) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        lists = {"users.json": users, "channels.json": channels, "groups.json": groups,
                 "dms.json": dms, "mpims.json": mpims}
        for name, items in lists.items():
            if items or name in ("users.json", "channels.json"):
                (self.root / name).write_text(json.dumps(list(items), indent=1))
        self._day: str | None = None
        self._pending: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.files_written = 0
        self.messages_written = 0

    def add(self, folder: str, message: dict[str, Any]) -> None:
        """`folder` is the conversation's folder: a channel's name, or a DM's id."""
        day = _day_of(message["ts"])
        if self._day is not None and day < self._day:
            raise ValueError(f"messages must come in time order: {day} after {self._day}")
        if self._day is not None and day > self._day:
            self._flush()
        if self._day is None or day > self._day:
            self._day = day
        self._pending[folder].append(message)

    def close(self) -> None:
        self._flush()

    def _flush(self) -> None:
        for folder, messages in self._pending.items():
            path = self.root / folder / f"{self._day}.json"
            path.parent.mkdir(exist_ok=True)
            messages.sort(key=lambda message: float(message["ts"]))
            path.write_text(json.dumps(messages, indent=1, ensure_ascii=False))
            self.files_written += 1
            self.messages_written += len(messages)
        self._pending.clear()
