"""`aicos outbox`: what was sent, what waits and what failed, from the outbox file, newest first."""

import asyncio
from datetime import datetime, timedelta, timezone

from src import cli
from src.adapters.outbound.sqlite_outbox import SqliteOutbox
from src.domain.outbox import Post, PostKind

NOW = datetime(2026, 11, 30, 7, 30, tzinfo=timezone.utc)


def test_sent_pending_failed_and_skipped_posts_are_listed_by_status(tmp_path, monkeypatch, capsys):
    outbox = SqliteOutbox(tmp_path / "outbox.db")
    daily = Post("daily:2026-11-30", PostKind.DAILY, "U01ALEX", "Daily brief for 2026-11-30", NOW)
    prep = Post("prep:m1:2026-11-30T09:00+00:00", PostKind.PREP, "U01ALEX", "Budget review", NOW + timedelta(hours=1))
    wrong = Post("prep:m2:2026-11-30T10:00+00:00", PostKind.PREP, "C0NOPE", "Hiring sync", NOW + timedelta(hours=2))
    quiet = Post.skipped("daily:2026-11-29", PostKind.DAILY, "U01ALEX", "Daily brief for 2026-11-29",
                         NOW - timedelta(days=1), "no meeting, no open ask and nothing due today or late")

    async def fill():
        for post in (daily, prep, wrong, quiet):
            await outbox.record(post)
        await outbox.update(daily.sent(NOW + timedelta(seconds=1)))
        await outbox.update(prep.not_sent("ratelimited", NOW + timedelta(hours=1), retry_after_s=60))
        await outbox.update(wrong.not_sent("channel_not_found", NOW + timedelta(hours=2)))

    asyncio.run(fill())
    monkeypatch.setenv("AICOS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("AICOS_TIMEZONE", "UTC")
    monkeypatch.delenv("AICOS_STATE_BACKEND", raising=False)
    assert cli.main(["outbox"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("4 posts in the outbox (sqlite), newest first")
    sections = [line for line in out.splitlines() if line and not line.startswith(" ")][1:]
    assert sections == ["Failed (1)", "Pending (1)", "Sent (1)", "Skipped (1)"]
    assert "Hiring sync -> C0NOPE, 1 attempt: channel_not_found" in out
    assert "next try 2026-11-30 08:31  prep   Budget review -> U01ALEX, 1 attempt: ratelimited" in out
    assert "sent 2026-11-30 07:30  daily  Daily brief for 2026-11-30 -> U01ALEX, 1 attempt" in out
    assert "no meeting, no open ask" in out


def test_without_an_outbox_it_says_nothing_was_posted(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("AICOS_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("AICOS_STATE_BACKEND", raising=False)
    assert cli.main(["outbox"]) == 0
    assert "nothing posted yet" in capsys.readouterr().out
