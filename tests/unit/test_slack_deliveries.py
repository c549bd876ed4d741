"""The memory of slash-command deliveries already taken (no command runs twice)."""

from __future__ import annotations

from src.adapters.inbound.slack import bot
from src.adapters.inbound.slack.bot import RecentDeliveries


def test_a_trigger_is_taken_once():
    seen = RecentDeliveries()
    assert seen.first_time("t1") is True
    assert seen.first_time("t1") is False
    assert seen.first_time("t2") is True


def test_old_triggers_are_forgotten_after_the_signature_window(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(bot.time, "monotonic", lambda: now[0])
    seen = RecentDeliveries(keep_s=600)
    seen.first_time("t1")
    now[0] += 599
    assert seen.first_time("t1") is False
    now[0] += 700
    assert seen.first_time("t1") is True  # only replays inside Slack's 5-minute window matter


def test_the_memory_is_bounded():
    seen = RecentDeliveries(max_entries=3)
    for trigger in ("a", "b", "c", "d"):
        assert seen.first_time(trigger)
    assert len(seen._seen) == 3
    assert seen.first_time("d") is False and seen.first_time("a") is True
