"""Behaviour that only a real server shows: TCP back-pressure, frame limits, signals."""

import asyncio
import json
import signal

import httpx2 as httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from tests.live_server import STALLED_CLOSE_TIMEOUT_S, live_server
from tests.waiting import wait_until

# A calendar that makes each state frame about 100 KB, so a client that does not read fills the
# socket buffers after a few dozen changes.
BIG_CALENDAR = [{"title": f"Meeting {n} " + "x" * 300, "date": "2026-11-26", "time": "10:00"} for n in range(300)]


async def _post_many(base: str, count: int) -> list[int]:
    async with httpx.AsyncClient(base_url=base) as http:
        codes = []
        for n in range(count):
            codes.append((await http.post("/api/system/status", json={"progress": n % 101})).status_code)
        return codes


async def _latest_version(ws, wanted: int) -> int:
    version = -1
    while version < wanted:
        version = json.loads(await asyncio.wait_for(ws.recv(), 10))["meta"]["version"]
    return version


async def test_posts_never_wait_on_a_client_that_reads_nothing():
    with live_server({"AICOS_WS_STALL_TIMEOUT_S": "60"}) as server:
        httpx.put(server.url + "/api/calendar", json=BIG_CALENDAR).raise_for_status()
        async with connect(server.ws_url, max_queue=1, max_size=None, close_timeout=STALLED_CLOSE_TIMEOUT_S) as stalled, \
                connect(server.ws_url, max_size=None) as healthy:
            await healthy.recv()
            codes = await asyncio.wait_for(_post_many(server.url, 300), 30)
            assert codes == [200] * 300
            final = httpx.get(server.url + "/api/state").json()["meta"]["version"]
            assert await _latest_version(healthy, final) == final
            # the stalled client is still connected: the posts went through without waiting on it
            assert httpx.get(server.url + "/health").json()["websocket_clients"] == 2
            del stalled


async def test_a_client_that_takes_nothing_is_closed_with_4008():
    with live_server({"AICOS_WS_STALL_TIMEOUT_S": "1"}) as server:
        httpx.put(server.url + "/api/calendar", json=BIG_CALENDAR).raise_for_status()
        async with connect(server.ws_url, max_queue=1, max_size=None) as stalled:
            await _post_many(server.url, 200)
            await wait_until(lambda: httpx.get(server.url + "/health").json()["websocket_clients"] == 0,
                             "the stalled client is closed", timeout=10)
            with pytest.raises(ConnectionClosed) as closed:
                while True:
                    await asyncio.wait_for(stalled.recv(), 10)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4008


@pytest.mark.parametrize("query", ["", "?protocol=2"])
async def test_a_frame_over_64_kib_closes_with_1009_and_others_keep_being_served(query):
    with live_server() as server:
        async with connect(server.ws_url) as other, connect(server.ws_url + query) as sender:
            await other.recv(), await sender.recv()
            await sender.send("x" * (65 * 1024))
            with pytest.raises(ConnectionClosed) as closed:
                await asyncio.wait_for(sender.recv(), 5)
            assert closed.value.rcvd.code == 1009
            httpx.post(server.url + "/api/system/status", json={"progress": 3})
            assert json.loads(await asyncio.wait_for(other.recv(), 5))["system"]["progress"] == 3


async def test_sigterm_closes_clients_cleanly_and_stops():
    with live_server() as server:
        async with connect(server.ws_url) as ws:
            await ws.recv()
            server.process.send_signal(signal.SIGTERM)
            with pytest.raises(ConnectionClosed) as closed:
                await asyncio.wait_for(ws.recv(), 10)
        assert closed.value.rcvd is not None and closed.value.rcvd.code in (1001, 1012)
        # uvicorn finishes its graceful shutdown, then re-raises the signal it caught
        assert server.process.wait(10) in (0, -signal.SIGTERM)
        assert "Traceback" not in server.log()
