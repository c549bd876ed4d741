"""Issue #12 on the WebSocket side, against a real `aicos serve`: clients that send and never read,
the connection cap, answers that are never dropped, and the command limit on every way in.
Memory is the server process's RSS (psutil); times have budgets."""

import asyncio
import json
import signal
import time

import httpx2 as httpx
import psutil
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from tests.integration.test_slack_bot import SECRET, ResponseUrl, signed, slash_command
from tests.live_server import STALLED_CLOSE_TIMEOUT_S, live_server


def rss_mib(server) -> float:
    return psutil.Process(server.process.pid).memory_info().rss / 2**20


async def websocket_clients(server) -> int:
    async with httpx.AsyncClient(base_url=server.url, timeout=2) as http:  # /health within 2 s, or fail
        return (await http.get("/health")).json()["websocket_clients"]


async def eventually(condition, timeout: float):
    async with asyncio.timeout(timeout):
        while not await condition():
            await asyncio.sleep(0.05)


async def flood_without_reading(server, make_frame, seconds: float) -> tuple[float, object]:
    """A v2 client that sends `make_frame(n)` for `seconds` and reads nothing (its receive queue
    holds one frame, so the kernel buffers fill); the server's peak RSS growth while it does."""
    before = peak = rss_mib(server)
    ws = await connect(server.ws_url + "?protocol=2", max_queue=1, max_size=None,
                       close_timeout=STALLED_CLOSE_TIMEOUT_S)
    deadline = time.monotonic() + seconds
    n = 0
    while time.monotonic() < deadline:
        try:
            async with asyncio.timeout(max(deadline - time.monotonic(), 0.01)):
                await ws.send(make_frame(n))
        except (TimeoutError, ConnectionClosed):
            break  # the server stopped reading it: its sends back up, as they should
        n += 1
        if n % 50 == 0:
            peak = max(peak, rss_mib(server))
    return max(peak, rss_mib(server)) - before, ws


async def close_code_after_reading(ws) -> int | None:
    """The client starts reading again: what it was sent, then how the server closed it."""
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            await asyncio.wait_for(ws.recv(), 10)
    return closed.value.rcvd.code if closed.value.rcvd else None


def stops_on_sigterm_within(server, seconds: float) -> bool:
    server.process.send_signal(signal.SIGTERM)
    try:
        server.process.wait(seconds)
    except Exception:
        return False
    return True


async def test_a_v2_client_that_pings_and_never_reads_is_closed_with_4008_and_the_server_stays_small():
    # Stall timeout far away: what closes it is its capped outbox, at once.
    with live_server({"AICOS_WS_STALL_TIMEOUT_S": "120"}) as server:
        growth, ws = await flood_without_reading(
            server, lambda n: json.dumps({"type": "ping", "id": f"{n}" + "x" * 60_000}), seconds=6)
        assert growth < 100, f"RSS grew {growth:.0f} MiB"
        await eventually(lambda: _no_clients(server), timeout=5)
        assert await close_code_after_reading(ws) == 4008
        assert stops_on_sigterm_within(server, 10)


async def test_resuming_a_forged_epoch_on_a_2_mb_board_without_reading_keeps_the_server_small_and_stoppable():
    big_board = [{"title": f"Priority {n} " + "x" * 1900} for n in range(1000)]
    with live_server({"AICOS_WS_STALL_TIMEOUT_S": "120", "AICOS_MAX_BODY_BYTES": "4000000"}) as server:
        httpx.put(server.url + "/api/priorities", json=big_board, timeout=30).raise_for_status()
        growth, ws = await flood_without_reading(
            server, lambda n: json.dumps({"type": "resume", "epoch": f"forged-{n}", "version": 1}), seconds=6)
        assert growth < 150, f"RSS grew {growth:.0f} MiB"
        await eventually(lambda: _no_clients(server), timeout=5)
        await ws.close()
        assert stops_on_sigterm_within(server, 10)


async def _no_clients(server) -> bool:
    return await websocket_clients(server) == 0


async def _v2_outcome(server) -> str:
    """'snapshot' when the server served this v2 client, else how it closed it."""
    async with connect(server.ws_url + "?protocol=2") as ws:
        try:
            while True:
                frame = json.loads(await asyncio.wait_for(ws.recv(), 10))
                if frame["type"] == "snapshot":
                    await asyncio.sleep(1.0)  # stay connected while the others try
                    return "snapshot"
        except ConnectionClosed as closed:
            return f"closed {closed.rcvd.code if closed.rcvd else None}"


async def test_the_connection_cap_counts_v2_clients_from_the_moment_they_are_accepted():
    with live_server({"AICOS_MAX_CONNECTIONS": "5"}) as server:
        outcomes = await asyncio.gather(*(_v2_outcome(server) for _ in range(30)))
    assert outcomes.count("snapshot") == 5
    assert outcomes.count("closed 1013") == 25


async def test_every_answer_to_a_clients_own_commands_arrives_even_far_behind():
    env = {"AICOS_COMMAND_RATE": "100000", "AICOS_COMMAND_BURST": "100000"}
    with live_server(env) as server:
        async with connect(server.ws_url + "?protocol=2", max_size=None) as ws:
            await ws.send(json.dumps({"type": "ping", "id": "start"}))  # skip the wait for a resume
            for n in range(1000):
                await ws.send(json.dumps({"type": "command", "id": n, "command": "refresh"}))
            results = []
            async with asyncio.timeout(60):
                while len(results) < 1000:
                    frame = json.loads(await ws.recv())
                    if frame["type"] == "result":
                        results.append(frame)
    assert [r["id"] for r in results] == list(range(1000))
    assert all(r["applied"] for r in results)


async def test_v2_commands_share_the_per_client_command_limit_with_post_api_command():
    with live_server({"AICOS_COMMAND_RATE": "0.001", "AICOS_COMMAND_BURST": "3"}) as server:
        async with connect(server.ws_url + "?protocol=2") as ws:
            for n in range(10):
                await ws.send(json.dumps({"type": "command", "id": n, "command": "status"}))
            results = []
            async with asyncio.timeout(10):
                while len(results) < 10:
                    frame = json.loads(await ws.recv())
                    if frame["type"] == "result":
                        results.append(frame)
        limited = [r for r in results if "error" in r]
        assert len(limited) == 7 and {r["error"]["code"] for r in limited} == {"rate_limited"}
        assert [r["id"] for r in results if "error" not in r] == [0, 1, 2]
        # the same client's bucket is empty for REST too
        assert httpx.post(server.url + "/api/command", json={"command": "status"}).status_code == 429


def test_slack_cos_commands_are_limited_per_slack_user():
    env = {"AICOS_SLACK_SIGNING_SECRET": SECRET, "AICOS_COMMAND_RATE": "0.001", "AICOS_COMMAND_BURST": "2"}
    answers = ResponseUrl()
    try:
        with live_server(env) as server:
            def cos(user: str) -> dict:
                body = slash_command("status", answers.url("hook")).replace(b"U2147483697", user.encode())
                assert httpx.post(server.url + "/slack/events", content=body, headers=signed(body)).status_code == 200
                return answers.next(timeout=30)[1]

            dana = [cos("U0DANA") for _ in range(4)]
            lee = cos("U0LEE")
    finally:
        answers.close()
    assert ["Too many commands" in m["text"] for m in dana] == [False, False, True, True]
    assert "Too many commands" not in lee["text"]
