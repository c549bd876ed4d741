"""Routes of the dashboard: `/` (the page) and `/static/<file>` (its scripts and style), plus
`GET /api/display` (in `display.py`: the person's zone, part of the API and its token).

They hold no data (the page fetches everything with the token it was given), so `TokenGuard`
lets exactly these GET paths through: `PUBLIC_PATHS`. They are plain Starlette routes, kept out
of the OpenAPI document, so the API's fuzz tests never see them.
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from src.adapters.inbound.web.display import router as display_router

STATIC_DIR = Path(__file__).parent / "static"
MEDIA_TYPES = {".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml"}
ASSETS = {path.name: path for path in sorted(STATIC_DIR.iterdir())
          if path.suffix in MEDIA_TYPES and path.name != "index.html"}
PUBLIC_PATHS = frozenset({"/", *(f"/static/{name}" for name in ASSETS)})

# Defence in depth behind the rule that data only ever reaches the page as text: no inline script
# or style attribute runs, images only from here. `connect-src` stays open to any http(s)/ws(s)
# origin because the page can be told to use an API elsewhere (`?api=`).
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self' http: https: ws: wss:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
    "Referrer-Policy": "no-referrer",  # the first load may carry ?token= in its address
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-cache",  # revalidated (ETag) on each load, so an upgrade is seen at once
}


async def index(request: Request) -> Response:
    return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8", headers=PAGE_HEADERS)


def _asset_route(name: str, path: Path) -> Route:
    media_type = MEDIA_TYPES[path.suffix] + "; charset=utf-8"

    async def asset(request: Request) -> Response:
        return FileResponse(path, media_type=media_type, headers=PAGE_HEADERS)

    return Route(f"/static/{name}", asset, methods=["GET"], name=f"dashboard-{name}", include_in_schema=False)


routes = [
    Route("/", index, methods=["GET"], name="dashboard", include_in_schema=False),
    *(_asset_route(name, path) for name, path in ASSETS.items()),
    *display_router.routes,
]
