"""A collector (AICOS_COLLECTORS=tests.collectors.counting_collector:CountingCollector) that writes
one line per run, "<pid> <unix time>", to the file named by COUNTING_COLLECTOR_LOG: which process
ran a collection, and when."""

import os
import time


class CountingCollector:
    name = "counting"

    def __init__(self, hooks) -> None:
        self._log = os.environ["COUNTING_COLLECTOR_LOG"]

    async def collect(self, mode: str, report) -> None:
        with open(self._log, "a") as log:
            log.write(f"{os.getpid()} {time.time():.3f}\n")
        await report(1.0, "counted")
