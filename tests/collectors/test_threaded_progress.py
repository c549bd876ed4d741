"""Collector work in a thread: progress relayed, and a cancelled collection stops the thread."""

import asyncio
import threading
import time

import pytest

from src.adapters.outbound.threaded_progress import run_in_thread


async def test_progress_is_relayed_and_the_result_returned():
    reports = []

    def work(progress):
        for step in range(3):
            progress(step / 3, f"step {step}")
            time.sleep(0.03)
        return "done"

    async def report(fraction, message):
        reports.append(message)

    assert await run_in_thread(work, report, "starting", interval=0.01) == "done"
    assert reports[0] == "starting" and "step 2" in reports


async def test_a_cancelled_run_stops_its_thread_before_it_ends():
    running, stopped = threading.Event(), threading.Event()

    def endless(progress):
        running.set()
        try:
            while True:
                progress(0.5, "writing")
                time.sleep(0.01)
        finally:
            stopped.set()

    async def report(fraction, message):
        pass

    task = asyncio.ensure_future(run_in_thread(endless, report, "starting"))
    await asyncio.to_thread(running.wait, 5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert stopped.is_set()  # the thread was over before the cancellation finished
