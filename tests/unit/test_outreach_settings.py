"""`aicos serve` refuses settings the brief and prep cannot work with, in one line naming the setting."""

import pytest

from src.config import Settings

GOOD = {"AICOS_SLACK_BOT_TOKEN": "xoxb-1", "AICOS_ME": "U01ALEXRIV,alex@example.com", "AICOS_BRIEF_TIME": "07:30"}


@pytest.fixture
def serve(tmp_path, monkeypatch, capsys):
    import uvicorn

    from src import cli

    started = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: started.append(True))
    monkeypatch.chdir(tmp_path)  # no .env of the project's

    def run(**variables):
        for name in [name for name in __import__("os").environ if name.startswith("AICOS_")]:
            monkeypatch.delenv(name)
        monkeypatch.setenv("AICOS_DATA_DIR", str(tmp_path / "data"))
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        code = cli.main(["serve", "--port", "0"])
        return code, capsys.readouterr().err.strip(), bool(started)

    return run


@pytest.mark.parametrize("setting, value, said", [
    ("AICOS_BRIEF_TIME", "25:00", "AICOS_BRIEF_TIME='25:00' is not a time of day: use HH:MM, from 00:00 to 23:59"),
    ("AICOS_BRIEF_TIME", "7.30am", "AICOS_BRIEF_TIME='7.30am' is not a time of day"),
    ("AICOS_PREP_MINUTES", "-5", "AICOS_PREP_MINUTES=-5 must be between 1 and 1440 (minutes before a meeting)"),
    ("AICOS_PREP_MINUTES", "0", "AICOS_PREP_MINUTES=0 must be between 1 and 1440"),
    ("AICOS_PREP_MINUTES", "ten", "AICOS_PREP_MINUTES='ten' is not a whole number of minutes"),
    ("AICOS_BRIEF_CHANNEL", "general chat", "AICOS_BRIEF_CHANNEL='general chat' is not a Slack channel"),
])
def test_a_setting_that_cannot_work_stops_the_server_in_one_line(serve, setting, value, said):
    code, error, started = serve(**{**GOOD, setting: value})
    assert (code, started) == (2, False)
    assert error.startswith("aicos: cannot start: " + said) and "\n" not in error and "Traceback" not in error


def test_a_brief_without_a_bot_token_or_somewhere_to_post_is_refused(serve):
    code, error, _ = serve(**{**GOOD, "AICOS_SLACK_BOT_TOKEN": ""})
    assert code == 2 and "AICOS_BRIEF_TIME is set but AICOS_SLACK_BOT_TOKEN is not" in error
    code, error, _ = serve(**{**GOOD, "AICOS_ME": "alex@example.com", "AICOS_BRIEF_TIME": "", "AICOS_PREP_MINUTES": "10"})
    assert code == 2 and "AICOS_PREP_MINUTES is set but there is nowhere to post" in error


@pytest.mark.parametrize("more", [{"AICOS_PREP_MINUTES": "10", "AICOS_BRIEF_CHANNEL": "C0123ABCD"},
                                  {"AICOS_BRIEF_CHANNEL": "#chief-of-staff"}, {}])
def test_good_settings_start(serve, more):
    assert serve(**GOOD, **more)[::2] == (0, True)


def test_the_brief_goes_to_the_persons_dm_unless_a_channel_is_named():
    assert Settings(_env_file=None, me=["alex@example.com", "U01ALEXRIV"]).post_recipient() == "U01ALEXRIV"
    assert Settings(_env_file=None, me=["U01ALEXRIV"], brief_channel="C0123ABCD").post_recipient() == "C0123ABCD"
    assert not Settings(_env_file=None).outreach_on()  # off by default
