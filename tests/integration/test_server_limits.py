"""What reaches `aicos serve` before any route or check runs: idle and slow connections, huge
request heads, more sockets than file descriptors, requests uvicorn itself refuses (issue #12,
items 9 and 18). Against a real server, over raw sockets."""

import asyncio
import json
import socket
import time

import httpx2 as httpx
import psutil
import pytest
from websockets.asyncio.client import connect

from src.adapters.inbound.http.server_protocol import HEAD_TIMEOUT_S, MAX_HEAD_BYTES, MAX_HEADERS
from tests.live_server import live_server

TOKEN = "a-token-for-limit-tests"
MARGIN_S = 5.0  # for a busy test machine


def _exchange(port: int, request: bytes, *, chunk: bytes = b"", chunks: int = 0) -> tuple[int, dict, bytes]:
    """Sends `request` then `chunks` times `chunk` (stopping when the server closes), and reads the
    answer to its end: (status, headers, body)."""
    with socket.create_connection(("127.0.0.1", port), timeout=HEAD_TIMEOUT_S + MARGIN_S) as sock:
        try:
            sock.sendall(request)
            for _ in range(chunks):
                sock.sendall(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed while we were still sending: what is read below
        answer = b""
        try:
            while piece := sock.recv(65536):
                answer += piece
        except ConnectionResetError:
            pass
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.lower().split(": ", 1) for line in lines[1:] if ": " in line)
    return int(lines[0].split()[1]), headers, body


def _assert_envelope(status: int, headers: dict, body: bytes, expected: int, code: str) -> None:
    assert status == expected, body
    assert headers["content-type"].startswith("application/json")
    assert json.loads(body)["error"]["code"] == code


async def _closed_by_server(reader: asyncio.StreamReader) -> bool:
    return await reader.read(1) == b""


async def test_idle_and_slow_connections_are_closed_once_the_head_timeout_passes():
    with live_server() as server:
        idle = [await asyncio.open_connection("127.0.0.1", server.port) for _ in range(300)]
        slow_reader, slow_writer = await asyncio.open_connection("127.0.0.1", server.port)
        # A keep-alive client whose first request is answered, then whose second head never ends.
        kept_reader, kept_writer = await asyncio.open_connection("127.0.0.1", server.port)
        kept_writer.write(b"GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
        head = (await kept_reader.readuntil(b"\r\n\r\n")).decode("latin-1").lower()
        assert head.startswith("http/1.1 200")
        await kept_reader.readexactly(int(head.split("content-length: ")[1].split("\r\n")[0]))
        started = time.monotonic()

        async def dribble(writer: asyncio.StreamWriter) -> None:  # a head that never ends: one byte a second
            writer.write(b"GET /api/state HTTP/1.1\r\nHost: localhost\r\n")
            while not writer.is_closing():
                writer.write(b"X")
                await asyncio.sleep(0.5)

        dribbling = [asyncio.create_task(dribble(writer)) for writer in (slow_writer, kept_writer)]
        results = await asyncio.wait_for(
            asyncio.gather(*(_closed_by_server(reader) for reader, _ in idle), _closed_by_server(slow_reader),
                           _closed_by_server(kept_reader)),
            HEAD_TIMEOUT_S + MARGIN_S)
        for task in dribbling:
            task.cancel()
        assert all(results) and time.monotonic() - started < HEAD_TIMEOUT_S + MARGIN_S
        for _, writer in idle:
            writer.close()
        assert httpx.get(server.url + "/health").status_code == 200


async def test_a_flood_of_idle_sockets_beyond_the_open_file_limit_does_not_lock_out_real_clients():
    with live_server({"AICOS_TEST_OPEN_FILES": "1024"}, module="tests.file_limited_server") as server:
        idle = []
        for _ in range(1050):
            idle.append(await asyncio.open_connection("127.0.0.1", server.port))
        async with httpx.AsyncClient(base_url=server.url, timeout=5) as http:
            assert (await http.get("/health")).status_code == 200
        async with connect(server.ws_url, open_timeout=5) as ws:
            assert json.loads(await asyncio.wait_for(ws.recv(), 5))["meta"]["version"] == 0
        for _, writer in idle:
            writer.close()


def test_100_mb_of_headers_are_refused_early_without_memory_growth():
    with live_server({"AICOS_API_TOKEN": TOKEN}) as server:
        process = psutil.Process(server.process.pid)
        before = process.memory_info().rss
        start = b"GET /api/state HTTP/1.1\r\nHost: localhost\r\n"
        header = b"X-Padding: " + b"a" * 1000 + b"\r\n"
        status, headers, body = _exchange(server.port, start, chunk=header * 100, chunks=1000)  # 100 MB
        _assert_envelope(status, headers, body, 431, "payload_too_large")
        assert process.memory_info().rss - before < 30 * 1024 * 1024
        assert httpx.get(server.url + "/health").status_code == 200


def test_too_many_headers_or_too_long_a_url_are_refused_in_the_envelope():
    with live_server() as server:
        many = b"".join(b"X-H%d: 1\r\n" % n for n in range(MAX_HEADERS + 1))
        _assert_envelope(*_exchange(server.port, b"GET /health HTTP/1.1\r\nHost: localhost\r\n" + many + b"\r\n"),
                         431, "payload_too_large")
        long_url = b"/api/search?q=" + b"a" * 100_000
        _assert_envelope(*_exchange(server.port, b"GET " + long_url + b" HTTP/1.1\r\nHost: localhost\r\n\r\n"),
                         414, "payload_too_large")
        fits = b"GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nX-Big: " + b"a" * (MAX_HEAD_BYTES // 2) + b"\r\n\r\n"
        assert _exchange(server.port, fits)[0] == 200


@pytest.mark.parametrize("request_bytes", [
    b"POST /api/command HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    b"GET /health HTTP/1.1\r\nHost: localhost\r\nBad Header\r\n\r\n",
    b"NOT-HTTP\r\n\r\n",
])
def test_requests_uvicorn_itself_refuses_are_answered_in_the_envelope(request_bytes):
    with live_server() as server:
        _assert_envelope(*_exchange(server.port, request_bytes), 400, "validation_error")
