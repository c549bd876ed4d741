"""The per-client command limit, shared by every way in: `POST /api/command` and v2 `command`
frames (keyed by the client's address, so both draw on one bucket) and Slack's `/cos` (keyed by
the Slack user)."""

from __future__ import annotations

import time


class CommandRateLimiter:
    """A token bucket per client: `rate` commands a second, bursts of `burst`. Generous by default,
    so people and bots never meet it; a runaway script is refused."""

    MAX_CLIENTS = 10_000  # buckets kept; the least recently used go first

    def __init__(self, rate: float, burst: int) -> None:
        self.rate = rate
        self.burst = burst
        self._buckets: dict[str, tuple[float, float]] = {}  # client -> (tokens, when)

    def allow(self, client: str) -> bool:
        """Takes one command from `client`'s bucket; False when it is empty."""
        now = time.monotonic()
        tokens, when = self._buckets.pop(client, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - when) * self.rate)
        allowed = tokens >= 1.0
        self._buckets[client] = (tokens - 1.0 if allowed else tokens, now)  # re-inserted: most recent last
        if len(self._buckets) > self.MAX_CLIENTS:
            self._buckets.pop(next(iter(self._buckets)))
        return allowed

    def refusal(self) -> str:
        return f"at most {self.rate:g} commands a second"
