from __future__ import annotations

from datetime import datetime


class SystemClock:
    """The machine's clock, in its local time zone: "today" is the person's today."""

    def now(self) -> datetime:
        return datetime.now().astimezone()
