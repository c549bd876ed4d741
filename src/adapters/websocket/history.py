"""The latest patches, bounded in number and age, for v2 clients that resume."""

from __future__ import annotations

import time
from collections import deque


class PatchHistory:
    def __init__(self, max_count: int = 1000, max_age_s: float = 300.0) -> None:
        self._entries: deque[tuple[int, int, str, float]] = deque(maxlen=max_count)  # from, to, frame, when
        self._epoch: str | None = None
        self._max_age_s = max_age_s

    def record(self, epoch: str, from_version: int, to_version: int, frame: str) -> None:
        if epoch != self._epoch or (self._entries and self._entries[-1][1] != from_version):
            self.reset(epoch)
        self._entries.append((from_version, to_version, frame, time.monotonic()))

    def reset(self, epoch: str) -> None:
        self._entries.clear()
        self._epoch = epoch

    def since(self, epoch: str, version: int, current: int) -> list[str] | None:
        """Every patch from `version` to `current` in order, or None when any is missing."""
        while self._entries and time.monotonic() - self._entries[0][3] > self._max_age_s:
            self._entries.popleft()
        if epoch != self._epoch or version > current or version < 0:
            return None
        if version == current:
            return []
        frames = [frame for start, _, frame, _ in self._entries if start >= version]
        if not self._entries or self._entries[0][0] > version or self._entries[-1][1] != current:
            return None
        return frames
