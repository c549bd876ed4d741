from __future__ import annotations

import time
from datetime import datetime, tzinfo

_ZONE_CHECK_EVERY_S = 60.0


class SystemClock:
    """The machine's clock in the person's zone (AICOS_TIMEZONE), else the machine's local zone.

    The zone is looked up once a minute, not on every call (`astimezone()` costs more than the rest
    of a status update), so a change of offset (daylight saving) shows within a minute.
    """

    def __init__(self, zone: tzinfo | None = None, offset_s: float = 0.0) -> None:
        self._offset_s = offset_s  # tests only (AICOS_CLOCK_OFFSET_S): a real server set before its brief time
        self._fixed_zone = zone
        self._zone: tzinfo | None = zone
        self._zone_checked = float("-inf")

    def now(self) -> datetime:
        moment = time.time() + self._offset_s
        if self._fixed_zone is not None:
            return datetime.fromtimestamp(moment, self._fixed_zone)
        if moment - self._zone_checked >= _ZONE_CHECK_EVERY_S:
            self._zone = datetime.now().astimezone().tzinfo
            self._zone_checked = moment
        return datetime.fromtimestamp(moment, self._zone)
