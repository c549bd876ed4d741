"""The dashboard's page and files, served by the app: open without the token (they hold no data),
while everything else still needs it. The page itself is tested in a browser in tests/e2e."""

import re

import tzlocal

from src.adapters.inbound.web.routes import PUBLIC_PATHS
from tests.integration.conftest import isolated_settings

TOKEN = "s3cret-token"


def test_the_page_and_its_files_are_served_without_the_token_but_the_api_is_not(serve):
    with serve(isolated_settings(api_token=TOKEN)) as (client, _):
        page = client.get("/")
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert '<script type="module" src="static/app.js">' in page.text
        assert "script-src 'self'" in page.headers["content-security-policy"]
        for path in PUBLIC_PATHS:
            assert client.get(path).status_code == 200, path
        assert client.get("/static/app.js").headers["content-type"].startswith("text/javascript")

        assert client.get("/api/state").status_code == 401
        assert client.get("/api/state", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
        # Only those GETs: other files, other methods on the same paths still want the token.
        assert client.get("/static/missing.js").status_code == 401
        assert client.post("/", json={}).status_code == 401


def test_without_a_token_unknown_files_and_methods_get_the_error_envelope(client):
    missing = client.get("/static/missing.js")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    wrong = client.post("/")
    assert wrong.status_code == 405 and wrong.json()["error"]["code"] == "method_not_allowed"


def test_the_dashboard_is_not_part_of_the_api_document(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert "/" not in paths and not any(path.startswith("/static") for path in paths)


def test_the_api_documentation_loads_its_files_from_the_service(client):
    for page in ("/docs", "/redoc"):
        html = client.get(page).text
        scripts = re.findall(r'<script src="([^"]+)"', html)
        assert scripts and all(src.startswith("/static-offline-docs/") for src in scripts), (page, scripts)
        for src in scripts:
            assert client.get(src).status_code == 200, src
    missing = client.get("/static-offline-docs/missing.js")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_the_page_learns_the_persons_zone_with_the_token(serve):
    with serve(isolated_settings(api_token=TOKEN, timezone="Asia/Tokyo")) as (client, _):
        assert client.get("/api/display").status_code == 401
        answer = client.get("/api/display", headers={"Authorization": f"Bearer {TOKEN}"})
        assert answer.status_code == 200 and answer.json() == {"timezone": "Asia/Tokyo"}


def test_without_aicos_timezone_the_page_is_given_the_machines_zone(client):
    assert client.get("/api/display").json() == {"timezone": tzlocal.get_localzone_name()}
