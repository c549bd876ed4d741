"""Measuring what a collector costs: the peak growth of this process's memory, and the time taken."""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass

import psutil


@dataclass
class Cost:
    peak_growth_mb: float = 0.0
    seconds: float = 0.0


@contextmanager
def measured():
    """Samples the resident memory every 5 ms while the block runs (a peak, not just the end)."""
    process = psutil.Process()
    baseline = process.memory_info().rss
    cost = Cost()
    done = threading.Event()

    def sample() -> None:
        peak = baseline
        while not done.wait(0.005):
            peak = max(peak, process.memory_info().rss)
        cost.peak_growth_mb = (max(peak, process.memory_info().rss) - baseline) / 1024**2

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    try:
        yield cost
    finally:
        cost.seconds = time.perf_counter() - started
        done.set()
        sampler.join()
