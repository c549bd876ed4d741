"""A post as the outbox stores it: JSON from the domain's own fields (never the wire's)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from src.domain.outbox import Post, PostKind, PostStatus

_MOMENTS = ("created_at", "next_attempt_at", "lease_until", "sent_at", "meeting_start")


def encode_post(post: Post) -> str:
    fields: dict[str, Any] = {name: getattr(post, name) for name in Post.__dataclass_fields__}
    for name in _MOMENTS:
        fields[name] = fields[name].isoformat() if fields[name] is not None else None
    fields["kind"], fields["status"] = post.kind.value, post.status.value
    return json.dumps(fields, ensure_ascii=False)


def decode_post(body: str | bytes) -> Post:
    fields = json.loads(body)
    for name in _MOMENTS:
        fields[name] = datetime.fromisoformat(fields[name]) if fields.get(name) else None
    fields["kind"], fields["status"] = PostKind(fields["kind"]), PostStatus(fields["status"])
    known = Post.__dataclass_fields__
    return Post(**{name: value for name, value in fields.items() if name in known})


def epoch_s(moment: datetime | None) -> float:
    """A moment as seconds, for the stores' indexes (none: never)."""
    return moment.timestamp() if moment is not None else float("inf")
