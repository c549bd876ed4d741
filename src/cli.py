"""`aicos`: the command line of the service."""

from __future__ import annotations

import argparse
import sys

from src import __version__

WEBSOCKET_MAX_FRAME = 64 * 1024


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
    if "state_backend" not in settings.model_fields_set:
        # The service keeps what the person approved across restarts unless told otherwise;
        # create_app() alone (tests, embedding) defaults to memory.
        settings = settings.model_copy(update={"state_backend": "sqlite"})
    problem = _cannot_start(settings)
    if problem:
        print(f"aicos: cannot start: {problem}", file=sys.stderr)
        return 2
    app = create_app(settings)
    base = f"http://{'localhost' if settings.host in ('127.0.0.1', 'localhost') else settings.host}:{settings.port}"
    print(f"AICoS {__version__} on {base}")
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


def _cannot_start(settings) -> str | None:
    """What would stop the service at start-up, said in one line instead of a traceback."""
    from src.search.database import SearchDatabase, SearchDatabaseError

    path = settings.search_db_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        SearchDatabase(path).close()
    except (OSError, SearchDatabaseError) as error:
        return f"search database {path}: {error}"
    return None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="aicos", description="AI Chief of Staff backend: the live state hub.")
    parser.add_argument("--version", action="version", version=f"aicos {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    serve = commands.add_parser("serve", help="start the service (REST, WebSocket) on HOST:PORT")
    serve.add_argument("--host", help="address to listen on (default AICOS_HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default AICOS_PORT or 8000)")
    serve.add_argument("--demo", action="store_true", help="fill an empty board with demo items")
    serve.add_argument("--state-backend", choices=["sqlite", "memory", "redis"],
                       help="where the state lives (default AICOS_STATE_BACKEND, else sqlite in AICOS_DATA_DIR)")
    serve.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    serve.set_defaults(handler=_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 0
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
