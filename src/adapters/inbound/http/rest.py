"""REST routes (contract section 2). Each route calls one use case, reached through the container.

No `from __future__ import annotations` here: FastAPI reads the `Annotated` dependencies at import.
"""

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Body, Query
from pydantic import BaseModel, ConfigDict
from starlette.responses import Response

from src import __version__
from src.adapters.inbound.http.injection import provided
from src.adapters.inbound.http.schemas import (
    CalendarItemIn,
    CollectionMode,
    CollectionRequest,
    CommandRequest,
    CommitmentsIn,
    ExtractRequest,
    PriorityIn,
    StatusUpdate,
    collection_mode,
)
from src.adapters.outbound.state_encoder import StateEncoder
from src.adapters.outbound.websocket_hub import WebSocketHub
from src.application.commands import CommandRegistry
from src.application.use_cases.execute_command import ExecuteCommand
from src.application.use_cases.extract_items import ExtractItems
from src.application.use_cases.get_state import GetState, GetSystemStatus
from src.application.use_cases.list_people import ListPeople
from src.application.use_cases.replace_board import ReplaceCalendar, ReplaceCommitments, ReplacePriorities
from src.application.use_cases.search_records import GetSearchStats, SearchRecords
from src.application.use_cases.trigger_collection import TriggerCollection
from src.application.use_cases.update_status import UpdateStatus
from src.domain.state import iso_utc

router = APIRouter()


def json_response(content: Any) -> Response:
    return Response(orjson.dumps(content), media_type="application/json")


@router.get("/health", tags=["system"])
async def health(
    hub: Annotated[WebSocketHub, provided("websocket_hub")],
    broadcaster: Annotated[Any, provided("broadcaster")],
) -> Response:
    body = {"status": "healthy", "version": __version__, "websocket_clients": len(hub)}
    if hasattr(broadcaster, "connected"):  # on Redis: say when it is away (changes then wait for it)
        body["redis"] = "connected" if broadcaster.connected else "unavailable"
        body["status"] = "healthy" if broadcaster.connected else "degraded"
    return json_response(body)


@router.get("/api/state", tags=["state"])
async def get_state(
    use_case: Annotated[GetState, provided("get_state")],
    encoder: Annotated[StateEncoder, provided("state_encoder")],
) -> Response:
    return Response(encoder.encode(await use_case()), media_type="application/json")


@router.get("/api/system/status", tags=["system"])
async def get_status(use_case: Annotated[GetSystemStatus, provided("get_system_status")]) -> Response:
    """The contract's system document, and (an extension) `next_collection`: when the next
    scheduled quick collection runs (ISO-8601 UTC), or null without AICOS_COLLECT_EVERY."""
    system, next_collection = await use_case()
    return json_response({**system.to_document(),
                          "next_collection": iso_utc(next_collection) if next_collection is not None else None})


@router.post("/api/system/status", tags=["system"])
async def post_status(
    body: StatusUpdate,
    use_case: Annotated[UpdateStatus, provided("update_status")],
) -> Response:
    system = await use_case(**body.given())
    return json_response({"success": True, "system": system.to_document()})


@router.post("/api/command", tags=["commands"])
async def post_command(
    body: CommandRequest,
    use_case: Annotated[ExecuteCommand, provided("execute_command")],
) -> Response:
    return json_response((await use_case(body.command)).to_document())


@router.get("/api/commands", tags=["commands"])
async def list_commands(registry: Annotated[CommandRegistry, provided("command_registry")]) -> Response:
    """Every verb with its usage, help and what may follow it (the dashboard's Tab completes from it)."""
    return json_response({"commands": registry.completions()})


@router.get("/api/trigger_collection", tags=["collections"], operation_id="trigger_collection_get")
@router.post("/api/trigger_collection", tags=["collections"], operation_id="trigger_collection_post")
async def trigger_collection(
    use_case: Annotated[TriggerCollection, provided("trigger_collection")],
    type: CollectionMode | None = None,
    body: Annotated[CollectionRequest | None, Body()] = None,
) -> Response:
    job = await use_case(collection_mode(type, body.type if body else None, body.mode if body else None))
    return json_response({"success": True, "job": job.to_document()})


@router.put("/api/calendar", tags=["board"])
async def put_calendar(
    items: Annotated[list[CalendarItemIn], Body()],
    use_case: Annotated[ReplaceCalendar, provided("replace_calendar")],
) -> Response:
    stored = await use_case([item.draft() for item in items])
    return json_response([item.to_document() for item in stored])


@router.put("/api/priorities", tags=["board"])
async def put_priorities(
    items: Annotated[list[PriorityIn], Body()],
    use_case: Annotated[ReplacePriorities, provided("replace_priorities")],
) -> Response:
    stored = await use_case([item.draft() for item in items])
    return json_response([item.to_document() for item in stored])


@router.put("/api/commitments", tags=["board"])
async def put_commitments(
    body: CommitmentsIn,
    use_case: Annotated[ReplaceCommitments, provided("replace_commitments")],
) -> Response:
    owe, owed = await use_case([item.draft() for item in body.owe], [item.draft() for item in body.owed])
    return json_response({"owe": [c.to_document() for c in owe], "owed": [c.to_document() for c in owed]})


@router.get("/api/search", tags=["search"])
async def search(
    use_case: Annotated[SearchRecords, provided("search_records")],
    q: str = "",
    source: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: Annotated[int, Query()] = 20,
    offset: Annotated[int, Query()] = 0,
) -> Response:
    page = await use_case(q, source=source, since=since, until=until, limit=limit, offset=offset)
    return json_response({
        "query": page.query,
        "results": [hit.to_document() for hit in page.hits],
        "took_ms": page.took_ms,
    })


@router.get("/api/search/stats", tags=["search"])
async def search_stats(use_case: Annotated[GetSearchStats, provided("search_stats")]) -> Response:
    return json_response(await use_case())


class PeopleQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")  # `?name=dana` is a 400, not everyone
    q: str = ""


@router.get("/api/people", tags=["people"])
async def list_people(
    query: Annotated[PeopleQuery, Query()],
    use_case: Annotated[ListPeople, provided("list_people")],
) -> Response:
    """The people the service knows, one entry per human across sources; `q` matches the start of
    any word of a name, an email, a Slack id or a display name."""
    return json_response({"people": [entry.to_document() for entry in await use_case(query.q)]})
@router.post("/api/extract", tags=["commitments"])
async def extract(body: ExtractRequest, use_case: Annotated[ExtractItems, provided("extract_items")]) -> Response:
    """Commitments and asks read from the messages sent; nothing is stored (contract section 6)."""
    items = await use_case(body.to_read())
    return json_response({"items": [{
        "message_id": item.message_id, "kind": item.kind.value, "text": item.text,
        "counterparty": item.counterparty, "due_date": item.due_date.isoformat() if item.due_date else None,
        "confidence": item.confidence,
    } for item in items]})
