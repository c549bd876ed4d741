"""The state lock and the server file, within one process (the real servers are in tests/integration)."""

import json
import os
import subprocess
import sys

import pytest

from src.ownership import Owner, StateFileBusy, StateLock, current_owner, record_server, running_server


def test_the_lock_names_its_holder_to_the_next_one_and_is_free_again_once_released(tmp_path):
    first = StateLock(tmp_path)
    first.acquire(Owner(os.getpid(), "aicos serve", "127.0.0.1", 8001))
    assert current_owner(tmp_path) == Owner(os.getpid(), "aicos serve", "127.0.0.1", 8001)
    with pytest.raises(StateFileBusy, match=r"in use by aicos serve \(pid \d+, port 8001\)"):
        StateLock(tmp_path).acquire(Owner(os.getpid(), "aicos collect"), wait_s=0)
    first.release()
    assert current_owner(tmp_path) is None
    StateLock(tmp_path).acquire(Owner(os.getpid(), "aicos collect"), wait_s=0)


def test_a_server_file_left_by_a_dead_process_or_without_a_real_port_is_no_server(tmp_path):
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    record_server(tmp_path, Owner(int(finished.stdout), "aicos serve", "127.0.0.1", 8001))
    assert running_server(tmp_path) is None
    record_server(tmp_path, Owner(os.getpid(), "aicos serve", "127.0.0.1", 0))  # `--port 0`: where is unknown
    assert running_server(tmp_path) is None
    record_server(tmp_path, Owner(os.getpid(), "aicos serve", "0.0.0.0", 8001))
    assert running_server(tmp_path).base_url() == "http://127.0.0.1:8001"
    assert json.loads((tmp_path / "server.json").read_text())["port"] == 8001
    assert (tmp_path / "server.json").stat().st_mode & 0o777 == 0o600
