"""What a hostile web page in the person's browser could try: rebinding hosts and foreign origins."""

import pytest
from starlette.websockets import WebSocketDisconnect
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from tests.integration.conftest import isolated_settings
from tests.live_server import live_server


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "localhost.evil.example",
                                  "127.0.0.1.nip.io:8000", "0.0.0.0:8000"])
def test_a_foreign_or_rebinding_host_is_refused_on_every_route(client, host):
    for response in (client.get("/api/state", headers={"Host": host}),
                     client.post("/api/system/status", json={"progress": 9}, headers={"Host": host})):
        assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    assert client.get("/api/state").json()["system"]["progress"] == 0


@pytest.mark.parametrize("host", ["localhost:8000", "LOCALHOST", "127.0.0.1:8000", "[::1]:8000", "[::1]"])
def test_this_machines_names_are_allowed(client, host):
    assert client.get("/api/state", headers={"Host": host}).status_code == 200


def test_more_host_names_can_be_allowed(serve):
    with serve(isolated_settings(allowed_hosts=["testserver", "cos.lan"])) as (client, _):
        assert client.get("/health", headers={"Host": "cos.lan:8000"}).status_code == 200
        assert client.get("/health", headers={"Host": "other.lan"}).status_code == 403


@pytest.mark.parametrize("origin", ["http://evil.example", "null", "http://localhost:3001", "https://localhost:3000"])
def test_a_foreign_or_null_origin_cannot_change_anything(client, origin):
    for response in (client.post("/api/command", json={"command": "refresh"}, headers={"Origin": origin}),
                     client.post("/api/system/status", json={"progress": 9}, headers={"Origin": origin}),
                     client.put("/api/priorities", json=[{"title": "x"}], headers={"Origin": origin})):
        assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    assert client.get("/api/state").json()["meta"]["version"] == 0


@pytest.mark.parametrize("origin", ["http://localhost:3000", "http://127.0.0.1:3000", "http://localhost:8000", None])
def test_the_dashboards_own_origins_and_scripts_without_one_are_allowed(client, origin):
    headers = {"Origin": origin} if origin else {}
    assert client.post("/api/system/status", json={"progress": 4}, headers=headers).status_code == 200


@pytest.mark.parametrize("origin", ["http://evil.example", "null"])
def test_a_websocket_from_a_foreign_page_is_refused_before_accept(client, origin):
    with pytest.raises(WebSocketDisconnect) as refused:
        with client.websocket_connect("/ws", headers={"Origin": origin}):
            pass
    assert refused.value.code == 1008
    assert client.get("/health").json()["websocket_clients"] == 0


async def test_a_real_browser_handshake_from_a_foreign_origin_gets_403():
    with live_server() as server:
        with pytest.raises(InvalidStatus) as refused:
            async with connect(server.ws_url, origin="http://evil.example"):
                pass
        assert refused.value.response.status_code == 403
        async with connect(server.ws_url, origin="http://localhost:3000") as ws:
            assert await ws.recv()


TOKEN = "s3cret-token-for-tests"


@pytest.fixture
def guarded(serve):
    with serve(isolated_settings(api_token=TOKEN)) as (client, _):
        yield client


@pytest.mark.parametrize("headers, query", [({}, ""), ({"Authorization": "Bearer wrong"}, ""),
                                            ({}, "?token=wrong"), ({"Authorization": TOKEN}, "")])
def test_without_the_right_token_every_route_but_health_is_401(guarded, headers, query):
    for response in (guarded.get("/api/state" + query, headers=headers),
                     guarded.post("/api/command" + query, json={"command": "refresh"}, headers=headers)):
        assert response.status_code == 401 and response.json()["error"]["code"] == "unauthorized"
    assert guarded.get("/health").status_code == 200


