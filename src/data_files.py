"""The data folder holds the person's messages and board: readable by them only.

Every process of the service that writes there (`aicos serve`, `collect`, `slack`) calls
`make_data_private` first: its umask becomes 077, so SQLite's files (the databases, their `-wal`
and `-shm`) are created 0600 whatever the shell's umask, and what an earlier run left open is
closed (folder 0700, files 0600) and said.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600


def make_data_private(data_dir: Path, search_db: Path) -> list[str]:
    """Creates `data_dir` 0700 if needed, tightens it and what it holds (and the search database's
    files when AICOS_SEARCH_DB puts them elsewhere) when found open; says what it changed."""
    os.umask(0o077)
    data_dir.mkdir(parents=True, exist_ok=True)
    wanted = {data_dir: PRIVATE_FOLDER}
    wanted.update({path: PRIVATE_FILE for path in data_dir.iterdir() if path.is_file()})
    if search_db.parent.is_dir():  # a folder of the person's choosing: only the database's own files
        wanted.update({path: PRIVATE_FILE for path in search_db.parent.glob(search_db.name + "*") if path.is_file()})
    changed: list[str] = []
    for path, mode in wanted.items():
        found = stat.S_IMODE(path.stat().st_mode)
        if found & ~mode:
            os.chmod(path, mode)
            changed.append(f"{path} was {found:04o}, now {mode:04o}")
    return changed
