"""`aicos outbox`: what the service posted to the person on its own, and what waits or failed. It
reads the outbox where the state is kept (SQLite's `outbox.db` in the data folder, or Redis) and
changes nothing, so it runs beside a running server."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import datetime

SECTIONS = (("failed", "Failed"), ("pending", "Pending"), ("sending", "Being sent"), ("sent", "Sent"),
            ("skipped", "Skipped"))


def show_outbox(args: argparse.Namespace) -> int:
    from src.config import Settings

    settings = Settings()
    backend = args.state_backend or (settings.state_backend if "state_backend" in settings.model_fields_set
                                     else "sqlite")
    if backend == "memory":
        print("the memory backend keeps its outbox inside the server process; `aicos outbox` reads SQLite or Redis")
        return 1
    try:
        posts = asyncio.run(_read(settings, backend, args.limit))
    except Exception as error:  # noqa: BLE001 - one line, not a traceback (Redis away, a locked file)
        print(f"aicos: cannot read the outbox: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    if posts is None:
        print(f"nothing posted yet: no outbox in {settings.data_dir}")
        return 0
    zone = settings.zone()
    print(f"{len(posts)} post{'s' if len(posts) != 1 else ''} in the outbox ({backend}), newest first")
    for status, heading in SECTIONS:
        chosen = [post for post in posts if post.status.value == status]
        if not chosen:
            continue
        print(f"\n{heading} ({len(chosen)})")
        for post in chosen:
            print("  " + _line(post, zone))
    return 0


def _line(post, zone) -> str:
    def at(moment: datetime | None) -> str:
        return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else "-"

    when = {"sent": f"sent {at(post.sent_at)}", "pending": f"next try {at(post.next_attempt_at)}"}.get(
        post.status.value, f"recorded {at(post.created_at)}")
    tries = f", {post.attempts} attempt{'s' if post.attempts != 1 else ''}" if post.attempts else ""
    note = f": {post.note}" if post.note else ""
    return f"{when}  {post.kind.value:<5}  {post.title} -> {post.channel}{tries}{note}  [{post.key}]"


async def _read(settings, backend: str, limit: int):
    if backend == "redis":
        from redis.asyncio import Redis

        from src.adapters.outbound.redis_outbox import RedisOutbox

        client = Redis.from_url(settings.redis_url, socket_connect_timeout=3)
        try:
            return await RedisOutbox(client).posts(limit)
        finally:
            await client.aclose()
    from src.adapters.outbound.sqlite_outbox import SqliteOutbox

    path = settings.data_dir / "outbox.db"
    if not path.exists():
        return None
    return await SqliteOutbox(path).posts(limit)
