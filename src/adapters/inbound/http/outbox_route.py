"""`GET /api/outbox`: the posts the service made on its own (the morning brief, meeting prep), newest
first, for the dashboard's notifications and for scripts; `aicos outbox` shows the same from the
command line. It needs the token like the rest of /api; no message body or channel secret in it
beyond what was posted to the person.

No `from __future__ import annotations` here: FastAPI reads the `Annotated` dependency at import.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Query

from src.adapters.inbound.http.injection import provided
from src.config import Settings
from src.domain.outbox import Post
from src.domain.state import iso_utc

router = APIRouter()


def post_document(post: Post) -> dict[str, Any]:
    return {"key": post.key, "kind": post.kind.value, "status": post.status.value, "title": post.title,
            "channel": post.channel, "created_at": iso_utc(post.created_at), "sent_at": iso_utc(post.sent_at),
            "attempts": post.attempts, "next_attempt_at": iso_utc(post.next_attempt_at), "note": post.note,
            "brief_title": (post.brief or {}).get("title")}


@router.get("/api/outbox", tags=["outreach"])
async def outbox(outbox: Annotated[Any, provided("outbox")], settings: Annotated[Settings, provided("settings")],
                 limit: Annotated[int, Query(ge=1, le=500)] = 50) -> dict[str, Any]:
    """`enabled`: whether this service posts anything (AICOS_BRIEF_TIME or AICOS_PREP_MINUTES, usable)."""
    enabled = settings.outreach_on() and settings.outreach_problem() is None
    return {"enabled": enabled, "posts": [post_document(post) for post in await outbox.posts(limit)]}
