import subprocess
import sys

import pytest

from src.bootstrap import create_container
from src.config import Settings
from tests.live_server import live_server


def test_aicos_help_lists_the_subcommands():
    result = subprocess.run([sys.executable, "-m", "src.cli", "--help"], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0 and "serve" in result.stdout


@pytest.mark.parametrize("backend, kind", [("memory", "InMemoryStateRepository"),
                                           ("sqlite", "SqliteStateRepository"),
                                           ("redis", "RedisStateRepository")])
def test_the_state_backend_setting_picks_the_repository(tmp_path, backend, kind):
    container = create_container(Settings(_env_file=None, state_backend=backend, data_dir=tmp_path))
    assert type(container.state_repository()).__name__ == kind


async def test_the_container_gives_the_same_state_to_every_use_case(tmp_path):
    container = create_container(Settings(_env_file=None, data_dir=tmp_path))
    await container.init_resources()
    try:
        await container.update_status()(progress=5)
        assert (await container.get_state()()).system.progress == 5
    finally:
        await container.shutdown_resources()


def test_serve_with_an_unusable_search_database_says_why_and_exits_2(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    environment = {"AICOS_SEARCH_DB": str(blocker / "search.db"), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-m", "src.cli", "serve", "--port", "0"], capture_output=True,
                            text=True, timeout=30, env=environment)
    assert result.returncode == 2
    assert "aicos: cannot start: search database" in result.stderr and "Traceback" not in result.stderr


def test_serving_beyond_this_machine_without_a_token_is_refused_with_the_reason(tmp_path):
    environment = {"AICOS_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-m", "src.cli", "serve", "--host", "0.0.0.0", "--port", "0"],
                            capture_output=True, text=True, timeout=30, env=environment)
    assert result.returncode == 2 and "set AICOS_API_TOKEN first" in result.stderr


def test_aicos_token_writes_a_private_token_file_and_says_how_to_use_it(tmp_path):
    environment = {"AICOS_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-m", "src.cli", "token"], capture_output=True, text=True,
                            timeout=30, env=environment)
    token_file = tmp_path / "api-token"
    assert result.returncode == 0 and "Authorization: Bearer" in result.stdout
    assert token_file.stat().st_mode & 0o777 == 0o600 and len(token_file.read_text().strip()) >= 32


def test_serve_with_a_collector_that_cannot_be_loaded_says_which_and_exits_2(tmp_path):
    environment = {"AICOS_DATA_DIR": str(tmp_path), "AICOS_COLLECTORS": "crm.missing:Collector", "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-m", "src.cli", "serve", "--port", "0"], capture_output=True,
                            text=True, timeout=30, env=environment)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "aicos: cannot start: AICOS_COLLECTORS: cannot load 'crm.missing:Collector'" in result.stderr


def test_a_misspelled_setting_is_warned_about_at_start_with_the_closest_name(tmp_path):
    environment = {"AICOS_DATA_DIR": str(tmp_path), "AICOS_SLACK_EXPORTS": "acme.zip", "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-m", "src.cli", "serve", "--host", "0.0.0.0", "--port", "0"],
                            capture_output=True, text=True, timeout=30, env=environment, cwd=tmp_path)
    assert ("aicos: warning: AICOS_SLACK_EXPORTS is not a setting of the service and is ignored; "
            "did you mean AICOS_SLACK_EXPORT?") in result.stderr


def test_a_blank_token_in_the_environment_is_refused_in_one_line(tmp_path):
    environment = {"AICOS_DATA_DIR": str(tmp_path), "AICOS_API_TOKEN": " ", "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-m", "src.cli", "serve", "--host", "0.0.0.0", "--port", "0"],
                            capture_output=True, text=True, timeout=30, env=environment, cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "AICOS_API_TOKEN is blank" in result.stderr and result.stderr.count("\n") == 1


def test_an_empty_token_file_stops_the_server_instead_of_serving_without_a_token(tmp_path):
    (tmp_path / "api-token").write_text("\n")
    environment = {"AICOS_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-m", "src.cli", "serve", "--port", "0"], capture_output=True,
                            text=True, timeout=30, env=environment, cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"{tmp_path / 'api-token'} is empty" in result.stderr
    assert "a token is required" not in result.stdout


@pytest.mark.parametrize("command", ["token", "demo"])
def test_commands_that_create_the_data_folder_make_it_private(tmp_path, command):
    import os

    environment = {"AICOS_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-m", "src.cli", command], capture_output=True, text=True, timeout=60,
                            env=environment, cwd=tmp_path, preexec_fn=lambda: os.umask(0o022))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data").stat().st_mode & 0o777 == 0o700


def test_the_app_uvicorn_builds_from_the_environment_keeps_the_data_private_too(tmp_path):
    import os

    data_dir = tmp_path / "data"
    previous = os.umask(0o022)
    try:
        with live_server({"AICOS_DATA_DIR": str(data_dir), "AICOS_STATE_BACKEND": "sqlite"}, module="uvicorn",
                         command=["src.bootstrap:app"]):
            modes = {path.name: path.stat().st_mode & 0o777 for path in data_dir.iterdir()}
    finally:
        os.umask(previous)
    assert data_dir.stat().st_mode & 0o777 == 0o700
    assert {"state.db", "search.db"} <= set(modes) and set(modes.values()) == {0o600}, modes


@pytest.mark.parametrize("me, said", [(None, True), ("U01ALEX", False)])
def test_serve_with_a_slack_source_says_once_when_aicos_me_is_missing(tmp_path, monkeypatch, capsys, me, said):
    import uvicorn

    from src import cli

    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: None)
    monkeypatch.setenv("AICOS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("AICOS_SLACK_EXPORT", str(tmp_path / "export"))
    monkeypatch.delenv("AICOS_ME", raising=False)
    if me:
        monkeypatch.setenv("AICOS_ME", me)
    assert cli.main(["serve", "--port", "0"]) == 0
    assert capsys.readouterr().out.count("AICOS_ME is not set") == (1 if said else 0)


def test_demo_mode_reads_for_the_demo_person_unless_aicos_me_names_someone(tmp_path):
    demo = create_container(Settings(_env_file=None, demo=True, data_dir=tmp_path))
    assert demo.settings().me == ["U01ALEX"]
    own = create_container(Settings(_env_file=None, demo=True, data_dir=tmp_path, me=["dana@example.com"]))
    assert own.settings().me == ["dana@example.com"]
