"""`aicos`: the command line of the service."""

from __future__ import annotations

import argparse
import sys

from src import __version__
from src.cli_state import TOKEN_FILE, keep_the_data_private, own_the_state, recorded_while_serving
from src.ownership import StateFileBusy, running_server

WEBSOCKET_MAX_FRAME = 64 * 1024
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
    keep_the_data_private(settings)
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
        state_lock = own_the_state(settings, "aicos serve")
    except StateFileBusy as busy:
        print(f"aicos: cannot start: {busy}", file=sys.stderr)
        return 2
    _log_the_service(args.log_level)
    if settings.clock_offset_s:
        print(f"aicos: warning: AICOS_CLOCK_OFFSET_S={settings.clock_offset_s:g} moves the service's clock "
              "(a setting for tests only)", file=sys.stderr)
    app = recorded_while_serving(create_app(settings), settings, state_lock)
    slack = settings.slack_export or settings.slack_bot_token or settings.slack_signing_secret
    if slack and not settings.me and not settings.demo:
        print("AICOS_ME is not set: no commitments or asks are read from Slack messages "
              "(set it to your Slack user id or email, see the README)")
    base = f"http://{'localhost' if settings.host in ('127.0.0.1', 'localhost') else settings.host}:{settings.port}"
    print(f"AICoS {__version__} on {base}")
    print(f"  dashboard  {base}/")
    print(f"  state      {base}/api/state")
    print(f"  live (ws)  {base.replace('http', 'ws', 1)}/ws")
    print(f"  API docs   {base}/docs")
    if settings.collect_every:
        print(f"  collects   every {settings.collect_every} (quick; next run time in /api/system/status)")
    uvicorn.run(app, host=settings.host, port=settings.port, log_level=args.log_level, **_server_options(settings))
    return 0


def _log_the_service(level: str) -> None:
    """The service's own log lines (`src.*`: a brief skipped and why, a post that failed) beside
    uvicorn's, at the same level; without a handler Python shows only warnings, without a name."""
    import logging

    service = logging.getLogger("src")
    if not service.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s:     %(name)s: %(message)s"))
        service.addHandler(handler)
    service.setLevel(level.upper())


HTTP_HEADROOM = 500  # connections beyond the WebSocket cap, for REST requests
RESERVED_FILES = 64  # file descriptors kept for the state, the search index, logs


def _server_options(settings) -> dict:
    """uvicorn's settings for `aicos serve`: limits that hold before any route or check runs (the
    README's "Limits"), and X-Forwarded-For believed only from AICOS_TRUSTED_PROXIES."""
    import resource

    from src.adapters.inbound.http.server_protocol import guarded_protocol

    open_files, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    connections = settings.max_connections + HTTP_HEADROOM
    if open_files != resource.RLIM_INFINITY:
        connections = max(min(connections, open_files - RESERVED_FILES), 1)
    return {
        "http": guarded_protocol(connections),
        "ws_max_size": WEBSOCKET_MAX_FRAME,
        "ws_per_message_deflate": False,
        "timeout_keep_alive": 30,
        "timeout_graceful_shutdown": 5,
        "proxy_headers": bool(settings.trusted_proxies),
        "forwarded_allow_ips": ",".join(settings.trusted_proxies) or None,
    }


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
    keep_the_data_private(settings)
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
    outreach = settings.outreach_problem()
    if outreach:
        return outreach
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
    keep_the_data_private(settings)
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


def _collect(args: argparse.Namespace) -> int:
    from src.cli_collect import collect

    return collect(args)


def _outbox(args: argparse.Namespace) -> int:
    from src.cli_outbox import show_outbox

    return show_outbox(args)


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
    keep_the_data_private(settings)
    try:
        lock = own_the_state(settings, "aicos slack")
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
    from src.bootstrap import create_container

    try:
        asyncio.run(run_socket_mode(create_container(settings), settings))
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
    outbox = commands.add_parser("outbox", help="list the posts made to you on Slack (morning brief, meeting prep): "
                                 "sent, pending, failed")
    outbox.add_argument("--limit", type=int, default=50, help="how many, newest first (default 50)")
    outbox.add_argument("--state-backend", choices=["sqlite", "memory", "redis"],
                        help="where the outbox is kept (default as `aicos serve`: AICOS_STATE_BACKEND, else sqlite)")
    outbox.set_defaults(handler=_outbox)
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
        name = PREFIX + str(detail["loc"][0]).upper() if detail["loc"] else ""  # the setting, not its item
        problems.append(message if name in message or not name else f"{name}: {message}")
    return "; ".join(problems)


if __name__ == "__main__":
    sys.exit(main())