def test_the_token_works_as_a_bearer_header_or_in_the_url(guarded):
    assert guarded.get("/api/state", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    assert guarded.get(f"/api/state?token={TOKEN}").status_code == 200
    preflight = guarded.options("/api/command", headers={"Origin": "http://localhost:3000",
                                                         "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 200


def test_a_websocket_needs_the_token_too(guarded):
    with pytest.raises(WebSocketDisconnect) as refused:
        with guarded.websocket_connect("/ws"):
            pass
    assert refused.value.code == 1008
    with guarded.websocket_connect(f"/ws?token={TOKEN}") as ws:
        assert ws.receive_json()["meta"]["version"] == 0


async def test_a_token_in_the_url_never_shows_in_the_access_log():
    with live_server({"AICOS_API_TOKEN": TOKEN}, args=("--log-level", "info")) as server:
        import httpx2 as httpx

        assert httpx.get(f"{server.url}/api/state?token={TOKEN}").status_code == 200
        assert httpx.get(f"{server.url}/api/state?token=wrong-one").status_code == 401
    log = server.log()
    assert "/api/state?token=***" in log and TOKEN not in log and "wrong-one" not in log


def test_commands_beyond_the_rate_limit_get_429_and_other_routes_still_answer(serve):
    with serve(isolated_settings(command_rate=1, command_burst=3)) as (client, _):
        codes = [client.post("/api/command", json={"command": "status"}).status_code for _ in range(5)]
        assert codes == [200, 200, 200, 429, 429]
        limited = client.post("/api/command", json={"command": "status"})
        assert limited.json()["error"]["code"] == "rate_limited" and limited.headers["retry-after"] == "1"
        assert client.get("/api/state").status_code == 200


def test_connections_beyond_the_cap_are_refused_with_1013_while_rest_answers(serve):
    with serve(isolated_settings(max_connections=2)) as (client, _):
        with client.websocket_connect("/ws") as one, client.websocket_connect("/ws") as two:
            one.receive_json(), two.receive_json()
            with pytest.raises(WebSocketDisconnect) as refused:
                with client.websocket_connect("/ws") as third:
                    third.receive_json()
            assert refused.value.code == 1013
            assert client.get("/api/state").status_code == 200
        with client.websocket_connect("/ws") as again:  # room again once the others left
            assert again.receive_json()["meta"]


def _commands_passed(server, forwarded_for) -> int:
    import httpx2 as httpx

    with httpx.Client(base_url=server.url) as http:
        codes = [http.post("/api/command", json={"command": "status"},
                           headers={"X-Forwarded-For": forwarded_for(n)}).status_code for n in range(30)]
    return codes.count(200)


def test_a_rotating_x_forwarded_for_does_not_escape_the_command_rate_limit():
    limits = {"AICOS_COMMAND_RATE": "1", "AICOS_COMMAND_BURST": "5"}
    with live_server(limits) as server:
        # Each request claims another client; without a trusted proxy, the header is not believed.
        assert _commands_passed(server, lambda n: f"10.0.{n // 250}.{n % 250 + 1}") <= 6
    with live_server({**limits, "AICOS_TRUSTED_PROXIES": "127.0.0.1"}) as server:
        # Behind a proxy on this machine that is configured as trusted, its header names the client.
        assert _commands_passed(server, lambda n: f"10.0.{n // 250}.{n % 250 + 1}") == 30
        assert _commands_passed(server, lambda n: "10.9.9.9") <= 6


# What a browser sends for <img src=".../api/trigger_collection?type=full"> on another site.
CROSS_SITE_IMAGE = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors", "Sec-Fetch-Dest": "image",
                    "Referer": "http://evil.example/page.html"}


@pytest.mark.parametrize("headers", [
    CROSS_SITE_IMAGE,
    {**CROSS_SITE_IMAGE, "Referer": None},  # a page with Referrer-Policy: no-referrer
    {"Referer": "http://evil.example/"},  # a browser that sends no Sec-Fetch-* headers
    {"Sec-Fetch-Site": "same-site", "Referer": "http://localhost:3001/"},  # another port of this machine
    {"Origin": "http://evil.example"},
])
def test_a_cross_site_page_cannot_start_a_collection_with_a_get(headers):
    import httpx2 as httpx

    with live_server() as server:
        sent = {name: value for name, value in headers.items() if value is not None}
        refused = httpx.get(f"{server.url}/api/trigger_collection?type=full", headers=sent)
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
        state = httpx.get(f"{server.url}/api/state").json()
        assert state["meta"]["version"] == 0 and state["system"]["last_sync"] is None


@pytest.mark.parametrize("headers", [
    {},  # a script
    {"Sec-Fetch-Site": "none"},  # typed into the address bar
    {"Sec-Fetch-Site": "same-origin", "Referer": "http://127.0.0.1:{port}/"},
    {"Sec-Fetch-Site": "same-site", "Origin": "http://localhost:3000", "Referer": "http://localhost:3000/"},
])
def test_a_get_from_this_service_its_dashboard_or_a_script_still_starts_a_collection(headers):
    import httpx2 as httpx

    with live_server() as server:
        sent = {name: value.format(port=server.port) for name, value in headers.items()}
        started = httpx.get(f"{server.url}/api/trigger_collection?type=quick", headers=sent)
        assert started.status_code == 200, started.text


@pytest.mark.parametrize("url", ["/api/state;token={token}", "/api/state?TOKEN={token}", "/api/state?Token={token}&x=1",
                                 "/api/state?a=1;token={token}"])
def test_a_token_in_any_form_never_shows_in_the_access_log(url):
    import httpx2 as httpx

    with live_server({"AICOS_API_TOKEN": TOKEN}, args=("--log-level", "info")) as server:
        httpx.get(server.url + url.format(token=TOKEN))
        httpx.get(server.url + url.format(token="wrong-one"))
        assert httpx.get(f"{server.url}/health").status_code == 200
    log = server.log()
    assert "/health" in log  # the access log is on
    assert TOKEN not in log and "wrong-one" not in log
