"""`aicos collect`: a collection with a progress bar, through the data folder's server or in this process."""

from __future__ import annotations

import argparse
import sys

from src.cli_state import TOKEN_FILE, keep_the_data_private, own_the_state
from src.ownership import StateFileBusy, running_server

RUNNING = ("COLLECTING", "PROCESSING")


def collect(args: argparse.Namespace) -> int:
    """A collection with a progress bar: through the server that owns the data folder when one runs
    (its clients see it live), otherwise in this process, holding the state file meanwhile."""
    from src.config import Settings

    settings = Settings(**({"port": args.port} if args.port else {}))
    mode = "full" if args.full else "quick"
    server = running_server(settings.data_dir)
    if server and (not args.port or args.port == server.port):
        # The data folder's own server: the one process that may be sent this folder's token.
        if not _is_this_service(server.base_url()):
            print(f"aicos: {server.describe()} does not answer as AICoS on {server.base_url()}; "
                  "is it still starting?", file=sys.stderr)
            return 1
        token = settings.api_token or _token_from_file(settings)
        return _collect_over_http(server.base_url(), mode, token)
    base = f"http://127.0.0.1:{settings.port}"
    if _is_this_service(base):
        # An AICoS server, but not the one recorded in this data folder: no token goes to it.
        return _collect_over_http(base, mode, None)
    import asyncio

    if "state_backend" not in settings.model_fields_set:
        settings = settings.model_copy(update={"state_backend": "sqlite"})
    keep_the_data_private(settings)
    try:
        lock = own_the_state(settings, "aicos collect")
    except StateFileBusy as busy:
        print(f"aicos: cannot collect: {busy}", file=sys.stderr)
        return 1
    try:
        return asyncio.run(_collect_in_process(settings, mode))
    finally:
        if lock:
            lock.release()


def _token_from_file(settings) -> str | None:
    path = settings.data_dir / TOKEN_FILE
    return (path.read_text().strip() or None) if path.exists() else None


def _is_this_service(base: str) -> bool:
    """Whether what answers `/health` at `base` is an AICoS server (its JSON, not just anything)."""
    import json
    import urllib.request

    try:
        with urllib.request.urlopen(base + "/health", timeout=1) as response:
            body = json.loads(response.read())
    except (OSError, ValueError):
        return False
    return isinstance(body, dict) and body.get("status") in ("healthy", "degraded") and "version" in body


def _progress_bar(read_system) -> int:
    """Shows `read_system()` (the state's `system`) until the collection ends; 0 if it ended IDLE."""
    import time

    from rich.progress import BarColumn, Progress, TextColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%")) as bar:
        task = bar.add_task("collecting", total=100)
        system = read_system()
        while system["status"] in RUNNING:
            bar.update(task, completed=system["progress"], description=(system["message"] or "collecting")[:60])
            time.sleep(0.1)
            system = read_system()
        bar.update(task, completed=100 if system["status"] == "IDLE" else system["progress"])
    print(f"{system['status']}: {system['message'] or ''}")
    return 0 if system["status"] == "IDLE" else 1


def _collect_over_http(base: str, mode: str, token: str | None) -> int:
    import json
    import urllib.error
    import urllib.request

    headers = {"Authorization": f"Bearer {token}"} if token else {}

    def call(method: str, path: str) -> dict:
        request = urllib.request.Request(base + path, method=method, headers=headers)
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    try:
        call("POST", f"/api/trigger_collection?type={mode}")
        print(f"collecting through the server at {base}")
        return _progress_bar(lambda: call("GET", "/api/system/status"))
    except urllib.error.HTTPError as error:
        print(f"aicos: the server at {base} refused: {_error_message(error)}", file=sys.stderr)
    except (OSError, ValueError, KeyError, TypeError) as error:
        print(f"aicos: the server at {base} gave no usable answer: {error}", file=sys.stderr)
    return 1


def _error_message(error) -> str:
    """The contract's error message from an HTTP error, or its status when the body is something else."""
    import json

    try:
        return str(json.loads(error.read())["error"]["message"])
    except (OSError, ValueError, KeyError, TypeError):
        return f"HTTP {error.code}"


async def _collect_in_process(settings, mode: str) -> int:
    import asyncio

    from src.bootstrap import create_container

    # A one-off collection posts nothing to Slack: the brief and prep are the server's to send.
    container = create_container(settings.model_copy(update={"brief_time": None, "prep_minutes": None}))
    if (starting := container.init_resources()) is not None:  # an awaitable when a resource is async
        await starting
    try:
        await container.trigger_collection()(mode)
        loop = asyncio.get_running_loop()

        def read_system() -> dict:
            future = asyncio.run_coroutine_threadsafe(container.get_state()(), loop)
            return future.result().system.to_document()

        return await asyncio.to_thread(_progress_bar, read_system)
    finally:
        if (stopping := container.shutdown_resources()) is not None:
            await stopping
