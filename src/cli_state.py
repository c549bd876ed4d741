"""The CLI's side of the data folder: its files kept private, which process owns its SQLite state,
and where the server listens (see src/ownership.py)."""

from __future__ import annotations

import sys

from src.ownership import Owner, StateLock, forget_server, record_server

TOKEN_FILE = "api-token"


def keep_the_data_private(settings) -> None:
    """Folder 0700, files 0600 from now on; what an earlier run left readable to others is closed, and said."""
    from src.data_files import make_data_private

    for change in make_data_private(settings.data_dir, settings.search_db_path()):
        print(f"aicos: made private: {change}", file=sys.stderr)


def own_the_state(settings, command: str) -> StateLock | None:
    """With the SQLite backend, takes the data folder's state (until released, or the process ends),
    or raises StateFileBusy naming its owner. Other backends share their state and take nothing."""
    if settings.state_backend != "sqlite":
        return None
    lock = StateLock(settings.data_dir)
    lock.acquire(Owner.this_process(command, settings.host, settings.port if command == "aicos serve" else None))
    return lock


def recorded_while_serving(app, settings, state_lock: StateLock | None):
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
