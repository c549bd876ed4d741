"""The outbox in memory: for the memory backend (nothing survives a restart there either) and as the
fake of the `Outbox` port in tests. One event loop, no await inside a step: each step is atomic."""

from __future__ import annotations

from datetime import datetime

from src.domain.outbox import Post, PostStatus


class InMemoryOutbox:
    def __init__(self) -> None:
        self._posts: dict[str, Post] = {}

    async def record(self, post: Post) -> bool:
        if post.key in self._posts:
            return False
        self._posts[post.key] = post
        return True

    async def take(self, key: str, now: datetime) -> Post | None:
        post = self._posts.get(key)
        if post is None or not post.can_be_taken(now):
            return None
        self._posts[key] = post.taken(now)
        return post

    async def update(self, post: Post) -> None:
        self._posts[post.key] = post

    async def get(self, key: str) -> Post | None:
        return self._posts.get(key)

    async def waiting(self, now: datetime) -> list[Post]:
        return [post for post in self._posts.values()
                if post.status in (PostStatus.PENDING, PostStatus.SENDING) and post.can_be_taken(now)]

    async def posts(self, limit: int = 200) -> list[Post]:
        return sorted(self._posts.values(), key=lambda post: post.created_at, reverse=True)[:limit]
