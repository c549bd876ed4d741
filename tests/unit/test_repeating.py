"""The background pass of the outreach: it goes on after a failed pass, and stopping lets the pass
under way finish (a post being sent is recorded) unless it outlasts the grace time."""

import asyncio

from src.application.repeating import Repeating


async def test_a_failed_pass_does_not_end_the_schedule():
    passes = []

    async def run():
        passes.append(len(passes))
        if len(passes) == 1:
            raise RuntimeError("Redis away")

    repeating = Repeating(run, every_s=0.001, name="test")
    repeating.start()
    while len(passes) < 3:
        await asyncio.sleep(0.001)
    await repeating.stop(grace_s=1)
    assert passes[:3] == [0, 1, 2]


async def test_stopping_lets_the_pass_under_way_finish():
    started, release, finished = asyncio.Event(), asyncio.Event(), []

    async def run():
        started.set()
        await release.wait()
        finished.append(True)

    repeating = Repeating(run, every_s=60, name="test")
    repeating.start()
    await started.wait()
    stopping = asyncio.create_task(repeating.stop(grace_s=30))
    await asyncio.sleep(0)
    assert not stopping.done()
    release.set()
    await stopping
    assert finished == [True]


async def test_a_pass_that_outlasts_the_grace_time_is_cancelled():
    started, cancelled = asyncio.Event(), []

    async def run():
        started.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cancelled.append(True)
            raise

    repeating = Repeating(run, every_s=60, name="test")
    repeating.start()
    await started.wait()
    await repeating.stop(grace_s=0.01)
    assert cancelled == [True]
