"""Runs the naive baseline with the same uvicorn settings as `aicos serve` (see src/cli.py)."""

import argparse

import uvicorn

from src.cli import WEBSOCKET_MAX_FRAME

parser = argparse.ArgumentParser()
parser.add_argument("command", choices=["serve"])
parser.add_argument("--port", type=int, default=8001)
parser.add_argument("--log-level", default="warning")
args = parser.parse_args()
uvicorn.run("bench.naive_app:app", host="127.0.0.1", port=args.port, log_level=args.log_level,
            ws_max_size=WEBSOCKET_MAX_FRAME, ws_per_message_deflate=False,
            timeout_keep_alive=30, timeout_graceful_shutdown=5)
