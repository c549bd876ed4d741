"""A real server process (`aicos serve`, uvicorn on loopback) for tests and benchmarks."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

ROOT = Path(__file__).resolve().parent.parent
# What is put in each data folder that `live_server` makes, before the server starts: the test
# session sets it (tests/conftest.py) to copy in the reader's trained model; benchmarks leave it
# None, so their servers train as a person's first start does.
prepare_data_dir: Callable[[Path], None] | None = None
# How long a client that stopped reading (max_queue=1) waits for the server's answer to its close.
# It never sees that answer: its unread frames hold back the socket, so the close is always waited
# out, and websockets' 10 s default was ten seconds of each such test spent checking nothing.
STALLED_CLOSE_TIMEOUT_S = 0.5


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LiveServer:
    def __init__(self, port: int, process: subprocess.Popen, log_path: Path) -> None:
        self.port = port
        self.process = process
        self.log_path = log_path
        self.url = f"http://127.0.0.1:{port}"
        self.ws_url = f"ws://127.0.0.1:{port}/ws"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_ready(self, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}")
            try:
                with urllib.request.urlopen(self.url + "/health", timeout=1):
                    return
            except OSError:
                time.sleep(0.05)
        raise TimeoutError("server did not answer /health")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 10.0) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


@contextmanager
def live_server(env: dict[str, str] | None = None, args: tuple[str, ...] = (),
                module: str = "src.cli", command: list[str] | None = None,
                port: int | None = None, cwd: Path = ROOT) -> Iterator[LiveServer]:
    """`python -m MODULE serve --port N ...`, or `python -m MODULE COMMAND... --port N` (uvicorn).
    `port` (a free one when not given) lets a test start a server again where one was; `cwd`, a
    benchmark run the code of another checkout."""
    port = port or free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("AICOS_")}
    # A data folder of its own: the state and search files of a test never mix with the person's.
    environment["AICOS_DATA_DIR"] = tempfile.mkdtemp(prefix="aicos-live-")
    if prepare_data_dir is not None and "AICOS_DATA_DIR" not in (env or {}):
        prepare_data_dir(Path(environment["AICOS_DATA_DIR"]))  # a folder a test gives is left as it is
    environment.update(env or {})
    command = [sys.executable, "-m", module, *(command or ["serve"]), "--port", str(port),
               "--log-level", "warning", *args]
    log_path = Path(tempfile.mkstemp(prefix="aicos-server-", suffix=".log")[1])
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=cwd, env=environment, stdout=log, stderr=subprocess.STDOUT)
    server = LiveServer(port, process, log_path)
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()
