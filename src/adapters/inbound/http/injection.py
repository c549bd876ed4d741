"""How routes reach the use cases: `Annotated[UseCase, provided("use_case")]`.

The object comes from the container of the app that serves the request (`app.state.container`),
so two apps with two containers in one process stay apart. We do not use dependency-injector's
`@inject` wiring here: its markers are sync dependencies, which FastAPI runs in its thread pool,
and wiring is process-global; together they cost about half of REST throughput in `make bench`.
"""

from inspect import isawaitable
from typing import Any

from fastapi import Depends
from starlette.requests import HTTPConnection


def provided(name: str) -> Any:
    """A FastAPI dependency: what the app's container provides under `name`, for HTTP and WebSocket."""

    async def from_container(connection: HTTPConnection) -> Any:
        value = getattr(connection.app.state.container, name)()
        return await value if isawaitable(value) else value  # an async provider gives an awaitable

    from_container.__name__ = f"provided_{name}"
    return Depends(from_container)
