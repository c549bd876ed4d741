"""`aicos`: the command line of the service."""

from __future__ import annotations

import argparse
import sys

from src import __version__
from src.ownership import Owner, StateFileBusy, StateLock, forget_server, record_server, running_server

WEBSOCKET_MAX_FRAME = 64 * 1024
TOKEN_FILE = "api-token"
DEMO_FOLDER = "demo"  # in the data folder


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from src.bootstrap import create_app
    from src.config import Settings

    overrides = {k: v for k, v in {"host": args.host, "port": args.port}.items() if v is not None}
    if args.demo:
        overrides["demo"] = True
    if args.state_backend:
        overrides["state_backend"] = args.state_backend
    settings = Settings(**overrides)
    _keep_the_data_private(settings)
    settings = _with_demo_sources(settings)
    if "state_backend" not in settings.model_fields_set:
        # The service keeps what the person approved across restarts unless told otherwise;
        # create_app() alone (tests, embedding) defaults to memory.
        settings = settings.model_copy(update={"state_backend": "sqlite"})
    token_file = settings.data_dir / TOKEN_FILE
    if not settings.api_token and token_file.exists():
        token = token_file.read_text().strip()
        if not token:  # serving without one while saying one is required would be worse than stopping
            print(f"aicos: cannot start: {token_file} is empty; `aicos token` writes a new one, "
                  "or delete the file to serve without a token", file=sys.stderr)
            return 2
        settings = settings.model_copy(update={"api_token": token})
        print(f"a token is required (from {token_file}); browsers: add ?token=... to the URL")
    problem = _cannot_start(settings)
    if problem:
        print(f"aicos: cannot start: {problem}", file=sys.stderr)
        return 2
    try:
        state_lock = _own_the_state(settings, "aicos serve")
    except StateFileBusy as busy:
        print(f"aicos: cannot start: {busy}", file=sys.stderr)
        return 2
    app = _recorded_while_serving(create_app(settings), settings, state_lock)
    base = f"http://{'localhost' if settings.host in ('127.0.0.1', 'localhost') else settings.host}:{settings.port}"
    print(f"AICoS {__version__} on {base}")
    print(f"  dashboard  {base}/")
    print(f"  state      {base}/api/state")
    print(f"  live (ws)  {base.replace('http', 'ws', 1)}/ws")
    print(f"  API docs   {base}/docs")
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level=args.log_level,
        ws_max_size=WEBSOCKET_MAX_FRAME,
        ws_per_message_deflate=False,
        timeout_keep_alive=30,
        timeout_graceful_shutdown=5,
    )
    return 0


def _with_demo_sources(settings):
    """In demo mode with no source configured, the demo dataset (written for today when missing)
    becomes the sources, so the first collection fills the board and the index. With a source of
    the person's own, demo mode is off: no demo item belongs on their real board."""
    if not settings.demo:
        return settings
    if settings.configured_sources():
        print(f"--demo is ignored: {', '.join(settings.configured_sources())} configured; "
              "the board shows only what your sources give")
        return settings.model_copy(update={"demo": False})
    from src.demo import ensure_demo_dataset

    dataset = ensure_demo_dataset(settings.data_dir / DEMO_FOLDER)
    print(f"demo data: {dataset.messages} Slack messages and today's meetings in {dataset.root}")
    return settings.model_copy(update={"slack_export": [str(dataset.slack_export)],
                                       "calendar_ics": [str(dataset.calendar)]})


def _demo(args: argparse.Namespace) -> int:
    from src.config import Settings
    from src.demo import write_demo_dataset

    settings = Settings()
    _keep_the_data_private(settings)
    dataset = write_demo_dataset(settings.data_dir / DEMO_FOLDER)
    print(f"Demo data for {dataset.written_for}: a Slack export with {dataset.messages} messages and a calendar")
    print(f"  AICOS_SLACK_EXPORT={dataset.slack_export}")
    print(f"  AICOS_CALENDAR_ICS={dataset.calendar}")
    print("`aicos serve --demo` (or `make run`) uses it when no source is configured, and collects it at start.")
    return 0


