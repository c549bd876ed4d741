"""`GET /api/display`: what the dashboard needs to show the state the way the person reads it,
beyond the state itself. Today that is their zone (AICOS_TIMEZONE, or the machine's), so the page
shows every time in it whatever the browser's zone is. It needs the token like the rest of /api.

No `from __future__ import annotations` here: FastAPI reads the `Annotated` dependency at import.
"""

from typing import Annotated

import tzlocal
from fastapi import APIRouter
from pydantic import BaseModel, Field

from src.adapters.inbound.http.injection import provided
from src.config import Settings

router = APIRouter()


class Display(BaseModel):
    timezone: str | None = Field(
        description="The person's IANA zone (AICOS_TIMEZONE, else the machine's): the zone of the state's "
        "dates and times and the one the dashboard shows times in. Null when the machine's zone has no name.",
        examples=["Europe/Paris"],
    )


def _machine_zone_name() -> str | None:
    try:
        return tzlocal.get_localzone_name()
    except Exception:  # noqa: BLE001 - an unusual machine (no TZ, no /etc/localtime): the page falls back
        return None


@router.get("/api/display", tags=["dashboard"], response_model=Display)
async def display(settings: Annotated[Settings, provided("settings")]) -> Display:
    return Display(timezone=settings.timezone or _machine_zone_name())
