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