def _cannot_start(settings) -> str | None:
    """What would stop the service at start-up, said in one line instead of a traceback."""
    if settings.host not in ("127.0.0.1", "localhost", "::1") and not settings.api_token:
        return (f"listening on {settings.host} makes the service reachable from other machines; "
                "set AICOS_API_TOKEN first (`aicos token` makes one)")
    from src.bootstrap import imported_collector
    from src.search.database import SearchDatabase, SearchDatabaseError

    for path in settings.collectors:
        try:
            imported_collector(path)
        except ValueError as error:
            return str(error)

    path = settings.search_db_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        SearchDatabase(path).close()
    except (OSError, SearchDatabaseError) as error:
        return f"search database {path}: {error}"
    return None


def _token(args: argparse.Namespace) -> int:
    import os
    import secrets

    from src.config import Settings

    settings = Settings()
    _keep_the_data_private(settings)
    path = settings.data_dir / TOKEN_FILE
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(secrets.token_urlsafe(32) + "\n")
    os.chmod(path, 0o600)
    server = running_server(settings.data_dir)
    base = server.base_url().replace("127.0.0.1", "localhost") if server else _local_base(settings)
    print(f"A new token is in {path} (readable by you only).")
    if server:
        # The running server read its token at start; it keeps the old one (or none) until restarted.
        print(f"  The server running now, {server.describe()}, requires it once restarted "
              "(stop it and run `aicos serve` again); until then it keeps what it started with.")
    else:
        print("  `aicos serve` requires it from its next start.")
    print("  scripts and bots: Authorization: Bearer $(cat " + str(path) + ")")
    print(f"  the dashboard:    open {base}/?token=<the token> once; it keeps it")
    print("Delete the file to serve without a token again (on 127.0.0.1 only).")
    return 0


def _local_base(settings) -> str:
    host = "localhost" if settings.host in ("127.0.0.1", "localhost", "0.0.0.0") else settings.host
    return f"http://{host}:{settings.port}"


RUNNING = ("COLLECTING", "PROCESSING")


def _collect(args: argparse.Namespace) -> int:
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
    _keep_the_data_private(settings)
    try:
        lock = _own_the_state(settings, "aicos collect")
    except StateFileBusy as busy:
        print(f"aicos: cannot collect: {busy}", file=sys.stderr)
        return 1
    try:
        return asyncio.run(_collect_in_process(settings, mode))
    finally:
        if lock:
            lock.release()


def _keep_the_data_private(settings) -> None:
    """Folder 0700, files 0600 from now on; what an earlier run left readable to others is closed, and said."""
    from src.data_files import make_data_private

    for change in make_data_private(settings.data_dir, settings.search_db_path()):
        print(f"aicos: made private: {change}", file=sys.stderr)


def _own_the_state(settings, command: str) -> StateLock | None:
    """With the SQLite backend, takes the data folder's state (until released, or the process ends),
    or raises StateFileBusy naming its owner. Other backends share their state and take nothing."""
    if settings.state_backend != "sqlite":
        return None
    lock = StateLock(settings.data_dir)
    lock.acquire(Owner.this_process(command, settings.host, settings.port if command == "aicos serve" else None))
    return lock


def _recorded_while_serving(app, settings, state_lock: StateLock | None):
    """`server.json` in the data folder says where this server listens, from its start to its stop
    (written by the app's lifespan: uvicorn ends the process by re-raising SIGTERM, past any atexit);
    the state's lock is let go once the app has closed the state."""
    from contextlib import asynccontextmanager

    serving = app.router.lifespan_context
    me = Owner.this_process("aicos serve", settings.host, settings.port)

    @asynccontextmanager
    async def recorded(app):
        async with serving(app) as state:
            record_server(settings.data_dir, me)
            try:
                yield state
            finally:
                forget_server(settings.data_dir, me.pid)
        if state_lock:
            state_lock.release()

    app.router.lifespan_context = recorded
    return app


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

    container = create_container(settings)
    await container.init_resources()
    try:
        await container.trigger_collection()(mode)
        loop = asyncio.get_running_loop()

        def read_system() -> dict:
            future = asyncio.run_coroutine_threadsafe(container.get_state()(), loop)
            return future.result().system.to_document()

        return await asyncio.to_thread(_progress_bar, read_system)
    finally:
        await container.shutdown_resources()


