import pytest
from pydantic import ValidationError

from src.config import Settings


def test_defaults_follow_the_contract(monkeypatch):
    for name in ("AICOS_HOST", "AICOS_PORT", "AICOS_ALLOWED_ORIGINS", "AICOS_STATE_BACKEND"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings(_env_file=None)
    assert (settings.host, settings.port, settings.state_backend) == ("127.0.0.1", 8000, "memory")
    assert settings.cors_origins() == ["http://localhost:8000", "http://127.0.0.1:8000",
                                       "http://localhost:3000", "http://127.0.0.1:3000"]


def test_lists_are_read_comma_separated_from_the_environment(monkeypatch):
    monkeypatch.setenv("AICOS_ALLOWED_ORIGINS", "https://cos.example, http://localhost:5173")
    monkeypatch.setenv("AICOS_CALENDAR_ICS", "a.ics,b.ics")
    monkeypatch.setenv("AICOS_PORT", "9000")
    settings = Settings(_env_file=None)
    assert settings.cors_origins() == ["https://cos.example", "http://localhost:5173"]
    assert settings.calendar_ics == ["a.ics", "b.ics"] and settings.port == 9000


def test_a_dotenv_file_works_too(tmp_path, monkeypatch):
    monkeypatch.delenv("AICOS_PORT", raising=False)
    env_file = tmp_path / ".env"
    env_file.write_text("AICOS_PORT=8123\nAICOS_DEMO=true\n")
    settings = Settings(_env_file=env_file)
    assert settings.port == 8123 and settings.demo is True


def test_every_path_setting_expands_the_home_folder_even_after_a_comma(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("AICOS_CALENDAR_ICS", "~/calendars/work.ics,~/calendars/personal.ics")
    monkeypatch.setenv("AICOS_SLACK_EXPORT", "~/exports/acme.zip")
    for name, value in {"AICOS_DATA_DIR": "~/aicos", "AICOS_ARCHIVE_DIR": "~/archive", "AICOS_SEARCH_DB": "~/s.db"}.items():
        monkeypatch.setenv(name, value)
    settings = Settings(_env_file=None)
    assert settings.calendar_ics == [f"{tmp_path}/calendars/work.ics", f"{tmp_path}/calendars/personal.ics"]
    assert settings.slack_export == [f"{tmp_path}/exports/acme.zip"]
    assert (settings.data_dir, settings.archive_dir, settings.search_db) == (
        tmp_path / "aicos", tmp_path / "archive", tmp_path / "s.db")


def test_an_unknown_aicos_variable_is_named_with_the_closest_setting(tmp_path):
    from src.config import unknown_setting_warnings

    warnings = unknown_setting_warnings({"AICOS_SLACK_EXPORTS": "x.zip", "AICOS_PORT": "8001", "HOME": "/root",
                                         "AICOS_QWERTY": "1"}, env_file=tmp_path / "missing.env")
    assert warnings == [
        "AICOS_SLACK_EXPORTS is not a setting of the service and is ignored; did you mean AICOS_SLACK_EXPORT?",
        "AICOS_QWERTY is not a setting of the service and is ignored",
    ]


def test_an_unknown_variable_in_the_dotenv_file_is_named_too(tmp_path):
    from src.config import unknown_setting_warnings

    env_file = tmp_path / ".env"
    env_file.write_text("AICOS_CALENDAR_IC=work.ics\n")
    assert unknown_setting_warnings({}, env_file=env_file) == [
        f"AICOS_CALENDAR_IC (in {env_file}) is not a setting of the service and is ignored; "
        "did you mean AICOS_CALENDAR_ICS?"]


@pytest.mark.parametrize("blank", [" ", "\t", "  \n"])
def test_a_blank_api_token_is_refused(blank):
    with pytest.raises(ValidationError, match="AICOS_API_TOKEN is blank"):
        Settings(_env_file=None, api_token=blank)


def test_a_blank_token_never_guards_the_api():
    from src.adapters.inbound.http.middleware import TokenGuard

    with pytest.raises(ValueError, match="blank"):
        TokenGuard(lambda scope, receive, send: None, token=" ")
