"""Which process owns the data folder's SQLite state, and where the server listens.

One process writes `state.db` at a time (the server, `aicos collect` run in-process, or
`aicos slack`): it holds an exclusive `flock` on `state.lock` for its whole life and writes who it
is into that file. The kernel drops the lock when the process dies, however it dies, so a lock
that can be taken means nobody owns the state; no pid needs guessing. `aicos serve` also writes
`server.json` (pid, host, port), whatever its state backend, so `aicos collect`, `aicos token` and
the hints know where it listens and which server may be sent the token.

`fcntl.flock` rather than the `filelock` package: the lock file itself must carry its holder's
name, pid and port for the refusal, written once the lock is held; filelock manages the file's
content and life itself (and adds soft-lock fallbacks this Unix-only service does not need).
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path

LOCK_FILE = "state.lock"
SERVER_FILE = "server.json"
LOOPBACK = ("127.0.0.1", "localhost", "::1", "0.0.0.0", "::")


@dataclass(frozen=True)
class Owner:
    """A process of this service: `command` is what was run (`aicos serve`), `port` where it listens."""

    pid: int
    command: str
    host: str | None = None
    port: int | None = None

    def describe(self) -> str:
        where = f", port {self.port}" if self.port is not None else ""
        return f"{self.command} (pid {self.pid}{where})"

    def base_url(self) -> str:
        host = "127.0.0.1" if self.host in (None, *LOOPBACK) else self.host
        return f"http://{host}:{self.port}"

    @classmethod
    def this_process(cls, command: str, host: str | None = None, port: int | None = None) -> Owner:
        return cls(os.getpid(), command, host, port)

    @classmethod
    def parsed(cls, text: str) -> Owner | None:
        try:
            fields = json.loads(text)
            return cls(int(fields["pid"]), str(fields["command"]), fields.get("host"), fields.get("port"))
        except (ValueError, TypeError, KeyError):
            return None


class StateFileBusy(Exception):
    """Another live process owns the state file."""

    def __init__(self, state_file: Path, owner: Owner | None) -> None:
        self.owner = owner
        holder = owner.describe() if owner else "another process"
        super().__init__(f"{state_file} is in use by {holder}; one process owns a SQLite state "
                         "(stop it first, or use AICOS_STATE_BACKEND=redis for several)")


class StateLock:
    """The exclusive lock on a data folder's SQLite state, held until `release()` or the process ends."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.path = data_dir / LOCK_FILE
        self._descriptor: int | None = None

    def acquire(self, owner: Owner, wait_s: float = 1.0) -> None:
        """Takes the lock (waiting up to `wait_s` for a process merely looking, see `current_owner`),
        or raises StateFileBusy naming the holder."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + wait_s
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(descriptor)
                    raise StateFileBusy(self.data_dir / "state.db", _read_owner(self.path)) from None
                time.sleep(0.05)
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, json.dumps(asdict(owner)).encode(), 0)
        self._descriptor = descriptor

    def release(self) -> None:
        if self._descriptor is not None:
            os.ftruncate(self._descriptor, 0)
            os.close(self._descriptor)  # closing drops the flock
            self._descriptor = None


def current_owner(data_dir: Path) -> Owner | None:
    """The live process that owns `data_dir`'s SQLite state, if any (found by trying its lock)."""
    path = data_dir / LOCK_FILE
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        fcntl.flock(descriptor, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return _read_owner(path) or Owner(0, "another process")
    finally:
        os.close(descriptor)  # also drops the shared lock if it was taken
    return None


def _read_owner(path: Path) -> Owner | None:
    try:
        return Owner.parsed(path.read_text())
    except OSError:
        return None


def record_server(data_dir: Path, owner: Owner) -> None:
    """`server.json`: where this server listens, for the CLI's other commands (mode 0600)."""
    path = data_dir / SERVER_FILE
    data_dir.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as file:
        json.dump(asdict(owner), file)
    os.replace(temporary, path)


def forget_server(data_dir: Path, pid: int) -> None:
    """Removes `server.json` if it still names `pid` (another server may have written its own since)."""
    path = data_dir / SERVER_FILE
    recorded = _read_owner(path)
    if recorded is not None and recorded.pid == pid:
        path.unlink(missing_ok=True)


def running_server(data_dir: Path) -> Owner | None:
    """The server recorded in `data_dir`, if its process is still alive."""
    recorded = _read_owner(data_dir / SERVER_FILE)
    if recorded is None or not recorded.port or not _alive(recorded.pid):  # port 0: the OS chose, unknown here
        return None
    return recorded


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive, though not ours to signal
    return pid > 0