def _slack(args: argparse.Namespace) -> int:
    """The Slack bot in Socket Mode, over this process's use cases on the state `aicos serve` uses."""
    from src.config import Settings

    settings = Settings()
    missing = [name for name, value in (("AICOS_SLACK_APP_TOKEN", settings.slack_app_token),
                                        ("AICOS_SLACK_BOT_TOKEN", settings.slack_bot_token)) if not value]
    if missing:
        print(f"aicos: cannot start the Slack bot: set {' and '.join(missing)} for Socket Mode "
              "(or serve /slack/events with AICOS_SLACK_SIGNING_SECRET); see the README, The Slack bot",
              file=sys.stderr)
        return 2
    if "state_backend" not in settings.model_fields_set:
        settings = settings.model_copy(update={"state_backend": "sqlite"})  # as `aicos serve` would
    _keep_the_data_private(settings)
    try:
        lock = _own_the_state(settings, "aicos slack")
    except StateFileBusy as busy:
        print(f"aicos: cannot start the Slack bot: {busy}; give the server AICOS_SLACK_SIGNING_SECRET "
              "(HTTP mode) or run both with AICOS_STATE_BACKEND=redis", file=sys.stderr)
        return 2
    try:
        return _run_the_slack_bot(settings)
    finally:
        if lock:
            lock.release()


def _run_the_slack_bot(settings) -> int:
    problem = _cannot_start(settings.model_copy(update={"host": "127.0.0.1"}))  # it listens on nothing
    if problem:
        print(f"aicos: cannot start: {problem}", file=sys.stderr)
        return 2
    import asyncio

    from src.adapters.inbound.slack.socket_mode import SlackUnavailable, run_socket_mode

    try:
        asyncio.run(run_socket_mode(settings))
    except SlackUnavailable as unavailable:
        print(f"aicos: cannot start the Slack bot: {unavailable}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="aicos", description="AI Chief of Staff backend: the live state hub.")
    parser.add_argument("--version", action="version", version=f"aicos {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    serve = commands.add_parser("serve", help="start the service (REST, WebSocket) on HOST:PORT")
    serve.add_argument("--host", help="address to listen on (default AICOS_HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default AICOS_PORT or 8000)")
    serve.add_argument("--demo", action="store_true",
                       help="demo items on an empty board; with no source configured, collect the demo dataset")
    serve.add_argument("--state-backend", choices=["sqlite", "memory", "redis"],
                       help="where the state lives (default AICOS_STATE_BACKEND, else sqlite in AICOS_DATA_DIR)")
    serve.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    serve.set_defaults(handler=_serve)
    collect = commands.add_parser("collect", help="run a collection with a progress bar (through the server if up)")
    depth = collect.add_mutually_exclusive_group()
    depth.add_argument("--quick", action="store_true", help="what changed since the last run (default)")
    depth.add_argument("--full", action="store_true", help="everything again")
    collect.add_argument("--port", type=int, help="the server's port (default AICOS_PORT or 8000)")
    collect.set_defaults(handler=_collect)
    demo = commands.add_parser("demo", help="write the demo dataset (a Slack export, an .ics) into the data folder")
    demo.set_defaults(handler=_demo)
    slack = commands.add_parser("slack", help="run the Slack bot (/cos) in Socket Mode: no public URL needed")
    slack.set_defaults(handler=_slack)
    token = commands.add_parser("token", help="create an API token in the data folder (0600) and say how to use it")
    token.set_defaults(handler=_token)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 0
    from pydantic import ValidationError

    _warn_about_unknown_settings()
    try:
        return args.handler(args)
    except ValidationError as error:  # a setting that cannot be used: one line, not a traceback
        print(f"aicos: cannot start: {_settings_problem(error)}", file=sys.stderr)
        return 2


def _warn_about_unknown_settings() -> None:
    import os

    from src.config import unknown_setting_warnings

    for warning in unknown_setting_warnings(os.environ):
        print(f"aicos: warning: {warning}", file=sys.stderr)


def _settings_problem(error) -> str:
    from src.config import PREFIX

    problems = []
    for detail in error.errors():
        message = str(detail["msg"]).removeprefix("Value error, ")
        name = PREFIX + "_".join(str(part) for part in detail["loc"]).upper() if detail["loc"] else ""
        problems.append(message if name in message or not name else f"{name}: {message}")
    return "; ".join(problems)


if __name__ == "__main__":
    sys.exit(main())
